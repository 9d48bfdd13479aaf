"""The benchmark command still runs end to end: CI's smoke run at the smallest size.

No timing is asserted (timings belong in docs/performance.md, not in tests);
what is checked is that every row was measured and reported.
"""

import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from benchmarks.dataset import CLOCK, CONTENTS, fill
from callassist.core import CallDesk
from callassist.db.engine import database_url, make_engine
from callassist.db.migrate import SCHEMA_HEAD, run_migrations

ROOT = Path(__file__).resolve().parent.parent

ROWS = (
    "`callassist --version`",
    "`callassist --help`",
    "window first paint",
    "keystroke in the search box -> list updated",
    "longest window stall during a call by keys",
    "`callassist prospects`: first line",
    "`callassist prospects`: all",
    "import of 10,000 CSV rows",
    "phone lookup",
    "search as typed",
    "today's queue, 2,000 in a cadence",
    "today's queue after a logged call, 2,000 in a cadence",
    "today's queue with nothing kept, 2,000 in a cadence",
    "review of one day (100,000 attempts on file)",
    "review of one day after a logged call (100,000 attempts on file)",
    "review of one day with nothing kept (100,000 attempts on file)",
    "open a prospect with 5,000 attempts",
    "render a voicemail",
)


def test_the_benchmarks_measure_every_row_at_the_smallest_size(tmp_path: Path) -> None:
    output = tmp_path / "performance.md"
    work = tmp_path / "work"
    work.mkdir()
    # Another run's copy, where this run once wrote (and deleted) its own.
    others = work / "measured.sqlite"
    others.write_bytes(b"another run's copy")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "10k",
            "--pairs",
            "1",
            "--work",
            str(work),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    assert others.read_bytes() == b"another run's copy"
    assert not [path for path in work.iterdir() if path.name.startswith("run-")]
    table = [line for line in output.read_text().splitlines() if line.startswith("| ")]
    for name in ROWS:
        (row,) = [line for line in table if line.startswith(f"| {name}")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(r"[\d.]+ m?s", cells[1]), row
        assert re.fullmatch(r"[\d.]+x", cells[5]), row
        assert cells[7] in {"yes", "**no**"}, row


def test_a_row_that_misses_its_budget_is_reported_with_its_reason_or_as_unexplained(
    monkeypatch, tmp_path: Path
) -> None:
    from benchmarks import run
    from benchmarks.pairs import Pairs

    reasons = tmp_path / "why_not_held.toml"
    reasons.write_text('"render a voicemail" = "the sandbox checks every attribute."\n')
    monkeypatch.setattr(run, "WHY_NOT_HELD", reasons)
    twice = run.Budget("at most 2x the floor", max_ratio=2)
    slow, quick = Pairs((3.0,), (1.0,)), Pairs((1.0,), (1.0,))
    results = {
        "10k": [
            run.Row("render a voicemail (its context given)", "plain", twice, slow),
            run.Row("phone lookup", "plain", twice, slow),
            run.Row("today's queue", "plain", twice, quick),
        ],
        "100k": [run.Row("render a voicemail (its context given)", "plain", twice, slow)],
    }

    text = run.report(results, pairs=1, took=60)

    why = text.split("## Budgets not met, and why")[1].split("##")[0]
    assert (
        "- **render a voicemail (its context given)** (10k, 100k): "
        "the sandbox checks every attribute." in why
    )
    assert "- **phone lookup** (10k): not explained yet" in why
    assert "today's queue" not in why


def test_a_dataset_kept_from_an_older_schema_is_upgraded_not_built_anew(tmp_path: Path) -> None:
    def dataset_call(code: str) -> str:
        # As benchmarks.run imports it: from the checkout, not the installed package.
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from pathlib import Path; from benchmarks.dataset import build, fill; {code}",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    older = tmp_path / f"30-10-40-{CONTENTS}-schema0006.sqlite"
    dataset_call(f"fill(Path({str(older)!r}), 30, 10, 40)")
    engine = make_engine(database_url(older))
    run_migrations(engine, "0006", downgrade=True)
    engine.dispose()
    with closing(sqlite3.connect(older)) as connection:
        with connection:
            connection.execute("UPDATE prospects SET notes = 'kept from 0006' WHERE id = 3")
        # Committed, but left in the WAL while this connection is open: it must come along.
        built = dataset_call(f"print(build(Path({str(tmp_path)!r}), 30, 10, 40).database)")

    assert Path(built).name == f"30-10-40-{CONTENTS}-schema{SCHEMA_HEAD}.sqlite"
    assert older.exists()
    with closing(sqlite3.connect(built)) as connection:
        assert connection.execute("SELECT notes FROM prospects WHERE id = 3").fetchone() == (
            "kept from 0006",
        )
        assert connection.execute(
            "SELECT count(*) FROM prospects WHERE phone_national IS NULL"
        ).fetchone() == (0,)


def test_the_datasets_cadences_are_still_running_at_the_benchmarks_clock(tmp_path: Path) -> None:
    # A logged reply ends a cadence at once, so a rep's database never holds thousands
    # of cadences the history says are over: the queue rows must time running ones,
    # and the window must not spend its first minute storing their ends.
    database = tmp_path / "running.sqlite"
    fill(database, 600, 200, 8_000)
    with CallDesk.open(database, clock=CLOCK, backup_folder=tmp_path / "backups") as desk:
        ended = desk.settle_cadences().prospect_ids
        lines = desk.queue()
    assert len(ended) <= 200 * 0.05, sorted(ended)
    assert len({line.prospect_id for line in lines if line.cadence}) >= 200 * 0.5
