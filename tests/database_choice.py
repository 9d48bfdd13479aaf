"""Which database the tests run on: ``--database=sqlite`` (a new file per test, the
default) or ``--database=postgresql`` (a throwaway PostgreSQL cluster for the session,
a freshly migrated database per test). Loaded by tests/conftest.py as a plugin.

On PostgreSQL only the tests that open the desk's database (through ``db_location``)
run: the others already ran on SQLite and would only run again. Tests about the SQLite
file itself carry ``@pytest.mark.sqlite_only("why")`` and are left out there too; a
test that still takes the SQLite file (``db_path``) without that mark stops the run,
since on PostgreSQL it would quietly test SQLite again. The tests in tests/postgres, about
what only PostgreSQL does, run in the PostgreSQL run only.
"""

import gc
import importlib.util
import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.throwaway_postgres import (
    SUPERUSER,
    WHAT_TO_INSTALL,
    ClusterError,
    throwaway_cluster,
)
from callassist.core import CallDesk

DATABASES = ("sqlite", "postgresql")
DATABASE = "desk"
# Migrated once per session; each test's database is a copy of it.
MIGRATED_TEMPLATE = "desk_migrated"
POSTGRESQL_ONLY = Path(__file__).parent / "postgres"
"""The tests about what only PostgreSQL does: they run in the PostgreSQL run only."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=DATABASES,
        default=os.environ.get("CALLASSIST_TEST_DATABASE", "sqlite"),
        help="the database the desk's tests run on (default: sqlite, or $CALLASSIST_TEST_DATABASE)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # argparse checks the choices of what is typed, not of the environment's default.
    if config.getoption("database") not in DATABASES:
        raise pytest.UsageError(
            f"CALLASSIST_TEST_DATABASE={config.getoption('database')}: say {' or '.join(DATABASES)}"
        )


def on_postgresql(config: pytest.Config) -> bool:
    return bool(config.getoption("database") == "postgresql")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('database')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        mark = item.get_closest_marker("sqlite_only")
        if mark is not None and not (mark.args and str(mark.args[0]).strip()):
            raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs its reason, in one line")
    postgresql = on_postgresql(config)
    kept, left_out = [], []
    for item in items:
        (kept if _runs_on(item, postgresql=postgresql) else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def _runs_on(item: pytest.Item, *, postgresql: bool) -> bool:
    """Whether ``item`` runs on this run's database: the tests of tests/postgres on
    PostgreSQL only; there, the others only when they open the desk's database and are
    not about the SQLite file."""
    if item.path.is_relative_to(POSTGRESQL_ONLY):
        return postgresql
    if not postgresql:
        return True
    fixtures = getattr(item, "fixturenames", ())
    if item.get_closest_marker("sqlite_only") is not None or "db_location" not in fixtures:
        return False
    if "db_path" in fixtures:
        raise pytest.UsageError(
            f"{item.nodeid} takes the SQLite file (db_path): open the desk's database "
            "through db_location, or mark the test sqlite_only with its reason"
        )
    return True


@pytest.fixture(scope="session")
def postgres_socket_dir() -> Iterator[Path]:
    """Starts the session's cluster; the folder of its socket (also its data and log)."""
    # psycopg is imported where used, so that a machine without it gets this message.
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail(WHAT_TO_INSTALL, pytrace=False)
    try:
        with throwaway_cluster() as folder:
            yield folder
    except ClusterError as error:
        pytest.fail(str(error), pytrace=False)


def database_url(socket_dir: Path, name: str) -> str:
    return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={socket_dir}"


def copy_database(socket_dir: Path, template: str, name: str = DATABASE) -> str:
    """A new database ``name`` holding what ``template`` holds (in place of any database
    of that name); its URL."""
    import psycopg

    with psycopg.connect(
        host=str(socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        # FORCE: a connection the last test left open must not keep its data alive.
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return database_url(socket_dir, name)


@pytest.fixture(scope="session")
def postgres_template(postgres_socket_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The name of a database holding callassist's tables (made by opening a desk on
    it), to copy: quicker than migrating a new database for each test."""
    import psycopg

    with psycopg.connect(
        host=str(postgres_socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f"CREATE DATABASE {MIGRATED_TEMPLATE}")
    # Its own folders: the tests' private ones are not set up yet for a session fixture.
    folder = tmp_path_factory.mktemp("postgres-desk")
    CallDesk.open(
        database_url(postgres_socket_dir, MIGRATED_TEMPLATE),
        template_dir=folder,
        backup_folder=folder,
        cadence_dir=folder,
    ).close()
    return MIGRATED_TEMPLATE


@pytest.fixture
def postgres_url(postgres_socket_dir: Path, postgres_template: str) -> Iterator[str]:
    """A new database for this test, as freshly migrated as a new SQLite file, and
    nothing of the last test left in it."""
    yield copy_database(postgres_socket_dir, postgres_template)
    # A connection still checked out when the test's desk closed (a window's worker
    # reading as the test ends) is closed by the garbage collector, whenever it runs:
    # psycopg then warns, and the warning would fail whichever later test it lands in.
    # Collected now, and quietly, as SQLite's connections are; so is anything else the
    # test left to the collector, as db_location does at this point on SQLite (the runs
    # must fail alike).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
