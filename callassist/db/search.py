"""Full-text search over prospects, and the index behind it.

On SQLite an FTS5 table holds one document per prospect (rowid = prospect
id): the name, company and title, the research notes, and every note typed on
the prospect or its attempts. Services call :func:`reindex_prospects` in the
same transaction as the change, so the index never lags behind the data.

On PostgreSQL the same document is a ``tsvector`` in
:data:`POSTGRES_SEARCH_TABLE`, under a GIN index, written by triggers on
prospects, research notes and attempts, so every path that writes those
fields (the services, a colleague's older version, a hand-typed UPDATE) keeps
it current. It is cut into words the way FTS5's ``unicode61 remove_diacritics
2`` tokenizer does (letters and digits, case and accents folded), with word
positions, so a word typed as "smile_works" is the same phrase FTS5 looks for;
name and company words are stored twice, the second time marked with
:data:`NAME_MARK`, which is how "found in the name or company" is told from
"found elsewhere" by the index alone. Both databases answer with the same
prospects in the same order.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

SEARCH_TABLE = "prospect_search"

POSTGRES_SEARCH_TABLE = "prospect_search_documents"
"""PostgreSQL's search documents: one row per prospect, its words as a ``tsvector``."""

NAME_MARK = "^"
"""Starts the second copy of each name and company word in a PostgreSQL document: never
part of a word (words are letters and digits only)."""

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
    """Create the search index and index every prospect.

    On PostgreSQL the triggers keep the documents current once they exist, so
    they are only written again when some are missing (after an upgrade).
    """
    if connection.dialect.name == "postgresql":
        for statement in POSTGRES_SEARCH_SCHEMA:
            connection.exec_driver_sql(statement)
        missing = connection.exec_driver_sql(
            f"SELECT (SELECT count(*) FROM prospects) - "
            f"(SELECT count(*) FROM {POSTGRES_SEARCH_TABLE})"
        ).scalar()
        if missing:
            connection.exec_driver_sql(
                "SELECT prospect_search_refresh(array_agg(id)) FROM prospects"
            )
        return
    connection.exec_driver_sql(CREATE_SEARCH_TABLE)
    connection.exec_driver_sql(f"DELETE FROM {SEARCH_TABLE}")
    connection.exec_driver_sql(
        f"INSERT INTO {SEARCH_TABLE} (rowid, name, company, research, notes) {_DOCUMENTS}"
    )


def reindex_prospects(session: Session, prospect_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these prospects (deleted ones drop out).

    Nothing to do on PostgreSQL, whose triggers have done it with the change.
    """
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
    if session.get_bind().dialect.name == "postgresql":
        return _postgres_search_ids(session, search, limit)
    found: list[int] = []
    for statement, params in search_groups(search):
        if limit is not None:
            if len(found) >= limit:
                break
            statement += f" LIMIT {limit - len(found)}"
        found.extend(session.scalars(text(statement), params))
    return found


SearchGroup = tuple[str, dict[str, object]]
"""One group's SQL and its parameters."""


def _postgres_search_ids(session: Session, search: str, limit: int | None) -> list[int]:
    """:func:`search_prospect_ids` on PostgreSQL: the name groups in one statement, then,
    if they leave the page short, the document groups in another.

    A talk with the server costs more than most groups' reading, and a keystroke
    reads up to six of them. But planning costs too: the name groups take a fifth of a
    millisecond, the document groups about two (two of them are joined to the
    prospects), and the names often fill the page alone.
    """
    groups = search_groups(search, "postgresql")
    named = _NAME_GROUPS if _names_searched(_WORD.findall(search)) else 0
    found: list[int] = []
    for batch in (groups[:named], groups[named:]):
        if not batch or (limit is not None and len(found) >= limit):
            continue
        statement, params = postgres_search_statement(
            search, batch, None if limit is None else limit - len(found)
        )
        ranked: list[tuple[int, int]] = [
            (group_rank, prospect_id)
            for group_rank, prospect_id in session.execute(text(statement), params)
        ]
        # Without a limit the parts may be read side by side: a stable sort by group
        # keeps each part's own order.
        found.extend(prospect_id for _, prospect_id in sorted(ranked, key=itemgetter(0)))
    return found


def postgres_search_statement(
    search: str, groups: list["SearchGroup"], limit: int | None
) -> "SearchGroup":
    """``groups`` of ``search`` on PostgreSQL as one statement, which selects each id
    with its group's rank.

    A UNION ALL of the groups is one Append, which reads its parts in the order
    written and is stopped by the outer LIMIT once the page is full: a group after a
    full page is never read, as with one statement a group. Each part keeps its own
    order and LIMIT; a part with a LIMIT is never run in a parallel worker, whose
    rows would come back interleaved with another part's.
    """
    bound = "" if limit is None else f" LIMIT {limit}"
    parts = " UNION ALL ".join(
        f"(SELECT {rank} AS group_rank, id FROM ({statement}{bound}) AS group_{rank} (id))"
        for rank, (statement, _) in enumerate(groups)
    )
    # The typed words' queries are built only if a part reads them.
    params: dict[str, object] = {"typed": _WORD.findall(search)}
    for _, group_params in groups:
        params |= group_params
    return f"WITH {_POSTGRES_TYPED_QUERIES} {parts}{bound}", params


@dataclass(frozen=True, slots=True)
class _DocumentMatches:
    """How a database's search index is asked for the typed words, as SQL pieces."""

    table: str
    id_column: str
    """The prospect's id in ``table``."""
    in_names: str
    """Every word found in the name or company."""
    elsewhere: str
    """Every word found, but not all of them in the name or company."""
    params: dict[str, object]
    newest_walked: int | None = None
    """PostgreSQL: how many of the newest documents are walked before the GIN index is read."""

    def newest_first(self, condition: str, *, joined: bool = False) -> list[SearchGroup]:
        """The ids matching ``condition``, newest first, in one group or more; ``joined``
        to the prospects (as ``p``) when the condition also looks at their rows."""

        def source(rows: str) -> str:
            return f"{rows} JOIN prospects p ON p.id = {self.id_column}" if joined else rows

        newest = f"ORDER BY {self.id_column} DESC"
        if self.newest_walked is None:
            # FTS5 reads its matches in rowid order: the page costs the page.
            return [
                (
                    f"SELECT {self.id_column} FROM {source(self.table)} WHERE {condition} {newest}",
                    self.params,
                )
            ]
        # PostgreSQL cannot read a GIN index in id order. Walking the documents newest
        # first finds a common word's page at once but looked at all 100,000 for a word
        # in none (0.7 s); reading every match off the index and sorting them took 0.1 s
        # for a word in one prospect of nine. So: the newest few walked, then the rest
        # off the index (ordered by "+ 0", not the primary key, so the index is read).
        walked = f"(SELECT * FROM {self.table} {newest} LIMIT {self.newest_walked}) AS {self.table}"
        first_walked = (
            f"coalesce((SELECT min(prospect_id) FROM (SELECT prospect_id FROM {self.table} "
            f"{newest} LIMIT {self.newest_walked}) AS walked), 0)"
        )
        return [
            (
                f"SELECT {self.id_column} FROM {source(walked)} WHERE {condition} {newest}",
                self.params,
            ),
            (
                f"SELECT {self.id_column} FROM {source(self.table)} WHERE {condition} "
                f"AND {self.id_column} < {first_walked} ORDER BY {self.id_column} + 0 DESC",
                self.params,
            ),
        ]


def _fts5_matches(query: str) -> _DocumentMatches:
    in_names = f"{{name company}}: ({query})"
    return _DocumentMatches(
        table=SEARCH_TABLE,
        id_column=f"{SEARCH_TABLE}.rowid",
        in_names=f"{SEARCH_TABLE} MATCH :in_names",
        elsewhere=f"{SEARCH_TABLE} MATCH :elsewhere",
        params={"in_names": in_names, "elsewhere": f"({query}) NOT {in_names}"},
    )


_POSTGRES_TYPED_QUERIES = f"""typed_queries AS MATERIALIZED (
    SELECT mark, prospect_search_query(CAST(:typed AS text[]), mark) AS query
    FROM (VALUES ('{NAME_MARK}'), ('')) AS marks (mark)
)"""
"""The typed words as the two queries the groups ask the documents: with the name mark
(found in the name or company) and without (found anywhere).

They are built by the database, by the function that cuts the documents into words,
so a typed word is cut exactly as a stored one. Built once a statement, and only when
a group needs them: with its arguments known when the statement is planned, each of
the up to six calls in a statement was worked out then, at about half a millisecond
each, even for groups never read.
"""


def _postgres_matches(typed: list[str]) -> _DocumentMatches:
    # The groups read the queries of _POSTGRES_TYPED_QUERIES, which the statement
    # of postgres_search_statement puts before them.
    in_names = f"(SELECT query FROM typed_queries WHERE mark = '{NAME_MARK}')"
    anywhere = "(SELECT query FROM typed_queries WHERE mark = '')"
    words = f"{POSTGRES_SEARCH_TABLE}.words"
    return _DocumentMatches(
        table=POSTGRES_SEARCH_TABLE,
        id_column=f"{POSTGRES_SEARCH_TABLE}.prospect_id",
        in_names=f"{words} @@ {in_names}",
        elsewhere=f"{words} @@ ({anywhere} && !! {in_names})",
        params={"typed": typed},
        newest_walked=500,
    )


def _names_searched(typed: list[str]) -> bool:
    """Whether the typed words have the two name groups: one or two words of ASCII
    letters and digits."""
    return len(typed) <= 2 and all(word.isascii() and word.isalnum() for word in typed)


_NAME_GROUPS = 2
"""The groups read off the name indexes, first, when the names are searched."""


def search_groups(search: str, dialect: str = "sqlite") -> list[SearchGroup]:
    """The SQL and parameters of each group of :func:`search_prospect_ids`, best first,
    for the ``dialect`` of the database (``sqlite`` or ``postgresql``).

    Each statement selects ids in the group's order; no id is in two groups.
    No group when ``search`` holds no word to look for. On PostgreSQL they are parts
    of :func:`postgres_search_statement`, which builds the queries they read.
    """
    query = fts_query(search)
    if query is None:
        return []
    typed = _WORD.findall(search)
    matches = _postgres_matches(typed) if dialect == "postgresql" else _fts5_matches(query)
    elsewhere = matches.newest_first(matches.elsewhere)
    # SQLite's lower() folds ASCII only, and a name that starts with ASCII letters and
    # digits starts with a search word at least as long: so for such words the name
    # groups are name matches, read off the name indexes.
    if not _names_searched(typed):
        return [*matches.newest_first(matches.in_names), *elsewhere]
    words = [word.lower() for word in typed]
    # Every string that starts with a word sorts in [word, past): one index range.
    ranges = [(word, word[:-1] + chr(ord(word[-1]) + 1)) for word in words]
    bounds: dict[str, object] = {}
    if dialect != "postgresql":
        for n, (start, past) in enumerate(ranges):
            bounds[f"start{n}"], bounds[f"past{n}"] = start, past

    def folded(column: str) -> str:
        # PostgreSQL's lower() under the C collation folds ASCII only, as SQLite's
        # does, and the C collation compares and sorts by code point, as SQLite does.
        if dialect == "postgresql":
            return f'lower(p.{column} COLLATE "C")'
        return f"lower(p.{column})"

    def starts(column: str, n: int) -> str:
        if dialect == "postgresql":
            # Written in, not bound: psycopg prepares a statement met five times, and a
            # plan for any bounds, guessing how many names they hold, sorted every
            # match of "b" to keep the first page instead of reading the index in order.
            # The words are ASCII letters and digits, and past them one code point up
            # to "{": nothing to quote.
            start, past = (f"'{bound}'" for bound in ranges[n])
        else:
            start, past = f":start{n}", f":past{n}"
        return f"{folded(column)} >= {start} AND {folded(column)} < {past}"

    surname, first_name = folded("last_name"), folded("first_name")
    by_surname = f"ORDER BY {surname}, {first_name}, p.id"
    if len(words) == 1:
        named = [
            (starts("last_name", 0), by_surname),
            (starts("first_name", 0), f"ORDER BY {first_name}, {surname}, p.id"),
        ]
    else:
        named = [
            (f"{starts('first_name', 0)} AND {starts('last_name', 1)}", by_surname),
            (f"{starts('last_name', 0)} AND {starts('first_name', 1)}", by_surname),
        ]
    groups: list[SearchGroup] = []
    not_named_before = ""
    for condition, order in named:
        groups.append(
            (f"SELECT p.id FROM prospects p WHERE {condition}{not_named_before} {order}", bounds)
        )
        not_named_before += f" AND NOT ({condition})"
    in_company_or_elsewhere_in_names = [
        (statement, params | bounds)
        for statement, params in matches.newest_first(
            f"{matches.in_names}{not_named_before}", joined=True
        )
    ]
    return [*groups, *in_company_or_elsewhere_in_names, *elsewhere]


_POSTGRES_TRIGGERS = {
    "prospect_search_new_prospects": (
        "INSERT",
        "prospects",
        "NEW TABLE AS changed",
        "prospect_search_follow_prospects",
    ),
    "prospect_search_edited_prospects": (
        "UPDATE",
        "prospects",
        "OLD TABLE AS before NEW TABLE AS changed",
        "prospect_search_follow_prospect_edits",
    ),
    **{
        f"prospect_search_{event.lower()}_{table}": (
            event,
            table,
            tables,
            "prospect_search_follow_parts",
        )
        for table in ("research_notes", "attempts")
        for event, tables in (
            ("INSERT", "NEW TABLE AS changed"),
            ("UPDATE", "OLD TABLE AS before NEW TABLE AS changed"),
            ("DELETE", "OLD TABLE AS before"),
        )
    },
}
"""Each trigger that keeps the documents current: its event, table, transition tables
and function."""

POSTGRES_SEARCH_TRIGGERS = tuple(_POSTGRES_TRIGGERS)
"""The names of those triggers (the health check looks for them)."""

POSTGRES_SEARCH_INDEXES = (
    f"ix_{POSTGRES_SEARCH_TABLE}_words",
    "ix_prospects_search_by_surname",
    "ix_prospects_search_by_first_name",
)
"""The indexes the search reads on PostgreSQL (created in POSTGRES_SEARCH_SCHEMA)."""

_DIACRITICS = r"[\u0300-\u036f]"
"""The combining marks an accented letter leaves beside its base letter once decomposed."""

POSTGRES_SEARCH_SCHEMA = (
    # A text's search words: accents and case folded (ICU's root collation: the same
    # on every server, whatever its locale), cut at anything not a letter or digit.
    f"""
    CREATE OR REPLACE FUNCTION prospect_search_words(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_remove(regexp_split_to_array(
            lower(regexp_replace(normalize(value, NFD), '{_DIACRITICS}', '', 'g')
                  COLLATE "und-x-icu"),
            '[^[:alnum:]]+'), '')
    $$
    """,
    # The document of a prospect's four parts, FTS5's four columns: positions run on
    # with a gap between parts (a phrase never spans two), and the name and company
    # words come twice, marked the second time. Words too long to index are left out.
    f"""
    CREATE OR REPLACE FUNCTION prospect_search_document(
        name text, company text, research text, notes text
    ) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        WITH parts (part, words) AS (
            VALUES (1, prospect_search_words(name)), (2, prospect_search_words(company)),
                   (3, prospect_search_words(research)), (4, prospect_search_words(notes))
        ), placed AS (
            SELECT part, words,
                   sum(coalesce(cardinality(words), 0) + 1) OVER (ORDER BY part)
                   - coalesce(cardinality(words), 0) - 1 AS before
            FROM parts
        )
        SELECT coalesce(string_agg(
            quote_literal(mark || word) || ':' || least(before + n, 16383), ' '), '')::tsvector
        FROM placed, unnest(words) WITH ORDINALITY AS w (word, n),
             LATERAL (VALUES (''), ('{NAME_MARK}')) AS marks (mark)
        WHERE octet_length(word) < 2047 AND (mark = '' OR part <= 2)
    $$
    """,
    # A typed search as a query: each typed word a phrase of its words, the last one a
    # prefix, all of them required; with the mark, in the name or company only. NULL,
    # which matches nothing, when no word is left, as FTS5 finds nothing for "_".
    """
    CREATE OR REPLACE FUNCTION prospect_search_query(typed text[], mark text)
    RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT string_agg(phrase, ' & ')::tsquery
        FROM unnest(typed) AS typed_word (value),
             LATERAL (
                SELECT string_agg(
                    quote_literal(mark || word)
                    || CASE WHEN n = cardinality(words) THEN ':*' ELSE '' END,
                    ' <-> ' ORDER BY n) AS phrase
                FROM prospect_search_words(value) AS cut (words),
                     unnest(words) WITH ORDINALITY AS w (word, n)
             ) AS phrases
        WHERE phrase IS NOT NULL
    $$
    """,
    f"""
    CREATE TABLE IF NOT EXISTS {POSTGRES_SEARCH_TABLE} (
        prospect_id integer NOT NULL,
        words tsvector NOT NULL,
        CONSTRAINT pk_{POSTGRES_SEARCH_TABLE} PRIMARY KEY (prospect_id),
        CONSTRAINT fk_{POSTGRES_SEARCH_TABLE}_prospect_id_prospects
            FOREIGN KEY (prospect_id) REFERENCES prospects (id) ON DELETE CASCADE
    )
    """,
    f"""
    CREATE INDEX IF NOT EXISTS ix_{POSTGRES_SEARCH_TABLE}_words
    ON {POSTGRES_SEARCH_TABLE} USING gin (words)
    """,
    # The name groups' two orders, as search_groups reads them on PostgreSQL.
    """
    CREATE INDEX IF NOT EXISTS ix_prospects_search_by_surname ON prospects
    (lower(last_name COLLATE "C"), lower(first_name COLLATE "C"), id)
    """,
    """
    CREATE INDEX IF NOT EXISTS ix_prospects_search_by_first_name ON prospects
    (lower(first_name COLLATE "C"), lower(last_name COLLATE "C"), id)
    """,
    # The same four parts as the SQLite index (_DOCUMENTS); a prospect's call notes
    # in the order they were typed.
    f"""
    CREATE OR REPLACE FUNCTION prospect_search_refresh(ids integer[]) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO {POSTGRES_SEARCH_TABLE} (prospect_id, words)
        SELECT p.id, prospect_search_document(
            p.first_name || ' ' || p.last_name,
            p.company || ' ' || p.title || ' ' || p.website,
            coalesce(r.company_summary || ' ' || r.person_profile || ' ' || r.angle, ''),
            p.notes || ' ' || coalesce(
                (SELECT string_agg(a.notes, ' ' ORDER BY a.id) FROM attempts a
                 WHERE a.prospect_id = p.id AND a.notes <> ''), ''))
        FROM (SELECT DISTINCT unnest(ids) AS id) AS changed
        JOIN prospects p ON p.id = changed.id
        LEFT JOIN research_notes r ON r.prospect_id = p.id
        ON CONFLICT (prospect_id) DO UPDATE SET words = excluded.words
    $$
    """,
    # Statement triggers with the changed rows as a table: an import of thousands of
    # prospects refreshes their documents in one statement per batch, not one per row.
    """
    CREATE OR REPLACE FUNCTION prospect_search_follow_prospects() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM prospect_search_refresh(array_agg(id)) FROM changed;
        RETURN NULL;
    END
    $$
    """,
    # An update of a prospect's status or dates leaves its words as they were.
    """
    CREATE OR REPLACE FUNCTION prospect_search_follow_prospect_edits() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM prospect_search_refresh(array_agg(changed.id))
        FROM changed JOIN before ON before.id = changed.id
        WHERE (changed.first_name, changed.last_name, changed.company, changed.title,
               changed.website, changed.notes)
              IS DISTINCT FROM
              (before.first_name, before.last_name, before.company, before.title,
               before.website, before.notes);
        RETURN NULL;
    END
    $$
    """,
    # Research notes and attempts: the prospects they belong to, before and after.
    """
    CREATE OR REPLACE FUNCTION prospect_search_follow_parts() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            PERFORM prospect_search_refresh(array_agg(prospect_id)) FROM changed;
        ELSIF TG_OP = 'DELETE' THEN
            PERFORM prospect_search_refresh(array_agg(prospect_id)) FROM before;
        ELSE
            PERFORM prospect_search_refresh(array_agg(prospect_id))
            FROM (SELECT prospect_id FROM changed UNION SELECT prospect_id FROM before) AS both_;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    *(
        f"""
        CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table}
        REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()
        """
        for name, (event, table, tables, function) in _POSTGRES_TRIGGERS.items()
    ),
)
"""PostgreSQL's search documents, their index and the triggers that keep them current:
statements safe to run again (the migration that adds them and a new database both do)."""
