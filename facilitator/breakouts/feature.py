"""The breakouts feature's realtime declarations are made on this one object: forming and
running in `events.py`, the boards in `board_events.py`."""

from __future__ import annotations

from facilitator.realtime.registry import Feature

feature = Feature("breakouts")
