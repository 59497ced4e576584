"""From domain events to Socket.IO emits: numbered inside the transaction, sent after commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from facilitator.database import utcnow
from facilitator.realtime import streams
from facilitator.realtime.registry import Registry, RenderContext


@dataclass(frozen=True)
class Outgoing:
    event: str
    data: dict[str, Any]
    room: str


def prepare(db: Session, registry: Registry, events: Iterable[object]) -> list[Outgoing]:
    """Render events before commit: what is sent is what was committed, numbered once.

    Each sequenced message takes the next number of its own audience's stream, so a
    client that follows several streams sees each of them without holes. The numbers
    of every stream the events touch are reserved in one statement (a batch of a
    hundred answers would otherwise pay two hundred upserts).
    """
    ctx = RenderContext(db, utcnow())
    messages = [message for event in events for message in registry.render(ctx, event)]
    counts = Counter(m.audience for m in messages if m.sequenced)
    last = streams.take_many(db, counts)
    next_seq = {audience.room: last[audience.room] - n + 1 for audience, n in counts.items()}
    outgoing: list[Outgoing] = []
    for message in messages:
        data = message.data
        if message.sequenced:
            room = message.audience.room
            data = {**data, "stream": message.audience.stream, "seq": next_seq[room]}
            next_seq[room] += 1
        outgoing.append(Outgoing(message.event, data, message.audience.room))
    return outgoing


def send(emit: Callable[..., Any], outgoing: Iterable[Outgoing]) -> None:
    """Emit after commit; `emit` is the app's socketio.emit (inside and outside handlers)."""
    for message in outgoing:
        emit(message.event, message.data, to=message.room)
