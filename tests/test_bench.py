"""`facilitator bench` on a small crowd: the real server, real clients, one JSON line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from facilitator.bench import storm as bench
from facilitator.bench.floor import Live
from facilitator.bench.streams import event_key, parse, snapshot_streams

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
    "server_cpu_us_per_delivery",
    "deliveries",
    "event_bytes",
}


def bench_line(*args: str) -> dict[str, object]:
    """Run `facilitator bench` with these arguments; its one JSON line."""
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", "bench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one JSON line, progress goes to stderr
    result: dict[str, object] = json.loads(lines[0])
    return result


@pytest.mark.slow
def test_a_small_crowd_gets_every_event_once() -> None:
    result = bench_line(
        *("--participants", "20", "--duration", "3", "--async-mode", "eventlet"),
        *("--workers", "1", "--ramp", "1", "--phase", "show"),
    )
    assert set(result) >= KEYS
    assert result["phases"] == ["show"]
    assert result["floor"] is False
    assert result["participants"] == 20
    assert result["async_mode"] == "eventlet"
    assert result["join_failures"] == 0
    assert result["lost_events"] == 0
    assert result["duplicate_events"] == 0
    assert result["display_lost_events"] == 0
    actions = result["actions"]
    assert isinstance(actions, int) and actions >= 3  # live.start, then about one a second
    # One live.state per action to every phone; besides, the questions' two tallies (open
    # questions, revealed results) reach each phone once, the first time they are counted:
    # a tally is sent again only when it changes.
    assert 20 * actions <= result["deliveries"] <= 20 * (actions + 2)
    assert result["fanout_p95_ms"] > 0  # type: ignore[operator]
    assert result["connect_p95_ms"] > 0  # type: ignore[operator]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_floor_runs_the_same_show_on_a_server_that_does_nothing(mode: str) -> None:
    result = bench_line(
        *("--floor", "--participants", "20", "--duration", "3", "--ramp", "1"),
        *("--workers", "1", "--async-mode", mode),
    )
    assert set(result) >= KEYS
    assert result["floor"] is True
    assert result["async_mode"] == mode
    assert result["join_failures"] == 0, result["errors"]
    assert result["connect_p95_ms"] > 0  # type: ignore[operator]
    assert result["ready_p95_ms"] > 0  # type: ignore[operator]  # it answers live.sync
    actions = result["actions"]
    assert isinstance(actions, int) and actions >= 3
    assert result["lost_events"] == result["duplicate_events"] == 0
    assert result["display_lost_events"] == 0
    assert result["deliveries"] == 20 * actions
    cost = result["server_cpu_us_per_delivery"]
    assert isinstance(cost, float) and cost >= 0  # CPU ticks are 10 ms: a small show may be 0
    # The app's live.state, near enough: its live view, server_ms, stream and seq.
    assert 200 < result["event_bytes"] < 400  # type: ignore[operator]


def test_the_floor_runs_the_show_as_the_app_would() -> None:
    items = [
        {"id": "a", "start_ms": 0, "end_ms": 300_000},
        {"id": "b", "start_ms": 300_000, "end_ms": 600_000},
    ]
    live = Live(items, shift_days=3)
    assert live.apply("timer.pause", {}) == "not_running"
    assert live.apply("live.start", {}) is None
    assert live.view()["item"] == "a" and live.view()["timer"]["duration_s"] == 300
    assert live.apply("live.start", {}) == "already_started"
    assert live.apply("timer.adjust", {"minutes": 1}) is None
    assert live.view()["timer"]["duration_s"] == 360
    assert live.apply("timer.pause", {}) is None
    assert live.view()["timer"]["running_since_ms"] is None
    assert live.apply("timer.pause", {}) == "timer_paused"
    assert live.apply("timer.resume", {}) is None
    assert live.apply("live.next", {}) is None and live.view()["item"] == "b"
    assert live.apply("live.next", {}) == "no_next_item"
    assert live.apply("live.goto", {"item": "a"}) is None
    assert [run["item"] for run in live.runs] == ["a", "b", "a"]
    assert set(live.view()) == {
        "phase",
        "item",
        "timer",
        "joining_locked",
        "message",
        "started_ms",
        "schedule_shift_s",
        "ended_ms",
    }


def test_events_are_followed_by_the_stream_they_name() -> None:
    assert event_key({"stream": "moderators", "seq": 4, "runs": []}) == ("moderators", 4)
    assert event_key({"seq": 7, "live": {}}) == ("workshop", 7)  # before streams: one seq
    assert event_key({"connected": {}}) is None  # presence is not sequenced
    assert event_key({"seq": True}) is None
    assert event_key(None) is None
    assert snapshot_streams({"streams": {"workshop": 3, "participant": 1}}) == {
        "workshop": 3,
        "participant": 1,
    }
    assert snapshot_streams({"seq": 5}) == {"workshop": 5}
    assert snapshot_streams({}) == {}
    assert parse("workshop:12") == ("workshop", 12)


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


def test_the_bench_modules_each_keep_to_one_job() -> None:
    package = Path(bench.__file__).parent
    sizes = {p.name: len(p.read_text().splitlines()) for p in package.glob("*.py")}
    assert {"storm.py", "show.py", "floor.py", "phones.py", "servers.py"} <= set(sizes)
    assert max(sizes.values()) <= 400, sizes
