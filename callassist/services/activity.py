"""What happens on and after a call: attempts, time checks, pains, follow-ups."""

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from callassist.clock import Clock
from callassist.db.models import Attempt, FollowUp, Pain, Prospect, TimeCheck
from callassist.db.search import reindex_prospects
from callassist.errors import InvalidInputError, NotFoundError
from callassist.records import (
    AttemptRecord,
    CallTypeRecord,
    FollowUpRecord,
    PainRecord,
    TimeCheckRecord,
)
from callassist.services.convert import (
    attempt_record,
    follow_up_record,
    pain_record,
    time_check_record,
)
from callassist.services.profile import acting_rep_id
from callassist.services.prospects import prospect_row
from callassist.timecheck import decide
from callassist.vocabulary import Channel, FollowUpKind, Outcome, PainKind, status_after


def log_attempt(
    session: Session,
    clock: Clock,
    prospect_id: int,
    outcome: Outcome,
    *,
    at: datetime | None = None,
    notes: str = "",
    script_name: str | None = None,
    rendered_text: str | None = None,
) -> AttemptRecord:
    """Record a finished attempt in one go (the command line's ``log``)."""
    prospect = prospect_row(session, prospect_id)
    when = at or clock()
    if when.tzinfo is None:
        raise InvalidInputError("an attempt time needs a time zone")
    row = Attempt(
        prospect_id=prospect_id,
        at=when,
        channel=outcome.channel,
        outcome=outcome,
        script_name=script_name,
        rendered_text=rendered_text,
        notes=notes.strip(),
        rep_id=acting_rep_id(session),
    )
    session.add(row)
    _apply_outcome(session, prospect, row, clock)
    return attempt_record(row)


def start_call(session: Session, clock: Clock, prospect_id: int) -> AttemptRecord:
    """Open a call attempt now; its outcome comes when it ends."""
    prospect_row(session, prospect_id)
    row = Attempt(
        prospect_id=prospect_id,
        at=clock(),
        channel=Channel.CALL,
        notes="",
        rep_id=acting_rep_id(session),
    )
    session.add(row)
    session.flush()
    return attempt_record(row)


def discard_call(session: Session, attempt_id: int) -> AttemptRecord:
    """Take back a call started by mistake, as if F5 had never been pressed.

    Only a call with nothing in it yet: once it has an outcome, a time check,
    a pain, a booking or a note, it happened, and it is logged instead.
    """
    row = _attempt(session, attempt_id)
    record = attempt_record(row)
    kept = [
        what
        for what, present in (
            ("an outcome", row.outcome is not None),
            (
                "a time check",
                _exists(session, select(TimeCheck.id).where(TimeCheck.attempt_id == attempt_id)),
            ),
            ("pains", _exists(session, select(Pain.id).where(Pain.attempt_id == attempt_id))),
            (
                "a booking",
                _exists(session, select(FollowUp.id).where(FollowUp.attempt_id == attempt_id)),
            ),
            ("a note", bool(row.notes.strip())),
        )
        if present
    ]
    if kept:
        raise InvalidInputError(
            f"this call already has {' and '.join(kept)}: log its outcome instead of discarding it"
        )
    session.delete(row)
    session.flush()
    return record


def _exists(session: Session, query: Select[int]) -> bool:
    return session.execute(query.limit(1)).first() is not None


def finish_attempt(
    session: Session,
    clock: Clock,
    attempt_id: int,
    outcome: Outcome,
    *,
    notes: str | None = None,
    script_name: str | None = None,
    rendered_text: str | None = None,
    logged_late: bool = False,
) -> AttemptRecord:
    """Give an open (or wrongly logged) attempt its outcome.

    An open call ends now, unless ``logged_late``: its outcome is filled in
    afterwards (from the day's review), when nobody knows when it ended, so it
    keeps no end time rather than one that makes it hours long. A late fix is
    refused for an attempt that has an outcome by then, so it never overwrites
    one logged meanwhile (in another window, or by the command line).
    """
    row = _attempt(session, attempt_id)
    if logged_late and row.outcome is not None:
        raise InvalidInputError(
            f"attempt #{attempt_id} already has its outcome, {row.outcome.value}; "
            "only an attempt left without one can be given one later"
        )
    if outcome.channel is not row.channel:
        raise InvalidInputError(
            f"{outcome.value} is not an outcome of attempt #{attempt_id}: "
            f"it was by {row.channel.value}"
        )
    row.outcome = outcome
    if row.channel is Channel.CALL and row.ended_at is None and not logged_late:
        row.ended_at = max(clock(), row.at)
    if notes is not None:
        row.notes = notes.strip()
    if script_name is not None:
        row.script_name = script_name
    if rendered_text is not None:
        row.rendered_text = rendered_text
    _apply_outcome(session, prospect_row(session, row.prospect_id), row, clock)
    return attempt_record(row)


def update_attempt_notes(session: Session, attempt_id: int, notes: str) -> AttemptRecord:
    """Keep what the rep types about an attempt, before or after its outcome."""
    row = _attempt(session, attempt_id)
    row.notes = notes.strip()
    session.flush()
    reindex_prospects(session, [row.prospect_id])
    return attempt_record(row)


def _apply_outcome(session: Session, prospect: Prospect, attempt: Attempt, clock: Clock) -> None:
    assert attempt.outcome is not None
    # The status only moves forward, so a back-dated entry is taken as it
    # comes: it cannot undo what a later attempt said.
    prospect.status = status_after(prospect.status, attempt.outcome)
    prospect.updated_at = clock()
    session.flush()
    if attempt.notes:
        reindex_prospects(session, [prospect.id])


def record_time_check(
    session: Session,
    attempt_id: int,
    *,
    asked: bool,
    minutes_available: int | None,
    call_type: CallTypeRecord,
    immediate_need: bool,
) -> TimeCheckRecord:
    """Save (or correct) the time check of a call and the decision it leads to."""
    attempt = _attempt(session, attempt_id)
    if attempt.channel is not Channel.CALL:
        raise InvalidInputError("only calls have a time check")
    advice = decide(minutes_available, call_type.minutes, immediate_need)
    rep_id = acting_rep_id(session)
    row = session.scalar(select(TimeCheck).where(TimeCheck.attempt_id == attempt_id))
    if row is None:
        row = TimeCheck(attempt_id=attempt_id)
        session.add(row)
    row.rep_id = rep_id
    row.asked = asked
    row.minutes_available = minutes_available
    row.call_type = call_type.name
    row.minutes_needed = call_type.minutes
    row.immediate_need = immediate_need
    row.decision = advice.decision
    session.flush()
    return time_check_record(row)


def add_pain(
    session: Session,
    clock: Clock,
    prospect_id: int,
    kind: PainKind,
    words: str = "",
    *,
    attempt_id: int | None = None,
    asked: bool = False,
    acknowledged: bool = False,
) -> PainRecord:
    """Note a pain the prospect mentioned, on the current call if there is one.

    ``asked`` and ``acknowledged`` are set at once when the pain is noted after
    the call (the command line), so the note is never stored half-known.
    """
    prospect_row(session, prospect_id)
    if attempt_id is not None and _attempt(session, attempt_id).prospect_id != prospect_id:
        raise InvalidInputError(f"attempt #{attempt_id} is not a call with prospect #{prospect_id}")
    row = Pain(
        prospect_id=prospect_id,
        attempt_id=attempt_id,
        kind=kind,
        words=words.strip(),
        asked=asked,
        acknowledged=acknowledged,
        can_help=False,
        noted_at=clock(),
        rep_id=acting_rep_id(session),
    )
    session.add(row)
    session.flush()
    return pain_record(row)


def update_pain(
    session: Session,
    pain_id: int,
    *,
    words: str | None = None,
    kind: PainKind | None = None,
    asked: bool | None = None,
    acknowledged: bool | None = None,
    can_help: bool | None = None,
) -> PainRecord:
    """Change a pain note; None leaves a field alone."""
    row = session.get(Pain, pain_id)
    if row is None:
        raise NotFoundError(f"no pain #{pain_id}")
    if words is not None:
        row.words = words.strip()
    if kind is not None:
        row.kind = kind
    if asked is not None:
        row.asked = asked
    if acknowledged is not None:
        row.acknowledged = acknowledged
    if can_help is not None:
        row.can_help = can_help
    session.flush()
    return pain_record(row)


def add_follow_up(
    session: Session,
    prospect_id: int,
    *,
    due_at: datetime,
    minutes: int,
    kind: FollowUpKind,
    reason: str = "",
    attempt_id: int | None = None,
    call_type: str | None = None,
) -> FollowUpRecord:
    """Book something to do for a prospect at ``due_at``."""
    prospect_row(session, prospect_id)
    if due_at.tzinfo is None:
        raise InvalidInputError("a follow-up time needs a time zone")
    if minutes <= 0:
        raise InvalidInputError("a follow-up needs a positive length in minutes")
    row = FollowUp(
        prospect_id=prospect_id,
        attempt_id=attempt_id,
        due_at=due_at,
        minutes=minutes,
        kind=kind,
        reason=reason.strip(),
        done=False,
        call_type=call_type,
        rep_id=acting_rep_id(session),
    )
    session.add(row)
    session.flush()
    return follow_up_record(row)


def move_booking(
    session: Session, clock: Clock, follow_up_id: int, due_at: datetime
) -> FollowUpRecord:
    """Put a booked call at another time; its calendar event changes with it."""
    row = _open_booking(session, follow_up_id, "moved")
    if due_at.tzinfo is None:
        raise InvalidInputError("a follow-up time needs a time zone")
    if due_at <= clock():
        raise InvalidInputError("pick a time in the future for the call")
    if due_at == row.due_at:
        raise InvalidInputError(f"booking #{follow_up_id} is already at that time")
    row.due_at = due_at
    row.sequence += 1
    session.flush()
    return follow_up_record(row)


def cancel_booking(session: Session, clock: Clock, follow_up_id: int) -> FollowUpRecord:
    """Call a booked call off: it leaves the queue, and its calendar event is cancelled."""
    row = _open_booking(session, follow_up_id, "cancelled")
    row.cancelled_at = clock()
    row.done = True
    row.sequence += 1
    session.flush()
    return follow_up_record(row)


def _open_booking(session: Session, follow_up_id: int, change: str) -> FollowUp:
    """A booked call still to come, or a message saying why it cannot be ``change``."""
    row = session.get(FollowUp, follow_up_id)
    if row is None or row.kind is not FollowUpKind.MEETING:
        raise NotFoundError(f"no booked call #{follow_up_id}")
    if row.cancelled_at is not None:
        raise InvalidInputError(f"booking #{follow_up_id} is already cancelled")
    if row.done:
        raise InvalidInputError(
            f"booking #{follow_up_id} is done (a call was logged); it cannot be {change}"
        )
    return row


def _attempt(session: Session, attempt_id: int) -> Attempt:
    row = session.get(Attempt, attempt_id)
    if row is None:
        raise NotFoundError(f"no attempt #{attempt_id}")
    return row


def prospect_of_attempt(session: Session, attempt_id: int) -> int:
    return _attempt(session, attempt_id).prospect_id
