"""The database's own health check: schema revision, pages, links, the search index and
the triggers that keep the queue's kept steps current.

On SQLite, SQLite's own checks do most of it. On PostgreSQL, where the data is
safe on the server but a constraint can be dropped, or added NOT VALID, by
hand, the check compares the server's constraints and indexes with the models,
counts the rows whose foreign key points nowhere, and looks at the search
documents and the triggers that keep them.
"""

from sqlalchemy import (
    CheckConstraint,
    Connection,
    ForeignKeyConstraint,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from callassist.db.base import Base
from callassist.db.migrate import SCHEMA_HEAD
from callassist.db.models import Prospect
from callassist.db.search import (
    POSTGRES_SEARCH_INDEXES,
    POSTGRES_SEARCH_TABLE,
    POSTGRES_SEARCH_TRIGGERS,
    SEARCH_TABLE,
)
from callassist.db.worked_out_steps import missing_worked_out_step_triggers
from callassist.services.contacts import unclaimed_duplicates
from callassist.wording import counted

_KINDS = {
    PrimaryKeyConstraint: "primary key",
    ForeignKeyConstraint: "foreign key",
    UniqueConstraint: "unique constraint",
    CheckConstraint: "check constraint",
}


def database_problems(connection: Connection) -> list[str]:
    """Integrity problems of the database, in words; empty when all is well.

    It stores nothing; the caller rolls the connection's transaction back.
    """
    problems: list[str] = []
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision != SCHEMA_HEAD:
        problems.append(f"schema revision is {revision}, expected {SCHEMA_HEAD}")
    # Kept by the upgrade to unique contacts, which deleted nobody: named until merged.
    problems.extend(unclaimed_duplicates(connection))
    problems.extend(
        f"queue: the trigger {trigger} is missing or disabled, so every first look at the "
        "queue works each cadence out again (slower, still right) until it is back; "
        "callassist creates it again when it opens the database, where the server lets it"
        for trigger in missing_worked_out_step_triggers(connection)
    )
    if connection.dialect.name == "postgresql":
        return problems + _postgres_problems(connection)
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
        # SQLite runs this check as a write: a read-only file cannot run it, nor
        # can this read once another program (a window saving, its change log)
        # has written since it began; neither is damage, and the count below
        # still compares index and table.
        if not str(getattr(error.orig, "sqlite_errorname", "")).startswith(
            ("SQLITE_READONLY", "SQLITE_BUSY")
        ):
            problems.append(f"search index: {error.orig}")
    return problems + _search_count_problems(connection, SEARCH_TABLE)


def _postgres_problems(connection: Connection) -> list[str]:
    problems: list[str] = []
    constraints: dict[str, bool] = {
        name: validated
        for name, validated in connection.execute(
            text(
                "SELECT conname, convalidated FROM pg_constraint "
                "WHERE connamespace = current_schema()::regnamespace"
            )
        )
    }
    indexes = set(
        connection.execute(
            text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        ).scalars()
    )
    for table in Base.metadata.sorted_tables:
        for constraint in sorted(table.constraints, key=lambda each: str(each.name)):
            name, kind = str(constraint.name), _KINDS.get(type(constraint), "constraint")
            if name not in constraints:
                problems.append(f"{table.name}: the {kind} {name} is missing")
            elif not constraints[name]:
                problems.append(
                    f"{table.name}: the {kind} {name} is NOT VALID (rows written before it "
                    "were never checked); run ALTER TABLE ... VALIDATE CONSTRAINT"
                )
        for index in sorted(table.indexes, key=lambda each: str(each.name)):
            if str(index.name) not in indexes:
                problems.append(f"{table.name}: the index {index.name} is missing")
        problems += _orphans(connection, table)
    for search_index in POSTGRES_SEARCH_INDEXES:
        if search_index not in indexes:
            problems.append(f"search index: the index {search_index} is missing")
    triggers = set(
        connection.execute(
            text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        ).scalars()
    )
    for trigger in POSTGRES_SEARCH_TRIGGERS:
        if trigger not in triggers:
            problems.append(
                f"search index: the trigger {trigger} is missing or disabled, "
                "so the search no longer follows every change"
            )
    return problems + _search_count_problems(connection, POSTGRES_SEARCH_TABLE)


def _search_count_problems(connection: Connection, search_table: str) -> list[str]:
    """A line when the search index holds another number of prospects than the table."""
    indexed = connection.exec_driver_sql(f"SELECT count(*) FROM {search_table}").scalar()
    stored = connection.execute(select(func.count()).select_from(Prospect)).scalar()
    if indexed == stored:
        return []
    return [f"search index holds {indexed} prospects, the table {stored}"]


def _orphans(connection: Connection, table: Table) -> list[str]:
    """The rows of ``table`` whose foreign keys point to no row: counted, one line a key."""
    problems: list[str] = []
    for key in sorted(table.foreign_key_constraints, key=lambda each: str(each.name)):
        parent = key.referred_table
        child_columns = [element.parent.name for element in key.elements]
        pairs = [f"c.{element.parent.name} = p.{element.column.name}" for element in key.elements]
        filled = " AND ".join(f"c.{column} IS NOT NULL" for column in child_columns)
        count = connection.exec_driver_sql(
            f"SELECT count(*) FROM {table.name} c WHERE {filled} AND NOT EXISTS "
            f"(SELECT 1 FROM {parent.name} p WHERE {' AND '.join(pairs)})"
        ).scalar()
        if count:
            problems.append(
                f"{table.name}: {counted(count or 0, 'row')} whose {', '.join(child_columns)} "
                f"points to no {parent.name} row"
            )
    return problems
