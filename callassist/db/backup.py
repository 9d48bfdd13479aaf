"""Copies of the SQLite file, taken with SQLite's online backup.

A backup is taken before every migration, on demand (``callassist backup``),
and by the window on a timer and on close; :func:`backup_if_due` throttles
the timer and :func:`rotate_backups` keeps the folder from growing forever.
"""

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from callassist.errors import KnownError

KEEP_BACKUPS = 20
_STAMP = "%Y%m%d-%H%M%S"


def backup_sqlite(source: Path, folder: Path, at: datetime, reason: str = "manual") -> Path:
    """Copy the database at ``source`` into ``folder``; return the new file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{source.stem}-{at.strftime(_STAMP)}-{reason}.sqlite"
        counter = 1
        while target.exists():
            counter += 1
            target = folder / f"{source.stem}-{at.strftime(_STAMP)}-{reason}-{counter}.sqlite"
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dest:
            src.backup(dest)
    except (OSError, sqlite3.Error) as error:
        raise KnownError(f"could not back up {source} to {folder}: {error}") from error
    rotate_backups(folder, source.stem)
    return target


def list_backups(folder: Path, stem: str) -> list[Path]:
    """Backups of the database named ``stem``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{stem}-*.sqlite"), key=lambda path: path.stat().st_mtime_ns)


def rotate_backups(folder: Path, stem: str, keep: int = KEEP_BACKUPS) -> None:
    """Delete all but the ``keep`` newest backups of ``stem``."""
    for old in list_backups(folder, stem)[:-keep]:
        old.unlink(missing_ok=True)


def backup_if_due(
    source: Path, folder: Path, at: datetime, every: timedelta = timedelta(minutes=30)
) -> Path | None:
    """Back up unless the newest backup is younger than ``every``."""
    existing = list_backups(folder, source.stem)
    if existing:
        newest = datetime.fromtimestamp(existing[-1].stat().st_mtime, tz=at.tzinfo)
        if at - newest < every:
            return None
    return backup_sqlite(source, folder, at, reason="auto")
