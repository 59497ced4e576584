"""Real server processes on a temporary SQLite file, started, killed and restarted by tests.

The pattern of tests/browser/conftest.py (a `facilitator serve` subprocess on a
fresh database, set up through the CLI), with the process under the test's control.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from facilitator.bench.childserver import free_port, stop, tail, wait_until_up
from facilitator.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sessions" / "2021-local-governments-sse-alliances.yaml"
SLUG = "2021-local-governments-sse-alliances"
ADMIN_EMAIL = "moderator@example.org"
ADMIN_PASSWORD = "a long test password"


@dataclass
class ServerProcess:
    """`python -m facilitator serve` under one async mode, on a database it keeps."""

    mode: str
    instance: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    settings: dict[str, str] = field(default_factory=dict)  # more FACILITATOR_* for a test
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.instance / 'live.db'}"

    @property
    def log(self) -> Path:
        return self.instance / "server.log"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "FACILITATOR_INSTANCE_PATH": str(self.instance),
            "FACILITATOR_DATABASE_URL": self.database_url,
            "FACILITATOR_ASYNC_MODE": self.mode,
            "FACILITATOR_SECRET_KEY": "integration-test-secret-" + "k" * 32,
            "FACILITATOR_LOGIN_RATE_LIMIT": "1000 per minute",
            "FACILITATOR_JOIN_RATE_LIMIT": "1000 per minute",
            **self.settings,
        }

    def cli(self, *args: str) -> None:
        """Run a `facilitator` command in this process: the same code as the shell's,
        without a second or two of interpreter start-up for each."""
        result = CliRunner().invoke(main, list(args), env=self.env, catch_exceptions=False)
        assert result.exit_code == 0, f"facilitator {' '.join(args)}:\n{result.output}"

    def prepare(self) -> None:
        """Schema, a moderator (an admin may run any workshop) and the 2021 sample."""
        self.cli("db", "upgrade")
        self.cli(
            "create-user",
            ADMIN_EMAIL,
            "--admin",
            "--name",
            "Mo Derator",
            "--password",
            ADMIN_PASSWORD,
        )
        self.cli("load", str(SAMPLE))

    def start(self, seconds: float = 30) -> None:
        self.spawn()
        self.wait_up(seconds)

    def spawn(self) -> None:
        """Start the process without waiting for it to answer (`wait_up`): two servers
        spawned before either is waited for start side by side."""
        with self.log.open("ab") as log:
            log.write(f"--- start {self.starts + 1} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "facilitator",
                    "serve",
                    "--host",
                    self.host,
                    "--port",
                    str(self.port),
                    "--async-mode",
                    self.mode,
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.starts += 1

    def wait_up(self, seconds: float = 30) -> None:
        assert self.process is not None, "spawn() first"
        wait_until_up(self.url, self.process, self.log, seconds)

    def kill(self) -> None:
        """kill -9: no shutdown handler, no flush, sockets dropped by the kernel."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        stop(self.process, seconds=5)
        self.process = None

    def tail(self, lines: int = 40) -> str:
        return tail(self.log, lines)


@pytest.fixture(scope="session")
def prepared_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database every server starts from, set up once through the CLI."""
    # Threading: the set-up commands serve nothing, and this process must not load eventlet.
    template = ServerProcess("threading", tmp_path_factory.mktemp("prepared"))
    template.prepare()
    return template.instance / "live.db"


@pytest.fixture(params=["eventlet", "gevent"])
def server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    prepared_database: Path,
) -> Iterator[ServerProcess]:
    """A server (not yet started) per async mode on its own copy; always stopped at the end."""
    process = ServerProcess(request.param, tmp_path_factory.mktemp(f"live-{request.param}"))
    for part in prepared_database.parent.glob("live.db*"):  # with any WAL left behind
        shutil.copyfile(part, process.instance / part.name)
    try:
        yield process
    finally:
        process.stop()
        print(f"server log ({process.log}):\n{process.tail()}")  # shown when a test fails
