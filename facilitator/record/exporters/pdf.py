"""PDF: the HTML export rendered by WeasyPrint (Korean needs Debian's fonts-noto-cjk)."""

from __future__ import annotations

from weasyprint import HTML  # type: ignore[import-untyped]

from facilitator.record.data import Record
from facilitator.record.exporters.html import render


def export(record: Record) -> bytes:
    pdf: bytes = HTML(string=render(record, for_pdf=True)).write_pdf()
    return pdf
