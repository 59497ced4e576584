"""What a bench run is asked to do, and the arithmetic of its figures."""

from __future__ import annotations

import math
import os
import random
import resource
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FIRST_ADDRESS, LAST_ADDRESS = 2, 254  # 127.0.0.2 .. 127.0.0.254; 127.0.0.1 is the staff's
SERVER_START_S = 60.0
ACTION_INTERVAL_S = 1.0
ACK_TIMEOUT_S = 10.0
SETTLE_S = 2.0  # after the storm, before measuring memory: presence flushes, buffers drain
COLLECT_WAIT_S = 15.0
DEFAULT_RAMP_S = 10.0
# After the join storm, in this order; a run without a phase option runs every one.
PHASES = ("show", "answers", "breakouts")


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
    phases: tuple[str, ...] = PHASES
    answers_per_phone: int = 1  # more: the throughput run (bench/answers.py)
    breakout_s: float = 60.0
    groups: int = 50  # breakout groups (bench/breakouts.py)
    # The command that serves; None is `python -m facilitator serve`. Tests may swap it.
    server_command: Sequence[str] | None = None


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


def children_cpu_s() -> float:
    """CPU of this process's reaped children (the participant workers, once stopped)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
