"""The database's own health check: schema revision, pages, links and the search index."""

from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import DBAPIError

from callassist.db.migrate import SCHEMA_HEAD
from callassist.db.models import Prospect
from callassist.db.search import SEARCH_TABLE


def database_problems(connection: Connection) -> list[str]:
    """Integrity problems of the database, in words; empty when all is well.

    It stores nothing; the caller rolls the connection's transaction back.
    """
    problems: list[str] = []
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision != SCHEMA_HEAD:
        problems.append(f"schema revision is {revision}, expected {SCHEMA_HEAD}")
    if connection.dialect.name != "sqlite":
        return problems
    for (message,) in connection.exec_driver_sql("PRAGMA integrity_check"):
        if message != "ok":
            problems.append(f"integrity: {message}")
    for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points to a missing {parent} row")
    try:
        connection.exec_driver_sql(
            f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('integrity-check', 1)"
        )
    except DBAPIError as error:
        # SQLite runs this check as a write: a read-only file cannot run it,
        # which is no damage; the count below still compares index and table.
        if getattr(error.orig, "sqlite_errorname", None) != "SQLITE_READONLY":
            problems.append(f"search index: {error.orig}")
    indexed = connection.exec_driver_sql(f"SELECT count(*) FROM {SEARCH_TABLE}").scalar()
    stored = connection.execute(select(func.count()).select_from(Prospect)).scalar()
    if indexed != stored:
        problems.append(f"search index holds {indexed} prospects, the table {stored}")
    return problems
