"""The organiser's agenda routes: upload, download, delete and who may use them.

Real agenda files, real parsing, CSRF on: requests go through the test client as
a browser would send them.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from facilitator.accounts.models import Membership, Role, User
from facilitator.accounts.services import grant
from facilitator.agenda.errors import MAX_PROBLEMS, AgendaError
from facilitator.agenda.exporter import export_agenda
from facilitator.agenda.models import Day, Person, ProgramItem, Workshop
from facilitator.agenda.parsing import parse_agenda
from facilitator.agenda.services import find_workshop
from tests.agenda.test_parsing import count_suggestions
from tests.conftest import SESSIONS, csrf_token, login

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMPLETE = FIXTURES / "complete.yaml"
SEED_000 = SESSIONS / "2021-local-governments-sse-alliances.yaml"
COMPLETE_SLUG = "example-local-alliances"


def agenda_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not there yet")
    return path


def upload(client: FlaskClient, content: bytes, filename: str = "agenda.yaml") -> TestResponse:
    return client.post(
        "/upload",
        data={"csrf_token": csrf_token(client, "/"), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def text_of(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Workshop, Day, ProgramItem, Person, Membership)
    }


def stored(session: Session, slug: str) -> Workshop | None:
    session.expire_all()
    return find_workshop(session, slug)


@pytest.fixture
def organiser(app: Flask, make_user: Callable[..., User]) -> FlaskClient:
    """A logged-in organiser who has loaded the complete example agenda."""
    make_user("org@example.org")
    client = app.test_client()
    login(client, "org@example.org")
    response = upload(client, agenda_file(COMPLETE).read_bytes(), "complete.yaml")
    assert response.status_code == 302, text_of(response)
    return client


def client_for(app: Flask, make_user: Callable[..., User], email: str, **kw: bool) -> FlaskClient:
    make_user(email, **kw)
    client = app.test_client()
    login(client, email)
    return client


def member(
    session: Session, make_user: Callable[..., User], email: str, slug: str, role: Role
) -> None:
    user = make_user(email)
    workshop = stored(session, slug)
    assert workshop is not None
    grant(session, user, workshop, role)
    session.commit()


# --- upload -----------------------------------------------------------------------------------


def test_upload_valid_file_creates_the_workshop_and_shows_it(
    app: Flask, make_user: Callable[..., User], session: Session
) -> None:
    client = client_for(app, make_user, "org@example.org")
    response = upload(client, agenda_file(SEED_000).read_bytes(), SEED_000.name)

    assert response.status_code == 302
    assert response.headers["Location"] == "/w/2021-local-governments-sse-alliances"
    page = client.get(response.headers["Location"])
    body = text_of(page)
    assert page.status_code == 200
    assert "created" in body
    assert "Initiatives and alliances between local governments and SSE actors" in body
    assert "Internet connection check" in body  # the program's first item
    assert "Network of local governments promoting SSE" in body
    # The uploader is the new workshop's organiser.
    workshop = stored(session, "2021-local-governments-sse-alliances")
    assert workshop is not None
    user = session.scalar(select(User).where(User.email == "org@example.org"))
    assert user is not None
    roles = session.scalars(select(Membership.role).where(Membership.user_id == user.id)).all()
    assert roles == [Role.ORGANISER]
    # The dashboard lists it, with the role and links.
    dashboard = text_of(client.get("/"))
    assert "Initiatives and alliances between local governments" in dashboard
    assert "Organiser" in dashboard
    assert "/w/2021-local-governments-sse-alliances/agenda.yaml" in dashboard


def test_uploading_the_same_slug_again_updates_in_place(
    organiser: FlaskClient, session: Session
) -> None:
    before = counts(session)
    changed = COMPLETE.read_text(encoding="utf-8").replace(
        "en: Local alliances for the social and solidarity economy",
        "en: Local alliances, second edition",
    )
    response = upload(organiser, changed.encode(), "complete.yaml")

    assert response.status_code == 302
    assert "updated" in text_of(organiser.get(response.headers["Location"]))
    assert counts(session) == before
    workshop = stored(session, COMPLETE_SLUG)
    assert workshop is not None
    assert workshop.title["en"] == "Local alliances, second edition"


def test_upload_invalid_file_lists_problems_and_changes_nothing(
    organiser: FlaskClient, session: Session
) -> None:
    source = COMPLETE.read_text(encoding="utf-8")
    broken = source.replace("kind: presentation", "kind: speech").replace(
        'start: "10:10"', 'start: "25:10"'
    )
    before = counts(session)

    response = upload(organiser, broken.encode(), "broken.yaml")

    assert response.status_code == 400
    body = text_of(response)
    lines = broken.splitlines()
    kind_line = next(i for i, line in enumerate(lines, 1) if "kind: speech" in line)
    assert re.search(rf"broken\.yaml:{kind_line}:\d+: program\[2\]\.kind: .*'speech'", body)
    time_line = next(i for i, line in enumerate(lines, 1) if '"25:10"' in line)
    assert re.search(rf"broken\.yaml:{time_line}:\d+: program\[3\]\.start: ", body)
    # The same wording as `facilitator check` prints (English UI).
    with pytest.raises(AgendaError) as error:
        parse_agenda(broken, "broken.yaml")
    assert len(error.value.problems) == 2
    for line in str(error.value).splitlines():
        assert line in body
    # Nothing changed, not even the existing workshop of that slug.
    assert counts(session) == before
    workshop = stored(session, COMPLETE_SLUG)
    assert workshop is not None
    assert workshop.program[2].kind == "presentation"


def test_upload_with_an_unknown_reference_points_at_it(
    organiser: FlaskClient, session: Session
) -> None:
    broken = COMPLETE.read_text(encoding="utf-8").replace(
        "people: [kim-speaker]", "people: [kim-speakr]"
    )
    before = counts(session)

    response = upload(organiser, broken.encode(), "broken.yaml")

    assert response.status_code == 400
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "kim-speakr" in text)
    assert re.search(
        rf"broken\.yaml:{line}:\d+: program\[2\]\.people\[0\]: .*'kim-speaker'", text_of(response)
    )
    assert counts(session) == before


def test_upload_that_is_not_yaml_at_all_is_refused(
    organiser: FlaskClient, session: Session
) -> None:
    before = counts(session)
    response = upload(organiser, b"title: [unclosed\n  - x: {\n", "oops.yaml")
    assert response.status_code == 400
    assert re.search(r"oops\.yaml:\d+:\d+: ", text_of(response))
    assert counts(session) == before


def test_upload_without_a_file_or_with_another_extension_is_a_form_error(
    organiser: FlaskClient, session: Session
) -> None:
    before = counts(session)
    empty = organiser.post("/upload", data={"csrf_token": csrf_token(organiser, "/")})
    assert empty.status_code == 400
    assert "Choose an agenda file" in text_of(empty)

    other = upload(organiser, COMPLETE.read_bytes(), "agenda.txt")
    assert other.status_code == 400
    assert ".yaml" in text_of(other)
    assert counts(session) == before


def test_upload_without_csrf_token_is_refused(organiser: FlaskClient, session: Session) -> None:
    before = counts(session)
    response = organiser.post(
        "/upload",
        data={"file": (io.BytesIO(COMPLETE.read_bytes()), "complete.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert counts(session) == before


def test_files_over_one_mebibyte_are_refused_and_over_two_are_413(
    organiser: FlaskClient, session: Session
) -> None:
    before = counts(session)
    padding = b"# " + b"x" * 1000 + b"\n"
    big = COMPLETE.read_bytes() + padding * 1100  # about 1.1 MiB
    response = upload(organiser, big, "big.yaml")
    assert response.status_code == 400
    assert "big.yaml:" in text_of(response)

    huge = COMPLETE.read_bytes() + padding * 2200  # past MAX_CONTENT_LENGTH
    token = csrf_token(organiser, "/")
    response = organiser.post(
        "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(huge), "huge.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "1 MiB" in text_of(response)
    assert counts(session) == before


def test_warnings_are_shown_after_a_successful_upload(
    app: Flask, make_user: Callable[..., User]
) -> None:
    client = client_for(app, make_user, "org@example.org")
    # Nobody holds `moderator` any more: allowed, with a warning.
    source = COMPLETE.read_text(encoding="utf-8").replace(
        "roles: [moderator, organiser]", "roles: [organiser]"
    )
    parsed = parse_agenda(source, "nomod.yaml")
    assert parsed.warnings, "the parser no longer warns about a missing moderator"

    response = upload(client, source.encode(), "nomod.yaml")
    assert response.status_code == 302
    body = text_of(client.get(response.headers["Location"]))
    for warning in parsed.warnings:
        assert warning.format("nomod.yaml") in body


def test_updating_a_workshop_one_may_not_manage_is_refused(
    app: Flask, organiser: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    changed = (
        COMPLETE.read_text(encoding="utf-8")
        .replace("en: Local alliances for the social and solidarity economy", "en: Hijacked")
        .encode()
    )
    before = counts(session)

    stranger = client_for(app, make_user, "stranger@example.org")
    response = upload(stranger, changed, "complete.yaml")
    assert response.status_code == 403
    assert COMPLETE_SLUG in text_of(response)

    member(session, make_user, "rap@example.org", COMPLETE_SLUG, Role.RAPPORTEUR)
    member(session, make_user, "mod@example.org", COMPLETE_SLUG, Role.MODERATOR)
    before = counts(session)
    for email in ("rap@example.org", "mod@example.org"):
        client = app.test_client()
        login(client, email)
        assert upload(client, changed, "complete.yaml").status_code == 403

    assert counts(session) == before
    workshop = stored(session, COMPLETE_SLUG)
    assert workshop is not None
    assert workshop.title["en"] == "Local alliances for the social and solidarity economy"

    admin = client_for(app, make_user, "admin@example.org", admin=True)
    assert upload(admin, changed, "complete.yaml").status_code == 302
    workshop = stored(session, COMPLETE_SLUG)
    assert workshop is not None
    assert workshop.title["en"] == "Hijacked"


# --- download ---------------------------------------------------------------------------------


def test_download_gives_yaml_that_loads_back_to_the_stored_agenda(
    organiser: FlaskClient, session: Session
) -> None:
    response = organiser.get(f"/w/{COMPLETE_SLUG}/agenda.yaml")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/yaml; charset=utf-8"
    assert response.headers["Content-Disposition"] == f"attachment; filename={COMPLETE_SLUG}.yaml"
    downloaded = parse_agenda(response.data, f"{COMPLETE_SLUG}.yaml").agenda
    workshop = stored(session, COMPLETE_SLUG)
    assert workshop is not None
    assert downloaded == export_agenda(workshop)
    assert downloaded.slug == COMPLETE_SLUG
    assert "ana@example.org" in response.get_data(as_text=True)  # the organiser's own file


def test_download_of_the_seeds_round_trips(
    app: Flask, make_user: Callable[..., User], session: Session
) -> None:
    client = client_for(app, make_user, "org@example.org")
    files = sorted(SESSIONS.glob("*.yaml"))
    if not files:
        pytest.skip("no seed agendas yet")
    for path in files:
        original = parse_agenda(path.read_bytes(), path.name).agenda
        assert upload(client, path.read_bytes(), path.name).status_code == 302, path.name
        response = client.get(f"/w/{original.slug}/agenda.yaml")
        assert response.status_code == 200
        again = parse_agenda(response.data, f"{original.slug}.yaml").agenda
        workshop = stored(session, original.slug)
        assert workshop is not None
        assert again == export_agenda(workshop), path.name


def test_download_for_other_roles_leaves_out_emails(
    app: Flask, organiser: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    member(session, make_user, "rap@example.org", COMPLETE_SLUG, Role.RAPPORTEUR)
    client = app.test_client()
    login(client, "rap@example.org")

    response = client.get(f"/w/{COMPLETE_SLUG}/agenda.yaml")

    assert response.status_code == 200
    assert "ana@example.org" not in response.get_data(as_text=True)
    agenda = parse_agenda(response.data, "x.yaml").agenda
    assert [person.email for person in agenda.people] == [None, None, None]


# --- delete -----------------------------------------------------------------------------------


def test_delete_asks_for_confirmation_first(organiser: FlaskClient, session: Session) -> None:
    page = organiser.get(f"/w/{COMPLETE_SLUG}/delete")
    assert page.status_code == 200
    assert f'action="/w/{COMPLETE_SLUG}/delete"' in page.get_data(as_text=True)
    before = counts(session)
    token = csrf_token(organiser, f"/w/{COMPLETE_SLUG}/delete")

    for wrong in ("", "example", COMPLETE_SLUG.upper()):
        response = organiser.post(
            f"/w/{COMPLETE_SLUG}/delete", data={"csrf_token": token, "confirm": wrong}
        )
        assert response.status_code == 400
    no_token = organiser.post(f"/w/{COMPLETE_SLUG}/delete", data={"confirm": COMPLETE_SLUG})
    assert no_token.status_code == 400
    assert counts(session) == before

    response = organiser.post(
        f"/w/{COMPLETE_SLUG}/delete", data={"csrf_token": token, "confirm": COMPLETE_SLUG}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    dashboard = text_of(organiser.get("/"))
    assert "deleted" in dashboard
    assert stored(session, COMPLETE_SLUG) is None
    assert counts(session) == {
        "Workshop": 0,
        "Day": 0,
        "ProgramItem": 0,
        "Person": 0,
        "Membership": 0,
    }
    assert organiser.get(f"/w/{COMPLETE_SLUG}").status_code == 404


def test_only_organisers_and_admins_may_delete(
    app: Flask, organiser: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    member(session, make_user, "mod@example.org", COMPLETE_SLUG, Role.MODERATOR)
    member(session, make_user, "rap@example.org", COMPLETE_SLUG, Role.RAPPORTEUR)
    make_user("stranger@example.org")
    for email in ("mod@example.org", "rap@example.org", "stranger@example.org"):
        client = app.test_client()
        login(client, email)
        assert client.get(f"/w/{COMPLETE_SLUG}/delete").status_code == 403
        response = client.post(
            f"/w/{COMPLETE_SLUG}/delete",
            data={"csrf_token": csrf_token(client, "/"), "confirm": COMPLETE_SLUG},
        )
        assert response.status_code == 403
    assert stored(session, COMPLETE_SLUG) is not None

    admin = client_for(app, make_user, "admin@example.org", admin=True)
    response = admin.post(
        f"/w/{COMPLETE_SLUG}/delete",
        data={"csrf_token": csrf_token(admin, "/"), "confirm": COMPLETE_SLUG},
    )
    assert response.status_code == 302
    assert stored(session, COMPLETE_SLUG) is None


# --- who may see what -------------------------------------------------------------------------


def test_dashboard_lists_only_the_users_workshops(
    app: Flask, make_user: Callable[..., User], make_workshop: Callable[..., Workshop]
) -> None:
    alice = make_user("alice@example.org")
    bob = make_user("bob@example.org")
    make_workshop("alice-workshop", members={alice: Role.ORGANISER})
    make_workshop("bob-workshop", members={bob: Role.RAPPORTEUR})
    make_workshop("nobodys-workshop")

    client = app.test_client()
    login(client, "alice@example.org")
    body = text_of(client.get("/"))
    assert "Workshop alice-workshop" in body
    assert "bob-workshop" not in body
    assert "nobodys-workshop" not in body

    client = app.test_client()
    login(client, "bob@example.org")
    body = text_of(client.get("/"))
    assert "Workshop bob-workshop" in body
    assert "Rapporteur" in body
    assert "alice-workshop" not in body

    admin = client_for(app, make_user, "admin@example.org", admin=True)
    body = text_of(admin.get("/"))
    for slug in ("alice-workshop", "bob-workshop", "nobodys-workshop"):
        assert f"Workshop {slug}" in body


def test_dashboard_without_workshops_says_so(app: Flask, make_user: Callable[..., User]) -> None:
    client = client_for(app, make_user, "new@example.org")
    response = client.get("/")
    assert response.status_code == 200
    assert "You have no workshops yet" in text_of(response)
    assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)


def test_a_member_of_one_workshop_cannot_touch_another(
    app: Flask,
    make_user: Callable[..., User],
    make_workshop: Callable[..., Workshop],
    session: Session,
) -> None:
    rapporteur = make_user("rap@example.org")
    make_workshop("workshop-a", members={rapporteur: Role.RAPPORTEUR})
    owner = make_user("owner@example.org")
    make_workshop("workshop-b", members={owner: Role.ORGANISER})
    client = app.test_client()
    login(client, "rap@example.org")

    assert client.get("/w/workshop-a").status_code == 200
    assert client.get("/w/workshop-a/agenda.yaml").status_code == 200
    assert client.get("/w/workshop-b").status_code == 403
    assert client.get("/w/workshop-b/agenda.yaml").status_code == 403
    assert client.get("/w/workshop-b/delete").status_code == 403
    token = csrf_token(client, "/")
    assert (
        client.post(
            "/w/workshop-b/delete", data={"csrf_token": token, "confirm": "workshop-b"}
        ).status_code
        == 403
    )
    # Nor take it over by uploading a file with its slug.
    takeover = COMPLETE.read_text(encoding="utf-8").replace(
        f"slug: {COMPLETE_SLUG}", "slug: workshop-b"
    )
    before = counts(session)
    assert upload(client, takeover.encode(), "b.yaml").status_code == 403
    assert counts(session) == before
    assert client.get("/w/no-such-workshop").status_code == 404
    assert client.get("/w/no-such-workshop/agenda.yaml").status_code == 404


@pytest.mark.parametrize(
    "path", ["/", "/w/workshop-a", "/w/workshop-a/agenda.yaml", "/w/workshop-a/delete"]
)
def test_visitors_are_sent_to_log_in(
    client: FlaskClient, make_workshop: Callable[..., Workshop], path: str
) -> None:
    make_workshop("workshop-a")
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_visitors_cannot_upload_or_delete(
    client: FlaskClient, make_workshop: Callable[..., Workshop], session: Session
) -> None:
    make_workshop("workshop-a")
    token = csrf_token(client, "/login")
    before = counts(session)
    response = client.post(
        "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(COMPLETE.read_bytes()), "c.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    response = client.post(
        "/w/workshop-a/delete", data={"csrf_token": token, "confirm": "workshop-a"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert counts(session) == before


def test_an_upload_with_thousands_of_unknown_keys_gets_a_short_page_fast(
    organiser: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = COMPLETE.read_text(encoding="utf-8") + "".join(
        f"unknown_key_{i:05d}: value number {i}\n" for i in range(20_000)
    )
    assert len(source) > 700_000
    before = counts(session)
    token = csrf_token(organiser, "/")
    suggested = count_suggestions(monkeypatch)
    response = organiser.post(
        "/upload",
        data={"csrf_token": token, "file": (io.BytesIO(source.encode()), "huge.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert len(response.get_data()) < 100_000
    body = text_of(response)
    assert "huge.yaml:" in body and "unknown key 'unknown_key_00000'" in body
    assert f"and {20_000 - MAX_PROBLEMS} more problems" in body
    assert "20000 problems were found" in body
    assert len(suggested) <= MAX_PROBLEMS  # 2.25 s for 800 KB when each key got its own
    assert counts(session) == before


def test_the_more_problems_line_is_translated(organiser: FlaskClient) -> None:
    source = COMPLETE.read_text(encoding="utf-8") + "".join(
        f"unknown_key_{i:05d}: x\n" for i in range(MAX_PROBLEMS + 5)
    )
    organiser.post("/language", data={"language": "fr", "csrf_token": csrf_token(organiser, "/")})
    body = text_of(upload(organiser, source.encode(), "huge.yaml"))
    assert "et 5 autres problèmes" in body
