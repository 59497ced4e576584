"""Sequence numbers, one stream per audience.

A phone follows the workshop's stream and its own; a console the workshop's and the
moderators'. A gap in one of a client's streams means it missed something it may see;
an event for the moderators never makes a phone resync.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from facilitator.realtime.models import StreamSeq
from facilitator.realtime.rooms import Audience


def take_many(db: Session, counts: Mapping[Audience, int]) -> dict[str, int]:
    """Reserve `n` numbers of each audience's stream, atomically, in the caller's
    transaction (an upsert: a stream's row is made by its first event); the last number
    reserved, by room: the caller numbers its messages last - n + 1 ... last."""
    if not counts:
        return {}
    # In the rooms' order: two transactions that lock the same rows lock them in turn.
    rows = [
        {"room": a.room, "workshop_id": a.workshop_id, "seq": n}
        for a, n in sorted(counts.items(), key=lambda item: item[0].room)
    ]
    statement = _UPSERT[db.get_bind().dialect.name == "postgresql"]
    # Many rows go as one statement of many VALUES (SQLAlchemy's "insertmanyvalues"),
    # compiled once and cached, whatever the number of rooms.
    return {room: int(seq) for room, seq in db.execute(statement, rows)}


def _upsert(insert: Any) -> Any:
    """The stream numbers' upsert, over the table (Core: no ORM bulk machinery)."""
    values = insert(_TABLE)
    return values.on_conflict_do_update(
        index_elements=[_TABLE.c.room], set_={"seq": _TABLE.c.seq + values.excluded.seq}
    ).returning(_TABLE.c.room, _TABLE.c.seq)


_TABLE = cast(Table, StreamSeq.__table__)
_UPSERT = {False: _upsert(sqlite.insert), True: _upsert(postgresql.insert)}  # by "postgresql"


def current(db: Session, audiences: Iterable[Audience]) -> dict[str, int]:
    """The last number of each stream, by stream name (0 before its first event)."""
    by_room = {audience.room: audience.stream for audience in audiences}
    rows = db.execute(
        select(StreamSeq.room, StreamSeq.seq).where(StreamSeq.room.in_(list(by_room)))
    )
    found = {room: seq for room, seq in rows}
    return {stream: int(found.get(room, 0)) for room, stream in by_room.items()}
