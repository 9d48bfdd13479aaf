"""The search on PostgreSQL answers as it does on SQLite: the same prospects, in the
same groups and order, from one search document per prospect kept by triggers.

The ordering tests of tests/core/test_search_order.py run here on PostgreSQL as
they are; the random people and searches of its property test are stored in a
SQLite desk and a PostgreSQL desk, and both must list the same prospects in the
same order.
"""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, inspect, text
from sqlalchemy.engine import make_url

from benchmarks.throwaway_postgres import create_database
from callassist.clock import Clock
from callassist.core import CallDesk
from callassist.db.engine import make_engine
from callassist.db.migrate import run_migrations
from callassist.db.models import Prospect
from callassist.db.search import POSTGRES_SEARCH_TABLE, SEARCH_TABLE
from callassist.vocabulary import Outcome
from tests.core.test_search_order import (  # noqa: F401  (collected here, on PostgreSQL)
    people,
    searches,
    test_first_name_and_surname_typed_in_either_order,
    test_surname_then_first_name_then_company_then_notes,
)


@pytest.fixture
def sqlite_twin(tmp_path: Path, clock: Clock):
    with CallDesk.open(
        tmp_path / "twin.sqlite",
        clock=clock,
        template_dir=tmp_path / "twin-scripts",
        backup_folder=tmp_path / "twin-backups",
    ) as twin:
        yield twin


def refill(desk: CallDesk, added: list[dict[str, str]]) -> list[int]:
    """Only ``added`` in the desk; their ids in the order given."""
    with desk._transaction() as session:
        session.execute(delete(Prospect))
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text(f"DELETE FROM {SEARCH_TABLE}"))
    return [desk.add_prospect(**person).id for person in added]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(added=people, search=searches, page=st.integers(min_value=0, max_value=14))
def test_postgresql_lists_what_sqlite_lists_in_the_same_order(
    desk, sqlite_twin, added, search, page
):
    on_postgres = refill(desk, added)
    on_sqlite = refill(sqlite_twin, added)

    def as_added(found: list[int], ids: list[int]) -> list[int]:
        return [ids.index(prospect_id) for prospect_id in found]

    expected = as_added(sqlite_twin.prospect_ids(search), on_sqlite)
    assert as_added(desk.prospect_ids(search), on_postgres) == expected
    assert as_added(desk.prospect_ids(search, page), on_postgres) == expected[:page]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Ortiz", ["ines"]),
        ("ortiz-mar", ["ines"]),  # one phrase: the words side by side
        ("marquez ortiz", ["ines"]),
        ("MÁRQUEZ", ["ines"]),  # accents and case folded, as FTS5 folds them
        ("márq", ["ines"]),
        ("o'brien", ["sean"]),
        ("O’Brien", ["sean"]),  # a curly apostrophe cuts the word like a straight one
        ("brien", ["sean"]),
        ("rien", []),  # the start of a word, not any part of it
        ("smile_works", ["ana", "lee"]),
        ("smile works", ["ana", "lee"]),
        ("100%", ["ana"]),
        ("%", []),
        ("_", []),
        ("%_%", []),
        ("50% off", []),
        ("at&t", ["sean"]),
    ],
)
def test_typed_words_find_what_fts5_finds(desk, sqlite_twin, typed, found):
    people = {
        "ines": {"first_name": "Inés", "last_name": "Ortiz-Márquez", "company": "Acme"},
        "sean": {"first_name": "Seán", "last_name": "O'Brien", "company": "AT&T"},
        "lee": {"first_name": "Lee", "last_name": "Park", "company": "Smile_Works"},
        "ana": {"first_name": "Ana", "last_name": "Ruiz", "company": "100% Smile Works"},
    }
    for twin in (desk, sqlite_twin):
        names = {twin.add_prospect(**person).id: name for name, person in people.items()}
        assert [names[prospect_id] for prospect_id in twin.prospect_ids(typed)] == found


def test_the_documents_follow_every_change_to_what_is_searched(desk, make_prospect, dana):
    lee = make_prospect(first_name="Lee", last_name="Park", email="lee@park.example", phone="")
    assert desk.prospect_ids("tucson") == []

    desk.update_research(lee.id, angle="opening a Tucson clinic")
    assert desk.prospect_ids("tucson") == [lee.id]
    desk.update_research(lee.id, angle="")
    assert desk.prospect_ids("tucson") == []

    call = desk.start_call(dana.id)
    desk.finish_attempt(call.id, Outcome.CONNECTED, notes="asked about the Tucson clinic")
    assert desk.prospect_ids("tucson") == [dana.id]

    desk.update_prospect(lee.id, last_name="Parkinson", notes="Tucson too")
    assert desk.prospect_ids("parkinson") == [lee.id]
    assert desk.prospect_ids("tucson") == [lee.id, dana.id]

    desk.delete_prospect(dana.id)
    assert desk.prospect_ids("tucson") == [lee.id]
    desk.restore_prospect(dana.id)
    assert desk.prospect_ids("tucson") == [lee.id, dana.id]


def test_a_change_made_outside_callassist_is_searched_too(desk, dana):
    # Another program, or a colleague's older callassist, writing the table itself.
    with desk._transaction() as session:
        session.execute(
            text("UPDATE prospects SET company = 'Saguaro Dental' WHERE id = :id"),
            {"id": dana.id},
        )
    assert desk.prospect_ids("saguaro") == [dana.id]
    assert desk.prospect_ids("mesa") == []


def test_every_prospect_of_an_import_has_its_document(desk, tmp_path: Path):
    source = tmp_path / "list.csv"
    rows = [f"P{n},Lastname{n},p{n}@example.com,Clinic {n}" for n in range(1, 1201)]
    source.write_text("First Name,Last Name,Email,Company\n" + "\n".join(rows) + "\n")

    assert desk.import_csv(source).created == 1200

    with desk._transaction() as session:
        documents = session.scalar(text(f"SELECT count(*) FROM {POSTGRES_SEARCH_TABLE}"))
    assert documents == 1200
    assert len(desk.prospect_ids("clinic")) == 1200
    assert desk.prospect_ids("lastname1199") == [
        prospect.id for prospect in desk.prospects() if prospect.last_name == "Lastname1199"
    ]


def test_the_search_reads_the_gin_index(desk, dana):
    with desk._transaction() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            session.scalars(
                text(
                    f"EXPLAIN SELECT prospect_id FROM {POSTGRES_SEARCH_TABLE} "
                    "WHERE words @@ prospect_search_query(ARRAY['mesa'], '')"
                )
            )
        )
    assert f"ix_{POSTGRES_SEARCH_TABLE}_words" in plan


def test_a_database_from_before_the_documents_gets_them_on_opening(
    postgres_socket_dir: Path, tmp_path: Path
):
    url = create_database(postgres_socket_dir, f"older_{tmp_path.name[-20:]}".lower())
    folders = {"template_dir": tmp_path, "backup_folder": tmp_path, "cadence_dir": tmp_path}
    with CallDesk.open(url, **folders) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", notes="Tucson")
    engine = make_engine(make_url(url))
    run_migrations(engine, "0008", downgrade=True)
    assert not inspect(engine).has_table(POSTGRES_SEARCH_TABLE)
    engine.dispose()

    with CallDesk.open(url, **folders) as desk:
        lee = desk.add_prospect(first_name="Lee", last_name="Park", notes="Tucson too")
        assert desk.prospect_ids("tucson") == [lee.id, dana.id]
        assert desk.check() == []


@pytest.mark.parametrize("typed", ["clinic", "rare", "firm", "p1", "lastname6", "tucson"])
def test_matches_older_than_the_newest_documents_come_in_order(
    desk, sqlite_twin, tmp_path: Path, typed
):
    # More prospects than the search walks newest first before it reads the GIN index.
    source = tmp_path / "list.csv"
    rows = [
        f"P{n},Lastname{n},p{n}@example.com,{'Clinic' if n % 7 == 0 else 'Firm'} {n},"
        + ("a rare find" if n in (3, 590, 1100) else "")
        for n in range(1, 1201)
    ]
    source.write_text("First Name,Last Name,Email,Company,Notes\n" + "\n".join(rows) + "\n")

    def found(twin: CallDesk, limit: int | None) -> list[str]:
        names = {prospect.id: prospect.last_name for prospect in twin.prospects()}
        return [names[prospect_id] for prospect_id in twin.prospect_ids(typed, limit)]

    for twin in (desk, sqlite_twin):
        assert twin.import_csv(source).created == 1200
    for limit in (None, 51):
        assert found(desk, limit) == found(sqlite_twin, limit)


def test_a_keystroke_asks_the_server_at_most_twice(desk, make_prospect):
    # A talk with the server costs more than most groups' reading: the name groups go
    # in one statement and, when they leave the page short, the others in a second.
    make_prospect(first_name="Eve", last_name="Nash", notes="evenings only")
    statements: list[str] = []
    event.listen(desk._engine, "before_cursor_execute", lambda *sent: statements.append(sent[2]))
    for typed, page, talks in [
        ("eve", 1, 1),
        ("nash eve", 1, 1),
        ("eve", 51, 2),
        ("even", 51, 2),
        ("evenings only", 51, 2),
        ("o'nash", 51, 2),
        ("évenings", 51, 1),  # no name group: not ASCII
        ("only evenings eve", 51, 1),  # no name group: three words
    ]:
        statements.clear()
        assert len(desk.prospect_ids(typed, page)) == 1
        assert len(statements) == talks, (typed, statements)
