"""The app factory and what every page sends."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect

from facilitator import create_app
from facilitator.config import ConfigError
from facilitator.extensions import db


def test_factory_builds_independent_apps(tmp_path: Path) -> None:
    a = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
            "SECRET_KEY": "a" * 40,
            "ASYNC_MODE": "threading",
        }
    )
    assert a.config["DATABASE_URL"].endswith("a.db")
    assert {"agenda", "accounts", "web"} <= set(a.blueprints)


def test_production_app_refuses_a_weak_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_ENV", "production")
    monkeypatch.setenv("FACILITATOR_SECRET_KEY", "changeme")
    with pytest.raises(ConfigError):
        create_app()


def test_sqlite_runs_with_wal_and_foreign_keys(app: Flask) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    assert "workshop" in inspect(db.engine).get_table_names()


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_language_follows_the_browser_then_the_choice(client: FlaskClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "ko,en;q=0.5"})
    assert '<html lang="ko">' in page.get_data(as_text=True)
    token_page = client.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page)
    assert token
    response = client.post(
        "/language", data={"language": "pt", "next": "/login", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302 and response.location.endswith("/login")
    page = client.get("/login", headers={"Accept-Language": "ko"})
    assert '<html lang="pt">' in page.get_data(as_text=True)  # the choice beats the browser


def test_language_switch_refuses_unknown_languages_and_foreign_redirects(
    client: FlaskClient,
) -> None:
    import re

    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    )
    assert token
    bad = client.post("/language", data={"language": "xx", "csrf_token": token.group(1)})
    assert bad.status_code == 400
    away = client.post(
        "/language",
        data={"language": "fr", "next": "https://evil.example/", "csrf_token": token.group(1)},
    )
    assert away.status_code == 302 and away.location == "/"


def test_an_app_without_a_queue_does_not_use_the_last_apps_queue(tmp_path: Path) -> None:
    """The SocketIO object is shared by every app of a process (the CLI and tests make
    several): one made for several workers must not leave its Redis queue to the next."""
    from facilitator.extensions import socketio
    from tests.conftest import make_test_app

    for name in ("workers", "alone"):
        (tmp_path / name).mkdir()
    make_test_app(tmp_path / "workers", MESSAGE_QUEUE="redis://127.0.0.1:6379/15")
    queued = socketio.server.manager
    alone = make_test_app(tmp_path / "alone")
    assert type(socketio.server.manager).__name__ == "Manager"  # in-process rooms
    assert socketio.server.manager is not queued
    # The test client refuses to start at all while a queue is configured.
    assert not socketio.test_client(alone).is_connected()  # no auth: refused, as it must be
