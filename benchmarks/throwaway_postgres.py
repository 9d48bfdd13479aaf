"""A throwaway PostgreSQL cluster: started in a private folder, reachable only on its
unix socket, stopped and deleted afterwards.

The benchmarks' ``postgres`` group runs on one; tests/postgres starts its test
cluster the same way. As root, the server runs as an unprivileged account
(initdb refuses root).
"""

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WHAT_TO_INSTALL = (
    "the PostgreSQL server programs (initdb, pg_ctl) and psycopg are needed: "
    "run ./scripts/setup as root, or install them yourself "
    "(Debian: apt-get install --no-install-recommends postgresql; "
    "then .venv/bin/pip install -e '.[dev,postgres]')"
)

SUPERUSER = "callassist"
"""The cluster's superuser: trusted on the socket, so no password."""


class ClusterError(Exception):
    """The cluster could not be started or stopped; the message says what to do."""


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
        raise ClusterError(WHAT_TO_INSTALL)
    return installed[-1].parent


def server_account() -> str | None:
    """Who runs the server: as root an unprivileged account (Debian's postgres, else
    nobody); None means the current user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ClusterError("as root, a throwaway PostgreSQL needs a postgres or nobody account")


@contextmanager
def throwaway_cluster() -> Iterator[Path]:
    """Starts a cluster; the folder of its socket (also its data and log)."""
    programs = server_programs()
    account = server_account()
    as_account = [] if account is None else ["runuser", "-u", account, "--"]
    # Not under a root-private temporary folder: the server's account must own this
    # one. Short, too: a socket path may not pass 107 bytes.
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
            raise ClusterError(
                f"{' '.join(command)} failed:\n{finished.stdout}{finished.stderr}"
                + (log.read_text() if log.exists() else "")
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


def create_database(socket_dir: Path, name: str) -> str:
    """A new empty database on the cluster; its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(
        host=str(socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{SUPERUSER}@/{name}?host={socket_dir}"
