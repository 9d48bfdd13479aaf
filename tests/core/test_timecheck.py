from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callassist.errors import InvalidInputError
from callassist.timecheck import TimerState, decide, slot_concerns, timer_state
from callassist.vocabulary import Decision


def test_enough_time_means_go_ahead_with_nothing_to_book():
    advice = decide(minutes_available=30, minutes_needed=20, immediate_need=False)
    assert advice.decision is Decision.PROCEED
    assert advice.proposed_slot_minutes is None


def test_exactly_enough_time_is_enough():
    assert decide(20, 20, False).decision is Decision.PROCEED


def test_too_little_time_proposes_a_slot_of_the_full_length():
    advice = decide(minutes_available=5, minutes_needed=20, immediate_need=False)
    assert advice.decision is Decision.RESCHEDULE
    assert advice.proposed_slot_minutes == 20
    assert "20" in advice.reason
    assert "5" in advice.reason


def test_immediate_need_takes_the_short_call_and_books_the_rest():
    advice = decide(minutes_available=10, minutes_needed=60, immediate_need=True)
    assert advice.decision is Decision.PROCEED
    assert advice.proposed_slot_minutes == 60
    assert "Immediate need" in advice.reason


def test_unknown_minutes_reminds_the_rep_to_ask():
    advice = decide(None, 20, False)
    assert advice.decision is Decision.PROCEED
    assert "Ask" in advice.reason


@pytest.mark.parametrize(
    ("available", "immediate", "headline"),
    [
        (None, False, "Ask how long they have"),
        (30, False, "Proceed: you have the time"),
        (5, True, "Proceed on the urgent part, then book 20 minutes"),
        (5, False, "Reschedule: propose a 20-minute slot"),
    ],
)
def test_the_headline_names_the_move_at_a_glance(available, immediate, headline):
    assert decide(available, 20, immediate).headline == headline


@pytest.mark.parametrize(("available", "needed"), [(-1, 20), (10, 0), (10, -5)])
def test_impossible_minutes_are_refused(available, needed):
    with pytest.raises(InvalidInputError):
        decide(available, needed, False)


@given(
    available=st.integers(min_value=0, max_value=600),
    needed=st.integers(min_value=1, max_value=600),
    immediate=st.booleans(),
)
def test_reschedule_exactly_when_short_of_time_without_urgency(available, needed, immediate):
    advice = decide(available, needed, immediate)
    assert (advice.decision is Decision.RESCHEDULE) == (available < needed and not immediate)
    if available < needed:
        assert advice.proposed_slot_minutes == needed


def test_timer_warns_two_minutes_before_the_prospects_time_runs_out():
    assert timer_state(timedelta(minutes=7, seconds=59), 10) is TimerState.OK
    assert timer_state(timedelta(minutes=8), 10) is TimerState.WARNING
    assert timer_state(timedelta(minutes=10), 10) is TimerState.OVER


def test_timer_on_a_very_short_window_still_leaves_time_before_warning():
    # With 2 minutes available the warning comes at half time, not at once.
    assert timer_state(timedelta(seconds=30), 2) is TimerState.OK
    assert timer_state(timedelta(minutes=1), 2) is TimerState.WARNING


def test_timer_without_known_minutes_only_counts():
    assert timer_state(timedelta(hours=2), None) is TimerState.UNKNOWN


DENVER_ZONE = ZoneInfo("America/Denver")
NINE, FIVE = time(9, 0), time(17, 0)
NOW_THERE = datetime(2026, 3, 10, 8, 0, tzinfo=DENVER_ZONE)  # a Tuesday


def concerns(slot, minutes=20, rep_zone="America/Denver"):
    return slot_concerns(
        slot, minutes, now=NOW_THERE, business_start=NINE, business_end=FIVE, rep_zone=rep_zone
    )


def test_a_weekday_slot_inside_both_sides_hours_raises_nothing():
    assert concerns(datetime(2026, 3, 11, 10, 0, tzinfo=DENVER_ZONE)) == []


def test_a_slot_that_has_passed_says_so():
    assert concerns(datetime(2026, 3, 10, 7, 0, tzinfo=DENVER_ZONE))[0] == (
        "That time has already passed."
    )


def test_a_weekend_slot_names_the_day():
    assert concerns(datetime(2026, 3, 14, 10, 0, tzinfo=DENVER_ZONE)) == ["That is a Saturday."]


def test_a_call_running_past_their_closing_time_is_outside_their_hours():
    assert concerns(datetime(2026, 3, 11, 16, 50, tzinfo=DENVER_ZONE)) == [
        "That is outside their business hours (9:00 AM–5:00 PM their time)."
    ]


def test_a_fine_time_for_them_can_be_early_for_the_rep():
    # 9:00 AM in Denver is 8:00 AM in Los Angeles... and 11:00 AM in New York.
    slot = datetime(2026, 3, 11, 9, 0, tzinfo=DENVER_ZONE)
    assert concerns(slot, rep_zone="America/Los_Angeles") == [
        "That is 8:00 AM for you, outside your hours."
    ]
    assert concerns(slot, rep_zone="America/New_York") == []


def test_a_slot_a_year_out_names_the_year():
    slot = datetime(2027, 3, 10, 10, 0, tzinfo=DENVER_ZONE)
    assert concerns(slot) == ["That is 52 weeks away, on Wed Mar 10, 2027."]


LONDON_ZONE = ZoneInfo("Europe/London")


def test_a_slot_on_their_public_holiday_is_pointed_out_like_a_weekend():
    # Boxing Day 2025 is a Friday; the rep, in London too, is told once.
    christmas_eve = datetime(2025, 12, 24, 9, 0, tzinfo=LONDON_ZONE)
    slot = datetime(2025, 12, 26, 10, 0, tzinfo=LONDON_ZONE)
    assert slot_concerns(
        slot,
        20,
        now=christmas_eve,
        business_start=NINE,
        business_end=FIVE,
        rep_zone="Europe/London",
    ) == ["That is Boxing Day, a public holiday for them."]


def test_a_slot_on_the_reps_thanksgiving_is_pointed_out():
    # Toronto works on the US Thanksgiving (Canada's is in October); a New York rep does not.
    toronto = ZoneInfo("America/Toronto")
    slot = datetime(2026, 11, 26, 10, 0, tzinfo=toronto)
    assert slot_concerns(
        slot,
        20,
        now=datetime(2026, 11, 24, 9, 0, tzinfo=toronto),
        business_start=NINE,
        business_end=FIVE,
        rep_zone="America/New_York",
    ) == ["That is Thanksgiving Day, a public holiday for you."]
