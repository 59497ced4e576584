"""The app factory and what every page sends."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

from facilitator import create_app
from facilitator.config import ConfigError
from facilitator.extensions import db


def test_two_apps_in_one_process_are_independent(tmp_path: Path) -> None:
    """Each app has its own database, Socket.IO server, sockets and realtime state."""
    from facilitator.accounts.services import create_user
    from tests.conftest import make_test_app

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    a, b = make_test_app(tmp_path / "a"), make_test_app(tmp_path / "b")
    with a.app_context(), db.factory() as s:
        create_user(s, "only-in-a@example.org", "a long password 1", "Only in A")
        s.commit()
    with b.app_context():  # B answers from its own file: nothing of A's there
        assert db.engine.url.database.endswith("b/test.db")
        with db.factory() as s:
            assert s.scalar(text("SELECT count(*) FROM user_account")) == 0
    with a.app_context(), db.factory() as s:
        assert s.scalar(text("SELECT count(*) FROM user_account")) == 1
    assert a.extensions["socketio"] is not b.extensions["socketio"]
    assert a.extensions["socketio"].server is not b.extensions["socketio"].server
    ra, rb = a.extensions["facilitator.realtime"], b.extensions["facilitator.realtime"]
    assert ra.connections is not rb.connections and ra.tallies is not rb.tallies
    assert ra.cache is not rb.cache
    assert {"agenda", "accounts", "web"} <= set(a.blueprints) & set(b.blueprints)


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
    """An app made for several workers must not leave its Redis queue to the next app
    of the process (the CLI and tests make several)."""
    from tests.conftest import make_test_app
    from tests.realtime.support import Client

    for name in ("workers", "alone"):
        (tmp_path / name).mkdir()
    workers = make_test_app(tmp_path / "workers", MESSAGE_QUEUE="redis://127.0.0.1:6379/15")
    queued = workers.extensions["socketio"].server.manager
    alone = make_test_app(tmp_path / "alone")
    manager = alone.extensions["socketio"].server.manager
    assert type(manager).__name__ == "Manager"  # in-process rooms
    assert manager is not queued
    # Flask-SocketIO's test client does not start at all on an app with a queue; this one
    # reaches our connect handler, which refuses it for the reason it must: no auth.
    client = Client(alone, alone.extensions["socketio"], auth=None)
    assert client.refusal_code == "auth_required"
