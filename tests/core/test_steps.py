"""Which scripts Ctrl+K offers first: the prospect's real next step, from their cadence and history.

The message sequence never starts over: once a prospect has spoken with us, a
booked call or a conversation is the next step; once a cadence has ended
without a reply, there is nothing more to leave them.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from callassist.cadence import CadenceLibrary
from callassist.records import AttemptRecord
from callassist.steps import next_message_script, scripts_for_now
from callassist.vocabulary import Channel, Outcome

CHICAGO = ZoneInfo("America/Chicago")
OPENER = "opener_research"
TIME_CHECK = "time_check_question"


def chicago(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


def attempt(outcome: Outcome | None, day: int) -> AttemptRecord:
    return AttemptRecord(
        id=day,
        prospect_id=1,
        at=datetime(2026, 3, day, 15, tzinfo=UTC),
        ended_at=None,
        channel=Channel.EMAIL if outcome is Outcome.EMAIL_SENT else Channel.CALL,
        outcome=outcome,
        script_name=None,
        rendered_text=None,
        notes="",
    )


@pytest.fixture
def dana(make_prospect):
    return make_prospect(phone="(312) 555-0142")


def offered(desk, prospect, *, on_a_call=False):
    """What Ctrl+K puts first for ``prospect``, as the main window asks it."""
    return scripts_for_now(
        desk.prospect_detail(prospect.id).attempts,
        on_a_call=on_a_call,
        enrollment=desk.enrollment(prospect.id),
    )


def leave_three_voicemails_and_the_email(desk, moving, prospect):
    """Monday to Wednesday, a voicemail a day; the email on Wednesday too."""
    for day, outcome in (
        (2, Outcome.VOICEMAIL_LEFT),
        (3, Outcome.VOICEMAIL_LEFT),
        (4, Outcome.VOICEMAIL_LEFT),
        (4, Outcome.EMAIL_SENT),
    ):
        moving.at = chicago(day, 10 if outcome is Outcome.VOICEMAIL_LEFT else 11)
        desk.log_attempt(prospect.id, outcome)


def test_message_script_follows_three_voicemails_then_email():
    history: list[AttemptRecord] = []
    expected = [
        "voicemail_first",
        "voicemail_missed_again",
        "voicemail_third",
        "email_after_voicemails",
    ]
    bundled = CadenceLibrary(None).load()[0]
    for day, name in enumerate(expected, start=1):
        assert next_message_script(history, bundled) == name
        outcome = Outcome.EMAIL_SENT if name.startswith("email") else Outcome.VOICEMAIL_LEFT
        history.insert(0, attempt(outcome, day))
    assert next_message_script(history, bundled) == "voicemail_commitment_test"
    history.insert(0, attempt(Outcome.VOICEMAIL_LEFT, 5))
    assert next_message_script(history, bundled) == "voicemail_commitment_test"


def test_the_rep_reordering_their_three_voicemails_cadence_changes_what_is_offered(tmp_path):
    # Their own copy of the cadence: the email goes after the first voicemail, and
    # the third voicemail is dropped.
    (tmp_path / "three_voicemails.toml").write_text(
        'title = "Voicemail, email, voicemail"\n'
        '[[steps]]\naction = "call"\nleave_message = true\nscript = "voicemail_first"\n'
        '[[steps]]\naction = "email"\nscript = "email_after_voicemails"\n'
        '[[steps]]\naction = "call"\nwait = "24 hours"\nleave_message = true\n'
        'script = "voicemail_missed_again"\n',
        encoding="utf-8",
    )
    theirs = CadenceLibrary(tmp_path).load()[0]
    one_voicemail = [attempt(Outcome.VOICEMAIL_LEFT, 1)]
    assert scripts_for_now(one_voicemail, on_a_call=False) == ("voicemail_missed_again",)
    offered_now = scripts_for_now(one_voicemail, on_a_call=False, cadences=theirs)
    assert offered_now == ("email_after_voicemails",)
    emailed = [attempt(Outcome.EMAIL_SENT, 2), *one_voicemail]
    assert scripts_for_now(emailed, on_a_call=False, cadences=theirs) == ("voicemail_missed_again",)
    both_voicemails = [attempt(Outcome.VOICEMAIL_LEFT, 3), *emailed]
    after_theirs = scripts_for_now(both_voicemails, on_a_call=False, cadences=theirs)
    assert after_theirs == ("voicemail_commitment_test",)


def test_on_a_call_the_opener_or_time_check_comes_first():
    assert scripts_for_now([], on_a_call=True)[0] == OPENER
    assert scripts_for_now([attempt(Outcome.CONNECTED, 1)], on_a_call=True)[0] == TIME_CHECK
    assert scripts_for_now([], on_a_call=False) == ("voicemail_first",)


def test_a_running_cadence_names_the_message(desk, moving, dana):
    moving.at = chicago(2, 9)
    desk.enroll(dana.id, "three_voicemails")
    assert offered(desk, dana) == ("voicemail_first",)

    leave_three_voicemails_and_the_email(desk, moving, dana)
    # Only the move-on step is left: no voicemail, and never the first one again.
    assert desk.enrollment(dana.id).next_action == "move_on"
    assert offered(desk, dana) == ()


def test_a_persistence_step_without_a_message_offers_no_voicemail(desk, dana):
    desk.enroll(dana.id, "persistence")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_first")
    history = desk.prospect_detail(dana.id).attempts

    # Counting voicemails alone would suggest "missed you again"; the cadence says no message.
    assert scripts_for_now(history, on_a_call=False) == ("voicemail_missed_again",)
    assert offered(desk, dana) == ()
    assert offered(desk, dana, on_a_call=True) == (OPENER, TIME_CHECK)


def test_outside_a_cadence_the_messages_carry_on_where_they_stand(desk, moving, dana):
    moving.at = chicago(2, 9)
    desk.enroll(dana.id, "three_voicemails")
    moving.at = chicago(2, 10)
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
    desk.remove_from_cadence(dana.id)  # the history stays, and so does its count

    assert offered(desk, dana) == ("voicemail_missed_again",)


@pytest.mark.parametrize("in_a_cadence", [True, False], ids=["in a cadence", "no cadence"])
def test_after_a_conversation_the_next_step_is_the_conversation(desk, moving, dana, in_a_cadence):
    if in_a_cadence:
        moving.at = chicago(2, 9)
        desk.enroll(dana.id, "three_voicemails")
    leave_three_voicemails_and_the_email(desk, moving, dana)
    moving.at = chicago(5, 10)
    desk.log_attempt(dana.id, Outcome.CONNECTED)  # she picked up

    assert offered(desk, dana) == (TIME_CHECK,)
    assert offered(desk, dana, on_a_call=True) == (TIME_CHECK, OPENER)


def test_a_booked_meeting_is_the_next_step_even_when_it_rang_out(desk, moving, dana, tmp_path):
    # The rep's case: three voicemails, the email, then a call that booked a meeting.
    moving.at = chicago(2, 9)
    desk.enroll(dana.id, "three_voicemails")
    leave_three_voicemails_and_the_email(desk, moving, dana)
    moving.at = chicago(5, 10)
    call = desk.start_call(dana.id)
    desk.finish_attempt(call.id, Outcome.RESCHEDULED)
    desk.reschedule(
        dana.id,
        slot=chicago(6, 14),
        call_type="discovery",
        attempt_id=call.id,
        invites_folder=tmp_path,
    )
    assert desk.enrollment(dana.id).state == "replied"

    assert offered(desk, dana) == (TIME_CHECK,)

    # At the agreed time she does not pick up: the meeting is still what comes next.
    moving.at = chicago(6, 14)
    desk.log_attempt(dana.id, Outcome.NO_ANSWER)
    assert offered(desk, dana) == (TIME_CHECK,)
    assert "voicemail_first" not in offered(desk, dana, on_a_call=True)


def test_a_cadence_that_moved_on_leaves_nothing_more_to_say(desk, moving, dana):
    moving.at = chicago(2, 9)
    desk.enroll(dana.id, "three_voicemails")
    leave_three_voicemails_and_the_email(desk, moving, dana)
    moving.at = chicago(10, 17)  # three business days after the email: moved on
    assert desk.enrollment(dana.id).state == "moved_on"

    assert offered(desk, dana) == ()
    assert offered(desk, dana, on_a_call=True) == (OPENER, TIME_CHECK)

    # She calls back after all: the conversation she asked for comes next.
    moving.at = chicago(11, 9)
    desk.log_attempt(dana.id, Outcome.CONNECTED)
    assert offered(desk, dana) == (TIME_CHECK,)


def test_a_cadence_that_moved_on_after_an_old_conversation_still_says_nothing(desk, moving, dana):
    moving.at = chicago(2, 9)
    desk.log_attempt(dana.id, Outcome.CONNECTED)  # "call me in a week"
    moving.at = chicago(2, 9, 30)
    desk.enroll(dana.id, "three_voicemails")
    for day in (3, 4, 5):
        moving.at = chicago(day, 10)
        desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
    moving.at = chicago(5, 11)
    desk.log_attempt(dana.id, Outcome.EMAIL_SENT)
    moving.at = chicago(12, 17)
    assert desk.enrollment(dana.id).state == "moved_on"

    assert offered(desk, dana) == ()


@pytest.mark.parametrize(
    "ending", [Outcome.NOT_INTERESTED, Outcome.WRONG_PERSON, Outcome.BAD_NUMBER]
)
@pytest.mark.parametrize("in_a_cadence", [True, False], ids=["in a cadence", "no cadence"])
def test_a_stopped_prospect_gets_no_more_messages(desk, moving, dana, ending, in_a_cadence):
    if in_a_cadence:
        moving.at = chicago(2, 9)
        desk.enroll(dana.id, "three_voicemails")
    moving.at = chicago(2, 10)
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
    moving.at = chicago(3, 10)
    desk.log_attempt(dana.id, ending)
    if in_a_cadence:
        assert desk.enrollment(dana.id).state == "stopped"

    assert offered(desk, dana) == ()
