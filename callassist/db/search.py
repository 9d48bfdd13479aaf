"""Full-text search over prospects, and the index behind it.

On SQLite an FTS5 table holds one document per prospect (rowid = prospect
id): the name, company and title, the research notes, and every note typed on
the prospect or its attempts. Services call :func:`reindex_prospects` in the
same transaction as the change, so the index never lags behind the data.
Other databases (PostgreSQL) fall back to a case-insensitive substring match.
"""

import re
from collections.abc import Iterable

from sqlalchemy import Connection, or_, select, text
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
    """Ids of the prospects matching every word of ``search``.

    Prospects whose name or company matches come first, best match first;
    then those matching only in their title, research or notes. With a
    ``limit`` (search as you type) the second group comes newest first, because
    ranking every note that holds a common prefix costs a tenth of a second on
    100,000 prospects and the rep is looking for a name anyway.
    """
    if session.get_bind().dialect.name != "sqlite":
        return _substring_search(session, search, limit)
    query = fts_query(search)
    if query is None:
        return []
    by_name = _fts_ids(session, f"{{name company}}: ({query})", "rank", limit)
    if limit is not None and len(by_name) >= limit:
        return by_name
    if limit is None:
        rest = _fts_ids(session, query, "rank", None)
    else:
        # Name matches show up here too; fetch enough to fill the list without them.
        rest = _fts_ids(session, query, "rowid DESC", limit)
    seen = set(by_name)
    merged = by_name + [prospect_id for prospect_id in rest if prospect_id not in seen]
    return merged if limit is None else merged[:limit]


def _fts_ids(session: Session, query: str, order: str, limit: int | None) -> list[int]:
    sql = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :q ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return list(session.scalars(text(sql), {"q": query}))


def _substring_search(session: Session, search: str, limit: int | None) -> list[int]:
    text_columns = (
        Prospect.first_name,
        Prospect.last_name,
        Prospect.company,
        Prospect.title,
        Prospect.notes,
        ResearchNote.company_summary,
        ResearchNote.person_profile,
        ResearchNote.angle,
    )
    statement = select(Prospect.id).outerjoin(ResearchNote)
    for word in _WORD.findall(search) or [search]:
        # autoescape: a "%" or "_" the rep types is looked for, not a LIKE wildcard.
        noted_on_an_attempt = (
            select(Attempt.id)
            .where(
                Attempt.prospect_id == Prospect.id,
                Attempt.notes.icontains(word, autoescape=True),
            )
            .exists()
        )
        statement = statement.where(
            or_(
                *(column.icontains(word, autoescape=True) for column in text_columns),
                noted_on_an_attempt,
            )
        )
    statement = statement.order_by(Prospect.last_name, Prospect.first_name, Prospect.id)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))
