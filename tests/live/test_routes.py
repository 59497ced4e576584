"""The moderator console and the projector pages, as a browser receives them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.live.codes import format_join_code
from facilitator.live.models import LiveState
from tests.conftest import login

SLUG = "run-me"


@dataclass(frozen=True)
class Staff:
    app: Flask
    workshop_id: int

    def client(self, email: str | None) -> FlaskClient:
        client = self.app.test_client()
        if email is not None:
            login(client, email)
        return client


@pytest.fixture
def staff(
    app: Flask,
    session: Session,
    make_user: Callable[..., User],
    make_workshop: Callable[..., Workshop],
) -> Staff:
    organiser = make_user("organiser@example.org")
    moderator = make_user("moderator@example.org")
    rapporteur = make_user("rapporteur@example.org")
    elsewhere = make_user("elsewhere@example.org")
    make_user("admin@example.org", admin=True)
    workshop = make_workshop(
        SLUG,
        members={organiser: Role.ORGANISER, moderator: Role.MODERATOR, rapporteur: Role.RAPPORTEUR},
    )
    make_workshop("somewhere-else", members={elsewhere: Role.MODERATOR})
    return Staff(app, workshop.id)


def bilingual(session: Session, staff: Staff) -> None:
    workshop = session.get(Workshop, staff.workshop_id)
    assert workshop is not None
    workshop.languages = ["en", "fr"]
    workshop.title = {"en": "Local alliances", "fr": "Alliances locales"}
    session.commit()


def page_data(body: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="page-data">(.*?)</script>', body, re.DOTALL
    )
    assert match, "no page-data block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def live_row(session: Session, staff: Staff) -> LiveState:
    session.expire_all()
    state = session.scalar(select(LiveState).where(LiveState.workshop_id == staff.workshop_id))
    assert state is not None, "the live row was not made"
    return state


def display_path(session: Session, staff: Staff) -> str:
    staff.client("organiser@example.org").get(f"/w/{SLUG}/console")
    return f"/d/{live_row(session, staff).display_token}"


# --- the console ---------------------------------------------------------------------------


def test_console_sends_visitors_to_log_in(staff: Staff) -> None:
    response = staff.client(None).get(f"/w/{SLUG}/console")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "email", ["organiser@example.org", "moderator@example.org", "admin@example.org"]
)
def test_console_opens_for_those_who_run_the_session(staff: Staff, email: str) -> None:
    response = staff.client(email).get(f"/w/{SLUG}/console")
    assert response.status_code == 200
    assert "Moderator console" in response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["rapporteur@example.org", "elsewhere@example.org"])
def test_console_is_forbidden_to_rapporteurs_and_other_workshops(staff: Staff, email: str) -> None:
    assert staff.client(email).get(f"/w/{SLUG}/console").status_code == 403


def test_console_of_an_unknown_workshop_is_not_found(staff: Staff) -> None:
    client = staff.client("organiser@example.org")
    assert client.get("/w/no-such-workshop/console").status_code == 404


def test_console_page_data_has_what_the_script_needs(staff: Staff, session: Session) -> None:
    body = staff.client("moderator@example.org").get(f"/w/{SLUG}/console").get_data(as_text=True)
    data = page_data(body)
    state = live_row(session, staff)  # opening the console made the live row
    assert data["slug"] == SLUG
    assert data["timezone"] == "UTC"
    assert data["join"]["code"] == format_join_code(state.join_code)
    assert data["join"]["url"].endswith(f"/j/{state.join_code}")
    assert data["display_url"].endswith(f"/d/{state.display_token}")
    assert data["kinds"]["introduction"] == "Introduction"
    for code in ("already_started", "no_next_item", "timer_out_of_range", "forbidden", "generic"):
        assert data["errors"][code]
    assert "{minutes}" in data["strings"]["drift_behind"]
    assert format_join_code(state.join_code) in body  # also readable without the script


def test_console_warns_when_phones_cannot_reach_the_join_address(staff: Staff) -> None:
    """Opened on loopback, served on loopback alone: phones in the room cannot join."""
    client = staff.client("moderator@example.org")
    body = client.get(f"/w/{SLUG}/console").get_data(as_text=True)  # http://localhost/
    assert 'role="alert"' in body and "Phones cannot open this address" in body
    # Served on every interface, the console names the network address instead, and
    # does not warn: tests/integration/test_reachable.py.


def test_console_page_runs_no_inline_script_and_sends_a_csp(staff: Staff) -> None:
    response = staff.client("organiser@example.org").get(f"/w/{SLUG}/console")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    body = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, re.DOTALL)
    assert any(re.search(r"/console-\w+\.js", attributes) for attributes, _ in scripts)
    for attributes, content in scripts:
        executable = 'type="application/json"' not in attributes
        assert not (executable and content.strip()), f"inline script: {content[:80]}"
    assert " style=" not in body and "onclick" not in body


def test_console_opened_twice_keeps_the_same_code(staff: Staff, session: Session) -> None:
    client = staff.client("organiser@example.org")
    first = page_data(client.get(f"/w/{SLUG}/console").get_data(as_text=True))
    again = page_data(client.get(f"/w/{SLUG}/console").get_data(as_text=True))
    assert first["join"] == again["join"]
    assert first["display_url"] == again["display_url"]


# --- the projector -------------------------------------------------------------------------


def test_display_opens_by_token_without_logging_in(staff: Staff, session: Session) -> None:
    path = display_path(session, staff)
    state = live_row(session, staff)
    response = staff.client(None).get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<html lang="en">' in body
    assert format_join_code(state.join_code) in body
    assert "<svg" in body  # the QR code, drawn on the server
    assert f"/j/{state.join_code}" in body
    assert page_data(body)["token"] == state.display_token
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_display_with_an_unknown_token_is_not_found(staff: Staff) -> None:
    assert staff.client(None).get("/d/not-a-real-token").status_code == 404


def test_display_speaks_a_language_of_the_workshop(staff: Staff, session: Session) -> None:
    bilingual(session, staff)
    body = staff.client(None).get(display_path(session, staff) + "?lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in body
    assert "Alliances locales" in body
    assert page_data(body)["language"] == "fr"


@pytest.mark.parametrize("asked", ["de", "", "fr-XX", "<script>"])
def test_display_falls_back_to_the_default_language(
    staff: Staff, session: Session, asked: str
) -> None:
    bilingual(session, staff)
    response = staff.client(None).get(display_path(session, staff), query_string={"lang": asked})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Local alliances" in body


def test_display_link_of_the_workshop_page_leads_to_the_token(
    staff: Staff, session: Session
) -> None:
    response = staff.client("organiser@example.org").get(f"/w/{SLUG}/display")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/d/{live_row(session, staff).display_token}")
    assert staff.client("rapporteur@example.org").get(f"/w/{SLUG}/display").status_code == 403
    assert staff.client(None).get(f"/w/{SLUG}/display").status_code == 302  # to log in


# --- links on the organiser's workshop page -----------------------------------------------


LINKS = (f"/w/{SLUG}/console", f"/w/{SLUG}/display", f"/w/{SLUG}/handout")


@pytest.mark.parametrize("email", ["organiser@example.org", "moderator@example.org"])
def test_workshop_page_links_to_the_live_screens(staff: Staff, email: str) -> None:
    body = staff.client(email).get(f"/w/{SLUG}").get_data(as_text=True)
    for link in LINKS:
        assert f'href="{link}"' in body, link


def test_workshop_page_of_a_rapporteur_has_no_live_links(staff: Staff) -> None:
    body = staff.client("rapporteur@example.org").get(f"/w/{SLUG}").get_data(as_text=True)
    for link in LINKS:
        assert f'href="{link}"' not in body, link
