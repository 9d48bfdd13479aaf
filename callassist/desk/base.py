"""What every area of the facade shares: the open database, its sessions and the clock.

Each public method of an area runs in one transaction (:meth:`DeskBase._transaction`)
and, after a change commits, tells the subscribers what changed
(:meth:`DeskBase._changed`), so a window refreshes only the views that show it.
"""

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from pathlib import Path
from typing import Self

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from callassist import paths
from callassist.cadence import CadenceLibrary, FollowedCadences
from callassist.changes import Changes
from callassist.clock import Clock, system_clock
from callassist.db.engine import (
    WRITE_LOCK_FIRST,
    database_url,
    refuse_missing_folder,
    sqlite_file,
)
from callassist.db.migrate import damaged_message, is_damage, open_database
from callassist.desk import folder_import
from callassist.desk.change_record import ChangeRecorder
from callassist.desk.change_watch import ChangeWatcher, watcher_for
from callassist.desk.kept_queue import KeptQueue
from callassist.desk.kept_reads import KeptReads
from callassist.desk.rep_choice import asked_rep
from callassist.desk.write_turns import WriteTurns
from callassist.errors import DamagedError, InvalidInputError, KnownError
from callassist.records import RepRecord
from callassist.services import change_log, prospects, shared_versions
from callassist.services import profile as profiles
from callassist.services import trash as trash_service
from callassist.services.column_checks import check_pending, refusal_of
from callassist.services.profile import ActingRep
from callassist.stored_versions import StoredVersions, VersionKind
from callassist.templates import ScriptLibrary

DATABASE_VARIABLE = "CALLASSIST_DB"

ChangeListener = Callable[[Changes], None]


def resolve_location(location: str | Path | None) -> URL:
    """The database to use: ``--db``, else $CALLASSIST_DB, else the default file."""
    chosen = location or os.environ.get(DATABASE_VARIABLE) or paths.default_database_path()
    return database_url(chosen)


class DeskBase:
    """An open callassist database, its script and cadence libraries, and the clock."""

    def __init__(
        self,
        engine: Engine,
        url: URL,
        *,
        clock: Clock = system_clock,
        template_dir: Path | None = None,
        backup_folder: Path | None = None,
        cadence_dir: Path | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self.backup_folder = backup_folder or paths.backup_dir()
        # The team's and the rep's own versions, read from the database and kept.
        self._kept_versions: KeptReads[VersionKind, StoredVersions] = KeptReads(
            self._read_versions, stale=lambda changes: changes.scripts or changes.cadences
        )
        # The regions a caller's number is read in, the rep's first: a new prospect, an
        # edited number or one back from the trash may bring a country, an edited
        # profile another phone.
        self._kept_regions: KeptReads[None, list[str]] = KeptReads(
            self._read_lookup_regions,
            stale=lambda changes: (
                changes.prospects or changes.all_prospects or changes.trash or changes.profile
            ),
        )
        self.scripts = ScriptLibrary(template_dir, stored=lambda: self._kept_versions.get("script"))
        # A step naming a script that does not exist is reported when its file loads.
        self.cadence_library = CadenceLibrary(
            cadence_dir,
            script_names=lambda: {script.name for script in self.scripts.list_scripts()},
            stored=lambda: self._kept_versions.get("cadence"),
        )
        self._brought_in: list[str] = []
        self._engine = engine
        # Each change waits for another program's write rather than failing at once;
        # a read never waits: in WAL mode it sees the last commit while others write,
        # so the window's search and card stay quick during a long import elsewhere.
        self._sessions = sessionmaker(
            engine.execution_options(**WRITE_LOCK_FIRST), expire_on_commit=False
        )
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_turns = WriteTurns()
        # Texts a column cannot hold are refused naming the field, before PostgreSQL
        # refuses them naming none (or SQLite stores them).
        event.listen(self._sessions, "before_flush", check_pending)
        self._listeners: list[ChangeListener] = []
        self._writer = f"{os.getpid()}-{secrets.token_hex(8)}"
        """This desk in the change log: its own rows are not heard back as others'."""
        self._recorder = ChangeRecorder(url, self._writer)
        self._opened_after = 0
        """The change log's newest row when the desk opened: what others wrote since
        is what its watchers hear."""
        self._acting: object | None = None
        self._kept_queue = KeptQueue()
        # None until open chooses one: a session then acts as the only rep.
        self._acting_rep: ActingRep | None = None
        self._rep: RepRecord | None = None
        self._asked_rep: str | None = None

    @classmethod
    def open(
        cls,
        location: str | Path | None = None,
        *,
        clock: Clock = system_clock,
        template_dir: Path | None = None,
        backup_folder: Path | None = None,
        cadence_dir: Path | None = None,
        rep: str | None = None,
    ) -> Self:
        """Open (creating or upgrading as needed) the database at ``location``, acting as
        the rep with the email ``rep``, else $CALLASSIST_REP, else the one remembered on
        this computer, else the only rep (see :attr:`rep`)."""
        url = resolve_location(location)
        refuse_missing_folder(url)
        folder = backup_folder or paths.backup_dir()
        engine = open_database(url, backup_folder=folder, clock=clock)
        desk = cls(
            engine,
            url,
            clock=clock,
            template_dir=template_dir if template_dir is not None else paths.user_template_dir(),
            backup_folder=folder,
            cadence_dir=cadence_dir if cadence_dir is not None else paths.user_cadence_dir(),
        )
        try:
            # Purged here and on every delete; in between, what is past its time
            # is already left out of the trash and cannot come back. So a purge
            # that meets another program's write is simply left for next time: a
            # read-first transaction, which never waits to open the desk.
            with suppress(KnownError), desk._transaction(writes=False) as session:
                trash_service.purge_expired(session, clock())
            desk._choose_rep(asked_rep(rep, desk.describe()))
            # Left for next time when the database is busy: the files count meanwhile.
            with suppress(KnownError):
                desk._bring_in_folders()
            with desk._transaction(writes=False) as session:
                desk._opened_after = change_log.newest_id(session)
        except BaseException:
            desk.close()
            raise
        return desk

    def close(self) -> None:
        self._recorder.close()
        self._engine.dispose()

    @property
    def rep(self) -> RepRecord | None:
        """The rep this desk acts as; None when it cannot tell (see :attr:`rep_problem`)."""
        return self._rep

    @property
    def asked_rep(self) -> str | None:
        """The email asked for (``rep``, $CALLASSIST_REP or remembered), known or not."""
        return self._asked_rep

    @property
    def rep_problem(self) -> str:
        """Why there is no rep to act as, and how to choose one ("" when there is one)."""
        return self._acting_rep.problem if self._acting_rep is not None else ""

    def _choose_rep(self, asked: str | None) -> None:
        """Act as the rep ``asked`` (an email), else the only one."""
        with self._transaction(writes=False) as session:
            has_reps = profiles.has_reps(session)
        if not has_reps:
            with self._transaction() as session:
                profiles.ensure_a_rep(session)
        self._asked_rep = asked.strip().lower() if asked else None
        with self._transaction(writes=False) as session:
            reps = profiles.list_reps(session)
            only = reps[0] if len(reps) == 1 else None
            if self._asked_rep:
                found = profiles.find_rep(session, self._asked_rep)
                if found is None and only is not None and not only.email:
                    # The only rep, known by no email yet, is whoever uses the database.
                    found = only
                problem = profiles.unknown_rep(self._asked_rep)
            else:
                found, problem = only, profiles.NOT_CHOSEN
        self._act_as(found, problem)

    def _act_as(self, rep: RepRecord | None, problem: str = "") -> None:
        self._rep = rep
        self._acting_rep = ActingRep(rep.id if rep is not None else None, problem)
        # Another rep has other versions of their own, and dials from their own phone.
        self._kept_versions.forget()
        self._kept_regions.forget()

    def _read_versions(self, kind: VersionKind) -> StoredVersions:
        with self._transaction(writes=False) as session:
            return shared_versions.read_versions(session, kind)

    def _read_lookup_regions(self, _all: None) -> list[str]:
        """The rep's region, then the region of each country among the stored numbers."""
        with self._transaction(writes=False) as session:
            return [self._region(session), *prospects.stored_regions(session)]

    def _bring_in_folders(self) -> None:
        """Make the usable files of the rep's folders not brought in yet their own versions
        in the database (see :mod:`callassist.desk.folder_import`)."""
        if self._rep is None:
            return  # whose versions they would be is not known yet
        scripts = folder_import.script_files(self.scripts)
        cadence_paths = self.cadence_library.folder_files()
        cadences = (
            folder_import.cadence_files(
                cadence_paths, {script.name for script in self.scripts.list_scripts()}
            )
            if cadence_paths
            else []
        )
        if not scripts and not cadences:
            return
        with self._transaction() as session:
            brought_scripts = shared_versions.bring_in(session, self.clock(), "script", scripts)
            brought_cadences = shared_versions.bring_in(session, self.clock(), "cadence", cadences)
        for kind, names, folder in (
            ("script", brought_scripts, self.scripts.user_dir),
            ("cadence", brought_cadences, self.cadence_library.user_dir),
        ):
            if names:
                self._brought_in.append(folder_import.brought_in_note(kind, names, folder))
        self._changed(Changes(scripts=True, cadences=True))

    def take_brought_in(self) -> list[str]:
        """What was brought into the database from the rep's folders since last asked, one
        line each kind (said once: by the command that opened it, or the window)."""
        told, self._brought_in = self._brought_in, []
        return told

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def database_file(self) -> Path | None:
        return sqlite_file(self.url)

    def describe(self) -> str:
        """Where the data lives, for messages."""
        database_file = self.database_file
        return (
            str(database_file) if database_file else self.url.render_as_string(hide_password=True)
        )

    def subscribe(self, listener: ChangeListener) -> None:
        """Call ``listener`` with what changed after every committed change."""
        self._listeners.append(listener)

    @contextmanager
    def acting_for(self, source: object) -> Iterator[None]:
        """Name ``source`` (a view) as the one acting in every change made in the block.

        Each :class:`Changes` announced meanwhile carries it, so that view can
        skip reloading after its own edit while the others follow it.
        """
        outer, self._acting = self._acting, source
        try:
            yield
        finally:
            self._acting = outer

    @contextmanager
    def _transaction(self, *, writes: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``writes``: it takes the write lock first, waiting for another writer; a
        read (False) takes none and never waits.
        """
        try:
            with (
                self._write_turns.turn() if writes else nullcontext(),
                (self._sessions if writes else self._read_sessions).begin() as session,
            ):
                if self._acting_rep is not None:
                    session.info[profiles.ACTING_REP] = self._acting_rep
                yield session
        except (IntegrityError, DataError) as error:
            raise InvalidInputError(refusal_of(error)) from error
        except OperationalError as error:
            raise KnownError(_explain_operational(error, self.describe())) from error
        except DatabaseError as error:
            # A file that opened but is damaged further in: the read that reached the
            # damage says so in words (and how to restore), for the window and the
            # command line alike, instead of ending the program.
            if not is_damage(error.orig):
                raise
            raise DamagedError(
                damaged_message(self.describe(), error.orig, self.backup_folder, doing="read")
            ) from error

    def watch_others(self) -> ChangeWatcher:
        """A watcher of what other programs commit to this database from the moment the
        desk opened (see :mod:`callassist.desk.change_watch`); it connects at its first
        wait, on the thread that waits."""
        self._kept_queue.hear_others()
        return watcher_for(self.url, self._writer, self._opened_after)

    def hear_others(self, changes: Changes) -> None:
        """Tell every subscriber what other programs committed (as a watcher heard it).

        Called on the watching thread: subscribers are told on whichever thread
        a change is heard or committed, as with a worker's changes.
        """
        self._tell(changes)

    def _changed(self, changes: Changes) -> Changes:
        """Tell every subscriber what a committed change did, then the other programs;
        return what the subscribers were told."""
        told = replace(changes, source=self._acting)
        self._tell(told)
        # For other programs' windows; written on the recorder's thread, so the
        # rep's action does not wait for it.
        self._recorder.record(changes, self._rep.id if self._rep is not None else None)
        return told

    def _tell(self, told: Changes) -> None:
        # Before any listener looks at the queue again.
        self._kept_queue.note(told)
        self._kept_versions.note(told)
        self._kept_regions.note(told)
        for listener in list(self._listeners):
            listener(told)

    def _region(self, session: Session) -> str:
        return profiles.rep_region(session)

    def _cadences(self) -> FollowedCadences:
        """The cadences every enrollment is worked out with (the queue, the card, a logged
        call, the review): see :meth:`FollowedCadences.of_enrollment`."""
        return self.cadence_library.followed()


def _explain_operational(error: OperationalError, where: str) -> str:
    reason = str(error.orig).lower()
    if "locked" in reason or "busy" in reason:
        return f"{where} is busy in another program; nothing was changed, try again in a moment"
    if "full" in reason:
        return f"the disk holding {where} is full; nothing was changed"
    if "readonly" in reason or "read-only" in reason:
        return f"{where} is read-only; nothing was changed"
    return f"database error on {where}: {error.orig}"
