"""Domain events of the agenda, for the screens that show it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaLoaded:
    """A new version of the workshop's agenda was stored (an upload, say)."""

    workshop_id: int
