"""Prospects through the facade, on a real SQLite file."""

from datetime import UTC, datetime, timedelta

import pytest

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.errors import InvalidInputError, NotFoundError
from callassist.vocabulary import Outcome, PainKind, ProspectStatus


def add_dana(desk: CallDesk, **extra: str):
    fields = {
        "first_name": "Dana",
        "last_name": "Whitfield",
        "title": "Practice Manager",
        "company": "Mesa Dental Group",
        "email": "Dana@MesaDental.example",
        "phone": "(505) 828-1788",
        "tags": "dental, Clinic",
    } | extra
    return desk.add_prospect(**fields)


def test_added_prospect_is_stored_clean(desk):
    dana = add_dana(desk)
    assert dana.phone == "+15058281788"
    assert dana.phone_display == "(505) 828-1788"
    assert dana.email == "dana@mesadental.example"
    assert dana.timezone == "America/Denver"  # from the 505 area code
    assert dana.tags == ("clinic", "dental")
    assert dana.status is ProspectStatus.NEW
    assert desk.prospect(dana.id) == dana


def test_bad_input_is_named_and_nothing_is_stored(desk):
    with pytest.raises(InvalidInputError, match="email"):
        add_dana(desk, email="dana at mesa")
    with pytest.raises(InvalidInputError, match="phone"):
        add_dana(desk, phone="828")
    with pytest.raises(InvalidInputError, match="name"):
        desk.add_prospect(company="Nameless Inc")
    with pytest.raises(InvalidInputError, match="time zone"):
        add_dana(desk, timezone="Mountain Standard Moon")
    assert desk.count_prospects() == 0


def test_same_phone_in_another_format_is_a_duplicate(desk):
    add_dana(desk)
    with pytest.raises(InvalidInputError, match="Dana Whitfield"):
        desk.add_prospect(first_name="D.", last_name="W", phone="+1 505-828-1788")
    assert desk.count_prospects() == 1


def test_edit_changes_only_what_was_typed(desk):
    dana = add_dana(desk)
    edited = desk.update_prospect(dana.id, title="Office Director")
    assert edited.title == "Office Director"
    assert edited.company == dana.company
    assert edited.phone == dana.phone
    assert edited.timezone == "America/Denver"


def test_bad_edit_leaves_the_prospect_as_it_was(desk):
    dana = add_dana(desk)
    with pytest.raises(InvalidInputError):
        desk.update_prospect(dana.id, email="not-an-email", title="Changed")
    assert desk.prospect(dana.id).title == "Practice Manager"


def test_edit_to_another_prospects_email_is_refused(desk):
    add_dana(desk)
    other = desk.add_prospect(first_name="Lee", email="lee@example.com")
    with pytest.raises(InvalidInputError, match="already has"):
        desk.update_prospect(other.id, email="dana@mesadental.example")


def test_delete_removes_history_and_search_entry(desk):
    dana = add_dana(desk)
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, notes="rang out")
    desk.add_pain(dana.id, PainKind.PRESENT, "missed calls")
    desk.delete_prospect(dana.id)
    assert desk.prospects() == []
    assert desk.prospects(search="Mesa") == []
    with pytest.raises(NotFoundError):
        desk.prospect_detail(dana.id)
    assert desk.check() == []


@pytest.mark.parametrize(
    "words",
    ["whitfield", "Mesa", "dent", "implants", "front desk", "voicemail after hours"],
)
def test_search_finds_name_company_research_and_notes(desk, words):
    dana = add_dana(desk, notes="Front desk overwhelmed on Mondays")
    desk.add_prospect(first_name="Lee", last_name="Park", company="Harbor Legal")
    desk.update_research(dana.id, company_summary="Four clinics, strong in implants")
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, notes="their voicemail after hours is full")
    assert [p.id for p in desk.prospects(search=words)] == [dana.id]


def test_search_text_that_looks_like_syntax_is_just_words(desk):
    add_dana(desk, company='O\'Brien & "Sons" (AND) OR *')
    assert [p.company for p in desk.prospects(search='O\'Brien "Sons" AND * OR (')] == [
        'O\'Brien & "Sons" (AND) OR *'
    ]
    assert desk.prospects(search="***") == []


@pytest.mark.parametrize("typed", ["(505) 828-1788", "+1 505-828-1788", "5058281788"])
def test_lookup_finds_a_caller_by_any_format(desk, typed):
    dana = add_dana(desk)
    desk.add_prospect(first_name="Lee", phone="(312) 555-0199")
    assert [p.id for p in desk.lookup(typed)] == [dana.id]


def test_a_caller_found_by_number_comes_with_their_tags_and_each_once(desk, make_prospect):
    # Two people behind one switchboard: one tagged twice, the other not at all.
    jane = make_prospect(phone="(505) 555-0199", email="jane@mesa.example", tags="vip, dental")
    john = make_prospect(
        first_name="John", phone="(505) 555-0102", office="(505) 555-0199", email="", tags=""
    )
    found = desk.lookup("505 555 0199")
    assert [(record.id, record.tags) for record in found] == [
        (jane.id, ("dental", "vip")),
        (john.id, ()),
    ]


def test_a_caller_is_shown_as_dialed_from_the_phone_the_rep_gave_in_another_window(
    desk, db_location, clock, tmp_path
):
    dana = add_dana(desk)
    assert [p.phone_display for p in desk.lookup("(505) 828-1788")] == ["(505) 828-1788"]
    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path / "b") as other:
        other.update_profile(phone="+44 20 7946 0999")  # the rep moved to London
    desk.hear_others(Changes(profile=True))  # as the window's watcher tells it
    (found,) = desk.lookup("(505) 828-1788")
    assert (found.id, found.phone_display) == (dana.id, "+1 505 828 1788")


def test_lookup_of_text_searches(desk):
    dana = add_dana(desk)
    assert [p.id for p in desk.lookup("Mesa Dental")] == [dana.id]
    assert desk.lookup("(999) 111-2222") == []


def test_research_edit_stamps_when_it_was_done(desk, clock):
    dana = add_dana(desk)
    detail = desk.prospect_detail(dana.id)
    assert not detail.research.has_homework
    assert detail.research.researched_at is None
    research = desk.update_research(
        dana.id,
        angle="Their after-hours calls go unanswered",
        source_links=["https://mesa.example/about", " ", "https://linkedin.example/dana"],
    )
    assert research.has_homework
    assert research.researched_at == clock()
    assert research.source_links == ("https://mesa.example/about", "https://linkedin.example/dana")


def test_outcome_moves_the_prospect_status_but_not_backwards_in_time(desk, clock):
    dana = add_dana(desk)
    desk.log_attempt(dana.id, Outcome.CONNECTED)
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=clock() - timedelta(days=3))
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    assert desk.prospect(dana.id).status is ProspectStatus.NOT_INTERESTED


def test_the_rep_sets_a_status_by_hand_and_a_no_answer_then_keeps_it(desk, clock):
    dana = add_dana(desk)
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    seen = []
    desk.subscribe(seen.append)
    back = desk.set_status(dana.id, ProspectStatus.WORKING)
    assert back.status is ProspectStatus.WORKING
    assert desk.prospect(dana.id).status is ProspectStatus.WORKING
    [changes] = seen
    assert changes.prospects
    assert changes.prospect_ids == {dana.id}
    # From here outcomes move it forward again as usual.
    desk.log_attempt(dana.id, Outcome.CONNECTED)
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED


def test_setting_a_status_on_someone_not_there_changes_nothing(desk):
    dana = add_dana(desk)
    with pytest.raises(NotFoundError, match="#999"):
        desk.set_status(999, ProspectStatus.WORKING)
    assert desk.prospect(dana.id).status is ProspectStatus.NEW


def test_card_shows_the_last_message_left(desk, clock):
    dana = add_dana(desk)
    desk.log_attempt(
        dana.id,
        Outcome.VOICEMAIL_LEFT,
        at=clock() - timedelta(days=2),
        script_name="voicemail_first",
        rendered_text="Hi Dana, Sam from Northwind...",
    )
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=clock() - timedelta(days=1))
    detail = desk.prospect_detail(dana.id)
    assert [a.outcome for a in detail.attempts] == [Outcome.NO_ANSWER, Outcome.VOICEMAIL_LEFT]
    assert detail.last_message is not None
    assert detail.last_message.rendered_text == "Hi Dana, Sam from Northwind..."


def test_attempt_times_must_carry_a_zone(desk):
    dana = add_dana(desk)
    with pytest.raises(InvalidInputError, match="time zone"):
        desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=datetime(2026, 3, 9, 10, 0))
    assert desk.prospect_detail(dana.id).attempts == ()


def test_unknown_prospect_is_a_clear_error(desk):
    with pytest.raises(NotFoundError, match="#999"):
        desk.log_attempt(999, Outcome.NO_ANSWER)


def test_list_is_sorted_by_last_name(desk):
    desk.add_prospect(first_name="Zoe", last_name="adams")
    desk.add_prospect(first_name="Al", last_name="Young")
    desk.add_prospect(first_name="Bo", last_name="Baker")
    assert [p.last_name for p in desk.prospects()] == ["adams", "Baker", "Young"]
    assert len(desk.prospects(limit=2)) == 2


def test_listeners_hear_what_changed(desk):
    heard = []
    desk.subscribe(heard.append)
    dana = add_dana(desk)
    desk.update_research(dana.id, angle="x")
    assert heard[0].prospects
    assert heard[0].prospect_ids == {dana.id}
    assert heard[1].research
    assert not heard[1].prospects


def test_failed_change_is_not_announced(desk):
    heard = []
    desk.subscribe(heard.append)
    with pytest.raises(InvalidInputError):
        desk.add_prospect(company="no name")
    assert heard == []


def test_time_stored_is_the_time_given(desk):
    dana = add_dana(desk)
    at = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    attempt = desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=at)
    assert attempt.at == at
    assert desk.prospect_detail(dana.id).attempts[0].at == at


@pytest.mark.parametrize("limit", [None, 2])
def test_name_and_company_matches_come_before_note_matches(desk, limit):
    noted = desk.add_prospect(first_name="Lee", notes="referred by Harbor Legal")
    named = desk.add_prospect(first_name="Ana", company="Harbor Legal")
    found = [p.id for p in desk.prospects(search="harbor", limit=limit)]
    assert found == [named.id, noted.id]


def add_abroad(desk: CallDesk) -> dict[str, int]:
    """Prospects in London, Sydney and Berlin, stored as typed from abroad."""
    return {
        country: desk.add_prospect(first_name=name, phone=phone).id
        for country, name, phone in [
            ("GB", "Priya", "+44 20 7946 0123"),
            ("AU", "Kieran", "+61 2 5550 4127"),
            ("DE", "Jonas", "+49 30 23125000"),
        ]
    }


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("GB", "020 7946 0123"),
        ("GB", "0044 20 7946 0123"),
        ("GB", "+44 20 7946 0123"),
        ("AU", "(02) 5550 4127"),
        ("AU", "0061 2 5550 4127"),
        ("AU", "+61 2 5550 4127"),
        ("DE", "030 23125000"),
        ("DE", "0049 30 23125000"),
        ("DE", "+49 30 23125000"),
    ],
)
def test_lookup_finds_a_prospect_abroad_as_their_country_writes_the_number(desk, country, typed):
    dana = add_dana(desk)
    abroad = add_abroad(desk)
    assert [p.id for p in desk.lookup(typed)] == [abroad[country]]
    assert [p.id for p in desk.lookup("(505) 828-1788")] == [dana.id]


def test_national_format_of_a_country_with_no_prospects_finds_nobody(desk):
    add_dana(desk)
    add_abroad(desk)
    # A real Paris number: no prospect is in France, so it is not read as French.
    assert desk.lookup("01 42 68 53 00") == []
    assert desk.lookup("+33 1 42 68 53 00") == []


def test_numbers_are_shown_as_the_rep_dials_them(desk):
    dana = add_dana(desk)
    abroad = add_abroad(desk)
    shown = {p.id: p.phone_display for p in desk.prospects()}
    assert shown[dana.id] == "(505) 828-1788"
    assert shown[abroad["GB"]] == "+44 20 7946 0123"
    assert shown[abroad["AU"]] == "+61 2 5550 4127"
    assert shown[abroad["DE"]] == "+49 30 23125000"
    assert [p.phone_display for p in desk.lookup("(505) 828-1788")] == ["(505) 828-1788"]

    desk.update_profile(phone="+44 20 7946 0999")  # the rep moves to London
    shown = {p.id: p.phone_display for p in desk.prospects()}
    assert shown[abroad["GB"]] == "020 7946 0123"
    assert shown[dana.id] == "+1 505 828 1788"
    # A caller is shown the same way, and a London number typed as at home is found.
    assert [p.phone_display for p in desk.lookup("+1 505-828-1788")] == ["+1 505 828 1788"]
    assert [p.id for p in desk.lookup("020 7946 0123")] == [abroad["GB"]]
