"""Copies of the SQLite file, taken with SQLite's online backup, and restoring one.

A backup is taken before every migration, on demand (``callassist backup``),
and by the window on a timer and on close; :func:`backup_if_due` throttles
the timer.

Each database has a folder of its own under the backup folder, named from
the file's stem and a hash of its full path (:func:`database_backup_folder`),
so two databases called ``calls.sqlite`` in different places never share
backups and rotating one never deletes the other's.

A PostgreSQL database is dumped by ``pg_dump`` in its custom format (restored
with ``pg_restore``) into a folder of its own named the same way, from the
database's name and a hash of its address (:func:`backup_postgres`).

A backup is written under a hidden temporary name (``.NAME.partial``), checked
with ``PRAGMA integrity_check``, made durable, and only then renamed to its
final name; a backup cut short by a full disk or a kill is never listed as a
backup. A damaged database is refused: its copy would push good backups out
of the rotation (:func:`keep_these`).
"""

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import URL

from callassist import paths
from callassist.errors import KnownError
from callassist.wording import counted

KEEP_NEWEST = 10
"""The newest backups always kept, whatever their age."""
KEEP_DAILY_FOR = timedelta(days=7)
"""For this long, the newest backup of each day is kept too."""
KEEP_WEEKLY_FOR = timedelta(days=365)
"""For this long, the newest backup of each week (ISO weeks) is kept too."""
STALE_PARTIAL_AFTER = timedelta(hours=1)
"""A temporary backup file this old belongs to a backup that was killed; it is removed."""

_STAMP = "%Y%m%d-%H%M%S"
_SUFFIX = ".sqlite"
_PARTIAL = ".partial"
_DUMP_SUFFIX = ".dump"
_NAME = re.compile(r"^.+-(?P<stamp>\d{8}-\d{6})-(?P<reason>.+?)(?:-\d+)?\.sqlite$")
_SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's companions of a database file; a stale one must never meet a restored file."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One finished backup of a database."""

    path: Path
    taken_at: datetime
    """When it was taken, in UTC (from its name, so copying the file keeps it)."""
    reason: str
    """manual, auto, or before-upgrade-REVISION."""

    def when(self) -> str:
        """When it was taken, on this computer's clock, for messages."""
        return f"{self.taken_at.astimezone():%Y-%m-%d %H:%M}"


@dataclass(frozen=True, slots=True)
class Restored:
    """A backup put in place of a database file."""

    backup: Backup
    database: Path
    set_aside: tuple[Path, ...]
    """Where the replaced file (and its -wal/-shm companions) went; empty if there was none."""
    skipped: tuple[Path, ...]
    """Newer backups passed over because they failed their integrity check."""


def _unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or with "-2", "-3"... when two backups share a second."""
    target = folder / f"{stem}{suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{stem}-{counter}{suffix}"
    return target


def database_backup_folder(root: Path, source: Path) -> Path:
    """The folder of ``source``'s backups under ``root``: its stem and a hash of its path."""
    resolved = source.expanduser().resolve()
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return root / f"{resolved.stem}-{digest}"


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the SQLite file at ``path``."""
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA query_only=ON")
            found = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.Error as error:
        return [str(error)]
    return [] if found == ["ok"] else found


def backup_sqlite(source: Path, root: Path, at: datetime, reason: str = "manual") -> Path:
    """Copy the database at ``source`` into its folder under ``root``; return the new file.

    Raises KnownError, and leaves the earlier backups as they were, when the
    copy fails or the database is damaged.
    """
    folder = database_backup_folder(root, source)
    stamp = at.astimezone(UTC).strftime(_STAMP)
    try:
        paths.private_folder(folder)
        target = _unused_name(folder, f"{source.stem}-{stamp}-{reason}", _SUFFIX)
        partial = folder / f".{target.name}{_PARTIAL}"
        try:
            _copy_checked(source, partial, folder)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        _sync_folder(folder)
    except (OSError, sqlite3.Error) as error:
        raise KnownError(f"could not back up {source} to {folder}: {error}") from error
    rotate_backups(folder, at)
    return target


SERVER_BACKUPS = (
    "Backups of a shared PostgreSQL database are the server's job: pg_dump there, "
    "or `callassist backup` on a computer with pg_dump. This window takes none."
)
"""What the window says, once, instead of its timed backups of a SQLite file."""

PG_DUMP_MISSING = (
    "pg_dump is not installed on this computer: install the PostgreSQL client programs "
    "(Debian: apt-get install postgresql-client) or back the database up on its server "
    "(pg_dump --format=custom DATABASE)"
)


def pg_dump_program() -> Path | None:
    """pg_dump: the PATH's, else the newest of Debian's versioned folders; None if neither."""
    on_path = shutil.which("pg_dump")
    if on_path is not None:
        return Path(on_path)
    # Debian keeps the server's copy off the PATH, in one folder per major version.
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
        key=lambda program: [int(part) for part in re.findall(r"\d+", program.parent.parent.name)],
    )
    return installed[-1] if installed else None


def postgres_backup_folder(root: Path, url: URL) -> Path:
    """The folder of the database at ``url``'s dumps under ``root``: its name and a hash
    of its address (the password left out)."""
    address = url.set(password=None).render_as_string(hide_password=False)
    digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:10]
    return root / f"{url.database or 'postgres'}-{digest}"


def backup_postgres(url: URL, root: Path, at: datetime, reason: str = "manual") -> Path:
    """Dump the PostgreSQL database at ``url`` with pg_dump (custom format) into its folder
    under ``root``; return the dump. Raises KnownError, with nothing left behind, when
    pg_dump is missing or fails."""
    program = pg_dump_program()
    if program is None:
        raise KnownError(PG_DUMP_MISSING)
    name = url.database or "postgres"
    folder = postgres_backup_folder(root, url)
    stamp = at.astimezone(UTC).strftime(_STAMP)
    target = _unused_name(folder, f"{name}-{stamp}-{reason}", _DUMP_SUFFIX)
    partial = folder / f".{target.name}{_PARTIAL}"
    # libpq's own address; the password goes by the environment, never the command line
    # (other users of the computer can read that).
    address = url.set(drivername="postgresql", password=None)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    try:
        paths.private_folder(folder)
        paths.create_private_file(partial)
        try:
            finished = subprocess.run(
                [
                    str(program),
                    "--format=custom",
                    f"--file={partial}",
                    f"--dbname={address.render_as_string(hide_password=False)}",
                ],
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            if finished.returncode != 0:
                said = finished.stderr.strip().splitlines() or [f"exit {finished.returncode}"]
                raise KnownError(f"pg_dump could not back up {name}: {said[-1]}")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        _sync_folder(folder)
    except OSError as error:
        raise KnownError(f"could not back up {name} to {folder}: {error}") from error
    return target


def _copy_checked(source: Path, partial: Path, folder: Path) -> None:
    """Write a verified, durable copy of ``source`` at ``partial``."""
    paths.create_private_file(partial)
    try:
        with (
            closing(sqlite3.connect(source)) as src,
            closing(sqlite3.connect(partial)) as dest,
        ):
            src.backup(dest)
            # One self-contained file: no -wal to forget when it is copied or restored.
            dest.execute("PRAGMA journal_mode=DELETE")
            problems = [row[0] for row in dest.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        # The plain class is damage (as in migrate.is_damage); its subclasses
        # (locked, disk full) are reported as a failed copy.
        if type(error) is not sqlite3.DatabaseError:
            raise
        problems = [str(error)]
    if problems != ["ok"]:
        kept = len(list_backups(folder))
        earlier = (
            f"nothing was deleted from {folder} ({counted(kept, 'earlier backup')}); "
            "`callassist restore` puts the newest good one back"
            if kept
            else f"there is no earlier backup of it in {folder}"
        )
        raise KnownError(
            f"{source} is damaged ({'; '.join(problems[:3])}); no backup was taken and {earlier}"
        )
    with partial.open("rb") as written:
        os.fsync(written.fileno())


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power loss."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def list_backups(folder: Path) -> list[Backup]:
    """The finished backups in one database's backup ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    found: list[Backup] = []
    for path in folder.glob(f"*{_SUFFIX}"):
        match = _NAME.match(path.name)
        if path.name.startswith(".") or match is None or not path.is_file():
            continue
        taken_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(Backup(path, taken_at, match["reason"]))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name))


def keep_these(backups: Sequence[Backup], now: datetime) -> set[Path]:
    """The backups rotation keeps: the newest few, one a day for a week, one a week for a year."""
    kept: set[Path] = set()
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    for rank, backup in enumerate(sorted(backups, key=lambda b: b.taken_at, reverse=True)):
        age = now - backup.taken_at
        day = backup.taken_at.date()
        week = backup.taken_at.isocalendar()[:2]
        if rank < KEEP_NEWEST:
            kept.add(backup.path)
        if age < KEEP_DAILY_FOR and day not in days:
            kept.add(backup.path)
        if age < KEEP_WEEKLY_FOR and week not in weeks:
            kept.add(backup.path)
        days.add(day)
        weeks.add(week)
    return kept


def rotate_backups(folder: Path, now: datetime) -> None:
    """Delete the backups in ``folder`` that :func:`keep_these` lets go, and dead temporaries."""
    backups = list_backups(folder)
    kept = keep_these(backups, now)
    for backup in backups:
        if backup.path not in kept:
            backup.path.unlink(missing_ok=True)
    stale_before = time.time() - STALE_PARTIAL_AFTER.total_seconds()
    for partial in folder.glob(f".*{_PARTIAL}"):
        if partial.stat().st_mtime < stale_before:
            partial.unlink(missing_ok=True)


def backup_if_due(
    source: Path, root: Path, at: datetime, every: timedelta = timedelta(minutes=30)
) -> Path | None:
    """Back up unless the newest backup is younger than ``every``."""
    existing = list_backups(database_backup_folder(root, source))
    if existing and at - existing[-1].taken_at < every:
        return None
    return backup_sqlite(source, root, at, reason="auto")


def newest_good_backup(
    source: Path, root: Path, skipped: list[Path] | None = None
) -> Backup | None:
    """The newest backup of ``source`` that passes its integrity check.

    Backups that fail it are appended to ``skipped`` when given.
    """
    for backup in reversed(list_backups(database_backup_folder(root, source))):
        if not integrity_problems(backup.path):
            return backup
        if skipped is not None:
            skipped.append(backup.path)
    return None


def find_backup(source: Path, root: Path, named: str) -> Backup:
    """The backup ``named`` (a path, or a file name in ``source``'s backup folder)."""
    folder = database_backup_folder(root, source)
    candidate = Path(named).expanduser()
    if not candidate.exists() and candidate.parent == Path("."):
        candidate = folder / named
    if candidate.name.endswith(_PARTIAL):
        raise KnownError(
            f"{candidate} is an unfinished backup (it was cut short); pick another one"
        )
    if not candidate.is_file():
        raise KnownError(
            f"no backup {named!r}: give a backup file, or a name from {folder}; "
            "`callassist restore` alone takes the newest good one"
        )
    match = _NAME.match(candidate.name)
    if match is None:
        taken_at = datetime.fromtimestamp(candidate.stat().st_mtime, tz=UTC)
        return Backup(candidate.resolve(), taken_at, "unknown")
    taken_at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
    return Backup(candidate.resolve(), taken_at, match["reason"])


def refuse_if_open(database: Path) -> None:
    """Refuse when another connection (the window, another program) has ``database`` open.

    In WAL mode every open connection holds a shared lock, even when idle;
    asking for an exclusive lock without waiting finds it at once.
    """
    if not database.is_file():
        return
    try:
        with closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as probe:
            probe.execute("PRAGMA locking_mode=EXCLUSIVE")
            probe.execute("BEGIN EXCLUSIVE")
            probe.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise KnownError(
                f"{database} is open in callassist's window or another program; "
                "close it, then restore again (nothing was changed)"
            ) from error
        raise KnownError(f"cannot restore over {database}: {error}") from error
    except sqlite3.DatabaseError:
        # A damaged file cannot be locked the usual way; nothing can be using it.
        return


def restore_backup(database: Path, root: Path, at: datetime, named: str | None = None) -> Restored:
    """Put a backup in place of ``database``: the one ``named``, else the newest good one.

    The replaced file is moved aside beside it, never deleted. Raises KnownError,
    with nothing changed, when there is no good backup, the backup is damaged
    or the database is open elsewhere.
    """
    skipped: list[Path] = []
    if named is not None:
        backup = find_backup(database, root, named)
        problems = integrity_problems(backup.path)
        if problems:
            raise KnownError(
                f"{backup.path} is damaged ({'; '.join(problems[:3])}); nothing was changed"
            )
    else:
        found = newest_good_backup(database, root, skipped)
        if found is None:
            folder = database_backup_folder(root, database)
            raise KnownError(
                f"no good backup of {database} in {folder}"
                + (f" ({len(skipped)} failed their integrity check)" if skipped else "")
                + "; nothing was changed"
            )
        backup = found
    if backup.path.resolve() == database.resolve():
        raise KnownError(f"{backup.path} is the database itself; pick a backup")
    refuse_if_open(database)
    folder = database.parent
    incoming = folder / f".{database.name}.restoring{_PARTIAL}"
    try:
        # The copy is made beside the database first: a full disk stops the
        # restore here, before the current file is touched.
        incoming.unlink(missing_ok=True)  # left by a restore that was killed
        paths.create_private_file(incoming)
        shutil.copyfile(backup.path, incoming)
        with incoming.open("rb") as copied:
            os.fsync(copied.fileno())
        set_aside = _move_aside(database, at)
        os.replace(incoming, database)
        _sync_folder(folder)
    except OSError as error:
        raise KnownError(f"could not restore {backup.path} to {database}: {error}") from error
    finally:
        incoming.unlink(missing_ok=True)
    return Restored(backup, database, tuple(set_aside), tuple(skipped))


def _move_aside(database: Path, at: datetime) -> list[Path]:
    """Rename ``database`` and its companions to a free ``-replaced-STAMP`` name beside it."""
    if not database.exists():
        return []
    stamp = at.astimezone(UTC).strftime(_STAMP)
    base = database.with_name(f"{database.stem}-replaced-{stamp}{database.suffix}")
    counter = 1
    while any(_with_side(base, side).exists() for side in ("", *_SIDE_FILES)):
        counter += 1
        base = database.with_name(f"{database.stem}-replaced-{stamp}-{counter}{database.suffix}")
    moved: list[Path] = []
    for side in ("", *_SIDE_FILES):
        current = _with_side(database, side)
        if current.exists():
            target = _with_side(base, side)
            os.rename(current, target)
            moved.append(target)
    return moved


def _with_side(path: Path, side: str) -> Path:
    return path.with_name(path.name + side)
