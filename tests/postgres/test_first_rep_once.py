"""Two programs opening a new PostgreSQL database at the same moment both open it, and
give it one blank first rep between them, not one each.

The tests hold the programs back where they would meet (a lock that adding a rep
waits for; the turn at the schema) until both are waiting there, then let them go.
"""

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from database_choice import copy_database
from raw_sql import execute, rows
from sqlalchemy.engine import make_url

from callassist.db.migrate import SCHEMA_HEAD, SCHEMA_TURN

WAIT_SECONDS = 60
"""How long the programs get to reach the lock, and then to finish: far more than
either takes."""


def waiting(connection: psycopg.Connection, locks: str) -> Callable[[], int]:
    """How many connections wait for one of ``locks`` (a condition on pg_locks)."""

    def count() -> int:
        found = connection.execute(
            f"SELECT count(*) FROM pg_locks WHERE {locks} AND NOT granted"
        ).fetchone()
        assert found is not None
        return int(found[0])

    return count


def start_both_until_they_wait(
    url: str, waiting_now: Callable[[], int]
) -> list[subprocess.Popen[str]]:
    """Two programs opening the database at ``url``, once both wait for the lock held."""
    command = [sys.executable, "-m", "callassist", "--db", url, "rep", "list"]
    both = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    deadline = time.monotonic() + WAIT_SECONDS
    while (
        waiting_now() < 2
        and time.monotonic() < deadline
        and all(process.poll() is None for process in both)
    ):
        time.sleep(0.05)
    assert waiting_now() == 2, [process.poll() for process in both]
    return both


def both_finished_well(both: list[subprocess.Popen[str]]) -> None:
    for process in both:
        _, err = process.communicate(timeout=WAIT_SECONDS)
        assert (process.returncode, err) == (0, "")


def connect(url: str, *, autocommit: bool) -> psycopg.Connection:
    parts = make_url(url)
    return psycopg.connect(
        host=str(parts.query["host"]),
        user=parts.username,
        dbname=parts.database,
        autocommit=autocommit,
    )


def test_two_programs_opening_a_database_without_reps_at_once_add_one_rep(
    db_location: str,
) -> None:
    # A database with its tables but no rep yet, as one made by running the migrations.
    execute(db_location, "DELETE FROM reps")
    with connect(db_location, autocommit=False) as holder:
        # Holds back every new rep: a rep's INSERT waits for this lock.
        holder.execute("LOCK TABLE reps IN SHARE MODE")
        both = start_both_until_they_wait(
            db_location, waiting(holder, "relation = 'reps'::regclass")
        )
        holder.commit()
        both_finished_well(both)
    assert rows(db_location, "SELECT name, email FROM reps") == [("", None)]


def test_two_programs_opening_a_new_database_at_once_both_open_it(
    postgres_socket_dir: Path,
) -> None:
    url = copy_database(postgres_socket_dir, "template0", "brand_new")
    with connect(url, autocommit=True) as other:
        # Another program busy with the schema: both wait their turn, then the first to
        # have it makes the tables, and the second finds them.
        other.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_TURN,))
        both = start_both_until_they_wait(url, waiting(other, "locktype = 'advisory'"))
        other.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_TURN,))
        both_finished_well(both)
    assert rows(url, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]
    assert rows(url, "SELECT name, email FROM reps") == [("", None)]
