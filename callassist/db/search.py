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
    """Ids of the prospects matching every word of ``search``, best first.

    Best first means, in this order:

    1. one word typed: the surname starts with it, in the list's order;
       two words: the first name starts with the first and the surname with the
       second ("tom bren"), in the list's order;
    2. one word: the first name starts with it, by first name then surname;
       two words: the surname starts with the first and the first name with the
       second ("brennan tom"), in the list's order;
    3. any other prospect the words find in their name or company, newest first;
    4. those the words find only in their title, research or notes, newest first.

    Groups 1 and 2 are for words of ASCII letters and digits only (see
    :func:`search_groups`). Each group is read in an index's order and stops as
    soon as ``limit`` is reached, so a keystroke costs the page, not the number
    of matches: ranking every match (FTS5's ``ORDER BY rank``) took most of a
    second for a first letter at a million prospects. ``search_prospect_ids(s, n)``
    is always the first ``n`` of ``search_prospect_ids(s)``, so a larger limit
    scrolls further.
    """
    if session.get_bind().dialect.name != "sqlite":
        return _substring_search(session, search, limit)
    found: list[int] = []
    for statement, params in search_groups(search):
        if limit is not None:
            if len(found) >= limit:
                break
            statement += f" LIMIT {limit - len(found)}"
        found.extend(session.scalars(text(statement), params))
    return found


def search_groups(search: str) -> list[tuple[str, dict[str, str]]]:
    """The SQL and parameters of each group of :func:`search_prospect_ids`, best first.

    Each statement selects ids in the group's order; no id is in two groups.
    No group when ``search`` holds no word to look for.
    """
    query = fts_query(search)
    if query is None:
        return []
    in_names = f"{{name company}}: ({query})"
    newest_first = f"ORDER BY {SEARCH_TABLE}.rowid DESC"
    elsewhere = (
        f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :elsewhere {newest_first}",
        {"elsewhere": f"({query}) NOT {in_names}"},
    )
    typed = _WORD.findall(search)
    # SQLite's lower() folds ASCII only, and a name that starts with ASCII letters and
    # digits starts with an FTS5 token at least as long: so for such words the name
    # groups are FTS5 name matches, read off the name indexes.
    if len(typed) > 2 or not all(word.isascii() and word.isalnum() for word in typed):
        in_name_or_company = (
            f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH :in_names {newest_first}",
            {"in_names": in_names},
        )
        return [in_name_or_company, elsewhere]
    words = [word.lower() for word in typed]
    bounds: dict[str, str] = {}
    for n, word in enumerate(words):
        # Every string that starts with ``word`` sorts in [word, past): one index range.
        bounds[f"start{n}"] = word
        bounds[f"past{n}"] = word[:-1] + chr(ord(word[-1]) + 1)

    def starts(column: str, n: int) -> str:
        return f"lower(p.{column}) >= :start{n} AND lower(p.{column}) < :past{n}"

    by_surname = "ORDER BY lower(p.last_name), lower(p.first_name), p.id"
    if len(words) == 1:
        named = [
            (starts("last_name", 0), by_surname),
            (starts("first_name", 0), "ORDER BY lower(p.first_name), lower(p.last_name), p.id"),
        ]
    else:
        named = [
            (f"{starts('first_name', 0)} AND {starts('last_name', 1)}", by_surname),
            (f"{starts('last_name', 0)} AND {starts('first_name', 1)}", by_surname),
        ]
    groups = []
    not_named_before = ""
    for condition, order in named:
        groups.append(
            (f"SELECT p.id FROM prospects p WHERE {condition}{not_named_before} {order}", bounds)
        )
        not_named_before += f" AND NOT ({condition})"
    in_company_or_elsewhere_in_names = (
        f"SELECT p.id FROM {SEARCH_TABLE} JOIN prospects p ON p.id = {SEARCH_TABLE}.rowid "
        f"WHERE {SEARCH_TABLE} MATCH :in_names{not_named_before} {newest_first}",
        {"in_names": in_names} | bounds,
    )
    return [*groups, in_company_or_elsewhere_in_names, elsewhere]


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
