"""Enrollment in cadences, the engine's answers stored, and the day's queue."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from callassist.cadence import (
    ENDING_OUTCOMES,
    Cadence,
    CadenceError,
    CadenceState,
    Progress,
    StepAction,
    next_call_after_message,
    next_working_day,
    work_out,
)
from callassist.clock import Clock
from callassist.db.models import Attempt, Enrollment, FollowUp, Prospect
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import is_time_zone, region_of_zone, zone
from callassist.records import AttemptRecord, EnrollmentRecord, QueueItem
from callassist.services.convert import prospect_record
from callassist.services.profile import get_profile
from callassist.services.prospects import prospect_row
from callassist.vocabulary import (
    ENROLL_WARNING,
    STATUS_RANK,
    FollowUpKind,
    Outcome,
    ProspectStatus,
    QueueAction,
)
from callassist.workdays import BusinessHours, Office, Reach, country_of

FOLLOW_UP_SCRIPT = "time_check_question"
"""A booked call opens with "is this still a good time?"."""
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
    row = session.scalar(select(Enrollment).where(Enrollment.prospect_id == prospect_id))
    if row is None:
        row = Enrollment(prospect_id=prospect_id)
        session.add(row)
    row.cadence = cadence.name
    # To the minute, as the first step's due time is shown: a call logged at
    # that time ("--at 14:16") must count as the step, not fall just before it.
    row.enrolled_at = clock().replace(second=0, microsecond=0)
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


@dataclass(frozen=True, slots=True)
class _Who:
    """The prospect's fields a queue line and the engine read."""

    id: int
    first_name: str
    last_name: str
    company: str
    title: str
    timezone: str | None
    phone: str | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


_WHO_COLUMNS = (
    Prospect.id,
    Prospect.first_name,
    Prospect.last_name,
    Prospect.company,
    Prospect.title,
    Prospect.timezone,
    # The number whose country gives their holidays when their zone does not.
    func.coalesce(Prospect.phone_e164, Prospect.office_e164, Prospect.mobile_e164),
)


def _who(values: Sequence[Any]) -> _Who:
    """A :class:`_Who` from the values of ``_WHO_COLUMNS`` at the end of a row."""
    prospect_id, first_name, last_name, company, title, timezone, phone = values
    return _Who(prospect_id, first_name, last_name, company, title, timezone, phone)


class BadZoneError(InvalidInputError):
    """A prospect's stored time zone is not one (an old database, another tool wrote it)."""


def bad_zone_problem(prospect_id: int, name: str, stored: str) -> str:
    """Why a prospect whose stored time zone is not one is left out, in words."""
    return (
        f"{name} (#{prospect_id}) has {stored!r} as time zone, which is not one: they are "
        "left out of the queue until it is fixed (set theirs on their card)"
    )


def bad_zone_problems(session: Session) -> list[str]:
    """Each prospect whose stored time zone is not one, in the words of :func:`bad_zone_problem`."""
    stored = session.scalars(
        select(Prospect.timezone).where(Prospect.timezone.is_not(None)).distinct()
    )
    bad = [name for name in stored if name is not None and not is_time_zone(name)]
    if not bad:
        return []
    rows = session.execute(
        select(Prospect.id, Prospect.first_name, Prospect.last_name, Prospect.timezone)
        .where(Prospect.timezone.in_(bad))
        .order_by(Prospect.id)
    )
    return [
        bad_zone_problem(prospect_id, f"{first_name} {last_name}".strip(), str(timezone))
        for prospect_id, first_name, last_name, timezone in rows
    ]


def _their_zone(who: _Who, rep_zone: str) -> ZoneInfo:
    """The prospect's zone, the rep's when they have none; BadZoneError names them."""
    try:
        return zone(who.timezone or rep_zone)
    except InvalidInputError:
        raise BadZoneError(bad_zone_problem(who.id, who.name, str(who.timezone))) from None


class _Reaches:
    """The rep's office, and the :class:`Reach` of each prospect office met in one pass.

    Thousands of prospects share a few zones and countries: each pair is built
    once, with the windows of its days, rather than once per prospect.
    """

    def __init__(self, session: Session) -> None:
        profile = get_profile(session)
        self.hours = BusinessHours(profile.business_start, profile.business_end)
        self.rep_zone = profile.timezone
        self.rep = Office(zone(profile.timezone), self.hours, region_of_zone(profile.timezone))
        self._built: dict[tuple[str, str | None], Reach] = {}

    def of(self, who: _Who) -> Reach:
        """When the rep reaches ``who``; BadZoneError when their stored zone is not one.

        Their holidays are those of :func:`~callassist.workdays.country_of`.
        """
        their_zone = _their_zone(who, self.rep_zone)
        country = country_of(who.timezone, who.phone, self.rep_zone)
        key = (str(their_zone), country)
        if key not in self._built:
            prospect = Office(their_zone, self.hours, country)
            self._built[key] = Reach(prospect, self.rep)
        return self._built[key]


class _Dial(NamedTuple):
    """An attempt as the engine reads it (a :class:`~callassist.cadence.Dialled`)."""

    at: datetime
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class _Running:
    """One enrollment, its prospect and its attempts since enrollment, read as plain columns.

    The queue reads thousands of these every minute; building ORM objects for
    them cost more than everything else it does.
    """

    id: int
    prospect_id: int
    cadence: str
    enrolled_at: datetime
    paused_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    who: _Who
    history: list[_Dial]


def _running(session: Session, *conditions: ColumnElement[bool]) -> list[_Running]:
    """Enrollments matching ``conditions``, each with its prospect and attempts since enrollment.

    Two queries however many match, where there used to be one per enrollment.
    """
    history: defaultdict[int, list[_Dial]] = defaultdict(list)
    # The same conditions in a join rather than a list of ids: thousands of ids
    # would run into SQLite's limit on bound parameters.
    for prospect_id, at, outcome in session.execute(
        select(Attempt.prospect_id, Attempt.at, Attempt.outcome)
        .join(Enrollment, Enrollment.prospect_id == Attempt.prospect_id)
        .where(*conditions, Attempt.at >= Enrollment.enrolled_at)
    ):
        history[prospect_id].append(_Dial(at, outcome))
    rows = session.execute(
        select(
            Enrollment.id,
            Enrollment.prospect_id,
            Enrollment.cadence,
            Enrollment.enrolled_at,
            Enrollment.paused_at,
            Enrollment.ended_at,
            Enrollment.end_reason,
            *_WHO_COLUMNS,
        )
        .join(Prospect)
        .where(*conditions)
    )
    return [_Running(*row[:7], who=_who(row[7:]), history=history[row.prospect_id]) for row in rows]


def _progress(running: _Running, cadence: Cadence, now: datetime, reaches: _Reaches) -> Progress:
    return work_out(
        cadence,
        title=running.who.title,
        enrolled_at=running.enrolled_at,
        attempts=running.history,
        reach=reaches.of(running.who),
        now=now,
    )


def _worked_out(
    session: Session,
    cadences: dict[str, Cadence],
    now: datetime,
    reaches: _Reaches,
    *conditions: ColumnElement[bool],
) -> tuple[list[tuple[_Running, Cadence, Progress]], dict[int, Progress]]:
    """The running enrollments matching ``conditions`` with their progress at ``now``,
    and (by enrollment id) those the history shows as over, for :func:`_end` to store.

    An enrollment in a cadence file that is gone is skipped: it waits for the
    file to come back. So is one whose prospect has a stored time zone that is
    not one (see :func:`bad_zone_problem`): it waits for the zone to be fixed.
    """
    worked: list[tuple[_Running, Cadence, Progress]] = []
    ended: dict[int, Progress] = {}
    for running in _running(session, *conditions):
        cadence = cadences.get(running.cadence)
        if cadence is None:
            continue
        try:
            progress = _progress(running, cadence, now, reaches)
        except BadZoneError:
            continue
        if progress.state is not CadenceState.ACTIVE:
            ended[running.id] = progress
        worked.append((running, cadence, progress))
    return worked, ended


def settle(
    session: Session,
    clock: Clock,
    cadences: dict[str, Cadence],
    prospect_ids: Iterable[int] | None = None,
) -> set[int]:
    """Store what the history says: cadences ended by a reply or a stop, prospects moved on.

    Returns the prospects whose cadence ended here (empty when nothing changed).
    """
    conditions = [Enrollment.ended_at.is_(None), Enrollment.paused_at.is_(None)]
    if prospect_ids is not None:
        conditions.append(Enrollment.prospect_id.in_(list(prospect_ids)))
    now = clock()
    _, ended = _worked_out(session, cadences, now, _Reaches(session), *conditions)
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


def describe(
    session: Session, clock: Clock, prospect_id: int, cadences: dict[str, Cadence]
) -> EnrollmentRecord:
    """The prospect's enrollment with its next step, as the card shows it."""
    found = _running(session, Enrollment.prospect_id == prospect_id)
    if not found:
        raise NotFoundError(f"prospect #{prospect_id} is not in a cadence")
    [running] = found
    cadence = cadences.get(running.cadence)
    if cadence is None:
        raise CadenceError(
            f"{running.who.name} (#{prospect_id}) is in cadence {running.cadence!r}, "
            "which is missing or broken (`callassist cadences` says why)"
        )
    steps = len(cadence.steps_for(running.who.title))
    if running.ended_at is not None:
        progress = Progress(CadenceState(str(running.end_reason)), None, ended_at=running.ended_at)
    else:
        progress = _progress(running, cadence, clock(), _Reaches(session))
    step = progress.next_step
    return EnrollmentRecord(
        prospect_id=prospect_id,
        cadence=cadence.name,
        cadence_title=cadence.title,
        enrolled_at=running.enrolled_at,
        paused=running.paused_at is not None,
        state=progress.state,
        ended_at=progress.ended_at,
        next_action=step.step.action if step else None,
        next_due_at=step.due_at if step else None,
        next_script=step.step.script if step else None,
        leave_message=step.step.leave_message if step else False,
        step=step.step_index if step else None,
        steps=steps,
        attempt=step.attempt if step and step.step.action is not StepAction.MOVE_ON else None,
        prompt=_prompt(cadence, running.who.title, progress),
    )


@dataclass(frozen=True, slots=True)
class SaidDays:
    """The days a message names, on the prospect's calendar (the listener's days)."""

    today: date
    next_call: date
    """The day of the next call if a voicemail is left now."""
    first_voicemail: date | None
    """The day of the first voicemail of their cadence (of all, when in none); None if none."""


def reach_of(session: Session, prospect_id: int) -> Reach:
    """When the rep reaches one prospect; NotFoundError when there is no such prospect."""
    reaches = _Reaches(session)
    found_who = session.execute(select(*_WHO_COLUMNS).where(Prospect.id == prospect_id)).first()
    if found_who is None:
        raise NotFoundError(f"no prospect #{prospect_id}")
    try:
        return reaches.of(_who(found_who))
    except BadZoneError:
        # A stored zone that is none is reported where the queue and card show
        # it; a script or a slot is still worked out, on the rep's calendar.
        return Reach(reaches.rep, reaches.rep)


def said_days(
    session: Session, clock: Clock, prospect_id: int, cadences: dict[str, Cadence]
) -> SaidDays:
    """The days a voicemail or email left now talks about.

    The next call is the running cadence's next call step, worked out as if the
    message were logged now. Outside a running cadence, or when no call follows,
    it is the next working day: the day a promise to call "tomorrow" is kept.
    """
    now = clock()
    reach = reach_of(session, prospect_id)
    where = reach.prospect.zone
    today = now.astimezone(where).date()
    found = _running(session, Enrollment.prospect_id == prospect_id)
    next_call = None
    first_voicemail = select(func.min(Attempt.at)).where(
        Attempt.prospect_id == prospect_id, Attempt.outcome == Outcome.VOICEMAIL_LEFT
    )
    if found:
        [running] = found
        first_voicemail = first_voicemail.where(Attempt.at >= running.enrolled_at)
        cadence = cadences.get(running.cadence)
        if cadence is not None and running.ended_at is None and running.paused_at is None:
            next_call = next_call_after_message(
                cadence,
                title=running.who.title,
                enrolled_at=running.enrolled_at,
                attempts=running.history,
                reach=reach,
                left_at=now,
            )
    first = session.scalar(first_voicemail)
    return SaidDays(
        today=today,
        next_call=(
            next_call.astimezone(where).date()
            if next_call
            else next_working_day(today, reach.prospect)
        ),
        first_voicemail=first.astimezone(where).date() if first else None,
    )


def _prompt(cadence: Cadence, title: str, progress: Progress) -> str:
    """The words the cadence has for the rep now: the next step's, or the move-on step's."""
    if progress.next_step is not None:
        return progress.next_step.step.prompt
    if progress.state is CadenceState.MOVED_ON:
        # Moved on, the last step still says what to do next ("find another contact...").
        steps = cadence.steps_for(title)
        if steps and steps[-1].action is StepAction.MOVE_ON:
            return steps[-1].prompt
    return ""


def queue(
    session: Session, clock: Clock, cadences: dict[str, Cadence], day: date | None = None
) -> list[QueueItem]:
    """Who is due on ``day`` (the rep's today by default): due and overdue first, then later.

    It only reads: a cadence found ended on the way (a move-on step came due
    since the last look) shows no step, and is stored as ended by :func:`settle`.
    """
    reaches = _Reaches(session)
    rep = reaches.rep.zone
    now = clock()
    today = now.astimezone(rep).date()
    day = day or today
    day_start = datetime.combine(day, time(), rep)
    day_end = day_start + timedelta(days=1)
    cutoff = now if day == today else day_start
    items: list[QueueItem] = []
    running_now = (Enrollment.ended_at.is_(None), Enrollment.paused_at.is_(None))
    worked, _ = _worked_out(session, cadences, now, reaches, *running_now)
    for running, cadence, progress in worked:
        step = progress.next_step
        if step is None or step.due_at >= day_end:
            continue
        items.append(
            _item(
                running.who,
                reaches,
                due_at=step.due_at,
                action=QueueAction(step.step.action),
                leave_message=step.step.leave_message,
                script=step.step.script,
                cadence=cadence.name,
                cadence_title=cadence.title,
                step=step.step_index,
                steps=len(cadence.steps_for(running.who.title)),
                attempt=step.attempt if step.step.action is not StepAction.MOVE_ON else None,
                overdue=step.due_at <= cutoff,
                late_after=step.late_after,
                prompt=step.step.prompt,
            )
        )
    follow_ups = session.execute(
        select(FollowUp.due_at, FollowUp.kind, FollowUp.reason, *_WHO_COLUMNS)
        .join(Prospect)
        .where(FollowUp.done.is_(False), FollowUp.due_at < day_end)
    )
    for due_at, kind, reason, *who in follow_ups:
        try:
            item = _item(
                _who(who),
                reaches,
                due_at=due_at,
                action=QueueAction(kind),
                leave_message=False,
                script=FOLLOW_UP_SCRIPT if kind is not FollowUpKind.EMAIL else None,
                cadence=None,
                cadence_title=None,
                step=None,
                steps=None,
                attempt=None,
                overdue=due_at <= cutoff,
                late_after=due_at,
                prompt=reason,
            )
        except BadZoneError:
            continue  # a booked call waits with the prospect's cadence for their zone
        items.append(item)
    items.sort(key=lambda item: (not item.overdue, item.due_at, item.name))
    return items


def _item(who: _Who, reaches: _Reaches, **fields: object) -> QueueItem:
    due_at = fields["due_at"]
    assert isinstance(due_at, datetime)
    return QueueItem(
        prospect_id=who.id,
        name=who.name,
        company=who.company,
        job_title=who.title,
        local_time=due_at.astimezone(_their_zone(who, reaches.rep_zone)),
        # A step is due outside the rep's hours only where the prospect's day
        # never meets theirs; a booked call, where the two agreed on such a time.
        within_your_hours=reaches.rep.is_open(due_at),
        their_zone_known=who.timezone is not None,
        **fields,  # type: ignore[arg-type]
    )
