"""docs/protocol.md names every event, room and error code the code has, so it cannot drift."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from facilitator.realtime import protocol
from facilitator.realtime.connect import MECHANISM_EVENTS
from facilitator.realtime.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "protocol.md"
PACKAGE = ROOT / "facilitator"


def documented(section: str | None = None) -> set[str]:
    """Names in backticks in a heading, or in the first cell of a table row (of one
    `## section` only, when given)."""
    names: set[str] = set()
    inside = section is None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if section is not None and line.startswith("## "):
            inside = line[3:].strip() == section
            continue
        if not inside:
            continue
        if line.startswith("#") and section is None:
            names.update(re.findall(r"`([^`]+)`", line))
        elif line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first_cell))
    if section is not None:  # events are named area.verb; the section's other tables are not
        names = {name for name in names if re.fullmatch(r"[a-z]+(\.[a-z_]+)+", name)}
    return names


def strings_passed_to(path: Path, *callees: str, functions: tuple[str, ...] = ()) -> set[str]:
    """First string arguments of calls to `callees` (within `functions`, if given);
    `protocol.NAME` arguments count as the constant's value."""
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
            if name not in callees:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
            elif (
                isinstance(first, ast.Attribute)
                and isinstance(first.value, ast.Name)
                and first.value.id == "protocol"
            ):
                found.add(getattr(protocol, first.attr))
    return found


def registry(app: Flask) -> Registry:
    found: Registry = app.extensions["facilitator.realtime"].registry
    return found


def client_events(app: Flask) -> set[str]:
    """Every client -> server event the app registers: the features' and the mechanism's."""
    declared = {*registry(app).mutations, *registry(app).queries, *MECHANISM_EVENTS}
    handled = set(app.extensions["socketio"].server.handlers.get("/", {}))
    assert handled - {"connect", "disconnect"} == declared, "registered beside the registry"
    return declared


def server_events(app: Flask) -> set[str]:
    return registry(app).server_events()


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
    identifiers = ("_display", "_moderator", "_participant")
    return strings_passed_to(PACKAGE / "realtime" / "connect.py", "ConnectionRefusedError") | {
        code
        for feature in ("live", "participation")
        for code in strings_passed_to(
            PACKAGE / feature / "events.py", "Refused", functions=identifiers
        )
    }


def rooms() -> set[str]:
    names = set()
    for template in re.findall(
        r'return f"([^"]+)"', (PACKAGE / "realtime" / "rooms.py").read_text()
    ):
        names.add(
            re.sub(
                r"\{[a-z_]*workshop_id\}",
                "<workshop id>",
                re.sub(
                    r"\{participant_id\}",
                    "<participant id>",
                    template.replace("{GROUP_ROOM_PREFIX}{group_id}", "g:<group id>"),
                ),
            )
        )
    return names


@pytest.mark.parametrize(
    ("kind", "names"),
    [
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


@pytest.mark.parametrize(
    ("section", "names"),
    [("Client → server events", client_events), ("Server → client events", server_events)],
)
def test_the_protocol_doc_lists_exactly_the_registered_events(
    app: Flask, section: str, names: Callable[[Flask], set[str]]
) -> None:
    """Both ways: every event a feature registers is documented, and nothing else is."""
    registered, listed = names(app), documented(section)
    assert registered, "found no event in the registry"
    assert not registered - listed, f"missing from docs/protocol.md: {registered - listed}"
    assert not listed - registered, f"documented but not registered: {listed - registered}"


def test_the_events_the_tests_know_are_the_ones_the_code_has(app: Flask) -> None:
    assert client_events(app) == {
        "live.start",
        "live.goto",
        "live.next",
        "live.end",
        "live.reset",
        "timer.pause",
        "timer.resume",
        "timer.adjust",
        "timer.reset",
        "joining.lock",
        "message.broadcast",
        "participant.remove",
        "participant.language",
        "participant.profile",
        "live.sync",
        "clock.ping",
        "question.create",
        "question.edit",
        "question.open",
        "question.close",
        "question.limit",
        "question.reveal",
        "question.configure",
        "question.breakdown",
        "answer.submit",
        "answer.withdraw",
        "answer.hide",
        "answer.highlight",
        "word.hide",
        "word.merge",
        "moderation.hide_participant",
        "qa.ask",
        "qa.add",
        "qa.vote",
        "qa.edit",
        "qa.approve",
        "qa.hide",
        "qa.pin",
        "qa.answer",
        "qa.configure",
        "qa.speaker_link",
        "record.note",
        "breakouts.preview",
        "breakouts.move",
        "breakouts.group.edit",
        "breakouts.group.add",
        "breakouts.group.remove",
        "breakouts.rapporteur",
        "breakouts.open",
        "breakouts.choose",
        "breakouts.join",
        "breakouts.help",
        "breakouts.help.answer",
        "breakouts.message",
        "breakouts.timer",
        "breakouts.time.add",
        "breakouts.close",
        "breakouts.reopen",
        "breakouts.gallery",
        "breakouts.report",
        "breakouts.end",
        "breakouts.board",
        "breakouts.card.add",
        "breakouts.card.edit",
        "breakouts.card.remove",
        "breakouts.card.move",
        "breakouts.card.merge",
        "breakouts.card.unmerge",
        "breakouts.vote",
        "breakouts.phase",
        "breakouts.assess",
        "breakouts.synthesis",
    }
    assert server_events(app) == {
        "live.state",
        "live.runs",
        "live.cleared",
        "presence.changed",
        "participant.removed",
        "program.changed",
        "display.changed",
        "question.changed",
        "question.settings",
        "question.open_list",
        "question.results",
        "question.counts",
        "answer.changed",
        "answer.removed",
        "answer.mine",
        "word.rules",
        "moderation.hidden",
        "qa.question",
        "qa.removed",
        "qa.staff",
        "qa.mine",
        "qa.voted",
        "qa.settings",
        "qa.link",
        "qa.votes",
        "record.note_saved",
        "record.changed",
        "record.peak",
        "breakouts.changed",
        "breakouts.forming",
        "breakouts.group",
        "breakouts.moved",
        "breakouts.message",
        "breakouts.help",
        "breakouts.report",
        "breakouts.overview",
        "breakouts.card",
        "breakouts.votes",
        "breakouts.assessment",
        "breakouts.synthesis",
    }
