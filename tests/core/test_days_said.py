"""The days a message names: the next call ("Monday" after a Friday) and the span since
the first voicemail ("last week"), worked out from the prospect's cadence on their calendar."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from callassist.localtime import clock_text
from callassist.templates import build_context
from callassist.vocabulary import Outcome

CHICAGO = "America/Chicago"


def chicago(day: int, hour: int) -> datetime:
    """A moment of March 2026 on the Chicago clock (the rep's and the prospect's)."""
    return datetime(2026, 3, day, hour, tzinfo=ZoneInfo(CHICAGO))


@pytest.fixture
def lee(desk):
    return desk.add_prospect(
        first_name="Lee", last_name="Park", phone="(312) 555-0199", timezone=CHICAGO
    )


def four_calls_into_persistence(desk, moving, lee) -> None:
    """Enrolled on Monday 2 March, a voicemail and three unanswered calls: the commitment
    message is the next step."""
    moving.at = chicago(2, 9)
    desk.enroll(lee.id, "persistence")
    desk.log_attempt(lee.id, Outcome.VOICEMAIL_LEFT, at=chicago(2, 10))
    for day in (4, 6, 9):
        desk.log_attempt(lee.id, Outcome.NO_ANSWER, at=chicago(day, 10))
    assert desk.enrollment(lee.id).next_script == "voicemail_commitment_test"


@pytest.mark.parametrize(
    ("left_on", "said"),
    [
        (chicago(13, 11), "Monday"),  # a Friday: the next call is after the weekend
        (chicago(10, 11), "tomorrow"),  # a Tuesday: the next call is Wednesday
    ],
)
def test_the_commitment_voicemail_names_the_day_of_the_next_call(desk, moving, lee, left_on, said):
    four_calls_into_persistence(desk, moving, lee)
    moving.at = left_on
    text = desk.render_script("voicemail_commitment_test", lee.id).text
    assert f"So I'll try you again {said}." in text
    assert text.endswith(f"Talk to you {said}.")


def test_the_day_said_is_the_day_the_cadence_puts_the_call_on(desk, moving, lee):
    four_calls_into_persistence(desk, moving, lee)
    moving.at = chicago(13, 11)
    text = desk.render_script("voicemail_commitment_test", lee.id).text
    desk.log_attempt(lee.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_commitment_test")
    due = desk.enrollment(lee.id).next_due_at
    assert due.astimezone(ZoneInfo(CHICAGO)).date() == date(2026, 3, 16)
    assert "again Monday." in text


def test_outside_a_cadence_a_friday_message_promises_monday(desk, moving, lee):
    moving.at = chicago(13, 16)
    text = desk.render_script("voicemail_commitment_test", lee.id).text
    assert "So I'll try you again Monday." in text


def test_the_email_on_monday_says_the_voicemails_were_last_week(desk, moving, lee):
    moving.at = chicago(4, 9)  # Wednesday
    desk.enroll(lee.id, "three_voicemails")
    for day in (4, 5, 6):
        desk.log_attempt(lee.id, Outcome.VOICEMAIL_LEFT, at=chicago(day, 10))
    moving.at = chicago(9, 9)  # the Monday after
    email = desk.render_script("email_after_voicemails", lee.id)
    said = "I left you a few voicemails last week, so I thought I'd put the message in writing."
    assert said in email.text
    assert said in email.html


def test_the_email_the_same_week_says_earlier_this_week(desk, moving, lee):
    moving.at = chicago(2, 9)  # Monday
    desk.enroll(lee.id, "three_voicemails")
    for day in (2, 3, 4):
        desk.log_attempt(lee.id, Outcome.VOICEMAIL_LEFT, at=chicago(day, 10))
    moving.at = chicago(5, 9)  # Thursday
    text = desk.render_script("email_after_voicemails", lee.id).text
    assert "I left you a few voicemails earlier this week," in text


def test_the_email_before_any_voicemail_claims_none(desk, lee):
    text = desk.render_script("email_after_voicemails", lee.id).text
    assert "I've tried to reach you by phone, so I thought" in text
    assert "voicemails" not in text


@pytest.mark.parametrize(
    ("next_call", "said"),
    [
        (date(2026, 3, 10), "later today"),
        (date(2026, 3, 11), "tomorrow"),
        (date(2026, 3, 16), "Monday"),
        (date(2026, 3, 17), "Tuesday, March 17"),  # a bare "Tuesday" would mean today's week
    ],
)
def test_a_next_call_day_is_worded_against_today(desk, next_call, said):
    context = build_context(
        profile=desk.profile(), today=date(2026, 3, 10), next_call_day=next_call
    )
    assert context["next_call"].day == said


@pytest.mark.parametrize(
    ("first", "said"),
    [
        (date(2026, 3, 10), "today"),
        (date(2026, 3, 9), "earlier this week"),  # Monday of the same week
        (date(2026, 3, 8), "last week"),  # the Sunday before
        (date(2026, 3, 2), "last week"),
        (date(2026, 3, 1), "over the last few weeks"),
    ],
)
def test_the_first_voicemail_is_worded_in_calendar_weeks(desk, first, said):
    context = build_context(
        profile=desk.profile(), today=date(2026, 3, 10), first_voicemail_day=first
    )
    assert context["voicemails"].when == said


def test_a_time_of_day_reads_as_the_clock_says_it_every_minute_of_the_day():
    said = {clock_text(time(hour, minute)) for hour in range(24) for minute in range(60)}
    assert len(said) == 24 * 60
    assert clock_text(time(0, 0)) == "12:00 AM"
    assert clock_text(time(0, 59)) == "12:59 AM"
    assert clock_text(time(9, 5)) == "9:05 AM"
    assert clock_text(time(11, 59)) == "11:59 AM"
    assert clock_text(time(12, 0)) == "12:00 PM"
    assert clock_text(time(13, 7)) == "1:07 PM"
    assert clock_text(datetime(2026, 3, 10, 23, 30, tzinfo=UTC)) == "11:30 PM"
