"""Two saves racing from the same version: one wins, the other is a conflict that keeps
its text (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from facilitator.accounts.services import create_user
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import make_session_factory
from facilitator.record.models import Note, NoteVersion
from facilitator.record.notes import Where, save_note
from tests.conftest import PASSWORD
from tests.record.conftest import SEED

NOW = datetime(2020, 10, 22, 13, tzinfo=UTC)
OPENING = Where("item", item="opening")


def test_two_saves_from_the_same_version(engine: Engine, service_session: Session) -> None:
    db = service_session
    one = create_user(db, "one@example.org", PASSWORD)
    two = create_user(db, "two@example.org", PASSWORD)
    workshop = store_agenda(db, parse_agenda(SEED.read_bytes()).agenda, one).workshop
    save_note(db, one, workshop, OPENING, "v1", "en", 0, "cid-0001", NOW)
    db.commit()
    with make_session_factory(engine)() as other:
        # Both have read version 1; the first to write wins.
        theirs = other.scalar(select(Note))
        assert theirs is not None and theirs.version == 1
        saved, _ = save_note(db, one, workshop, OPENING, "one's v2", "en", 1, "cid-0002", NOW)
        db.commit()
        assert saved.ok
        lost, events = save_note(
            other,
            other.merge(two),
            other.merge(workshop),
            OPENING,
            "two's v2",
            "en",
            1,
            "cid-0003",
            NOW,
        )
        other.commit()
        assert not lost.ok and events == []
        assert lost.note.text == "one's v2" and lost.text == "two's v2"
    db.expire_all()
    note = db.scalar(select(Note))
    assert note is not None and (note.version, note.text) == (2, "one's v2")
    kept = {v.text: v.version for v in db.scalars(select(NoteVersion))}
    assert kept == {"v1": 1, "one's v2": 2, "two's v2": None}
    assert db.get(Workshop, workshop.id) is not None
