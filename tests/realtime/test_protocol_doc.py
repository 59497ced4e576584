"""docs/protocol.md names every event, room and error code the code has, so it cannot drift."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from facilitator.live import events as live_events
from facilitator.participation import events as participation_events
from facilitator.realtime import protocol

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"
PACKAGE = ROOT / "facilitator"


def documented() -> set[str]:
    """Names in backticks in a heading, or in the first cell of a table row."""
    names: set[str] = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            names.update(re.findall(r"`([^`]+)`", line))
        elif line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first_cell))
    return names


def strings_passed_to(path: Path, *callees: str, functions: tuple[str, ...] = ()) -> set[str]:
    """First string arguments of calls to `callees` (within `functions`, if given)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scopes: list[ast.AST] = [tree]
    if functions:
        scopes = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name in functions
        ]
    found = set()
    for scope in scopes:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            first = node.args[0]
            if name in callees and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def client_events() -> set[str]:
    mutations = {spec.event for spec in [*live_events.MUTATIONS, *participation_events.MUTATIONS]}
    registered = strings_passed_to(PACKAGE / "realtime" / "__init__.py", "on_event")
    return (mutations | registered) - {"connect", "disconnect"}


def server_events() -> set[str]:
    return strings_passed_to(PACKAGE / "realtime" / "render.py", "Outgoing") | strings_passed_to(
        PACKAGE / "realtime" / "presence.py", "emit"
    )


def error_codes() -> set[str]:
    common = {
        protocol.BAD_PAYLOAD,
        protocol.FORBIDDEN,
        protocol.RATE_LIMITED,
        protocol.INTERNAL,
        protocol.NOT_CONNECTED,
    }
    live = strings_passed_to(PACKAGE / "live" / "services.py", "InvalidTransition")
    # Of the participation refusals, those the socket events can bring (the rest are joining's).
    participation = strings_passed_to(
        PACKAGE / "participation" / "services.py",
        "JoinRefused",
        functions=("change_language", "remove"),
    )
    return common | live | participation


def connect_refusals() -> set[str]:
    return strings_passed_to(PACKAGE / "realtime" / "session.py", "ConnectionRefusedError")


def rooms() -> set[str]:
    names = set()
    for template in re.findall(
        r'return f"([^"]+)"', (PACKAGE / "realtime" / "rooms.py").read_text()
    ):
        names.add(
            re.sub(
                r"\{[a-z_]*workshop_id\}",
                "<workshop id>",
                re.sub(r"\{participant_id\}", "<participant id>", template),
            )
        )
    return names


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("client -> server event", client_events),
        ("server -> client event", server_events),
        ("error code", error_codes),
        ("connection refusal", connect_refusals),
        ("room", rooms),
    ],
)
def test_the_protocol_doc_names_everything(kind: str, names: object) -> None:
    found = names()  # type: ignore[operator]
    assert found, f"found no {kind} in the code: the test's parsing is out of date"
    missing = sorted(found - documented())
    assert not missing, f"{kind}s missing from docs/protocol.md (a heading or table row): {missing}"


def test_the_events_the_tests_know_are_the_ones_the_code_has() -> None:
    assert client_events() == {
        "live.start",
        "live.goto",
        "live.next",
        "live.end",
        "timer.pause",
        "timer.resume",
        "timer.adjust",
        "timer.reset",
        "joining.lock",
        "message.broadcast",
        "participant.remove",
        "participant.language",
        "live.sync",
        "clock.ping",
    }
    assert server_events() == {"live.state", "live.runs", "presence.changed", "participant.removed"}
