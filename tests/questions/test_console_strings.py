"""The console's questions and Q&A panels have a word for everything they write and for
every refusal a moderator's action can bring; the console page sends them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.live.routes import _error_messages
from facilitator.questions.console_strings import console_errors, console_strings
from facilitator.questions.types import TYPES
from tests.conftest import login
from tests.live.test_routes import page_data

ROOT = Path(__file__).resolve().parents[2]
PANELS = [ROOT / "static" / "questions" / "console.js", ROOT / "static" / "qa" / "console.js"]
PACKAGES = [ROOT / "facilitator" / "questions", ROOT / "facilitator" / "qa"]
# Refusals only a phone's answer or question can bring: the phone says them.
PHONE_ONLY = {
    "answer_limit",
    "answer_too_long",
    "answer_type",
    "out_of_scale",
    "question_closed",
    "ranking_incomplete",
    "repeated_option",
    "too_many_words",
    "unknown_option",
    "anonymous_not_allowed",
    "names_not_allowed",
    "name_missing",
}


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for panel in PANELS:
        source = panel.read_text(encoding="utf-8")
        keys |= set(re.findall(r"\bS\.([a-z][a-z0-9_]*)\b", source))
    return keys


def test_every_word_the_panels_write_is_a_console_string(app: Flask) -> None:
    with app.test_request_context():
        strings = console_strings()
        errors = console_errors()
    missing = sorted(_used_keys() - set(strings))
    assert not missing, missing
    # The keys the panels build: a type's, a state's, a filter's, a breakdown's.
    built = [f"type_{name}" for name in TYPES]
    built += [f"q_state_{s}" for s in ("ready", "open", "closed")]
    built += [f"qa_filter_{f}" for f in ("pending", "open", "answered", "hidden", "all")]
    built += [f"qa_names_{n}" for n in ("any", "named", "anonymous")]
    built += [f"q_by_{d}" for d in ("language", "country", "organisation_type", "stakeholder_type")]
    assert not [key for key in built if not strings.get(key)]
    assert all(value.strip() for value in [*strings.values(), *errors.values()])


def test_every_refusal_a_moderator_can_meet_has_a_message(app: Flask) -> None:
    raised: set[str] = set()
    for package in PACKAGES:
        for module in package.glob("*.py"):
            raised |= set(re.findall(r'Refused\("([a-z_]+)"', module.read_text(encoding="utf-8")))
    with app.test_request_context():
        known = {**_error_messages(), **console_errors()}
    assert raised - PHONE_ONLY, "no refusals found: the pattern no longer matches the code"
    assert sorted(raised - PHONE_ONLY - set(known)) == []


def test_the_console_page_sends_them_in_the_viewers_language(
    app: Flask, make_user: Callable[..., User], make_workshop: Callable[..., Workshop]
) -> None:
    organiser = make_user("organiser@example.org")
    make_workshop("polls", members={organiser: Role.ORGANISER})
    client = app.test_client()
    login(client, "organiser@example.org")
    page = client.get("/w/polls/console", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    data = page_data(body)
    assert data["strings"]["q_heading"] == "Questions et sondages"
    assert data["strings"]["qa_heading"] == "Questions du public"
    assert data["errors"]["already_open"] == "Cette question est déjà ouverte."
    assert data["strings"]["next"]  # the run of show's own words are still there
    assert 'id="questions-console"' in body and 'id="qa-console"' in body
