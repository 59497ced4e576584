"""Logging in and out, the people page and invitation links, through the test client.

CSRF stays on: every POST carries the token a browser would have read from the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from facilitator.accounts.models import Invitation, Role, User
from facilitator.accounts.services import create_invitation, role_in, user_of_login
from facilitator.agenda.models import Workshop
from facilitator.extensions import db
from tests.conftest import PASSWORD, csrf_token, login

WRONG = "Wrong e-mail address or password."
NEW_PASSWORD = "a long enough password"

MakeUser = Callable[..., User]
MakeWorkshop = Callable[..., Workshop]


def text(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def logged_in_user_id(client: FlaskClient) -> str | None:
    """The id of the user the session cookie logs in (it holds a login id, not the row id)."""
    with client.session_transaction() as flask_session:
        login_id = flask_session.get("_user_id")
    if login_id is None:
        return None
    with client.application.app_context():
        user = user_of_login(db.session, str(login_id))
        return str(user.id) if user is not None else None


def post(client: FlaskClient, path: str, data: dict[str, str], *, token_from: str) -> TestResponse:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def invitation_link(client: FlaskClient, slug: str, role: str = "rapporteur") -> str:
    """Create a link on the people page as an organiser does; return the link it shows."""
    response = post(
        client, f"/w/{slug}/invitations", {"role": role}, token_from=f"/w/{slug}/people"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/w/{slug}/people"
    page = text(client.get(f"/w/{slug}/people"))
    match = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*id="invitation-link"', page
    )
    assert match, "the new link is not shown"
    assert "Copy this link now" in page
    return match.group(1)


def token_of(link: str) -> str:
    return link.rsplit("/invite/", 1)[1]


@pytest.fixture
def organiser(make_user: MakeUser) -> User:
    return make_user("olga@example.org", name="Olga Organiser")


@pytest.fixture
def workshop_a(make_workshop: MakeWorkshop, organiser: User) -> Workshop:
    return make_workshop("a", members={organiser: Role.ORGANISER})


# --- logging in -------------------------------------------------------------------------


def test_login_page_has_a_csrf_token_and_labelled_fields(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    page = text(response)
    assert re.search(r'<form method="post" action="/login"[^>]*>\s*<input id="csrf_token"', page)
    for field in ("email", "password", "remember"):
        assert f'for="{field}"' in page
        assert f'id="{field}"' in page
    assert 'autocomplete="current-password"' in page
    assert "<h1>Log in</h1>" in page


def test_post_without_csrf_token_is_refused(client: FlaskClient, organiser: User) -> None:
    response = client.post("/login", data={"email": organiser.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in text(response)
    assert logged_in_user_id(client) is None


def test_wrong_email_and_wrong_password_get_the_same_message(
    client: FlaskClient, organiser: User
) -> None:
    answers = []
    for email, password in [
        (organiser.email, "not the password"),
        ("nobody@example.org", PASSWORD),
    ]:
        response = post(
            client, "/login", {"email": email, "password": password}, token_from="/login"
        )
        assert response.status_code == 200
        page = text(response)
        assert WRONG in page
        answers.append(re.sub(r'value="[^"]*"', "", page))
        assert logged_in_user_id(client) is None
    assert answers[0] == answers[1]


def test_empty_fields_get_messages_next_to_them(client: FlaskClient) -> None:
    response = post(client, "/login", {"email": "", "password": ""}, token_from="/login")
    page = text(response)
    assert 'aria-describedby="email-error"' in page
    assert 'id="email-error"' in page
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page


def test_login_then_logout(client: FlaskClient, organiser: User) -> None:
    login(client, organiser.email)
    assert logged_in_user_id(client) == str(organiser.id)
    # Logged in, the login page sends you on.
    assert client.get("/login").status_code == 302
    # Logging out is a POST with its token; a GET does nothing.
    assert client.get("/logout").status_code == 405
    assert logged_in_user_id(client) == str(organiser.id)
    response = post(client, "/logout", {}, token_from="/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert logged_in_user_id(client) is None


def test_logout_without_csrf_token_is_refused(client: FlaskClient, organiser: User) -> None:
    login(client, organiser.email)
    assert client.post("/logout").status_code == 400
    assert logged_in_user_id(client) == str(organiser.id)


def test_login_email_is_case_insensitive(client: FlaskClient, organiser: User) -> None:
    login(client, "  OLGA@Example.org ")
    assert logged_in_user_id(client) == str(organiser.id)


def test_remember_me_sets_a_lasting_cookie(client: FlaskClient, organiser: User) -> None:
    response = post(
        client,
        "/login",
        {"email": organiser.email, "password": PASSWORD, "remember": "y"},
        token_from="/login",
    )
    assert response.status_code == 302
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_no_lasting_cookie(client: FlaskClient, organiser: User) -> None:
    login(client, organiser.email)
    assert client.get_cookie("remember_token") is None


def test_next_is_followed_when_it_is_a_local_path(
    client: FlaskClient, organiser: User, workshop_a: Workshop
) -> None:
    page = text(client.get("/login?next=/w/a/people"))
    assert (
        'action="/login?next=/w/a/people"' in page
        or 'action="/login?next=%2Fw%2Fa%2Fpeople"' in page
    )
    response = post(
        client,
        "/login?next=/w/a/people",
        {"email": organiser.email, "password": PASSWORD},
        token_from="/login",
    )
    assert response.headers["Location"] == "/w/a/people"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "https://evil.example/w/a", "javascript:alert(1)"],
)
def test_next_to_another_site_is_ignored(client: FlaskClient, organiser: User, target: str) -> None:
    page = text(client.get("/login", query_string={"next": target}))
    assert '<form method="post" action="/login" novalidate>' in page
    response = client.post(
        "/login",
        query_string={"next": target},
        data={
            "email": organiser.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_with_a_backslash_is_ignored(client: FlaskClient, organiser: User) -> None:
    response = client.post(
        "/login",
        query_string={"next": "/\\evil.example"},
        data={
            "email": organiser.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.headers["Location"] == "/"


# --- the rate limit ---------------------------------------------------------------------


@pytest.mark.app_config(
    RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="3 per minute"
)
def test_the_fourth_login_attempt_in_a_minute_gets_429(client: FlaskClient) -> None:
    token = csrf_token(client, "/login")
    data = {"email": "someone@example.org", "password": "guess guess", "csrf_token": token}
    for _ in range(3):
        response = client.post("/login", data=data)
        assert response.status_code == 200
        assert WRONG in text(response)
    response = client.post("/login", data=data)
    assert response.status_code == 429
    assert "wait a minute" in text(response)
    assert "<h1>" in text(response)
    assert response.headers["Retry-After"]
    # Only POSTs count: the form itself still shows.
    assert client.get("/login").status_code == 200


# --- the people page --------------------------------------------------------------------


def test_people_page_lists_roles_and_pending_links(
    client: FlaskClient,
    session: Session,
    make_user: MakeUser,
    organiser: User,
    workshop_a: Workshop,
) -> None:
    from facilitator.accounts.services import grant

    rita = make_user("rita@example.org", name="Rita Rapporteur")
    grant(session, rita, workshop_a, Role.RAPPORTEUR)
    session.commit()
    login(client, organiser.email)
    response = client.get("/w/a/people")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    for expected in ("Olga Organiser", "olga@example.org", "Organiser"):
        assert expected in page
    for expected in ("Rita Rapporteur", "rita@example.org", "Rapporteur"):
        assert expected in page
    assert page.index("Olga Organiser") < page.index("Rita Rapporteur")
    assert "No pending invitations." in page
    assert '<label for="role">' in page

    link = invitation_link(client, "a", "moderator")
    page = text(client.get("/w/a/people"))
    assert link not in page  # the link is shown once
    assert "No pending invitations." not in page
    assert "Moderator" in page


def test_new_link_is_absolute_and_shown_once(
    client: FlaskClient, organiser: User, workshop_a: Workshop
) -> None:
    login(client, organiser.email)
    link = invitation_link(client, "a")
    assert link.startswith("http://localhost/invite/")
    assert "Copy this link now" not in text(client.get("/w/a/people"))
    second = invitation_link(client, "a")
    assert second != link


def test_new_link_uses_the_public_url(
    app: Flask, client: FlaskClient, organiser: User, workshop_a: Workshop
) -> None:
    app.config["PUBLIC_URL"] = "https://workshops.example.org/"
    login(client, organiser.email)
    link = invitation_link(client, "a")
    assert link.startswith("https://workshops.example.org/invite/")


def test_only_moderator_and_rapporteur_links(
    client: FlaskClient, session: Session, organiser: User, workshop_a: Workshop
) -> None:
    login(client, organiser.email)
    response = post(client, "/w/a/invitations", {"role": "organiser"}, token_from="/w/a/people")
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_organiser_revokes_a_pending_link(
    client: FlaskClient, session: Session, organiser: User, workshop_a: Workshop
) -> None:
    login(client, organiser.email)
    link = invitation_link(client, "a")
    invitation_id = session.scalar(select(Invitation.id))
    response = post(
        client, f"/w/a/invitations/{invitation_id}/revoke", {}, token_from="/w/a/people"
    )
    assert response.status_code == 302
    assert "No pending invitations." in text(client.get("/w/a/people"))
    assert client.get(link.replace("http://localhost", "")).status_code == 404
    # Twice: it is gone.
    response = post(
        client, f"/w/a/invitations/{invitation_id}/revoke", {}, token_from="/w/a/people"
    )
    assert response.status_code == 404


def test_organiser_removes_a_member_but_not_the_last_organiser(
    client: FlaskClient,
    session: Session,
    make_user: MakeUser,
    organiser: User,
    workshop_a: Workshop,
) -> None:
    from facilitator.accounts.services import grant

    mo = make_user("mo@example.org", name="Mo Moderator")
    grant(session, mo, workshop_a, Role.MODERATOR)
    session.commit()
    login(client, organiser.email)
    response = post(client, f"/w/a/people/{mo.id}/remove", {}, token_from="/w/a/people")
    assert response.status_code == 302
    session.expire_all()
    assert role_in(session, mo, workshop_a) is None
    assert "Mo Moderator no longer has a role" in text(client.get("/w/a/people"))

    response = post(client, f"/w/a/people/{organiser.id}/remove", {}, token_from="/w/a/people")
    assert response.headers["Location"] == "/w/a/people"
    assert "at least one organiser" in text(client.get("/w/a/people"))
    session.expire_all()
    assert role_in(session, organiser, workshop_a) is Role.ORGANISER
    # Not a member (any more): nothing to remove.
    response = post(client, f"/w/a/people/{mo.id}/remove", {}, token_from="/w/a/people")
    assert response.status_code == 404


# --- who may see it ---------------------------------------------------------------------


@pytest.fixture
def two_workshops(
    make_user: MakeUser, make_workshop: MakeWorkshop, organiser: User
) -> dict[str, User]:
    rita = make_user("rita@example.org")
    mo = make_user("mo@example.org")
    make_workshop(
        "a", members={organiser: Role.ORGANISER, rita: Role.RAPPORTEUR, mo: Role.MODERATOR}
    )
    other = make_user("otto@example.org")
    make_workshop("b", members={other: Role.ORGANISER})
    return {"rita": rita, "mo": mo, "otto": other}


def test_rapporteur_of_a_gets_403_on_b_and_on_a(
    client: FlaskClient, session: Session, two_workshops: dict[str, User]
) -> None:
    login(client, "rita@example.org")
    assert client.get("/w/b/people").status_code == 403
    assert client.get("/w/a/people").status_code == 403
    token = csrf_token(client, "/")
    for slug in ("a", "b"):
        response = client.post(
            f"/w/{slug}/invitations", data={"role": "moderator", "csrf_token": token}
        )
        assert response.status_code == 403
        response = client.post(
            f"/w/{slug}/people/{two_workshops['otto'].id}/remove", data={"csrf_token": token}
        )
        assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_moderator_gets_403_on_the_people_page(
    client: FlaskClient, two_workshops: dict[str, User]
) -> None:
    login(client, "mo@example.org")
    assert client.get("/w/a/people").status_code == 403


def test_organiser_of_a_gets_403_on_b(
    client: FlaskClient, organiser: User, two_workshops: dict[str, User]
) -> None:
    login(client, organiser.email)
    assert client.get("/w/a/people").status_code == 200
    assert client.get("/w/b/people").status_code == 403


def test_admin_sees_every_people_page(
    client: FlaskClient, make_user: MakeUser, two_workshops: dict[str, User]
) -> None:
    make_user("root@example.org", admin=True)
    login(client, "root@example.org")
    assert client.get("/w/a/people").status_code == 200
    assert client.get("/w/b/people").status_code == 200


def test_unknown_workshop_is_404(client: FlaskClient, organiser: User) -> None:
    login(client, organiser.email)
    assert client.get("/w/nope/people").status_code == 404


def test_anonymous_is_sent_to_log_in(
    client: FlaskClient, workshop_a: Workshop, session: Session
) -> None:
    response = client.get("/w/a/people")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    response = client.post(
        "/w/a/invitations", data={"role": "moderator", "csrf_token": csrf_token(client, "/login")}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


# --- invitation links -------------------------------------------------------------------


def register(client: FlaskClient, token: str, email: str, **changes: str) -> TestResponse:
    data = {
        "name": "Nina Newcomer",
        "email": email,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(changes)
    return post(client, f"/invite/{token}/register", data, token_from=f"/invite/{token}")


def test_invite_flow_end_to_end(
    app: Flask, session: Session, organiser: User, workshop_a: Workshop
) -> None:
    olga = app.test_client()
    login(olga, organiser.email)
    token = token_of(invitation_link(olga, "a", "rapporteur"))

    nina = app.test_client()
    page = text(nina.get(f"/invite/{token}"))
    assert "You are invited to Workshop a as Rapporteur" in page
    assert f'href="/login?next=/invite/{token}"' in page or (
        f'href="/login?next=%2Finvite%2F{token}"' in page
    )
    response = register(nina, token, "Nina@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/w/a"
    user = session.scalar(select(User).where(User.email == "nina@example.org"))
    assert user is not None
    assert user.name == "Nina Newcomer"
    assert role_in(session, user, workshop_a) is Role.RAPPORTEUR
    assert logged_in_user_id(nina) == str(user.id)

    # The link has been used: a second visitor is refused, and nothing is created.
    late = app.test_client()
    response = late.get(f"/invite/{token}")
    assert response.status_code == 410
    assert "already been used" in text(response)
    response = late.post(
        f"/invite/{token}/register",
        data={
            "name": "Late",
            "email": "late@example.org",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(late, "/login"),
        },
    )
    assert response.status_code == 410
    assert session.scalar(select(User).where(User.email == "late@example.org")) is None

    # The organiser's page no longer lists it as pending, and shows the new rapporteur.
    page = text(olga.get("/w/a/people"))
    assert "No pending invitations." in page
    assert "nina@example.org" in page


def test_logged_in_user_accepts_with_a_button(
    app: Flask, session: Session, make_user: MakeUser, organiser: User, workshop_a: Workshop
) -> None:
    olga = app.test_client()
    login(olga, organiser.email)
    token = token_of(invitation_link(olga, "a", "moderator"))

    make_user("mo@example.org", name="Mo")
    mo = app.test_client()
    login(mo, "mo@example.org")
    page = text(mo.get(f"/invite/{token}"))
    assert "You are invited to Workshop a as Moderator" in page
    assert "Accept the invitation" in page
    assert f'action="/invite/{token}/register"' not in page
    assert mo.post(f"/invite/{token}/accept").status_code == 400  # no CSRF token
    response = post(mo, f"/invite/{token}/accept", {}, token_from=f"/invite/{token}")
    assert response.headers["Location"] == "/w/a"
    user = session.scalar(select(User).where(User.email == "mo@example.org"))
    assert user is not None
    assert role_in(session, user, workshop_a) is Role.MODERATOR


def test_log_in_from_the_invitation_then_accept(
    app: Flask, session: Session, make_user: MakeUser, organiser: User, workshop_a: Workshop
) -> None:
    olga = app.test_client()
    login(olga, organiser.email)
    token = token_of(invitation_link(olga, "a"))
    make_user("mo@example.org")
    mo = app.test_client()
    response = mo.post(
        f"/login?next=/invite/{token}",
        data={
            "email": "mo@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(mo, f"/invite/{token}"),
        },
    )
    assert response.headers["Location"] == f"/invite/{token}"
    response = post(mo, f"/invite/{token}/accept", {}, token_from=f"/invite/{token}")
    assert response.headers["Location"] == "/w/a"


def test_an_organiser_opening_their_own_link_does_not_use_it_up(
    client: FlaskClient, organiser: User, workshop_a: Workshop
) -> None:
    login(client, organiser.email)
    token = token_of(invitation_link(client, "a"))
    page = text(client.get(f"/invite/{token}"))
    assert "You already take part in this workshop as Organiser." in page
    assert "Accept the invitation" not in page
    response = post(client, f"/invite/{token}/accept", {}, token_from=f"/invite/{token}")
    assert response.headers["Location"] == "/w/a"
    assert client.get(f"/invite/{token}").status_code == 200  # still open


def test_registration_errors_are_shown_next_to_the_fields(
    app: Flask, session: Session, organiser: User, workshop_a: Workshop
) -> None:
    olga = app.test_client()
    login(olga, organiser.email)
    token = token_of(invitation_link(olga, "a"))
    visitor = app.test_client()

    page = text(register(visitor, token, "nina@example.org", password="short", confirm="short"))
    assert 'id="password-error"' in page
    assert "Use at least 10 characters." in page
    assert 'aria-invalid="true"' in page

    page = text(register(visitor, token, "nina@example.org", confirm="something else"))
    assert 'id="confirm-error"' in page
    assert "The two passwords differ." in page

    page = text(register(visitor, token, organiser.email))
    assert 'id="email-error"' in page
    assert "already exists" in page

    page = text(register(visitor, token, "not-an-address"))
    assert "Enter a valid e-mail address." in page

    assert session.scalar(select(func.count()).select_from(User)) == 1
    assert logged_in_user_id(visitor) is None
    assert visitor.get(f"/invite/{token}").status_code == 200  # still unused


def test_expired_link_is_refused(
    app: Flask, client: FlaskClient, session: Session, organiser: User, workshop_a: Workshop
) -> None:
    _invitation, token = create_invitation(
        session,
        organiser,
        workshop_a,
        Role.MODERATOR,
        secret_key=app.config["SECRET_KEY"],
        max_age_seconds=-1,
    )
    session.commit()
    response = client.get(f"/invite/{token}")
    assert response.status_code == 410
    assert "This invitation has expired" in text(response)
    response = client.post(
        f"/invite/{token}/register",
        data={
            "name": "X",
            "email": "x@example.org",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )
    assert response.status_code == 410
    assert session.scalar(select(User).where(User.email == "x@example.org")) is None


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxLCJuIjoieCJ9.AAAAAA.BBBBBBBBBBBBBBBB"])
def test_invalid_links_all_read_the_same(
    app: Flask,
    client: FlaskClient,
    session: Session,
    organiser: User,
    workshop_a: Workshop,
    token: str,
) -> None:
    _invitation, good = create_invitation(
        session,
        organiser,
        workshop_a,
        Role.MODERATOR,
        secret_key=app.config["SECRET_KEY"],
        max_age_seconds=3600,
    )
    session.commit()
    tampered = good[:-3] + ("abc" if not good.endswith("abc") else "xyz")
    pages = []
    for candidate in (token, tampered):
        response = client.get(f"/invite/{candidate}")
        assert response.status_code == 404
        pages.append(text(response).replace(candidate, ""))
        assert "This invitation link is not valid" in pages[-1]
    assert pages[0] == pages[1]


# --- logging out ends a login (issue 9, finding 2) ----------------------------------------


def remembered_login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = post(
        client,
        "/login",
        {"email": email, "password": PASSWORD, "remember": "y"},
        token_from="/login",
    )
    assert response.status_code == 302
    return client


def cookie_value(client: FlaskClient, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def with_cookies(app: Flask, **cookies: str) -> FlaskClient:
    """A fresh browser holding only the copied cookies, as a thief would."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def test_old_session_and_remember_cookies_fail_after_logout(app: Flask, organiser: User) -> None:
    client = remembered_login(app, organiser.email)
    old_session = cookie_value(client, "session")
    old_remember = cookie_value(client, "remember_token")
    assert is_logged_in(with_cookies(app, session=old_session))
    assert is_logged_in(with_cookies(app, remember_token=old_remember))

    assert post(client, "/logout", {}, token_from="/").status_code == 302

    assert not is_logged_in(client)
    assert not is_logged_in(with_cookies(app, session=old_session))
    assert not is_logged_in(with_cookies(app, remember_token=old_remember))
    assert not is_logged_in(with_cookies(app, session=old_session, remember_token=old_remember))


def test_logging_out_on_one_device_ends_the_others(app: Flask, organiser: User) -> None:
    laptop = remembered_login(app, organiser.email)
    phone = remembered_login(app, organiser.email)
    assert post(phone, "/logout", {}, token_from="/").status_code == 302
    assert not is_logged_in(laptop)
    # Logging in again works, with a new cookie.
    login(laptop, organiser.email)
    assert is_logged_in(laptop)


def test_two_logins_get_different_remember_cookies(app: Flask, organiser: User) -> None:
    first = cookie_value(remembered_login(app, organiser.email), "remember_token")
    second = cookie_value(remembered_login(app, organiser.email), "remember_token")
    assert first != second
    assert str(organiser.id) not in (first.split("|")[0], second.split("|")[0])


def test_a_password_change_logs_out_the_other_sessions(
    app: Flask, organiser: User, session: Session
) -> None:
    other = remembered_login(app, organiser.email)
    old_remember = cookie_value(other, "remember_token")
    client = remembered_login(app, organiser.email)
    page = client.get("/account/password")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    response = post(
        client,
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 302
    # This browser stays logged in; every other session and remember cookie is over.
    assert is_logged_in(client)
    assert not is_logged_in(other)
    assert not is_logged_in(with_cookies(app, remember_token=old_remember))
    fresh = app.test_client()
    login(fresh, organiser.email, NEW_PASSWORD)
    assert is_logged_in(fresh)


def test_a_wrong_current_password_changes_nothing(app: Flask, organiser: User) -> None:
    other = remembered_login(app, organiser.email)
    client = remembered_login(app, organiser.email)
    response = post(
        client,
        "/account/password",
        {"current": "not the password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 400
    assert "Your current password is not this one." in text(response)
    assert is_logged_in(other)
    login(app.test_client(), organiser.email, PASSWORD)


def test_the_password_page_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_remember_cookie_is_same_site_http_only_and_short(app: Flask, organiser: User) -> None:
    client = app.test_client()
    response = post(
        client,
        "/login",
        {"email": organiser.email, "password": PASSWORD, "remember": "y"},
        token_from="/login",
    )
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "SameSite=Lax" in remember and "HttpOnly" in remember
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "SameSite=Lax" in session_cookie
    expires = re.search(r"Expires=([^;]+)", remember)
    assert expires is not None
    left = parsedate_to_datetime(expires.group(1)) - datetime.now(UTC)
    assert timedelta(days=13) < left <= timedelta(days=14)
