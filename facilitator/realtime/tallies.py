"""Coalesced tallies: counts sent at most a few times a second, whatever the event rate.

A join storm of a thousand phones, or a room answering a poll, would otherwise send a
thousand updates to every console. A feature marks a (tally, workshop) dirty; one loop
per process recomputes each dirty tally from the source (rule 6: counted, never
incremented) and sends it once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

INTERVAL_S = 0.25
PHONE_PACE_S = 1.0  # counts a phone needs to see move, not animate (`Feature.tally(every=)`)


class Tallies:
    def __init__(self) -> None:
        self._dirty: set[tuple[str, int]] = set()
        self._connections_changed: set[int] = set()
        self._lock = threading.Lock()
        self._started = False

    def mark(self, tally: str, workshop_id: int) -> None:
        with self._lock:
            self._dirty.add((tally, workshop_id))

    def mark_connection(self, workshop_id: int, tallies: list[str]) -> None:
        """A socket of the workshop came or went: recount the tallies that depend on it."""
        with self._lock:
            self._connections_changed.add(workshop_id)
            self._dirty.update((tally, workshop_id) for tally in tallies)

    def take(self) -> tuple[set[tuple[str, int]], set[int]]:
        """What to send now, and the workshops whose sockets changed; both emptied."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            changed, self._connections_changed = self._connections_changed, set()
        return dirty, changed

    def start(
        self,
        start_task: Callable[..., Any],
        sleep: Callable[[float], Any],
        flush: Callable[[], None],
    ) -> None:
        """Start the loop once per app (socketio.start_background_task / socketio.sleep)."""
        with self._lock:
            if self._started:
                return
            self._started = True

        def loop() -> None:
            while True:
                sleep(INTERVAL_S)
                flush()

        start_task(loop)
