"""Joining from a phone through the test client: the join form, the cookie, the phone page,
the JSON API, QR codes and the handout. CSRF stays on, as in a browser."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import qrcode
import qrcode.image.svg
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import store_agenda
from facilitator.database import make_session_factory
from facilitator.extensions import db
from facilitator.live import services as live
from facilitator.live.codes import format_join_code
from facilitator.live.models import LiveState
from facilitator.participation import services as participation
from facilitator.participation.models import Participant
from tests.conftest import SESSIONS, login
from tests.realtime.support import statements

COOKIE = "facilitator_participant"
BILINGUAL = SESSIONS / "2021-integrated-territorial-systems-sse.yaml"  # en, fr
NOW = datetime(2026, 1, 1, 9, tzinfo=UTC)

MakeUser = Callable[..., User]
MakeWorkshop = Callable[..., Workshop]


def text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def page_data(response: TestResponse) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="page-data">(.*?)</script>',
        response.get_data(as_text=True),
        re.S,
    )
    assert match, "no page-data on the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def form_token(response: TestResponse) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text(response))
    match = match or re.search(r'name="csrf_token" value="([^"]+)"', text(response))
    assert match, "no CSRF token in the form"
    return match.group(1)


def open_live(session: Session, workshop: Workshop) -> str:
    """Give the workshop its live row; return its join code."""
    code = live.live_state(session, workshop).join_code
    session.commit()
    return code


def count_participants(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Participant)) or 0


def join(client: FlaskClient, code: str, **fields: str) -> TestResponse:
    """Fill in and send the join form as a phone would."""
    form = client.get(f"/j/{code}")
    assert form.status_code == 200, text(form)
    data = {"language": "en", **fields, "csrf_token": form_token(form)}
    return client.post(f"/j/{code}", data=data)


def load_bilingual(session: Session, organiser: User) -> Workshop:
    if not BILINGUAL.exists():
        pytest.skip(f"{BILINGUAL.name} is not there")
    parsed = parse_agenda(BILINGUAL.read_bytes(), BILINGUAL.name)
    workshop = store_agenda(session, parsed.agenda, organiser).workshop
    session.commit()
    return workshop


@pytest.fixture
def organiser(make_user: MakeUser) -> User:
    return make_user("olga@example.org", name="Olga Organiser")


@pytest.fixture
def workshop(make_workshop: MakeWorkshop, organiser: User) -> Workshop:
    return make_workshop("phones", members={organiser: Role.ORGANISER})


@pytest.fixture
def code(session: Session, workshop: Workshop) -> str:
    return open_live(session, workshop)


def end_workshop(session: Session, workshop: Workshop, organiser: User) -> None:
    live.start(session, organiser, workshop, NOW)
    live.end(session, organiser, workshop, NOW)
    session.commit()


# --- typing a code --------------------------------------------------------------------


def test_a_typed_code_in_any_case_with_a_dash_leads_to_the_short_url(
    client: FlaskClient, code: str
) -> None:
    assert client.get("/j").status_code == 200
    typed = format_join_code(code).lower()
    response = client.get("/j", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{code}"
    # The short URL itself also takes any spelling.
    response = client.get(f"/j/{typed}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{code}"


def test_a_code_that_cannot_be_one_is_explained(client: FlaskClient) -> None:
    response = client.get("/j", query_string={"code": "abc"})
    assert response.status_code == 400
    assert "A code has 8 letters and digits" in text(response)


# --- the join form --------------------------------------------------------------------


def test_the_join_form_shows_for_a_valid_code(client: FlaskClient, code: str) -> None:
    response = client.get(f"/j/{code}")
    assert response.status_code == 200
    page = text(response)
    assert "Workshop phones" in page
    for label in ("Your name (optional)", "Your language"):
        assert label in page
    # One tap: organisation, country and type are the optional step after joining.
    for label in ("Organisation (optional)", "Country (optional)", "Type of organisation"):
        assert label not in page
    assert '<select id="language" name="language">' in page
    assert "a random identifier kept on this device" in page.lower()
    assert "no account, no e-mail address" in page.lower()
    assert "the moderators" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert COOKIE not in response.headers.get("Set-Cookie", "")
    assert page_data(response)["mode"] == "join"


def test_the_join_form_shows_the_current_item_when_running(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    assert "Opening" not in text(client.get(f"/j/{code}"))
    live.start(session, organiser, workshop, NOW)
    session.commit()
    page = text(client.get(f"/j/{code}"))
    assert "Now" in page and "Opening" in page and "Introduction" in page


def test_wrong_and_ended_codes_get_one_identical_answer(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    end_workshop(session, workshop, organiser)
    wrong = "ZZZZ9999" if code != "ZZZZ9999" else "ZZZZ9998"
    ended = client.get(f"/j/{code}")
    unknown = client.get(f"/j/{wrong}")
    assert ended.status_code == unknown.status_code == 404
    assert text(ended) == text(unknown)
    assert "Session not found" in text(ended)
    assert "Workshop phones" not in text(ended)
    # The form, the images and the API answer alike too.
    for path in ("/j/{}/qr.svg", "/j/{}/qr.png"):
        assert client.get(path.format(code)).status_code == 404
        assert text(client.get(path.format(code))) == text(client.get(path.format(wrong)))
    posted_ended = client.post(f"/j/{code}", data={"language": "en"})
    posted_wrong = client.post(f"/j/{wrong}", data={"language": "en"})
    assert posted_ended.status_code == posted_wrong.status_code


def test_the_form_language_follows_the_browser_among_the_workshop_languages(
    app: Flask, session: Session, organiser: User
) -> None:
    workshop = load_bilingual(session, organiser)
    code = open_live(session, workshop)
    french = app.test_client().get(f"/j/{code}", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert re.search(r'value="fr"[^>]*selected|selected[^>]*value="fr"', text(french))
    # Korean is no language of this session, but the interface speaks it.
    korean = app.test_client().get(f"/j/{code}", headers={"Accept-Language": "ko"})
    assert '<html lang="ko">' in korean.get_data(as_text=True)
    german = app.test_client().get(f"/j/{code}", headers={"Accept-Language": "de"})
    assert '<html lang="en">' in german.get_data(as_text=True)  # neither: the default
    # A ?lang= link still wins over the browser.
    chosen = app.test_client().get(f"/j/{code}?lang=fr", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in chosen.get_data(as_text=True)
    # Both titles are shown, each marked with its language.
    page = text(french)
    assert 'lang="en"' in page and "Integrated territorial systems for SSE" in page
    assert 'lang="fr"' in page and "Systèmes territoriaux intégrés pour l'ESS" in page


# --- joining --------------------------------------------------------------------------


def test_joining_stores_the_participant_sets_the_cookie_and_shows_the_phone_page(
    client: FlaskClient, session: Session, workshop: Workshop, code: str
) -> None:
    response = join(
        client,
        code,
        display_name="  Ana  ",
        organisation="City of Lyon",
        country="fr",
        stakeholder_type="local-government",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{code}"
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age=2592000" in cookie
    assert "Secure" not in cookie  # not in development; production sets it

    assert count_participants(session) == 1
    person = session.scalars(select(Participant)).one()
    assert (person.display_name, person.language, person.organisation) == (
        "Ana",
        "en",
        "City of Lyon",
    )
    assert (person.country, person.stakeholder_type) == ("FR", "local-government")
    assert person.workshop_id == workshop.id

    phone = client.get(f"/j/{code}")
    assert phone.status_code == 200
    data = page_data(phone)
    assert data["mode"] == "phone"
    assert data["participant"] == person.id
    assert data["storage_key"] == "facilitator.participant.phones"
    assert data["breakouts"] is None  # no guideline blocks: no breakouts' strings to carry
    token = client.get_cookie(COOKIE)
    assert token is not None and data["token"] == token.value
    assert participation.recognise(session, workshop, data["token"]) is not None
    assert "You take part as Ana." in text(phone)
    assert phone.headers["Cache-Control"] == "no-store"


def test_the_cookie_is_secure_in_production(app: Flask, client: FlaskClient, code: str) -> None:
    app.config["SESSION_COOKIE_SECURE"] = True  # what FACILITATOR_ENV=production sets
    response = join(client, code)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE))
    assert "Secure" in cookie


def test_anonymous_joining_needs_only_a_language(
    client: FlaskClient, session: Session, code: str
) -> None:
    assert join(client, code).status_code == 302
    person = session.scalars(select(Participant)).one()
    assert person.display_name is None and person.country is None
    assert "You take part anonymously." in text(client.get(f"/j/{code}"))


def test_reloading_or_sending_again_with_the_cookie_is_the_same_participant(
    client: FlaskClient, session: Session, code: str
) -> None:
    token = form_token(client.get(f"/j/{code}"))
    data = {"language": "en", "display_name": "Ana", "csrf_token": token}
    assert client.post(f"/j/{code}", data=data).status_code == 302
    first = page_data(client.get(f"/j/{code}"))["participant"]
    # A second tap on the button: the same person, not a second one.
    again = client.post(f"/j/{code}", data=data)
    assert again.status_code == 302
    assert count_participants(session) == 1
    assert page_data(client.get(f"/j/{code}"))["participant"] == first


def test_a_device_that_lost_its_cookie_restores_itself_from_the_kept_token(
    app: Flask, client: FlaskClient, session: Session, code: str
) -> None:
    join(client, code)
    kept = page_data(client.get(f"/j/{code}"))["token"]

    phone = app.test_client()  # the same phone, its cookies cleared
    form = phone.get(f"/j/{code}")
    data = page_data(form)
    assert data["mode"] == "join"
    assert data["storage_key"] == "facilitator.participant.phones"
    headers = {"X-CSRFToken": data["csrf_token"]}
    refused = phone.post(data["restore_url"], json={"token": "not-a-token"}, headers=headers)
    assert refused.status_code == 404
    assert refused.get_json()["error"]["code"] == "unknown_participant"
    assert phone.get_cookie(COOKIE) is None

    restored = phone.post(data["restore_url"], json={"token": kept}, headers=headers)
    assert restored.status_code == 200, restored.get_data(as_text=True)
    assert page_data(phone.get(f"/j/{code}"))["token"] == kept
    assert count_participants(session) == 1


def test_restoring_needs_the_csrf_token(app: Flask, client: FlaskClient, code: str) -> None:
    join(client, code)
    kept = page_data(client.get(f"/j/{code}"))["token"]
    response = app.test_client().post(f"/j/{code}/restore", json={"token": kept})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_a_removed_participants_cookie_no_longer_works(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    join(client, code)
    person = session.scalars(select(Participant)).one()
    participation.remove(session, organiser, workshop, person.id, NOW)
    session.commit()
    page = client.get(f"/j/{code}")
    assert page.status_code == 200
    assert page_data(page)["mode"] == "join"


def test_locked_joining_is_refused_but_joined_phones_stay(
    app: Flask,
    client: FlaskClient,
    session: Session,
    workshop: Workshop,
    organiser: User,
    code: str,
) -> None:
    join(client, code)
    newcomer = app.test_client()
    token = form_token(newcomer.get(f"/j/{code}"))
    live.lock_joining(session, organiser, workshop, True)
    session.commit()

    page = newcomer.get(f"/j/{code}")
    assert page.status_code == 403
    assert "Joining is closed" in text(page)
    assert "<form" not in text(page)
    refused = newcomer.post(f"/j/{code}", data={"language": "en", "csrf_token": token})
    assert refused.status_code == 403
    assert count_participants(session) == 1
    assert page_data(client.get(f"/j/{code}"))["mode"] == "phone"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "de", "Choose one of the session's languages."),
        ("country", "XX", "Choose a country from the list."),
        ("stakeholder_type", "astronaut", "Choose a type from the list."),
        ("display_name", "x" * 81, "Use at most 80 characters."),
    ],
)
def test_invalid_choices_are_refused_with_a_message_and_nothing_stored(
    client: FlaskClient, session: Session, code: str, field: str, value: str, message: str
) -> None:
    response = join(client, code, **{field: value})
    assert response.status_code == 400
    assert message in text(response)
    assert 'aria-invalid="true"' in text(response)
    assert count_participants(session) == 0
    assert client.get_cookie(COOKIE) is None


def test_display_names_are_shown_as_text(client: FlaskClient, code: str) -> None:
    join(client, code, display_name="<script>alert(1)</script>")
    raw = client.get(f"/j/{code}").get_data(as_text=True)
    assert "<script>alert(1)" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw


# --- the phone page -------------------------------------------------------------------


def test_the_phone_page_speaks_the_participants_language(
    app: Flask, session: Session, organiser: User
) -> None:
    workshop = load_bilingual(session, organiser)
    code = open_live(session, workshop)
    phone = app.test_client()
    # An English browser, and the participant chooses French.
    response = join(phone, code, language="fr")
    assert response.status_code == 302
    page = phone.get(f"/j/{code}", headers={"Accept-Language": "en"})
    raw = page.get_data(as_text=True)
    assert '<html lang="fr">' in raw
    assert "Systèmes territoriaux intégrés pour l'ESS" in text(page)
    data = page_data(page)
    assert data["language"] == "fr"
    assert data["default_language"] == "en"
    assert data["breakouts"]["strings"]["add_card"] == "Ajouter une carte"  # it has blocks
    assert set(data["strings"]) >= {"online", "offline", "waiting", "ended", "removed"}
    assert data["initial"]["workshop"]["slug"] == workshop.slug


def test_the_phone_page_shows_the_current_item_its_speakers_and_the_timer(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    join(client, code)
    waiting = text(client.get(f"/j/{code}"))
    assert "Waiting for the session to start." in waiting
    live.start(session, organiser, workshop, datetime.now(UTC))
    session.commit()
    page = client.get(f"/j/{code}")
    assert "Opening" in text(page)
    assert re.search(r'id="timer"[^>]*>(29:5\d|30:00)<', text(page))
    data = page_data(page)
    assert data["initial"]["live"]["phase"] == "running"
    assert data["initial"]["live"]["item"] == "opening"
    assert data["kinds"]["introduction"] == "Introduction"


# --- the JSON API ---------------------------------------------------------------------


def test_api_join_returns_a_token_that_the_phone_page_recognises(
    app: Flask, client: FlaskClient, session: Session, workshop: Workshop, code: str
) -> None:
    response = client.post(
        "/api/join",
        json={
            "code": format_join_code(code).lower(),
            "language": "en",
            "display_name": "Bot",
            "country": "kr",
            "stakeholder_type": "academia",
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["workshop"] == "phones"
    person = session.get(Participant, body["participant"])
    assert person is not None and person.display_name == "Bot" and person.country == "KR"
    assert participation.recognise(session, workshop, body["token"]) == person
    assert len(body["token"]) >= 22  # 128 bits in base64url


def test_an_api_join_costs_one_query_and_the_insert(client: FlaskClient, code: str) -> None:
    with statements(db.engine) as sent:
        response = client.post("/api/join", json={"code": code, "language": "en"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["workshop"] == "phones"
    # The live row with its workshop in one query, the insert, and nothing after the commit.
    assert len(sent) == 2, sent
    assert sent[0].startswith("SELECT live_state.") and " JOIN workshop " in sent[0]
    assert sent[1].startswith("INSERT INTO participant ")


def test_joining_through_the_form_costs_one_query_and_the_insert(
    client: FlaskClient, session: Session, code: str
) -> None:
    form = client.get(f"/j/{code}")
    with statements(db.engine) as sent:
        response = client.post(
            f"/j/{code}", data={"language": "en", "csrf_token": form_token(form)}
        )
    assert response.status_code == 302
    assert COOKIE in response.headers.get("Set-Cookie", "")
    assert len(sent) == 2, sent
    assert sent[0].startswith("SELECT live_state.") and " JOIN workshop " in sent[0]
    assert sent[1].startswith("INSERT INTO participant ")
    assert count_participants(session) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"code": "X", "language": "en", "admin": True},  # an unknown key
        {"code": "ABCD2345"},  # no language
        {"code": "ABCD2345", "language": "en", "display_name": "x" * 81},
        ["not", "an", "object"],
        None,
    ],
)
def test_api_join_refuses_a_bad_payload(client: FlaskClient, payload: Any) -> None:
    if payload is None:
        response = client.post("/api/join", data="not json", content_type="application/json")
    else:
        response = client.post("/api/join", json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_payload" and error["message"]


def test_api_join_answers_wrong_and_ended_codes_alike_and_refuses_when_locked(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    invalid = client.post("/api/join", json={"code": code, "language": "de"})
    assert invalid.status_code == 400
    assert invalid.get_json()["error"]["code"] == "invalid_language"

    live.lock_joining(session, organiser, workshop, True)
    session.commit()
    locked = client.post("/api/join", json={"code": code, "language": "en"})
    assert locked.status_code == 409
    assert locked.get_json()["error"]["code"] == "locked"

    end_workshop(session, workshop, organiser)
    ended = client.post("/api/join", json={"code": code, "language": "en"})
    wrong = client.post("/api/join", json={"code": "ZZZZ9999", "language": "en"})
    assert ended.status_code == wrong.status_code == 404
    assert ended.get_json() == wrong.get_json()
    assert ended.get_json()["error"]["code"] == "not_found"
    assert count_participants(session) == 0


# --- rate limits ----------------------------------------------------------------------


# The `app` fixture with its limits on and low, for the tests that carry this marker.
LIMITED = pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    JOIN_RATE_LIMIT="2 per minute",
    JOIN_PAGE_RATE_LIMIT="5 per minute",
)


@pytest.fixture
def limited(app: Flask) -> tuple[FlaskClient, str]:
    with app.app_context(), make_session_factory(db.engine)() as session:
        workshop = Workshop(
            slug="limited",
            title={"en": "Limited"},
            languages=["en"],
            timezone="UTC",
            kind="workshop",
        )
        session.add(workshop)
        session.flush()
        code = open_live(session, workshop)
    return app.test_client(), code


@LIMITED
def test_join_attempts_past_the_limit_get_429(limited: tuple[FlaskClient, str]) -> None:
    client, code = limited
    token = form_token(client.get(f"/j/{code}"))
    for _ in range(2):  # bad attempts count too: they are how codes would be guessed
        response = client.post(f"/j/{code}", data={"language": "de", "csrf_token": token})
        assert response.status_code == 400
    response = client.post(f"/j/{code}", data={"language": "en", "csrf_token": token})
    assert response.status_code == 429
    assert "Too many attempts" in text(response)
    assert response.headers["Retry-After"]
    # The API shares the budget, and says so in JSON.
    api = client.post("/api/join", json={"code": code, "language": "en"})
    assert api.status_code == 429
    assert api.get_json()["error"]["code"] == "rate_limited"


@LIMITED
def test_pages_that_take_a_code_are_limited_more_generously(
    limited: tuple[FlaskClient, str],
) -> None:
    client, code = limited
    guesses = [client.get(f"/j/ZZZZAAA{n}").status_code for n in range(1, 6)]
    assert guesses == [404] * 5
    # After five guesses even the right code waits: guessing is slowed, not only failing.
    response = client.get(f"/j/{code}")
    assert response.status_code == 429
    assert "Too many attempts" in text(response)


# --- QR codes -------------------------------------------------------------------------


def qr_path(data: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    svg = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    match = re.search(r'<path d="([^"]+)"', svg)
    assert match
    return match.group(1)


def test_qr_codes_as_svg_for_screens_and_png_for_download(client: FlaskClient, code: str) -> None:
    svg = client.get(f"/j/{code}/qr.svg")
    assert svg.status_code == 200
    assert svg.mimetype == "image/svg+xml"
    assert "<svg" in svg.get_data(as_text=True)
    assert qr_path(f"http://localhost/j/{code}") in svg.get_data(as_text=True)
    png = client.get(f"/j/{code}/qr.png")
    assert png.status_code == 200
    assert png.mimetype == "image/png"
    assert png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["Content-Disposition"].startswith("attachment;")
    assert f"{code}.png" in png.headers["Content-Disposition"]


def test_qr_codes_use_the_public_url_when_set(app: Flask, client: FlaskClient, code: str) -> None:
    app.config["PUBLIC_URL"] = "https://venue.example.org/"
    svg = client.get(f"/j/{code}/qr.svg").get_data(as_text=True)
    assert qr_path(f"https://venue.example.org/j/{code}") in svg
    assert qr_path(f"http://localhost/j/{code}") not in svg


# --- the handout ----------------------------------------------------------------------


def test_the_handout_shows_titles_in_every_language_the_qr_code_and_the_code(
    app: Flask, session: Session, organiser: User
) -> None:
    workshop = load_bilingual(session, organiser)
    client = app.test_client()
    login(client, "olga@example.org")
    response = client.get(f"/w/{workshop.slug}/handout")
    assert response.status_code == 200
    page = text(response)
    state = session.get(LiveState, workshop.id)
    assert state is not None  # the handout made the live row
    assert format_join_code(state.join_code) in page
    assert f"http://localhost/j/{state.join_code}" in page
    assert "Integrated territorial systems for SSE" in page
    assert "Systèmes territoriaux intégrés pour l'ESS" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Scan the QR code" in page
    assert f"/j/{state.join_code}/qr.png" in page


@pytest.mark.parametrize(("role", "status"), [(Role.MODERATOR, 200), (Role.RAPPORTEUR, 403)])
def test_the_handout_is_for_those_who_run_the_workshop(
    app: Flask, session: Session, workshop: Workshop, make_user: MakeUser, role: Role, status: int
) -> None:
    from facilitator.accounts.services import grant

    user = make_user("someone@example.org")
    grant(session, user, workshop, role)
    session.commit()
    client = app.test_client()
    assert client.get("/w/phones/handout").status_code == 302  # to the login page
    login(client, "someone@example.org")
    assert client.get("/w/phones/handout").status_code == status


# --- security of the participant's pages ----------------------------------------------


def test_participant_pages_send_the_csp_and_carry_no_inline_script_or_style(
    client: FlaskClient, session: Session, workshop: Workshop, organiser: User, code: str
) -> None:
    pages = [client.get("/j"), client.get(f"/j/{code}"), client.get("/j/ZZZZ9999")]
    join(client, code, display_name="Ana")
    live.start(session, organiser, workshop, NOW)
    live.set_message(session, organiser, workshop, "Coffee is ready", NOW)
    session.commit()
    pages.append(client.get(f"/j/{code}"))
    assert "Coffee is ready" in text(pages[-1])
    for response in pages:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        raw = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", raw):
            assert " src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\sstyle=", raw)
        assert not re.search(r"\son[a-z]+=", raw)
