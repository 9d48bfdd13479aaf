"""Opening a database: the one way in.

- A new, empty database is created from the models and stamped with the
  current revision.
- A database at the current revision opens without importing Alembic (which
  costs about 200 ms at start-up).
- An older one is backed up first (SQLite), then upgraded in one transaction
  with foreign keys off, and checked with ``PRAGMA foreign_key_check``.
- One from a newer callassist is refused: this version cannot know its schema.
"""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from callassist.clock import Clock
from callassist.db import models  # noqa: F401  (registers every table on Base.metadata)
from callassist.db.backup import backup_sqlite
from callassist.db.base import Base
from callassist.db.engine import make_engine, sqlite_file
from callassist.db.search import create_search_index
from callassist.errors import DatabaseTooNewError, KnownError

SCHEMA_HEAD = "0002"
"""The newest revision in callassist/db/migrations/versions (a test keeps them equal)."""

MIGRATIONS_LOCATION = "callassist.db:migrations"


def open_database(url: URL, *, backup_folder: Path, clock: Clock) -> Engine:
    """An engine on ``url`` whose schema is at :data:`SCHEMA_HEAD`."""
    database_file = sqlite_file(url)
    if database_file is not None:
        try:
            database_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise KnownError(f"cannot create the folder for {database_file}: {error}") from error
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            revision = _current_revision(connection)
            has_tables = bool(set(inspect(connection).get_table_names()) - {"alembic_version"})
        if revision is None:
            if has_tables:
                raise KnownError(f"{_describe(url)} is not a callassist database")
            _create_schema(engine)
        elif revision != SCHEMA_HEAD:
            _upgrade(engine, revision, url, backup_folder, clock)
    except DBAPIError as error:
        engine.dispose()
        raise KnownError(f"cannot open {_describe(url)}: {error.orig}") from error
    except KnownError:
        engine.dispose()
        raise
    return engine


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
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
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
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
