"""Looking after a shared PostgreSQL database: `check` finds what was broken by hand
(dropped or unchecked constraints, rows pointing nowhere, the search's triggers),
`backup` dumps it with pg_dump, and the window says who backs it up."""

import io
import subprocess
from pathlib import Path

import psycopg
import pytest
from PySide6.QtWidgets import QMainWindow
from sqlalchemy.engine import make_url

from benchmarks.throwaway_postgres import SUPERUSER, create_database
from callassist.cli import main
from callassist.core import CallDesk
from callassist.db import backup
from callassist.db.backup import PG_DUMP_MISSING, SERVER_BACKUPS, pg_dump_program
from callassist.vocabulary import Outcome
from tests.core.cli_runs import Run
from ui.app import BackupTimer
from ui.bridge import DeskBridge


def run(url: str, *argv: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    status = main(["--db", url, *argv], out=out, err=err)
    return Run(status, out.getvalue(), err.getvalue())


@pytest.fixture
def damaged(postgres_socket_dir: Path, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database of its own, with Dana and a call, for a test to break by hand."""
    url = create_database(postgres_socket_dir, f"damaged_{tmp_path.name[-20:]}".lower())
    with CallDesk.open(url, template_dir=tmp_path, backup_folder=tmp_path) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", company="Mesa Dental")
        desk.update_research(dana.id, angle="their evening calls go to voicemail")
        call = desk.start_call(dana.id)
        desk.finish_attempt(call.id, Outcome.CONNECTED, notes="call back in May")
    return url


def as_superuser(socket_dir: Path, url: str, *statements: str) -> None:
    with psycopg.connect(
        host=str(socket_dir), user=SUPERUSER, dbname=make_url(url).database
    ) as admin:
        for statement in statements:
            admin.execute(statement)


def test_a_sound_database_checks_ok(damaged):
    checked = run(damaged, "check")
    assert (checked.status, checked.err) == (0, "")
    assert checked.out.strip().endswith(": ok")


def test_check_names_each_constraint_dropped_or_left_unchecked(damaged, postgres_socket_dir):
    as_superuser(
        postgres_socket_dir,
        damaged,
        "ALTER TABLE attempts DROP CONSTRAINT ck_attempts_channel",
        "DROP INDEX ix_follow_ups_uid",
        "ALTER TABLE pains DROP CONSTRAINT fk_pains_prospect_id_prospects",
        "ALTER TABLE pains ADD CONSTRAINT fk_pains_prospect_id_prospects "
        "FOREIGN KEY (prospect_id) REFERENCES prospects (id) NOT VALID",
    )

    checked = run(damaged, "check")

    assert checked.status != 0
    assert checked.out == ""
    assert checked.err.splitlines() == [
        "callassist: attempts: the check constraint ck_attempts_channel is missing",
        "callassist: follow_ups: the index ix_follow_ups_uid is missing",
        "callassist: pains: the foreign key fk_pains_prospect_id_prospects is NOT VALID "
        "(rows written before it were never checked); run ALTER TABLE ... VALIDATE CONSTRAINT",
    ]


def test_check_counts_the_rows_that_point_nowhere(damaged, postgres_socket_dir):
    # As the superuser, with the foreign keys' triggers off: Dana goes, her rows stay.
    as_superuser(
        postgres_socket_dir,
        damaged,
        "SET session_replication_role = replica",
        "DELETE FROM prospects",
    )

    problems = run(damaged, "check").err.splitlines()

    assert "callassist: attempts: 1 row whose prospect_id points to no prospects row" in problems
    assert (
        "callassist: research_notes: 1 row whose prospect_id points to no prospects row" in problems
    )


def test_check_notices_the_search_no_longer_follows_changes(damaged, postgres_socket_dir):
    as_superuser(
        postgres_socket_dir,
        damaged,
        "ALTER TABLE attempts DISABLE TRIGGER prospect_search_insert_attempts",
        "DROP TRIGGER prospect_search_new_prospects ON prospects",
        "INSERT INTO prospects (first_name, last_name, title, company, website, linkedin, "
        "status, notes, created_at, updated_at, owner_id) VALUES ('Lee', 'Park', '', '', '', "
        "'', 'new', '', now(), now(), (SELECT min(id) FROM reps))",
    )

    problems = run(damaged, "check").err.splitlines()

    assert problems == [
        "callassist: search index: the trigger prospect_search_new_prospects is missing or "
        "disabled, so the search no longer follows every change",
        "callassist: search index: the trigger prospect_search_insert_attempts is missing or "
        "disabled, so the search no longer follows every change",
        "callassist: search index holds 1 prospects, the table 2",
    ]


def test_backup_dumps_the_database_with_pg_dump(damaged, tmp_path):
    backed_up = run(damaged, "backup")

    assert backed_up.status == 0, backed_up.err
    [dump] = (tmp_path / "xdg-data").rglob("*.dump")
    assert backed_up.out.strip() == f"Backed up to {dump}"
    assert dump.name.startswith(f"{make_url(damaged).database}-")
    assert dump.name.endswith("-manual.dump")
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    pg_restore = pg_dump_program().with_name("pg_restore")
    listed = subprocess.run(
        [str(pg_restore), "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public prospects" in listed
    assert "TRIGGER public prospects prospect_search_new_prospects" in listed


def test_backup_without_pg_dump_says_what_to_use(damaged, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "pg_dump_program", lambda: None)

    backed_up = run(damaged, "backup")

    assert backed_up.status != 0
    assert backed_up.err.strip() == f"callassist: {PG_DUMP_MISSING}"
    assert list((tmp_path / "xdg-data").rglob("*.dump*")) == []


def test_the_window_says_once_that_the_server_keeps_the_backups(desk, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    backups = BackupTimer(DeskBridge(desk), window)

    backups.start_or_explain(window.statusBar())

    assert window.statusBar().currentMessage() == SERVER_BACKUPS
    assert not backups.isActive()


def test_the_window_on_a_sqlite_file_backs_up_on_its_timer(tmp_path, clock, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    with CallDesk.open(tmp_path / "mine.sqlite", clock=clock, backup_folder=tmp_path) as mine:
        backups = BackupTimer(DeskBridge(mine), window)

        backups.start_or_explain(window.statusBar())

        assert backups.isActive()
        assert window.statusBar().currentMessage() == ""
        backups.stop()
