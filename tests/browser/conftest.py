"""A real server process and a real Chromium, for tests that act as a person would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from facilitator.bench.childserver import free_port, stop, wait_until_up
from facilitator.cli import main

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ORGANISER_EMAIL = "organiser@example.org"
ORGANISER_PASSWORD = "a long test password"


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "facilitator", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def cli_here(self, *args: str) -> str:
        """`cli` run in this process: the same command without an interpreter start-up and
        import of the app (about 2 s each). Threading: a set-up command serves nothing, and
        this process must not load eventlet."""
        env = {**self.env, "FACILITATOR_ASYNC_MODE": "threading"}
        result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, f"facilitator {' '.join(args)}:\n{result.output}"
        return result.output


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`facilitator serve` under eventlet on a fresh database, with one organiser."""
    instance = tmp_path_factory.mktemp("live")
    env = {
        **os.environ,
        "FACILITATOR_INSTANCE_PATH": str(instance),
        "FACILITATOR_DATABASE_URL": f"sqlite:///{instance / 'live.db'}",
        "FACILITATOR_ASYNC_MODE": "eventlet",
        "FACILITATOR_LOGIN_RATE_LIMIT": "1000 per minute",
    }
    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", env)
    server.cli_here("db", "upgrade")
    server.cli_here(
        "create-user", ORGANISER_EMAIL, "--name", "Olga Organiser", "--password", ORGANISER_PASSWORD
    )
    log = (instance / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(server.url, process, instance / "server.log")
        yield server
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def check_accessibility(page: Any, screen: str) -> None:
    """axe-core on the page as it is now; any violation fails the test, named and located.

    The script goes in through the DevTools protocol, which the page's strict CSP does not
    govern (an inline <script> would be refused).
    """
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make assets` installs the npm packages")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        # Experimental rules too: label-content-name-mismatch (a button's name must contain
        # its visible text, or speech control cannot press it) is one of them.
        "async () => (await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'wcag22aa', 'best-practice', 'experimental']}})).violations"
    )
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
    assert not report, f"accessibility of the {screen}:\n" + "\n".join(report)
