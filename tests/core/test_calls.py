"""Calls, time checks, pains and follow-ups through the facade."""

from datetime import timedelta

import pytest

from callassist.db.models import Prospect
from callassist.errors import InvalidInputError, NotFoundError
from callassist.records import CallTypeRecord, call_type_list
from callassist.vocabulary import (
    STATUS_AFTER_OUTCOME,
    Channel,
    Decision,
    FollowUpKind,
    Outcome,
    PainKind,
    ProspectStatus,
)
from callassist.wording import OUTCOME_WORDS


def test_a_call_opens_then_gets_its_outcome(desk, dana, clock):
    call = desk.start_call(dana.id)
    assert call.outcome is None
    assert call.channel is Channel.CALL
    done = desk.finish_attempt(call.id, Outcome.CONNECTED, notes="good chat")
    assert done.outcome is Outcome.CONNECTED
    assert done.ended_at == clock()
    assert desk.prospect_detail(dana.id).attempts[0].notes == "good chat"


def test_email_outcome_on_a_call_is_refused(desk, dana):
    call = desk.start_call(dana.id)
    with pytest.raises(InvalidInputError, match="email_sent"):
        desk.finish_attempt(call.id, Outcome.EMAIL_SENT)


def test_short_on_time_is_recorded_as_a_reschedule(desk, dana):
    call = desk.start_call(dana.id)
    check = desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    assert check.decision is Decision.RESCHEDULE
    assert check.minutes_needed == 20
    assert desk.prospect_detail(dana.id).time_checks == (check,)


def test_correcting_a_time_check_replaces_it(desk, dana):
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    again = desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=True
    )
    assert again.decision is Decision.PROCEED
    assert len(desk.prospect_detail(dana.id).time_checks) == 1


def test_call_type_minutes_come_from_the_profile(desk, dana):
    desk.update_profile(call_types=[CallTypeRecord("demo", 45)])
    call = desk.start_call(dana.id)
    check = desk.record_time_check(
        call.id, asked=False, minutes_available=30, call_type="demo", immediate_need=False
    )
    assert (check.minutes_needed, check.decision) == (45, Decision.RESCHEDULE)
    with pytest.raises(InvalidInputError, match="discovery"):
        desk.record_time_check(
            call.id, asked=False, minutes_available=30, call_type="discovery", immediate_need=False
        )


def test_pains_are_noted_and_toggled(desk, dana, clock):
    call = desk.start_call(dana.id)
    pain = desk.add_pain(
        dana.id, PainKind.PEERS, " a rival clinic lost its front desk ", attempt_id=call.id
    )
    assert pain.words == "a rival clinic lost its front desk"
    assert pain.noted_at == clock()
    assert not (pain.asked)
    assert not (pain.acknowledged)
    assert not (pain.can_help)
    updated = desk.update_pain(pain.id, asked=True, can_help=True)
    assert (updated.asked, updated.acknowledged, updated.can_help) == (True, False, True)
    assert desk.prospect_detail(dana.id).pains == (updated,)


def test_pain_on_someone_elses_call_is_refused(desk, dana):
    other = desk.add_prospect(first_name="Lee")
    call = desk.start_call(other.id)
    with pytest.raises(InvalidInputError):
        desk.add_pain(dana.id, PainKind.PAST, "x", attempt_id=call.id)
    with pytest.raises(NotFoundError):
        desk.update_pain(12345, asked=True)


def test_follow_up_is_listed_on_the_card(desk, dana, clock):
    follow_up = desk.add_follow_up(
        dana.id,
        due_at=clock() + timedelta(days=2),
        minutes=20,
        kind=FollowUpKind.MEETING,
        reason="discovery",
    )
    assert desk.prospect_detail(dana.id).follow_ups == (follow_up,)
    with pytest.raises(InvalidInputError):
        desk.add_follow_up(dana.id, due_at=clock(), minutes=0, kind=FollowUpKind.CALL)


def test_a_note_typed_during_a_call_is_kept_and_searchable(desk, dana):
    call = desk.start_call(dana.id)
    desk.update_attempt_notes(call.id, "  asked for the pricing sheet ")
    assert desk.prospect_detail(dana.id).attempts[0].notes == "asked for the pricing sheet"
    assert [p.id for p in desk.prospects(search="pricing")] == [dana.id]
    done = desk.finish_attempt(call.id, Outcome.CONNECTED)
    assert done.notes == "asked for the pricing sheet"


def test_a_call_started_by_mistake_is_discarded_and_leaves_no_trace(desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    due_before = desk.enrollment(dana.id)
    call = desk.start_call(dana.id)

    desk.discard_call(call.id)

    assert desk.prospect_detail(dana.id).attempts == ()
    assert desk.enrollment(dana.id) == due_before
    assert [item.prospect_id for item in desk.queue()] == [dana.id]
    with pytest.raises(NotFoundError):
        desk.discard_call(call.id)


@pytest.mark.parametrize(
    ("fill", "said"),
    [
        (lambda desk, dana, call: desk.finish_attempt(call.id, Outcome.NO_ANSWER), "an outcome"),
        (
            lambda desk, dana, call: desk.record_time_check(
                call.id,
                asked=True,
                minutes_available=5,
                call_type="discovery",
                immediate_need=False,
            ),
            "a time check",
        ),
        (
            lambda desk, dana, call: desk.add_pain(
                dana.id, PainKind.PRESENT, "nobody answers", attempt_id=call.id
            ),
            "pains",
        ),
        (lambda desk, dana, call: desk.update_attempt_notes(call.id, "asked for Friday"), "a note"),
    ],
)
def test_a_call_with_something_in_it_is_not_discarded(desk, dana, fill, said):
    call = desk.start_call(dana.id)
    fill(desk, dana, call)
    with pytest.raises(InvalidInputError, match=f"already has {said}.*log its outcome instead"):
        desk.discard_call(call.id)
    assert [attempt.id for attempt in desk.prospect_detail(dana.id).attempts] == [call.id]


def _set_status(desk, prospect_id, status):
    """Put a prospect at ``status`` as the rep or an earlier attempt would have."""
    with desk._transaction() as session:
        session.get(Prospect, prospect_id).status = status


# For each starting status, the statuses an outcome may move it to; any other
# outcome leaves it where it is. Spelled out here rather than read from the
# rank, so that a change to the order shows up as a failing test.
_MOVES_FROM = {
    ProspectStatus.NEW: {
        ProspectStatus.WORKING,
        ProspectStatus.ENGAGED,
        ProspectStatus.NOT_INTERESTED,
        ProspectStatus.BAD_CONTACT,
    },
    ProspectStatus.WORKING: {
        ProspectStatus.ENGAGED,
        ProspectStatus.NOT_INTERESTED,
        ProspectStatus.BAD_CONTACT,
    },
    ProspectStatus.MOVED_ON: {
        ProspectStatus.ENGAGED,
        ProspectStatus.NOT_INTERESTED,
        ProspectStatus.BAD_CONTACT,
    },
    ProspectStatus.BAD_CONTACT: {ProspectStatus.ENGAGED, ProspectStatus.NOT_INTERESTED},
    ProspectStatus.ENGAGED: {ProspectStatus.NOT_INTERESTED},
    ProspectStatus.NOT_INTERESTED: set(),
}


@pytest.mark.parametrize("outcome", list(Outcome))
@pytest.mark.parametrize("start", list(ProspectStatus))
def test_an_outcome_only_moves_the_status_forward(desk, dana, start, outcome):
    _set_status(desk, dana.id, start)
    desk.log_attempt(dana.id, outcome)
    pointed = STATUS_AFTER_OUTCOME[outcome]
    expected = pointed if pointed in _MOVES_FROM[start] else start
    assert desk.prospect(dana.id).status is expected


def test_a_back_dated_no_answer_leaves_a_later_meeting_standing(desk, dana, clock):
    desk.log_attempt(dana.id, Outcome.CONNECTED)
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=clock() - timedelta(days=2))
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED


def test_an_unknown_call_type_is_refused_in_the_same_words_wherever_it_is_named(
    desk, dana, clock, tmp_path
):
    attempt = desk.start_call(dana.id)
    listed = call_type_list(desk.profile().call_types)
    expected = f"no call type 'lunch'; the call types are {listed}"

    with pytest.raises(InvalidInputError) as time_check:
        desk.record_time_check(
            attempt.id, asked=True, minutes_available=5, call_type="lunch", immediate_need=False
        )
    with pytest.raises(InvalidInputError) as booking:
        desk.reschedule(
            dana.id, slot=clock() + timedelta(days=2), call_type="lunch", invites_folder=tmp_path
        )

    assert str(time_check.value) == str(booking.value) == expected
    # Typed in capitals, a known one is found.
    assert desk.profile().call_type(" Discovery ").name == "discovery"


def test_every_outcome_has_its_words():
    assert set(OUTCOME_WORDS) == set(Outcome)
