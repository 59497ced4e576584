"""What screens receive of the record: plain data, codes, never sentences."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.agenda.models import GuidingQuestion, Person, ProgramItem, Workshop
from facilitator.live.models import LiveState
from facilitator.participation.models import Participant
from facilitator.record.models import Note, NoteVersion, RecordImage, RecordSettings
from facilitator.record.notes import notes_of


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


def version_view(row: NoteVersion) -> dict[str, Any]:
    return {
        "version": row.version,  # None: a save refused as a conflict, kept
        "based_on": row.based_on,
        "text": row.text,
        "language": row.language,
        "author": row.author_id,
        "at": row.created_at.isoformat(),
    }


def notes_screen(db: Session, workshop: Workshop) -> dict[str, Any]:
    """What the notes screen lays its slots out from: the program with its speakers and
    questions, the people, where the run is, and every note."""
    state = db.get(LiveState, workshop.id)
    current = state.current_item if state is not None else None
    return {
        "workshop": {
            "slug": workshop.slug,
            "title": workshop.title,
            "languages": workshop.languages,
        },
        "phase": state.phase.value if state is not None else None,
        "current_item": current.key if current is not None else None,
        "program": [
            {
                "key": item.key,
                "title": item.title,
                "kind": item.kind,
                "people": [p.key for p in item.people],
                "questions": [q.key for q in item.questions],
            }
            for item in workshop.program
        ],
        "people": [{"key": p.key, "name": p.name, "roles": p.roles} for p in workshop.people],
        "questions": [{"key": q.key, "text": q.text} for q in workshop.guiding_questions],
        "notes": [note_view(db, n) for n in notes_of(db, workshop.id)],
        "attendance": attendance_view(db, workshop),
        "images": [  # not their bytes: the screen loads each from its route
            {"id": row.id, "caption": row.caption, "width": row.width, "height": row.height}
            for row in db.execute(
                select(RecordImage.id, RecordImage.caption, RecordImage.width, RecordImage.height)
                .where(RecordImage.workshop_id == workshop.id)
                .order_by(RecordImage.id)
            )
        ],
    }


def attendance_view(db: Session, workshop: Workshop) -> dict[str, Any]:
    """The counts the app measured beside the one entered by hand."""
    settings = db.get(RecordSettings, workshop.id)
    joined = db.scalar(
        select(func.count(Participant.id)).where(
            Participant.workshop_id == workshop.id, Participant.removed_at.is_(None)
        )
    )
    return {
        "joined": joined or 0,
        "peak_connected": settings.peak_connected if settings else None,
        "online_count": settings.online_count if settings else None,
        "online_label": settings.online_label if settings else None,
    }
