"""From domain events to Socket.IO emits: numbered inside the transaction, sent after commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from facilitator.live.models import LiveState


@dataclass(frozen=True)
class Outgoing:
    event: str
    data: dict[str, Any]
    room: str


# Turns one domain event into the messages screens need. The third argument gives
# the workshop's sequence number for this transaction, taken on first use: events
# that only moderators' counters care about take none.
Render = Callable[[Session, object, Callable[[], int]], list[Outgoing]]


def next_seq(db: Session, workshop_id: int) -> int:
    """Take the workshop's next sequence number, atomically, in the caller's transaction."""
    seq = db.execute(
        update(LiveState)
        .where(LiveState.workshop_id == workshop_id)
        .values(seq=LiveState.seq + 1)
        .returning(LiveState.seq)
    ).scalar_one()
    return int(seq)


def prepare(db: Session, events: Iterable[object], render: Render) -> list[Outgoing]:
    """Render events before commit: what is sent is what was committed, numbered once."""
    taken: dict[int, int] = {}
    outgoing: list[Outgoing] = []
    for event in events:
        workshop_id: int = event.workshop_id  # type: ignore[attr-defined]

        def seq(workshop_id: int = workshop_id) -> int:
            if workshop_id not in taken:  # one number per transaction and workshop
                taken[workshop_id] = next_seq(db, workshop_id)
            return taken[workshop_id]

        outgoing.extend(render(db, event, seq))
    return outgoing


def send(emit: Callable[..., Any], outgoing: Iterable[Outgoing]) -> None:
    """Emit after commit; `emit` is socketio.emit (works inside and outside handlers)."""
    for message in outgoing:
        emit(message.event, message.data, to=message.room)
