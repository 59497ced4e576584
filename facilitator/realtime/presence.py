"""Connected and joined counts for the moderators, sent at most once a second.

A join storm of a thousand phones would otherwise send a thousand updates to
every console; counts are recomputed from the source each time, never incremented.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from facilitator.agenda.models import Workshop
from facilitator.live.views import presence_view
from facilitator.participation.services import count_by_language
from facilitator.realtime.board import LocalBoard, PresenceBoard
from facilitator.realtime.connections import connections
from facilitator.realtime.rooms import moderators_room

INTERVAL_S = 1.0


class PresenceNotifier:
    def __init__(self, board: PresenceBoard) -> None:
        self.board = board  # init_realtime sets the one that fits the deployment
        self._dirty: set[int] = set()
        self._lock = threading.Lock()
        self._started = False

    def mark(self, workshop_id: int) -> None:
        with self._lock:
            self._dirty.add(workshop_id)

    def start(
        self,
        start_task: Callable[..., Any],
        sleep: Callable[[float], Any],
        flush: Callable[[], None],
    ) -> None:
        """Start the loop once per process (socketio.start_background_task / socketio.sleep)."""
        with self._lock:
            if self._started:
                return
            self._started = True

        def loop() -> None:
            while True:
                sleep(INTERVAL_S)
                flush()

        start_task(loop)

    def flush(self, factory: sessionmaker[Session], emit: Callable[..., Any]) -> None:
        self.board.renew()
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        if not dirty:
            return
        with factory() as db:
            for workshop_id in dirty:
                self.board.publish(workshop_id)
                workshop = db.get(Workshop, workshop_id)
                if workshop is None:
                    continue
                data = presence_view(
                    self.board.here(workshop_id).presence(), count_by_language(db, workshop)
                )
                emit("presence.changed", data, to=moderators_room(workshop_id))


notifier = PresenceNotifier(LocalBoard(connections))
