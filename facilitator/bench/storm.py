"""`facilitator bench`: the real server under load, measured from outside.

Starts `facilitator serve` on loopback on a fresh SQLite database holding the
2021 seed workshop (or, with `--floor`, `bench.floor`'s do-nothing server with the
same program), logs a moderator in, connects a projector, lets N participants
join and connect in a storm (each at a random moment within `ramp_s` seconds,
from its own 127.0.0.x address, so per-address limits hold as in a venue), then
runs the show for S seconds, one moderator action a second (bench/show.py), and
times every action from the moderator's emit until the last participant has the
`live.state` it caused. Then the answer phase (bench/answers.py: every phone answers a
poll) and the breakout phase (bench/breakouts.py: groups write on their boards), unless
`phases` names fewer. Participants run in worker processes (bench/phones.py);
every time is `time.monotonic()`, one clock for all processes of the machine.

The result is one JSON line; see docs/performance.md for what it means.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from facilitator.bench import answers, breakouts
from facilitator.bench.childserver import free_port, stop, tail
from facilitator.bench.options import (
    ACK_TIMEOUT_S,
    PHASES,
    SETTLE_S,
    BenchError,
    Options,
    addresses,
    arrivals,
    children_cpu_s,
    cpu_s,
    note,
    percentile,
    rss_kib,
)
from facilitator.bench.screens import Screen, connect_screen, log_in, staff_session
from facilitator.bench.servers import Server, prepare, seed_slug, start_app, start_floor
from facilitator.bench.show import collect_show, drive
from facilitator.bench.workers import Worker, start_workers, storm_figures, storm_timeout

# What `facilitator bench` (cli.py) and the tests take from here.
__all__ = [
    "PHASES",
    "BenchError",
    "Options",
    "addresses",
    "arrivals",
    "percentile",
    "prepare",
    "run",
    "run_floor",
]


async def measure(
    options: Options, server: Server, work: Path, password: str | None
) -> dict[str, Any]:
    """Staff screens, the join storm, the run of show, and the figures of all three.

    The app and the floor go through this same path: the moderator logs in only on the
    app (the floor accepts any moderator socket), everything after is the same.
    """
    pid = server.process.pid
    load_before = round(os.getloadavg()[0], 2)  # others' work on the machine skews every figure
    http = staff_session()
    sessions = [http]
    closing = contextlib.ExitStack()
    workers: list[Worker] = []
    screens: list[Screen] = []
    figures: dict[str, Any] = {}
    try:
        if password is not None:
            await log_in(http, server.url, password)
        slug = seed_slug()
        moderator = await connect_screen(server.url, {"as": "moderator", "workshop": slug}, http)
        screens.append(moderator)
        synced = await moderator.client.call("live.sync", {}, timeout=ACK_TIMEOUT_S)
        if not isinstance(synced, dict) or not synced.get("ok"):
            raise BenchError(f"live.sync was refused: {synced}")
        snapshot = synced["data"]
        items = [item["id"] for item in snapshot["workshop"]["items"]]
        display_http = staff_session()
        sessions.append(display_http)
        display = await connect_screen(
            server.url, {"as": "display", "token": snapshot["display_token"]}, display_http
        )
        screens.append(display)

        stderr = closing.enter_context((work / "workers.log").open("wb"))
        client_cpu = -children_cpu_s()
        config = {
            "base_url": server.url,
            "slug": slug,
            "code": snapshot["join"]["code"],
            "language": snapshot["workshop"]["languages"][0],
        }
        workers = await start_workers(options, config, stderr)

        await asyncio.sleep(1.0)
        rss_before = rss_kib(pid)
        when = f"within {options.ramp_s:g} s" if options.ramp_s else "at once"
        note(f"{options.participants} participants join and connect {when}")
        storm_cpu = cpu_s(pid)
        stormed = time.monotonic()
        for worker in workers:
            await worker.send({"go": True})
        storms = [await w.receive("connected", storm_timeout(options)) for w in workers]
        storm_s = time.monotonic() - stormed
        storm_cpu = cpu_s(pid) - storm_cpu
        note(
            f"join storm over in {storm_s:.1f} s; driving the workshop for {options.duration_s:g} s"
        )
        await asyncio.sleep(SETTLE_S)
        rss_after = rss_kib(pid)
        # A storm the server could not keep up with may have dropped the staff's sockets
        # (a ping answered too late): they come back, as the console's would, and say so.
        dropped = [s for s in screens if s.gone]
        if dropped:
            note(f"{len(dropped)} staff screen(s) dropped during the storm: reconnecting")
            moderator = await connect_screen(
                server.url, {"as": "moderator", "workshop": slug}, http
            )
            display = await connect_screen(
                server.url, {"as": "display", "token": snapshot["display_token"]}, display_http
            )
            screens += [moderator, display]
            await moderator.client.call("live.sync", {}, timeout=ACK_TIMEOUT_S)
            figures["staff_reconnected_after_storm"] = len(dropped)

        if "show" in options.phases:
            show = await drive(moderator, items, options.duration_s, pid)
            figures.update(await collect_show(workers, show, display))
        if "answers" in options.phases and not server.floor:
            figures.update(
                await answers.run(
                    moderator,
                    display,
                    workers,
                    options.participants,
                    options.answers_per_phone,
                    config["language"],
                    work / "bench.db",
                    pid,
                )
            )
        if "breakouts" in options.phases and not server.floor:
            figures.update(await breakouts.run(moderator, display, workers, items, options, pid))
        for worker in workers:
            await worker.stop()
        client_cpu += children_cpu_s()
    finally:
        for screen in screens:
            screen.leaving = True
            with contextlib.suppress(Exception):
                await asyncio.wait_for(screen.client.disconnect(), 5)
        for worker in workers:
            await worker.stop()
        for session in sessions:
            await session.close()
        closing.close()

    return {
        "floor": server.floor,
        "participants": options.participants,
        "async_mode": options.async_mode,
        **storm_figures(storms),
        **figures,
        **totals(figures),
        "phases": [p for p in options.phases if p == "show" or not server.floor],
        # A projector dropped by an overloaded server (its ping answered too late) received
        # nothing after: its figures (projector_*, display_lost_events) are not to be read.
        "display_disconnected": screens[-1].gone is not None if len(screens) > 1 else None,
        "rss_per_participant_kib": round((rss_after - rss_before) / options.participants, 1),
        "duration_s": options.duration_s,
        "storm_s": round(storm_s, 2),
        "server_rss_before_kib": rss_before,
        "server_rss_kib": rss_after,
        "server_storm_cpu_s": round(storm_cpu, 2),
        "client_cpu_s": round(client_cpu, 2),
        "ramp_s": options.ramp_s,
        "seed": options.seed,
        "workers": len(workers),
        "load_before": load_before,
        "errors": [e for s in storms for e in s["errors"]][:5],
    }


def totals(figures: dict[str, Any]) -> dict[str, Any]:
    """Lost and doubled events over every phase that ran (each phase also says its own)."""
    lost = ("show_lost_events", "answers_lost_events", "board_lost")
    doubled = ("show_duplicate_events", "answers_duplicates", "board_duplicates")
    return {
        "lost_events": sum(figures.get(k) or 0 for k in lost),
        # The phones count duplicates from the start of the run: the latest count is the run's.
        "duplicate_events": max(figures.get(k) or 0 for k in doubled),
    }


def _check(options: Options) -> None:
    if options.participants < 1 or options.duration_s <= 0:
        raise BenchError("participants and duration must be positive")
    if unknown := set(options.phases) - set(PHASES):
        raise BenchError(f"no such phase: {', '.join(sorted(unknown))}")


def _measured(options: Options, server: Server, work: Path, password: str | None) -> dict[str, Any]:
    """Measure, with the logs in the error if it fails, and always stop the server."""
    try:
        result = asyncio.run(measure(options, server, work, password))
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        raise BenchError(
            f"{detail}\n--- server log ---\n{tail(server.log, 40)}"
            f"\n--- participant workers' log ---\n{tail(work / 'workers.log', 20)}"
        ) from exc
    finally:
        stop(server.process)
    if server.process.returncode not in (0, -15):
        result["server_exit"] = server.process.returncode
    return result


def run(options: Options) -> dict[str, Any]:
    """Prepare, serve the app, measure."""
    _check(options)
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as tmp:
        work = Path(tmp)
        env = prepare(work, options.async_mode, password)
        server = start_app(env, options, options.port or free_port(), work / "server.log")
        note(f"server ({options.async_mode}) up at {server.url}, pid {server.process.pid}")
        return _measured(options, server, work, password)


def run_floor(options: Options) -> dict[str, Any]:
    """The same storm and run of show against `bench.floor`: the libraries' floor."""
    _check(options)
    with tempfile.TemporaryDirectory(prefix="facilitator-floor-") as tmp:
        work = Path(tmp)
        server = start_floor(options, options.port or free_port(), work / "server.log")
        note(f"floor server ({options.async_mode}) up at {server.url}, pid {server.process.pid}")
        return _measured(options, server, work, None)
