"""Which database the tests run on: ``--database=sqlite`` (a new file per test, the
default) or ``--database=postgresql`` (a throwaway PostgreSQL cluster for the session,
a freshly migrated database per test). Loaded by tests/conftest.py as a plugin.

On PostgreSQL only the tests that open the desk's database (through ``db_location``)
run: the others already ran on SQLite and would only run again. Tests about the SQLite
file itself carry ``@pytest.mark.sqlite_only("why")`` and are left out there too; a
test that still takes the SQLite file (``db_path``) without that mark stops the run,
since on PostgreSQL it would quietly test SQLite again.
"""

import gc
import importlib.util
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from callassist.core import CallDesk

WHAT_TO_INSTALL = (
    "the PostgreSQL tests need the PostgreSQL server programs (initdb, pg_ctl) and psycopg: "
    "run ./scripts/setup as root, or install them yourself "
    "(Debian: apt-get install --no-install-recommends postgresql; "
    "then .venv/bin/pip install -e '.[dev,postgres]')"
)

DATABASES = ("sqlite", "postgresql")
SUPERUSER = "callassist"
DATABASE = "desk"
# Migrated once per session; each test's database is a copy of it.
MIGRATED_TEMPLATE = "desk_migrated"


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
    if not on_postgresql(config):
        return
    kept, left_out = [], []
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("sqlite_only") is not None or "db_location" not in fixtures:
            left_out.append(item)
        elif "db_path" in fixtures:
            raise pytest.UsageError(
                f"{item.nodeid} takes the SQLite file (db_path): open the desk's database "
                "through db_location, or mark the test sqlite_only with its reason"
            )
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def server_programs() -> Path:
    """The folder holding initdb and pg_ctl: the PATH's, else Debian's newest version."""
    on_path = shutil.which("pg_ctl")
    if on_path is not None and shutil.which("initdb") is not None:
        return Path(on_path).resolve().parent
    # Debian keeps them off the PATH, in one folder per major version.
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda pg_ctl: [int(part) for part in re.findall(r"\d+", pg_ctl.parent.parent.name)],
    )
    if not installed:
        pytest.fail(WHAT_TO_INSTALL, pytrace=False)
    return installed[-1].parent


def server_account() -> str | None:
    """Who runs the server: initdb refuses root, so as root an unprivileged account
    (Debian's postgres, else nobody); None means the current user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    pytest.fail("as root, the PostgreSQL tests need a postgres or nobody account", pytrace=False)


@pytest.fixture(scope="session")
def postgres_socket_dir() -> Iterator[Path]:
    """Starts the session's cluster; the folder of its socket (also its data and log)."""
    # psycopg is imported where used, so that a machine without it gets this message.
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail(WHAT_TO_INSTALL, pytrace=False)
    programs = server_programs()
    account = server_account()
    as_account = [] if account is None else ["runuser", "-u", account, "--"]
    # Not under pytest's tmp folder: that is private to root, and the server's account
    # must own this one. Short, too: a socket path may not pass 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="callassist-pg-"))
    if account is not None:
        owner = pwd.getpwnam(account)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    settings_flag = "--options=" + " ".join(
        (
            "-c listen_addresses=''",  # no network: the socket only
            f"-c unix_socket_directories='{folder}'",
            # Throwaway data: nothing needs to survive a crash of the machine.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        )
    )

    def run(*command: str) -> None:
        finished = subprocess.run(
            [*as_account, *command], capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            log = folder / "server.log"
            pytest.fail(
                f"{' '.join(command)} failed:\n{finished.stdout}{finished.stderr}"
                + (log.read_text() if log.exists() else ""),
                pytrace=False,
            )

    try:
        run(
            str(programs / "initdb"),
            f"--pgdata={data}",
            f"--username={SUPERUSER}",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        )
        pg_ctl = str(programs / "pg_ctl")
        log_flag = f"--log={folder / 'server.log'}"
        run(pg_ctl, "start", "--wait", "--silent", f"--pgdata={data}", log_flag, settings_flag)
        try:
            yield folder
        finally:
            run(pg_ctl, "stop", "--wait", "--silent", "--mode=immediate", f"--pgdata={data}")
    finally:
        shutil.rmtree(folder)


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
    # test left to the collector, which the SQLite run does not collect at this point
    # either (the runs must fail alike).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
