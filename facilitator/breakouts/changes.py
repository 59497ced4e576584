"""Domain events of breakouts: what changed, for events.py to put on the wire."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RoundChanged:
    """The round's public view changed (state, timer, gallery, counts…); `members`: its
    groups or who is in them changed too (the moderators' forming view)."""

    workshop_id: int
    round_id: int
    members: bool = False


@dataclass(frozen=True)
class GroupChanged:
    """One group's detail changed: name, blocks, link, rapporteur, members, phase, timer."""

    workshop_id: int
    group_id: int


@dataclass(frozen=True)
class Moved:
    """A participant now follows another group (or none): their screens resync, at a
    random moment within `spread_ms` (0: at once)."""

    workshop_id: int
    participant_id: int
    group_id: int | None
    spread_ms: int = 0


@dataclass(frozen=True)
class MessageSent:
    workshop_id: int
    message_id: int


@dataclass(frozen=True)
class HelpChanged:
    """A member called the moderator, or a moderator answered."""

    workshop_id: int
    request_id: int


@dataclass(frozen=True)
class ReportChanged:
    """The group presented in report-back changed (or report-back stopped)."""

    workshop_id: int
    round_id: int
