"""Core services the window leans on: undo delete, reschedule with invite, previews, local time."""

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar

from callassist.errors import InvalidInputError
from callassist.localtime import local_time
from callassist.records import AttemptRecord
from callassist.steps import next_message_script, scripts_for_now
from callassist.vocabulary import Channel, FollowUpKind, Outcome, PainKind


@pytest.fixture
def dana(desk):
    return desk.add_prospect(
        first_name="Dana",
        last_name="Whitfield",
        company="Mesa Dental",
        email="dana@mesa.example",
        phone="(505) 828-1788",
        tags="dental",
    )


def test_delete_then_undo_brings_everything_back(desk, dana):
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    desk.add_pain(dana.id, PainKind.PAST, "lost a big client", attempt_id=call.id)
    desk.update_research(dana.id, angle="after-hours calls")
    before = desk.prospect_detail(dana.id)

    deleted = desk.delete_prospect(dana.id)
    assert desk.prospect_ids() == []
    restored = desk.restore_prospect(deleted)

    assert restored == dana
    assert desk.prospect_detail(dana.id) == before
    assert desk.prospect_ids(search="whitfield") == [dana.id]
    assert desk.check() == []


def test_undo_is_refused_when_someone_took_the_number(desk, dana):
    deleted = desk.delete_prospect(dana.id)
    desk.add_prospect(first_name="New", phone="505-828-1788")
    with pytest.raises(InvalidInputError, match="cannot come back"):
        desk.restore_prospect(deleted)


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
    assert booked.invite.name == "2026-03-12-2100-dana-whitfield.ics"
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
        ("Full Name", "first_name + last_name"),
        ("Company Name", "company"),
        ("Phone", "phone"),
        ("Favourite Colour", None),
    )
    assert preview.report.created == 1
    assert [note.row for note in preview.report.invalid] == [3]
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


def test_message_script_follows_three_voicemails_then_email():
    history: list[AttemptRecord] = []
    expected = [
        "voicemail_first",
        "voicemail_missed_again",
        "voicemail_third",
        "email_after_voicemails",
    ]
    for day, name in enumerate(expected, start=1):
        assert next_message_script(history) == name
        outcome = Outcome.EMAIL_SENT if name.startswith("email") else Outcome.VOICEMAIL_LEFT
        history.insert(0, attempt(outcome, day))
    assert next_message_script(history) == "voicemail_commitment_test"


def test_a_conversation_starts_the_messages_over():
    history = [
        attempt(Outcome.VOICEMAIL_LEFT, 3),
        attempt(Outcome.CONNECTED, 2),
        attempt(Outcome.VOICEMAIL_LEFT, 1),
    ]
    assert next_message_script(history) == "voicemail_missed_again"


def test_on_a_call_the_opener_or_time_check_comes_first():
    assert scripts_for_now([], on_a_call=True)[0] == "opener_research"
    assert (
        scripts_for_now([attempt(Outcome.CONNECTED, 1)], on_a_call=True)[0] == "time_check_question"
    )
    assert scripts_for_now([], on_a_call=False) == ("voicemail_first",)


def test_a_persistence_step_without_a_message_offers_no_voicemail(desk):
    dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="(505) 828-1788")
    desk.enroll(dana.id, "persistence")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_first")
    history = desk.prospect_detail(dana.id).attempts

    # Counting voicemails alone would suggest "missed you again"; the cadence says no message.
    assert scripts_for_now(history, on_a_call=False) == ("voicemail_missed_again",)
    enrollment = desk.enrollment(dana.id)
    assert scripts_for_now(history, on_a_call=False, enrollment=enrollment) == ()
    assert scripts_for_now(history, on_a_call=True, enrollment=enrollment) == (
        "opener_research",
        "time_check_question",
    )


def test_the_cadence_step_decides_the_message_and_an_ended_one_does_not(desk):
    dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="(505) 828-1788")
    desk.enroll(dana.id, "three_voicemails")
    enrollment = desk.enrollment(dana.id)
    assert scripts_for_now([], on_a_call=False, enrollment=enrollment) == ("voicemail_first",)

    desk.log_attempt(dana.id, Outcome.CONNECTED)  # a reply ends the cadence
    ended = desk.enrollment(dana.id)
    assert ended.next_action is None
    history = desk.prospect_detail(dana.id).attempts
    assert scripts_for_now(history, on_a_call=False, enrollment=ended) == (
        "time_check_question",
        "voicemail_first",
    )


def test_after_a_conversation_the_agreed_call_comes_before_any_voicemail():
    history = [attempt(Outcome.RESCHEDULED, 2), attempt(Outcome.VOICEMAIL_LEFT, 1)]
    assert scripts_for_now(history, on_a_call=False) == ("time_check_question", "voicemail_first")
    # A voicemail since then: back to messages first.
    history.insert(0, attempt(Outcome.NO_ANSWER, 3))
    assert scripts_for_now(history, on_a_call=False) == ("voicemail_first",)
