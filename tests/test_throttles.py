"""Limits that are not per address (issue 9, finding 5): a per-account login throttle with a
growing delay, and a ceiling on wrong join codes for the whole server."""

from __future__ import annotations

import html
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from facilitator.accounts.models import Role, User
from facilitator.agenda.models import Workshop
from facilitator.ratelimits import Throttles, login_delay, throttle_storage
from tests.conftest import (
    PASSWORD,
    REDIS_URL,
    csrf_token,
    make_test_app,
    redis_unreachable_reason,
)

WRONG = "Wrong e-mail address or password."


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def try_password(client: FlaskClient, email: str, password: str) -> tuple[int, str, str]:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )
    return (
        response.status_code,
        html.unescape(response.get_data(as_text=True)),
        response.headers.get("Retry-After", ""),
    )


def test_the_delay_doubles_after_the_free_failures_up_to_a_ceiling() -> None:
    assert [login_delay(n, free=5, ceiling=300) for n in range(4, 16)] == [
        0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300
    ]  # fmt: skip
    assert login_delay(10_000, free=5, ceiling=300) == 300


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    LOGIN_RATE_LIMIT="1000 per minute",  # the per-address limit stays out of the way
    LOGIN_FREE_FAILURES=3,
    LOGIN_MAX_DELAY_SECONDS=1,
)
def test_ten_addresses_guessing_one_password_are_refused_and_the_owner_gets_in_after(
    app: Flask, make_user: Callable[..., User]
) -> None:
    owner = make_user("olga@example.org")
    attackers = [from_address(app, f"203.0.113.{n}") for n in range(10)]
    outcomes = []
    for round_ in range(3):
        for number, attacker in enumerate(attackers):
            outcomes.append(try_password(attacker, owner.email, f"guess {round_} {number}")[0])
    # Three wrong passwords, then every guess from every address is refused unheard.
    assert outcomes[:3] == [200, 200, 200]
    assert set(outcomes[3:]) == {429}
    status, page, retry_after = try_password(attackers[0], owner.email, PASSWORD)
    assert status == 429
    assert "Too many failed log-ins for this account. Try again in 1 second." in page
    # Flask-Limiter raises Retry-After to its own window's end on the routes it limits.
    assert retry_after.isdigit() and int(retry_after) >= 1
    # An e-mail nobody owns is throttled just the same: nothing tells them apart.
    nobody = [try_password(attackers[1], "nobody@example.org", "x" * 12)[0] for _ in range(4)]
    assert nobody == [200, 200, 200, 429]

    time.sleep(1.1)
    owner_browser = from_address(app, "198.51.100.7")
    status, _page, _retry = try_password(owner_browser, owner.email, PASSWORD)
    assert status == 302
    # Logging in clears the count: the owner's next typo is just a typo.
    assert try_password(from_address(app, "198.51.100.7"), owner.email, "typo typo")[0] == 200


def test_each_failure_past_the_free_ones_doubles_the_wait(tmp_path: Path) -> None:
    throttles = Throttles("memory://", "t", free_failures=1, max_delay_s=60, wrong_codes="5/second")
    email = "olga@example.org"
    assert throttles.login_wait(email) == 0
    throttles.login_failed(email)
    assert throttles.login_wait(email) == 1
    time.sleep(1.05)
    assert throttles.login_wait(email) == 0
    throttles.login_failed(email)
    assert throttles.login_wait(email) == 2
    throttles.login_succeeded(email)
    assert throttles.login_wait(email) == 0


@pytest.fixture
def open_workshop(
    app: Flask,
    make_user: Callable[..., User],
    make_workshop: Callable[..., Workshop],
) -> str:
    """A workshop whose console was opened: its join code works. Returns the code."""
    from tests.conftest import login

    organiser = make_user("org@example.org")
    make_workshop("w", members={organiser: Role.ORGANISER})
    client = app.test_client()
    login(client, organiser.email)
    client.get("/w/w/console")
    from sqlalchemy import select

    from facilitator.extensions import db
    from facilitator.live.models import LiveState

    with app.app_context():
        state = db.session.scalar(select(LiveState))
        assert state is not None
        return state.join_code


def wrong_codes(count: int) -> list[str]:
    # Well-formed codes (8 letters and digits) that open nothing.
    return [f"ZZZZ{n:04d}".replace("0", "Z").replace("1", "Y")[:8] for n in range(count)]


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    WRONG_JOIN_CODE_RATE="10 per minute",
)
def test_twenty_addresses_guessing_codes_hit_the_ceiling(app: Flask, open_workshop: str) -> None:
    guessers = [from_address(app, f"203.0.113.{n}") for n in range(20)]
    statuses = [
        guesser.get(f"/j/{code}").status_code
        for guesser, code in zip(guessers, wrong_codes(20), strict=True)
    ]
    assert statuses == [404] * 10 + [429] * 10
    # In the viewer's language, with when to come back.
    page = guessers[0].get(f"/j/{wrong_codes(1)[0]}", headers={"Accept-Language": "fr"})
    assert page.status_code == 429
    assert '<html lang="fr"' in page.get_data(as_text=True)
    assert page.headers["Retry-After"].isdigit()
    # The API answers JSON.
    api = guessers[1].post("/api/join", json={"code": wrong_codes(1)[0], "language": "en"})
    assert api.status_code == 429
    assert api.get_json()["error"]["code"] == "rate_limited"
    # While the ceiling holds, a right code is refused too: otherwise the answer is the oracle.
    assert guessers[2].get(f"/j/{open_workshop}").status_code == 429


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    WRONG_JOIN_CODE_RATE="10 per minute",
)
def test_right_codes_do_not_count_towards_the_ceiling(app: Flask, open_workshop: str) -> None:
    phones = [from_address(app, "192.0.2.1") for _ in range(30)]
    assert {phone.get(f"/j/{open_workshop}").status_code for phone in phones} == {200}


def test_without_rate_limits_there_is_no_ceiling(app: Flask, open_workshop: str) -> None:
    client = app.test_client()
    assert {client.get(f"/j/{code}").status_code for code in wrong_codes(40)} == {404}


def test_workers_share_the_counts_through_redis(tmp_path: Path) -> None:
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "MESSAGE_QUEUE_CHANNEL": f"test-{uuid.uuid4().hex}",  # this run's keys alone
        "LOGIN_FREE_FAILURES": 2,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_test_app(tmp_path / "a", **settings)
    second = make_test_app(tmp_path / "b", **settings)
    email = "shared@example.org"
    assert try_password(first.test_client(), email, "guess one!!")[0] == 200
    assert try_password(second.test_client(), email, "guess two!!")[0] == 200
    assert try_password(first.test_client(), email, "guess three")[0] == 429
    assert try_password(second.test_client(), email, "guess four!")[0] == 429


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True,
    RATELIMIT_STORAGE_URI="memory://",
    LOGIN_RATE_LIMIT="1000 per minute",
    LOGIN_FREE_FAILURES=2,
    LOGIN_MAX_DELAY_SECONDS=60,
)
def test_guessing_the_current_password_on_the_change_page_is_throttled_too(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """A borrowed, logged-in browser must not become a way round the log-in throttle."""
    from tests.conftest import login

    owner = make_user("olga@example.org")
    client = app.test_client()
    login(client, owner.email)
    statuses = []
    for guess in ("guess one", "guess two", PASSWORD):
        response = client.post(
            "/account/password",
            data={
                "current": guess,
                "password": "a long new password",
                "confirm": "a long new password",
                "csrf_token": csrf_token(client, "/account/password"),
            },
        )
        statuses.append(response.status_code)
    assert statuses == [400, 400, 429]
    # And the log-in form counts the same failures.
    assert try_password(app.test_client(), owner.email, PASSWORD)[0] == 429


@pytest.mark.parametrize(
    ("settings", "store"),
    [
        ({}, "swept-memory://"),
        ({"RATELIMIT_STORAGE_URI": "swept-memory://"}, "swept-memory://"),
        ({"MESSAGE_QUEUE": "redis://mq:6379/0"}, "redis://mq:6379/0"),
        (
            {"MESSAGE_QUEUE": "redis://mq:6379/0", "RATELIMIT_STORAGE_URI": "redis://other/1"},
            "redis://other/1",
        ),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "memory://"),
    ],
)
def test_several_workers_share_the_throttles_through_their_redis(
    settings: dict[str, str], store: str
) -> None:
    """Workers joined by a Redis message queue share the counts even if nobody set the store."""
    assert throttle_storage({"RATELIMIT_STORAGE_URI": "swept-memory://", **settings}) == store
