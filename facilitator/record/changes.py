"""The record's domain events: frozen, plain data."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoteSaved:
    workshop_id: int
    note_id: int
    version: int
    author_id: int | None


@dataclass(frozen=True)
class RecordChanged:
    """Images, counts, the draft's edits or a published version: consoles reload the record."""

    workshop_id: int
    what: str
