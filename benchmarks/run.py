"""callassist's speed at 10k, 100k and 1M prospects, each row beside its floor.

Run: ``.venv/bin/python -m benchmarks.run`` (all sizes, five pairs a row,
writes docs/performance.md). ``--sizes 10k --pairs 1 --output FILE`` is the
smoke run CI makes. Datasets are built once into ``--work`` (default: a
folder in the user's cache) and reused.

Every row times callassist and its floor in turns (see benchmarks/pairs.py);
the floors are in benchmarks/floors.py. A budget is either a ratio to the
floor or a time a rep would notice.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jinja2
import platformdirs

from benchmarks import floors
from benchmarks.dataset import CLOCK, NOW, Dataset, build, copy_to_postgres, empty_database
from benchmarks.pairs import Pairs, Timed, averaged, paired, timed
from benchmarks.throwaway_postgres import create_database, throwaway_cluster
from callassist.core import CallDesk
from callassist.desk.calls import after_logging
from callassist.templates import BUNDLED_DIR

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COMMAND = str(Path(PYTHON).with_name("callassist"))
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
ENROLLED = {10_000: 2_000, 100_000: 20_000, 1_000_000: 20_000}
ATTEMPTS = {10_000: 100_000, 100_000: 1_000_000, 1_000_000: 1_000_000}
SEARCH_PAGE = 50
VOICEMAIL = "voicemail_first"


@dataclass(frozen=True)
class Budget:
    """What a row must stay within: a ratio to its floor, or seconds a rep would notice."""

    text: str
    max_ratio: float | None = None
    max_seconds: float | None = None
    max_p95: float | None = None

    def holds(self, pairs: Pairs) -> bool:
        if self.max_ratio is not None and pairs.ratio > self.max_ratio:
            return False
        if self.max_p95 is not None and pairs.ours_p95 > self.max_p95:
            return False
        return self.max_seconds is None or pairs.ours_median <= self.max_seconds


@dataclass(frozen=True)
class Row:
    name: str
    floor: str
    budget: Budget
    pairs: Pairs
    note: str = ""


def run_process(arguments: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, check=True, capture_output=True, env=environment)
    return time.perf_counter() - start


def first_line_seconds(arguments: list[str], environment: dict[str, str]) -> float:
    """Seconds until a command prints its first line (it is then left to finish unread)."""
    start = time.perf_counter()
    with subprocess.Popen(arguments, stdout=subprocess.PIPE, env=environment) as process:
        assert process.stdout is not None
        process.stdout.readline()
        elapsed = time.perf_counter() - start
        process.kill()
    return elapsed


def peak_mib(arguments: list[str], environment: dict[str, str]) -> float:
    """Peak resident memory of a command: its rusage, read by a small parent process."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [PYTHON, "-c", probe, *arguments],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    return int(done.stdout) / 1024


@contextmanager
def private_home() -> Iterator[dict[str, str]]:
    """An environment whose config, data and cache folders are fresh and thrown away."""
    with tempfile.TemporaryDirectory() as folder:
        environment = dict(os.environ)
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            environment[variable] = str(Path(folder) / variable.lower())
        environment["QT_QPA_PLATFORM"] = "offscreen"
        environment["PYTHONPATH"] = str(ROOT)
        yield environment


def start_up_rows(pairs: int, environment: dict[str, str]) -> list[Row]:
    nothing = timed_process([PYTHON, "-c", "pass"], environment)
    budget = Budget("at most 3x python -c pass", max_ratio=3)
    return [
        Row(
            f"`callassist {flag}`",
            "`python -c pass`",
            budget,
            paired(timed_process([COMMAND, flag], environment), nothing, pairs),
        )
        for flag in ("--version", "--help")
    ]


def timed_process(arguments: list[str], environment: dict[str, str]) -> Timed:
    return lambda: run_process(arguments, environment)


def window_row(pairs: int, environment: dict[str, str], working_copy: Callable[[], Path]) -> Row:
    probe = str(ROOT / "benchmarks" / "first_paint.py")

    def ours() -> float:
        # A fresh copy each time, untimed: the window's real clock settles the dataset's
        # cadences (their days are long past), and the next start must not find them done.
        database = working_copy()
        return run_process([PYTHON, probe, "app", str(database)], environment)

    return Row(
        "window first paint",
        "bare main window after the same imports",
        Budget("at most 1.5x the floor", max_ratio=1.5),
        paired(ours, timed_process([PYTHON, probe, "bare"], environment), pairs),
    )


def copy_database(source: Path, target: Path) -> Path:
    """``target`` made a copy of database ``source``, with no journal left from before."""
    remove_database(target)
    shutil.copyfile(source, target)
    # On the disk before anything is timed: the kernel writes a fresh copy back half a
    # minute on, and a commit's sync meanwhile waits behind all of it.
    with target.open("rb+") as copy:
        os.fsync(copy.fileno())
    return target


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


WINDOW_BUDGETS = {
    "keystroke in the search box -> list updated": Budget(
        "under 50 ms median, 100 ms p95", max_seconds=0.05, max_p95=0.1
    ),
    "longest window stall during a call by keys": Budget("under 50 ms", max_seconds=0.05),
}
WINDOW_FLOORS = {
    "keystroke in the search box -> list updated": "the same search reads and page read",
    "longest window stall during a call by keys": "longest gap of the idle window",
}


def window_probe_rows(data: Dataset, pairs: int, environment: dict[str, str]) -> list[Row]:
    """The rows measured inside the real window by benchmarks/window_probe.py."""
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.window_probe", str(data.database), str(pairs)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
    )
    rows = []
    for line in done.stdout.splitlines():
        measured = json.loads(line)
        name = measured["row"]
        rows.append(
            Row(
                name,
                WINDOW_FLOORS[name],
                WINDOW_BUDGETS[name],
                Pairs(tuple(measured["ours"]), tuple(measured["floor"])),
                note=measured["note"],
            )
        )
    return rows


def listing_rows(data: Dataset, pairs: int, environment: dict[str, str]) -> list[Row]:
    ours = [COMMAND, "--db", str(data.database), "prospects"]
    shell = [
        "sqlite3",
        str(data.database),
        "SELECT id, first_name, last_name, company, phone_e164, status FROM prospects "
        "ORDER BY lower(last_name), lower(first_name)",
    ]
    return [
        Row(
            "`callassist prospects`: first line",
            "sqlite3 shell: first line",
            Budget("under 0.3 s", max_seconds=0.3),
            paired(
                lambda: first_line_seconds(ours, environment),
                lambda: first_line_seconds(shell, environment),
                pairs,
            ),
        ),
        Row(
            "`callassist prospects`: all",
            "sqlite3 shell, same rows and order",
            Budget("at most 3x the floor", max_ratio=3),
            paired(timed_process(ours, environment), timed_process(shell, environment), pairs),
        ),
    ]


def import_row(data: Dataset, pairs: int, environment: dict[str, str], scratch: Path) -> Row:
    # Made again each run: an empty database kept from an older schema would be
    # upgraded inside the timed import.
    empty = scratch / "empty.sqlite"
    empty.unlink(missing_ok=True)
    empty_database(empty)

    def fresh_copy(name: str) -> Path:
        return copy_database(empty, scratch / name)

    def ours() -> list[str]:
        return [COMMAND, "--db", str(fresh_copy("ours.sqlite")), "import", str(data.csv_file)]

    def floor() -> list[str]:
        script = str(ROOT / "benchmarks" / "floors.py")
        return [PYTHON, script, str(fresh_copy("floor.sqlite")), str(data.csv_file)]

    measured = paired(
        lambda: run_process(ours(), environment), lambda: run_process(floor(), environment), pairs
    )
    our_peak, floor_peak = peak_mib(ours(), environment), peak_mib(floor(), environment)
    rows = min(data.prospects, 100_000)
    return Row(
        f"import of {rows:,} CSV rows",
        "csv + phone check and written forms + executemany a batch at a time + FTS5 index",
        Budget("at most 3x the floor", max_ratio=3),
        measured,
        note=f"peak memory {our_peak:.0f} MiB (floor {floor_peak:.0f} MiB)",
    )


RAW_READS = "the raw reads of the same rows"


def first_look_of_the_day(desk: CallDesk, look: Callable[[], object]) -> Timed:
    """``look`` timed as the day's first look pays it (the window's start, a command): the
    queue the desk keeps in memory between looks (callassist/desk/kept_queue.py) is
    forgotten first, untimed; the steps the database keeps (worked_out_steps) are read."""

    def run() -> float:
        desk.forget_queue()
        return timed(look)()

    return run


def with_nothing_kept(
    desk: CallDesk, plain: sqlite3.Connection, look: Callable[[], object]
) -> Timed:
    """``look`` timed as the first look after an upgrade, an edited cadence or new hours
    pays it: nothing kept in memory or in the database is trusted (made so untimed), so
    every running cadence is worked out again and kept for the next look."""

    def run() -> float:
        desk.forget_queue()
        plain.execute("UPDATE worked_out_steps SET worked_out_at_change = NULL")
        plain.commit()
        return timed(look)()

    return run


def after_a_logged_call(desk: CallDesk, prospect_id: int, look: Callable[[], object]) -> Timed:
    """``look`` timed as the window pays it after each call: the queue the desk keeps is
    told, untimed, that a call to ``prospect_id`` was logged (as a logged call announces
    it), so the look works that prospect out again and keeps everyone else's lines."""
    logged = after_logging(prospect_id)

    def run() -> float:
        desk.hear_others(logged)
        return timed(look)()

    return run


def desk_rows(data: Dataset, pairs: int) -> list[Row]:
    """The rows timed inside one process through the facade the window and commands use."""
    desk = CallDesk.open(data.database, clock=CLOCK, backup_folder=data.database.parent / "b")
    plain = sqlite3.connect(data.database)
    try:
        return _desk_rows(desk, plain, data, pairs)
    finally:
        plain.close()
        desk.close()


def _desk_rows(desk: CallDesk, plain: sqlite3.Connection, data: Dataset, pairs: int) -> list[Row]:
    phone = data.probe_phone()
    typed = data.probe_surname()[:4]
    page_of = SEARCH_PAGE

    def our_search() -> None:
        ids = desk.prospect_ids(typed, page_of + 1)
        desk.prospects_by_ids(ids[:page_of])

    context = desk.script_context(data.probe_id)
    plain_scripts = jinja2.Environment(
        loader=jinja2.FileSystemLoader(BUNDLED_DIR), autoescape=False, keep_trailing_newline=True
    )
    plain_scripts.filters["full_stop"] = lambda text: str(text).rstrip(".") + "."
    template = plain_scripts.get_template(f"{VOICEMAIL}.txt.j2")
    day_start = NOW.replace(hour=0, minute=0)

    def three_looks(
        names: tuple[str, str, str], look: Callable[[], object], floor: Callable[[], object]
    ) -> list[Row]:
        """``look`` timed as the day's first look pays it, as the window pays it after each
        call, and with nothing kept, each beside the raw reads of the same rows."""
        budget = Budget("at most 2x the floor", max_ratio=2)
        # The first row's untimed turn is the day before's last look: it keeps every step.
        first, after_a_call, nothing_kept = names
        return [
            Row(
                first,
                RAW_READS,
                budget,
                paired(first_look_of_the_day(desk, look), timed(floor), pairs),
            ),
            Row(
                after_a_call,
                RAW_READS,
                budget,
                paired(after_a_logged_call(desk, data.enrolled_id, look), timed(floor), pairs),
            ),
            Row(
                nothing_kept,
                RAW_READS,
                budget,
                paired(with_nothing_kept(desk, plain, look), timed(floor), pairs),
            ),
        ]

    many = 20
    return [
        Row(
            "phone lookup",
            "parse + indexed SELECT on the three phone columns",
            Budget("at most 10x the floor", max_ratio=10),
            paired(
                averaged(timed(lambda: desk.lookup(phone)), many),
                averaged(timed(lambda: floors.lookup(plain, phone)), many),
                pairs,
            ),
        ),
        Row(
            f'search as typed: "{typed}" -> first {page_of} rows',
            "the same search reads (name indexes, FTS5) + the page's rows",
            Budget("under 50 ms", max_seconds=0.05),
            paired(
                averaged(timed(our_search), 5),
                averaged(timed(lambda: floors.search_page(plain, typed, page_of)), 5),
                pairs,
            ),
        ),
        *three_looks(
            (
                f"today's queue, {data.enrolled:,} in a cadence",
                f"today's queue after a logged call, {data.enrolled:,} in a cadence",
                f"today's queue with nothing kept, {data.enrolled:,} in a cadence",
            ),
            desk.queue,
            lambda: floors.queue_reads(plain),
        ),
        *three_looks(
            (
                f"review of one day ({data.attempts:,} attempts on file)",
                f"review of one day after a logged call ({data.attempts:,} attempts on file)",
                f"review of one day with nothing kept ({data.attempts:,} attempts on file)",
            ),
            desk.review,
            lambda: floors.review_reads(plain, day_start, day_start + timedelta(1)),
        ),
        Row(
            "open a prospect with 5,000 attempts",
            RAW_READS,
            Budget("under 50 ms", max_seconds=0.05),
            paired(
                timed(lambda: desk.prospect_detail(data.busy_id)),
                timed(lambda: floors.prospect_reads(plain, data.busy_id)),
                pairs,
            ),
        ),
        Row(
            "render a voicemail (its context given)",
            "the same template precompiled, plain Jinja2",
            Budget("at most 2x the floor", max_ratio=2),
            paired(
                averaged(timed(lambda: desk.scripts.render(VOICEMAIL, context)), many),
                averaged(timed(lambda: template.render(context)), many),
                pairs,
            ),
        ),
    ]


def postgres_rows(data: Dataset, pairs: int) -> list[Row]:
    """The search on PostgreSQL beside the same search on SQLite, on the same rows: a
    throwaway cluster is started, the dataset's prospects, research and calls copied in."""
    backups = data.database.parent / "b"
    with throwaway_cluster() as socket_dir:
        url = create_database(socket_dir, "benchmark")
        CallDesk.open(url, clock=CLOCK, backup_folder=backups).close()
        copy_to_postgres(data.database, url)
        shared = CallDesk.open(url, clock=CLOCK, backup_folder=backups)
        alone = CallDesk.open(data.database, clock=CLOCK, backup_folder=backups)
        try:
            return [
                search_beside_sqlite(shared, alone, typed, where, pairs)
                for typed, where in (
                    (data.probe_surname()[:4], "the start of a surname"),
                    # Only the research's angle says "Evening calls missed".
                    ("even", "a word only in the research"),
                )
            ]
        finally:
            shared.close()
            alone.close()


def search_beside_sqlite(
    shared: CallDesk, alone: CallDesk, typed: str, where: str, pairs: int
) -> Row:
    # The search alone: the page's rows are read alike whatever found their ids.
    def searched(desk: CallDesk) -> Timed:
        return averaged(timed(lambda: desk.prospect_ids(typed, SEARCH_PAGE + 1)), 5)

    return Row(
        f'search on PostgreSQL: "{typed}" ({where}) -> ids of the first {SEARCH_PAGE}',
        "the same search on SQLite (name indexes, FTS5), same rows",
        Budget("at most 3x SQLite", max_ratio=3),
        paired(searched(shared), searched(alone), pairs),
    )


GROUPS = ("start-up", "window", "calls", "listing", "import", "desk", "postgres")
DEFAULT_GROUPS = GROUPS[:-1]
"""The postgres group needs the PostgreSQL server programs: it is run when asked for."""


def measure(
    data: Dataset, pairs: int, scratch: Path, groups: Collection[str], with_start_up: bool
) -> list[Row]:
    """The rows of ``groups`` at this size (start-up rows only with ``with_start_up``:
    they do not depend on the data), the copies they write kept in ``scratch``.

    Every group works on its own copy of the dataset: the cached one stays as built,
    whatever a window or a logged call writes (a settle ending every cadence would
    leave later runs timing a queue of nobody).
    """

    def working_copy() -> Path:
        return copy_database(data.database, scratch / "measured.sqlite")

    def copied() -> Dataset:
        return replace(data, database=working_copy())

    rows: list[Row] = []
    with private_home() as environment:
        if with_start_up and "start-up" in groups:
            rows.extend(start_up_rows(pairs, environment))
        if "window" in groups:
            rows.append(window_row(pairs, environment, working_copy))
        if "calls" in groups:
            rows.extend(window_probe_rows(copied(), pairs, environment))
        if "listing" in groups:
            rows.extend(listing_rows(copied(), pairs, environment))
        if "import" in groups:
            rows.append(import_row(data, pairs, environment, scratch))
    if "desk" in groups:
        rows.extend(desk_rows(copied(), pairs))
    if "postgres" in groups:
        rows.extend(postgres_rows(copied(), pairs))
    return rows


def seconds_text(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def report(results: dict[str, list[Row]], pairs: int, took: float) -> str:
    lines = [
        "# Performance",
        "",
        "Written by `.venv/bin/python -m benchmarks.run` on "
        f"{datetime.now(UTC):%Y-%m-%d} ({platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}); "
        f"{pairs} pairs a row, callassist and its floor timed in turns; "
        f"medians; the ratio is the median of the per-pair ratios. The run took "
        f"{took / 60:.0f} minutes.",
        "",
    ]
    for size, rows in results.items():
        held = sum(row.budget.holds(row.pairs) for row in rows)
        lines += [
            f"## {size} prospects ({held} of {len(rows)} rows within budget)",
            "",
            "| operation | callassist | p95 | floor | floor is | ratio | budget | holds |",
            "| --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
        ]
        for row in rows:
            p = row.pairs
            note = f" ({row.note})" if row.note else ""
            lines.append(
                f"| {row.name}{note} | {seconds_text(p.ours_median)} | {seconds_text(p.ours_p95)} "
                f"| {seconds_text(p.floor_median)} | {row.floor} | {p.ratio:.1f}x "
                f"| {row.budget.text} | {'yes' if row.budget.holds(p) else '**no**'} |"
            )
        lines.append("")
    lines += _why_not_held(results)
    if len(results) > 1:
        first, *_, last = results
        lines += [
            f"## Growth from {first} to {last} prospects",
            "",
            f"| operation | {first} | {last} | growth |",
            "| --- | ---: | ---: | ---: |",
        ]
        smallest = {row.name: row for row in results[first]}
        for row in results[last]:
            if row.name in smallest:
                before, after = smallest[row.name].pairs.ours_median, row.pairs.ours_median
                lines.append(
                    f"| {row.name} | {seconds_text(before)} | {seconds_text(after)} "
                    f"| {after / before:.1f}x |"
                )
        lines.append("")
    return "\n".join(lines)


WHY_NOT_HELD = Path(__file__).with_name("why_not_held.toml")
"""For each row that may miss its budget, why, with the profile that shows it: written by
whoever profiled it, quoted in the report only while the row misses."""


def _why_not_held(results: dict[str, list[Row]]) -> list[str]:
    reasons: dict[str, str] = tomllib.loads(WHY_NOT_HELD.read_text(encoding="utf-8"))
    missed: dict[str, list[str]] = {}
    for size, rows in results.items():
        for row in rows:
            if not row.budget.holds(row.pairs):
                missed.setdefault(row.name, []).append(size)
    if not missed:
        return []
    lines = ["## Budgets not met, and why", ""]
    for name, sizes in missed.items():
        reason = next((text for start, text in reasons.items() if name.startswith(start)), None)
        reason = reason or "not explained yet: still to be profiled."
        lines.append(f"- **{name}** ({', '.join(sizes)}): {reason}")
    return [*lines, ""]


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m")
    parser.add_argument("--pairs", type=int, default=5, help="timed pairs per row (default 5)")
    parser.add_argument(
        "--work", type=Path, default=platformdirs.user_cache_path("callassist") / "benchmarks"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--groups",
        default=",".join(DEFAULT_GROUPS),
        help=f"comma-separated rows to time: {', '.join(GROUPS)} "
        "(default all but postgres, which needs the PostgreSQL server programs)",
    )
    options = parser.parse_args(arguments)
    sizes = [size.strip().lower() for size in options.sizes.split(",")]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    groups = {group.strip().lower() for group in options.groups.split(",")}
    strangers = sorted(groups - set(GROUPS))
    if strangers:
        parser.error(f"unknown group {', '.join(strangers)}: choose from {', '.join(GROUPS)}")
    options.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, list[Row]] = {}
    for number, size in enumerate(sizes):
        count = SIZES[size]
        print(f"building or reusing the {size} dataset in {options.work} ...", flush=True)
        data = build(options.work, count, ENROLLED[count], ATTEMPTS[count])
        print(f"measuring at {size} ...", flush=True)
        # The copies a run writes and times are its own: two runs at once on one
        # work folder (a second benchmark, a helper's) once replaced each other's.
        with tempfile.TemporaryDirectory(prefix="run-", dir=options.work) as scratch:
            results[size] = measure(
                data, options.pairs, Path(scratch), groups, with_start_up=number == 0
            )
    text = report(results, options.pairs, time.perf_counter() - started)
    options.output.write_text(text + "\n", encoding="utf-8")
    print(text)
    print(
        f"peak memory of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
