"""The migrations on PostgreSQL: a team's database made by an older callassist is
upgraded to the schema a new database gets from the models, and each migration goes
back down too."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from database_choice import copy_database
from schema_shape import table_shape
from sqlalchemy import Engine, inspect, make_url

from callassist.clock import Clock
from callassist.db.engine import make_engine
from callassist.db.migrate import open_database, run_migrations

FIRST_RELEASE = "0001"
"""The schema of the first callassist, the oldest a team's database can have."""


def schema_of(engine: Engine) -> dict[str, Any]:
    """Columns, keys, constraints and indexes (each index as its SQL) of every table."""
    inspector = inspect(engine)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        schema[table] = table_shape(inspector, table)
    with engine.connect() as connection:
        schema["indexes"] = sorted(
            connection.exec_driver_sql(
                "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            ).all()
        )
    return schema


@pytest.fixture
def empty_database(postgres_socket_dir: Path) -> Iterator[Engine]:
    """A database with no tables at all, as the team's administrator creates it."""
    engine = make_engine(make_url(copy_database(postgres_socket_dir, "template0", "team")))
    yield engine
    engine.dispose()


def opened(engine: Engine, tmp_path: Path, clock: Clock) -> dict[str, Any]:
    """The schema once a desk has opened the database (upgrading it if it is older)."""
    desks_engine = open_database(engine.url, backup_folder=tmp_path / "backups", clock=clock)
    desks_engine.dispose()
    return schema_of(engine)


@pytest.fixture
def new_desks_schema(postgres_socket_dir: Path, tmp_path: Path, clock: Clock) -> dict[str, Any]:
    """What a desk opened on a new PostgreSQL database creates, from the models."""
    engine = make_engine(make_url(copy_database(postgres_socket_dir, "template0", "new_desk")))
    try:
        return opened(engine, tmp_path, clock)
    finally:
        engine.dispose()


def test_a_database_of_the_first_release_is_upgraded_to_the_new_schema(
    empty_database, new_desks_schema, tmp_path, clock
):
    run_migrations(empty_database, FIRST_RELEASE)
    assert opened(empty_database, tmp_path, clock) == new_desks_schema


def test_every_migration_goes_down_and_up_again(empty_database, new_desks_schema, tmp_path, clock):
    run_migrations(empty_database, FIRST_RELEASE)
    opened(empty_database, tmp_path, clock)
    run_migrations(empty_database, "base", downgrade=True)
    assert set(inspect(empty_database).get_table_names()) <= {"alembic_version"}
    run_migrations(empty_database, FIRST_RELEASE)
    assert opened(empty_database, tmp_path, clock) == new_desks_schema
