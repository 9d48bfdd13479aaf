"""INSERT statements that can say what to do on a conflict, on SQLite and PostgreSQL alike."""

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from callassist.db.base import Base


def dialect_insert(session: Session, model: type[Base]) -> sqlite.Insert | postgresql.Insert:
    """An INSERT into ``model``'s table in the session's dialect, which has
    ``on_conflict_do_nothing`` and ``on_conflict_do_update`` (SQLite's and
    PostgreSQL's take the same arguments)."""
    table = model.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
