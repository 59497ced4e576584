"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from facilitator.database import make_engine
from facilitator.migrate import upgrade_database
from facilitator.models import Base
from tests.conftest import POSTGRES_URL


def assert_no_drift(url: str, **engine_args: object) -> None:
    engine = make_engine(url, **engine_args)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_creates_the_models_schema_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade_database(url)
    upgrade_database(url)  # a second upgrade is a no-op
    assert_no_drift(url)


@pytest.mark.postgres
def test_upgrade_creates_the_models_schema_on_postgresql(postgres_schema: str) -> None:
    schema_url = POSTGRES_URL + f"?options=-csearch_path%3D{postgres_schema}_mig"
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{postgres_schema}_mig" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{postgres_schema}_mig"')
    try:
        upgrade_database(schema_url)
        assert_no_drift(schema_url)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{postgres_schema}_mig" CASCADE')
        engine.dispose()
