"""The breakouts feature's realtime declarations are made on this one object: forming and
running in `events.py`, who follows which group, the renders and the snapshot in
`following.py`, the boards in `board_events.py`."""

from __future__ import annotations

from facilitator.realtime.registry import Feature

feature = Feature("breakouts")
