"""`facilitator bench chaos`: cut every phone's socket, kill the server, lose nothing.

The real server (`facilitator serve`, eventlet) on a fresh database (SQLite, or a
throwaway PostgreSQL schema), a moderator running the program through its outbox
(bench/chaosmod.py), and N phones in worker processes (bench/chaosworker.py,
bench/chaosphone.py) whose sockets are reset every 5-30 s, some reloading (losing
all but their outbox), all changing their language with fresh cids. The server is
SIGKILLed and restarted on the same port and database `kills` times. At the end the
database is audited against every acknowledgement (bench/chaosdb.py) and every
phone's view is compared with the server's. One JSON line; docs/performance.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from facilitator.bench import chaosdb
from facilitator.bench.chaosmod import ChaosModerator
from facilitator.bench.childserver import ServerNotUp, free_port, stop, tail, wait_until_up
from facilitator.bench.options import BenchError, addresses, note, percentile, rounded
from facilitator.bench.screens import log_in, staff_session
from facilitator.bench.workers import Worker

RESYNC_LIMIT_MS = 5000.0
CUT_S = (5.0, 30.0)
MUTATION_S = (3.0, 12.0)
RELOAD_SHARE = 0.25  # of cuts, the page reloads too
DOWNTIME_S = (0.5, 3.0)  # between the kill and the restart
SERVER_START_S = 60.0


@dataclass(frozen=True)
class ChaosOptions:
    phones: int = 200
    minutes: float = 30.0
    kills: int = 3
    database: str = "sqlite"
    seed: int = 1
    workers: int = 2
    keep: Path | None = None  # where to keep the evidence of a failed run


def code_stamp() -> int:
    """Changes when a source file of the app does: a restart loads the code anew, and a
    checkout edited during a run restarts on code the database was not migrated for."""
    root = Path(__file__).resolve().parents[1]
    return hash(tuple((str(f), f.stat().st_mtime_ns) for f in sorted(root.rglob("*.py"))))


class ChaosServer:
    """`facilitator serve` on one port and one database, killed and restarted."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.up_at: list[float] = []  # time.monotonic() of each start that answered
        self.code = code_stamp()
        self.code_changed = False

    def start(self) -> None:
        self.code_changed = self.code_changed or code_stamp() != self.code
        command = [sys.executable, "-m", "facilitator", "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--async-mode", "eventlet"]
        with self.log.open("ab") as out:
            out.write(f"--- chaos: start {self.starts + 1} ---\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.starts += 1
        try:
            wait_until_up(self.url, self.process, self.log, SERVER_START_S)
        except ServerNotUp as exc:
            raise BenchError(str(exc)) from exc
        self.up_at.append(time.monotonic())

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        with self.log.open("ab") as out:
            out.write(b"--- chaos: SIGKILL ---\n")

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def kill_moments(options: ChaosOptions, rng: random.Random) -> list[float]:
    """Seconds after the start: random, within the middle of the run, apart from each other."""
    span = options.minutes * 60
    if options.kills <= 0:
        return []
    slot = span * 0.7 / options.kills
    return [span * 0.1 + slot * (k + rng.uniform(0.1, 0.9)) for k in range(options.kills)]


async def killer(
    server: ChaosServer, moments: list[float], begun: float, rng: random.Random
) -> int:
    kills = 0
    for moment in moments:
        await asyncio.sleep(max(0.0, begun + moment - time.monotonic()))
        note(f"SIGKILL the server (kill {kills + 1} of {len(moments)})")
        server.kill()
        kills += 1
        await asyncio.sleep(rng.uniform(*DOWNTIME_S))
        await asyncio.to_thread(server.start)
        note("server restarted")
    return kills


async def start_workers(
    options: ChaosOptions, config: dict[str, Any], stderr: IO[bytes]
) -> list[Worker]:
    phones = [[i, a] for i, a in enumerate(addresses(options.phones))]
    count = max(1, min(options.workers, options.phones))
    workers: list[Worker] = []
    try:
        for w in range(count):
            part = {**config, "phones": phones[w::count], "seed": options.seed * 1000 + w}
            workers.append(await Worker.start(part, stderr, "facilitator.bench.chaosworker"))
        for worker in workers:
            await worker.receive("ready", 60)
    except BaseException:
        for worker in workers:
            await worker.stop()
        raise
    return workers


async def chaos(
    options: ChaosOptions, server: ChaosServer, work: Path, password: str
) -> dict[str, Any]:
    rng = random.Random(options.seed)
    slug = chaosdb.chaos_slug()
    http = staff_session()
    workers: list[Worker] = []
    moderator = ChaosModerator(server.url, slug, http, random.Random(rng.random()))
    stderr = (work / "workers.log").open("wb")
    try:
        await log_in(http, server.url, password)
        await moderator.connect()
        snapshot = moderator.snapshot
        languages = snapshot["workshop"]["languages"]
        (work / "outboxes").mkdir(exist_ok=True)
        config = {
            "base_url": server.url,
            "slug": slug,
            "code": snapshot["join"]["code"],
            "languages": languages,
            "outbox_dir": str(work / "outboxes"),
            "cut_s": CUT_S,
            "mutation_s": MUTATION_S,
            "reload_share": RELOAD_SHARE,
        }
        workers = await start_workers(options, config, stderr)
        begun = time.monotonic()
        until = begun + options.minutes * 60
        for worker in workers:
            await worker.send({"until": until})
        note(f"{options.phones} phones, {options.minutes:g} min, {options.kills} kills")
        kills = asyncio.create_task(killer(server, kill_moments(options, rng), begun, rng))
        await moderator.drive(until)
        killed = await kills
        settled = [await w.receive("settled", 300) for w in workers]
        await moderator.ensure()
        await asyncio.sleep(2.0)  # the last events reach every phone
        if not await moderator.sync():
            raise BenchError("the moderator's last live.sync failed")
        stored = await asyncio.to_thread(chaosdb.read, server.env["FACILITATOR_DATABASE_URL"], slug)
        expect = {
            "live": moderator.snapshot["live"],
            "languages": {str(pid): lang for pid, lang in stored.languages.items()},
        }
        for worker in workers:
            await worker.send(expect)
        reports = [await w.receive("report", 120) for w in workers]
    finally:
        await moderator.close()
        for worker in workers:
            await worker.stop()
        await http.close()
        stderr.close()
    phone_acks = [a for r in reports for a in r["acked"]]
    moderator_acks = [(e.cid, e.event, e.payload) for e in moderator.acked]
    verdict = chaosdb.audit(stored, phone_acks, moderator_acks, languages[0])
    resync = [t for r in reports for t in r["resync_ms"]]
    # When a slow resync began, in seconds after the server's last (re)start.
    after_start = sorted(
        round(began - max((t for t in server.up_at if t <= began), default=began), 1)
        for r in reports
        for began, _ms in r["slow"]
    )
    mismatches = [m for r in reports for m in r["mismatches"]]
    refused: dict[str, int] = dict(moderator.refused)
    for r in reports:
        for code, n in r["refused"].items():
            refused[code] = refused.get(code, 0) + n
    return {
        "mutations_acked": len(phone_acks) + len(moderator_acks),
        "lost": len(verdict["lost"]),
        "duplicated": len(verdict["duplicated"]),
        "max_resync_ms": rounded(max(resync, default=None)),
        "resync_p95_ms": rounded(percentile(resync, 0.95)),
        "resyncs": len(resync),
        "slow_resyncs": len(after_start),
        "slow_resyncs_s_after_start": after_start[:20],
        "kills": killed,
        "transport_cuts": sum(r["cuts"] for r in reports),
        "abrupt_cuts": sum(r["abrupt"] for r in reports),
        "reloads": sum(r["reloads"] for r in reports),
        "view_mismatches": len(mismatches),
        "unsettled": sum(s["unsettled"] for s in settled),
        "unjoined": sum(r["unjoined"] for r in reports),
        "phone_acked": len(phone_acks),
        "moderator_acked": len(moderator_acks),
        "moderator_max_resync_ms": rounded(max(moderator.resync_ms, default=None)),
        "interrupted_resyncs": sum(r["interrupted"] for r in reports),
        "refused": refused,
        "details": (verdict["lost"] + verdict["duplicated"] + mismatches)[:10],
        "errors": [e for r in reports for e in r["errors"]][:5],
    }


def passed(result: dict[str, Any]) -> bool:
    return (
        result.get("lost") == 0
        and result.get("duplicated") == 0
        and result.get("view_mismatches") == 0
        and result.get("unsettled") == 0
        and result.get("unjoined") == 0
        and (result.get("max_resync_ms") or 0) <= RESYNC_LIMIT_MS
        and result.get("kills") == result.get("kills_planned")
    )


def run(options: ChaosOptions) -> dict[str, Any]:
    """Prepare, serve, wreak havoc, audit. Keeps the evidence of a failed run."""
    if options.phones < 1 or options.minutes <= 0 or options.kills < 0:
        raise BenchError("phones and minutes must be positive, kills not negative")
    if options.database not in ("sqlite", "postgresql"):
        raise BenchError(f"unknown database {options.database!r}")
    load_before = round(os.getloadavg()[0], 2)  # others' work on the machine skews every figure
    password = secrets.token_urlsafe(18)
    work = Path(tempfile.mkdtemp(prefix="facilitator-chaos-"))
    keep: list[str] = []
    result: dict[str, Any] = {}
    try:
        with chaosdb.database(options.database, work, keep) as url:
            env = chaosdb.prepare(url, work, "eventlet", password)
            server = ChaosServer(env, free_port(), work / "server.log")
            server.start()
            note(f"server up at {server.url} on {options.database}, pid {server.process.pid}")  # type: ignore[union-attr]
            started = time.monotonic()
            try:
                result = asyncio.run(chaos(options, server, work, password))
            except Exception as exc:
                result = {
                    "error": f"{type(exc).__name__}: {exc}",
                    "server_log": tail(server.log, 30),
                }
            finally:
                server.stop()
            log = server.log.read_text(errors="replace")
            result = {
                **result,
                "server_tracebacks": log.count("Traceback"),
                "code_changed": server.code_changed,
                "phones": options.phones,
                "minutes": options.minutes,
                "run_s": round(time.monotonic() - started, 1),
                "database": options.database,
                "seed": options.seed,
                "kills_planned": options.kills,
                "load_before": load_before,
                "load_after": round(os.getloadavg()[0], 2),
            }
            result["ok"] = passed(result)
            if not result["ok"]:
                keep.append(url.rpartition("%3D")[2])  # the schema stays, as evidence
                result["schema"] = keep[-1] if options.database == "postgresql" else None
    finally:
        if result.get("ok"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            evidence = options.keep or work
            if evidence != work:
                with contextlib.suppress(OSError):
                    shutil.copytree(work, evidence, dirs_exist_ok=True)
                    shutil.rmtree(work, ignore_errors=True)
            result["evidence"] = str(evidence)
    return result
