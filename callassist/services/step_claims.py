"""One attempt per cadence step, whoever logs it: a colleague's step is not logged twice.

Two reps who both take the top of the queue both leave the first voicemail; the
engine counts every attempt as a step, so the cadence would skip one. An
attempt that uses up a step of a running cadence records it (its number within
the enrollment, and when the enrollment began) under a unique index:

- two attempts logged at the same moment (PostgreSQL lets both transactions
  read the same history) both claim the same step, and the database refuses
  the second when the first commits;
- an attempt logged after a colleague's (SQLite takes one writer at a time, so
  the second reads the first) would claim the next step, but that step is not
  due yet: logging it now, right after a colleague's, is repeating their step,
  and it is refused too.

Either way the refusal names the colleague, what they logged and when.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callassist.cadence import ENDING_OUTCOMES, STEP_OUTCOMES, FollowedCadences, work_out
from callassist.clock import Clock
from callassist.db.models import Attempt, Enrollment, Prospect, Rep
from callassist.errors import InvalidInputError
from callassist.phones import zone
from callassist.services.cadence_queue import reach_of
from callassist.services.profile import get_profile
from callassist.vocabulary import Outcome


@dataclass(frozen=True, slots=True)
class _Logged:
    """An attempt of the enrollment's history, as the claim reads it."""

    id: int
    at: datetime
    outcome: Outcome | None
    rep_id: int


def claim_step(session: Session, clock: Clock, cadences: FollowedCadences, attempt_id: int) -> None:
    """Record the step of the prospect's running cadence that this attempt uses up.

    InvalidInputError (naming the colleague) when a colleague has just logged
    that step. An attempt that uses up no step (a reply, an open call, one
    before the enrollment, no cadence) records none.
    """
    row = session.get(Attempt, attempt_id)
    assert row is not None, "claimed right after it was stored"
    enrollment = session.scalar(
        select(Enrollment).where(
            Enrollment.prospect_id == row.prospect_id, Enrollment.ended_at.is_(None)
        )
    )
    if enrollment is None or row.outcome not in STEP_OUTCOMES or row.at < enrollment.enrolled_at:
        row.cadence_step = row.cadence_since = None
        session.flush()
        return
    since = enrollment.enrolled_at
    if row.cadence_since == since and row.cadence_step is not None:
        return  # a step already, given another step outcome (voicemail, then no answer)
    history = _history(session, row.prospect_id, since, besides=attempt_id)
    if any(logged.outcome in ENDING_OUTCOMES for logged in history):
        return  # the cadence ended with a reply or a stop: settling stores that
    steps = [logged for logged in history if logged.outcome in STEP_OUTCOMES]
    if steps:
        last = steps[-1]
        cadence = cadences.of_enrollment(enrollment.cadence, enrollment.rep_id)
        if last.rep_id != row.rep_id and cadence is not None:
            title = session.scalar(select(Prospect.title).where(Prospect.id == row.prospect_id))
            progress = work_out(
                cadence,
                title=title or "",
                enrolled_at=since,
                attempts=history,
                reach=reach_of(session, row.prospect_id),
                now=row.at,
            )
            step = progress.next_step
            if step is not None and row.at < step.due_at:
                raise InvalidInputError(_already_logged(session, clock, last, steps))
    prospect_id, claimed = row.prospect_id, len(steps) + 1
    try:
        # Set inside the savepoint: beginning it flushes what is pending before it.
        with session.begin_nested():
            row.cadence_since, row.cadence_step = since, claimed
            session.flush()
    except IntegrityError:
        # A colleague's attempt committed the same step meanwhile: theirs counts.
        steps = [
            logged
            for logged in _history(session, prospect_id, since, besides=attempt_id)
            if logged.outcome in STEP_OUTCOMES
        ]
        theirs = _Logged(
            *session.execute(
                select(Attempt.id, Attempt.at, Attempt.outcome, Attempt.rep_id).where(
                    Attempt.prospect_id == prospect_id,
                    Attempt.cadence_since == since,
                    Attempt.cadence_step == claimed,
                )
            ).one()
        )
        raise InvalidInputError(_already_logged(session, clock, theirs, steps)) from None


def _history(session: Session, prospect_id: int, since: datetime, *, besides: int) -> list[_Logged]:
    """The prospect's attempts with an outcome since ``since``, but ``besides``, in time order."""
    rows = session.execute(
        select(Attempt.id, Attempt.at, Attempt.outcome, Attempt.rep_id)
        .where(
            Attempt.prospect_id == prospect_id,
            Attempt.at >= since,
            Attempt.outcome.is_not(None),
            Attempt.id != besides,
        )
        .order_by(Attempt.at, Attempt.id)
    )
    return [_Logged(*row) for row in rows]


def _already_logged(
    session: Session, clock: Clock, theirs: _Logged, steps: Sequence[_Logged]
) -> str:
    """ "Dana Price already left voicemail 1 for this prospect at 09:12"."""
    name, email = session.execute(select(Rep.name, Rep.email).where(Rep.id == theirs.rep_id)).one()
    done = theirs.outcome
    assert done is not None

    def counted_with_theirs(logged: _Logged) -> bool:
        """Voicemails are numbered among voicemails, other calls among calls, emails apart."""
        if done is Outcome.VOICEMAIL_LEFT:
            return logged.outcome is Outcome.VOICEMAIL_LEFT
        return logged.outcome is not None and logged.outcome.channel is done.channel

    number = sum(
        1
        for logged in steps
        if counted_with_theirs(logged) and (logged.at, logged.id) <= (theirs.at, theirs.id)
    )
    did = {
        Outcome.VOICEMAIL_LEFT: f"left voicemail {number}",
        Outcome.NO_ANSWER: f"made call {number} (no answer)",
        Outcome.EMAIL_SENT: f"sent email {number}",
    }[done]
    where = zone(get_profile(session).timezone)
    local = theirs.at.astimezone(where)
    day = (
        "" if local.date() == clock().astimezone(where).date() else f" on {local:%a %b} {local.day}"
    )
    return (
        f"{name or email or 'a colleague'} already {did} for this prospect{day} at "
        f"{local:%H:%M}; not logged again, so the cadence does not skip a step"
    )
