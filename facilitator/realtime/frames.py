"""Frames that do not decode, and connections that never say who they are.

python-socketio raises on a frame it cannot decode (bad JSON, an unknown packet type,
a binary packet out of place), and python-engineio logs each with a full traceback:
an unauthenticated client could fill the log at a few bytes a frame. Such a frame
has no readable id to acknowledge, so it gets no answer (docs/protocol.md): it costs
one short log line at most (rate-limited), and a connection that sends a few is
closed. An Engine.IO connection that has not connected to the namespace with a
valid `auth` within a few seconds is closed too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

MAX_BAD_FRAMES = 3
AUTH_DEADLINE_S = 10.0
LOG_EVERY_S = 1.0
SWEEP_EVERY_S = 1.0


class FrameGuard:
    def __init__(
        self,
        server: Any,  # socketio.Server
        *,
        max_bad: int = MAX_BAD_FRAMES,
        auth_deadline_s: float = AUTH_DEADLINE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._server = server
        self._max_bad = max_bad
        self._deadline_s = auth_deadline_s
        self._clock = clock
        self._bad: dict[str, int] = {}
        self._waiting: dict[str, float] = {}  # Engine.IO sid -> when it connected
        self._lock = threading.Lock()
        self._logged_at = float("-inf")
        self._unlogged = 0
        self._started = False
        self._dispatch: Callable[..., Any] = server._handle_eio_message
        self._connect: Callable[..., Any] = server._handle_eio_connect

    def install(self) -> FrameGuard:
        self._server.eio.on("message", self.on_message)
        self._server.eio.on("connect", self.on_connect)
        return self

    def on_connect(self, eio_sid: str, *args: Any) -> Any:
        with self._lock:
            self._waiting[eio_sid] = self._clock()
        if not self._started:
            self._started = True
            self._server.eio.start_background_task(self._loop)
        return self._connect(eio_sid, *args)

    def on_message(self, eio_sid: str, data: Any) -> None:
        try:
            self._dispatch(eio_sid, data)
        except Exception as exc:  # a frame the decoder refused: handlers themselves never raise
            self._refused(eio_sid, exc)

    def _refused(self, eio_sid: str, exc: Exception) -> None:
        with self._lock:
            count = self._bad[eio_sid] = self._bad.get(eio_sid, 0) + 1
        self._note(f"undecodable frame from {eio_sid[:8]}: {type(exc).__name__}")
        if count >= self._max_bad:
            self._close(eio_sid)

    def _note(self, line: str) -> None:
        """One short line a second at most, with how many were left out."""
        now = self._clock()
        with self._lock:
            if now - self._logged_at < LOG_EVERY_S:
                self._unlogged += 1
                return
            self._logged_at, unlogged, self._unlogged = now, self._unlogged, 0
        log.warning("%s%s", line, f" ({unlogged} more not logged)" if unlogged else "")

    def _close(self, eio_sid: str) -> None:
        with self._lock:
            self._bad.pop(eio_sid, None)
            self._waiting.pop(eio_sid, None)
        self._server.eio.disconnect(eio_sid)

    def sweep(self) -> int:
        """Close connections past the deadline without a namespace; how many were closed."""
        now = self._clock()
        with self._lock:
            waiting = list(self._waiting.items())
            self._bad = {sid: n for sid, n in self._bad.items() if sid in self._server.eio.sockets}
        closed = 0
        for eio_sid, since in waiting:
            if eio_sid not in self._server.eio.sockets or self._server.manager.sid_from_eio_sid(
                eio_sid, "/"
            ):
                with self._lock:
                    self._waiting.pop(eio_sid, None)  # gone, or said who it is
            elif now - since > self._deadline_s:
                self._note(f"closed {eio_sid[:8]}: no auth within {self._deadline_s:g} s")
                self._close(eio_sid)
                closed += 1
        return closed

    def _loop(self) -> None:
        while True:
            self._server.eio.sleep(SWEEP_EVERY_S)
            try:
                self.sweep()
            except Exception:  # never let the sweeper die
                log.exception("closing silent connections failed")
