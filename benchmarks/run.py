"""Speed of callassist on a large prospect list, next to plain sqlite3.

Run: ``.venv/bin/python benchmarks/run.py [--prospects N]``

Each row times one thing a rep does (or waits for) through the real facade,
and a baseline measured in the same run on the same machine: the least plain
``sqlite3`` work that gives the same answer. The ratio shows what callassist's
layers cost; the target is what a rep would notice.
"""

import argparse
import csv
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.vocabulary import FollowUpKind, Outcome

FIRST = ["Dana", "Lee", "Priya", "Marcus", "Ines", "Tom", "Aiko", "Rafael", "Grace", "Omar"]
LAST = ["Whitfield", "Park", "Nair", "Okafor", "Lindqvist", "Brennan", "Sato", "Duarte", "Hale"]
WORDS = ["dental", "legal", "agency", "clinic", "logistics", "roofing", "hvac", "realty", "studio"]
AREA_CODES = ["505", "312", "415", "212", "303", "617", "512", "206", "602", "404"]
CLOCK = fixed_clock(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
ENROLLED = 2_000
"""Prospects in a cadence: a busy rep works a few thousand of the list at a time."""


def make_rows(count: int) -> list[dict[str, str]]:
    chooser = random.Random(20261123)
    rows = []
    for index in range(count):
        niche = chooser.choice(WORDS)
        area, exchange = chooser.choice(AREA_CODES), 828 + index // 10000
        rows.append(
            {
                "First Name": chooser.choice(FIRST),
                "Last Name": f"{chooser.choice(LAST)}{index}",
                "Company": f"{niche.title()} Co {index}",
                "Job Title": "Owner",
                "Phone": f"({area}) {exchange}-{index % 10000:04d}",
                "Email": f"person{index}@{niche}{index}.example",
                "Notes": " ".join(chooser.choice(WORDS) for _ in range(25)),
            }
        )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def best_of(repeats: int, action: Callable[[], object]) -> float:
    """Median seconds of ``repeats`` runs."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def baseline_database(path: Path, rows: list[dict[str, str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, first TEXT, last TEXT, company TEXT, "
        "phone TEXT, email TEXT, notes TEXT)"
    )
    return connection


def baseline_import(connection: sqlite3.Connection, rows: list[dict[str, str]]) -> None:
    with connection:
        connection.executemany(
            "INSERT INTO p (first, last, company, phone, email, notes) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (r["First Name"], r["Last Name"], r["Company"], r["Phone"], r["Email"], r["Notes"])
                for r in rows
            ],
        )
        connection.execute("CREATE INDEX p_phone ON p (phone)")


def enroll_some(desk: CallDesk, enrolled: int) -> int:
    """Put ``enrolled`` prospects spread over the list in the two cadences, part way through.

    A third have had a voicemail left since (their next step is a day or more
    away), and one in twenty has a booked follow-up: the mix of a working week.
    """
    ids = desk.prospect_ids()
    chosen = ids[:: max(1, len(ids) // enrolled)][:enrolled]
    half = len(chosen) // 2
    desk.enroll_many(chosen[:half], "three_voicemails")
    desk.enroll_many(chosen[half:], "persistence")
    for prospect_id in chosen[::3]:
        desk.log_attempt(prospect_id, Outcome.VOICEMAIL_LEFT, at=CLOCK())
    for prospect_id in chosen[1::20]:
        desk.add_follow_up(
            prospect_id,
            due_at=CLOCK() + timedelta(hours=1),
            minutes=20,
            kind=FollowUpKind.MEETING,
            reason="call back",
        )
    return len(chosen)


def baseline_queue(database: Path) -> None:
    """The rows the queue is worked out from: enrollments, their attempts and due follow-ups.

    Only the reading: the cadence engine's reasoning over them has no SQL equivalent.
    """
    with closing(sqlite3.connect(database)) as connection:
        connection.execute(
            "SELECT e.prospect_id, e.cadence, e.enrolled_at, p.first_name, p.last_name, "
            "p.company, p.title, p.timezone, a.at, a.outcome FROM enrollments e "
            "JOIN prospects p ON p.id = e.prospect_id "
            "LEFT JOIN attempts a ON a.prospect_id = e.prospect_id AND a.at >= e.enrolled_at "
            "WHERE e.ended_at IS NULL AND e.paused_at IS NULL"
        ).fetchall()
        connection.execute(
            "SELECT f.*, p.first_name, p.last_name, p.company FROM follow_ups f "
            "JOIN prospects p ON p.id = f.prospect_id WHERE f.done = 0"
        ).fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prospects", type=int, default=100_000)
    count = parser.parse_args().prospects
    rows = make_rows(count)
    probe = rows[count // 2]
    results: list[tuple[str, float, float, str]] = []

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "prospects.csv"
        write_csv(source, rows)

        with closing(baseline_database(work / "baseline.sqlite", rows)) as plain:
            start = time.perf_counter()
            baseline_import(plain, rows)
            plain_import = time.perf_counter() - start

            desk = CallDesk.open(work / "desk.sqlite", clock=CLOCK, backup_folder=work / "b")
            start = time.perf_counter()
            report = desk.import_csv(source)
            desk_import = time.perf_counter() - start
            assert report.created == count, report
            results.append(
                (f"import {count:,} prospects from CSV", desk_import, plain_import, "< 30 s")
            )

            word = probe["Company"].split()[0].lower()
            surname = probe["Last Name"]
            results.append(
                (
                    "search by surname (FTS5)",
                    best_of(20, lambda: desk.prospects(search=surname)),
                    best_of(
                        20,
                        lambda: plain.execute(
                            "SELECT * FROM p WHERE last LIKE ?", (f"%{surname}%",)
                        ).fetchall(),
                    ),
                    "< 50 ms",
                )
            )
            results.append(
                (
                    "search-as-you-type, first 50 hits",
                    best_of(20, lambda: desk.prospects(search=word[:3], limit=50)),
                    best_of(
                        20,
                        lambda: plain.execute(
                            "SELECT * FROM p WHERE company LIKE ? LIMIT 50", (f"%{word[:3]}%",)
                        ).fetchall(),
                    ),
                    "< 50 ms",
                )
            )
            digits = "".join(ch for ch in probe["Phone"] if ch.isdigit())
            results.append(
                (
                    "phone lookup of a caller",
                    best_of(50, lambda: desk.lookup(f"+1 {digits[:3]}-{digits[3:6]}-{digits[6:]}")),
                    best_of(
                        50,
                        lambda: plain.execute(
                            "SELECT * FROM p WHERE phone = ?", (probe["Phone"],)
                        ).fetchall(),
                    ),
                    "< 10 ms",
                )
            )
            results.append(
                (
                    "first 100 prospects by name",
                    best_of(20, lambda: desk.prospects(limit=100)),
                    best_of(
                        20,
                        lambda: plain.execute(
                            "SELECT * FROM p ORDER BY lower(last), lower(first) LIMIT 100"
                        ).fetchall(),
                    ),
                    "< 200 ms",
                )
            )
            enrolled = enroll_some(desk, min(ENROLLED, count))
            results.append(
                (
                    f"today's queue, {enrolled:,} in a cadence",
                    best_of(10, desk.queue),
                    best_of(10, lambda: baseline_queue(work / "desk.sqlite")),
                    "< 200 ms",
                )
            )
            desk.close()

            def reopen() -> None:
                CallDesk.open(work / "desk.sqlite", clock=CLOCK, backup_folder=work / "b").close()

            def plain_open() -> None:
                sqlite3.connect(work / "baseline.sqlite").execute("SELECT 1").fetchall()

            results.append(
                ("open the database", best_of(5, reopen), best_of(5, plain_open), "< 300 ms")
            )

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    python = sys.version.split()[0]
    sqlite = sqlite3.sqlite_version
    print(f"callassist benchmarks: {count:,} prospects, Python {python}, SQLite {sqlite}")
    print()
    print("| operation | callassist | plain sqlite3 | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, ours, theirs, target in results:
        ratio = ours / theirs if theirs else float("inf")
        ours_text, theirs_text = format_seconds(ours), format_seconds(theirs)
        print(f"| {name} | {ours_text} | {theirs_text} | {ratio:.1f}x | {target} |")
    print(f"\npeak memory of this process: {peak_mib:.0f} MiB")
    return 0


def format_seconds(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.2f} ms"


if __name__ == "__main__":
    sys.exit(main())
