"""Fixtures for the realtime handlers: the app (threading mode), a loaded world, sockets."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from facilitator import create_app
from facilitator.database import make_session_factory
from facilitator.extensions import db
from facilitator.models import Base
from facilitator.realtime.connections import connections
from facilitator.realtime.presence import notifier
from tests.realtime.support import Client, World, build_world, connect


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "app_config(**settings): extra settings for the realtime app fixture"
    )


def make_app(instance: Path, **settings: Any) -> Flask:
    """As tests/conftest.py's app: threading mode, a SQLite file of its own."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'test.db'}",
            "ASYNC_MODE": "threading",
            "RATELIMIT_ENABLED": False,
            **settings,
        }
    )


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The loaded world, built once; each test gets a copy of its database file."""
    instance = tmp_path_factory.mktemp("template")
    app = make_app(instance)
    with app.app_context():
        Base.metadata.create_all(db.engine)
    world = build_world(app)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    return instance / "test.db", world


@pytest.fixture
def app(
    tmp_path: Path, request: pytest.FixtureRequest, template: tuple[Path, World]
) -> Iterator[Flask]:
    """An app on a copy of the template, plus the settings of an `app_config` marker."""
    marker = request.node.get_closest_marker("app_config")
    shutil.copyfile(template[0], tmp_path / "test.db")
    app = make_app(tmp_path, **(marker.kwargs if marker else {}))
    yield app
    # Who is connected is process-wide: do not let one test's sockets count in the next.
    connections._by_sid.clear()
    notifier._dirty.clear()
    db.engine.dispose()


@pytest.fixture
def world(app: Flask, template: tuple[Path, World]) -> World:
    return dataclasses.replace(template[1], factory=make_session_factory(db.engine))


@pytest.fixture
def sock(app: Flask, world: World) -> Iterator[Callable[..., Client]]:
    """sock("moderator") -> a socket of that sender; every one is closed at the end."""
    made: list[Client] = []

    def make(sender: str, **auth: Any) -> Client:
        client = connect(app, world, sender, **auth)
        made.append(client)
        return client

    yield make
    for client in made:
        if client.is_connected():
            client.disconnect()
