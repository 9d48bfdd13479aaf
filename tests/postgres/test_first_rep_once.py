"""Two programs opening a PostgreSQL database that has no rep yet, at the same moment,
give it one blank first rep between them, not one each.

The test holds back every new rep (a lock that adding a rep waits for) while both
programs open the database, so both have found it without a rep before either can add
one; it lets them go once both are waiting.
"""

import subprocess
import sys
import time

import psycopg
from raw_sql import execute, rows
from sqlalchemy.engine import make_url

WAIT_SECONDS = 60
"""How long the programs get to reach the lock, and then to finish: far more than
either takes."""


def waiting_on_reps(admin: psycopg.Connection) -> int:
    """How many connections wait for a lock on the reps table."""
    found = admin.execute(
        "SELECT count(*) FROM pg_locks WHERE relation = 'reps'::regclass AND NOT granted"
    ).fetchone()
    assert found is not None
    return int(found[0])


def connect(db_location: str, *, autocommit: bool) -> psycopg.Connection:
    url = make_url(db_location)
    return psycopg.connect(
        host=str(url.query["host"]), user=url.username, dbname=url.database, autocommit=autocommit
    )


def test_two_programs_opening_a_database_without_reps_at_once_add_one_rep(
    db_location: str,
) -> None:
    # A database with its tables but no rep yet, as one made by running the migrations.
    execute(db_location, "DELETE FROM reps")
    command = [sys.executable, "-m", "callassist", "--db", db_location, "rep", "list"]
    with (
        connect(db_location, autocommit=False) as holder,
        connect(db_location, autocommit=True) as watcher,
    ):
        holder.execute("LOCK TABLE reps IN SHARE MODE")
        both = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        deadline = time.monotonic() + WAIT_SECONDS
        while (
            waiting_on_reps(watcher) < 2
            and time.monotonic() < deadline
            and all(process.poll() is None for process in both)
        ):
            time.sleep(0.05)
        assert waiting_on_reps(watcher) == 2, [process.poll() for process in both]
        holder.commit()
        finished = [process.communicate(timeout=WAIT_SECONDS) for process in both]
    for process, (_, err) in zip(both, finished, strict=True):
        assert (process.returncode, err) == (0, "")
    assert rows(db_location, "SELECT name, email FROM reps") == [("", None)]
