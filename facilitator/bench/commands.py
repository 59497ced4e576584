"""`facilitator bench` and its subcommands: the realtime bench (the default), chaos, record.

Tooling, not product: the modules they run are imported only when a command runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


# A group that still runs the realtime bench when no subcommand is named.
@click.group(invoke_without_command=True)
@click.option(
    "--participants",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Simulated phones that join and connect.",
)
@click.option(
    "--duration",
    type=click.FloatRange(min=1),
    default=20.0,
    show_default=True,
    help="Seconds of timer and item changes, about one a second.",
)
@click.option(
    "--async-mode",
    type=click.Choice(("eventlet", "gevent")),
    default=None,
    help="Worker model of the server (default: $FACILITATOR_ASYNC_MODE or eventlet).",
)
@click.option("--port", type=int, default=None, help="Port on 127.0.0.1 (default: a free one).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Processes the simulated phones are spread over.",
)
@click.option(
    "--ramp",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="The join storm: each phone arrives at a random moment within this many "
    "seconds (0: all in the same instant).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Seed of the arrival moments: the same seed, the same storm.",
)
@click.option(
    "--floor",
    is_flag=True,
    help="Storm a server that does nothing instead (python-socketio alone): "
    "what the libraries and the machine cost before the app.",
)
@click.option(
    "--phase",
    "phases",
    type=click.Choice(("show", "answers", "breakouts")),
    multiple=True,
    help="Run only these phases after the join storm (repeatable; default: every one, "
    "in the order show, answers, breakouts).",
)
@click.option(
    "--answers-per-phone",
    type=click.IntRange(min=1, max=25),
    default=1,
    show_default=True,
    help="Answers each phone sends in the answer phase, back to back: more than 1 is the "
    "throughput run (the 4th and later change earlier answers; 25 stays within the "
    "per-participant rate limits).",
)
@click.option(
    "--breakout-seconds",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="How long the groups write on their boards in the breakout phase.",
)
@click.option(
    "--groups",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Breakout groups the phones are split into.",
)
@click.pass_context
def bench(
    ctx: click.Context,
    participants: int,
    duration: float,
    async_mode: str | None,
    port: int | None,
    workers: int,
    ramp: float,
    seed: int,
    floor: bool,
    phases: tuple[str, ...],
    answers_per_phone: int,
    breakout_seconds: float,
    groups: int,
) -> None:
    """Load the real server on loopback; print one JSON line of figures (docs/performance.md).

    `facilitator bench chaos` cuts sockets and kills the server instead."""
    import json

    if ctx.invoked_subcommand is not None:
        return

    try:
        from facilitator.bench.storm import PHASES, BenchError, Options, run, run_floor
    except ImportError as exc:  # aiohttp comes with the dev extra
        raise click.ClickException(
            f"{exc}: install the dev extra (pip install -e '.[dev]')"
        ) from exc
    mode = async_mode or os.environ.get("FACILITATOR_ASYNC_MODE") or "eventlet"
    if mode not in ("eventlet", "gevent"):
        raise click.ClickException(f"the bench runs under eventlet or gevent, not {mode!r}")
    options = Options(
        participants=participants,
        duration_s=duration,
        async_mode=mode,
        port=port,
        workers=workers,
        ramp_s=ramp,
        seed=seed,
        phases=tuple(p for p in PHASES if p in phases) if phases else PHASES,
        answers_per_phone=answers_per_phone,
        breakout_s=breakout_seconds,
        groups=groups,
    )
    try:
        result = run_floor(options) if floor else run(options)
    except BenchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result))


@bench.command("chaos")
@click.option("--phones", type=click.IntRange(min=1), default=200, show_default=True)
@click.option(
    "--minutes",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="How long the phones' sockets are cut and the server killed.",
)
@click.option(
    "--kills",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="SIGKILLs of the server, each followed by a restart.",
)
@click.option(
    "--database",
    type=click.Choice(("sqlite", "postgresql")),
    default="sqlite",
    show_default=True,
    help="postgresql: a throwaway schema on the local server.",
)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Processes the simulated phones are spread over.",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to keep the evidence (logs, database, outboxes) of a failed run.",
)
def bench_chaos(
    phones: int,
    minutes: float,
    kills: int,
    database: str,
    seed: int,
    workers: int,
    keep: Path | None,
) -> None:
    """Cut sockets, reload phones and SIGKILL the server; audit that nothing acknowledged
    was lost or applied twice. One JSON line; exit 1 when anything was."""
    import json

    try:
        from facilitator.bench.chaos import ChaosOptions, run
        from facilitator.bench.options import BenchError
    except ImportError as exc:  # aiohttp comes with the dev extra
        raise click.ClickException(f"{exc}: install the dev extra") from exc
    options = ChaosOptions(phones, minutes, kills, database, seed, workers, keep)
    try:
        result = run(options)
    except BenchError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result))
    if not result.get("ok"):
        sys.exit(1)


@bench.command("record")
@click.option("--participants", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--contributions", type=click.IntRange(min=1), default=5000, show_default=True)
def bench_record(participants: int, contributions: int) -> None:
    """Compile and export a large record; print one JSON line of milliseconds."""
    import json

    from facilitator.bench.record import run

    click.echo(json.dumps(run(participants, contributions)))
