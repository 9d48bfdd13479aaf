"""SQL typed straight at the test's database, past the desk, on SQLite or PostgreSQL:
to see what was stored, to store what the desk would refuse, and to show that a refused
command left every row as it was.

Statements use ``?`` for their values, as sqlite3 does; on PostgreSQL they become %s.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine

from callassist.db.engine import database_url
from callassist.db.models import Base, ChangeLogEntry


@contextmanager
def connected(db_location: str | Path) -> Iterator[Connection]:
    """One transaction on the database, committed at the end of the block: a plain
    connection, without the settings callassist gives its own."""
    engine = create_engine(database_url(db_location))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _in_driver_style(connection: Connection, statement: str) -> str:
    return statement if connection.dialect.paramstyle == "qmark" else statement.replace("?", "%s")


def execute(db_location: str | Path, statement: str, *values: object) -> None:
    with connected(db_location) as connection:
        connection.exec_driver_sql(_in_driver_style(connection, statement), tuple(values))


def rows(db_location: str | Path, query: str, *values: object) -> list[tuple[Any, ...]]:
    with connected(db_location) as connection:
        found = connection.exec_driver_sql(_in_driver_style(connection, query), tuple(values))
        return [tuple(row) for row in found]


def contents(db_location: str | Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in the order of their keys, to compare before and after.

    Not the change log: a desk writes it on a thread of its own after each change,
    so an open desk's last change may land in it at any moment; it tells other
    windows what to read again and holds nothing of the rep's.
    """
    with connected(db_location) as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(table.select().order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
            if table.name != ChangeLogEntry.__tablename__
        }
