"""Whole-database work: importing and exporting CSV, the demo, backups and the health check."""

from collections.abc import Mapping
from pathlib import Path

from callassist import importer, paths
from callassist.changes import Changes
from callassist.clock import Clock, system_clock
from callassist.db.backup import (
    Backup,
    Restored,
    backup_if_due,
    backup_postgres,
    backup_sqlite,
    integrity_problems,
    newest_good_backup,
    restore_backup,
)
from callassist.db.engine import sqlite_file
from callassist.demo import DemoSummary, enroll_demo, seed_demo
from callassist.desk.base import DeskBase, resolve_location
from callassist.errors import KnownError
from callassist.importer import ImportReport
from callassist.services import profile as profiles
from callassist.services import prospects
from callassist.services.integrity import database_problems


class ArchiveDesk(DeskBase):
    """Bringing data in and out in bulk, and keeping it safe."""

    def import_csv(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        update_existing: bool = False,
        columns: Mapping[str, str | None] | None = None,
        progress: importer.Progress | None = None,
        owner: str | None = None,
    ) -> ImportReport:
        """Import a CRM export: all valid rows, or nothing (see :mod:`callassist.importer`).

        New prospects are the rep's with the email ``owner``, by default this rep's.

        ``columns`` chooses the field of some columns by header (None leaves
        one out); they are remembered for files with the same header row.
        ``progress`` hears of each row; raising in it rolls the import back.
        """
        with self._transaction() as session:
            owner_id = profiles.rep_by_email(session, owner).id if owner is not None else None
            report = importer.import_csv(
                session,
                self.clock,
                path,
                self._region(session),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                update_existing=update_existing,
                chosen=columns,
                progress=progress,
                owner_id=owner_id,
            )
        if report.imported:
            self._changed(Changes(prospects=True, research=True, all_prospects=True))
        return report

    def preview_import(
        self, path: Path, columns: Mapping[str, str | None] | None = None
    ) -> ImportReport:
        """What importing ``path`` would do (valid rows only), and how its columns map
        (``columns`` as for :meth:`import_csv`; the remembered ones without them)."""
        with self._transaction(writes=False) as session:
            return importer.import_csv(
                session,
                self.clock,
                path,
                self._region(session),
                dry_run=True,
                skip_invalid=True,
                chosen=columns,
            )

    def export_csv(self, path: Path, progress: importer.Progress | None = None) -> int:
        """Write every prospect and their research to ``path``; return how many."""
        with self._transaction(writes=False) as session:
            return importer.export_csv(session, path, progress)

    def load_demo(self) -> DemoSummary:
        """Fill an empty database with the demo sample."""
        with self._transaction() as session:
            existing = prospects.count_prospects(session)
            if existing:
                raise KnownError(
                    f"{self.describe()} already has {existing} prospects; the demo goes into an "
                    "empty database (pick one with --db)"
                )
            summary = seed_demo(session, self.clock)
            enroll_demo(session, self.clock, self._cadences())
        self._changed(
            Changes(
                prospects=True,
                research=True,
                attempts=True,
                time_checks=True,
                pains=True,
                follow_ups=True,
                cadences=True,
                profile=True,
                all_prospects=True,
            )
        )
        return summary

    def backup(self, reason: str = "manual") -> Path:
        """Copy the database file into its own folder under the backup folder; return the copy.

        Refuses a damaged database, so its copy never pushes good backups out. A
        PostgreSQL database is dumped with pg_dump into a folder of its own there.
        """
        database_file = self.database_file
        if database_file is None:
            return backup_postgres(self.url, self.backup_folder, self.clock(), reason)
        return backup_sqlite(database_file, self.backup_folder, self.clock(), reason)

    def backup_if_due(self) -> Path | None:
        """A throttled backup for timers and closing the window (SQLite only)."""
        database_file = self.database_file
        if database_file is None:
            return None
        return backup_if_due(database_file, self.backup_folder, self.clock())

    @staticmethod
    def restore(
        location: str | Path | None = None,
        backup: str | None = None,
        *,
        clock: Clock = system_clock,
        backup_folder: Path | None = None,
    ) -> Restored:
        """Put a backup (``backup``, else the newest good one) in place of the database file.

        Works without opening the database, which may be too damaged to open;
        the replaced file is moved aside beside it, never deleted.
        """
        database_file = _sqlite_file_of(location, "restore")
        return restore_backup(database_file, backup_folder or paths.backup_dir(), clock(), backup)

    @staticmethod
    def backup_to_offer(
        location: str | Path | None = None, *, backup_folder: Path | None = None
    ) -> Backup | None:
        """The newest good backup when the database file fails its integrity check, else None."""
        try:
            url = resolve_location(location)
        except KnownError:
            return None  # not a place a database can be (already said): nothing to restore
        database_file = sqlite_file(url)
        if database_file is None or not database_file.is_file():
            return None
        if not integrity_problems(database_file):
            return None
        return newest_good_backup(database_file, backup_folder or paths.backup_dir())

    def check(self) -> list[str]:
        """Integrity problems of the database, in words; empty when all is well."""
        with self._engine.connect() as connection:
            problems = database_problems(connection)
            connection.rollback()
        return problems


def _sqlite_file_of(location: str | Path | None, what: str) -> Path:
    url = resolve_location(location)
    database_file = sqlite_file(url)
    if database_file is None:
        raise KnownError(
            f"{what} works on SQLite files; use your server's tools for "
            f"{url.render_as_string(hide_password=True)}"
        )
    return database_file
