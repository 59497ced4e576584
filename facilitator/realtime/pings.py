"""One loop sends every socket's Engine.IO pings.

Between two pings, python-engineio parks a sleeping green thread per connection
(`Socket.schedule_ping` starts `_send_ping`, which sleeps `ping_interval`). At a
thousand phones that is a thousand green threads of about 7 KiB each
(docs/performance.md). Here a socket waiting for its next ping is one entry in a
queue, and one loop, waking every second, sends the pings that are due: the same
packet, at most a second late, far inside the client's ping timeout.

Servers without a scheduler keep engineio's own behaviour.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

import engineio
import engineio.socket
from engineio import packet

log = logging.getLogger(__name__)

TICK_S = 1.0

_schedulers: weakref.WeakKeyDictionary[Any, PingScheduler] = weakref.WeakKeyDictionary()
_engineio_schedule_ping = engineio.socket.Socket.schedule_ping


class PingScheduler:
    """Due pings in the order they were scheduled: with one interval, that is due order."""

    def __init__(
        self,
        interval_s: float,
        start_task: Callable[..., Any],
        sleep: Callable[[float], Any],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval_s = interval_s
        self._start_task = start_task
        self._sleep = sleep
        self._clock = clock
        self._due: deque[tuple[float, Any]] = deque()
        self._lock = threading.Lock()
        self._started = False

    def schedule(self, socket: Any) -> None:
        """engineio's rule: a new ping only once the previous one was answered (or first)."""
        if not socket.last_ping:
            return
        socket.last_ping = None
        self._due.append((self._clock() + self.interval_s, socket))
        self._start()

    def send_due(self) -> int:
        """Send every ping that is due; the number sent."""
        now = self._clock()
        sent = 0
        while self._due and self._due[0][0] <= now:
            _when, socket = self._due.popleft()
            if socket.closing or socket.closed:
                continue
            socket.last_ping = time.time()  # engineio times its ping timeout on the wall clock
            try:
                socket.send(packet.Packet(packet.PING))
            except Exception:  # a socket closing under us; the others still get theirs
                log.debug("ping to %s not sent", socket.sid, exc_info=True)
                continue
            sent += 1
        return sent

    def pending(self) -> int:
        return len(self._due)

    def _start(self) -> None:
        # Started by the first connection, not at init: the CLI builds apps that never serve.
        with self._lock:
            if self._started:
                return
            self._started = True
        self._start_task(self._loop)

    def _loop(self) -> None:
        while True:
            self._sleep(TICK_S)
            try:
                self.send_due()
            except Exception:  # never let the one pinger die
                log.exception("sending pings failed")


def _schedule_ping(socket: engineio.socket.Socket) -> None:
    scheduler = _schedulers.get(socket.server)
    if scheduler is None:
        _engineio_schedule_ping(socket)
    else:
        scheduler.schedule(socket)


def install(
    server: engineio.Server, start_task: Callable[..., Any], sleep: Callable[[float], Any]
) -> PingScheduler:
    """Let one scheduler send this Engine.IO server's pings."""
    scheduler = PingScheduler(server.ping_interval, start_task, sleep)
    _schedulers[server] = scheduler
    engineio.socket.Socket.schedule_ping = _schedule_ping
    return scheduler
