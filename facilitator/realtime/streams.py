"""Sequence numbers, one stream per audience.

A phone follows the workshop's stream and its own; a console the workshop's and the
moderators'. A gap in one of a client's streams means it missed something it may see;
an event for the moderators never makes a phone resync.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from facilitator.realtime.models import StreamSeq
from facilitator.realtime.rooms import Audience


def take(db: Session, audience: Audience) -> int:
    """The audience's next number, atomically, in the caller's transaction (an upsert:
    a stream's row is made by its first event)."""
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(StreamSeq)
        .values(room=audience.room, workshop_id=audience.workshop_id, seq=1)
        .on_conflict_do_update(index_elements=[StreamSeq.room], set_={"seq": StreamSeq.seq + 1})
        .returning(StreamSeq.seq)
    )
    return int(db.execute(statement).scalar_one())


def current(db: Session, audiences: Iterable[Audience]) -> dict[str, int]:
    """The last number of each stream, by stream name (0 before its first event)."""
    by_room = {audience.room: audience.stream for audience in audiences}
    rows = db.execute(
        select(StreamSeq.room, StreamSeq.seq).where(StreamSeq.room.in_(list(by_room)))
    )
    found = {room: seq for room, seq in rows}
    return {stream: int(found.get(room, 0)) for room, stream in by_room.items()}
