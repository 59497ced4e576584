"""What screens receive of the record: plain data, codes, never sentences."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidingQuestion, Person, ProgramItem
from facilitator.record.models import Note


def _key(db: Session, model: type, row_id: int | None) -> str | None:
    if row_id is None:
        return None
    row = db.get(model, row_id)
    return getattr(row, "key", None)


def note_view(db: Session, note: Note) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind,
        "item": _key(db, ProgramItem, note.item_id),
        "person": _key(db, Person, note.person_id),
        "question": _key(db, GuidingQuestion, note.question_id),
        "name": note.person_name,
        "version": note.version,
        "text": note.text,
        "language": note.language,
        "updated_at": note.updated_at.isoformat(),
    }
