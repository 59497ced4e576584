"""Where rate-limit counts live in one process: `limits`' memory storage, swept calmly.

`limits.storage.MemoryStorage` expires old counts from a timer thread that it
starts again 10 ms after each hit while hits come, and each run scans every key.
During a join storm that is a hundred scans a second of every phone's and every
address's counts (a tenth of the server's CPU with a thousand phones), and under
eventlet and gevent each new thread also leaves a thread record on the green
thread that started it (the request's, which lives on as the phone's websocket
when the connection is reused): about a kilobyte a phone (docs/performance.md).
This storage expires from one long-lived thread, every five seconds (a scan of a room's
counts is a few milliseconds; reads ignore an expired count anyway, so the sweep only
keeps memory in check); counts are the library's, and so is every strategy on top.

Also here: the limits that are not per address (`Throttles`), counted in the same
store as Flask-Limiter's.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerSecond, parse
from limits._storage_scheme import SCHEMES
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

SCHEME = "swept-memory"
SWEEP_EVERY_S = 5.0


class SweptMemoryStorage(MemoryStorage):
    # No STORAGE_SCHEME in the body: limits' metaclass would register the class as it is
    # defined, an import side effect; `register()` does it when the app is built.

    def __init__(self, uri: str | None = None, **options: Any) -> None:
        self._sweeper: threading.Thread | None = None
        self._sweeper_lock = threading.Lock()
        super().__init__(uri, **options)

    # The base class's private hook, called on every hit (name-mangled: MemoryStorage's
    # own `__schedule_expiry`); tests/test_ratelimits.py fails if limits renames it.
    def _MemoryStorage__schedule_expiry(self) -> None:
        if self._sweeper is not None:
            return
        with self._sweeper_lock:
            if self._sweeper is None:
                self._sweeper = threading.Thread(
                    target=self._sweep_forever, name="rate-limit sweeper", daemon=True
                )
                self._sweeper.start()

    def _sweep_forever(self) -> None:
        while True:
            time.sleep(SWEEP_EVERY_S)
            try:
                self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
            except Exception:  # never let the one sweeper die
                log.exception("expiring rate-limit counts failed")


def register() -> None:
    """Make `swept-memory://` known to `limits.storage.storage_from_string`.

    What limits' metaclass does for a class that declares STORAGE_SCHEME; the registry
    is private to limits, so tests/test_ratelimits.py checks this in a fresh process.
    """
    SweptMemoryStorage.STORAGE_SCHEME = [SCHEME]
    SCHEMES[SCHEME] = SweptMemoryStorage


# --- limits that are not per address ------------------------------------------------------

# Failures for one account, counted over an hour from the first: a counter whose hits
# are never refused.
_LOGIN_FAILURES = RateLimitItemPerHour(1_000_000)
EXTENSION_KEY = "facilitator.throttles"


def login_delay(failures: int, *, free: int, ceiling: int) -> int:
    """Seconds an account waits after `failures` wrong passwords: 0, then 1, 2, 4… up to `ceiling`.

    Growing, never endless: an attacker who keeps guessing cannot lock the real user
    out for longer than `ceiling` at a time.
    """
    if failures < free:
        return 0
    return min(1 << min(failures - free, 62), ceiling)


def _account_key(email: str) -> str:
    # A digest, so that the shared store holds no e-mail addresses.
    return hashlib.sha256(email.encode()).hexdigest()


class Throttles:
    """One app's per-account login throttle and server-wide ceiling on wrong join codes.

    Counted with `limits` in the store `throttle_storage` picks: several workers
    pointed at one Redis share them. `namespace` keeps deployments apart.
    """

    def __init__(
        self,
        storage_uri: str,
        namespace: str,
        *,
        free_failures: int,
        max_delay_s: int,
        wrong_codes: str,
        enabled: bool = True,
    ) -> None:
        self._limiter = FixedWindowRateLimiter(storage_from_string(storage_uri))
        self._namespace = namespace
        self._free = free_failures
        self._ceiling = max_delay_s
        self._wrong_codes: RateLimitItem = parse(wrong_codes)
        self.enabled = enabled

    # A lock of `delay` seconds is one hit on "1 per `delay` seconds", made at the failure
    # that earned it; the window starts at that hit.
    @staticmethod
    def _lock(delay: int) -> RateLimitItem:
        return RateLimitItemPerSecond(1, delay)

    def _failures(self, key: str) -> int:
        stats = self._limiter.get_window_stats(_LOGIN_FAILURES, self._namespace, "login", key)
        return int(_LOGIN_FAILURES.amount - stats.remaining)

    def login_wait(self, email: str) -> int:
        """Seconds before this account may try a password again; 0 when it may now."""
        if not self.enabled:
            return 0
        key = _account_key(email)
        delay = login_delay(self._failures(key), free=self._free, ceiling=self._ceiling)
        if not delay:
            return 0
        lock = self._lock(delay)
        if self._limiter.test(lock, self._namespace, "login-lock", key):
            return 0
        reset = self._limiter.get_window_stats(lock, self._namespace, "login-lock", key).reset_time
        return max(1, math.ceil(reset - time.time()))

    def login_failed(self, email: str) -> None:
        if not self.enabled:
            return
        key = _account_key(email)
        self._limiter.hit(_LOGIN_FAILURES, self._namespace, "login", key)
        delay = login_delay(self._failures(key), free=self._free, ceiling=self._ceiling)
        if delay:
            self._limiter.hit(self._lock(delay), self._namespace, "login-lock", key)

    def login_succeeded(self, email: str) -> None:
        if self.enabled:
            self._limiter.clear(_LOGIN_FAILURES, self._namespace, "login", _account_key(email))

    def wrong_code_wait(self) -> int:
        """Seconds before anyone may look a code up again; 0 below the ceiling.

        Asked before every lookup: past the ceiling even a right code is refused, or
        the answer would still tell a guesser which code is right.
        """
        if not self.enabled or self._limiter.test(self._wrong_codes, self._namespace, "codes"):
            return 0
        reset = self._limiter.get_window_stats(self._wrong_codes, self._namespace, "codes")
        return max(1, math.ceil(reset.reset_time - time.time()))

    def wrong_code(self) -> None:
        if self.enabled:
            self._limiter.hit(self._wrong_codes, self._namespace, "codes")


def throttle_storage(config: Mapping[str, Any]) -> str:
    """Where the throttles count: the rate-limit store when one was chosen, else the workers'
    Redis when they are joined by one (as the socket limits are), else this process."""
    chosen = str(config.get("RATELIMIT_STORAGE_URI") or f"{SCHEME}://")
    queue = str(config.get("MESSAGE_QUEUE") or "")
    if chosen == f"{SCHEME}://" and queue.startswith(("redis://", "rediss://")):
        return queue
    return chosen


def init_throttles(app: Flask) -> None:
    config = app.config
    app.extensions[EXTENSION_KEY] = Throttles(
        throttle_storage(config),
        config["MESSAGE_QUEUE_CHANNEL"],
        free_failures=int(config["LOGIN_FREE_FAILURES"]),
        max_delay_s=int(config["LOGIN_MAX_DELAY_SECONDS"]),
        wrong_codes=str(config["WRONG_JOIN_CODE_RATE"]),
        enabled=bool(config.get("RATELIMIT_ENABLED", True)),
    )


def throttles(app: Flask) -> Throttles:
    found: Throttles = app.extensions[EXTENSION_KEY]
    return found
