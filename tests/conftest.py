"""Shared fixtures: an app on a fresh SQLite file, its clients, users and workshops."""

from __future__ import annotations

import contextlib
import gc
import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date, time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from facilitator import create_app
from facilitator.accounts import services as account_services
from facilitator.accounts.models import Role, User
from facilitator.accounts.services import create_user, grant
from facilitator.agenda.models import Day, ProgramItem, Workshop
from facilitator.database import make_engine, make_session_factory
from facilitator.extensions import db
from facilitator.models import Base

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = ROOT / "sessions"
PASSWORD = "correct horse battery"
# Every test in these folders carries these markers (`make test-fast` leaves them out): each
# starts real server processes (and a browser), seconds apiece, so each is also `slow`.
FOLDER_MARKERS = {"integration": ("integration", "slow"), "browser": ("browser", "slow")}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        parts = item.path.relative_to(tests).parts if item.path.is_relative_to(tests) else ()
        if len(parts) > 1 and parts[0] in FOLDER_MARKERS:
            for marker in FOLDER_MARKERS[parts[0]]:
                item.add_marker(marker)


def pytest_collection_finish(session: pytest.Session) -> None:
    # What importing and collecting made lives to the end: spare the garbage collector
    # walking it again at every full collection (about a tenth of the unit tests' time).
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt costs ~0.1 s a hash by design; in-process tests need no such cost."""
    monkeypatch.setattr(account_services, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")


def sqlite_snapshot(engine: Engine) -> None:
    """Fold the write-ahead log into the file and close it, so that a copy is complete."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table and no rows, made once: copying it is ~100 times quicker than create_all."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    sqlite_snapshot(engine)
    return path


@pytest.fixture
def database_template(empty_database: Path) -> Path:
    """The SQLite file each app test's database starts as a copy of.

    A folder's conftest.py overrides it to share one costly arrangement (tests/realtime/).
    """
    return empty_database


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest, database_template: Path) -> Iterator[Flask]:
    """The app of every in-process test, plus the settings of an `app_config` marker."""
    shutil.copyfile(database_template, tmp_path / "test.db")
    marker = request.node.get_closest_marker("app_config")
    app = make_test_app(tmp_path, **(marker.kwargs if marker else {}))
    yield app
    db.engine.dispose()


def make_test_app(tmp_path: Path, **overrides: object) -> Flask:
    """The one test app factory: threading mode, no rate limits, `overrides` on top.

    Its database is the SQLite file `tmp_path`/test.db, its tables made if missing.
    """
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "ASYNC_MODE": "threading",
            "RATELIMIT_ENABLED": False,
            **overrides,
        }
    )
    with app.app_context():
        Base.metadata.create_all(db.engine)
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session of the app's database, for arranging and asserting beside requests."""
    factory = make_session_factory(db.engine)
    with factory() as s:
        yield s


POSTGRES_URL = os.environ.get(
    "FACILITATOR_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


def postgres_unreachable_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when they can."""
    try:
        engine = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure to reach it means: skip, and say why
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}: {exc}"
    return None


REDIS_URL = os.environ.get("FACILITATOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_unreachable_reason() -> str | None:
    """Why the scale-out tests cannot reach Redis here, or None when they can."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:  # any failure to reach it means: skip, and say why
        return f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def fresh_postgres_schema(name: str) -> Iterator[str]:
    """A schema of our own in the shared `test` database, dropped at the end."""
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{name}"'))
    try:
        yield name
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    with fresh_postgres_schema(f"facilitator_test_{os.getpid()}") as schema:
        yield schema


@pytest.fixture(scope="session")
def postgres_reset(postgres_schema: str) -> str:
    """SQL that empties every table of the schema and restarts its ids, in one round trip.

    DELETE, not TRUNCATE: on tables this small it takes milliseconds, TRUNCATE ~0.2 s.
    """
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={postgres_schema}"})
    Base.metadata.create_all(engine)
    with engine.connect() as connection:
        sequences = connection.execute(
            text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = :s"
            ),
            {"s": postgres_schema},
        ).scalars()
        restarts = [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
    engine.dispose()
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)]
    return "; ".join(deletes + restarts)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty schema on SQLite, and on the real PostgreSQL server when it answers."""
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("empty_database"), tmp_path / "services.db")
        engine = make_engine(f"sqlite:///{tmp_path / 'services.db'}")
    else:
        schema = request.getfixturevalue("postgres_schema")
        reset = request.getfixturevalue("postgres_reset")
        engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
        with engine.begin() as connection:
            connection.exec_driver_sql(reset)
    yield engine
    engine.dispose()


@pytest.fixture
def service_session(engine: Engine) -> Iterator[Session]:
    """A session with no Flask app at all, for service tests (SQLite and PostgreSQL)."""
    with make_session_factory(engine)() as s:
        yield s


@pytest.fixture
def make_user(session: Session) -> Callable[..., User]:
    def make(email: str, *, admin: bool = False, name: str = "") -> User:
        user = create_user(session, email, PASSWORD, name, is_admin=admin)
        session.commit()
        return user

    return make


def minimal_workshop(slug: str, title: str) -> Workshop:
    """One day, one item, English: built straight as rows, no agenda file involved."""
    workshop = Workshop(
        slug=slug, title={"en": title}, languages=["en"], timezone="UTC", kind="workshop"
    )
    day = Day(position=1, date=date(2026, 1, 1), start=time(9), end=time(10))
    workshop.days.append(day)
    workshop.program.append(
        ProgramItem(
            key="opening",
            position=1,
            day=day,
            start=time(9),
            end=time(9, 30),
            title={"en": "Opening"},
            kind="introduction",
        )
    )
    return workshop


@pytest.fixture
def make_workshop(session: Session) -> Callable[..., Workshop]:
    """A minimal workshop straight in the tables (no agenda parsing involved)."""

    def make(slug: str, *, members: dict[User, Role] | None = None) -> Workshop:
        workshop = minimal_workshop(slug, f"Workshop {slug}")
        session.add(workshop)
        session.flush()
        for user, role in (members or {}).items():
            grant(session, user, workshop, role)
        session.commit()
        return workshop

    return make


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the first form on a page, as a browser would send it."""
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client, "/login")},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
