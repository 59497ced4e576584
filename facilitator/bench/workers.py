"""The processes of simulated phones (`bench.phones`), seen from the bench."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from typing import IO, Any

from facilitator.bench.options import (
    BenchError,
    Options,
    addresses,
    arrivals,
    percentile,
    rounded,
)


class Worker:
    """One process of simulated participants, spoken to in JSON lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(
        cls, config: dict[str, Any], stderr: IO[bytes], module: str = "facilitator.bench.phones"
    ) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
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
            try:
                line = await asyncio.wait_for(self.process.stdout.readline(), left)
            except TimeoutError:
                break
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
