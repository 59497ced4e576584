"""The app's one error module: every status as the app's page in the viewer's language,
or as JSON for API clients; the language switch never lands on a POST-only page."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.web import page_to_show_again
from tests.conftest import csrf_token, login

pytestmark = pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    LOGIN_RATE_LIMIT="1 per minute",
    PROPAGATE_EXCEPTIONS=False,  # a crash answers with the 500 page, as in production
)

# status -> (English title, French title, JSON code)
EXPECTED = {
    "400": ("The request could not be understood", "La requête n'a pas pu être comprise", 400),
    "403": ("Not allowed", "Action non autorisée", 403),
    "404": ("Page not found", "Page introuvable", 404),
    "405": ("Not available this way", "Pas disponible de cette façon", 405),
    "413": ("File too large", "Fichier trop volumineux", 413),
    "429": ("Too many attempts", "Trop de tentatives", 429),
    "csrf": ("The form could not be sent", "Le formulaire n'a pas pu être envoyé", 400),
    "500": ("Something went wrong", "Un problème est survenu", 500),
}
CODES = {
    "400": "bad_request",
    "403": "forbidden",
    "404": "not_found",
    "405": "method_not_allowed",
    "413": "too_large",
    "429": "rate_limited",
    "csrf": "csrf_failed",
    "500": "internal_error",
}
HUGE = b"x" * (3 * 1024 * 1024)  # past MAX_CONTENT_LENGTH


def text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def rapporteur(
    app: Flask, make_user: Callable[..., User], make_workshop: Callable[..., Workshop]
) -> FlaskClient:
    """A client logged in as the rapporteur of workshop `a`."""
    user = make_user("rapporteur@example.org")
    make_workshop("a", members={user: Role.RAPPORTEUR})
    client = app.test_client()
    login(client, "rapporteur@example.org")
    return client


def provoke(
    case: str, client: FlaskClient, rapporteur: Callable[[], FlaskClient], **headers: str
) -> TestResponse:
    """Make the app answer `case` for a request carrying `headers`."""
    if case == "400":
        token = csrf_token(client, "/login")
        return client.post(
            "/language", data={"language": "xx", "csrf_token": token}, headers=headers
        )
    if case == "403":
        return rapporteur().get("/w/a/console", headers=headers)
    if case == "404":
        return client.get("/no/such/page", headers=headers)
    if case == "405":
        return client.get("/logout", headers=headers)
    if case == "413":
        return client.post(
            "/upload",
            data={"file": (io.BytesIO(HUGE), "huge.yaml")},
            content_type="multipart/form-data",
            headers=headers,
        )
    if case == "429":
        token = csrf_token(client, "/login")
        data = {"email": "nobody@example.org", "password": "guess guess", "csrf_token": token}
        client.post("/login", data=data, headers=headers)
        return client.post("/login", data=data, headers=headers)
    if case == "csrf":
        return client.post("/logout", headers=headers)
    assert case == "500"
    return client.get("/boom", headers=headers)


@pytest.fixture
def crashing(app: Flask) -> Flask:
    def boom() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", "boom", boom)
    return app


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_error_is_the_apps_page_in_the_viewers_language(
    crashing: Flask, client: FlaskClient, request: pytest.FixtureRequest, case: str, language: str
) -> None:
    english, french, status = EXPECTED[case]
    response = provoke(
        case,
        client,
        lambda: request.getfixturevalue("rapporteur"),
        **{"Accept-Language": language},
    )
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = text(response)
    assert f'<html lang="{language}">' in page
    assert f"<h1>{english if language == 'en' else french}</h1>" in page
    assert 'class="site-header"' in page  # the app's layout, not a bare server page
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_error_is_json_for_a_client_that_prefers_it(
    crashing: Flask, client: FlaskClient, request: pytest.FixtureRequest, case: str, language: str
) -> None:
    english, _french, status = EXPECTED[case]
    response = provoke(
        case,
        client,
        lambda: request.getfixturevalue("rapporteur"),
        **{"Accept-Language": language, "Accept": "application/json"},
    )
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == CODES[case]
    assert error["message"]
    assert english not in error["message"] or language == "en"


def test_messages_of_json_errors_are_translated(client: FlaskClient) -> None:
    headers = {"Accept": "application/json"}
    english = client.get("/no/such/page", headers={**headers, "Accept-Language": "en"})
    korean = client.get("/no/such/page", headers={**headers, "Accept-Language": "ko"})
    assert english.get_json()["error"]["message"] != korean.get_json()["error"]["message"]


def test_api_paths_answer_json_even_to_a_browser(client: FlaskClient) -> None:
    response = client.get("/api/no-such-thing", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": response.get_json()["error"]["message"]}
    }
    wrong_method = client.get("/api/join")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]


def test_the_rapporteurs_console_refusal_is_the_apps_page_in_their_language(
    rapporteur: FlaskClient,
) -> None:
    response = rapporteur.get("/w/a/console", headers={"Accept-Language": "ko"})
    assert response.status_code == 403
    page = text(response)
    assert '<html lang="ko">' in page
    assert "<h1>권한 없음</h1>" in page
    assert "Forbidden" not in page  # not Werkzeug's page


def test_a_wrong_display_token_is_the_apps_page_in_the_viewers_language(
    client: FlaskClient,
) -> None:
    response = client.get("/d/not-a-real-token", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    page = text(response)
    assert '<html lang="fr">' in page
    assert "<h1>Ce lien d'affichage n'est plus valide</h1>" in page
    assert "Not Found" not in page


def test_an_unknown_code_on_a_phone_keeps_the_phones_layout(client: FlaskClient) -> None:
    response = client.get("/j/ZZZZ9999", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    page = text(response)
    assert '<html lang="es">' in page and "<h1>Sesión no encontrada</h1>" in page
    assert 'class="phone' in page and "site-header" not in page
    assert 'href="/j"' in page  # somewhere to type another code


def test_the_language_switch_after_a_failed_upload_lands_on_a_page_a_get_can_show(
    app: Flask, make_user: Callable[..., User]
) -> None:
    make_user("organiser@example.org")
    client = app.test_client()
    login(client, "organiser@example.org")
    token = csrf_token(client, "/")
    failed = client.post(
        "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(b"not: [an agenda"), "bad.yaml")},
        content_type="multipart/form-data",
    )
    assert failed.status_code == 400
    shown_next = re.search(r'name="next" value="([^"]*)"', failed.get_data(as_text=True))
    assert shown_next and shown_next.group(1) == "/upload"  # the page's own, POST-only path
    switched = client.post(
        "/language",
        data={"language": "fr", "next": shown_next.group(1), "csrf_token": token},
        headers={"Referer": "http://localhost/upload"},
    )
    assert switched.status_code == 302
    assert switched.location == "/"
    assert client.get(switched.location).status_code == 200
    # With no `next` at all, the referrer is checked the same way.
    by_referrer = client.post(
        "/language",
        data={"language": "pt", "csrf_token": token},
        headers={"Referer": "http://localhost/upload"},
    )
    assert by_referrer.status_code == 302 and by_referrer.location == "/"


def test_the_page_to_show_again_is_the_nearest_a_get_can_show(app: Flask) -> None:
    with app.test_request_context():
        assert page_to_show_again("/upload") == "/"
        assert page_to_show_again("/invite/abc/register") == "/invite/abc"
        assert page_to_show_again("/w/a/people/3/remove") == "/w/a/people"
        assert page_to_show_again("/w/a/delete") == "/w/a/delete"  # GET and POST
        assert page_to_show_again("/login?next=%2Fw%2Fa") == "/login?next=%2Fw%2Fa"
        assert page_to_show_again("/no/such/page") == "/no/such/page"  # its 404, translated


def test_a_refused_csrf_token_offers_a_way_back_a_get_can_show(client: FlaskClient) -> None:
    response = client.post("/j/ABCDEFGH", data={"language": "en"})
    assert response.status_code == 400
    assert 'href="/j/ABCDEFGH"' in response.get_data(as_text=True)
