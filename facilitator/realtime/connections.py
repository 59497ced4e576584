"""Who is behind each socket of this process, and who is connected now."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["moderator", "participant", "display"]


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


@dataclass
class Connections:
    """Process-local: with several workers each keeps its own sockets (sticky sessions)."""

    _by_sid: dict[str, Principal] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sid: str, principal: Principal) -> None:
        with self._lock:
            self._by_sid[sid] = principal

    def remove(self, sid: str) -> Principal | None:
        with self._lock:
            return self._by_sid.pop(sid, None)

    def get(self, sid: str) -> Principal | None:
        return self._by_sid.get(sid)

    def replace(self, sid: str, principal: Principal) -> None:
        with self._lock:
            if sid in self._by_sid:
                self._by_sid[sid] = principal

    def sids_of_participant(self, participant_id: int) -> list[str]:
        with self._lock:
            return [s for s, p in self._by_sid.items() if p.participant_id == participant_id]

    def presence(self, workshop_id: int) -> Presence:
        """A participant on two devices counts once."""
        with self._lock:
            here = [p for p in self._by_sid.values() if p.workshop_id == workshop_id]
        people = {p.participant_id: p.language for p in here if p.kind == "participant"}
        return Presence(
            participants=len(people),
            by_language=dict(Counter(language or "" for language in people.values())),
            moderators=len({p.user_id for p in here if p.kind == "moderator"}),
            displays=sum(1 for p in here if p.kind == "display"),
        )

    def connected_participants(self, workshop_id: int) -> set[int]:
        with self._lock:
            return {
                p.participant_id
                for p in self._by_sid.values()
                if p.workshop_id == workshop_id and p.participant_id is not None
            }


connections = Connections()
