"""Compile (or load a published version of) a record and export it: for routes, the CLI
and the bench. No Flask."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from facilitator.agenda.models import Workshop
from facilitator.record.compile import LANGUAGES, compile_record
from facilitator.record.data import Record
from facilitator.record.exporters import FORMATS, exporter
from facilitator.record.exporters.json import adapter, as_dict
from facilitator.record.labels import headings


def from_data(data: dict[str, Any], language: str | None) -> Record:
    """A published version's record; `language` changes its headings only."""
    record = adapter().validate_python(data)
    if language in LANGUAGES:
        record.language = language
    return record


def draft(
    db: Session, workshop: Workshop, language: str, now: datetime, *, review: bool = True
) -> Record:
    return compile_record(db, workshop, language, now, review=review)


def export(record: Record, fmt: str) -> bytes:
    return exporter(fmt)(record)


def filename(record: Record, fmt: str) -> str:
    suffix = f"-v{record.version}" if record.version else "-draft"
    return f"{record.slug}-record{suffix}-{record.language}.{FORMATS[fmt].extension}"


__all__ = [
    "FORMATS",
    "LANGUAGES",
    "Record",
    "as_dict",
    "draft",
    "export",
    "filename",
    "from_data",
    "headings",
]
