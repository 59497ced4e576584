"""The breakout phase (issue 11): 1,000 phones in 50 groups of 20 write on their boards.

The moderator forms the groups (`breakouts.preview`, random, `--groups` groups on the
guideline blocks in turn), opens them (`breakouts.open`: each phone gets
`breakouts.moved` and answers with `live.sync`, which puts its socket in its group's
room) and sets every group's phase to `vote`. Then for `--breakout-seconds` each phone
adds or edits a card about every 5 s and, every other time, puts a dot on a card of its
group or takes one back (bench/boards.py), while the moderator runs the show as in the
run-of-show phase, one action a second, so that its fan-out is measured beside the boards.

Measured, from outside: each card written (added or edited) from its emit until the
**last** member of its group has that version (`breakouts.card`); the events a phone
received on another group's stream; card versions a member never received, and gaps or
repeats in the group streams; and the run of show's figures during the phase.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import socketio

from facilitator.bench.answers import mutate
from facilitator.bench.options import BenchError, Options, cpu_s, note, percentile, rounded
from facilitator.bench.screens import Screen
from facilitator.bench.servers import block_keys
from facilitator.bench.show import Show, collect_show, drive
from facilitator.bench.workers import Worker

PLACE_WAIT_S = 60.0
REPORT_WAIT_S = 15.0


async def ask(workers: list[Worker], order: dict[str, Any], timeout: float) -> list[dict[str, Any]]:
    """One step of the phase in every worker; their answers."""
    for worker in workers:
        await worker.send({"do": "boards", **order})
    return [await w.receive("boards", timeout) for w in workers]


async def form(moderator: Screen, workers: list[Worker], groups: int) -> dict[str, Any]:
    """Groups formed, opened, every phone in its group's room, phase `vote`."""
    await ask(workers, {"step": "listen"}, 30)
    await mutate(
        moderator, "breakouts.preview", {"mode": "random", "groups": groups, "blocks": block_keys()}
    )
    opened = time.monotonic()
    await mutate(moderator, "breakouts.open", {})
    placed = await ask(workers, {"step": "placed", "wait_s": PLACE_WAIT_S}, PLACE_WAIT_S + 30)
    place_s = time.monotonic() - opened
    await mutate(moderator, "breakouts.phase", {"phase": "vote"})
    return {
        "breakout_placed": sum(p["placed"] for p in placed),
        "breakout_unplaced": sum(p["unplaced"] for p in placed),
        "breakout_place_s": round(place_s, 2),
    }


def board_figures(edits: list[list[Any]], reports: list[dict[str, Any]]) -> dict[str, Any]:
    members: Counter[str] = Counter()
    arrivals: dict[str, list[float]] = {}
    for r in reports:
        members.update(r["members"])
        for key, (count, last) in r["arrivals"].items():
            entry = arrivals.setdefault(key, [0, 0.0])
            entry[0] += count
            entry[1] = max(entry[1], last)
    latency_ms: list[float] = []
    # The writer's own acknowledgement: the server's part of the latency (its queue and
    # its batch), before any member's copy is sent.
    ack_ms = [(acked - submitted) * 1000 for *_, submitted, acked in edits]
    lost = 0
    for card, version, group, submitted, _acked in edits:
        count, last = arrivals.get(f"{card}:{version}", (0, 0.0))
        expected = members[str(group)]
        lost += max(0, expected - int(count))
        if count >= expected:
            latency_ms.append((last - submitted) * 1000)
    sizes = list(members.values())
    return {
        "board_edit_to_members_p50_ms": rounded(percentile(latency_ms, 0.5)),
        "board_edit_to_members_p95_ms": rounded(percentile(latency_ms, 0.95)),
        "board_edit_to_members_max_ms": rounded(max(latency_ms, default=None)),
        "board_edit_to_ack_p50_ms": rounded(percentile(ack_ms, 0.5)),
        "board_edit_to_ack_p95_ms": rounded(percentile(ack_ms, 0.95)),
        "cross_group_deliveries": sum(r["cross_group"] for r in reports),
        "board_lost": lost + sum(r["gaps"] for r in reports),
        "board_duplicates": sum(r["duplicates"] for r in reports),
        "breakout_groups": len(sizes),
        "breakout_group_size_min": min(sizes, default=None),
        "breakout_group_size_max": max(sizes, default=None),
        "board_disconnects": sum(r["disconnects"] for r in reports),
    }


async def run(
    moderator: Screen,
    display: Screen,
    workers: list[Worker],
    items: list[str],
    options: Options,
    pid: int,
) -> dict[str, Any]:
    figures = await form(moderator, workers, options.groups)
    seconds = options.breakout_s
    note(f"{figures['breakout_placed']} phones in {options.groups} groups write for {seconds:g} s")
    start = time.monotonic() + 0.5
    cpu_before = cpu_s(pid)
    for worker in workers:
        await worker.send({"do": "boards", "step": "write", "start": start, "seconds": seconds})
    show: Show | None = None
    show_error = None
    try:  # the run of show goes on meanwhile
        show = await drive(moderator, items, seconds, pid)
    except (BenchError, socketio.exceptions.SocketIOError) as exc:
        # An action the server did not acknowledge within ACK_TIMEOUT_S: say so, and
        # still measure the boards (the phones go on writing until their time is up).
        show_error = f"{type(exc).__name__}: {exc}"
        note(f"the run of show beside the boards stopped: {show_error}")
    written = [await w.receive("boards", seconds + 120) for w in workers]
    cpu = cpu_s(pid) - cpu_before
    edits = [e for w in written for e in w["edits"]]
    expect = [[card, version, group] for card, version, group, *_ in edits]
    reports = await ask(
        workers, {"step": "report", "expect": expect, "wait_s": REPORT_WAIT_S}, REPORT_WAIT_S + 60
    )
    refused: Counter[str] = Counter()
    for w in written:
        refused.update(w["refused"])
    during = {} if show is None else await collect_show(workers, show, display)
    span = max((e[4] for e in edits), default=start) - start
    return {
        **figures,
        "board_edits": len(edits),
        "board_edits_per_s": rounded(len(edits) / span, 1) if span > 0 else None,
        "board_votes": sum(w["votes"] for w in written),
        "board_refused": dict(refused),
        **board_figures(edits, reports),
        "board_server_cpu_s": round(cpu, 2),
        "breakout_seconds": seconds,
        # The run of show beside the boards: the live issue's targets still hold?
        **{f"breakout_{k}": v for k, v in during.items() if k in SHOW_KEYS},
        "breakout_show_error": show_error,
    }


SHOW_KEYS = (
    "fanout_p50_ms",
    "fanout_p95_ms",
    "fanout_max_ms",
    "show_lost_events",
    "show_duplicate_events",
    "display_lost_events",
    "actions",
)
