"""Engines for the callassist database.

SQLite gets WAL (the window reads while the core writes), foreign keys on, a
busy timeout, and real transactions: Python 3.11's sqlite3 module opens them
lazily and not before every statement, so we take over with
``isolation_level=None`` and emit ``BEGIN`` ourselves (the recipe from
SQLAlchemy's SQLite dialect documentation).

A user action's transaction (:data:`WRITE_LOCK_FIRST`) begins ``IMMEDIATE``,
taking the write lock first. A plain (deferred) ``BEGIN`` reads first and asks
for the write lock at the first write; if another program holds it then,
SQLite returns "database is locked" at once without waiting, because waiting
while holding a read snapshot could deadlock (and once the other writer
commits, that snapshot is stale anyway). So the busy timeout only ever applies
when the lock is asked for at the start. The price: an action that only reads
also waits while another program writes (each write is one user action, so
briefly). ``BEGIN IMMEDIATE`` on a read-only file still lets it read. What
only inspects the file (opening it, ``check``) keeps the plain ``BEGIN``,
which in WAL never waits for a writer.

``synchronous=FULL`` syncs the WAL at every commit, so a committed change (a
call's notes) survives a power loss too, not only a crash of the app, for
one fsync (a few milliseconds) per saved change.
"""

import contextlib
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from callassist import paths
from callassist.errors import InvalidInputError

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another program's write to finish (tests shorten it)."""

_WRITE_LOCK_FIRST_OPTION = "callassist_write_lock_first"
WRITE_LOCK_FIRST = {_WRITE_LOCK_FIRST_OPTION: True}
"""Execution options for an engine whose transactions may write: see the module's docstring."""

ACCEPTED_LOCATIONS = (
    "give the path of a database file (e.g. ~/calls.sqlite) or an SQLAlchemy URL "
    "(e.g. sqlite:////home/you/calls.sqlite or postgresql://user@host/calls)"
)
"""What ``--db`` and $CALLASSIST_DB accept, for messages."""


def database_url(path_or_url: str | Path) -> URL:
    """Turn ``--db`` input (a file path or an SQLAlchemy URL) into a URL.

    Raises InvalidInputError for a URL naming no kind of database SQLAlchemy knows.
    """
    text = str(path_or_url)
    if "://" not in text:
        return URL.create("sqlite", database=str(Path(text).expanduser().resolve()))
    scheme = text.partition("://")[0]
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise InvalidInputError(
            f"{scheme}://… is not a database URL callassist can read; {ACCEPTED_LOCATIONS}"
        ) from error
    try:
        url.get_dialect()
    except NoSuchModuleError as error:
        raise InvalidInputError(
            f"{url.render_as_string(hide_password=True)}: {scheme!r} is not a kind of database "
            f"callassist knows; {ACCEPTED_LOCATIONS}"
        ) from error
    return url


def refuse_missing_folder(url: URL) -> None:
    """Refuse a database file in a folder that does not exist: a typo, most likely.

    A new file in an existing folder is how a rep starts another database, so
    that is allowed; creating folders on the way would hide a mistyped path
    behind a new, empty database. Only the default database's folder may be
    missing (on a first run): the rep never typed that one.
    """
    database_file = sqlite_file(url)
    if database_file is None or database_file.parent.exists():
        return
    if database_file == paths.default_database_path().expanduser().resolve():
        return
    raise InvalidInputError(
        f"cannot open {database_file}: the folder {database_file.parent} does not exist; "
        "check the path (a new database is only created in a folder that exists)"
    )


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for memory and other databases."""
    if not is_sqlite(url) or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` with callassist's connection settings."""
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    database_file = sqlite_file(url)

    @event.listens_for(engine, "do_connect")
    def _create_privately(*_args: object) -> None:
        # SQLite would create the file with the umask's mode (0644 as a rule); its
        # -wal and -shm files copy the database file's mode, so all three stay private.
        if database_file is not None and not database_file.exists():
            with contextlib.suppress(FileExistsError):
                paths.create_private_file(database_file)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=FULL")
            # A commit that fills the log past SQLite's mark copies it into the file
            # first (up to 20 ms at 100,000 prospects on this project's test machine,
            # more on a slower disk), paid by whichever action committed, a keystroke's
            # autosave on the window's thread among them. The change recorder's thread
            # does it instead (see callassist.desk.change_record).
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write_lock_first = connection.get_execution_options().get(_WRITE_LOCK_FIRST_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_lock_first else "BEGIN")

    return engine
