"""The databases and the CSV the benchmarks run on, built once and kept.

A rep's database at a given size: prospects with research notes and phones,
a share of them in the two cadences, a month of attempts (a million at the
largest size) and one prospect called 5,000 times. The schema comes from
callassist itself (``CallDesk.open`` runs the migrations, and upgrades a
dataset kept from an older schema rather than building it anew); the rows go in
with plain ``sqlite3`` so a million prospects take seconds, not the hour the
importer would need, and the search index is built by callassist's own SQL.
"""

import csv
import random
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine

from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.db.migrate import SCHEMA_HEAD
from callassist.db.search import create_search_index
from callassist.phones import phone_forms

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
"""The benchmark's "now": a Tuesday afternoon, so the queue and the review have a working day."""
CLOCK = fixed_clock(NOW)

FIRST = ["Dana", "Lee", "Priya", "Marcus", "Ines", "Tom", "Aiko", "Rafael", "Grace", "Omar"]
LAST = ["Whitfield", "Park", "Nair", "Okafor", "Lindqvist", "Brennan", "Sato", "Duarte", "Hale"]
WORDS = ["dental", "legal", "agency", "clinic", "logistics", "roofing", "hvac", "realty", "studio"]
AREA_CODES = ["505", "312", "415", "212", "303", "617", "512", "206", "602", "404"]
ZONES = ["America/Chicago", "America/New_York", "America/Denver", "America/Los_Angeles"]
OUTCOMES = ["voicemail_left", "no_answer", "connected", "email_sent", "rescheduled"]
CADENCE_OUTCOMES = ["voicemail_left", "no_answer", "email_sent"]
"""What an enrolled prospect's calls since enrolling came to: none of them a reply,
since a logged reply ends the cadence at once and the dataset stands for 20,000 still
running, as a busy rep's would be."""
CONTENTS = "data2"
"""Changes when what the dataset holds changes (not its schema): an older cached one
is built again rather than upgraded."""
BUSY_CALLS = 5_000
"""Attempts on the one prospect the "open a prospect" row opens."""


FIRST_ENROLLED_ID = 2
"""Prospect 1 is the busy one (every attempt of theirs is outside a cadence); from 2 on,
one prospect in every few is enrolled."""


@dataclass(frozen=True)
class Dataset:
    """One size of database, with what the rows need to know about it."""

    prospects: int
    enrolled: int
    attempts: int
    database: Path
    csv_file: Path
    """The same people as a CRM export (capped: see :data:`IMPORT_ROWS_CAP`)."""

    @property
    def probe_id(self) -> int:
        """A prospect in the middle of the list."""
        return self.prospects // 2

    @property
    def enrolled_id(self) -> int:
        """A prospect in a cadence (the first of those :func:`fill` enrolls)."""
        return FIRST_ENROLLED_ID

    @property
    def busy_id(self) -> int:
        """The prospect with :data:`BUSY_CALLS` attempts."""
        return 1

    def probe_phone(self) -> str:
        """The probe's number as a caller would type it."""
        area, exchange, line = phone_parts(self.probe_id)
        return f"({area}) {exchange}-{line}"

    def probe_surname(self) -> str:
        return surname(self.probe_id)


IMPORT_ROWS_CAP = 100_000
"""The import row stops at 100k rows (its budget's size): a million would take minutes a pair."""


def surname(index: int) -> str:
    return f"{LAST[index % len(LAST)]}{index}"


def phone_parts(index: int) -> tuple[str, str, str]:
    """A unique valid US number per prospect: area code, exchange, line."""
    area = AREA_CODES[index % len(AREA_CODES)]
    exchange = 220 + (index // 10_000) % 700
    return area, str(exchange), f"{index % 10_000:04d}"


def prospect_row(index: int, chooser: random.Random) -> dict[str, str]:
    """One prospect as a CRM export names its columns."""
    niche = WORDS[index % len(WORDS)]
    area, exchange, line = phone_parts(index)
    return {
        "First Name": FIRST[index % len(FIRST)],
        "Last Name": surname(index),
        "Company": f"{niche.title()} Co {index}",
        "Job Title": "Owner",
        "Phone": f"({area}) {exchange}-{line}",
        "Email": f"person{index}@{niche}{index}.example",
        "Notes": " ".join(chooser.choice(WORDS) for _ in range(25)),
    }


def build(folder: Path, prospects: int, enrolled: int, attempts: int) -> Dataset:
    """The dataset of this size in ``folder``, built unless an up-to-date one is there."""
    name = f"{prospects}-{enrolled}-{attempts}-{CONTENTS}-schema{SCHEMA_HEAD}"
    database = folder / f"{name}.sqlite"
    csv_file = folder / f"{min(prospects, IMPORT_ROWS_CAP)}.csv"
    dataset = Dataset(prospects, enrolled, attempts, database, csv_file)
    if not csv_file.exists():
        write_csv(csv_file, min(prospects, IMPORT_ROWS_CAP))
    if not database.exists():
        partial = database.with_suffix(".building")
        partial.unlink(missing_ok=True)
        # Only an older schema: a newer one (another checkout's) cannot be opened here.
        older = sorted(
            path
            for path in folder.glob(f"{prospects}-{enrolled}-{attempts}-{CONTENTS}-schema*.sqlite")
            if path.stem.rpartition("schema")[2] < SCHEMA_HEAD
        )
        if older:
            upgrade(older[-1], partial)
        else:
            fill(partial, prospects, enrolled, attempts)
        partial.rename(database)
    return dataset


def upgrade(older: Path, target: Path) -> None:
    """A copy of a dataset built for an older schema, upgraded by callassist's migrations
    as a rep's database would be (minutes at a million, where building anew takes longer).
    The older file is kept: another checkout may still be on its schema."""
    # SQLite's backup, not a file copy: what is still in the older file's WAL comes too.
    with closing(sqlite3.connect(older)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    with tempfile.TemporaryDirectory() as backups:
        CallDesk.open(target, clock=CLOCK, backup_folder=Path(backups)).close()


def write_csv(path: Path, count: int) -> None:
    chooser = random.Random(20261201)
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(prospect_row(1, chooser)))
        writer.writeheader()
        writer.writerows(prospect_row(index, chooser) for index in range(1, count + 1))
    partial.rename(path)


def empty_database(path: Path) -> None:
    """A database with callassist's schema and nothing in it."""
    CallDesk.open(path, clock=CLOCK, backup_folder=path.parent / "backups").close()


def fill(path: Path, prospects: int, enrolled: int, attempts: int) -> None:
    empty_database(path)
    chooser = random.Random(20261123)
    stamp = NOW.replace(tzinfo=None) - timedelta(days=40)
    with closing(sqlite3.connect(path)) as connection, connection:
        # The new database's only rep: theirs every prospect, call and enrollment.
        (rep,) = connection.execute("SELECT min(id) FROM reps").fetchone()
        connection.executemany(
            "INSERT INTO prospects (id, first_name, last_name, title, company, website, "
            "linkedin, email, phone_e164, phone_national, phone_international, timezone, "
            "status, notes, created_at, updated_at, owner_id) "
            "VALUES (?, ?, ?, 'Owner', ?, '', '', ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?)",
            (
                (
                    index,
                    FIRST[index % len(FIRST)],
                    surname(index),
                    f"{WORDS[index % len(WORDS)].title()} Co {index}",
                    f"person{index}@example.com",
                    phone,
                    # The written forms callassist stores beside every number it is given.
                    (forms := phone_forms(phone)).national,
                    forms.international,
                    ZONES[index % len(ZONES)],
                    " ".join(chooser.choice(WORDS) for _ in range(25)),
                    stamp,
                    stamp,
                    rep,
                )
                for index in range(1, prospects + 1)
                for phone in ["+1" + "".join(phone_parts(index))]
            ),
        )
        # Each email and number held by its prospect, as callassist stores them.
        connection.execute(
            "INSERT INTO prospect_contacts (value, prospect_id, kind) "
            "SELECT email, id, 'email' FROM prospects "
            "UNION ALL SELECT phone_e164, id, 'phone' FROM prospects"
        )
        connection.executemany(
            "INSERT INTO research_notes (prospect_id, company_summary, person_profile, angle, "
            "source_links) VALUES (?, ?, '', ?, '')",
            (
                (index, f"Runs a {WORDS[index % len(WORDS)]} business", "Evening calls missed")
                for index in range(1, prospects + 1, 3)
            ),
        )
        cadence_ids = range(FIRST_ENROLLED_ID, prospects + 1, max(1, prospects // max(1, enrolled)))
        # Enrolled over the last week, so that neither cadence has run its course.
        enrolled_at = {
            prospect_id: NOW.replace(tzinfo=None) - timedelta(hours=1 + number % (7 * 24))
            for number, prospect_id in enumerate(list(cadence_ids)[:enrolled])
        }
        connection.executemany(
            "INSERT INTO enrollments (prospect_id, cadence, enrolled_at, rep_id) "
            "VALUES (?, ?, ?, ?)",
            (
                (prospect_id, ("three_voicemails", "persistence")[prospect_id % 2], at, rep)
                for prospect_id, at in enrolled_at.items()
            ),
        )
        connection.executemany(
            "INSERT INTO attempts (prospect_id, at, ended_at, channel, outcome, notes, rep_id) "
            "VALUES (?, ?, ?, 'call', ?, ?, ?)",
            ((*row, rep) for row in attempt_rows(prospects, attempts, chooser, enrolled_at)),
        )
    # The search index through callassist's own statement, as an import would leave it.
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            create_search_index(connection)
    finally:
        engine.dispose()


def attempt_rows(
    prospects: int, attempts: int, chooser: random.Random, enrolled_at: dict[int, datetime]
) -> list[tuple[int, datetime, datetime, str, str]]:
    """A month of calls spread over the list, the last day busiest, and one much-called
    prospect; no reply from anyone since they were enrolled."""
    rows = []
    start = NOW.replace(tzinfo=None) - timedelta(days=30)
    for number in range(max(0, attempts - BUSY_CALLS)):
        prospect_id = chooser.randrange(1, prospects + 1)
        at = start + timedelta(minutes=chooser.randrange(30 * 24 * 60))
        in_cadence = prospect_id in enrolled_at and at >= enrolled_at[prospect_id]
        outcomes = CADENCE_OUTCOMES if in_cadence else OUTCOMES
        outcome = outcomes[number % len(outcomes)]
        rows.append((prospect_id, at, at + timedelta(minutes=2), outcome, ""))
    for number in range(min(attempts, BUSY_CALLS)):
        at = start + timedelta(minutes=8 * number)
        rows.append((1, at, at + timedelta(minutes=3), OUTCOMES[number % 5], "left word"))
    return rows


SEARCHED_TABLES = ("prospects", "research_notes", "attempts")
"""What a search reads: the rows copied into PostgreSQL for the ``postgres`` rows."""


def copy_to_postgres(source: Path, url: str) -> None:
    """The searched tables of the SQLite dataset ``source`` into the callassist database
    at ``url`` (made by ``CallDesk.open``), with COPY: its triggers write the search
    documents as they would for an import."""
    import psycopg
    from sqlalchemy.engine import make_url

    target = make_url(url)
    with (
        closing(sqlite3.connect(source)) as rows,
        psycopg.connect(
            host=str(target.query["host"]), user=target.username, dbname=target.database
        ) as server,
    ):
        for table in SEARCHED_TABLES:
            columns = [row[1] for row in rows.execute(f"PRAGMA table_info({table})")]
            listed = ", ".join(columns)
            with server.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows.execute(f"SELECT {listed} FROM {table}"):
                    copy.write_row(row)
        server.commit()
        # What the server's autovacuum does within a minute of a load this size, which
        # VACUUM cannot do inside a transaction: ANALYZE, without whose statistics the
        # planner cannot tell a common word from a rare one; and VACUUM (a load counts
        # as that many changes), which also moves the GIN index's pending entries into
        # the index proper. Half the documents left pending made every read of the
        # index walk them all, and the planner scan all 10,000 documents instead.
        server.autocommit = True
        server.execute("VACUUM ANALYZE")
