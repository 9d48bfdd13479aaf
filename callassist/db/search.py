"""Full-text search over prospects, and the index behind it.

On SQLite an FTS5 table holds one document per prospect (rowid = prospect
id): the name, company and title, the research notes, and every note typed on
the prospect or its attempts. Services call :func:`reindex_prospects` in the
same transaction as the change, so the index never lags behind the data.
Other databases (PostgreSQL) fall back to a case-insensitive substring match.
"""

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Select, or_, select, text
from sqlalchemy.orm import Session

from callassist.db.models import Attempt, Prospect, ResearchNote

SEARCH_TABLE = "prospect_search"

CREATE_SEARCH_TABLE = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(
    name, company, research, notes,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""

# One document per prospect, built in SQL so a bulk import indexes in one pass.
_DOCUMENTS = """
SELECT p.id,
       p.first_name || ' ' || p.last_name,
       p.company || ' ' || p.title || ' ' || p.website,
       coalesce(r.company_summary || ' ' || r.person_profile || ' ' || r.angle, ''),
       p.notes || ' ' || coalesce(
           (SELECT group_concat(a.notes, ' ') FROM attempts a
            WHERE a.prospect_id = p.id AND a.notes <> ''), '')
FROM prospects p LEFT JOIN research_notes r ON r.prospect_id = p.id
"""

_WORD = re.compile(r"\w+", re.UNICODE)


def create_search_index(connection: Connection) -> None:
    """Create the FTS5 table (SQLite only) and index every prospect."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(CREATE_SEARCH_TABLE)
    connection.exec_driver_sql(f"DELETE FROM {SEARCH_TABLE}")
    connection.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} (rowid, name, company, research, notes) {_DOCUMENTS}"
    )


def reindex_prospects(session: Session, prospect_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these prospects (deleted ones drop out)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    ids = sorted(set(prospect_ids))
    # Chunks keep each statement under SQLite's bound-parameter limit.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":id{i}" for i in range(len(chunk)))
        params = {f"id{i}": value for i, value in enumerate(chunk)}
        session.execute(text(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN ({marks})"), params)
        session.execute(
            text(
                f"INSERT INTO {SEARCH_TABLE} (rowid, name, company, research, notes) "
                f"{_DOCUMENTS} WHERE p.id IN ({marks})"
            ),
            params,
        )


def fts_query(search: str) -> str | None:
    """An FTS5 query that matches every word of ``search`` as a prefix.

    Each word is quoted, so punctuation the rep types ("O'Brien", "AT&T")
    can never be read as FTS5 syntax. None when there is no word to look for.
    """
    words = _WORD.findall(search)
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)


def search_prospect_ids(session: Session, search: str, limit: int | None = None) -> list[int]:
    """Ids of the prospects matching every word of ``search``, best match first."""
    if session.get_bind().dialect.name == "sqlite":
        query = fts_query(search)
        if query is None:
            return []
        sql = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q ORDER BY rank"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return list(session.scalars(text(sql), {"q": query}))
    return list(session.scalars(_substring_search(search, limit)))


def _substring_search(search: str, limit: int | None) -> Select[tuple[int]]:
    statement = select(Prospect.id).outerjoin(ResearchNote)
    for word in _WORD.findall(search) or [search]:
        pattern = f"%{word}%"
        fields: Sequence[object] = (
            Prospect.first_name,
            Prospect.last_name,
            Prospect.company,
            Prospect.title,
            Prospect.notes,
            ResearchNote.company_summary,
            ResearchNote.person_profile,
            ResearchNote.angle,
        )
        matches = [field.ilike(pattern) for field in fields]  # type: ignore[attr-defined]
        matches.append(
            select(Attempt.id)
            .where(Attempt.prospect_id == Prospect.id, Attempt.notes.ilike(pattern))
            .exists()
        )
        statement = statement.where(or_(*matches))
    statement = statement.order_by(Prospect.last_name, Prospect.first_name, Prospect.id)
    return statement.limit(limit) if limit is not None else statement
