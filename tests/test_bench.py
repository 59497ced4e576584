"""`facilitator bench` on a small crowd: the real server, real clients, one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from facilitator.bench import storm as bench

KEYS = {
    "participants",
    "async_mode",
    "join_failures",
    "connect_p95_ms",
    "fanout_p50_ms",
    "fanout_p95_ms",
    "rss_per_participant_kib",
    "lost_events",
    "duplicate_events",
    "actions",
    "duration_s",
    "join_p95_ms",
    "server_rss_kib",
}


def test_a_small_crowd_gets_every_event_once() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "facilitator",
            "bench",
            "--participants",
            "20",
            "--duration",
            "3",
            "--async-mode",
            "eventlet",
            "--workers",
            "1",
            "--ramp",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one JSON line, progress goes to stderr
    result = json.loads(lines[0])
    assert set(result) >= KEYS
    assert result["participants"] == 20
    assert result["async_mode"] == "eventlet"
    assert result["join_failures"] == 0
    assert result["lost_events"] == 0
    assert result["duplicate_events"] == 0
    assert result["display_lost_events"] == 0
    assert result["actions"] >= 3  # live.start, then about one a second
    assert result["fanout_p95_ms"] > 0
    assert result["connect_p95_ms"] > 0


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_floor_storms_a_server_that_does_nothing(mode: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "facilitator",
            "bench",
            "--floor",
            "--participants",
            "20",
            "--ramp",
            "1",
            "--workers",
            "1",
            "--async-mode",
            mode,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["floor"] is True
    assert result["async_mode"] == mode
    assert result["join_failures"] == 0, result["errors"]
    assert result["connect_p95_ms"] > 0


def test_a_server_that_does_not_start_fails_the_bench(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "prepare", lambda *_args: {})  # no database needed to fail
    options = bench.Options(
        participants=1,
        duration_s=1,
        server_command=[sys.executable, "-c", "import sys; sys.exit(3)"],
    )
    with pytest.raises(bench.BenchError, match="exited with 3"):
        bench.run(options)


def test_the_storm_is_the_same_for_a_seed_and_bunches_up() -> None:
    moments = bench.arrivals(1000, 10.0, seed=7)
    assert moments == bench.arrivals(1000, 10.0, seed=7)
    assert moments != bench.arrivals(1000, 10.0, seed=8)
    assert all(0.0 <= m <= 10.0 for m in moments)
    per_second = [sum(1 for m in moments if s <= m < s + 1) for s in range(10)]
    assert max(per_second) > 100 > min(per_second)  # random, not one phone every 10 ms
    assert bench.arrivals(5, 0.0, seed=7) == [0.0] * 5  # everyone in the same instant


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert bench.percentile(values, 0.5) == 10
    assert bench.percentile(values, 0.95) == 19
    assert bench.percentile([], 0.95) is None


def test_participants_come_from_every_loopback_address_but_the_staff_one() -> None:
    addresses = bench.addresses(1000)
    assert "127.0.0.1" not in addresses
    assert addresses[0] == "127.0.0.2" and "127.0.0.254" in addresses
    assert max(addresses.count(a) for a in set(addresses)) == 4  # within JOIN_RATE_LIMIT
