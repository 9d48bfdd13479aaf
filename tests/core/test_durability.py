"""The database runs with the journal, sync and lock settings the README states."""

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from callassist.db import engine as engine_module

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
