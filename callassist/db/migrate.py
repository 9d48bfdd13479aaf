"""Opening a database: the one way in.

- A new, empty database is created from the models and stamped with the
  current revision.
- A database at the current revision opens without importing Alembic (which
  costs about 200 ms at start-up).
- An older one is backed up first (SQLite), then upgraded in one transaction
  with foreign keys off, and checked with ``PRAGMA foreign_key_check``.
- One from a newer callassist is refused: this version cannot know its schema.
"""

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from callassist import paths
from callassist.clock import Clock
from callassist.db import models  # noqa: F401  (registers every table on Base.metadata)
from callassist.db.backup import backup_sqlite
from callassist.db.base import Base
from callassist.db.engine import make_engine, sqlite_file
from callassist.db.search import create_search_index
from callassist.db.worked_out_steps import (
    create_worked_out_step_triggers,
    missing_worked_out_step_triggers,
)
from callassist.errors import DatabaseTooNewError, KnownError

SCHEMA_HEAD = "0016"
"""The newest revision in callassist/db/migrations/versions (a test keeps them equal)."""


def open_database(url: URL, *, backup_folder: Path, clock: Clock) -> Engine:
    """An engine on ``url`` whose schema is at :data:`SCHEMA_HEAD`."""
    database_file = sqlite_file(url)
    if database_file is not None:
        _check_place(database_file)
    try:
        engine = make_engine(url)
    except ImportError as error:
        raise KnownError(
            f"cannot open {_describe(url)}: the Python driver for {url.get_backend_name()} "
            f"is not installed ({error})"
        ) from error
    try:
        with _schema_turn(engine):
            with engine.connect() as connection:
                revision = _current_revision(connection)
                has_tables = bool(set(inspect(connection).get_table_names()) - {"alembic_version"})
                # Read on the same connection: a current database opens with one.
                triggers_lost = revision == SCHEMA_HEAD and bool(
                    missing_worked_out_step_triggers(connection)
                )
            if revision is None:
                if has_tables:
                    raise KnownError(f"{_describe(url)} is not a callassist database")
                _create_schema(engine)
            elif revision != SCHEMA_HEAD:
                _upgrade(engine, revision, url, backup_folder, clock)
            elif triggers_lost:
                _restore_kept_step_triggers(engine)
    except DBAPIError as error:
        engine.dispose()
        if database_file is not None and not _can_write_in(database_file.parent):
            raise KnownError(_read_only_folder_message(database_file)) from error
        raise KnownError(
            damaged_message(_describe(url), error.orig, backup_folder)
            if is_damage(error.orig)
            else f"cannot open {_describe(url)}: {error.orig}"
        ) from error
    except sqlite3.DatabaseError as error:
        # Raised as is by the few calls made on the driver's own connection.
        engine.dispose()
        if not is_damage(error):
            raise
        raise KnownError(damaged_message(_describe(url), error, backup_folder)) from error
    except KnownError:
        engine.dispose()
        raise
    except OSError as error:
        # Raised before SQLite is asked, when a new database file is made private.
        engine.dispose()
        if database_file is not None and not _can_write_in(database_file.parent):
            raise KnownError(_read_only_folder_message(database_file)) from error
        raise KnownError(f"cannot create {_describe(url)}: {error.strerror or error}") from error
    return engine


SCHEMA_TURN = 0x63616C6C
"""The PostgreSQL advisory lock a program holds while it looks at the schema and
creates or upgrades it (the key is "call" in ASCII: any number no other program uses)."""


def _restore_kept_step_triggers(engine: Engine) -> None:
    """Create again the triggers that say when a kept cadence step is stale, one of them
    being missing (dropped by hand, or a tool copied the tables without them); a new or
    upgraded database has just had them created.

    Where the server refuses (a team database only its owner may change), the queue
    works every step out at each first look, and the health check names the trigger.
    """
    with suppress(DBAPIError), engine.begin() as connection:
        create_worked_out_step_triggers(connection)


@contextmanager
def _schema_turn(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, the schema to this program alone for the block.

    Two programs opening a new database at once would each find it empty and create
    the tables; the second then failed on the first's ("duplicate key"). Taking
    turns, the second finds the tables made (or upgraded).
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    # A connection of its own, outside any transaction: the lock outlives the
    # transactions that create or upgrade, and is let go of however the block ends.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_TURN})
        try:
            yield
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_TURN})


def _read_only_folder_message(database_file: Path) -> str:
    folder = database_file.parent
    if not database_file.exists():
        return f"cannot create {database_file}: its folder {folder} is read-only"
    return (
        f"cannot open {database_file}: its folder {folder} is read-only, and callassist "
        "writes its journal beside the database; copy the file to a folder you can "
        "write to, or make this one writable"
    )


def _check_place(database_file: Path) -> None:
    """Refuse a folder, or a file under a file; create the folder of a new file.

    :meth:`CallDesk.open <callassist.core.CallDesk.open>` has already refused a
    missing folder the rep typed (:func:`callassist.db.engine.refuse_missing_folder`);
    what is left to create here is the default folder on a first run.
    """
    if database_file.is_dir():
        raise KnownError(
            f"{database_file} is a folder; callassist needs the path of a database file "
            f"(e.g. {database_file / 'callassist.sqlite'})"
        )
    folder = database_file.parent
    if folder.is_dir():
        return
    if folder.exists():
        raise KnownError(f"cannot open {database_file}: {folder} is a file, not a folder")
    try:
        paths.private_folder(folder)
    except OSError as error:
        raise KnownError(f"cannot create the folder for {database_file}: {error}") from error


def _can_write_in(folder: Path) -> bool:
    """Whether a file can be created in ``folder``, tried for real.

    ``os.access`` cannot tell: root passes it even where the folder is immutable
    or on a read-only mount.
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def is_damage(error: BaseException | None) -> bool:
    """True for SQLite's "this is not a database / the file is damaged" errors.

    SQLite raises the plain ``sqlite3.DatabaseError`` for those ("file is not a
    database", "database disk image is malformed"); its subclasses are other
    problems (locked, read-only, a constraint, a bug in a query).
    """
    return type(error) is sqlite3.DatabaseError


def damaged_message(
    where: str, error: BaseException | None, backup_folder: Path, *, doing: str = "open"
) -> str:
    """The rep's words for a file that is not, or no longer, a readable database."""
    reason = str(error)
    if "not a database" in reason:
        return (
            f"cannot {doing} {where}: it is not a callassist database ({reason}); "
            "nothing was changed"
        )
    return (
        f"cannot {doing} {where}: it is damaged ({reason}); nothing was changed. "
        f"`callassist restore` puts the newest good backup back (backups are in {backup_folder})"
    )


def _describe(url: URL) -> str:
    database_file = sqlite_file(url)
    return str(database_file) if database_file else url.render_as_string(hide_password=True)


def _current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = list(revisions)
    if len(found) > 1:
        raise KnownError("the database has several schema revisions; it was not made by callassist")
    return found[0] if found else None


def _create_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        Base.metadata.create_all(connection)
        create_search_index(connection)
        create_worked_out_step_triggers(connection)
        _stamp(connection, SCHEMA_HEAD)


def _stamp(connection: Connection, revision: str) -> None:
    # Alembic's own table layout; written directly so a new file does not pay
    # for importing Alembic.
    connection.execute(
        text(
            "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    )
    connection.execute(text("DELETE FROM alembic_version"))
    connection.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})


def known_revisions() -> set[str]:
    """Every revision this version of callassist can migrate from."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(_migrations_folder()).walk_revisions()}


def _migrations_folder() -> str:
    return str(Path(__file__).parent / "migrations")


def _upgrade(engine: Engine, revision: str, url: URL, backup_folder: Path, clock: Clock) -> None:
    if revision not in known_revisions():
        raise DatabaseTooNewError(
            f"{_describe(url)} was written by a newer callassist (schema {revision}); "
            "update callassist to open it"
        )
    database_file = sqlite_file(url)
    if database_file is not None:
        backup_sqlite(database_file, backup_folder, clock(), reason=f"before-upgrade-{revision}")
    run_migrations(engine, "head")
    # A migration may have rebuilt a table the search index points into.
    with engine.begin() as connection:
        create_search_index(connection)


def run_migrations(engine: Engine, target: str, *, downgrade: bool = False) -> None:
    """Run Alembic to ``target`` on ``engine`` in one transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", _migrations_folder())
    migrate: Callable[[Config, str], None] = command.downgrade if downgrade else command.upgrade
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Must happen outside a transaction, or SQLite ignores it.
            _sqlite(connection).execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                migrate(config, target)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise KnownError(
                            f"the upgrade left {len(broken)} broken references; "
                            "nothing was changed and a backup was kept"
                        )
        finally:
            if sqlite:
                _sqlite(connection).execute("PRAGMA foreign_keys=ON")


def _sqlite(connection: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under ``connection``, for a statement SQLAlchemy must not
    wrap in a transaction."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection), "only asked of a SQLite database"
    return driver
