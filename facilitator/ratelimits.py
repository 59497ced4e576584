"""Where rate-limit counts live in one process: `limits`' memory storage, swept calmly.

`limits.storage.MemoryStorage` expires old counts from a timer thread that it
starts again 10 ms after each hit while hits come, and each run scans every key.
During a join storm that is a hundred scans a second of every phone's and every
address's counts (a tenth of the server's CPU with a thousand phones), and under
eventlet and gevent each new thread also leaves a thread record on the green
thread that started it (the request's, which lives on as the phone's websocket
when the connection is reused): about a kilobyte a phone (docs/performance.md).
This storage expires from one long-lived thread, once a second; counts are the
library's, and so is every strategy on top.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from limits._storage_scheme import SCHEMES
from limits.storage import MemoryStorage

log = logging.getLogger(__name__)

SCHEME = "swept-memory"
SWEEP_EVERY_S = 1.0


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
