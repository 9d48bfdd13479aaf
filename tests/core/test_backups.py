"""Backups: one folder per database, rotation, verified copies, and restoring one."""

import io
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from callassist.cli import main
from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.db.backup import (
    KEEP_NEWEST,
    Backup,
    backup_if_due,
    database_backup_folder,
    keep_these,
    list_backups,
)
from callassist.errors import KnownError

pytestmark = pytest.mark.sqlite_only("backups are verified copies of the SQLite file")


def first_names(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        names = [row[0] for row in connection.execute("SELECT first_name FROM prospects")]
    connection.close()
    return sorted(names)


def restore_cli(database: Path, *argv: str, at: datetime) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["--db", str(database), "restore", *argv], clock=fixed_clock(at), out=out, err=err
    )
    return status, out.getvalue(), err.getvalue()


def test_each_database_has_its_own_folder_even_with_the_same_file_name(tmp_path):
    root = tmp_path / "backups"
    one = database_backup_folder(root, tmp_path / "a" / "calls.sqlite")
    other = database_backup_folder(root, tmp_path / "b" / "calls.sqlite")
    assert one != other
    assert one.parent == other.parent == root
    assert one.name.startswith("calls-")
    assert other.name.startswith("calls-")


def test_rotation_keeps_the_newest_one_a_day_for_a_week_and_one_a_week_for_a_year():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    # Four backups a day for 400 days.
    backups = [
        Backup(Path(f"b{step}.sqlite"), now - timedelta(hours=6 * step), "auto")
        for step in range(4 * 400)
    ]
    kept = [backup for backup in backups if backup.path in keep_these(backups, now)]

    assert kept[:KEEP_NEWEST] == backups[:KEEP_NEWEST]
    # The newest ten cover the last two and a half days; each day before has one.
    for days_ago in range(3, 7):
        day = (now - timedelta(days=days_ago)).date()
        that_day = [backup for backup in backups if backup.taken_at.date() == day]
        assert [b for b in kept if b.taken_at.date() == day] == [that_day[0]]
    older = [backup for backup in kept if now - backup.taken_at > timedelta(days=14)]
    weeks = [backup.taken_at.isocalendar()[:2] for backup in older]
    assert len(weeks) == len(set(weeks))
    assert all(now - backup.taken_at < timedelta(days=365) for backup in kept)
    assert 50 <= len(older) <= 52
    assert len(kept) < 80


def test_many_backups_of_one_database_never_delete_another_databases(tmp_path, clock):
    root = tmp_path / "backups"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "calls.sqlite", tmp_path / "b" / "calls.sqlite"
    with CallDesk.open(second, clock=clock, backup_folder=root) as other:
        for minute in range(3):
            other.clock = fixed_clock(clock() + timedelta(minutes=minute))
            other.backup()
    second_backups = list_backups(database_backup_folder(root, second))
    assert len(second_backups) == 3

    with CallDesk.open(first, clock=clock, backup_folder=root) as desk:
        for day in range(30):
            desk.clock = fixed_clock(clock() + timedelta(days=day))
            desk.backup()
        for minute in range(1, 16):
            desk.clock = fixed_clock(clock() + timedelta(days=29, minutes=minute))
            desk.backup()

    assert list_backups(database_backup_folder(root, second)) == second_backups
    first_backups = list_backups(database_backup_folder(root, first))
    # The 10 newest (all on the last day), the newest of each of the six days
    # before, and the newest of each ISO week since (Sunday the 15th, 22nd, 29th
    # of March; the weeks after are covered already).
    last_day = [clock() + timedelta(days=29, minutes=minute) for minute in range(6, 16)]
    daily = [clock() + timedelta(days=day) for day in range(23, 29)]
    weekly = [clock() + timedelta(days=day) for day in (5, 12, 19)]
    assert [backup.taken_at for backup in first_backups] == sorted(weekly + daily + last_day)


def test_a_backup_killed_half_way_is_never_taken_as_good(desk, db_path, tmp_path, clock, damage):
    desk.add_prospect(first_name="Dana")
    good = desk.backup()
    # What a kill leaves: the temporary file, newer, half written.
    leftover = good.parent / ".desk-20260310-160000-manual.sqlite.partial"
    leftover.write_bytes(good.read_bytes()[: good.stat().st_size // 2])

    assert [backup.path for backup in list_backups(good.parent)] == [good]
    assert backup_if_due(db_path, desk.backup_folder, clock() + timedelta(minutes=5)) is None
    desk.close()
    damaged = damage(db_path)
    restored = CallDesk.restore(db_path, clock=clock, backup_folder=desk.backup_folder)
    assert restored.backup.path == good
    assert first_names(db_path) == ["Dana"]
    assert restored.set_aside[0].read_bytes() == damaged

    status, _, err = restore_cli(db_path, leftover.name, at=clock())
    assert status == 1
    assert "unfinished backup" in err


def test_a_stale_leftover_is_cleared_and_a_fresh_one_left_alone(desk):
    first = desk.backup()
    stale = first.parent / ".desk-20260310-140000-auto.sqlite.partial"
    fresh = first.parent / ".desk-20260310-150100-auto.sqlite.partial"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    two_hours_ago = stale.stat().st_mtime - 2 * 3600
    os.utime(stale, (two_hours_ago, two_hours_ago))
    desk.clock = fixed_clock(desk.clock() + timedelta(minutes=1))
    desk.backup()
    assert not stale.exists()
    assert fresh.exists()  # maybe another backup still being written


def test_a_damaged_database_is_refused_and_the_good_backups_kept(desk, db_path, damage):
    desk.add_prospect(first_name="Dana")
    for _ in range(3):
        desk.clock = fixed_clock(desk.clock() + timedelta(minutes=1))
        desk.backup()
    folder = database_backup_folder(desk.backup_folder, db_path)
    before = {path: path.read_bytes() for path in folder.iterdir()}
    damaged = damage(db_path)

    desk.clock = fixed_clock(desk.clock() + timedelta(minutes=1))
    with pytest.raises(KnownError) as refused:
        desk.backup()
    assert str(refused.value).startswith(f"{db_path} is damaged (")
    assert str(refused.value).endswith(
        f"no backup was taken and nothing was deleted from {folder} (3 earlier backups); "
        "`callassist restore` puts the newest good one back"
    )
    assert {path: path.read_bytes() for path in folder.iterdir()} == before
    assert db_path.read_bytes() == damaged


def test_the_backup_command_refuses_a_damaged_database_in_one_line(
    db_path, clock, tmp_path, damage
):
    out, err = io.StringIO(), io.StringIO()
    assert main(["--db", str(db_path), "demo"], clock=clock, out=out, err=err) == 0
    damage(db_path)
    status = main(["--db", str(db_path), "backup"], clock=clock, out=out, err=err)
    assert status == 1
    assert err.getvalue().startswith(f"callassist: {db_path} is damaged (")
    assert err.getvalue().count("\n") == 1
    assert "Traceback" not in err.getvalue()
    folder = database_backup_folder(tmp_path / "xdg-data" / "callassist" / "backups", db_path)
    assert err.getvalue().endswith(
        f"no backup was taken and there is no earlier backup of it in {folder}\n"
    )
    assert not any(folder.iterdir())


def test_restore_puts_the_newest_good_backup_back_and_keeps_the_damaged_file(
    db_path, clock, damage
):
    with CallDesk.open(db_path, clock=clock) as desk:
        desk.add_prospect(first_name="Dana")
        older = desk.backup()
        desk.add_prospect(first_name="Eve")
        desk.clock = fixed_clock(clock() + timedelta(hours=1))
        newer = desk.backup()
        desk.add_prospect(first_name="Finn")  # after the last backup: lost by a restore
    # The newest backup is itself damaged: it is passed over.
    damage(newer)
    damaged = damage(db_path)

    status, out_text, err_text = restore_cli(db_path, at=clock() + timedelta(hours=2))
    assert status == 0
    set_aside = db_path.with_name("desk-replaced-20260310-170000.sqlite")
    assert out_text == (
        f"Restored {db_path} from the backup of "
        f"{list_backups(older.parent)[0].when()} ({older})\n"
        f"The file it replaced is kept at {set_aside}\n"
    )
    assert err_text == f"callassist: skipped {newer}: it fails its integrity check\n"
    assert set_aside.read_bytes() == damaged
    assert first_names(db_path) == ["Dana"]
    with CallDesk.open(db_path, clock=clock) as reopened:
        assert reopened.check() == []


def test_restore_a_named_backup(desk, db_path, clock):
    desk.add_prospect(first_name="Dana")
    first = desk.backup()
    desk.add_prospect(first_name="Eve")
    desk.clock = fixed_clock(clock() + timedelta(minutes=1))
    desk.backup()
    desk.close()
    before = db_path.read_bytes()

    restored = CallDesk.restore(db_path, first.name, clock=clock, backup_folder=desk.backup_folder)
    assert restored.backup.path == first
    assert first_names(db_path) == ["Dana"]
    assert restored.set_aside[0].read_bytes() == before
    assert first_names(restored.set_aside[0]) == ["Dana", "Eve"]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_restore_refuses_what_it_cannot_use_and_changes_nothing(desk, db_path, clock, tmp_path):
    desk.add_prospect(first_name="Dana")
    desk.backup()
    with pytest.raises(KnownError, match="is open in callassist's window or another program"):
        CallDesk.restore(db_path, clock=clock, backup_folder=desk.backup_folder)
    desk.close()
    before = db_path.read_bytes()

    with pytest.raises(KnownError, match=r"^no backup 'nope\.sqlite': give a backup file"):
        CallDesk.restore(db_path, "nope.sqlite", clock=clock, backup_folder=desk.backup_folder)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(KnownError, match=r"junk\.sqlite is damaged"):
        CallDesk.restore(db_path, str(junk), clock=clock, backup_folder=desk.backup_folder)
    with pytest.raises(KnownError, match=r"^no good backup of "):
        CallDesk.restore(db_path, clock=clock, backup_folder=tmp_path / "empty")
    assert db_path.read_bytes() == before
    assert sorted(path.name for path in db_path.parent.glob("desk*")) == ["desk.sqlite"]


def test_a_backup_from_the_old_shared_folder_is_restored_by_path(desk, db_path, clock):
    desk.add_prospect(first_name="Dana")
    made = desk.backup()
    old_style = desk.backup_folder / made.name
    os.rename(made, old_style)
    desk.add_prospect(first_name="Eve")
    desk.close()

    restored = CallDesk.restore(db_path, str(old_style), clock=clock)
    assert restored.backup.path == old_style
    assert restored.backup.taken_at == clock()
    assert first_names(db_path) == ["Dana"]
    assert first_names(restored.set_aside[0]) == ["Dana", "Eve"]
