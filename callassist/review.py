"""The end-of-day review (domain.md, section 5): what happened, what is left open, tomorrow.

Days are the rep's days: an attempt at 23:30 in the rep's zone belongs to that
date even when it is already tomorrow in UTC.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from callassist.db.models import Attempt, Enrollment, Pain, Prospect, TimeCheck
from callassist.records import QueueItem, RepRecord
from callassist.vocabulary import Channel, Outcome, PainKind
from callassist.wording import GROUP_WORDS, THEIR_ZONE_UNKNOWN, counted, due_group

REPORT_TEMPLATES = str(files("callassist.report_templates"))

_NAMES_SLICE = 500
"""Prospects named per query (well under SQLite's bound-parameter limit)."""


@dataclass(frozen=True, slots=True)
class MissingOutcome:
    """An attempt nobody logged an outcome for."""

    attempt_id: int
    prospect_id: int
    name: str
    at: datetime


@dataclass(frozen=True, slots=True)
class PainTally:
    total: int
    asked: int
    acknowledged: int
    by_kind: dict[str, int]
    """Keys: past, present, future, peers."""


@dataclass(frozen=True, slots=True)
class DayReview:
    """Every figure of one day's review."""

    day: date
    dials: int
    """Every call attempt."""
    connects: int
    """Calls that reached the prospect: connected or rescheduled."""
    voicemails: int
    emails: int
    reschedules: int
    time_checks_asked: int
    """Connects on which the rep asked whether it was a good time."""
    overran: int
    """Connects that ran past the minutes the prospect said they had."""
    moved_on: int
    missing_outcomes: tuple[MissingOutcome, ...]
    pains: PainTally
    tomorrow: tuple[QueueItem, ...]

    @property
    def connect_rate(self) -> float | None:
        """Connects per dial, or None with no dials."""
        return self.connects / self.dials if self.dials else None


@dataclass(frozen=True, slots=True)
class TeamReview:
    """One day's figures of each rep, and the team's."""

    by_rep: tuple[tuple[RepRecord, DayReview], ...]
    """Each rep (by name) and their figures; their ``tomorrow`` is left empty."""
    team: DayReview
    """Every rep's figures added up, with the whole team's queue for the next day."""


@dataclass(frozen=True, slots=True)
class DayActivity:
    """One day's bar of the activity chart."""

    day: date
    dials: int
    connects: int
    voicemails: int
    emails: int


@dataclass(frozen=True, slots=True)
class ActivitySeries:
    """One figure of the activity chart: its field of :class:`DayActivity` and its names."""

    field: str
    label: str
    singular: str


ACTIVITY_SERIES: tuple[ActivitySeries, ...] = (
    ActivitySeries("dials", "Dials", "dial"),
    ActivitySeries("connects", "Connects", "connect"),
    ActivitySeries("voicemails", "Voicemails", "voicemail"),
    ActivitySeries("emails", "Emails", "email"),
)
"""The bars of each day, in order, in the window's chart and the printable page alike."""


def day_label(day: date) -> str:
    """ "Mon 9"."""
    return f"{day:%a} {day.day}"


def describe_days(days: Sequence[DayActivity]) -> str:
    """The chart's numbers in words, one day a line."""
    if not days:
        return "No activity to show."
    lines = [f"Activity of the {len(days)} days to {day_label(days[-1].day)}:"]
    for activity in days:
        counts = ", ".join(
            counted(getattr(activity, series.field), series.singular) for series in ACTIVITY_SERIES
        )
        lines.append(f"{day_label(activity.day)}: {counts}")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ChartBar:
    """One bar of the printable chart, in the SVG's own units (y grows downwards)."""

    series: int
    """Its place in :data:`ACTIVITY_SERIES`."""
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class ChartDay:
    label: str
    centre: float
    reviewed: bool
    """The day the page reviews (the last one), marked on the chart."""
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True, slots=True)
class ChartLayout:
    """Where everything of the printable activity chart goes."""

    width: int
    height: int
    baseline: float
    days: tuple[ChartDay, ...]
    title: str
    description: str


CHART_WIDTH, CHART_HEIGHT = 640, 230
CHART_TOP = 44
"""Room for the legend and, above the tallest bar, its number."""
CHART_BOTTOM = 26
"""Room for the day names under the bars."""


def chart_layout(days: Sequence[DayActivity]) -> ChartLayout:
    """The activity chart of the printable review, laid out as the window's chart is:
    four bars a day with each count written above its bar, the last day the reviewed one.
    """
    baseline = CHART_HEIGHT - CHART_BOTTOM
    tallest = max(
        (getattr(day, series.field) for day in days for series in ACTIVITY_SERIES), default=0
    )
    scale = (baseline - CHART_TOP) / max(tallest, 1)
    group = CHART_WIDTH / max(len(days), 1)
    bar_width = group * 0.78 / len(ACTIVITY_SERIES)
    laid_out = []
    for place, activity in enumerate(days):
        left = place * group + (group - bar_width * len(ACTIVITY_SERIES)) / 2
        bars = []
        for number, series in enumerate(ACTIVITY_SERIES):
            value: int = getattr(activity, series.field)
            height = value * scale
            bars.append(
                ChartBar(
                    series=number,
                    value=value,
                    x=round(left + number * bar_width, 1),
                    y=round(baseline - height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(height, 1),
                )
            )
        laid_out.append(
            ChartDay(
                label=day_label(activity.day),
                centre=round(place * group + group / 2, 1),
                reviewed=place == len(days) - 1,
                bars=tuple(bars),
            )
        )
    lines = describe_days(days).splitlines()
    return ChartLayout(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        baseline=baseline,
        days=tuple(laid_out),
        title=lines[0],
        description="; ".join(lines[1:]),
    )


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The rep's day as an aware [start, end) pair."""
    start = datetime.combine(day, time(), zone)
    return start, datetime.combine(day + timedelta(days=1), time(), zone)


def review_day(
    session: Session,
    day: date,
    rep_zone: ZoneInfo,
    tomorrow: list[QueueItem],
    *,
    rep_id: int | None,
) -> DayReview:
    """The figures of ``day`` for the rep ``rep_id`` (None: the whole team); ``tomorrow``
    is the queue for the next day."""
    start, end = day_bounds(day, rep_zone)
    on_the_day = (Attempt.at >= start, Attempt.at < end, *_by(Attempt.rep_id, rep_id))
    # A busy day holds thousands of attempts: the database counts them by
    # channel and outcome, and only the few that need more (a time check to
    # weigh, an outcome nobody logged) come back as rows. Reading every attempt
    # as a row cost most of the review.
    tally = session.execute(
        select(Attempt.channel, Attempt.outcome, func.count())
        .where(*on_the_day)
        .group_by(Attempt.channel, Attempt.outcome)
    ).all()
    outcomes: Counter[Outcome | None] = Counter()
    dials = connects = 0
    for channel, outcome, count in tally:
        outcomes[outcome] += count
        if channel is Channel.CALL:
            dials += count
            connects += count if outcome is not None and outcome.is_conversation else 0
    noted = session.execute(
        select(
            Attempt.id,
            Attempt.prospect_id,
            Attempt.at,
            Attempt.ended_at,
            Attempt.channel,
            Attempt.outcome,
            TimeCheck.asked,
            TimeCheck.minutes_available,
        )
        .outerjoin(TimeCheck, TimeCheck.attempt_id == Attempt.id)
        .where(*on_the_day, Attempt.outcome.is_(None) | TimeCheck.id.is_not(None))
        .order_by(Attempt.at, Attempt.id)
    ).all()
    checked = [
        call
        for call in noted
        if call.channel is Channel.CALL
        and call.outcome is not None
        and call.outcome.is_conversation
        and call.asked is not None
    ]
    # A call without an end (its outcome logged late, from the review) has no
    # known length, so it cannot be said to have overrun.
    overran = sum(
        1
        for call in checked
        if call.ended_at is not None
        and call.minutes_available is not None
        and call.ended_at - call.at > timedelta(minutes=call.minutes_available)
    )
    pains = session.execute(
        select(Pain.kind, Pain.asked, Pain.acknowledged).where(
            Pain.noted_at >= start, Pain.noted_at < end, *_by(Pain.rep_id, rep_id)
        )
    ).all()
    kinds = Counter(pain.kind for pain in pains)
    moved_on = session.scalar(
        select(func.count())
        .select_from(Enrollment)
        .where(
            Enrollment.end_reason == "moved_on",
            Enrollment.ended_at >= start,
            Enrollment.ended_at < end,
            *_by(Enrollment.rep_id, rep_id),
        )
    )
    return DayReview(
        day=day,
        dials=dials,
        connects=connects,
        voicemails=outcomes[Outcome.VOICEMAIL_LEFT],
        emails=outcomes[Outcome.EMAIL_SENT],
        reschedules=outcomes[Outcome.RESCHEDULED],
        time_checks_asked=sum(1 for call in checked if call.asked),
        overran=overran,
        moved_on=moved_on or 0,
        missing_outcomes=_missing_outcomes(
            session, [(a.id, a.prospect_id, a.at) for a in noted if a.outcome is None]
        ),
        pains=PainTally(
            total=len(pains),
            asked=sum(1 for pain in pains if pain.asked),
            acknowledged=sum(1 for pain in pains if pain.acknowledged),
            by_kind={kind.value: kinds[kind] for kind in PainKind},
        ),
        tomorrow=tuple(tomorrow),
    )


def _by(
    rep_column: InstrumentedAttribute[int], rep_id: int | None
) -> tuple[ColumnElement[bool], ...]:
    """The condition keeping the rows of ``rep_id``; none for the whole team (None)."""
    return () if rep_id is None else (rep_column == rep_id,)


def _missing_outcomes(
    session: Session, missing: Sequence[tuple[int, int, datetime]]
) -> tuple[MissingOutcome, ...]:
    """The attempts in ``missing`` (id, prospect, when; in their order), each with its
    prospect's name."""
    names: dict[int, str] = {}
    wanted = sorted({prospect_id for _, prospect_id, _ in missing})
    for first_one in range(0, len(wanted), _NAMES_SLICE):
        for prospect_id, first, last in session.execute(
            select(Prospect.id, Prospect.first_name, Prospect.last_name).where(
                Prospect.id.in_(wanted[first_one : first_one + _NAMES_SLICE])
            )
        ):
            names[prospect_id] = f"{first} {last}".strip()
    return tuple(
        MissingOutcome(attempt_id, prospect_id, names[prospect_id], at)
        for attempt_id, prospect_id, at in missing
    )


def activity_by_day(
    session: Session, days: list[date], rep_zone: ZoneInfo, *, rep_id: int | None
) -> list[DayActivity]:
    """Dials, connects, voicemails and emails of the rep ``rep_id`` (None: the whole
    team) for each of ``days`` (for the chart)."""
    if not days:
        return []
    start, _ = day_bounds(min(days), rep_zone)
    _, end = day_bounds(max(days), rep_zone)
    tally: dict[date, Counter[str]] = {day: Counter() for day in days}
    for at, channel, outcome in session.execute(
        select(Attempt.at, Attempt.channel, Attempt.outcome).where(
            Attempt.at >= start, Attempt.at < end, *_by(Attempt.rep_id, rep_id)
        )
    ):
        counts = tally.get(at.astimezone(rep_zone).date())
        if counts is None:
            continue
        if channel is Channel.CALL:
            counts["dials"] += 1
        if outcome is not None and outcome.is_conversation:
            counts["connects"] += 1
        if outcome is Outcome.VOICEMAIL_LEFT:
            counts["voicemails"] += 1
        if outcome is Outcome.EMAIL_SENT:
            counts["emails"] += 1
    return [
        DayActivity(day, c["dials"], c["connects"], c["voicemails"], c["emails"])
        for day, c in sorted(tally.items())
    ]


def due_text(item: QueueItem, rep_zone: ZoneInfo, day: date, now: datetime) -> str:
    """When a queue line of ``day``'s list is due: "14:30 (12:30 PST theirs)".

    A line due on another day carries its date, so a call left from last week
    never reads as this week's. One from before ``day`` also says where it
    stands at ``now``, as the window's queue does: overdue once its time has
    passed, "later today" before (tomorrow's list holds the rest of today).
    """
    yours = item.due_at.astimezone(rep_zone)
    theirs = item.local_time
    when = f"{yours:%H:%M}" if yours.date() == day else f"{yours:%a %Y-%m-%d %H:%M}"
    their_day = "" if theirs.date() == yours.date() else f"{theirs:%a} "
    standing = ""
    if yours.date() < day:
        group = due_group(
            item.due_at, late_after=item.late_after, day=day, now=now, rep_zone=rep_zone
        )
        standing = f", {GROUP_WORDS[group].lower()}" if group in GROUP_WORDS else ""
    if not item.their_zone_known:
        return f"{when} ({THEIR_ZONE_UNKNOWN}{standing})"
    return f"{when} ({their_day}{theirs:%H:%M %Z} theirs{standing})"


def render_html(
    review: DayReview,
    *,
    week: Sequence[DayActivity],
    rep_name: str,
    rep_zone: ZoneInfo,
    generated: datetime,
    script_titles: Mapping[str, str],
) -> str:
    """The review as a standalone HTML page that reads well on screen and on paper.

    Scripts are named by their titles ("First voicemail"): the page is read
    and printed, not typed back into a command. ``week`` is the days up to the
    reviewed one, drawn as an inline SVG chart (no file or script to fetch).
    """
    environment = Environment(
        loader=FileSystemLoader(REPORT_TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("review.html.j2")
    return template.render(
        review=review,
        rep_name=rep_name,
        zone=rep_zone,
        generated=generated.astimezone(rep_zone),
        due=lambda item: due_text(item, rep_zone, review.day + timedelta(days=1), generated),
        script_titles=script_titles,
        chart=chart_layout(week),
        series=ACTIVITY_SERIES,
    )
