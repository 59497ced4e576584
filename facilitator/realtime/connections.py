"""Who is behind each socket of this process, and who is connected now."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["moderator", "participant", "display"]

# Who may send an event: the sets every feature's declarations use.
MODERATORS: frozenset[Kind] = frozenset({"moderator"})
PARTICIPANTS: frozenset[Kind] = frozenset({"participant"})
EVERYONE: frozenset[Kind] = frozenset({"moderator", "participant", "display"})


@dataclass(frozen=True)
class Principal:
    kind: Kind
    workshop_id: int
    user_id: int | None = None
    participant_id: int | None = None
    language: str | None = None

    @property
    def actor(self) -> str:
        """The key idempotency records are kept under."""
        if self.kind == "moderator":
            return f"u:{self.user_id}"
        if self.kind == "participant":
            return f"p:{self.participant_id}"
        return f"d:{self.workshop_id}"


@dataclass(frozen=True)
class Presence:
    participants: int
    by_language: dict[str, int]
    moderators: int
    displays: int


@dataclass(frozen=True)
class Here:
    """Who of one workshop is connected: in one process, or merged over several."""

    participants: dict[int, str] = field(default_factory=dict)  # id -> language
    moderators: frozenset[int] = frozenset()  # user ids
    displays: int = 0

    @property
    def empty(self) -> bool:
        return not self.participants and not self.moderators and not self.displays

    def merge(self, other: Here) -> Here:
        return Here(
            {**self.participants, **other.participants},
            self.moderators | other.moderators,
            self.displays + other.displays,
        )

    def presence(self) -> Presence:
        """A participant on two devices counts once, and a moderator on two laptops."""
        return Presence(
            participants=len(self.participants),
            by_language=dict(Counter(self.participants.values())),
            moderators=len(self.moderators),
            displays=self.displays,
        )


@dataclass
class Connections:
    """Process-local: with several workers each keeps its own sockets (sticky sessions);
    realtime/board.py shares who is connected between them."""

    _by_sid: dict[str, Principal] = field(default_factory=dict)
    # The group rooms each socket is in: Socket.IO can only tell a socket's rooms by
    # scanning every room of the server, a thousand phones' resyncs a million steps.
    _groups: dict[str, frozenset[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sid: str, principal: Principal) -> None:
        with self._lock:
            self._by_sid[sid] = principal

    def remove(self, sid: str) -> Principal | None:
        with self._lock:
            self._groups.pop(sid, None)
            return self._by_sid.pop(sid, None)

    def regroup(self, sid: str, groups: frozenset[str]) -> tuple[set[str], set[str]]:
        """The socket's group rooms are now `groups`: the rooms it left, and entered."""
        with self._lock:
            before = self._groups.get(sid, frozenset())
            if groups:
                self._groups[sid] = groups
            else:
                self._groups.pop(sid, None)
        return set(before - groups), set(groups - before)

    def get(self, sid: str) -> Principal | None:
        return self._by_sid.get(sid)

    def replace(self, sid: str, principal: Principal) -> None:
        with self._lock:
            if sid in self._by_sid:
                self._by_sid[sid] = principal

    def matching(self, matches: Callable[[Principal], bool]) -> list[str]:
        with self._lock:
            return [s for s, p in self._by_sid.items() if matches(p)]

    def sids_of_participant(self, participant_id: int) -> list[str]:
        with self._lock:
            return [s for s, p in self._by_sid.items() if p.participant_id == participant_id]

    def here(self, workshop_id: int) -> Here:
        with self._lock:
            sockets = [p for p in self._by_sid.values() if p.workshop_id == workshop_id]
        return Here(
            participants={
                p.participant_id: p.language or ""
                for p in sockets
                if p.kind == "participant" and p.participant_id is not None
            },
            moderators=frozenset(
                p.user_id for p in sockets if p.kind == "moderator" and p.user_id is not None
            ),
            displays=sum(1 for p in sockets if p.kind == "display"),
        )

    def workshops(self) -> set[int]:
        """The workshops this process has sockets of."""
        with self._lock:
            return {p.workshop_id for p in self._by_sid.values()}


connections = Connections()
