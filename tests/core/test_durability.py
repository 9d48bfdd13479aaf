"""The database runs with the journal, sync and lock settings the README states."""

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.db import engine as engine_module
from callassist.desk.change_record import CHECKPOINT_PAGES, ChangeRecorder

README = Path(__file__).resolve().parents[2] / "README.md"

# PRAGMA synchronous answers with a number.
_SYNCHRONOUS_NAMES = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}


@pytest.mark.sqlite_only("reads SQLite's PRAGMA settings")
def test_the_readme_states_the_settings_a_users_action_runs_with(desk):
    readme = README.read_text(encoding="utf-8")
    with desk._transaction() as session:
        journal = session.execute(text("PRAGMA journal_mode")).scalar_one()
        synchronous = session.execute(text("PRAGMA synchronous")).scalar_one()
        busy_ms = session.execute(text("PRAGMA busy_timeout")).scalar_one()
    assert (journal, _SYNCHRONOUS_NAMES[synchronous]) == ("wal", "FULL")
    assert f"`journal_mode={journal.upper()}` and `synchronous=FULL`" in readme
    assert busy_ms == engine_module.BUSY_TIMEOUT_MS
    waits = re.search(r"a change waits for it for up to (\d+) seconds", " ".join(readme.split()))
    assert waits is not None
    assert int(waits.group(1)) * 1000 == busy_ms


@pytest.mark.sqlite_only("SQLite's log and its checkpoints")
def test_a_long_log_is_copied_into_the_file_by_the_change_recorder_not_by_an_action(
    tmp_path: Path,
) -> None:
    # The copy takes tens of milliseconds at 100,000 prospects: an action's commit
    # (an autosave on the window's thread) must never be the one that pays for it.
    database = tmp_path / "callassist.sqlite"
    CallDesk.open(database, backup_folder=tmp_path / "backups").close()
    url = make_url(f"sqlite:///{database}")
    actions = engine_module.make_engine(url)
    with actions.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE ballast (filler BLOB)")
        # Past the recorder's mark (4 KiB pages): 8 MB in one commit.
        assert CHECKPOINT_PAGES * 4096 < 8_000_000
        connection.exec_driver_sql("INSERT INTO ballast VALUES (zeroblob(8000000))")
    assert database.stat().st_size < 2_000_000  # still in the log

    recorder = ChangeRecorder(url, writer="test")
    recorder.record(Changes(prospects=True), rep_id=None)
    recorder.close()
    assert database.stat().st_size > 8_000_000  # copied in by the recorder's commit
    actions.dispose()
