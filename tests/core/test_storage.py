"""Where the data lives, transactions, backups and the integrity check."""

import sqlite3
from datetime import timedelta

import pytest

from callassist import paths
from callassist.core import CallDesk, resolve_location
from callassist.db.backup import backup_if_due, database_backup_folder
from callassist.errors import InvalidInputError, KnownError
from callassist.vocabulary import Outcome


def test_default_database_lives_in_the_user_data_folder(tmp_path):
    url = resolve_location(None)
    assert url.database == str(tmp_path / "xdg-data" / "callassist" / "callassist.sqlite")
    assert paths.user_template_dir() == tmp_path / "xdg-config" / "callassist" / "scripts"


def test_environment_variable_then_flag_override_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLASSIST_DB", str(tmp_path / "env.sqlite"))
    assert resolve_location(None).database == str(tmp_path / "env.sqlite")
    assert resolve_location(tmp_path / "flag.sqlite").database == str(tmp_path / "flag.sqlite")
    assert (
        resolve_location("postgresql+psycopg://rep@db.example/team").get_backend_name()
        == "postgresql"
    )


def test_data_survives_reopening(db_location, clock, tmp_path):
    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path / "b") as desk:
        dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path / "b") as desk:
        assert desk.lookup("5058281788")[0].id == dana.id


def test_a_failing_action_leaves_nothing_behind(desk):
    from callassist.services import prospects

    dana = desk.add_prospect(first_name="Dana")

    def research_then_bad_email() -> None:
        # The research is written first inside the same transaction; the bad
        # email that follows must roll it back too.
        with desk._transaction() as session:
            prospects.update_research(session, desk.clock, dana.id, angle="half done")
            prospects.update_prospect(session, desk.clock, dana.id, {"email": "nope"}, "US")

    with pytest.raises(InvalidInputError):
        research_then_bad_email()
    assert desk.prospect_detail(dana.id).research.angle == ""


@pytest.mark.sqlite_only("another program's write lock on the SQLite file")
def test_locked_database_is_explained(db_path, clock, tmp_path, monkeypatch):
    from callassist.db import engine as engine_module

    # Keep the test quick: give up on the lock after 50 ms, not 5 s.
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 50)
    with CallDesk.open(db_path, clock=clock, backup_folder=tmp_path / "b") as desk:
        blocker = sqlite3.connect(db_path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(KnownError, match="busy in another program"):
                desk.add_prospect(first_name="Blocked")
        finally:
            blocker.rollback()
            blocker.close()
        assert desk.prospects() == []


@pytest.mark.sqlite_only("the backup is a copy of the SQLite file")
def test_backup_is_a_working_copy(desk, db_path, tmp_path):
    desk.add_prospect(first_name="Dana")
    copy = desk.backup()
    assert copy.parent == database_backup_folder(tmp_path / "backups", db_path)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT first_name FROM prospects").fetchall() == [("Dana",)]


@pytest.mark.sqlite_only("timed backups copy the SQLite file")
def test_timed_backups_are_throttled(desk, db_path, clock):
    first = backup_if_due(db_path, desk.backup_folder, clock())
    assert first is not None
    assert backup_if_due(db_path, desk.backup_folder, clock() + timedelta(minutes=5)) is None


@pytest.mark.sqlite_only("the search index checked is SQLite's FTS5 table")
def test_check_passes_on_a_healthy_database_and_finds_a_stale_index(desk, db_path):
    dana = desk.add_prospect(first_name="Dana", company="Mesa")
    desk.log_attempt(dana.id, Outcome.NO_ANSWER)
    assert desk.check() == []
    with sqlite3.connect(db_path) as connection:
        connection.execute("DELETE FROM prospect_search")
    assert any("search index" in problem for problem in desk.check())
