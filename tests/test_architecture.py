"""House rules that a refactoring could break without any other test noticing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "facilitator"


def service_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for path in PACKAGE.rglob("services.py")
    )


def test_services_know_nothing_of_the_web() -> None:
    """Services take a database session; Flask and Socket.IO stay at the edge.

    (werkzeug's password hashing is a plain library and allowed.)
    """
    modules = [
        *service_modules(),
        "facilitator.agenda.exporter",
        "facilitator.agenda.texts",
        "facilitator.agenda.parsing",
        "facilitator.agenda.schema",
    ]
    assert len(modules) >= 4
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "web = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('flask', 'flask_socketio', 'flask_login', 'flask_wtf', 'flask_babel'))\n"
        "print(','.join(web))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"services pull in web modules: {result.stdout}"


def test_importing_the_package_imports_nothing_else() -> None:
    """`facilitator serve` monkey-patches after importing the package: it must be bare."""
    code = (
        "import sys, facilitator; print(sorted(m for m in sys.modules "
        "if m.startswith(('flask', 'eventlet', 'gevent', 'sqlalchemy'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


FEATURES = ("accounts", "agenda", "live", "participation", "questions", "qa", "breakouts", "record")


def test_the_realtime_mechanism_imports_no_feature() -> None:
    """realtime/ is the mechanism; each feature meets it in its own events.py. Importing
    every realtime module must load no feature package (not even through a helper)."""
    modules = sorted(
        "facilitator.realtime." + path.stem
        for path in (PACKAGE / "realtime").glob("*.py")
        if path.stem != "__init__"
    )
    assert len(modules) >= 8
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"features = {FEATURES!r}\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('facilitator.') "
        "and m.split('.')[1] in features)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"realtime/ pulls in features: {result.stdout}"
