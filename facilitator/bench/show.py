"""The run of show: the moderator's actions, one a second, and what they cost to fan out.

The same actions at the same moments for the app and for the floor, so their fan-out
compares like for like (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from facilitator.bench.options import (
    ACK_TIMEOUT_S,
    ACTION_INTERVAL_S,
    COLLECT_WAIT_S,
    BenchError,
    cpu_s,
    percentile,
    rounded,
)
from facilitator.bench.screens import Screen
from facilitator.bench.streams import Key, label
from facilitator.bench.workers import Worker


@dataclass(frozen=True)
class Action:
    event: str
    key: Key  # the (stream, seq) of the live.state it caused
    emitted: float  # time.monotonic() just before the emit


@dataclass(frozen=True)
class Show:
    actions: list[Action]
    begun: float  # time.monotonic() of the first emit
    ended: float  # when the last action's interval was over
    server_cpu_s: float


def plan() -> Iterator[tuple[str, dict[str, Any]]]:
    """live.start, then the timer and the program by turns; back to the first item at the end."""
    yield "live.start", {}
    minutes = 1
    while True:
        yield "timer.adjust", {"minutes": minutes}
        minutes = -minutes
        yield "live.next", {}
        yield "timer.pause", {}
        yield "timer.resume", {}


async def act(moderator: Screen, event: str, payload: dict[str, Any]) -> Action:
    """Emit one mutation, wait for its ack and for the live.state that numbers it."""
    if moderator.gone:
        raise BenchError(moderator.gone)
    before = moderator.states
    moderator.changed.clear()
    emitted = time.monotonic()
    answer = await moderator.client.call(
        event, {"cid": str(uuid.uuid4()), **payload}, timeout=ACK_TIMEOUT_S
    )
    if not isinstance(answer, dict) or not answer.get("ok"):
        raise BenchError(f"{event} was refused: {answer}")
    deadline = time.monotonic() + ACK_TIMEOUT_S
    while moderator.states <= before:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BenchError(f"no live.state after {event}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(moderator.changed.wait(), left)
        moderator.changed.clear()
    assert moderator.last_state is not None
    return Action(event, moderator.last_state, emitted)


async def drive(moderator: Screen, items: list[str], duration_s: float, pid: int) -> Show:
    """One action a second for duration_s; the server's CPU (pid) is counted over exactly
    this span, the run-of-show phase."""
    actions: list[Action] = []
    cpu_before = cpu_s(pid)
    begun = time.monotonic()
    steps = plan()
    while time.monotonic() - begun < duration_s:
        event, payload = next(steps)
        if event == "live.start" and moderator.item is not None:
            event, payload = "live.next", {}  # an earlier phase started the run already
        if event == "live.next" and moderator.item == items[-1]:
            event, payload = "live.goto", {"item": items[0]}
        actions.append(await act(moderator, event, payload))
        wake = begun + len(actions) * ACTION_INTERVAL_S
        await asyncio.sleep(max(0.0, wake - time.monotonic()))
    return Show(actions, begun, time.monotonic(), cpu_s(pid) - cpu_before)


def show_figures(show: Show, reports: list[dict[str, Any]], display: Screen) -> dict[str, Any]:
    """Fan-out times, losses, and the server's CPU per event delivered to a phone."""
    fanout_ms: list[float] = []
    for action in show.actions:
        name = label(action.key)
        last = [r["last_ms"][name] for r in reports if name in r["last_ms"]]
        if last:
            fanout_ms.append(max(last) - action.emitted * 1000)
    deliveries = sum(r["deliveries"] for r in reports)
    sizes = [r["event_bytes"] for r in reports if r.get("event_bytes")]
    return {
        "fanout_p50_ms": rounded(percentile(fanout_ms, 0.5)),
        "fanout_p95_ms": rounded(percentile(fanout_ms, 0.95)),
        "fanout_max_ms": rounded(max(fanout_ms, default=None)),
        "lost_events": sum(r["lost"] for r in reports),
        "duplicate_events": sum(r["duplicates"] for r in reports),
        # The projector counts too: it must miss nothing either.
        "display_lost_events": sum(1 for a in show.actions if a.key not in display.keys),
        "disconnects": sum(r["disconnects"] for r in reports),
        "actions": len(show.actions),
        "deliveries": deliveries,
        "event_bytes": max(sizes, default=None),
        "server_cpu_s": round(show.server_cpu_s, 2),
        "server_cpu_us_per_delivery": (
            round(show.server_cpu_s * 1e6 / deliveries, 1) if deliveries else None
        ),
    }


async def collect_show(workers: list[Worker], show: Show, display: Screen) -> dict[str, Any]:
    """Every phone's report of the run of show, and its figures."""
    order = {
        "expect": [label(a.key) for a in show.actions],
        "wait_s": COLLECT_WAIT_S,
        "window": [show.begun, show.ended],
    }
    for worker in workers:
        await worker.send(order)
    reports = [await w.receive("report", COLLECT_WAIT_S + 30) for w in workers]
    figures = show_figures(show, reports, display)
    figures["show_lost_events"] = figures.pop("lost_events")
    figures["show_duplicate_events"] = figures.pop("duplicate_events")
    return figures
