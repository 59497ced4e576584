"""`facilitator bench`: the real server under load, measured from outside.

Starts `facilitator serve` on loopback on a fresh SQLite database holding the
2021 seed workshop, logs a moderator in, connects a projector, lets N
participants join and connect in a storm (each at a random moment within
`ramp_s` seconds, from its own 127.0.0.x address, so per-address limits hold as
in a venue), then drives the timer and the program
for S seconds, one action a second, and times every action from the
moderator's emit until the last participant has the `live.state` carrying its
seq. Participants run in worker processes (facilitator/bench/phones.py); every
time is `time.monotonic()`, one clock for all processes of the machine.

The result is one JSON line; see docs/performance.md for what it means.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import aiohttp
import socketio

from facilitator.bench.childserver import ServerNotUp, free_port, stop, tail, wait_until_up

SEED = "2021-local-governments-sse-alliances.yaml"
MODERATOR_EMAIL = "bench-moderator@example.org"
FIRST_ADDRESS, LAST_ADDRESS = 2, 254  # 127.0.0.2 .. 127.0.0.254; 127.0.0.1 is the staff's
SERVER_START_S = 60.0
ACTION_INTERVAL_S = 1.0
ACK_TIMEOUT_S = 10.0
SETTLE_S = 2.0  # after the storm, before measuring memory: presence flushes, buffers drain
COLLECT_WAIT_S = 15.0
DEFAULT_RAMP_S = 10.0


class BenchError(RuntimeError):
    """The bench could not run (the server did not start, the moderator could not log in...)."""


@dataclass(frozen=True)
class Options:
    participants: int = 1000
    duration_s: float = 20.0
    async_mode: str = "eventlet"
    port: int | None = None
    workers: int = 2
    # The join storm: each phone arrives at a random moment within ramp_s seconds of the
    # QR code going up (0: all in the same instant). See docs/performance.md for why 10.
    ramp_s: float = DEFAULT_RAMP_S
    seed: int = 1  # the arrival moments; the same seed, the same storm
    # The command that serves; None is `python -m facilitator serve`. Tests may swap it.
    server_command: Sequence[str] | None = None


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path


@dataclass
class Screen:
    """The moderator or the projector: a socket and the seqs it has seen."""

    client: Any
    seqs: set[int] = field(default_factory=set)
    item: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    gone: str | None = None
    leaving: bool = False

    def on_state(self, data: Any) -> None:
        if isinstance(data, dict) and isinstance(data.get("seq"), int):
            self.seqs.add(data["seq"])
            live = data.get("live")
            if isinstance(live, dict):
                self.item = live.get("item")
            self.changed.set()


@dataclass(frozen=True)
class Action:
    event: str
    seq: int
    emitted: float  # time.monotonic() just before the emit


# --- the server ---------------------------------------------------------------------------


def seed_file() -> Path:
    for root in (Path(__file__).resolve().parents[1], Path.cwd()):
        candidate = root / "sessions" / SEED
        if candidate.exists():
            return candidate
    raise BenchError(f"sessions/{SEED} not found (run the bench from the repository)")


def seed_slug() -> str:
    import yaml

    slug: str = yaml.safe_load(seed_file().read_text(encoding="utf-8"))["slug"]
    return slug


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"facilitator {args[0]} failed: {done.stderr.strip()[-500:]}")


def prepare(instance: Path, async_mode: str, password: str) -> dict[str, str]:
    """A fresh database with the seed workshop and an admin to moderate it."""
    env = {
        **os.environ,
        "FACILITATOR_INSTANCE_PATH": str(instance),
        "FACILITATOR_DATABASE_URL": f"sqlite:///{instance / 'bench.db'}",
        "FACILITATOR_ASYNC_MODE": async_mode,
        "FACILITATOR_ENV": "development",
        "FACILITATOR_SECRET_KEY": secrets.token_urlsafe(48),
    }
    env.pop("FACILITATOR_MESSAGE_QUEUE", None)
    cli(env, "db", "upgrade")
    cli(env, "load", str(seed_file()))
    cli(env, "create-user", MODERATOR_EMAIL, "--admin", "--name", "Bench", "--password", password)
    return env


def start_server(env: dict[str, str], options: Options, port: int, log: Path) -> Server:
    command = list(options.server_command or [sys.executable, "-m", "facilitator", "serve"])
    command += ["--host", "127.0.0.1", "--port", str(port), "--async-mode", options.async_mode]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server.url, process, log, SERVER_START_S)
    except ServerNotUp as exc:
        stop(process)
        raise BenchError(str(exc)) from exc
    return server


def note(text: str) -> None:
    """Progress on standard error; standard output is for the one JSON line."""
    print(f"bench: {text}", file=sys.stderr, flush=True)


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    """User plus system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- statistics ---------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def addresses(count: int) -> list[str]:
    span = LAST_ADDRESS - FIRST_ADDRESS + 1
    return [f"127.0.0.{FIRST_ADDRESS + i % span}" for i in range(count)]


def arrivals(count: int, ramp_s: float, seed: int) -> list[float]:
    """Seconds after the start at which each phone arrives: independent uniform moments,
    so they bunch up as people do (a Poisson process of that many arrivals), not a
    metronome."""
    rng = random.Random(seed)
    return [rng.uniform(0.0, ramp_s) if ramp_s > 0 else 0.0 for _ in range(count)]


# --- screens and workers ------------------------------------------------------------------


def staff_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=("127.0.0.1", 0)),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # loopback is an IP address
        timeout=aiohttp.ClientTimeout(total=30),
    )


async def log_in(http: aiohttp.ClientSession, url: str, password: str) -> None:
    async with http.get(f"{url}/login") as response:
        page = await response.text()
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if found is None:
        raise BenchError("no csrf_token on the login page")
    form = {"csrf_token": found.group(1), "email": MODERATOR_EMAIL, "password": password}
    async with http.post(f"{url}/login", data=form) as response:
        if response.status != 200 or response.url.path.startswith("/login"):
            raise BenchError(f"the moderator could not log in (HTTP {response.status})")


async def connect_screen(url: str, auth: dict[str, str], http: aiohttp.ClientSession) -> Screen:
    client = socketio.AsyncClient(reconnection=False, http_session=http)
    screen = Screen(client)
    client.on("live.state", screen.on_state)

    async def gone(*reason: object) -> None:
        if not screen.leaving:
            screen.gone = f"{auth['as']} disconnected ({reason[0] if reason else 'no reason'})"
            note(screen.gone)

    client.on("disconnect", gone)
    try:
        await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=30)
    except socketio.exceptions.ConnectionError as exc:
        raise BenchError(f"a {auth['as']} could not connect: {exc}") from exc
    return screen


class Worker:
    """One process of simulated participants, spoken to in JSON lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, config: dict[str, Any], stderr: IO[bytes]) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "facilitator.bench.phones",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
            limit=1 << 24,
        )
        worker = cls(process)
        await worker.send(config)
        return worker

    async def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def receive(self, event: str, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = await asyncio.wait_for(self.process.stdout.readline(), left)
            if not line:
                raise BenchError(f"a participant worker exited (code {await self.process.wait()})")
            if not line.startswith(b"{"):
                continue  # a library printed something
            message: dict[str, Any] = json.loads(line)
            if message.get("event") == event:
                return message
        raise BenchError(f"no {event!r} from a participant worker in {timeout:.0f} s")

    async def stop(self) -> None:
        """Close its input (it then disconnects its phones and exits); insist if it does not."""
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        for ask, wait_s in (
            (None, 30.0),
            (self.process.terminate, 10.0),
            (self.process.kill, 10.0),
        ):
            if self.process.returncode is not None:
                return
            if ask is not None:
                with contextlib.suppress(ProcessLookupError):
                    ask()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.process.wait(), wait_s)


async def start_workers(
    options: Options, config: dict[str, Any], stderr: IO[bytes]
) -> list[Worker]:
    """The simulated phones, spread over the worker processes, each ready to go."""
    phones = list(
        zip(
            range(options.participants),
            addresses(options.participants),
            arrivals(options.participants, options.ramp_s, options.seed),
            strict=True,
        )
    )
    count = max(1, min(options.workers, options.participants))
    workers = []
    try:
        for w in range(count):
            workers.append(await Worker.start({**config, "participants": phones[w::count]}, stderr))
        for worker in workers:
            await worker.receive("ready", 60)
    except BaseException:
        for worker in workers:
            await worker.stop()
        raise
    return workers


def storm_timeout(options: Options) -> float:
    return 60 + options.participants / 10 + options.ramp_s


def storm_figures(storms: list[dict[str, Any]]) -> dict[str, Any]:
    """What the workers' "connected" reports say together."""
    join_ms = [t for s in storms for t in s["join_ms"]]
    connect_ms = [t for s in storms for t in s["connect_ms"]]
    ready_ms = [t for s in storms for t in s.get("ready_ms", [])]
    figures = {
        "join_failures": sum(s["failures"] for s in storms),
        "connect_p50_ms": rounded(percentile(connect_ms, 0.5)),
        "connect_p95_ms": rounded(percentile(connect_ms, 0.95)),
        "join_p50_ms": rounded(percentile(join_ms, 0.5)),
        "join_p95_ms": rounded(percentile(join_ms, 0.95)),
    }
    if ready_ms:
        figures["ready_p50_ms"] = rounded(percentile(ready_ms, 0.5))
        figures["ready_p95_ms"] = rounded(percentile(ready_ms, 0.95))
    return figures


# --- the run ------------------------------------------------------------------------------


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
    before = max(moderator.seqs, default=-1)
    moderator.changed.clear()
    emitted = time.monotonic()
    answer = await moderator.client.call(
        event, {"cid": str(uuid.uuid4()), **payload}, timeout=ACK_TIMEOUT_S
    )
    if not isinstance(answer, dict) or not answer.get("ok"):
        raise BenchError(f"{event} was refused: {answer}")
    deadline = time.monotonic() + ACK_TIMEOUT_S
    while max(moderator.seqs, default=-1) <= before:
        left = deadline - time.monotonic()
        if left <= 0:
            raise BenchError(f"no live.state after {event}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(moderator.changed.wait(), left)
        moderator.changed.clear()
    return Action(event, max(moderator.seqs), emitted)


async def drive(moderator: Screen, items: list[str], duration_s: float) -> list[Action]:
    actions: list[Action] = []
    begun = time.monotonic()
    steps = plan()
    while time.monotonic() - begun < duration_s:
        event, payload = next(steps)
        if event == "live.next" and moderator.item == items[-1]:
            event, payload = "live.goto", {"item": items[0]}
        actions.append(await act(moderator, event, payload))
        wake = begun + len(actions) * ACTION_INTERVAL_S
        await asyncio.sleep(max(0.0, wake - time.monotonic()))
    return actions


async def measure(options: Options, server: Server, password: str, work: Path) -> dict[str, Any]:
    pid = server.process.pid
    load_before = round(os.getloadavg()[0], 2)  # others' work on the machine skews every figure
    http = staff_session()
    sessions = [http]
    closing = contextlib.ExitStack()
    workers: list[Worker] = []
    screens: list[Screen] = []
    try:
        await log_in(http, server.url, password)
        slug = seed_slug()
        moderator = await connect_screen(server.url, {"as": "moderator", "workshop": slug}, http)
        screens.append(moderator)
        synced = await moderator.client.call("live.sync", {"last_seq": -1}, timeout=ACK_TIMEOUT_S)
        if not synced.get("ok"):
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
        client_cpu = -sum(_children_cpu())
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

        server_cpu = cpu_s(pid)
        actions = await drive(moderator, items, options.duration_s)
        server_cpu = cpu_s(pid) - server_cpu
        expect = [a.seq for a in actions]
        for worker in workers:
            await worker.send({"expect": expect, "wait_s": COLLECT_WAIT_S})
        reports = [await w.receive("report", COLLECT_WAIT_S + 30) for w in workers]
        for worker in workers:
            await worker.stop()
        client_cpu += sum(_children_cpu())
        # The projector counts too: it must miss nothing either.
        display_lost = sum(1 for seq in expect if seq not in display.seqs)
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

    fanout_ms: list[float] = []
    for action in actions:
        last = [r["last_ms"][str(action.seq)] for r in reports if str(action.seq) in r["last_ms"]]
        if last:
            fanout_ms.append(max(last) - action.emitted * 1000)
    return {
        "participants": options.participants,
        "async_mode": options.async_mode,
        **storm_figures(storms),
        "fanout_p50_ms": rounded(percentile(fanout_ms, 0.5)),
        "fanout_p95_ms": rounded(percentile(fanout_ms, 0.95)),
        "fanout_max_ms": rounded(max(fanout_ms, default=None)),
        "rss_per_participant_kib": round((rss_after - rss_before) / options.participants, 1),
        "lost_events": sum(r["lost"] for r in reports),
        "duplicate_events": sum(r["duplicates"] for r in reports),
        "display_lost_events": display_lost,
        "disconnects": sum(r["disconnects"] for r in reports),
        "actions": len(actions),
        "duration_s": options.duration_s,
        "storm_s": round(storm_s, 2),
        "server_rss_before_kib": rss_before,
        "server_rss_kib": rss_after,
        "server_storm_cpu_s": round(storm_cpu, 2),
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_s": round(client_cpu, 2),
        "ramp_s": options.ramp_s,
        "seed": options.seed,
        "workers": len(workers),
        "load_before": load_before,
        "errors": [e for s in storms for e in s["errors"]][:5],
    }


async def storm_against_floor(options: Options, server: Server, work: Path) -> dict[str, Any]:
    """The same join storm against `bench.floor`'s do-nothing server: the libraries' floor."""
    pid = server.process.pid
    config = {
        "base_url": server.url,
        "slug": "floor",
        "code": "floor",
        "language": "en",
        "sync": False,  # it has no live.sync: the floor is the join and the connect alone
    }
    with (work / "workers.log").open("wb") as stderr:
        workers = await start_workers(options, config, stderr)
        try:
            await asyncio.sleep(1.0)
            rss_before, storm_cpu = rss_kib(pid), cpu_s(pid)
            for worker in workers:
                await worker.send({"go": True})
            storms = [await w.receive("connected", storm_timeout(options)) for w in workers]
            storm_cpu = cpu_s(pid) - storm_cpu
            await asyncio.sleep(SETTLE_S)
            rss_after = rss_kib(pid)
            for worker in workers:
                await worker.send({"expect": [], "wait_s": 0})
        finally:
            for worker in workers:
                await worker.stop()
    return {
        "floor": True,
        "participants": options.participants,
        "async_mode": options.async_mode,
        **storm_figures(storms),
        "rss_per_participant_kib": round((rss_after - rss_before) / options.participants, 1),
        "server_storm_cpu_s": round(storm_cpu, 2),
        "ramp_s": options.ramp_s,
        "seed": options.seed,
        "workers": len(workers),
        "errors": [e for s in storms for e in s["errors"]][:5],
    }


def run_floor(options: Options) -> dict[str, Any]:
    """Serve `bench.floor` instead of the app, storm it, and always stop it."""
    with tempfile.TemporaryDirectory(prefix="facilitator-floor-") as tmp:
        work = Path(tmp)
        port = options.port or free_port()
        command = [sys.executable, "-m", "facilitator.bench.floor", str(port), options.async_mode]
        with (work / "server.log").open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        server = Server(process, f"http://127.0.0.1:{port}", work / "server.log")
        try:
            wait_until_up(server.url, process, server.log, SERVER_START_S)
            note(f"floor server ({options.async_mode}) up at {server.url}, pid {process.pid}")
            return asyncio.run(storm_against_floor(options, server, work))
        except Exception as exc:
            raise BenchError(f"{type(exc).__name__}: {exc}\n{tail(server.log, 20)}") from exc
        finally:
            stop(process)


def _children_cpu() -> tuple[float, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def run(options: Options) -> dict[str, Any]:
    """Prepare, serve, measure, and always stop the server."""
    if options.participants < 1 or options.duration_s <= 0:
        raise BenchError("participants and duration must be positive")
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="facilitator-bench-") as tmp:
        work = Path(tmp)
        env = prepare(work, options.async_mode, password)
        server = start_server(env, options, options.port or free_port(), work / "server.log")
        note(f"server ({options.async_mode}) up at {server.url}, pid {server.process.pid}")
        try:
            result = asyncio.run(measure(options, server, password, work))
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
