"""Rapporteurs' notes: one slot per thing written about, every save kept as a version.

A save names the version it was based on; a save based on an old version is refused
with `conflict` and both texts, and its own text is kept (nothing is lost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from facilitator.accounts.models import User
from facilitator.agenda.models import GuidingQuestion, Person, ProgramItem, Workshop
from facilitator.domain import DomainError
from facilitator.record.changes import NoteSaved
from facilitator.record.models import Note, NoteVersion

NoteKind = Literal["item", "summary", "answer", "conclusion"]


class NoteRefused(DomainError):
    """unknown_item, unknown_person, unknown_question, missing_person, missing_item."""


@dataclass(frozen=True)
class Where:
    """What a note is about, by the agenda's keys; `name`: a person not on the agenda."""

    kind: NoteKind
    item: str | None = None
    person: str | None = None
    question: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Saved:
    note: Note
    ok: bool  # False: a conflict; `note` holds the text that won
    text: str  # the text this save carried


def _by_key(db: Session, model: type, workshop: Workshop, key: str | None, code: str) -> int | None:
    if key is None:
        return None
    found = db.scalar(select(model.id).where(model.workshop_id == workshop.id, model.key == key))  # type: ignore[attr-defined]
    if found is None:
        raise NoteRefused(code)
    return int(found)


def slot_of(where: Where) -> str:
    name = " ".join((where.name or "").split())
    return ":".join(
        [where.kind, where.item or "", where.person or "", where.question or "", name.casefold()]
    )


def _check(where: Where) -> None:
    has_person = where.person is not None or bool(where.name and where.name.strip())
    if where.kind == "item" and where.item is None:
        raise NoteRefused("missing_item")
    if where.kind in ("summary", "answer", "conclusion") and not has_person:
        raise NoteRefused("missing_person")
    if where.kind == "answer" and where.question is None:
        raise NoteRefused("missing_question")


def save_note(
    db: Session,
    actor: User,
    workshop: Workshop,
    where: Where,
    text: str,
    language: str | None,
    based_on: int,
    cid: str,
    now: datetime,
) -> tuple[Saved, list[object]]:
    """Save a note's new text. The caller checked the actor's role in the workshop."""
    again = db.scalar(
        select(NoteVersion).where(
            NoteVersion.workshop_id == workshop.id,
            NoteVersion.author_id == actor.id,
            NoteVersion.cid == cid,
        )
    )
    if again is not None:  # a resend: the same answer, nothing stored twice
        note = db.get(Note, again.note_id)
        assert note is not None
        return Saved(note, again.version is not None, again.text), []
    _check(where)
    slot = slot_of(where)
    note = db.scalar(select(Note).where(Note.workshop_id == workshop.id, Note.slot == slot))
    if note is None:
        note = Note(
            workshop_id=workshop.id,
            slot=slot,
            kind=where.kind,
            item_id=_by_key(db, ProgramItem, workshop, where.item, "unknown_item"),
            person_id=_by_key(db, Person, workshop, where.person, "unknown_person"),
            question_id=_by_key(db, GuidingQuestion, workshop, where.question, "unknown_question"),
            person_name=" ".join(where.name.split()) if where.name else None,
            version=0,
            text="",
        )
        db.add(note)
        db.flush()
    accepted = based_on == note.version and _claim(db, note, based_on, text, language, now)
    row = NoteVersion(
        workshop_id=workshop.id,
        note_id=note.id,
        author_id=actor.id,
        cid=cid,
        based_on=based_on,
        version=based_on + 1 if accepted else None,
        text=text,
        language=language,
        created_at=now,
    )
    db.add(row)
    db.flush()
    if not accepted:
        return Saved(note, False, text), []
    return Saved(note, True, text), [NoteSaved(workshop.id, note.id, note.version, actor.id)]


def _claim(
    db: Session, note: Note, based_on: int, text: str, language: str | None, now: datetime
) -> bool:
    """Make the next version only if the note is still at `based_on` in the database: of
    two saves racing from the same version, one wins and the other is a conflict."""
    done = db.execute(
        update(Note)
        .where(Note.id == note.id, Note.version == based_on)
        .values(version=based_on + 1, text=text, language=language, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.refresh(note)
    return bool(getattr(done, "rowcount", 0))


def notes_of(db: Session, workshop_id: int) -> list[Note]:
    return list(db.scalars(select(Note).where(Note.workshop_id == workshop_id).order_by(Note.id)))


def history(db: Session, note: Note) -> list[NoteVersion]:
    return list(
        db.scalars(
            select(NoteVersion).where(NoteVersion.note_id == note.id).order_by(NoteVersion.id)
        )
    )
