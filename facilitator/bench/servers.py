"""The server under test as a child process: the app on a fresh database, or the floor."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from facilitator.bench.childserver import ServerNotUp, stop, wait_until_up
from facilitator.bench.options import SERVER_START_S, BenchError, Options

SEED = "2021-local-governments-sse-alliances.yaml"
# The guideline blocks the breakout groups write on (issue 11) come from seed 002: the
# bench's workshop gets them, its program stays the seed's (so the run of show is unchanged).
BLOCKS_SEED = "2021-integrated-territorial-systems-sse.yaml"
MODERATOR_EMAIL = "bench-moderator@example.org"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    floor: bool = False


def seed_file(name: str = SEED) -> Path:
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        candidate = root / "sessions" / name
        if candidate.exists():
            return candidate
    raise BenchError(f"sessions/{name} not found (run the bench from the repository)")


def block_keys() -> list[str]:
    """The guideline blocks' ids the bench's workshop has (from seed 002)."""
    import yaml

    blocks = yaml.safe_load(seed_file(BLOCKS_SEED).read_text(encoding="utf-8"))
    return [str(b["id"]) for b in blocks["guideline_blocks"]]


def bench_seed(instance: Path) -> Path:
    """The seed with seed 002's guideline blocks added, as a file to load."""
    import yaml

    seed = yaml.safe_load(seed_file().read_text(encoding="utf-8"))
    blocks = yaml.safe_load(seed_file(BLOCKS_SEED).read_text(encoding="utf-8"))
    seed["guideline_blocks"] = blocks["guideline_blocks"]
    path = instance / "bench-seed.yaml"
    path.write_text(yaml.safe_dump(seed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


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
    cli(env, "load", str(bench_seed(instance)))
    cli(env, "create-user", MODERATOR_EMAIL, "--admin", "--name", "Bench", "--password", password)
    return env


def _serve(command: list[str], env: dict[str, str] | None, port: int, log: Path) -> Server:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server.url, process, log, SERVER_START_S)
    except ServerNotUp as exc:
        stop(process)
        raise BenchError(str(exc)) from exc
    return server


def start_app(env: dict[str, str], options: Options, port: int, log: Path) -> Server:
    command = list(options.server_command or [sys.executable, "-m", "facilitator", "serve"])
    command += ["--host", "127.0.0.1", "--port", str(port), "--async-mode", options.async_mode]
    return _serve(command, env, port, log)


def start_floor(options: Options, port: int, log: Path) -> Server:
    """`bench.floor` with the seed's program, so its snapshot and its run of show are the app's."""
    command = [sys.executable, "-m", "facilitator.bench.floor", str(port), options.async_mode]
    server = _serve([*command, str(seed_file())], None, port, log)
    server.floor = True
    return server
