"""The floors: the least plain work that gives the same answer as each callassist row.

A floor does what callassist has to do and nothing more: the import floor
parses the same CSV, checks and normalises the same phone numbers, inserts
the same columns and builds the same search index; the search floor runs the
same statements, group by group, that callassist's search runs. The ratio then
says what callassist's own layers cost, not what the job costs.
"""

import csv
import itertools
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import phonenumbers
from phonenumbers.timezone import time_zones_for_number

from callassist.db.search import CREATE_SEARCH_TABLE, SEARCH_TABLE, search_groups

PROSPECT_COLUMNS = (
    "id, first_name, last_name, title, company, email, phone_e164, mobile_e164, office_e164, "
    "timezone, status, notes, created_at, updated_at, phone_extension, mobile_extension, "
    "office_extension, dial, website, linkedin"
)


def lookup(connection: sqlite3.Connection, typed: str) -> list[tuple[object, ...]]:
    """A caller's number typed any way: parsed, put in E.164, found by index on any phone."""
    number = phonenumbers.parse(typed, "US")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return connection.execute(
        f"SELECT {PROSPECT_COLUMNS} FROM prospects "
        "WHERE phone_e164 = ? OR mobile_e164 = ? OR office_e164 = ?",
        (e164, e164, e164),
    ).fetchall()


def search_page(connection: sqlite3.Connection, typed: str, page: int) -> list[tuple[object, ...]]:
    """What the list shows after a keystroke: the ids of the first page and one more, read
    group by group (names by index, then FTS5 newest first) as callassist does, then the
    first page of those prospects' rows."""
    ids: list[object] = []
    for statement, params in search_groups(typed):
        if len(ids) > page:
            break
        rows = connection.execute(f"{statement} LIMIT {page + 1 - len(ids)}", params)
        ids += [row[0] for row in rows]
    marks = ", ".join("?" * len(ids[:page]))
    return connection.execute(
        f"SELECT {PROSPECT_COLUMNS} FROM prospects WHERE id IN ({marks})", ids[:page]
    ).fetchall()


def queue_reads(connection: sqlite3.Connection) -> None:
    """The rows today's queue is worked out from: running enrollments with their people and
    attempts since enrolling, and the open follow-ups."""
    connection.execute(
        f"SELECT e.prospect_id, e.cadence, e.enrolled_at, e.paused_at, {_prefixed('p')}, "
        "a.at, a.outcome, a.channel FROM enrollments e JOIN prospects p ON p.id = e.prospect_id "
        "LEFT JOIN attempts a ON a.prospect_id = e.prospect_id AND a.at >= e.enrolled_at "
        "WHERE e.ended_at IS NULL"
    ).fetchall()
    connection.execute(
        f"SELECT f.*, {_prefixed('p')} FROM follow_ups f JOIN prospects p "
        "ON p.id = f.prospect_id WHERE f.done = 0 AND f.cancelled_at IS NULL"
    ).fetchall()


def review_reads(connection: sqlite3.Connection, start: datetime, end: datetime) -> None:
    """The rows a day's review is counted from (the day's attempts, their time checks and
    pains) and tomorrow's queue is worked out from."""
    bounds = (start.replace(tzinfo=None), end.replace(tzinfo=None))
    connection.execute(
        "SELECT a.*, t.asked, t.minutes_available, t.minutes_needed, t.decision "
        "FROM attempts a LEFT JOIN time_checks t ON t.attempt_id = a.id "
        "WHERE a.at >= ? AND a.at < ?",
        bounds,
    ).fetchall()
    pains = "SELECT * FROM pains WHERE noted_at >= ? AND noted_at < ?"
    connection.execute(pains, bounds).fetchall()
    queue_reads(connection)


def prospect_reads(connection: sqlite3.Connection, prospect_id: int) -> None:
    """What the card reads of one prospect: the row, research, its 20 latest attempts and
    their time checks, pains, open follow-ups, cadence place and tags."""
    connection.execute(
        f"SELECT {PROSPECT_COLUMNS} FROM prospects WHERE id = ?", (prospect_id,)
    ).fetchall()
    for table in ("research_notes", "pains", "enrollments", "prospect_tags"):
        reads = f"SELECT * FROM {table} WHERE prospect_id = ?"
        connection.execute(reads, (prospect_id,)).fetchall()
    connection.execute(
        "SELECT * FROM follow_ups WHERE prospect_id = ? AND done = 0", (prospect_id,)
    ).fetchall()
    latest = connection.execute(
        "SELECT * FROM attempts WHERE prospect_id = ? ORDER BY at DESC, id DESC LIMIT 20",
        (prospect_id,),
    ).fetchall()
    ids = [row[0] for row in latest]
    marks = ", ".join("?" * len(ids))
    connection.execute(f"SELECT * FROM time_checks WHERE attempt_id IN ({marks})", ids).fetchall()


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in PROSPECT_COLUMNS.split(","))


IMPORT_BATCH_ROWS = 2000
"""Rows read, then inserted, at a time: the floor streams its file as callassist does, so
their peak memory compares like with like."""


DIGIT_GROUPS = re.compile(r"\+?\d+")


def import_csv(database: Path, source: Path) -> int:
    """The import's floor: read the CSV, check each row has a name, normalise its phone,
    skip numbers already seen, insert a batch at a time in one transaction and index for
    search.

    Each number is stored as callassist stores it, so that no list parses it again: in
    E.164, written nationally and internationally (its digit groups spaced), with the
    time zone of its area when it has one.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    seen: set[str] = set()

    def valid_rows(records: Iterator[dict[str, str]]) -> Iterator[tuple[object, ...]]:
        for record in records:
            first, last = record["First Name"].strip(), record["Last Name"].strip()
            if not (first or last):
                continue
            number = phonenumbers.parse(record["Phone"], "US")
            if not phonenumbers.is_valid_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in seen:
                continue
            seen.add(e164)
            international = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            zones = time_zones_for_number(number)
            yield (
                first,
                last,
                record["Job Title"],
                record["Company"],
                record["Email"],
                e164,
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
                " ".join(DIGIT_GROUPS.findall(international)),
                zones[0] if len(zones) == 1 else None,
                record["Notes"],
                now,
                now,
            )

    with (
        source.open(newline="", encoding="utf-8") as handle,
        closing(sqlite3.connect(database)) as connection,
        connection,
    ):
        rows = valid_rows(csv.DictReader(handle))
        # The importing rep, as callassist gives each new prospect an owner.
        (rep,) = connection.execute("SELECT min(id) FROM reps").fetchone()
        while batch := list(itertools.islice(rows, IMPORT_BATCH_ROWS)):
            connection.executemany(
                "INSERT INTO prospects (first_name, last_name, title, company, email, "
                "phone_e164, phone_national, phone_international, timezone, status, notes, "
                "created_at, updated_at, website, linkedin, owner_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, '', '', ?)",
                [(*row, rep) for row in batch],
            )
        connection.execute(CREATE_SEARCH_TABLE)
        connection.execute(
            f"INSERT INTO {SEARCH_TABLE} (rowid, name, company, research, notes) "
            "SELECT id, first_name || ' ' || last_name, company || ' ' || title, '', notes "
            "FROM prospects"
        )
    return len(seen)


if __name__ == "__main__":
    # Run as a program by the import row, so it is timed and measured like the command line.
    print(import_csv(Path(sys.argv[1]), Path(sys.argv[2])))
