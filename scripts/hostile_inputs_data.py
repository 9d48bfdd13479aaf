"""Hostile inputs about files and stored data: exports, values stored behind callassist's
back, another program's lock, file modes, backups."""

import csv
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from damaged_database import overwrite_prospects_page
from hostile_bench import (
    TIME_LIMIT_S,
    Bench,
    CannotRunHereError,
    Catalogue,
    HarnessError,
    Outcome,
    Ran,
    backup_files,
    digest,
    together,
)

from callassist.db.backup import KEEP_NEWEST

# A second program takes the write lock, writes, says so, and commits after HOLD seconds.
OTHER_WRITER = """
import sqlite3, sys, time
database, prospect_id, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
connection = sqlite3.connect(database, isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE prospects SET notes = 'from the other program' WHERE id = ?",
                   (prospect_id,))
print("holding", flush=True)
time.sleep(hold)
connection.execute("COMMIT")
"""


CATALOGUE = Catalogue()
case = CATALOGUE.case


# -- exports ---------------------------------------------------------------------

FORMULAS = (
    '=HYPERLINK("http://x","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def import_names(bench: Bench, db: Path) -> list[tuple[object, ...]]:
    return bench.rows(
        "SELECT first_name, last_name, title, company, email, notes FROM prospects "
        "ORDER BY first_name, last_name, email",
        db=db,
    )


@case("export-formulas", "Exports", "cells that a spreadsheet would run as formulas", status=0)
def export_formulas(bench: Bench) -> Outcome:
    for prospect_id, formula in enumerate(FORMULAS, start=1):
        bench.sql("UPDATE prospects SET company = ? WHERE id = ?", formula, prospect_id)
    outcome = bench.unchanged(lambda: bench.run("export", str(bench.folder / "out.csv")))
    with (bench.folder / "out.csv").open(encoding="utf-8-sig", newline="") as written:
        cells = [cell for row in csv.reader(written) for cell in row]
    risky = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    again = bench.folder / "again.sqlite"
    imported = bench.run("import", str(bench.folder / "out.csv"), db=again)
    # The core trims spaces, tabs and line ends around every value it stores.
    stored = [
        tuple(value.strip() if isinstance(value, str) else value for value in row)
        for row in import_names(bench, bench.db)
    ]
    same = imported.status == 0 and import_names(bench, again) == stored
    data = (
        f"{outcome.data}; {len(risky)} cells start with = + - @ tab or CR; imported into a "
        f"new database: {'the same values' if same else 'NOT the same'} (a leading tab or CR "
        "trimmed, as from every value stored)"
    )
    return Outcome(outcome.ran, outcome.kept and not risky and same, data)


@case("export-fifo", "Exports", "export onto a named pipe", words="not a regular file")
def export_fifo(bench: Bench) -> Outcome:
    target = bench.folder / "target.fifo"
    os.mkfifo(target)
    outcome = bench.unchanged(lambda: bench.run("export", str(target)))
    still = stat.S_ISFIFO(target.lstat().st_mode)
    data = f"{outcome.data}; the pipe {'is still a pipe' if still else 'was REPLACED'}"
    return Outcome(outcome.ran, outcome.kept and still, data)


@case("export-device", "Exports", "export onto a device (a copy of /dev/null's node)")
def export_device(bench: Bench) -> Outcome:
    if os.geteuid() != 0:
        raise CannotRunHereError("making a device node needs root")
    target = bench.folder / "null"
    os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    outcome = bench.unchanged(lambda: bench.run("export", str(target)))
    still = stat.S_ISCHR(target.lstat().st_mode)
    data = f"{outcome.data}; the device {'is still a device' if still else 'was REPLACED'}"
    return Outcome(outcome.ran, outcome.kept and still, data)


@case("export-symlink", "Exports", "export onto a symbolic link to the rep's file")
def export_symlink(bench: Bench) -> Outcome:
    victim = bench.folder / "mine.txt"
    victim.write_text("the rep's own file\n", encoding="utf-8")
    link = bench.folder / "export.csv"
    link.symlink_to(victim)
    outcome = bench.unchanged(lambda: bench.run("export", str(link)))
    still = link.is_symlink() and victim.read_text(encoding="utf-8") == "the rep's own file\n"
    data = f"{outcome.data}; link and file {'as they were' if still else 'CHANGED'}"
    return Outcome(outcome.ran, outcome.kept and still, data)


# -- values stored that are not valid -------------------------------------------


def enrolled_prospect(bench: Bench) -> int:
    found = bench.one(
        "SELECT prospect_id FROM enrollments WHERE ended_at IS NULL AND paused_at IS NULL "
        "ORDER BY prospect_id LIMIT 1"
    )
    assert isinstance(found, int)
    return found


def prospect_not_enrolled(bench: Bench) -> int:
    found = bench.one(
        "SELECT id FROM prospects WHERE id NOT IN (SELECT prospect_id FROM enrollments) "
        "ORDER BY id LIMIT 1"
    )
    assert isinstance(found, int)
    return found


def huge_wait_cadence(bench: Bench, wait: str) -> int:
    """The rep's cadence 'slow' with step 2 waiting ``wait``, and one prospect in it."""
    bench.user_cadence("slow", 'wait = "24 hours"', f'wait = "{wait}"')
    prospect_id = enrolled_prospect(bench)
    bench.sql("UPDATE enrollments SET cadence = 'slow' WHERE prospect_id = ?", prospect_id)
    return prospect_id


def queue_beside_a_broken_cadence(bench: Bench, wait: str) -> Outcome:
    """The queue, with one prospect in a cadence whose file is broken: said or not?"""
    prospect_id = huge_wait_cadence(bench, wait)
    outcome = bench.unchanged(lambda: bench.run("queue"))
    name = " ".join(map(str, bench.rows(
        "SELECT first_name, last_name FROM prospects WHERE id = ?", prospect_id)[0]))  # fmt: skip
    listed = f"#{prospect_id} " in outcome.ran.out
    said = "slow.toml" in outcome.ran.err or name in outcome.ran.err
    fate = "listed" if listed else "left out of the queue, " + ("named" if said else "unnamed")
    data = f"{outcome.data}; {name} (#{prospect_id}), in cadence 'slow': {fate}"
    return Outcome(outcome.ran, outcome.kept, data)


@case("wait-queue", "Values stored", "a cadence file waiting 999999999 days: queue", 0)
def wait_queue(bench: Bench) -> Outcome:
    return queue_beside_a_broken_cadence(bench, "999999999 days")


@case("wait-review", "Values stored", "a cadence file waiting 999999999 days: review", 0)
def wait_review(bench: Bench) -> Outcome:
    huge_wait_cadence(bench, "999999999 days")
    return bench.unchanged(lambda: bench.run("review"))


@case("wait-enroll", "Values stored", "a cadence file waiting 999999999 days: enroll in it",
      words="slow.toml")  # fmt: skip
def wait_enroll(bench: Bench) -> Outcome:
    huge_wait_cadence(bench, "999999999 days")
    newcomer = prospect_not_enrolled(bench)
    return bench.unchanged(lambda: bench.run("enroll", str(newcomer), "slow"))


@case("wait-digits", "Values stored", "a cadence file waiting 5000 digits of days: queue", 0)
def wait_digits(bench: Bench) -> Outcome:
    return queue_beside_a_broken_cadence(bench, "9" * 5000 + " days")


@case("missing-script", "Values stored", "a cadence step naming a script that does not exist",
      0, "no script")  # fmt: skip
def missing_script(bench: Bench) -> Outcome:
    bench.user_cadence("slow", 'script = "voicemail_third"', 'script = "voicemail_fourth"')
    return bench.unchanged(lambda: bench.run("cadences"))


def counted_change(bench: Bench, table: str, command: Callable[[], Ran]) -> Outcome:
    """Run ``command``, which should add exactly one row to ``table``."""
    before = bench.one(f"SELECT count(*) FROM {table}")
    ran = command()
    after = bench.one(f"SELECT count(*) FROM {table}")
    assert isinstance(before, int)
    assert isinstance(after, int)
    added = after - before
    return Outcome(ran, added == 1, f"{table}: {before} → {after} (one row asked for)")


@case("profile-zone-log", "Values stored", "the rep's stored time zone is 'Mars/Olympus': log",
      0, "Mars/Olympus")  # fmt: skip
def profile_zone_log(bench: Bench) -> Outcome:
    bench.sql("UPDATE reps SET timezone = 'Mars/Olympus'")
    return counted_change(
        bench, "attempts", lambda: bench.run("log", "1", "--outcome", "no_answer")
    )


@case("profile-zone-enroll", "Values stored", "the rep's stored time zone is 'Mars/Olympus': "
      "enroll", 0, "Mars/Olympus")  # fmt: skip
def profile_zone_enroll(bench: Bench) -> Outcome:
    bench.sql("UPDATE reps SET timezone = 'Mars/Olympus'")
    newcomer = prospect_not_enrolled(bench)
    return counted_change(
        bench, "enrollments", lambda: bench.run("enroll", str(newcomer), "persistence")
    )


def bad_prospect_zone(bench: Bench) -> str:
    """One enrolled prospect's zone set to 'America' (not a zone); returns '(#id)'."""
    prospect_id = enrolled_prospect(bench)
    bench.sql("UPDATE prospects SET timezone = 'America' WHERE id = ?", prospect_id)
    return f"(#{prospect_id})"


@case("prospect-zone-queue", "Values stored", "one prospect's stored time zone is 'America': "
      "queue", 0, "has 'America' as time zone")  # fmt: skip
def prospect_zone_queue(bench: Bench) -> Outcome:
    bad_prospect_zone(bench)
    return bench.unchanged(lambda: bench.run("queue"))


@case("prospect-zone-review", "Values stored", "one prospect's stored time zone is 'America': "
      "review", 0, "has 'America' as time zone")  # fmt: skip
def prospect_zone_review(bench: Bench) -> Outcome:
    bad_prospect_zone(bench)
    return bench.unchanged(lambda: bench.run("review"))


# -- another program writing -------------------------------------------------------


@case("lock-2s", "Locks", "another program holds the write lock for 2 s during log", 0)
def lock_two_seconds(bench: Bench) -> Outcome:
    writer = subprocess.Popen(
        [sys.executable, "-c", OTHER_WRITER, str(bench.db), "1", "2"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    if writer.stdout.readline() != "holding\n":
        raise HarnessError("the other writer did not take the lock")
    before = bench.one("SELECT count(*) FROM attempts")
    started = time.monotonic()
    ran = bench.run(
        "log", "1", "--outcome", "no_answer", suffix="# while another program holds the lock"
    )
    waited = time.monotonic() - started
    writer.wait(timeout=TIME_LIMIT_S)
    after = bench.one("SELECT count(*) FROM attempts")
    theirs = bench.one("SELECT notes FROM prospects WHERE id = 1") == "from the other program"
    assert isinstance(before, int)
    kept = after == before + 1 and theirs
    data = (
        f"attempts: {before} → {after} after {waited:.1f} s; the other program's write "
        f"{'kept' if theirs else 'LOST'}"
    )
    return Outcome(ran, kept, data)


# -- who can read the files ------------------------------------------------------


def private_files(bench: Bench, umask: int) -> Outcome:
    """A first run on the default database under ``umask``: demo, backup, export."""
    export = bench.folder / "out.csv"
    prefix = f"umask {umask:03o};"
    runs = [
        bench.run("demo", default_db=True, umask=umask, prefix=prefix),
        bench.run("backup", default_db=True, umask=umask),
        bench.run("export", str(export), default_db=True, umask=umask),
    ]
    ran = together(f"{prefix} callassist demo; callassist backup; callassist export out.csv",
                   runs)  # fmt: skip
    data_dir = bench.data_home / "callassist"
    database = data_dir / "callassist.sqlite"
    files = [database, *(Path(f"{database}{end}") for end in ("-wal", "-shm")), export]
    made = list((data_dir / "backups").rglob("*"))
    files += [found for found in made if found.is_file()]
    folders = [bench.data_home, data_dir, data_dir / "backups"]
    folders += [found for found in made if found.is_dir()]
    loose = [
        f"{bench.short(str(path))} {stat.S_IMODE(path.stat().st_mode):o}"
        for path, mode in [(f, 0o600) for f in files if f.exists()] + [(d, 0o700) for d in folders]
        if stat.S_IMODE(path.stat().st_mode) != mode
    ]
    checked = sum(f.exists() for f in files)
    data = (
        f"{checked} files 0600, {len(folders)} folders 0700"
        if not loose
        else "NOT private: " + ", ".join(loose)
    )
    return Outcome(ran, not loose, data)


@case("umask-022", "Private files", "the usual umask 022: database, -wal, backup, export", 0)
def umask_022(bench: Bench) -> Outcome:
    return private_files(bench, 0o022)


@case("umask-077", "Private files", "umask 077: database, -wal, backup, export", 0)
def umask_077(bench: Bench) -> Outcome:
    return private_files(bench, 0o077)


# -- backups -----------------------------------------------------------------------

ROTATED_BACKUPS = KEEP_NEWEST + 1


@case("backups-two-databases", "Backups", f"{ROTATED_BACKUPS} backups of one database beside "
      "another with the same file name", 0)  # fmt: skip
def backups_two_databases(bench: Bench) -> Outcome:
    other = bench.folder / "other" / "calls.sqlite"
    other.parent.mkdir()
    shutil.copyfile(bench.db, other)
    first = bench.run("backup", db=other)
    others = backup_files(bench.backup_folder(other))
    runs = [first] + [bench.run("backup") for _ in range(ROTATED_BACKUPS)]
    ran = together(
        f"callassist --db other/calls.sqlite backup; {ROTATED_BACKUPS} × callassist backup", runs
    )
    folders = {path.name for path in bench.backup_folder().parent.iterdir()}
    kept_others = backup_files(bench.backup_folder(other)) == others
    own = len(backup_files(bench.backup_folder()))
    data = (
        f"{len(folders)} backup folders; the other database's backup "
        f"{'kept' if kept_others else 'DELETED'}; this one's rotated to {own}"
    )
    return Outcome(ran, kept_others and len(others) == 1 and own == KEEP_NEWEST, data)


def newer_name(backup: Path) -> str:
    """``backup``'s name with a later time of day: it sorts as the newest."""
    renamed = re.sub(r"-(\d{8})-\d{6}", r"-\1-235959", backup.name, count=1)
    if renamed == backup.name:
        raise HarnessError(f"no date and time in the backup name {backup.name}")
    return renamed


@case("backup-half-written", "Backups", "a half-written file named like the newest backup: "
      "restore", 0)  # fmt: skip
def backup_half_written(bench: Bench) -> Outcome:
    if bench.run("backup").status != 0:
        raise HarnessError("the first backup failed")
    (good,) = bench.backup_folder().iterdir()
    half = good.parent / newer_name(good)
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    bench.sql("UPDATE prospects SET notes = 'after the backup' WHERE id = 1")
    replaced = bench.db.read_bytes()
    ran = bench.run("restore")
    restored = digest(bench.db) == digest(good)
    aside = [path for path in bench.folder.glob("calls-replaced-*") if path.suffix == ".sqlite"]
    kept = restored and len(aside) == 1 and aside[0].read_bytes() == replaced
    data = (
        f"{'the good backup' if restored else 'NOT the good backup'} put back; the replaced "
        f"file {'kept aside' if kept else 'NOT kept'}"
    )
    return Outcome(ran, kept, data)


@case("backup-partial", "Backups", "restore of a backup cut short (.partial)",
      words="unfinished backup")  # fmt: skip
def backup_partial(bench: Bench) -> Outcome:
    if bench.run("backup").status != 0:
        raise HarnessError("the first backup failed")
    (good,) = bench.backup_folder().iterdir()
    partial = good.parent / f".{good.name}.partial"
    partial.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return bench.unchanged(lambda: bench.run("restore", partial.name))


@case("backup-damaged", "Backups", "backup of a damaged database", words="is damaged")
def backup_damaged(bench: Bench) -> Outcome:
    if bench.run("backup").status != 0:
        raise HarnessError("the first backup failed")
    folder = bench.backup_folder()
    before = backup_files(folder)
    damaged = overwrite_prospects_page(bench.db)
    ran = bench.run("backup")
    kept = backup_files(folder) == before and bench.db.read_bytes() == damaged
    data = f"{len(before)} good backup and the damaged file {'as they were' if kept else 'CHANGED'}"
    return Outcome(ran, kept, data)


@case("restore-damaged", "Backups", "restore over a damaged database", 0)
def restore_damaged(bench: Bench) -> Outcome:
    if bench.run("backup").status != 0:
        raise HarnessError("the first backup failed")
    (good,) = bench.backup_folder().iterdir()
    damaged = overwrite_prospects_page(bench.db)
    ran = bench.run("restore")
    restored = digest(bench.db) == digest(good)
    aside = [path for path in bench.folder.glob("calls-replaced-*") if path.suffix == ".sqlite"]
    kept = restored and len(aside) == 1 and aside[0].read_bytes() == damaged
    data = (
        f"{'the backup' if restored else 'NOT the backup'} put back; the damaged file "
        f"{'kept aside' if kept else 'NOT kept'}"
    )
    return Outcome(ran, kept, data)
