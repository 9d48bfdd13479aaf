"""Hostile command lines and hostile surroundings: one line on stderr, never a traceback,
and the database exactly as it was."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from cli_runs import Run
from database_choice import copy_database, on_postgresql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from raw_sql import contents
from sqlalchemy import event
from sqlalchemy.orm import Session

from callassist.cli import main
from callassist.cli.terminal import EXIT_INTERRUPTED
from callassist.clock import fixed_clock
from callassist.vocabulary import Outcome

COMMAND = Path(sys.executable).parent / "callassist"
HUGE = "9" * 25  # past SQLite's 64-bit integers
PAST_INT_DIGITS = "1" * 5000  # past the 4300 digits Python's int() accepts

DEMO_DAY = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
"""When the shared demo is made: a Tuesday afternoon in Chicago, days before DST begins.

A constant, not the ``clock`` fixture: the demo is made once for the module."""
DEMO_DATABASE = "demo_hostile"
"""On PostgreSQL, the database the demo is made in once, and copied from."""


def run(db_location: str | Path, clock, *argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    try:
        status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
    except SystemExit as exit_info:  # argparse's usage errors
        status = int(exit_info.code or 0)
    return Run(status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def demo_file(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str | Path:
    """The demo in a database whose rep is in Chicago (daylight saving time in 2026),
    made once: loading it takes seconds. A SQLite file, or on PostgreSQL a database of
    the session's cluster."""
    folder = tmp_path_factory.mktemp("demo")
    if on_postgresql(request.config):
        socket_dir = request.getfixturevalue("postgres_socket_dir")
        migrated = request.getfixturevalue("postgres_template")
        made: str | Path = copy_database(socket_dir, migrated, DEMO_DATABASE)
    else:
        made = folder / "demo.sqlite"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg-data"))
        patch.setenv("XDG_CONFIG_HOME", str(folder / "xdg-config"))
        clock = fixed_clock(DEMO_DAY)
        assert run(made, clock, "demo").status == 0
        assert run(made, clock, "profile", "--timezone", "America/Chicago").status == 0
    return made


@pytest.fixture
def demo(
    request: pytest.FixtureRequest, demo_file: str | Path, db_location: str | Path
) -> str | Path:
    """A copy of the demo database of its own for each test."""
    if on_postgresql(request.config):
        # db_location's new database is replaced by a copy of the demo's.
        return copy_database(request.getfixturevalue("postgres_socket_dir"), DEMO_DATABASE)
    shutil.copyfile(demo_file, db_location)
    return db_location


def assert_one_line(result: Run, status: int, words: str) -> None:
    assert result.status == status, result.err
    assert words in result.problem()


TRIGGERS = [
    (["log", "1", "--outcome", "no_answer", "--at", "0001-01-01T00:00"], "from 1970 to 2100"),
    (["log", "1", "--outcome", "no_answer", "--at", "9999-12-31T23:59"], "from 1970 to 2100"),
    (["review", "--date", "0001-01-01"], "from 1970 to 2100"),
    (["review", "--date", "9999-12-31"], "from 1970 to 2100"),
    (["queue", "--date", "0001-01-01"], "from 1970 to 2100"),
    (["queue", "--date", "9999-12-31"], "from 1970 to 2100"),
    (["render", "voicemail_first", "--prospect", "1", "--slot", "9999-12-31T23:00"], "2100"),
    (["render", "voicemail_first", "--prospect", "1", "--slot", "0001-01-01T00:00"], "1970"),
    (["prospects", "--limit", HUGE], "--limit '9999"),
    (["prospects", "--limit", PAST_INT_DIGITS], "out of range"),
    (["prospects", "--limit", "0"], "out of range: use 1 to"),
    (["log", HUGE, "--outcome", "no_answer"], "PROSPECT_ID '9999"),
    (["enroll", HUGE, "persistence"], "out of range"),
    (["undelete", HUGE], "out of range"),
    (["render", "voicemail_first", "--prospect", HUGE], "--prospect '9999"),
    (["profile", "--call-type", f"x={HUGE}"], "use 1 to 1440"),
    (["profile", "--call-type", "x=²"], "NAME=MINUTES"),
    (["log", "1", "--outcome", "no_answer", "--at", "2026-03-08T02:30"], "does not exist"),
    (["render", "voicemail_first", "--prospect", "1", "--slot", "2026-03-08T02:30"], "skip"),
    (["log", "1", "--outcome", "no_answer", "--at", "2026-11-01T01:30"], "happens twice"),
]


@pytest.mark.parametrize(("argv", "words"), TRIGGERS, ids=lambda value: str(value)[:40])
def test_each_trigger_is_one_line_and_changes_nothing(demo, clock, argv, words):
    before = contents(demo)
    result = run(demo, clock, *argv)
    assert_one_line(result, 1, words)
    assert result.out == ""
    assert contents(demo) == before


def test_a_time_in_the_fold_is_taken_once_its_offset_is_given(demo, clock):
    """The refusal names the two offsets; either one, typed out, is logged as that instant."""
    refused = run(demo, clock, "log", "1", "--outcome", "no_answer", "--at", "2026-11-01T01:30")
    assert "2026-11-01T01:30-06:00 (CST)" in refused.err
    at = "2026-11-01T01:30-06:00"
    logged = run(demo, clock, "log", "1", "--outcome", "no_answer", "--at", at)
    assert logged.status == 0, logged.err
    assert "2026-11-01 01:30 CST" in logged.out


def subprocess_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def test_a_closed_stdout_does_nothing_and_says_so(demo):
    before = contents(demo)
    result = subprocess.run(
        [COMMAND, "--db", str(demo), "log", "1", "--outcome", "no_answer"],
        preexec_fn=lambda: os.close(1),  # the child starts with no stdout: `>&-`
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["callassist: standard output is closed; nothing was done"]
    assert contents(demo) == before


def test_a_reader_that_went_away_is_status_1_without_a_word(demo):
    """`callassist prospects | head -1` when head has already left."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [COMMAND, "--db", str(demo), "prospects"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert (result.returncode, result.stderr) == (1, "")


def test_a_reader_that_leaves_mid_list_gets_its_line_and_stderr_says_nothing(tmp_path):
    """`callassist prospects | head -1` on more prospects than one read brings: the list
    is cut off with rows still unread, and what was left open is let go without a word
    (it used to end with "Error closing cursor" and a traceback)."""
    from benchmarks.dataset import fill

    many = tmp_path / "many.sqlite"
    fill(many, 1_200, 10, 100)
    result = subprocess.run(
        f"'{COMMAND}' --db '{many}' prospects | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("ID ")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_names_an_ascii_terminal_cannot_show_are_escaped(demo, clock):
    assert run(demo, clock, "profile", "--name", "José Ñúñez").status == 0
    before = contents(demo)
    shown = [
        subprocess.run(
            [COMMAND, "--db", str(demo), "profile", *extra],
            capture_output=True,
            env=subprocess_env(PYTHONIOENCODING="ascii"),
            timeout=60,
        )
        for extra in ([], ["--format", "json"])
    ]
    assert [result.returncode for result in shown] == [0, 0], shown[0].stderr
    assert b"Jos\\xe9 \\xd1\\xfa\\xf1ez" in shown[0].stdout
    assert json.loads(shown[1].stdout)["name"] == "José Ñúñez"
    assert contents(demo) == before


def test_ctrl_c_during_an_import_keeps_nothing(demo, clock, tmp_path):
    """SIGINT arrives with every row written and only the commit left to do."""
    rows = "".join(f"Ann{n},Lee,Acme {n},+1 312 555 {n:04d}\n" for n in range(200))
    csv_file = tmp_path / "many.csv"
    csv_file.write_text("First Name,Last Name,Company,Phone\n" + rows, encoding="utf-8")
    before = contents(demo)

    def interrupt(_session: Session) -> None:
        # The import's own commit, on this thread: not the change log's, which a desk
        # writes on a thread of its own.
        if threading.current_thread() is threading.main_thread():
            signal.raise_signal(signal.SIGINT)

    # Ctrl-C as Python handles it in a terminal: a test run started in the background
    # by a shell inherits SIGINT ignored, and Python then never installs its handler.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    event.listen(Session, "before_commit", interrupt)
    try:
        result = run(demo, clock, "import", str(csv_file))
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C went through main as a traceback")
    finally:
        event.remove(Session, "before_commit", interrupt)
        signal.signal(signal.SIGINT, previous)
    assert_one_line(result, EXIT_INTERRUPTED, "interrupted")
    assert contents(demo) == before


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` made read-only even for root (who ignores the mode bits): immutable."""
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make {path} immutable here: {made.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.sqlite_only("makes the SQLite file read-only")
def test_check_of_a_healthy_read_only_file_finds_it_healthy(demo, clock):
    before = contents(demo)
    run(demo, clock, "backup")  # closes cleanly: the journal is folded in
    with read_only(demo):
        result = run(demo, clock, "check")
    assert (result.status, result.err) == (0, "")
    assert result.lines() == [f"{demo}: ok"]
    assert contents(demo) == before


@pytest.mark.sqlite_only("makes the SQLite file's folder read-only")
def test_a_read_only_folder_is_named_as_such(demo, clock):
    before = contents(demo)
    for journal in demo.parent.glob(f"{demo.name}-*"):
        journal.unlink()
    with read_only(demo.parent):
        result = run(demo, clock, "check")
    assert_one_line(result, 1, f"its folder {demo.parent} is read-only")
    assert contents(demo) == before


def test_a_new_database_in_a_read_only_folder_is_refused_in_one_line(tmp_path, clock):
    folder = tmp_path / "shelf"
    folder.mkdir()
    with read_only(folder):
        result = run(folder / "new.sqlite", clock, "prospects")
    assert_one_line(result, 1, f"cannot create {folder / 'new.sqlite'}: its folder {folder}")
    assert list(folder.iterdir()) == []


# -- any command line -------------------------------------------------------------

numbers = st.one_of(st.integers(), st.integers(min_value=2**62)).map(str) | st.text(max_size=12)
days = st.dates().map(date.isoformat) | st.text(max_size=12)
times = (
    st.datetimes(timezones=st.none() | st.timezones()).map(datetime.isoformat)
    | st.datetimes(min_value=datetime(2026, 3, 8), max_value=datetime(2026, 3, 9)).map(
        datetime.isoformat
    )
    | st.text(max_size=20)
)
words = st.text(max_size=20)
command_lines = st.one_of(
    st.tuples(
        st.just("log"),
        numbers,
        st.just("--outcome"),
        st.sampled_from(list(Outcome)),
        st.just("--at"),
        times,
    ),
    st.tuples(st.sampled_from(["review", "queue"]), st.just("--date"), days),
    st.tuples(st.just("render"), words, st.just("--prospect"), numbers, st.just("--slot"), times),
    st.tuples(st.just("prospects"), st.just("--limit"), numbers, st.just("--search"), words),
    st.tuples(st.just("lookup"), words),
    st.tuples(st.just("profile"), st.just("--call-type"), words | numbers.map("x={}".format)),
    st.tuples(st.just("profile"), st.sampled_from(["--hours", "--timezone", "--phone"]), words),
    st.tuples(st.just("enroll"), numbers, words),
    st.tuples(st.sampled_from(["enroll", "undelete"]), numbers),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines)
def test_no_command_line_ends_in_a_traceback(demo, clock, argv):
    """Status 0 (done), 1 (refused in one line) or 2 (argparse's usage error), nothing else.

    An uncaught exception would fail the test by itself, with its traceback.
    """
    result = run(demo, clock, *map(str, argv))
    assert result.status in (0, 1, 2)
    if result.status == 1:
        assert result.err.startswith("callassist: ")
        assert "Traceback" not in result.err
