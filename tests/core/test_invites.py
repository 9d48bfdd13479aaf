"""Calendar invites as calendar apps read them: one event per booking, in the rep's zone."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Event

from callassist.core import CallDesk
from callassist.errors import InvalidInputError, NotFoundError

SLOT = datetime(2026, 3, 12, 21, 0, tzinfo=UTC)  # 4 PM on the rep's Chicago clock


def read(invite) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(invite.read_bytes())
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_invite_is_on_the_reps_clock_with_the_zones_rules(desk, dana, tmp_path):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    calendar, event = read(booked.invite)
    assert str(calendar["method"]) == "REQUEST"
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert event["dtstart"].params["TZID"] == "America/Chicago"
    assert "DTSTART;TZID=America/Chicago:20260312T160000" in booked.invite.read_text()
    assert event.decoded("dtstart") == SLOT
    assert event.decoded("dtend") == SLOT + timedelta(minutes=20)
    assert str(event["status"]) == "CONFIRMED"
    assert "mailto:dana@mesa.example" in str(event["attendee"])


def test_the_two_half_past_ones_of_the_fall_back_night_stay_apart(desk, dana, tmp_path, clock):
    # 2026-11-01 in Chicago shows 1:30 AM twice: first in CDT (06:30 UTC), then in CST.
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    second = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    starts = []
    for slot in (first, second):
        booked = desk.reschedule(dana.id, slot=slot, call_type="discovery", invites_folder=tmp_path)
        _calendar, event = read(booked.invite)
        starts.append(event.decoded("dtstart"))
        assert f"DTSTART:{slot:%Y%m%dT%H%M%S}Z" in booked.invite.read_text()
    assert starts == [first, second]


def test_an_hour_long_call_ending_in_the_repeated_hour_ends_at_the_right_moment(
    desk, dana, tmp_path
):
    start = datetime(2026, 11, 1, 6, 45, tzinfo=UTC)  # 1:45 AM CDT, the first one
    booked = desk.reschedule(
        dana.id, slot=start, call_type="discovery", invites_folder=tmp_path, minutes=60
    )
    _calendar, event = read(booked.invite)
    assert event.decoded("dtend") == datetime(2026, 11, 1, 7, 45, tzinfo=UTC)  # 1:45 AM CST


def test_a_booking_keeps_its_uid_across_restarts_and_a_move_updates_the_same_event(
    desk, dana, db_location, clock, tmp_path
):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    _calendar, first = read(booked.invite)
    assert str(first["uid"]).endswith("@callassist")
    assert "follow-up" not in str(first["uid"])
    assert first["sequence"] == 0
    desk.close()

    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path / "b") as reopened:
        moved = reopened.move_booking(
            booked.follow_up.id, slot=SLOT + timedelta(days=1), invites_folder=tmp_path
        )
        (kept,) = reopened.prospect_detail(dana.id).follow_ups
    _calendar, second = read(moved.invite)
    assert str(second["uid"]) == str(first["uid"]) == kept.uid
    assert second["sequence"] == 1
    assert second.decoded("dtstart") == SLOT + timedelta(days=1)
    assert kept.due_at == SLOT + timedelta(days=1)
    assert moved.invite != booked.invite
    assert booked.invite.exists()


@pytest.mark.sqlite_only("needs SQLite's reuse of a deleted row's id (PostgreSQL never reuses ids)")
def test_uids_never_repeat_across_databases_or_after_a_delete(desk, dana, clock, tmp_path):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    desk.delete_prospect(dana.id)
    lee = desk.add_prospect(first_name="Lee", last_name="Park", email="lee@harbor.example")
    after_delete = desk.reschedule(
        lee.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path
    )
    # The follow-up's row id came back for someone else; its event must not.
    assert after_delete.follow_up.id == booked.follow_up.id
    assert after_delete.follow_up.uid != booked.follow_up.uid

    with CallDesk.open(
        tmp_path / "other.sqlite", clock=clock, backup_folder=tmp_path / "b"
    ) as other:
        other.update_profile(timezone="America/Chicago")
        stranger = other.add_prospect(first_name="Dana", last_name="Whitfield")
        elsewhere = other.reschedule(
            stranger.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path / "other"
        )
    assert elsewhere.follow_up.id == booked.follow_up.id
    assert elsewhere.follow_up.uid not in {booked.follow_up.uid, after_delete.follow_up.uid}


def test_a_booking_back_from_the_trash_keeps_its_event(desk, dana, tmp_path):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    desk.delete_prospect(dana.id)
    desk.restore_prospect(dana.id)
    (back,) = desk.prospect_detail(dana.id).follow_ups
    assert back.uid == booked.follow_up.uid


def test_a_cancelled_booking_sends_a_cancel_for_the_same_event_and_leaves_the_queue(
    desk, dana, tmp_path
):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    cancelled = desk.cancel_booking(booked.follow_up.id, invites_folder=tmp_path)
    calendar, event = read(cancelled.invite)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]) == booked.follow_up.uid
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == SLOT
    assert "mailto:dana@mesa.example" in str(event["attendee"])
    assert cancelled.invite.name == "2026-03-12-1600-dana-whitfield-cancelled.ics"
    assert cancelled.follow_up.done
    assert cancelled.follow_up.cancelled_at is not None
    assert desk.prospect_detail(dana.id).follow_ups == ()
    assert [item.prospect_id for item in desk.queue(SLOT.date())] == []


def test_a_cancelled_or_done_booking_cannot_change_again(desk, dana, tmp_path):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    desk.cancel_booking(booked.follow_up.id, invites_folder=tmp_path)
    written = sorted(tmp_path.glob("*.ics"))
    with pytest.raises(InvalidInputError, match="already cancelled"):
        desk.cancel_booking(booked.follow_up.id, invites_folder=tmp_path)
    with pytest.raises(InvalidInputError, match="already cancelled"):
        desk.move_booking(booked.follow_up.id, slot=SLOT + timedelta(days=1))
    with pytest.raises(NotFoundError, match="no booked call #99"):
        desk.cancel_booking(99, invites_folder=tmp_path)
    assert sorted(tmp_path.glob("*.ics")) == written


def test_a_move_into_the_past_is_refused_and_leaves_the_booking(desk, dana, clock, tmp_path):
    booked = desk.reschedule(dana.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    with pytest.raises(InvalidInputError, match="future"):
        desk.move_booking(
            booked.follow_up.id, slot=clock() - timedelta(hours=1), invites_folder=tmp_path
        )
    assert desk.prospect_detail(dana.id).follow_ups == (booked.follow_up,)
    assert list(tmp_path.glob("*.ics")) == [booked.invite]


def test_a_prospect_without_email_gets_a_published_event_with_no_attendee(desk, tmp_path):
    lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="(312) 555-0199")
    booked = desk.reschedule(lee.id, slot=SLOT, call_type="discovery", invites_folder=tmp_path)
    calendar, event = read(booked.invite)
    assert str(calendar["method"]) == "PUBLISH"
    assert "attendee" not in event
    cancelled = desk.cancel_booking(booked.follow_up.id, invites_folder=tmp_path)
    calendar, event = read(cancelled.invite)
    # CANCEL, like REQUEST, is addressed to attendees; with none, the file says it as PUBLISH.
    assert str(calendar["method"]) == "PUBLISH"
    assert str(event["status"]) == "CANCELLED"
