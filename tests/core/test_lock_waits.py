"""A change waits for another program's write to the same database, up to the busy timeout."""

import io
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from callassist.cli import main
from callassist.core import CallDesk
from callassist.records import ProspectRecord

pytestmark = pytest.mark.sqlite_only(
    "SQLite's write lock and busy timeout, held by another process"
)

# Run by a second Python process: takes the write lock, writes, says so, then
# commits after HOLD seconds or when a line arrives on stdin, whichever is first.
_OTHER_WRITER = """
import sqlite3, select, sys
database, prospect_id, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
connection = sqlite3.connect(database, isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE prospects SET notes = 'from the other program' WHERE id = ?",
                   (prospect_id,))
print("holding", flush=True)
select.select([sys.stdin], [], [], hold)
connection.execute("COMMIT")
"""


@pytest.fixture
def dana_id(dana: ProspectRecord) -> int:
    return dana.id


def _hold_write_lock(db_path: Path, prospect_id: int, seconds: float) -> subprocess.Popen[str]:
    writer = subprocess.Popen(
        [sys.executable, "-c", _OTHER_WRITER, str(db_path), str(prospect_id), str(seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "holding\n"
    return writer


@pytest.fixture
def other_writer() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for writer in started:
        writer.communicate(input="release\n", timeout=30)


def _log_no_answer(db_path: Path, prospect_id: int, clock) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["--db", str(db_path), "log", str(prospect_id), "--outcome", "no_answer"],
        clock=clock,
        out=out,
        err=err,
    )
    return status, out.getvalue(), err.getvalue()


def test_log_waits_for_another_programs_write_and_succeeds(
    desk, db_path, dana_id, clock, other_writer
):
    other_writer.append(_hold_write_lock(db_path, dana_id, seconds=2))
    started = time.monotonic()
    status, out, err = _log_no_answer(db_path, dana_id, clock)
    waited = time.monotonic() - started

    assert (status, err) == (0, "")
    assert "Logged call 1 with #" in out
    assert waited >= 1.5, "the log went through while the other program held the lock"
    detail = desk.prospect_detail(dana_id)
    assert [attempt.outcome.value for attempt in detail.attempts] == ["no_answer"]
    assert detail.prospect.notes == "from the other program"


def test_a_lock_held_past_the_timeout_is_one_line_and_changes_nothing(
    desk, db_path, dana_id, clock, other_writer, monkeypatch
):
    from callassist.db import engine as engine_module

    # The same path as the 5 s default, in a fraction of the time.
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    writer = _hold_write_lock(db_path, dana_id, seconds=30)
    other_writer.append(writer)
    started = time.monotonic()
    status, out, err = _log_no_answer(db_path, dana_id, clock)
    waited = time.monotonic() - started
    writer.communicate(input="release\n", timeout=30)
    other_writer.clear()

    assert status == 1
    assert out == ""
    assert err == (
        f"callassist: {db_path} is busy in another program; nothing was changed, "
        "try again in a moment\n"
    )
    assert waited >= 0.25, "gave up before the busy timeout"
    detail = desk.prospect_detail(dana_id)
    assert detail.attempts == ()
    assert detail.prospect.notes == "from the other program"


def test_a_read_never_waits_for_another_programs_write(
    db_path, clock, tmp_path, dana_id, other_writer, monkeypatch
):
    from callassist.db import engine as engine_module

    # A read that queued behind the writer would give up after 0.3 s and say "busy".
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    other_writer.append(_hold_write_lock(db_path, dana_id, 30))
    with CallDesk.open(db_path, clock=clock, backup_folder=tmp_path / "b") as desk:
        # The search, the card and the list while another program writes: the last
        # committed state, at once.
        assert desk.prospect_ids() == [dana_id]
        assert desk.prospect_detail(dana_id).prospect.notes == ""
        assert [record.id for record in desk.lookup("Dana")] == [dana_id]
