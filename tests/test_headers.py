"""Security headers on every response, Engine.IO's included (issue 9, finding 6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.live.models import LiveState
from tests.conftest import login, make_test_app

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"
SAME_ORIGIN_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def connect_sources(response_headers: object) -> list[str]:
    policy = str(response_headers["Content-Security-Policy"])  # type: ignore[index]
    directive = next(part.strip() for part in policy.split(";") if "connect-src" in part)
    return directive.split()[1:]


def test_the_engine_io_handshake_has_the_same_headers(client: FlaskClient) -> None:
    page = client.get("/login")
    handshake = client.get(HANDSHAKE)
    assert handshake.status_code == 200
    assert handshake.get_data(as_text=True).startswith("0{")  # Engine.IO answered, not Flask
    for name in ("Content-Security-Policy", *SAME_ORIGIN_HEADERS):
        assert handshake.headers.get(name) == page.headers[name], name


def test_engine_io_errors_have_the_headers_too(client: FlaskClient) -> None:
    refused = client.get("/socket.io/?EIO=4&transport=polling&sid=nonexistent")
    assert refused.status_code == 400
    assert refused.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]


def test_connect_src_is_this_origin_only(client: FlaskClient) -> None:
    response = client.get("/login", base_url="http://venue.example:5000")
    sources = connect_sources(response.headers)
    assert sources == ["'self'", "ws://venue.example:5000", "wss://venue.example:5000"]
    assert "ws:" not in sources and "wss:" not in sources


def test_connect_src_follows_the_public_url(tmp_path: Path) -> None:
    app = make_test_app(tmp_path, PUBLIC_URL="https://workshops.example.org/")
    response = app.test_client().get("/login", base_url="http://10.0.0.5:5000")
    assert connect_sources(response.headers) == ["'self'", "wss://workshops.example.org"]
    handshake = app.test_client().get(HANDSHAKE, base_url="http://10.0.0.5:5000")
    assert connect_sources(handshake.headers) == ["'self'", "wss://workshops.example.org"]


def test_a_strange_host_header_cannot_widen_the_policy(client: FlaskClient) -> None:
    response = client.get("/login", headers={"Host": "evil.example; script-src *"})
    assert connect_sources(response.headers) == ["'self'"]
    assert "script-src *" not in response.headers["Content-Security-Policy"]


def test_no_hsts_in_development(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_hsts_in_production(tmp_path: Path) -> None:
    app = make_test_app(tmp_path, ENV_NAME="production")
    client = app.test_client()
    for path in ("/login", HANDSHAKE):
        hsts = client.get(path).headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000"), path


@pytest.fixture
def running(
    app: Flask,
    make_user: Callable[..., User],
    make_workshop: Callable[..., Workshop],
) -> FlaskClient:
    organiser = make_user("org@example.org")
    make_workshop("w", members={organiser: Role.ORGANISER})
    client = app.test_client()
    login(client, organiser.email)
    return client


def test_the_console_is_never_cached(running: FlaskClient) -> None:
    response = running.get("/w/w/console")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_pages_holding_a_token_are_never_cached(running: FlaskClient, session: Session) -> None:
    # The projector's page (/d/<token>) says no-store itself: tests/live/test_routes.py.
    running.get("/w/w/console")
    state = session.scalar(select(LiveState))
    assert state is not None
    pages = [
        "/",
        "/w/w",
        "/w/w/people",
        f"/j/{state.join_code}",
        "/account/password",
    ]
    for path in pages:
        response = running.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_the_login_page_is_never_cached(client: FlaskClient) -> None:
    assert client.get("/login").headers["Cache-Control"] == "no-store"
