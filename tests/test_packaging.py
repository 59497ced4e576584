"""The app installs and serves from a plain wheel, not only from an editable checkout.

A wheel is built from the checkout and installed into a fresh virtualenv, whose
dependencies come from the project's own virtualenv (a .pth line: no download)
but never from the checkout. `facilitator serve` runs from there, in a folder of
its own; the login page, its translations and its assets must all be served.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from facilitator.config import LANGUAGES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60


def run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT, cwd=ROOT)
    (built,) = out.glob("facilitator-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel in it; its bin/ folder."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "-q",
        wheel,
        cwd=home,
    )
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=home
        ).strip()
    )
    # The dependencies, from the project's virtualenv: its folder, not its .pth files,
    # so its editable install of the checkout stays out.
    (site / "project-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return home / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def fetch(url: str, **headers: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`facilitator serve` from the fresh virtualenv, in an empty folder; its base URL."""
    here = tmp_path_factory.mktemp("served")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FACILITATOR_", "PYTHON", "VIRTUAL_ENV"))
    }
    # Development settings: the key and the SQLite file are made in ./instance.
    env.update(
        PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}", FACILITATOR_ASYNC_MODE="threading"
    )
    run(installed / "facilitator", "db", "upgrade", cwd=here, env=env)
    port = free_port()
    log = (here / "server.log").open("w")
    process = subprocess.Popen(
        [installed / "facilitator", "serve", "--port", str(port)],
        cwd=here,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert process.poll() is None, (here / "server.log").read_text()
            try:
                fetch(base + "/login")
                break
            except OSError:
                assert time.monotonic() < deadline, (here / "server.log").read_text()
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_the_wheel_holds_templates_translations_assets_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "facilitator/templates/base.html" in names
    assert "facilitator/templates/errors/error.html" in names
    for language in LANGUAGES:
        assert f"facilitator/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert any(name.startswith("facilitator/static/") and name.endswith(".js") for name in names)
    assert any(name.startswith("facilitator/migrations/versions/") for name in names)
    assert not any(name.startswith(("templates/", "static/", "tests/")) for name in names)


def test_the_installed_package_is_the_wheels_not_the_checkout(installed: Path) -> None:
    where = run(
        installed / "python", "-c", "import facilitator; print(facilitator.__file__)", cwd=installed
    )
    assert Path(where.strip()).is_relative_to(installed.parent)
    assert not Path(where.strip()).is_relative_to(ROOT)


def test_the_installed_app_serves_its_pages_translations_and_assets(server: str) -> None:
    status, page = fetch(server + "/login", **{"Accept-Language": "en"})
    assert status == 200, page
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets, "the login page references no asset"
    for asset in assets:
        asset_status, _body = fetch(server + asset)
        assert asset_status == 200, asset

    with (ROOT / "facilitator/translations/fr/LC_MESSAGES/messages.po").open("rb") as handle:
        french = read_po(handle, locale="fr")
    log_in = french.get("Log in")
    assert log_in is not None and log_in.string
    status, page = fetch(server + "/login", **{"Accept-Language": "fr"})
    assert status == 200
    assert '<html lang="fr">' in page
    assert str(log_in.string) in page.replace("&#39;", "'")
