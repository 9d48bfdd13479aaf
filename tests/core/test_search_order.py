"""The search's order, worked out in plain Python from the rows, on random prospects.

The search reads its groups off indexes and stops at the page; these tests
check that what it returns is every match FTS5 finds (the matches of the
search before it was bounded), once each, in the documented order, and that
a page is always the start of the whole list.
"""

import sqlite3
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text

from callassist.core import CallDesk
from callassist.db.models import Prospect
from callassist.db.search import SEARCH_TABLE, fts_query

# Letters of both cases, a few outside ASCII (SQLite's lower() leaves those as they
# are, FTS5 folds them), digits, and the punctuation names carry.
NAME_LETTERS = "abAB" + "éÉß" + "1" + "'- _"
# Names often alike, so ties on one name are ordered by the next.
names = st.sampled_from(["Ab", "ab", "AB", "Abé", "a-b", "B'a", "É", "_a", "ba b", ""]) | st.text(
    NAME_LETTERS, max_size=7
)
words = st.text("abAB1éÉ", min_size=1, max_size=3)
people = st.lists(
    st.fixed_dictionaries(
        {"first_name": names, "last_name": names, "company": names, "notes": names}
    ).filter(lambda person: person["first_name"].strip() or person["last_name"].strip()),
    max_size=12,
)
searches = st.lists(words, min_size=1, max_size=2).map(" ".join) | st.sampled_from(
    ["a", "B", "ab", "é", "_", "a_", "'", "1"]
)

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def sqlite_lower(value: str) -> str:
    """SQLite's lower(): ASCII letters only."""
    return value.translate(_ASCII_LOWER)


def fts_ids(db_path: Path, query: str) -> set[int]:
    with sqlite3.connect(db_path) as connection:
        return {
            row[0]
            for row in connection.execute(
                f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?", (query,)
            )
        }


def expected_order(desk: CallDesk, db_path: Path, search: str) -> list[int]:
    """The documented order, from the rows: the two name groups (one or two ASCII
    words), other name or company matches, the rest; the last two newest first."""
    query = fts_query(search)
    if query is None:
        return []
    every_match = fts_ids(db_path, query)
    in_names = fts_ids(db_path, f"{{name company}}: ({query})")
    newest_first = sorted(in_names, reverse=True)
    rest = sorted(every_match - in_names, reverse=True)
    typed = search.split()
    if len(typed) > 2 or not all(word.isascii() and word.isalnum() for word in typed):
        return newest_first + rest
    words = [word.lower() for word in typed]
    rows = {record.id: record for record in desk.prospects()}

    def last(prospect_id: int) -> str:
        return sqlite_lower(rows[prospect_id].last_name)

    def first(prospect_id: int) -> str:
        return sqlite_lower(rows[prospect_id].first_name)

    def by_surname(prospect_id: int) -> tuple[str, str, int]:
        return (last(prospect_id), first(prospect_id), prospect_id)

    def by_first_name(prospect_id: int) -> tuple[str, str, int]:
        return (first(prospect_id), last(prospect_id), prospect_id)

    if len(words) == 1:
        (word,) = words
        group_1 = sorted((pid for pid in rows if last(pid).startswith(word)), key=by_surname)
        group_2 = sorted(
            (pid for pid in rows if first(pid).startswith(word) and pid not in group_1),
            key=by_first_name,
        )
    else:
        one, two = words
        group_1 = sorted(
            (pid for pid in rows if first(pid).startswith(one) and last(pid).startswith(two)),
            key=by_surname,
        )
        group_2 = sorted(
            (
                pid
                for pid in rows
                if last(pid).startswith(one) and first(pid).startswith(two) and pid not in group_1
            ),
            key=by_surname,
        )
    named = set(group_1) | set(group_2)
    return group_1 + group_2 + [pid for pid in newest_first if pid not in named] + rest


def refill(desk: CallDesk, added: list[dict[str, str]]) -> None:
    with desk._transaction() as session:
        session.execute(delete(Prospect))
        session.execute(text(f"DELETE FROM {SEARCH_TABLE}"))
    for person in added:
        desk.add_prospect(**person)


@pytest.mark.sqlite_only("its expected order is read from SQLite's FTS5 index")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(added=people, search=searches, page=st.integers(min_value=0, max_value=14))
def test_search_lists_every_match_once_in_order_and_a_page_is_its_start(
    desk, db_path, added, search, page
):
    refill(desk, added)
    found = desk.prospect_ids(search)
    query = fts_query(search)
    assert set(found) == (set() if query is None else fts_ids(db_path, query))
    assert len(found) == len(set(found))
    assert found == expected_order(desk, db_path, search)
    assert desk.prospect_ids(search, page) == found[:page]


def test_surname_then_first_name_then_company_then_notes(desk):
    noted = desk.add_prospect(first_name="Lee", notes="ask Mara about the move")
    company = desk.add_prospect(first_name="Ana", company="Mar Vista Dental")
    second = desk.add_prospect(first_name="Marisol", last_name="Zapata")
    first_zapata = desk.add_prospect(first_name="Marco", last_name="Zapata")
    first_young = desk.add_prospect(first_name="marco", last_name="Young")
    zoe_marsh = desk.add_prospect(first_name="Zoe", last_name="Marsh")
    adam_marsh = desk.add_prospect(first_name="Adam", last_name="MARSH")
    hyphenated = desk.add_prospect(first_name="Ines", last_name="Ortiz-Marquez")
    assert desk.prospect_ids("mar") == [
        adam_marsh.id,
        zoe_marsh.id,
        first_young.id,
        first_zapata.id,
        second.id,
        hyphenated.id,
        company.id,
        noted.id,
    ]


def test_first_name_and_surname_typed_in_either_order(desk):
    company = desk.add_prospect(first_name="Ana", company="Tomas Brenner Roofing")
    reversed_name = desk.add_prospect(first_name="Brett", last_name="Tomlin")
    reversed_later = desk.add_prospect(first_name="Bree", last_name="Tombs")
    tom_brennan = desk.add_prospect(first_name="Tom", last_name="Brennan")
    tomas_breen = desk.add_prospect(first_name="Tomas", last_name="Breen")
    assert desk.prospect_ids("tom bre") == [
        tomas_breen.id,
        tom_brennan.id,
        reversed_later.id,
        reversed_name.id,
        company.id,
    ]
