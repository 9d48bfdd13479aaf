"""The PostgreSQL path: one throwaway cluster per test session, in a private folder and
reachable only on its unix socket, with one database emptied before each test.

Every fixture of tests/conftest.py (desk, make_prospect, dana...) then works on
PostgreSQL, because this folder's ``db_location`` is a PostgreSQL URL.
"""

import importlib.util
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from callassist.core import CallDesk
from callassist.db.models import Base

WHAT_TO_INSTALL = (
    "the PostgreSQL tests need the PostgreSQL server programs (initdb, pg_ctl) and psycopg: "
    "run ./scripts/setup as root, or install them yourself "
    "(Debian: apt-get install --no-install-recommends postgresql; "
    "then .venv/bin/pip install -e '.[dev,postgres]')"
)

SUPERUSER = "callassist"


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


@pytest.fixture(scope="session")
def postgres_url(postgres_socket_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The session's database, with callassist's tables (made by opening a desk on it)."""
    import psycopg

    with psycopg.connect(
        host=str(postgres_socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute("CREATE DATABASE desk")
    url = f"postgresql+psycopg://{SUPERUSER}@/desk?host={postgres_socket_dir}"
    # Its own folders: the tests' private ones are not set up yet for a session fixture.
    folder = tmp_path_factory.mktemp("postgres-desk")
    CallDesk.open(url, template_dir=folder, backup_folder=folder, cadence_dir=folder).close()
    return url


@pytest.fixture
def db_location(postgres_url: str, postgres_socket_dir: Path) -> str:
    """The session's database, emptied: a new database and its migrations for every
    test would cost a couple of seconds each."""
    import psycopg

    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with psycopg.connect(host=str(postgres_socket_dir), user=SUPERUSER, dbname="desk") as empty:
        empty.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return postgres_url
