"""Domain events of the agenda, for the screens that show it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaLoaded:
    """A new version of the workshop's agenda was stored (an upload, say)."""

    workshop_id: int


@dataclass(frozen=True)
class WorkshopDeleted:
    """The workshop is gone: every socket of it must close."""

    workshop_id: int
