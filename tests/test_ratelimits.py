"""Rate-limit counts in one process (facilitator/ratelimits.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from facilitator import ratelimits
from facilitator.ratelimits import SweptMemoryStorage
from facilitator.realtime.connections import Principal
from facilitator.realtime.limits import SenderLimits


def test_limits_still_calls_the_hook_this_storage_replaces() -> None:
    # If limits renames its private hook, hits would start timer threads again.
    assert hasattr(MemoryStorage, "_MemoryStorage__schedule_expiry")
    assert hasattr(MemoryStorage, "_MemoryStorage__expire_events")


# In a fresh process: in this one, any app built earlier has registered the scheme.
REGISTER = """
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from facilitator import ratelimits
try:
    storage_from_string("swept-memory://")
except ConfigurationError:
    print("unknown before")
ratelimits.register()
print(type(storage_from_string("swept-memory://")).__name__)
"""


def test_register_makes_the_scheme_known_and_importing_does_not() -> None:
    result = subprocess.run(
        [sys.executable, "-c", REGISTER], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["unknown", "before", "SweptMemoryStorage"], result.stderr
    ratelimits.register()
    assert isinstance(storage_from_string("swept-memory://"), SweptMemoryStorage)


def test_hits_start_one_sweeper_and_no_timer_threads() -> None:
    storage = SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    before = threading.active_count()
    for n in range(200):
        limiter.hit(parse("5/minute"), "socket", f"p:{n % 20}")
    assert threading.active_count() <= before + 1  # the sweeper, at most


@pytest.mark.slow  # waits out two one-second windows
def test_counts_expire_and_limits_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimits, "SWEEP_EVERY_S", 0.05)
    storage = SweptMemoryStorage()
    fixed = FixedWindowRateLimiter(storage)
    two_a_second = parse("2/second")
    assert [fixed.hit(two_a_second, "join", "10.0.0.1") for _ in range(3)] == [True, True, False]
    assert fixed.hit(two_a_second, "join", "10.0.0.2")  # another address has its own
    time.sleep(1.2)
    assert fixed.hit(two_a_second, "join", "10.0.0.1")  # the window passed
    moving = MovingWindowRateLimiter(storage)
    moving.hit(parse("1/second"), "socket", "p:9")
    assert any(storage.events.values())
    time.sleep(1.2)  # the sweeper drops the expired entry
    assert not any(storage.events.values())


def test_staff_have_a_larger_allowance_than_phones() -> None:
    ratelimits.register()  # their default storage, as create_app() makes it known
    limits = SenderLimits(participant="2/minute", staff="4/minute")
    phone = Principal("participant", 1, participant_id=7)
    console = Principal("moderator", 1, user_id=3)
    assert [limits.allow(phone) for _ in range(3)] == [True, True, False]
    assert [limits.allow(console) for _ in range(5)] == [True, True, True, True, False]
