"""Two reps on one database take the top of the queue: a cadence step is logged once.

Sam's desk is the test's; Jo's is a second desk on the same database, as another
computer would open it.
"""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from callassist.core import CallDesk
from callassist.errors import InvalidInputError
from callassist.services import step_claims
from callassist.vocabulary import Outcome

SAM = "sam@northwind.example"
JO = "jo@northwind.example"
ALREADY = "Jo Park already left voicemail 1 for this prospect at 10:00"
"""NOW is 15:00 UTC, 10:00 in Sam's Chicago."""


@pytest.fixture
def jo(desk: CallDesk, db_location, tmp_path) -> Iterator[CallDesk]:
    """Jo's desk on Sam's database, on the same clock as Sam's."""
    desk.add_rep(name="Jo Park", email=JO)
    desk.use_rep(SAM)
    with CallDesk.open(
        db_location,
        clock=lambda: desk.clock(),
        template_dir=tmp_path / "jo-scripts",
        backup_folder=tmp_path / "jo-backups",
        rep=JO,
    ) as opened:
        yield opened


@pytest.fixture
def enrolled(desk: CallDesk, dana):
    desk.enroll(dana.id, "three_voicemails")
    return dana


def steps_logged(desk: CallDesk, prospect_id: int) -> int:
    """How many steps the cadence counts as done: its next step's number, less one."""
    enrollment = desk.enrollment(prospect_id)
    assert enrollment is not None
    assert enrollment.attempt is not None
    return enrollment.attempt - 1


def test_the_voicemail_a_colleague_just_left_is_refused_naming_them(desk, jo, enrolled):
    assert [item.prospect_id for item in desk.queue(team=True)] == [enrolled.id]
    jo.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    with pytest.raises(InvalidInputError) as refused:
        desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT, notes="left the first message")
    assert str(refused.value) == (
        f"{ALREADY}; not logged again, so the cadence does not skip a step"
    )
    assert steps_logged(desk, enrolled.id) == 1  # voicemail 2 is still tomorrow's
    attempts = desk.prospect_detail(enrolled.id).attempts
    assert [(attempt.outcome, attempt.notes) for attempt in attempts] == [
        (Outcome.VOICEMAIL_LEFT, "")
    ]


def test_a_call_started_from_the_queue_is_refused_and_stays_open_to_log_otherwise(
    desk, jo, enrolled
):
    ours = desk.start_call(enrolled.id)
    theirs = jo.start_call(enrolled.id)
    jo.finish_attempt(theirs.id, Outcome.VOICEMAIL_LEFT)
    with pytest.raises(InvalidInputError, match=f"^{ALREADY};"):
        desk.finish_attempt(ours.id, Outcome.NO_ANSWER)
    assert steps_logged(desk, enrolled.id) == 1
    still_open = next(a for a in desk.prospect_detail(enrolled.id).attempts if a.id == ours.id)
    assert still_open.outcome is None
    # Dana picked up after all: a reply ends the cadence whoever left the message.
    desk.finish_attempt(ours.id, Outcome.CONNECTED)
    assert desk.enrollment(enrolled.id).next_action is None


def test_once_the_next_step_is_due_a_colleague_logs_it(desk, jo, enrolled, moving):
    jo.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    moving.at += timedelta(days=1)
    desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    assert steps_logged(desk, enrolled.id) == 2


def test_a_rep_logging_their_own_steps_is_never_refused(desk, jo, enrolled):
    del jo
    desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    assert steps_logged(desk, enrolled.id) == 2


def test_at_the_same_moment_the_database_refuses_the_second_claim(desk, jo, enrolled, monkeypatch):
    """As on PostgreSQL when both transactions read the history before either commits:
    Sam's read misses Jo's voicemail, and the unique index refuses Sam's claim."""
    jo.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    history = step_claims._history
    reads: list[int] = []

    def before_jo_committed(session, prospect_id, since, *, besides):
        reads.append(besides)
        logged = history(session, prospect_id, since, besides=besides)
        return (
            [entry for entry in logged if entry.rep_id != jo.rep.id] if len(reads) == 1 else logged
        )

    monkeypatch.setattr(step_claims, "_history", before_jo_committed)
    with pytest.raises(InvalidInputError, match=f"^{ALREADY};"):
        desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    assert len(reads) == 2  # the claim was tried and refused, then the history read again
    monkeypatch.undo()
    assert steps_logged(desk, enrolled.id) == 1
    assert len(desk.prospect_detail(enrolled.id).attempts) == 1


def test_a_voicemail_turned_into_a_reply_gives_its_step_back(desk, enrolled):
    logged = desk.log_attempt(enrolled.id, Outcome.VOICEMAIL_LEFT)
    desk.finish_attempt(logged.id, Outcome.NO_ANSWER)  # still the same step
    assert steps_logged(desk, enrolled.id) == 1
    desk.finish_attempt(logged.id, Outcome.CONNECTED)
    assert desk.enrollment(enrolled.id).next_action is None
