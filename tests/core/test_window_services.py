"""Core services the window leans on: undo delete, reschedule with invite, previews, local time."""

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar

from callassist.errors import InvalidInputError
from callassist.localtime import local_time
from callassist.vocabulary import FollowUpKind, PainKind


def test_delete_then_undo_brings_everything_back(desk, dana):
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    desk.add_pain(dana.id, PainKind.PAST, "lost a big client", attempt_id=call.id)
    desk.update_research(dana.id, angle="after-hours calls")
    before = desk.prospect_detail(dana.id)

    desk.delete_prospect(dana.id)
    assert desk.prospect_ids() == []
    restored = desk.restore_prospect(dana.id)

    assert restored == dana
    assert desk.prospect_detail(dana.id) == before
    assert desk.prospect_ids(search="whitfield") == [dana.id]
    assert desk.check() == []


def test_undo_is_refused_when_someone_took_the_number(desk, dana):
    desk.delete_prospect(dana.id)
    desk.add_prospect(first_name="New", phone="505-828-1788")
    with pytest.raises(InvalidInputError, match="stays in the trash"):
        desk.restore_prospect(dana.id)


def test_reschedule_books_the_needed_length_and_writes_an_invite(desk, dana, clock, tmp_path):
    call = desk.start_call(dana.id)
    slot = datetime(2026, 3, 12, 21, 0, tzinfo=UTC)  # 2 PM in Albuquerque
    booked = desk.reschedule(
        dana.id,
        slot=slot,
        call_type="discovery",
        attempt_id=call.id,
        invites_folder=tmp_path / "inv",
    )
    assert booked.follow_up.due_at == slot
    assert booked.follow_up.minutes == 20
    assert booked.follow_up.kind is FollowUpKind.MEETING
    assert booked.invite.name == "2026-03-12-1600-dana-whitfield.ics"  # on the rep's clock
    event = next(iter(Calendar.from_ical(booked.invite.read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == slot
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
    assert "Dana Whitfield" in str(event["summary"])
    assert "mailto:dana@mesa.example" in str(event["attendee"])
    assert desk.prospect_detail(dana.id).follow_ups == (booked.follow_up,)


def test_reschedule_into_the_past_is_refused_and_books_nothing(desk, dana, clock, tmp_path):
    with pytest.raises(InvalidInputError, match="future"):
        desk.reschedule(
            dana.id,
            slot=clock() - timedelta(hours=1),
            call_type="discovery",
            invites_folder=tmp_path,
        )
    assert desk.prospect_detail(dana.id).follow_ups == ()
    assert list(tmp_path.glob("*.ics")) == []


def test_import_preview_maps_columns_and_lists_rejects(desk, tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text(
        "Full Name,Company Name,Phone,Favourite Colour\n"
        "Dana Whitfield,Mesa Dental,(505) 828-1788,blue\n"
        "Lee Park,Harbor Legal,12,red\n",
        encoding="utf-8",
    )
    preview = desk.preview_import(source)
    assert preview.columns == (
        ("Full Name", "name"),
        ("Company Name", "company"),
        ("Phone", "phone"),
        ("Favourite Colour", None),
    )
    assert preview.created == 1
    assert [note.row for note in preview.invalid] == [3]
    assert desk.count_prospects() == 0


def test_prospect_ids_page_through_by_name(desk):
    ids = [
        desk.add_prospect(first_name="P", last_name=name).id for name in ("Cole", "adams", "Baker")
    ]
    assert desk.prospect_ids() == [ids[1], ids[2], ids[0]]
    assert [p.last_name for p in desk.prospects_by_ids([ids[2], ids[0]])] == ["Baker", "Cole"]


def test_local_time_in_and_out_of_business_hours():
    tuesday_3pm_utc = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    denver = local_time("America/Denver", tuesday_3pm_utc, time(9), time(17), "America/Chicago")
    assert denver.label == "Tue 9:00 AM MDT"
    assert denver.in_business_hours
    sydney = local_time("Australia/Sydney", tuesday_3pm_utc, time(9), time(17), "America/Chicago")
    assert sydney.label == "Wed 2:00 AM AEDT"
    assert not sydney.in_business_hours
    unknown = local_time(None, tuesday_3pm_utc, time(9), time(17), "America/Chicago")
    assert not unknown.zone_known
    assert unknown.at.tzname() == "CDT"


def test_saturday_is_never_business_hours():
    saturday_noon = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)
    assert not local_time(
        "America/Chicago", saturday_noon, time(9), time(17), "UTC"
    ).in_business_hours
