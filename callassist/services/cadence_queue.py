"""Where each cadence enrollment stands: the card's next step, the days a message names,
the day's queue. It only reads; :mod:`callassist.services.cadences` stores the changes,
and the steps a look worked out (``keep_worked_out``).

It stays one file past 500 lines: the card, the messages' days and the queue's lines all
read enrollments through the same few helpers (``_running``, ``_Who``, ``Reaches``), and
split apart those would be imported across modules as private names."""

import hashlib
import sys
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from callassist import cadence as cadence_module
from callassist import phones, titles, vocabulary, workdays
from callassist.cadence import (
    Cadence,
    CadenceError,
    CadenceState,
    FollowedCadences,
    Progress,
    Step,
    StepAction,
    next_call_after_message,
    next_working_day,
    work_out,
)
from callassist.clock import Clock
from callassist.db.models import Attempt, Enrollment, FollowUp, Prospect, WorkedOutStep
from callassist.db.worked_out_steps import missing_worked_out_step_triggers
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import is_time_zone, region_of_zone, zone
from callassist.records import EnrollmentRecord, QueueItem
from callassist.services.profile import get_profile
from callassist.vocabulary import FollowUpKind, Outcome, QueueAction
from callassist.workdays import BusinessHours, Office, Reach, country_of

FOLLOW_UP_SCRIPT = "time_check_question"
"""A booked call opens with "is this still a good time?"."""


class _Who(NamedTuple):
    """The prospect's fields a queue line and the engine read (a tuple: a look makes
    20,000, and a frozen dataclass takes four times as long to make)."""

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
    return _Who._make(values)


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


class Reaches:
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
    enrolled_by: int
    """The rep who enrolled them: their own version is followed when no other is known."""
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
            Enrollment.rep_id,
            *_WHO_COLUMNS,
        )
        .join(Prospect)
        .where(*conditions)
    )
    return [_Running(*row[:8], who=_who(row[8:]), history=history[row.prospect_id]) for row in rows]


def _progress(running: _Running, cadence: Cadence, now: datetime, reaches: Reaches) -> Progress:
    return work_out(
        cadence,
        title=running.who.title,
        enrolled_at=running.enrolled_at,
        attempts=running.history,
        reach=reaches.of(running.who),
        now=now,
    )


def worked_out(
    session: Session,
    cadences: FollowedCadences,
    now: datetime,
    reaches: Reaches,
    *conditions: ColumnElement[bool],
    only: Container[int] | None = None,
) -> tuple[list[tuple[_Running, Cadence, Progress]], dict[int, Progress]]:
    """The running enrollments matching ``conditions`` with their progress at ``now``,
    and (by enrollment id) those the history shows as over, for
    :func:`callassist.services.cadences.settle` to store; of the prospects ``only``
    names, when given (read with the others, but not worked out).

    An enrollment in a cadence file that is gone is skipped: it waits for the
    file to come back. So is one whose prospect has a stored time zone that is
    not one (see :func:`bad_zone_problem`): it waits for the zone to be fixed.
    """
    worked: list[tuple[_Running, Cadence, Progress]] = []
    ended: dict[int, Progress] = {}
    for running in _running(session, *conditions):
        if only is not None and running.prospect_id not in only:
            continue
        cadence = cadences.of_enrollment(running.cadence, running.enrolled_by)
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


def describe(
    session: Session, clock: Clock, prospect_id: int, cadences: FollowedCadences
) -> EnrollmentRecord:
    """The prospect's enrollment with its next step, as the card shows it."""
    found = _running(session, Enrollment.prospect_id == prospect_id)
    if not found:
        raise NotFoundError(f"prospect #{prospect_id} is not in a cadence")
    [running] = found
    cadence = cadences.of_enrollment(running.cadence, running.enrolled_by)
    if cadence is None:
        raise CadenceError(
            f"{running.who.name} (#{prospect_id}) is in cadence {running.cadence!r}, "
            "which is missing or broken (`callassist cadences` says why)"
        )
    steps = len(cadence.steps_for(running.who.title))
    if running.ended_at is not None:
        progress = Progress(CadenceState(str(running.end_reason)), None, ended_at=running.ended_at)
    else:
        progress = _progress(running, cadence, clock(), Reaches(session))
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
    reaches = Reaches(session)
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
    session: Session, clock: Clock, prospect_id: int, cadences: FollowedCadences
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
        cadence = cadences.of_enrollment(running.cadence, running.enrolled_by)
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


@dataclass(slots=True, eq=False)
class PendingLine:
    """A line of the queue of any day: what :func:`lines_of_day` needs, worked out once.

    Nothing in it depends on the day looked at or the time of the look, so the
    same lines give today's queue and tomorrow's, this minute and the next, and
    a line kept between looks hands out the same :class:`QueueItem` each time.

    Never changed once made, though not frozen: a look makes 20,000, and a frozen
    dataclass's checks took as long as the rest of making the line.
    """

    prospect_id: int
    due_at: datetime
    moves_on: bool
    """A move-on step: gone from every look at or after its due time, when it happens, and
    the cadence is then settled as ended (:meth:`CallDesk.settle_cadences`)."""
    order: tuple[Any, ...]
    """Where the line goes in any day's list: by due time, then name, prospect, the cadence's
    step before a booked follow-up, action and prompt. Which lines are overdue comes
    first too, as those are the ones due first."""
    who: _Who | None
    """Whose line it is; None on the line of a cadence already over (see :func:`_over_line`)."""
    said: Mapping[str, Any]
    """The rest of its :class:`QueueItem`'s fields, which one cadence step shares between
    every prospect at it."""
    late_after: datetime
    reaches: Reaches | None
    _due: QueueItem | None = field(default=None, init=False)
    _overdue: QueueItem | None = field(default=None, init=False)

    def item(self, *, overdue: bool) -> QueueItem:
        """The line as shown, built at the first look that lists it and kept for the next:
        a few hundred are built at a time where thousands are running, and a look after a
        logged call builds only that prospect's again."""
        built = self._overdue if overdue else self._due
        if built is None:
            # The line of a cadence already over is listed by no look.
            assert self.who is not None
            assert self.reaches is not None
            built = _item(
                self.who,
                self.reaches,
                self.said,
                due_at=self.due_at,
                late_after=self.late_after,
                overdue=overdue,
            )
            if overdue:
                self._overdue = built
            else:
                self._due = built
        return built


def _pending_line(
    who: _Who,
    reaches: Reaches,
    said: Mapping[str, Any],
    *,
    due_at: datetime,
    late_after: datetime,
    moves_on: bool,
    due_us: int | None = None,
) -> PendingLine:
    """A line of ``who`` due at ``due_at`` (``due_us`` microseconds after 1970, when known);
    ``said``: the rest of its :class:`QueueItem`'s fields."""
    order = (
        (due_at - _EPOCH) // _MICROSECOND if due_us is None else due_us,
        who.name,
        who.id,
        said["cadence"] is None,
        said["action"],
        said["prompt"],
    )
    return PendingLine(who.id, due_at, moves_on, order, who, said, late_after, reaches)


def _over_line(prospect_id: int) -> PendingLine:
    """The line of a cadence its history alone already ended but that was never stored as
    ended (a reply logged while it was paused, then resumed): shown by no look, like a
    move-on step long due, and ended by the next settling."""
    return PendingLine(prospect_id, _BEFORE_ANY_STEP, True, (), None, {}, _BEFORE_ANY_STEP, None)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


_BEFORE_ANY_STEP = datetime.min.replace(tzinfo=UTC)
"""The "now" the engine is asked at for pending lines: a move-on step is then kept as a
line, which each look drops once it is due (the engine's own rule, applied at the look)."""


class KeptStep(TypedDict):
    """A step worked out by a look, as :func:`callassist.services.cadences.keep_worked_out`
    stores it: its prospect, the count of changes it was worked out at (``seen``), and
    the step (``step_index`` None: the prospect's history already ended the cadence)."""

    prospect: int
    seen: int
    basis: str
    step_index: int | None
    attempt: int | None
    due_at_us: int | None
    late_after_us: int | None


class WorkedOutLines(NamedTuple):
    """What :func:`pending_lines` found: the lines, and the steps it had to work out."""

    lines: dict[int, list[PendingLine]]
    """By prospect; a prospect with no line is left out."""
    worked_out: list[KeptStep]
    """The steps worked out for want of a kept one that holds, as
    :func:`callassist.services.cadences.keep_worked_out` stores them; the steps read as
    kept are not among them."""


def pending_lines(
    session: Session,
    cadences: FollowedCadences,
    reaches: Reaches,
    prospect_ids: Collection[int] | None = None,
) -> WorkedOutLines:
    """The lines of running cadences and open follow-ups; of ``prospect_ids`` only when
    given (at most :data:`PROSPECTS_PER_READ` of them, for the bound parameters).

    Each cadence's next step is the one kept in ``worked_out_steps`` while it holds;
    the engine works out only the others, from their attempts.
    """
    running_now = [Enrollment.ended_at.is_(None), Enrollment.paused_at.is_(None)]
    open_follow_ups = [FollowUp.done.is_(False)]
    if prospect_ids is not None:
        assert len(prospect_ids) <= PROSPECTS_PER_READ
        running_now.append(Enrollment.prospect_id.in_(list(prospect_ids)))
        open_follow_ups.append(FollowUp.prospect_id.in_(list(prospect_ids)))
    lines: defaultdict[int, list[PendingLine]] = defaultdict(list)
    bases = _Bases(reaches)
    # Without every trigger a change may have gone unnoted: nothing kept is trusted,
    # and nothing worked out is kept, until they are back.
    followed = not missing_worked_out_step_triggers(session.connection())
    # The count of changes is read before the attempts the stale steps are worked out
    # from: on PostgreSQL each statement sees the latest commits, so a change made in
    # between leaves the step stored under an older count (worked out again next time),
    # never a stale step under the newer one.
    stale: dict[int, int] = {}
    # On the connection, past the ORM's loading: a third quicker for these 20,000 rows
    # of plain values.
    for row in session.connection().execute(
        select(
            Enrollment.cadence,
            Enrollment.rep_id,
            func.coalesce(WorkedOutStep.changes, 0),
            WorkedOutStep.worked_out_at_change,
            WorkedOutStep.basis,
            WorkedOutStep.step_index,
            WorkedOutStep.attempt,
            WorkedOutStep.due_at_us,
            WorkedOutStep.late_after_us,
            *_WHO_COLUMNS,
        )
        .join(Prospect)
        .outerjoin(WorkedOutStep, WorkedOutStep.prospect_id == Enrollment.prospect_id)
        .where(*running_now)
    ):
        name, enrolled_by, changes, worked_at, basis, step_index, attempt = row[:7]
        due_us, late_us = row[7:9]
        cadence = cadences.of_enrollment(name, enrolled_by)
        if cadence is None:
            continue  # it waits for its cadence file to come back
        who = _who(row[9:])
        steps = cadence.steps_for(who.title)
        try:
            _their_zone(who, reaches.rep_zone)
        except BadZoneError:
            # Left out until their zone is fixed, as the engine leaves them out; a zone
            # this machine's time zone data does not know may still have a step kept.
            continue
        if not followed or worked_at != changes or basis != bases.of(cadence):
            stale[who.id] = changes
        elif step_index is None:
            lines[who.id].append(_over_line(who.id))
        elif (
            0 < step_index <= len(steps)
            and attempt is not None
            and due_us is not None
            and late_us is not None
        ):
            kept_step = steps[step_index - 1]
            lines[who.id].append(
                _cadence_line(
                    who,
                    reaches,
                    bases.step_fields(cadence, who.title, kept_step, step_index, attempt),
                    kept_step,
                    due_at=_EPOCH + due_us * _MICROSECOND,
                    late_after=_EPOCH + late_us * _MICROSECOND,
                    due_us=due_us,
                )
            )
        else:
            stale[who.id] = changes  # a row callassist did not write: worked out again
    worked: list[KeptStep] = []
    # A few stale ones (a call logged elsewhere) are read by id; many (the first look
    # after an upgrade or an edited cadence) in one read of every running cadence.
    by_id = [Enrollment.prospect_id.in_(list(stale))] if len(stale) <= PROSPECTS_PER_READ else []
    found, _ = (
        worked_out(session, cadences, _BEFORE_ANY_STEP, reaches, *running_now, *by_id, only=stale)
        if stale
        else ([], {})
    )
    for running, cadence, progress in found:
        prospect_id = running.prospect_id
        step = progress.next_step
        lines[prospect_id].append(
            _over_line(prospect_id)
            if step is None
            else _cadence_line(
                running.who,
                reaches,
                bases.step_fields(
                    cadence, running.who.title, step.step, step.step_index, step.attempt
                ),
                step.step,
                due_at=step.due_at,
                late_after=step.late_after,
            )
        )
        if not followed:
            continue
        worked.append(
            KeptStep(
                prospect=prospect_id,
                seen=stale[prospect_id],
                basis=bases.of(cadence),
                step_index=step.step_index if step else None,
                attempt=step.attempt if step else None,
                due_at_us=(step.due_at - _EPOCH) // _MICROSECOND if step else None,
                late_after_us=(step.late_after - _EPOCH) // _MICROSECOND if step else None,
            )
        )
    follow_ups = session.execute(
        select(FollowUp.due_at, FollowUp.kind, FollowUp.reason, *_WHO_COLUMNS)
        .join(Prospect)
        .where(*open_follow_ups)
    )
    for due_at, kind, reason, *who_values in follow_ups:
        who = _who(who_values)
        try:
            _their_zone(who, reaches.rep_zone)
        except BadZoneError:
            continue  # a booked call waits with the prospect's cadence for their zone
        said = {
            "action": QueueAction(kind),
            "leave_message": False,
            "script": FOLLOW_UP_SCRIPT if kind is not FollowUpKind.EMAIL else None,
            "cadence": None,
            "cadence_title": None,
            "step": None,
            "steps": None,
            "attempt": None,
            "prompt": reason,
        }
        line = _pending_line(who, reaches, said, due_at=due_at, late_after=due_at, moves_on=False)
        lines[who.id].append(line)
    return WorkedOutLines(dict(lines), worked)


def _cadence_line(
    who: _Who,
    reaches: Reaches,
    said: Mapping[str, Any],
    step: Step,
    *,
    due_at: datetime,
    late_after: datetime,
    due_us: int | None = None,
) -> PendingLine:
    return _pending_line(
        who,
        reaches,
        said,
        due_at=due_at,
        late_after=late_after,
        moves_on=step.action is StepAction.MOVE_ON,
        due_us=due_us,
    )


class _Bases:
    """What one look shares between the thousands of prospects of a few cadences, worked
    out once each: the :func:`step_basis` of each cadence, the fields of each step."""

    def __init__(self, reaches: Reaches) -> None:
        self._reaches = reaches
        # By identity: each cadence and step of a look is one object, met thousands of
        # times. Each is held beside its answer, so its id cannot pass to another object.
        self._of: dict[int, tuple[Cadence, str]] = {}
        self._fields: dict[tuple[int, int, str, int], tuple[Step, dict[str, Any]]] = {}

    def of(self, cadence: Cadence) -> str:
        known = self._of.get(id(cadence))
        if known is None:
            known = self._of[id(cadence)] = (cadence, step_basis(cadence, self._reaches))
        return known[1]

    def step_fields(
        self, cadence: Cadence, title: str, step: Step, step_index: int, attempt: int
    ) -> dict[str, Any]:
        """The fields of the queue line of a prospect titled ``title`` at ``step``, the
        ``step_index``-th of theirs, which every prospect at it shares."""
        key = (id(cadence), id(step), title, attempt)
        known = self._fields.get(key)
        if known is None:
            moves_on = step.action is StepAction.MOVE_ON
            fields = {
                "action": QueueAction(step.action),
                "leave_message": step.leave_message,
                "script": step.script,
                "cadence": cadence.name,
                "cadence_title": cadence.title,
                "step": step_index,
                "steps": len(cadence.steps_for(title)),
                "attempt": None if moves_on else attempt,
                "prompt": step.prompt,
            }
            known = self._fields[key] = (step, fields)
        return known[1]


def step_basis(cadence: Cadence, reaches: Reaches) -> str:
    """A digest of what a kept step was worked out from besides the prospect's own rows
    (which the triggers follow): the cadence as written, the rep's zone and hours, and
    the code that works steps out, so that an edited cadence, other hours or a newer
    callassist never reads a step worked out by the old."""
    hours = reaches.hours
    said = f"{_engine_digest()}|{reaches.rep_zone}|{hours.start}|{hours.end}|{cadence!r}"
    return hashlib.sha256(said.encode()).hexdigest()


@cache
def _engine_digest() -> str:
    """The code and data steps are worked out with: the engine, the calendars of working
    days, the phones' regions and titles' roles, this module's reading of them, and the
    releases of the holidays, the phone numbers and the time zones."""
    releases = [version(library) for library in ("holidays", "phonenumbers")]
    # Without the tzdata package, the system's time zones: TZPATH and their release below.
    with suppress(PackageNotFoundError):
        releases.append(version("tzdata"))
    digest = hashlib.sha256("|".join([*releases, *zoneinfo.TZPATH]).encode())
    for module in (cadence_module, workdays, phones, titles, vocabulary, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    for folder in zoneinfo.TZPATH:
        # The system's time zone files name their release on their first line.
        with suppress(OSError), open(Path(folder, "tzdata.zi"), "rb") as zones:
            digest.update(zones.readline())
    return digest.hexdigest()


PROSPECTS_PER_READ = 500
"""Prospects :func:`pending_lines` reads at once (well under SQLite's bound-parameter limit)."""


def lines_of_day(
    lines: Iterable[PendingLine], now: datetime, rep_zone: ZoneInfo, day: date | None = None
) -> list[QueueItem]:
    """Who is due on ``day`` (the rep's today by default) at ``now``, of ``lines``: due and
    overdue first, then later. A move-on step due by ``now`` has happened: it shows no line.
    """
    today = now.astimezone(rep_zone).date()
    day = day or today
    day_start = datetime.combine(day, time(), rep_zone)
    day_end = day_start + timedelta(days=1)
    cutoff = now if day == today else day_start
    listed = [
        line
        for line in lines
        if line.due_at < day_end and not (line.moves_on and line.due_at <= now)
    ]
    # Ties broken to the end, so a queue kept up to date line by line reads as one
    # worked out from scratch.
    listed.sort(key=attrgetter("order"))
    return [line.item(overdue=line.due_at <= cutoff) for line in listed]


def queue(
    session: Session, clock: Clock, cadences: FollowedCadences, day: date | None = None
) -> list[QueueItem]:
    """Who is due on ``day`` (the rep's today by default): due and overdue first, then later.

    It only reads: a cadence found ended on the way (a move-on step came due
    since the last look) shows no step, and is stored as ended by :func:`settle`.
    """
    reaches = Reaches(session)
    every_line = pending_lines(session, cadences, reaches).lines.values()
    return lines_of_day(chain.from_iterable(every_line), clock(), reaches.rep.zone, day)


def _item(
    who: _Who,
    reaches: Reaches,
    said: Mapping[str, Any],
    *,
    due_at: datetime,
    late_after: datetime,
    overdue: bool,
) -> QueueItem:
    return QueueItem(
        prospect_id=who.id,
        name=who.name,
        company=who.company,
        job_title=who.title,
        due_at=due_at,
        late_after=late_after,
        overdue=overdue,
        local_time=due_at.astimezone(_their_zone(who, reaches.rep_zone)),
        # A step is due outside the rep's hours only where the prospect's day
        # never meets theirs; a booked call, where the two agreed on such a time.
        within_your_hours=reaches.rep.is_open(due_at),
        their_zone_known=who.timezone is not None,
        **said,
    )
