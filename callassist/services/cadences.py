"""Enrollment in cadences, the engine's answers stored, and the day's queue."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from callassist.cadence import (
    BusinessHours,
    Cadence,
    CadenceError,
    CadenceState,
    Progress,
    StepAction,
    work_out,
)
from callassist.clock import Clock
from callassist.db.models import Attempt, Enrollment, FollowUp, Prospect
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import zone
from callassist.records import EnrollmentRecord, QueueItem
from callassist.services.convert import attempt_record
from callassist.services.profile import get_profile
from callassist.services.prospects import prospect_row
from callassist.vocabulary import FollowUpKind, ProspectStatus

FOLLOW_UP_SCRIPT = "time_check_question"
"""A booked call opens with "is this still a good time?"."""


def enroll(session: Session, clock: Clock, prospect_id: int, cadence: Cadence) -> EnrollmentRecord:
    """Put a prospect in ``cadence`` from now (replacing any earlier enrollment)."""
    prospect_row(session, prospect_id)
    row = session.scalar(select(Enrollment).where(Enrollment.prospect_id == prospect_id))
    if row is None:
        row = Enrollment(prospect_id=prospect_id)
        session.add(row)
    row.cadence = cadence.name
    row.enrolled_at = clock()
    row.paused_at = row.ended_at = row.end_reason = None
    session.flush()
    return describe(session, clock, prospect_id, {cadence.name: cadence})


def pause(
    session: Session, clock: Clock, prospect_id: int, cadences: dict[str, Cadence]
) -> EnrollmentRecord:
    row = _active(session, prospect_id)
    if row.paused_at is not None:
        raise InvalidInputError("the cadence is already paused")
    row.paused_at = clock()
    session.flush()
    return describe(session, clock, prospect_id, cadences)


def resume(
    session: Session, clock: Clock, prospect_id: int, cadences: dict[str, Cadence]
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


def _hours(session: Session) -> tuple[BusinessHours, str]:
    profile = get_profile(session)
    return BusinessHours(profile.business_start, profile.business_end), profile.timezone


def _progress(
    session: Session,
    row: Enrollment,
    prospect: Prospect,
    cadence: Cadence,
    now: datetime,
    hours: BusinessHours,
    rep_zone: str,
) -> Progress:
    attempts = session.scalars(
        select(Attempt).where(Attempt.prospect_id == row.prospect_id, Attempt.at >= row.enrolled_at)
    ).all()
    return work_out(
        cadence,
        title=prospect.title,
        enrolled_at=row.enrolled_at,
        attempts=[attempt_record(a) for a in attempts],
        zone=zone(prospect.timezone or rep_zone),
        hours=hours,
        now=now,
    )


def settle(
    session: Session,
    clock: Clock,
    cadences: dict[str, Cadence],
    prospect_ids: Iterable[int] | None = None,
) -> None:
    """Store what the history says: cadences ended by a reply or a stop, prospects moved on."""
    statement = select(Enrollment, Prospect).join(Prospect).where(Enrollment.ended_at.is_(None))
    if prospect_ids is not None:
        statement = statement.where(Enrollment.prospect_id.in_(list(prospect_ids)))
    hours, rep_zone = _hours(session)
    now = clock()
    for row, prospect in session.execute(statement):
        cadence = cadences.get(row.cadence)
        if cadence is None or row.paused_at is not None:
            continue
        progress = _progress(session, row, prospect, cadence, now, hours, rep_zone)
        if progress.state is CadenceState.ACTIVE:
            continue
        row.ended_at = progress.ended_at or now
        row.end_reason = progress.state.value
        if progress.state is CadenceState.MOVED_ON:
            prospect.status = ProspectStatus.MOVED_ON
            prospect.updated_at = now
    session.flush()


def close_follow_ups(session: Session, prospect_id: int, at: datetime, rep_zone: str) -> None:
    """An attempt takes care of the prospect's follow-ups due by the end of its day."""
    local = at.astimezone(zone(rep_zone))
    end_of_day = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    for follow_up in session.scalars(
        select(FollowUp).where(
            FollowUp.prospect_id == prospect_id,
            FollowUp.done.is_(False),
            FollowUp.due_at < end_of_day,
        )
    ):
        follow_up.done = True
    session.flush()


def describe(
    session: Session, clock: Clock, prospect_id: int, cadences: dict[str, Cadence]
) -> EnrollmentRecord:
    """The prospect's enrollment with its next step, as the card shows it."""
    row = session.scalar(select(Enrollment).where(Enrollment.prospect_id == prospect_id))
    if row is None:
        raise NotFoundError(f"prospect #{prospect_id} is not in a cadence")
    prospect = prospect_row(session, prospect_id)
    cadence = cadences.get(row.cadence)
    if cadence is None:
        raise CadenceError(
            f"prospect #{prospect_id} is in cadence {row.cadence!r}, which is missing"
        )
    hours, rep_zone = _hours(session)
    steps = len(cadence.steps_for(prospect.title))
    if row.ended_at is not None:
        progress = Progress(CadenceState(str(row.end_reason)), None, ended_at=row.ended_at)
    else:
        progress = _progress(session, row, prospect, cadence, clock(), hours, rep_zone)
    step = progress.next_step
    return EnrollmentRecord(
        prospect_id=prospect_id,
        cadence=cadence.name,
        cadence_title=cadence.title,
        enrolled_at=row.enrolled_at,
        paused=row.paused_at is not None,
        state=progress.state.value,
        ended_at=progress.ended_at,
        next_action=step.step.action.value if step else None,
        next_due_at=step.due_at if step else None,
        next_script=step.step.script if step else None,
        leave_message=step.step.leave_message if step else False,
        step=step.step_index if step else None,
        steps=steps,
        attempt=step.attempt if step and step.step.action is not StepAction.MOVE_ON else None,
    )


def queue(
    session: Session, clock: Clock, cadences: dict[str, Cadence], day: date | None = None
) -> list[QueueItem]:
    """Who is due on ``day`` (the rep's today by default): due and overdue first, then later."""
    hours, rep_zone = _hours(session)
    rep = zone(rep_zone)
    now = clock()
    today = now.astimezone(rep).date()
    day = day or today
    day_start = datetime.combine(day, time(), rep)
    day_end = day_start + timedelta(days=1)
    cutoff = now if day == today else day_start
    items: list[QueueItem] = []
    enrolled = session.execute(
        select(Enrollment, Prospect)
        .join(Prospect)
        .where(Enrollment.ended_at.is_(None), Enrollment.paused_at.is_(None))
    )
    for row, prospect in enrolled:
        cadence = cadences.get(row.cadence)
        if cadence is None:
            continue
        progress = _progress(session, row, prospect, cadence, now, hours, rep_zone)
        step = progress.next_step
        if step is None or step.due_at >= day_end:
            continue
        items.append(
            _item(
                prospect,
                rep_zone,
                due_at=step.due_at,
                action=step.step.action.value,
                leave_message=step.step.leave_message,
                script=step.step.script,
                cadence=cadence.name,
                step=step.step_index,
                attempt=step.attempt if step.step.action is not StepAction.MOVE_ON else None,
                overdue=step.due_at <= cutoff,
                prompt=step.step.prompt,
            )
        )
    follow_ups = session.execute(
        select(FollowUp, Prospect)
        .join(Prospect)
        .where(FollowUp.done.is_(False), FollowUp.due_at < day_end)
    )
    for follow_up, prospect in follow_ups:
        items.append(
            _item(
                prospect,
                rep_zone,
                due_at=follow_up.due_at,
                action="meeting"
                if follow_up.kind is FollowUpKind.MEETING
                else follow_up.kind.value,
                leave_message=False,
                script=FOLLOW_UP_SCRIPT if follow_up.kind is not FollowUpKind.EMAIL else None,
                cadence=None,
                step=None,
                attempt=None,
                overdue=follow_up.due_at <= cutoff,
                prompt=follow_up.reason,
            )
        )
    items.sort(key=lambda item: (not item.overdue, item.due_at, item.name))
    return items


def _item(prospect: Prospect, rep_zone: str, **fields: object) -> QueueItem:
    due_at = fields["due_at"]
    assert isinstance(due_at, datetime)
    return QueueItem(
        prospect_id=prospect.id,
        name=f"{prospect.first_name} {prospect.last_name}".strip(),
        company=prospect.company,
        local_time=due_at.astimezone(zone(prospect.timezone or rep_zone)),
        **fields,  # type: ignore[arg-type]
    )
