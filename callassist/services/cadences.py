"""Enrollment in cadences and the engine's answers stored, as ended cadences and as the
steps a look at the queue worked out.

Where each enrollment stands, and the day's queue, are worked out in
:mod:`callassist.services.cadence_queue`.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from operator import itemgetter

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from callassist.cadence import ENDING_OUTCOMES, Cadence, CadenceState, FollowedCadences, Progress
from callassist.clock import Clock
from callassist.db.models import Enrollment, FollowUp, Prospect, WorkedOutStep
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import zone
from callassist.records import AttemptRecord, EnrollmentRecord

# The reading side lives beside this module; callers keep finding it here.
from callassist.services.cadence_queue import BadZoneError as BadZoneError
from callassist.services.cadence_queue import KeptStep, Reaches, worked_out
from callassist.services.cadence_queue import bad_zone_problems as bad_zone_problems
from callassist.services.cadence_queue import describe as describe
from callassist.services.cadence_queue import queue as queue
from callassist.services.cadence_queue import reach_of as reach_of
from callassist.services.cadence_queue import said_days as said_days
from callassist.services.convert import prospect_record
from callassist.services.dialect_insert import dialect_insert
from callassist.services.profile import acting_rep_id
from callassist.services.prospects import prospect_row
from callassist.vocabulary import ENROLL_WARNING, STATUS_RANK, FollowUpKind, Outcome, ProspectStatus

_SETTLE_SLICE = 500
"""Enrollments ended per query when settling (well under SQLite's bound-parameter limit)."""


def enroll(
    session: Session, clock: Clock, prospect_id: int, cadence: Cadence, *, confirmed: bool = False
) -> EnrollmentRecord:
    """Put a prospect in ``cadence`` from now (replacing any earlier enrollment).

    Someone who said no, or could not be reached on what is on file, is
    enrolled only when ``confirmed``: the rep decided to try again.
    """
    prospect = prospect_row(session, prospect_id)
    warning = ENROLL_WARNING.get(prospect.status)
    if warning is not None and not confirmed:
        raise InvalidInputError(
            f"#{prospect.id} {prospect_record(prospect).full_name} {warning}: "
            "enroll them only when you confirm"
        )
    # One statement, inserting or else replacing the earlier enrollment: two reps
    # enrolling the same prospect at once both succeed, the later one's cadence kept.
    statement = dialect_insert(session, Enrollment).values(
        prospect_id=prospect_id,
        cadence=cadence.name,
        rep_id=acting_rep_id(session),
        # To the minute, as the first step's due time is shown: a call logged at
        # that time ("--at 14:16") must count as the step, not fall just before it.
        enrolled_at=clock().replace(second=0, microsecond=0),
        paused_at=None,
        ended_at=None,
        end_reason=None,
    )
    replaced = ("cadence", "rep_id", "enrolled_at", "paused_at", "ended_at", "end_reason")
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["prospect_id"],
            set_={name: statement.excluded[name] for name in replaced},
        )
    )
    # An enrollment this session read before holds the old values.
    session.scalars(
        select(Enrollment)
        .where(Enrollment.prospect_id == prospect_id)
        .execution_options(populate_existing=True)
    ).one()
    return describe(session, clock, prospect_id, FollowedCadences({cadence.name: cadence}))


def pause(
    session: Session, clock: Clock, prospect_id: int, cadences: FollowedCadences
) -> EnrollmentRecord:
    row = _active(session, prospect_id)
    if row.paused_at is not None:
        raise InvalidInputError("the cadence is already paused")
    row.paused_at = clock()
    session.flush()
    return describe(session, clock, prospect_id, cadences)


def resume(
    session: Session, clock: Clock, prospect_id: int, cadences: FollowedCadences
) -> EnrollmentRecord:
    row = _active(session, prospect_id)
    if row.paused_at is None:
        raise InvalidInputError("the cadence is not paused")
    row.paused_at = None
    session.flush()
    return describe(session, clock, prospect_id, cadences)


def remove(session: Session, prospect_id: int) -> None:
    """Take a prospect out of their cadence (history stays)."""
    row = session.scalar(select(Enrollment).where(Enrollment.prospect_id == prospect_id))
    if row is None:
        raise NotFoundError(f"prospect #{prospect_id} is not in a cadence")
    session.delete(row)
    session.flush()


def _active(session: Session, prospect_id: int) -> Enrollment:
    row = session.scalar(select(Enrollment).where(Enrollment.prospect_id == prospect_id))
    if row is None or row.ended_at is not None:
        raise NotFoundError(f"prospect #{prospect_id} is not in a running cadence")
    return row


def settle(
    session: Session,
    clock: Clock,
    cadences: FollowedCadences,
    prospect_ids: Iterable[int] | None = None,
) -> set[int]:
    """Store what the history says: cadences ended by a reply or a stop, prospects moved on.

    Returns the prospects whose cadence ended here (empty when nothing changed).
    """
    conditions = [Enrollment.ended_at.is_(None), Enrollment.paused_at.is_(None)]
    if prospect_ids is not None:
        conditions.append(Enrollment.prospect_id.in_(list(prospect_ids)))
    now = clock()
    _, ended = worked_out(session, cadences, now, Reaches(session), *conditions)
    return _end(session, ended, now)


def _end(session: Session, ended: dict[int, Progress], now: datetime) -> set[int]:
    """Store the end of each enrollment (by id) in ``ended``; return their prospects."""
    settled: set[int] = set()
    # Only the enrollments that end become objects to change: a handful at a
    # time, in slices so that a long absence cannot overflow the bound parameters.
    ids = list(ended)
    for start in range(0, len(ids), _SETTLE_SLICE):
        for row, prospect in session.execute(
            select(Enrollment, Prospect)
            .join(Prospect)
            .where(Enrollment.id.in_(ids[start : start + _SETTLE_SLICE]))
        ):
            progress = ended[row.id]
            row.ended_at = progress.ended_at or now
            row.end_reason = progress.state.value
            settled.add(row.prospect_id)
            # Running out of steps says less than any reply did: an engaged
            # or not-interested prospect keeps that status.
            moved_on = ProspectStatus.MOVED_ON
            if progress.state is CadenceState.MOVED_ON and (
                STATUS_RANK[prospect.status] < STATUS_RANK[moved_on]
            ):
                prospect.status = moved_on
                prospect.updated_at = now
    session.flush()
    return settled


def close_follow_ups(session: Session, attempt: AttemptRecord, rep_zone: str) -> None:
    """The attempt takes care of the prospect's follow-ups due by the end of its day.

    Only an attempt that reached them (or ended things) does: a booked call
    that rang out stays in the queue, overdue, rather than drop out of sight;
    an email sent only settles an email that was due. What this very call
    booked (a reschedule to later today) is left for later, of course.
    """
    if attempt.outcome in ENDING_OUTCOMES:
        kinds = tuple(FollowUpKind)
    elif attempt.outcome is Outcome.EMAIL_SENT:
        kinds = (FollowUpKind.EMAIL,)
    else:
        return
    local = attempt.at.astimezone(zone(rep_zone))
    end_of_day = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    for follow_up in session.scalars(
        select(FollowUp).where(
            FollowUp.prospect_id == attempt.prospect_id,
            FollowUp.done.is_(False),
            FollowUp.due_at < end_of_day,
            FollowUp.kind.in_(kinds),
            FollowUp.attempt_id.is_distinct_from(attempt.id),
        )
    ):
        follow_up.done = True
    session.flush()


def keep_worked_out(session: Session, worked: Sequence[KeptStep]) -> None:
    """Store the steps a look worked out (``worked``, as the look's
    :attr:`~callassist.services.cadence_queue.WorkedOutLines.worked_out` gives them).

    A row is only ever updated, never added: a prospect's row is made with their
    enrollment. A step whose prospect changed since it was worked out is not stored
    (nor would it be trusted, see :class:`~callassist.db.models.WorkedOutStep`).
    """
    if not worked:
        return
    # A statement on the table, not the model: a row missing is passed over rather
    # than refused. In the prospects' order, so two programs storing at once take
    # their rows' locks in the same order and never wait on each other in a circle.
    table = WorkedOutStep.__table__
    assert isinstance(table, Table)
    session.execute(
        update(table)
        .where(table.c.prospect_id == bindparam("prospect"), table.c.changes == bindparam("seen"))
        .values(worked_out_at_change=bindparam("seen")),
        sorted(worked, key=itemgetter("prospect")),
    )
