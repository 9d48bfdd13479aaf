"""The trash: deleting keeps a prospect and all their history in the database for 30 days,
and undeleting brings everything back, whatever happened in between."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from raw_sql import rows

from callassist.changes import Changes
from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.errors import InvalidInputError, NotFoundError
from callassist.records import ProspectDetail, ProspectRecord
from callassist.vocabulary import Outcome, PainKind

SLOT = datetime(2026, 3, 12, 21, 0, tzinfo=UTC)  # 2 PM in Albuquerque, two days on


@pytest.fixture
def dana(desk, make_prospect, tmp_path) -> ProspectRecord:
    """Dana with every kind of row a prospect can own: tags, research, a connected call
    with its time check, a voicemail, two pains (one on the call), a booked call and a
    cadence."""
    dana = make_prospect(tags="dental, referral")
    invites = tmp_path / "invites"
    desk.update_research(dana.id, company_summary="Four clinics", angle="after-hours calls")
    desk.log_attempt(
        dana.id, Outcome.VOICEMAIL_LEFT, at=SLOT - timedelta(days=3), notes="left VM one"
    )
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    desk.add_pain(dana.id, PainKind.PAST, "lost a big client", attempt_id=call.id)
    desk.add_pain(dana.id, PainKind.PEERS, "the clinic next door switched")
    desk.reschedule(
        dana.id, slot=SLOT, call_type="discovery", attempt_id=call.id, invites_folder=invites
    )
    desk.finish_attempt(call.id, Outcome.RESCHEDULED, notes="call back Thursday")
    desk.enroll(dana.id, "persistence")
    return desk.prospect(dana.id)


def as_the_rep_sees_it(detail: ProspectDetail) -> ProspectDetail:
    """The card without the ids of pains, bookings and time checks, which may be new ones."""
    return replace(
        detail,
        pains=tuple(replace(pain, id=0) for pain in detail.pains),
        follow_ups=tuple(replace(follow_up, id=0) for follow_up in detail.follow_ups),
        time_checks=tuple(replace(check, id=0) for check in detail.time_checks),
    )


def test_delete_moves_the_prospect_to_the_trash(desk, dana, clock):
    trashed = desk.delete_prospect(dana.id)

    assert trashed.prospect_id == dana.id
    assert (trashed.name, trashed.company) == ("Dana Whitfield", "Mesa Dental")
    assert trashed.deleted_at == clock()
    assert trashed.kept_until == clock() + timedelta(days=30)
    assert (trashed.attempts, trashed.pains) == (2, 2)
    assert desk.trash() == (trashed,)
    assert desk.prospect_ids() == []
    assert desk.prospect_ids(search="whitfield") == []
    assert desk.queue(SLOT.date()) == []
    with pytest.raises(NotFoundError):
        desk.prospect_detail(dana.id)
    assert desk.check() == []


def test_restore_brings_back_everything_exactly(desk, dana):
    before = desk.prospect_detail(dana.id)
    enrolled = desk.enrollment(dana.id)
    queued = desk.queue(SLOT.date())
    assert before.research.has_homework
    assert before.follow_ups
    assert before.time_checks
    assert "Dana Whitfield" in {item.name for item in queued}

    desk.delete_prospect(dana.id)
    restored = desk.restore_prospect(dana.id)

    assert restored == dana  # same id, fields and tags
    assert as_the_rep_sees_it(desk.prospect_detail(dana.id)) == as_the_rep_sees_it(before)
    assert desk.enrollment(dana.id) == enrolled
    assert desk.queue(SLOT.date()) == queued
    assert desk.prospect_ids(search="after-hours") == [dana.id]
    assert desk.prospect_ids(search="Thursday") == [dana.id]  # a note on a call
    assert desk.trash() == ()
    assert desk.check() == []


def test_restore_after_pains_bookings_and_cadences_were_added_to_someone_else(desk, dana, tmp_path):
    before = desk.prospect_detail(dana.id)
    desk.delete_prospect(dana.id)
    # These take the ids Dana's pains, booking and enrollment had.
    lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="(312) 555-0199")
    lee_call = desk.start_call(lee.id)
    desk.record_time_check(
        lee_call.id, asked=True, minutes_available=2, call_type="discovery", immediate_need=False
    )
    desk.add_pain(lee.id, PainKind.PRESENT, "phones ring out at lunch", attempt_id=lee_call.id)
    desk.reschedule(
        lee.id,
        slot=SLOT,
        call_type="discovery",
        attempt_id=lee_call.id,
        invites_folder=tmp_path / "invites",
    )
    desk.finish_attempt(lee_call.id, Outcome.RESCHEDULED)
    desk.enroll(lee.id, "three_voicemails")
    lee_before = desk.prospect_detail(lee.id)

    desk.restore_prospect(dana.id)

    assert as_the_rep_sees_it(desk.prospect_detail(dana.id)) == as_the_rep_sees_it(before)
    assert desk.prospect_detail(lee.id) == lee_before
    assert desk.enrollment(lee.id).cadence == "three_voicemails"
    assert desk.enrollment(dana.id).cadence == "persistence"
    assert {item.name for item in desk.queue(SLOT.date())} >= {"Dana Whitfield", "Lee Park"}
    assert desk.check() == []


def test_the_trash_outlives_the_window(desk, dana, db_location, clock, tmp_path):
    before = desk.prospect_detail(dana.id)
    trashed = desk.delete_prospect(dana.id)
    desk.close()

    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path / "backups") as reopened:
        assert reopened.trash() == (trashed,)
        reopened.restore_prospect(dana.id)
        assert as_the_rep_sees_it(reopened.prospect_detail(dana.id)) == as_the_rep_sees_it(before)


def trash_rows(db_location) -> int:
    ((count,),) = rows(db_location, "SELECT count(*) FROM trash")
    return count


def test_what_was_deleted_30_days_ago_is_purged(desk, dana, db_location, clock, tmp_path):
    desk.delete_prospect(dana.id)
    desk.close()

    def reopen(days: float) -> CallDesk:
        later = fixed_clock(clock() + timedelta(days=days))
        return CallDesk.open(db_location, clock=later, backup_folder=tmp_path / "backups")

    with reopen(29.9) as a_day_before:
        assert [item.prospect_id for item in a_day_before.trash()] == [dana.id]
    assert trash_rows(db_location) == 1
    with reopen(30) as the_day:
        assert the_day.trash() == ()
        with pytest.raises(NotFoundError, match="kept 30 days"):
            the_day.restore_prospect(dana.id)
    assert trash_rows(db_location) == 0


def test_a_desk_left_open_forgets_expired_items_and_purges_them_on_the_next_delete(
    desk, dana, moving, db_location
):
    desk.delete_prospect(dana.id)
    lee = desk.add_prospect(first_name="Lee", last_name="Park")

    moving.at += timedelta(days=31)
    assert desk.trash() == ()
    with pytest.raises(NotFoundError):
        desk.restore_prospect(dana.id)
    assert trash_rows(db_location) == 1  # hidden, not yet purged
    desk.delete_prospect(lee.id)
    assert [item.name for item in desk.trash()] == ["Lee Park"]
    assert trash_rows(db_location) == 1


def test_the_trash_lists_the_newest_first(desk, dana, moving):
    lee = desk.add_prospect(first_name="Lee", last_name="Park", company="Harbor Legal")
    desk.delete_prospect(lee.id)
    moving.at += timedelta(hours=2)
    desk.delete_prospect(dana.id)
    listed = desk.trash()
    assert [(item.name, item.company) for item in listed] == [
        ("Dana Whitfield", "Mesa Dental"),
        ("Lee Park", "Harbor Legal"),
    ]
    assert [(item.attempts, item.pains) for item in listed] == [(2, 2), (0, 0)]


def test_restore_is_refused_when_a_prospect_added_since_has_the_email(desk, dana):
    desk.delete_prospect(dana.id)
    lee = desk.add_prospect(first_name="Lee", last_name="Park", email="dana@mesa.example")

    with pytest.raises(InvalidInputError) as refused:
        desk.restore_prospect(dana.id)

    assert str(refused.value) == (
        f"Lee Park (#{lee.id}), added since, has the same email as Dana Whitfield "
        f"(#{dana.id}); Dana Whitfield stays in the trash"
    )
    assert [item.prospect_id for item in desk.trash()] == [dana.id]
    assert desk.prospects() == [lee]
    assert desk.check() == []


def test_restore_is_refused_when_a_prospect_added_since_has_the_number(desk, dana):
    desk.delete_prospect(dana.id)
    lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="+1 505 828 1788")
    with pytest.raises(InvalidInputError, match=rf"Lee Park \(#{lee.id}\).* same phone number"):
        desk.restore_prospect(dana.id)
    assert desk.prospect_ids() == [lee.id]


def test_undelete_of_an_id_not_in_the_trash_says_so(desk, dana):
    with pytest.raises(NotFoundError, match=r"no prospect #999 in the trash"):
        desk.restore_prospect(999)
    with pytest.raises(NotFoundError, match=r"Dana Whitfield \(#\d+\) is not in the trash"):
        desk.restore_prospect(dana.id)
    desk.delete_prospect(dana.id)
    desk.restore_prospect(dana.id)
    with pytest.raises(NotFoundError, match="is not in the trash"):
        desk.restore_prospect(dana.id)  # already back


def test_delete_and_restore_tell_the_views(desk, dana):
    heard: list[Changes] = []
    desk.subscribe(heard.append)
    desk.delete_prospect(dana.id)
    desk.restore_prospect(dana.id)
    assert len(heard) == 2
    for changes in heard:
        assert changes.trash
        assert changes.prospects
        assert changes.prospect_ids == {dana.id}
