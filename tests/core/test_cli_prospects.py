"""One prospect from the command line, as the window edits them: add, edit, show, delete.

The checks are on meaning (JSON fields, the line that matters), not on whole texts.
"""

import pytest
from cli_runs import Run
from raw_sql import contents

from callassist.cli.prospects import PROSPECT_JSON_KEYS
from callassist.core import CallDesk
from callassist.vocabulary import Outcome

DANA = (
    "--first-name", "Dana", "--last-name", "Whitfield", "--title", "VP Operations",
    "--company", "Acme Freight", "--phone", "505 828 1788 ext. 12",
    "--mobile", "505 555 0199", "--email", "dana@acme.example", "--tags", "freight, q2",
    "--notes", "Met at the Denver expo",
)  # fmt: skip


def add_dana(cli) -> dict:
    added = cli("prospect", "add", *DANA, "--format", "json")
    assert (added.status, added.err) == (0, "")
    return added.json()


@pytest.fixture
def refused(cli, db_location):
    """Runs a command that must be refused: status 1, one line on stderr with ``words``,
    nothing on stdout, and every row of the database as it was."""

    def run(words: str, *argv: str) -> Run:
        before = contents(db_location)
        result = cli(*argv)
        assert (result.status, result.out) == (1, ""), result.err
        assert words in result.problem()
        assert contents(db_location) == before
        return result

    return run


def test_add_prints_the_new_record_with_its_id_and_every_number(cli, rep):
    dana = add_dana(cli)
    assert list(dana) == list(PROSPECT_JSON_KEYS)
    assert isinstance(dana["id"], int)
    assert (dana["first_name"], dana["company"]) == ("Dana", "Acme Freight")
    # The zone comes from the direct line's area, as in the window.
    assert dana["timezone"] == "America/Denver"
    assert dana["phone"] == "+15058281788"
    assert dana["dial"] == "direct"
    assert [(line["kind"], line["number"], line["extension"]) for line in dana["phones"]] == [
        ("direct", "+15058281788", "12"),
        ("mobile", "+15055550199", None),
    ]


def test_add_in_text_names_the_prospect_and_their_id(cli, rep):
    added = cli("prospect", "add", "--first-name", "Lee", "--last-name", "Park")
    assert added.status == 0, added.err
    [line] = added.out.splitlines()
    [lee] = cli("prospects", "--format", "json").json()
    assert "Lee Park" in line
    assert f"#{lee['id']}" in line


def test_add_show_edit_delete_undelete_round_trip(cli, rep):
    dana = add_dana(cli)
    number = str(dana["id"])
    shown = cli("prospect", "show", number, "--format", "json").json()
    assert shown["title"] == "VP Operations"
    assert shown["tags"] == ["freight", "q2"]
    assert shown["notes"] == "Met at the Denver expo"
    assert (shown["history"], shown["pains"], shown["cadence"]) == ([], [], None)

    edited = cli(
        "prospect", "edit", number, "--title", "COO", "--office", "505 555 0100",
        "--dial", "office", "--format", "json",
    )  # fmt: skip
    assert edited.status == 0, edited.err
    assert edited.json()["phone"] == "+15055550100"
    shown = cli("prospect", "show", number, "--format", "json").json()
    assert shown["title"] == "COO"
    assert shown["dial"] == "office"
    assert [line["kind"] for line in shown["phones"]] == ["direct", "mobile", "office"]
    # What was not named stays as it was.
    assert (shown["email"], shown["notes"], shown["tags"]) == (
        "dana@acme.example",
        "Met at the Denver expo",
        ["freight", "q2"],
    )
    text = cli("prospect", "show", number).out.splitlines()
    assert text[0] == f"#{number} Dana Whitfield"
    assert any(line.startswith("Office:") and "(to dial)" in line for line in text)
    assert "Cadence:   in none" in text

    deleted = cli("prospect", "delete", number)
    assert deleted.status == 0, deleted.err
    assert f"callassist undelete {number}" in deleted.out
    assert cli("prospects", "--format", "json").json() == []
    assert cli("prospect", "show", number).status == 1
    assert cli("undelete", number).status == 0
    assert cli("prospect", "show", number, "--format", "json").json()["title"] == "COO"


def test_an_option_given_empty_clears_that_field(cli, rep):
    number = str(add_dana(cli)["id"])
    cleared = cli("prospect", "edit", number, "--mobile", "", "--tags", "")
    assert cleared.status == 0, cleared.err
    said_cleared = cleared.out.partition("cleared")[2]
    assert "mobile" in said_cleared
    assert "tags" in said_cleared
    shown = cli("prospect", "show", number, "--format", "json").json()
    assert [line["kind"] for line in shown["phones"]] == ["direct"]
    assert shown["tags"] == []
    assert shown["title"] == "VP Operations"


def test_show_has_history_in_the_reps_zone_and_cadence(cli, rep, db_location, clock):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        call = desk.start_call(dana["id"])
    assert cli("enroll", str(dana["id"]), "three_voicemails").status == 0
    shown = cli("prospect", "show", str(dana["id"]), "--format", "json").json()
    [attempt] = shown["history"]
    assert attempt["attempt_id"] == call.id
    assert attempt["outcome"] is None
    assert attempt["at"] == "2026-03-10T10:00:00-05:00"  # 15:00 UTC in Chicago, in DST
    assert shown["cadence"]["cadence"] == "three_voicemails"
    assert shown["cadence"]["state"] == "active"
    text = cli("prospect", "show", str(dana["id"])).out
    assert f"callassist outcome {call.id} OUTCOME" in text
    assert "2026-03-10 10:00 CDT" in text


def test_show_lists_a_booked_call_by_the_number_the_booking_commands_take(cli, rep):
    number = str(add_dana(cli)["id"])
    booked = cli("book", number, "--at", "2026-03-12T14:00")
    assert booked.status == 0, booked.err
    [booking] = cli("prospect", "show", number, "--format", "json").json()["follow_ups"]
    assert (booking["kind"], booking["call_type"], booking["minutes"]) == (
        "meeting",
        "discovery",
        20,
    )
    assert booking["due_at"] == "2026-03-12T14:00:00-05:00"
    assert f"discovery call #{booking['follow_up_id']} with" in booked.out
    [line] = [line for line in cli("prospect", "show", number).out.splitlines() if "Booked" in line]
    assert f"discovery call #{booking['follow_up_id']}, Thu 2026-03-12 14:00 CDT" in line
    assert cli("cancel-booking", str(booking["follow_up_id"])).status == 0
    assert cli("prospect", "show", number, "--format", "json").json()["follow_ups"] == []


BAD_EDITS = [
    (("--phone", "12"), "phone"),
    (("--email", "dana at acme"), "email"),
    (("--dial", "fax"), "dial"),
    (("--timezone", "Mars/Olympus"), "time zone"),
    (("--first-name", "", "--last-name", ""), "name"),
]


@pytest.mark.parametrize(("argv", "words"), BAD_EDITS)
def test_a_bad_edit_is_one_line_and_changes_nothing(cli, rep, refused, argv, words):
    number = str(add_dana(cli)["id"])
    refused(words, "prospect", "edit", number, "--title", "CEO", *argv)
    assert cli("prospect", "show", number, "--format", "json").json()["title"] == "VP Operations"


@pytest.mark.parametrize(("argv", "words"), BAD_EDITS[:4])
def test_a_bad_add_is_one_line_and_adds_nobody(cli, rep, refused, argv, words):
    refused(words, "prospect", "add", "--first-name", "Lee", *argv)
    assert cli("prospects", "--format", "json").json() == []


def test_a_known_number_or_email_is_refused_naming_who_has_it(cli, rep, refused):
    add_dana(cli)
    refused("Dana Whitfield", "prospect", "add", "--first-name", "Lee", "--phone", "505-555-0199")
    lee = cli("prospect", "add", "--first-name", "Lee", "--format", "json").json()
    refused("Dana Whitfield", "prospect", "edit", str(lee["id"]), "--email", "DANA@acme.example")


@pytest.mark.parametrize("action", ["show", "delete", "edit"])
def test_an_unknown_or_mistyped_id_is_one_line(cli, rep, refused, action):
    add_dana(cli)
    extra = ("--title", "CEO") if action == "edit" else ()
    unknown = refused("#999", "prospect", action, "999", *extra)
    assert unknown.problem() == "no prospect #999"
    mistyped = refused("ID 'dana'", "prospect", action, "dana", *extra)
    assert mistyped.problem() == "ID 'dana': use a whole number"


def test_edit_with_nothing_to_change_says_how(cli, rep, refused):
    number = str(add_dana(cli)["id"])
    refused("--mobile", "prospect", "edit", number)


# -- pains ------------------------------------------------------------------------


def test_pain_add_shows_in_the_card_and_in_the_windows_data(cli, rep, db_location, clock):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        call = desk.start_call(dana["id"])
    noted = cli(
        "pain", "add", str(dana["id"]), "--kind", "Present", "--words",
        "  Calls after six go to voicemail ", "--asked", "--attempt", str(call.id),
        "--format", "json",
    )  # fmt: skip
    assert noted.status == 0, noted.err
    pain = noted.json()
    assert (pain["kind"], pain["words"]) == ("present", "Calls after six go to voicemail")
    assert (pain["asked"], pain["acknowledged"], pain["attempt_id"]) == (True, False, call.id)
    assert cli("prospect", "show", str(dana["id"]), "--format", "json").json()["pains"] == [pain]
    with CallDesk.open(db_location, clock=clock) as desk:
        [stored] = desk.prospect_detail(dana["id"]).pains
        assert (stored.id, stored.asked, stored.acknowledged) == (pain["pain_id"], True, False)
        assert desk.review().pains.asked == 1
    said = cli(
        "pain", "add", str(dana["id"]), "--kind", "peers", "--words", "Rivals answer 24/7",
        "--acknowledged",
    )  # fmt: skip
    assert said.status == 0, said.err
    assert "Dana Whitfield" in said.out
    assert 'peers: "Rivals answer 24/7" (acknowledged)' in said.out
    card = cli("prospect", "show", str(dana["id"])).out.splitlines()
    assert '  present: "Calls after six go to voicemail" (asked)' in card


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--kind", "someday", "--words", "x"), "--kind 'someday' is not a kind of pain"),
        (("--kind", "past", "--words", "  "), "--words"),
        (("--kind", "past", "--words", "x", "--attempt", "999"), "no attempt #999"),
    ],
)
def test_a_bad_pain_is_one_line_and_notes_nothing(cli, rep, refused, argv, words):
    dana = add_dana(cli)
    refused(words, "pain", "add", str(dana["id"]), *argv)
    assert cli("prospect", "show", str(dana["id"]), "--format", "json").json()["pains"] == []


def test_a_pain_for_an_unknown_prospect_or_anothers_call_is_refused(
    cli, rep, refused, db_location, clock
):
    dana = add_dana(cli)
    lee = cli("prospect", "add", "--first-name", "Lee", "--format", "json").json()
    with CallDesk.open(db_location, clock=clock) as desk:
        call_with_lee = desk.start_call(lee["id"])
    unknown = refused("#999", "pain", "add", "999", "--kind", "past", "--words", "x")
    assert unknown.problem() == "no prospect #999"
    refused(
        f"attempt #{call_with_lee.id}", "pain", "add", str(dana["id"]), "--kind", "past",
        "--words", "x", "--attempt", str(call_with_lee.id),
    )  # fmt: skip
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.prospect_detail(dana["id"]).pains == ()


# -- the outcome of a call left without one ------------------------------------------


def test_outcome_fills_a_missing_one_and_the_review_no_longer_lists_it(
    cli, rep, db_location, clock
):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        call = desk.start_call(dana["id"])
    missing = cli("review", "--format", "json").json()["missing_outcomes"]
    assert [item["attempt_id"] for item in missing] == [call.id]
    assert "callassist outcome ATTEMPT_ID OUTCOME" in cli("review").out
    logged = cli("outcome", str(call.id), "No_Answer", "--format", "json")
    assert logged.status == 0, logged.err
    attempt = logged.json()
    assert (attempt["attempt_id"], attempt["outcome"]) == (call.id, "no_answer")
    assert cli("review", "--format", "json").json()["missing_outcomes"] == []
    with CallDesk.open(db_location, clock=clock) as desk:
        [stored] = desk.prospect_detail(dana["id"]).attempts
        assert stored.outcome is Outcome.NO_ANSWER
        # As from the review's window: when the call ended is not known.
        assert stored.ended_at is None
    history = cli("prospect", "show", str(dana["id"]), "--format", "json").json()["history"]
    assert [item["outcome"] for item in history] == ["no_answer"]


def test_outcome_in_text_names_the_call(cli, rep, db_location, clock):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        call = desk.start_call(dana["id"])
    logged = cli("outcome", str(call.id), "connected")
    assert logged.status == 0, logged.err
    [line] = logged.out.splitlines()
    assert "connected" in line
    assert "Dana Whitfield" in line
    assert f"attempt id {call.id}" in line


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        ("voicemail_left", "already has its outcome, no_answer"),
        ("answered", "OUTCOME 'answered' is not an outcome"),
    ],
)
def test_outcome_refuses_an_attempt_that_has_one_and_keeps_it(
    cli, rep, refused, db_location, clock, outcome, words
):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        logged = desk.log_attempt(dana["id"], Outcome.NO_ANSWER)
    refused(words, "outcome", str(logged.id), outcome)
    with CallDesk.open(db_location, clock=clock) as desk:
        [kept] = desk.prospect_detail(dana["id"]).attempts
        assert kept.outcome is Outcome.NO_ANSWER


def test_outcome_refuses_an_unknown_attempt_or_one_of_another_channel(
    cli, rep, refused, db_location, clock
):
    dana = add_dana(cli)
    with CallDesk.open(db_location, clock=clock) as desk:
        call = desk.start_call(dana["id"])
    unknown = refused("#999", "outcome", "999", "connected")
    assert unknown.problem() == "no attempt #999"
    mistyped = refused("ATTEMPT_ID 'last'", "outcome", "last", "connected")
    assert mistyped.problem() == "ATTEMPT_ID 'last': use a whole number"
    refused("it was by call", "outcome", str(call.id), "email_sent")
    still_missing = cli("review", "--format", "json").json()["missing_outcomes"]
    assert [item["attempt_id"] for item in still_missing] == [call.id]
