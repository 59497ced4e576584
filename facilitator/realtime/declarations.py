"""The shapes of what a feature declares to the realtime mechanism and of what its
declarations are given: the contexts of a mutation, a batch, a render, a snapshot and a
tally; the messages it sends; the specs the registry keeps (realtime/registry.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from facilitator.domain import DomainError
from facilitator.realtime import protocol
from facilitator.realtime.connections import Here, Kind, Principal
from facilitator.realtime.rooms import Audience

P = TypeVar("P", bound=protocol.Payload)


class Refused(Exception):
    """Refuse the event (or the connection) with a protocol error code."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(code)
        self.code = code
        self.answer = protocol.error(code, message, **details)


@dataclass(frozen=True)
class Context:
    """What a mutation's service call gets: the unit of work, who sends, and when."""

    db: Session
    principal: Principal
    now: datetime


@dataclass(frozen=True)
class Ask(Generic[P]):
    """One mutation of a batch: who sends what (the guards have passed)."""

    principal: Principal
    data: P


@dataclass(frozen=True)
class BatchContext:
    """What a feature's batch of one kind of mutation gets: one unit of work for all."""

    db: Session
    now: datetime


# What each ask of a batch came to: its result and events, or its refusal.
Outcome = tuple[Any, Sequence[object]] | Refused | DomainError


@dataclass(frozen=True)
class Message:
    """One server -> client event. Sequenced messages take the next number of their
    audience's stream; the others (tallies, farewells) carry none."""

    event: str
    data: dict[str, Any]
    audience: Audience
    sequenced: bool = True


@dataclass(frozen=True)
class RenderContext:
    db: Session
    now: datetime


@dataclass(frozen=True)
class SnapshotContext:
    db: Session
    principal: Principal
    base_url: str
    here: Callable[[int], Here]  # everyone connected to a workshop, on every worker
    cache: dict[str, Any]  # one per app: a feature's memo of what rarely changes


@dataclass(frozen=True)
class TallyContext:
    db: Session
    here: Callable[[int], Here]


class Effects(Protocol):
    """What may follow a commit, besides the messages: the process's own bookkeeping."""

    def mark(self, tally: str, workshop_id: int) -> None:
        """The tally's room gets a fresh count within the coalescing interval."""

    def disconnect_participant(self, participant_id: int) -> None:
        """Close every socket of the participant on this worker."""

    def relabel_participant(self, participant_id: int, language: str) -> None:
        """The participant's sockets now count under another language."""

    def kick(self, workshop_id: int, kind: Kind | None = None, user_id: int | None = None) -> None:
        """Close the workshop's matching sockets on every worker (all of them, one kind,
        or one user's): they leave every room and receive nothing more."""


@dataclass(frozen=True)
class MutationSpec(Generic[P]):
    event: str
    payload: type[P]
    senders: frozenset[Kind]
    apply: Callable[[Context, P], tuple[Any, Sequence[object]]]
    # Run in a group commit with the others of its kind that arrive together
    # (realtime/batches.py): by `apply_many` if the feature has one, else `apply`
    # each in a savepoint of the shared transaction.
    batched: bool = False
    apply_many: Callable[[BatchContext, Sequence[Ask[P]]], list[Outcome]] | None = None
    # `apply` refuses only before its first write: in a batch it needs no savepoint.
    checks_first: bool = False


@dataclass(frozen=True)
class QuerySpec(Generic[P]):
    event: str
    payload: type[P]
    senders: frozenset[Kind]
    answer: Callable[[Context, P], Any]
    guarded: bool  # the features' guards run first (a read of the workshop's data)


@dataclass(frozen=True)
class Tally:
    event: str
    audience: Callable[[int], Audience]
    compute: Callable[[TallyContext, int], dict[str, Any] | None]  # None: nothing to send
    on_connection: bool  # also recounted when a socket of the workshop comes or goes
    every: float = 0.0  # seconds at least between two sends to one room (0: each tick)


Renderer = Callable[[RenderContext, Any], list[Message]]
Follower = Callable[[Effects, Any], None]
# What a feature changes in the same unit of work when another's domain event happens (a
# reset after a rehearsal clears each feature's data): its own domain events.
Along = Callable[[Session, Any], Sequence[object]]
SnapshotPart = Callable[[SnapshotContext], dict[str, Any]]
Identify = Callable[[Session, dict[str, Any]], Principal]  # raises Refused
Guard = Callable[[Session, Principal], None]  # raises Refused
# Loads at once what the guards of a batch's senders will read (then identity-map hits).
Preload = Callable[[Session, Sequence[Principal]], None]
# The sub-audiences (groups) a screen belongs to now, besides the workshop's own rooms.
Joiner = Callable[[Session, Principal], list[Audience]]
