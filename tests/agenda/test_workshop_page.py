"""The workshop page: the whole agenda, printable, in the viewer's language."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.accounts.services import grant
from facilitator.agenda.services import find_workshop
from tests.conftest import SESSIONS, csrf_token, login

COMPLETE = Path(__file__).resolve().parent / "fixtures" / "complete.yaml"
SEED_000 = SESSIONS / "2021-local-governments-sse-alliances.yaml"  # Asia/Seoul, shows UTC
SEED_002 = SESSIONS / "2021-integrated-territorial-systems-sse.yaml"  # en/fr


def load(client: FlaskClient, path: Path, content: bytes | None = None) -> str:
    """Upload an agenda file; return the workshop page's path."""
    if not path.exists():
        pytest.skip(f"{path.name} is not there yet")
    response = client.post(
        "/upload",
        data={
            "csrf_token": csrf_token(client, "/"),
            "file": (io.BytesIO(content if content is not None else path.read_bytes()), path.name),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.headers["Location"])


def page_text(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def choose_language(client: FlaskClient, language: str) -> None:
    response = client.post(
        "/language", data={"language": language, "csrf_token": csrf_token(client, "/")}
    )
    assert response.status_code == 302


@pytest.fixture
def organiser(app: Flask, make_user: Callable[..., User]) -> FlaskClient:
    make_user("org@example.org")
    client = app.test_client()
    login(client, "org@example.org")
    return client


def join_as(
    app: Flask, make_user: Callable[..., User], session: Session, email: str, slug: str, role: Role
) -> FlaskClient:
    user = make_user(email)
    workshop = find_workshop(session, slug)
    assert workshop is not None
    grant(session, user, workshop, role)
    session.commit()
    client = app.test_client()
    login(client, email)
    return client


def test_the_page_shows_the_whole_agenda(organiser: FlaskClient) -> None:
    body = page_text(organiser, load(organiser, COMPLETE))

    # Header facts.
    for expected in (
        "Local alliances for the social and solidarity economy",
        "Example Forum on Social and Solidarity Economy 2024",
        "1.2.3",
        "Territorial economic models to tackle inequality",
        "Co-creation session",  # the kind, as a label
        "English",
        "français",
        "Interpretation",
        "Online",
        "https://meet.example.org/local-alliances",
        "40",
    ):
        assert expected in body, expected
    # Markdown is rendered.
    assert "<strong>local governments</strong>" in body
    assert "not\nalways built into local development policies" in body
    # Objectives, main question, guiding questions with type, options and scale labels.
    assert "Share examples of alliances between local governments and SSE actors." in body
    assert "Which key actions should be promoted from the local level?" in body
    for expected in (
        "Open answer",
        "Word cloud",
        "Single choice",
        "Multiple choice",
        "Scale",
        "Private companies",
        "Legal framework",
        "Not at all",
        "Very much",
    ):
        assert expected in body, expected
    # Both days, dated and titled, every program item with its kind.
    assert "Tuesday, June 11, 2024" in body
    assert "Wednesday, June 12, 2024" in body
    assert "Day 1 — cases and questions" in body
    assert "Day 2 — breakout groups" in body
    for title in (
        "Connection check and welcome",
        "Introduction of the session",
        "A network of local governments promoting SSE",
        "Break",
        "Discussion of the guiding questions",
        "Questions from participants",
        "Breakout groups on the legal framework",
        "Report-back and closing",
    ):
        assert title in body, title
    for kind in (
        "Logistics",
        "Introduction",
        "Presentation",
        "Discussion",
        "Questions and answers",
        "Breakout groups",
        "Closing",
    ):
        assert f'<td class="kind">{kind}</td>' in body, kind
    # Gaps in a day are free time (11:25 to 11:30 on day 1).
    assert "Free time" in body
    # Moderator notes.
    assert "Take questions from the chat first." in body
    assert "Groups of five to eight." in body
    # Speakers in the program: name, title, organisation, flag and country.
    speakers = re.search(r'<tr id="item-network-talk".*?</tr>', body, re.S)
    assert speakers is not None
    row = speakers.group(0)
    assert "Kim Example" in row and "Executive Director" in row
    assert "Example Association of Local Governments for SSE" in row
    assert "🇰🇷" not in row and "South Korea" in row  # by name: no emoji flag
    # Questions and blocks taken up by an item link to them.
    discussion = re.search(r'<tr id="item-discussion".*?</tr>', body, re.S)
    assert discussion is not None
    assert 'href="#question-support-level"' in discussion.group(0)
    breakout = re.search(r'<tr id="item-breakout".*?</tr>', body, re.S)
    assert breakout is not None
    assert 'href="#block-legal"' in breakout.group(0)
    # People: roles, organisation type, country, presentation, materials with language.
    for expected in (
        "Moderator",
        "Speaker",
        "Rapporteur",
        "Panelist",
        "Organiser",
        "local government network",
        "France",
        "<strong>forty cities</strong>",
        'href="https://example.org/slides-fr.pdf"',
        "Diapositives",
    ):
        assert expected in body, expected
    assert re.search(
        r'hreflang="fr"[^>]*>Diapositives</a>\s*<span class="muted">\(français\)', body
    )
    # Guideline blocks and case studies.
    for expected in (
        "Legal and institutional frameworks",
        "Laws, statutes and institutions that recognise the SSE locally.",
        "What are the main challenges?",
        "Not in place",
        "Fully in place",
        "A local strategy on social innovation",
        "Example City, GR",
        "Example Technology University",
        "academic institution",
        "Gabriel Example",
        "Associate Professor",
    ):
        assert expected in body, expected


def test_times_show_the_workshop_zone_and_utc(organiser: FlaskClient) -> None:
    path = load(organiser, SEED_000)

    body = page_text(organiser, path)
    # 18:00 in Seoul is 09:00 UTC; the English clock may read 6:00 PM.
    assert re.search(r"(18:00|6:00\sPM) KST / (09:00|9:00\sAM) UTC", body)
    assert '<time datetime="2021-10-08T09:00:00Z">' in body
    assert 'data-zones="Asia/Seoul UTC"' in body
    assert re.search(r'<script type="module" src="/static/agenda/local-times-\w{8}\.js">', body)

    choose_language(organiser, "fr")
    body = page_text(organiser, path)
    assert "18:00 KST / 09:00 UTC" in body
    assert "19:30 KST / 10:30 UTC" in body


def test_the_local_times_script_is_served(organiser: FlaskClient) -> None:
    page = page_text(organiser, load(organiser, SEED_000))
    script = re.search(r'src="(/static/agenda/local-times-\w{8}\.js)"', page)
    assert script
    response = organiser.get(script.group(1))
    assert response.status_code == 200
    assert "Intl.DateTimeFormat" in response.get_data(as_text=True)
    response.close()


def test_french_viewers_see_french_text_and_dates(organiser: FlaskClient) -> None:
    path = load(organiser, SEED_002)
    english = page_text(organiser, path)
    assert "Integrated territorial systems for SSE" in english
    assert "Wednesday, October 6, 2021" in english

    choose_language(organiser, "fr")
    body = page_text(organiser, path)

    assert '<html lang="fr">' in body
    assert "Systèmes territoriaux intégrés pour l'ESS" in body
    assert "Comment relier l'ESS plus efficacement et organiquement au niveau local ?" in body
    assert "mercredi 6 octobre 2021" in body
    assert "Integrated territorial systems for SSE" not in body
    # Text the agenda has only in English is shown in English, marked as such.
    objective = re.search(r'<li lang="en">This session aims to explore', body)
    assert objective is not None
    # The French title carries no lang attribute: it is the page's language.
    assert re.search(r"<h1>Systèmes territoriaux", body)


def test_french_dates_of_a_multi_day_agenda(organiser: FlaskClient) -> None:
    path = load(organiser, COMPLETE)
    choose_language(organiser, "fr")
    body = page_text(organiser, path)
    assert "mardi 11 juin 2024" in body
    assert "mercredi 12 juin 2024" in body
    assert "Jour 2 — groupes de travail" in body
    assert "09:30 CEST / 07:30 UTC / 01:30 CST" in body


def test_emails_are_for_organisers_only(
    app: Flask, organiser: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    path = load(organiser, SEED_000)
    assert "dara@pharecircus.org" in page_text(organiser, path)

    rapporteur = join_as(
        app,
        make_user,
        session,
        "rap@example.org",
        "2021-local-governments-sse-alliances",
        Role.RAPPORTEUR,
    )
    body = page_text(rapporteur, path)
    assert "Dara Huot" in body
    assert "dara@pharecircus.org" not in body
    assert "mailto:" not in body

    moderator = join_as(
        app,
        make_user,
        session,
        "mod@example.org",
        "2021-local-governments-sse-alliances",
        Role.MODERATOR,
    )
    assert "dara@pharecircus.org" not in page_text(moderator, path)

    admin_user = make_user("admin@example.org", admin=True)
    assert admin_user.is_admin
    admin = app.test_client()
    login(admin, "admin@example.org")
    assert "dara@pharecircus.org" in page_text(admin, path)


def test_organiser_links_are_shown_by_role(
    app: Flask, organiser: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    path = load(organiser, COMPLETE)
    slug = path.rsplit("/", 1)[-1]
    body = page_text(organiser, path)
    assert f'href="/w/{slug}/agenda.yaml"' in body
    assert f'href="/w/{slug}/people"' in body
    assert f'href="/w/{slug}/delete"' in body

    rapporteur = join_as(app, make_user, session, "rap@example.org", slug, Role.RAPPORTEUR)
    body = page_text(rapporteur, path)
    assert f'href="/w/{slug}/agenda.yaml"' in body
    assert f'href="/w/{slug}/people"' not in body
    assert f'href="/w/{slug}/delete"' not in body
    # Moderator notes are on the page for every role of the team.
    assert "Take questions from the chat first." in body


def test_every_seed_renders(organiser: FlaskClient) -> None:
    files = sorted(SESSIONS.glob("*.yaml"))
    if not files:
        pytest.skip("no seed agendas yet")
    for path in files:
        page = load(organiser, path)
        for language in ("en", "fr", "ko"):
            choose_language(organiser, language)
            assert organiser.get(page).status_code == 200, (path.name, language)
        choose_language(organiser, "en")


def test_markup_is_strict_csp_friendly_and_safe(organiser: FlaskClient) -> None:
    hostile = COMPLETE.read_text(encoding="utf-8").replace(
        "Officers of **local governments**",
        "<script>alert(1)</script> Officers of [x](javascript:alert(1)) **local governments**",
    )
    response = organiser.get(load(organiser, COMPLETE, hostile.encode()))
    raw = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in raw
    assert 'href="javascript' not in raw
    # No inline scripts or styles: every script has a src, nothing has a style attribute.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", raw) == []
    assert " style=" not in raw
    assert "<style" not in raw
    # Table headers have a scope.
    assert re.findall(r"<th\b(?![^>]*\bscope=)[^>]*>", raw) == []
