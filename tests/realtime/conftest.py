"""Fixtures for the realtime handlers: the app (threading mode), a loaded world, sockets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from facilitator.database import make_session_factory
from facilitator.extensions import db
from tests.conftest import make_test_app
from tests.realtime.support import Client, World, build_world, connect


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The loaded world, built once; each test gets a copy of its database file."""
    instance = tmp_path_factory.mktemp("template")
    app = make_test_app(instance)
    world = build_world(app)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.engine.dispose()
    return instance / "test.db", world


@pytest.fixture
def database_template(template: tuple[Path, World]) -> Path:
    return template[0]


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
