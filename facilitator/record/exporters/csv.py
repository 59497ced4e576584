"""CSV of all contributions, one row each, cells neutralised against formula injection."""

from __future__ import annotations

import csv as stdlib_csv
import io

from facilitator.record.data import Record
from facilitator.record.labels import headings

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("kind", "question_or_column", "text", "language", "author", "group", "time")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula starts with a quote instead."""
    return "'" + cell if cell.startswith(DANGEROUS) else cell


def export(record: Record) -> bytes:
    anonymous = headings(record.language)["anonymous"]
    out = io.StringIO()
    writer = stdlib_csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for c in record.contributions:
        row = (
            c.kind,
            c.column,
            c.text,
            c.language or "",
            c.author or anonymous,
            c.group or "",
            c.at or "",
        )
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8
