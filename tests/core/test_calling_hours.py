"""Prospects abroad: calls due where their working day and the rep's meet, holidays skipped.

The desk fixture's rep is in Chicago, 9 to 5, with a US number.
"""

import io
import itertools
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from raw_sql import execute

from callassist.cli import main
from callassist.cli.review import queue_json
from callassist.review import due_text
from callassist.vocabulary import FollowUpKind

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def cli(db_location, moving):
    def run(*argv: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_location), *argv], clock=moving, out=out, err=err)
        assert status == 0, err.getvalue()
        return out.getvalue()

    return run


def chicago(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


def queue_line(cli, prospect_id, day):
    lines = json.loads(cli("queue", "--format", "json", "--date", day.isoformat()))
    [line] = [line for line in lines if line["prospect_id"] == prospect_id]
    return line


def rep_time(line) -> datetime:
    return datetime.fromisoformat(line["due_at"]).astimezone(CHICAGO)


def walk_persistence(cli, moving, prospect_id, calls):
    """Log the first ``calls`` persistence steps when each falls due; their due times."""
    moving.at = chicago(2026, 11, 30, 8, 0)  # a Monday in December's week, before hours
    cli("enroll", str(prospect_id), "persistence")
    seen = []
    for _ in range(calls):
        line = queue_line(cli, prospect_id, (moving.at + timedelta(days=6)).date())
        due = rep_time(line)
        seen.append((due, line))
        moving.at = due
        outcome = "voicemail_left" if line["leave_message"] else "no_answer"
        cli("log", str(prospect_id), "--outcome", outcome, "--at", due.isoformat())
    return seen


# Where each prospect's 9 to 5 meets the rep's in early December, on the rep's clock.
MEETING = {
    "Europe/Berlin": (9, 10),  # 4 to 5 PM in Berlin
    "Australia/Sydney": (16, 17),  # 9 to 10 AM the next day in Sydney
    "America/Toronto": (9, 16),  # 10 AM to 5 PM in Toronto
}
PHONES = {
    "Europe/Berlin": "+49 30 901820",
    "Australia/Sydney": "+61 2 5550 4127",
    "America/Toronto": "+1 416 555 0182",
    "Asia/Tokyo": "+81 3-5555-0123",
}


@pytest.mark.parametrize("zone_name", list(MEETING))
def test_calls_abroad_fall_where_both_days_meet_and_keep_rotating(cli, desk, moving, zone_name):
    prospect = desk.add_prospect(first_name="Abroad", phone=PHONES[zone_name], timezone=zone_name)
    start, end = MEETING[zone_name]
    their_zone = ZoneInfo(zone_name)

    seen = walk_persistence(cli, moving, prospect.id, calls=5)

    for due, line in seen:
        assert due.weekday() < 5
        assert start <= due.hour < end, f"{due} is outside the hours both sides work"
        theirs = datetime.fromisoformat(line["local_time"])
        assert theirs.utcoffset() == due.astimezone(their_zone).utcoffset()
        assert theirs.weekday() < 5
        assert 9 <= theirs.hour < 17
        assert line["within_your_hours"] is True
    # Each call in another third of the time the two days share than the one before.
    third = (end - start) * 60 // 3
    parts = [((due.hour - start) * 60 + due.minute) // third for due, _ in seen[1:]]
    assert all(a != b for a, b in itertools.pairwise(parts)), parts


def test_a_prospect_whose_day_never_meets_yours_is_called_at_the_end_of_yours(cli, desk, moving):
    # Tokyo's 9 to 5 is 6 PM to 2 AM in Chicago in December: the end of the rep's
    # day is an hour from theirs, the start of it seven.
    aiko = desk.add_prospect(first_name="Aiko", phone=PHONES["Asia/Tokyo"], timezone="Asia/Tokyo")

    seen = walk_persistence(cli, moving, aiko.id, calls=4)

    for due, line in seen:
        assert (due.weekday() < 5, due.hour, due.minute) == (True, 17, 0)
        theirs = datetime.fromisoformat(line["local_time"])
        assert (theirs.hour, theirs.minute) == (8, 0)
        assert line["within_your_hours"] is False
    following = rep_time(queue_line(cli, aiko.id, (moving.at + timedelta(days=6)).date()))
    text = cli("queue", "--date", following.date().isoformat())
    assert "(outside your hours)" in text


def test_a_prospect_whose_monday_meets_only_your_sunday_is_called_on_their_tuesday(
    cli, desk, moving
):
    chloe = desk.add_prospect(
        first_name="Chloe", phone=PHONES["Australia/Sydney"], timezone="Australia/Sydney"
    )
    moving.at = chicago(2026, 12, 4, 17, 30)  # Friday, after the rep's hours
    cli("enroll", str(chloe.id), "three_voicemails")

    line = queue_line(cli, chloe.id, date(2026, 12, 7))

    # Not Sunday 4 PM (the rep's day off), not Monday 9 AM (2 AM in Sydney).
    assert rep_time(line) == chicago(2026, 12, 7, 16, 0)
    assert datetime.fromisoformat(line["local_time"]).date() == date(2026, 12, 8)
    assert line["within_your_hours"] is True


@pytest.mark.parametrize(
    ("zone_name", "phone", "enrolled", "due"),
    [
        # Tag der Deutschen Einheit, Friday 3 October 2025: on to Monday.
        ("Europe/Berlin", "+49 30 901820", chicago(2025, 10, 2, 11), chicago(2025, 10, 6, 9)),
        # Christmas is off on both sides; Boxing Day only in London: on to Monday.
        ("Europe/London", "+44 20 7946 0123", chicago(2025, 12, 24, 12), chicago(2025, 12, 29, 9)),
    ],
)
def test_a_public_holiday_of_the_prospects_country_is_skipped(
    cli, desk, moving, zone_name, phone, enrolled, due
):
    prospect = desk.add_prospect(first_name="Holiday", phone=phone, timezone=zone_name)
    moving.at = enrolled
    cli("enroll", str(prospect.id), "three_voicemails")

    assert rep_time(queue_line(cli, prospect.id, due.date())) == due


def test_a_prospect_without_a_zone_takes_the_holidays_of_their_number(
    cli, desk, moving, db_location
):
    # No zone: called on the rep's clock, but a German number keeps German holidays.
    prospect = desk.add_prospect(first_name="Jonas", phone="+49 30 901820")
    # As an older version stored a number whose area has several zones.
    execute(db_location, "UPDATE prospects SET timezone = NULL WHERE id = ?", prospect.id)
    moving.at = chicago(2025, 10, 2, 17, 30)
    cli("enroll", str(prospect.id), "three_voicemails")

    assert rep_time(queue_line(cli, prospect.id, date(2025, 10, 6))) == chicago(2025, 10, 6, 9)


def test_the_reps_own_thanksgiving_is_skipped(cli, desk, moving):
    # Toronto works on the US Thanksgiving (Canada's is in October); the rep does not.
    toronto = desk.add_prospect(
        first_name="Maya", phone=PHONES["America/Toronto"], timezone="America/Toronto"
    )
    moving.at = chicago(2026, 11, 25, 17, 30)  # Wednesday, after hours
    cli("enroll", str(toronto.id), "three_voicemails")

    assert rep_time(queue_line(cli, toronto.id, date(2026, 11, 27))) == chicago(2026, 11, 27, 9)


def test_business_days_of_a_wait_skip_the_prospects_holidays(cli, desk, moving):
    berlin = desk.add_prospect(first_name="Lena", phone=PHONES["Europe/Berlin"])
    moving.at = chicago(2025, 9, 29, 9, 0)  # Monday
    cli("enroll", str(berlin.id), "three_voicemails")
    for _ in range(3):
        line = queue_line(cli, berlin.id, date(2025, 10, 31))
        moving.at = rep_time(line)
        cli("log", str(berlin.id), "--outcome", "voicemail_left", "--at", moving.at.isoformat())
    line = queue_line(cli, berlin.id, date(2025, 10, 31))
    assert line["action"] == "email"
    moving.at = chicago(2025, 10, 1, 9, 30)  # Wednesday
    cli("log", str(berlin.id), "--outcome", "email_sent", "--at", moving.at.isoformat())

    line = queue_line(cli, berlin.id, date(2025, 10, 31))

    # Three business days after Wednesday: Thursday, (Friday 3 October is a holiday
    # there), Monday, Tuesday.
    assert line["action"] == "move_on"
    assert rep_time(line).date() == date(2025, 10, 7)


def test_a_call_booked_after_your_hours_says_so(cli, desk, moving):
    aiko = desk.add_prospect(first_name="Aiko", phone=PHONES["Asia/Tokyo"], timezone="Asia/Tokyo")
    desk.add_follow_up(
        aiko.id, due_at=chicago(2026, 3, 10, 19, 30), minutes=20, kind=FollowUpKind.CALL
    )
    lee = desk.add_prospect(first_name="Lee", phone="(312) 555-0199", timezone="America/Chicago")
    desk.add_follow_up(lee.id, due_at=chicago(2026, 3, 10, 15), minutes=20, kind=FollowUpKind.CALL)

    lines = json.loads(cli("queue", "--format", "json", "--date", "2026-03-10"))

    assert [(line["name"], line["within_your_hours"]) for line in lines] == [
        ("Lee", True),
        ("Aiko", False),
    ]


def test_a_prospect_without_a_zone_is_not_given_the_reps_clock_as_theirs(desk):
    walk_in = desk.add_prospect(first_name="Walk", last_name="In", email="w@x.example")
    desk.enroll(walk_in.id, "persistence")
    (item,) = [item for item in desk.queue() if item.prospect_id == walk_in.id]
    assert not item.their_zone_known
    shown = due_text(item, ZoneInfo("America/Chicago"), item.due_at.date(), desk.clock())
    assert "their time zone not known" in shown
    assert queue_json(item, ZoneInfo("America/Chicago"))["local_time"] is None


def test_a_uk_prospects_boxing_day_is_not_proposed_for_a_reschedule(desk, moving):
    # Boxing Day 2026 is a Saturday: the UK takes it on Monday 28 December.
    london = ZoneInfo("Europe/London")
    harriet = desk.add_prospect(
        first_name="Harriet", phone="+44 20 7946 0123", timezone="Europe/London"
    )
    moving.at = chicago(2026, 12, 24, 10)

    assert desk.proposed_slot(harriet.id) == datetime(2026, 12, 29, 10, tzinfo=london)


def test_the_reps_thanksgiving_is_not_proposed_for_a_reschedule(desk, moving):
    toronto = ZoneInfo("America/Toronto")
    maya = desk.add_prospect(
        first_name="Maya", phone=PHONES["America/Toronto"], timezone="America/Toronto"
    )
    moving.at = chicago(2026, 11, 25, 10)  # Wednesday; Thursday is the rep's Thanksgiving

    assert desk.proposed_slot(maya.id) == datetime(2026, 11, 27, 10, tzinfo=toronto)
