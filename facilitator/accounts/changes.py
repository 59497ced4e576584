"""Domain events of accounts, for the screens and sockets they concern."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccessRevoked:
    """A user's role in a workshop was taken away: their open sockets there must close."""

    workshop_id: int
    user_id: int
