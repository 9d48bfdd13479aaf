"""A team's shared desk on PostgreSQL: the search as the rep types it (the start of
any word, as on SQLite), finding a caller by number, and the desk's everyday work, on
a real server."""

import warnings
from datetime import timedelta
from pathlib import Path

import pytest

from callassist.errors import InvalidInputError
from callassist.vocabulary import Outcome, PainKind, ProspectStatus


@pytest.fixture
def lee(make_prospect):
    return make_prospect(
        first_name="Lee",
        last_name="Park",
        title="Owner",
        company="Smile_Works",
        email="lee@smileworks.example",
        phone="(312) 555-0199",
        tags="",
    )


@pytest.fixture
def ana(make_prospect):
    return make_prospect(
        first_name="Ana",
        last_name="Ruiz",
        title="Office manager",
        company="100% Smile Works",
        email="ana@smiles.example",
        phone="(312) 555-0177",
        tags="",
    )


def test_the_desk_is_on_postgresql(desk):
    assert desk.url.get_backend_name() == "postgresql"


def test_the_start_of_a_name_finds_the_prospect_whatever_the_case(desk, dana, lee):
    assert desk.prospect_ids(search="whit") == [dana.id]
    assert desk.prospect_ids(search="WHIT") == [dana.id]
    assert desk.prospect_ids(search="pa") == [lee.id]


def test_the_start_of_any_word_finds_the_prospect(desk, dana, lee):
    assert desk.prospect_ids(search="dent") == [dana.id]  # Mesa Dental
    assert desk.prospect_ids(search="works") == [lee.id]  # Smile_Works
    assert desk.prospect_ids(search="field") == []  # inside Whitfield: not a word's start


def test_every_word_typed_must_match_somewhere(desk, dana, lee):
    assert desk.prospect_ids(search="dana mesa") == [dana.id]
    assert desk.prospect_ids(search="dana smile") == []


def test_research_and_call_notes_are_searched_too(desk, dana, lee):
    desk.update_research(lee.id, angle="their after-hours calls go to voicemail")
    call = desk.start_call(dana.id)
    desk.finish_attempt(call.id, Outcome.CONNECTED, notes="asked about the Tucson clinic")

    assert desk.prospect_ids(search="after-hours") == [lee.id]
    assert desk.prospect_ids(search="tucson") == [dana.id]


def test_surnames_come_first_and_the_list_can_stop_early(desk, dana, lee, ana):
    # Smile Works (Ana's company), then Smile_Works (Lee's): the newest first.
    everyone = desk.prospect_ids(search="s")
    assert everyone == [ana.id, lee.id]
    lee_smith = desk.add_prospect(first_name="Lee", last_name="Smith")
    assert desk.prospect_ids(search="s") == [lee_smith.id, ana.id, lee.id]
    assert desk.prospect_ids(search="s", limit=2) == [lee_smith.id, ana.id]


@pytest.mark.parametrize(
    ("typed", "who"),
    [("_", []), ("%", []), ("100%", ["ana"]), ("smile_works", ["ana", "lee"])],
)
def test_percent_and_underscore_are_no_wildcards(desk, dana, lee, ana, typed, who):
    # In SQL's LIKE they stand for any text and any one character: searching "_"
    # must not list every prospect. As on SQLite they part words, as a space does.
    found = {lee.id: "lee", ana.id: "ana", dana.id: "dana"}
    assert [found[prospect_id] for prospect_id in desk.prospect_ids(search=typed)] == who


def test_a_caller_is_found_by_their_number_however_it_is_written(desk, dana, lee):
    desk.update_prospect(lee.id, mobile="312 555 0101")

    for written in ("(505) 828-1788", "505.828.1788", "+1 505 828 1788", "15058281788"):
        assert [found.id for found in desk.lookup(written)] == [dana.id]
    assert [found.id for found in desk.lookup("+1 (312) 555-0101")] == [lee.id]
    assert desk.lookup("(505) 828-1789") == []


def test_a_second_prospect_with_the_same_number_is_refused(desk, dana, make_prospect):
    with pytest.raises(InvalidInputError, match="already has this phone number"):
        make_prospect(first_name="Dan", email="dan@mesa.example", phone="505-828-1788")
    assert desk.count_prospects() == 1


def test_a_call_its_pains_and_outcome_are_kept_with_their_times(desk, dana, clock):
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=10, call_type="discovery", immediate_need=False
    )
    desk.add_pain(dana.id, PainKind.PRESENT, "the front desk misses calls", attempt_id=call.id)
    desk.finish_attempt(call.id, Outcome.CONNECTED, notes="wants a demo")

    detail = desk.prospect_detail(dana.id)
    [attempt] = detail.attempts
    assert (attempt.outcome, attempt.notes) == (Outcome.CONNECTED, "wants a demo")
    assert (attempt.at, attempt.ended_at) == (clock(), clock())
    assert attempt.at.utcoffset() == timedelta(0)
    assert [pain.words for pain in detail.pains] == ["the front desk misses calls"]
    assert detail.time_checks[0].minutes_available == 10
    assert detail.prospect.status is ProspectStatus.ENGAGED


def test_an_import_gives_each_prospect_its_own_tags_and_research(desk, tmp_path: Path):
    source = tmp_path / "apollo.csv"
    rows = [f"P{n},L{n},p{n}@example.com,tag{n};team,Summary of company {n}" for n in range(300)]
    source.write_text(
        "First Name,Last Name,Email,Tags,Company Summary\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )

    assert desk.import_csv(source).created == 300

    imported = desk.prospects()
    assert len(imported) == 300
    for prospect in imported:
        n = int(prospect.first_name.removeprefix("P"))
        assert (prospect.email, prospect.tags) == (f"p{n}@example.com", (f"tag{n}", "team"))
        if n % 50 == 0:
            research = desk.prospect_detail(prospect.id).research
            assert research.company_summary == f"Summary of company {n}"


def test_a_deleted_prospect_comes_back_with_everything(desk, dana):
    call = desk.start_call(dana.id)
    desk.finish_attempt(call.id, Outcome.CONNECTED, notes="call back in May")
    before = desk.prospect_detail(dana.id)

    desk.delete_prospect(dana.id)
    assert desk.prospect_ids(search="whitfield") == []
    desk.restore_prospect(dana.id)

    assert desk.prospect_detail(dana.id) == before
    assert desk.prospect_ids(search="whitfield") == [dana.id]


def test_a_listing_read_only_in_part_closes_its_cursor_on_the_server(desk, dana, lee, ana):
    # A read cut short (a pipe closed, a worker's desk closed under it) must close its
    # server-side cursor itself: left to the garbage collector, psycopg warns in
    # whichever later moment the collector runs (a CI run failed on that).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with desk.listing() as listing:
            records = iter(listing)
            assert next(records).id == lee.id
            records.close()
            cells = listing.cells()
            assert next(cells)[1] == "Lee Park"
            cells.close()
    left_open = [warning for warning in caught if issubclass(warning.category, ResourceWarning)]
    assert [str(warning.message) for warning in left_open] == []
