"""Small pieces of wording shared by the command line, the reports and the window."""

from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from callassist.vocabulary import Outcome


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 prospect", "3 prospects"; ``plural`` for words that do not just take an s."""
    if number == 1:
        return f"{number} {noun}"
    return f"{number} {plural if plural is not None else noun + 's'}"


OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.CONNECTED: "Connected",
    Outcome.VOICEMAIL_LEFT: "Voicemail left",
    Outcome.NO_ANSWER: "No answer",
    Outcome.EMAIL_SENT: "Email sent",
    Outcome.RESCHEDULED: "Rescheduled",
    Outcome.NOT_INTERESTED: "Not interested",
    Outcome.WRONG_PERSON: "Wrong person",
    Outcome.BAD_NUMBER: "Bad number",
}
"""How each outcome reads: on buttons, in the card's history, the review and the command
line (there in lower case)."""


DUE_NOW_WINDOW = timedelta(hours=1)
"""A line that came due within the last hour is "due now"; after that it is late once its
window is over (a booked call's window is its own time; a cadence step has at least its day)."""


class DueGroup(StrEnum):
    """Where a queue line stands against the clock, as the queue and the review word it."""

    OVERDUE = "overdue"
    DUE_NOW = "due_now"
    LATER_TODAY = "later_today"
    ANOTHER_DAY = "another_day"
    """Not due yet, and not today: the line carries its date, not a group word."""

    @property
    def is_due(self) -> bool:
        """True for the lines to work now."""
        return self in (DueGroup.OVERDUE, DueGroup.DUE_NOW)


GROUP_WORDS = {
    DueGroup.OVERDUE: "Overdue",
    DueGroup.DUE_NOW: "Due now",
    DueGroup.LATER_TODAY: "Later today",
}


def due_group(
    due_at: datetime, *, late_after: datetime, day: date, now: datetime, rep_zone: tzinfo
) -> DueGroup:
    """Where a line due at ``due_at`` stands at ``now``, in the list of ``day``: see
    :class:`DueGrouping`, which groups the many lines of one list."""
    return DueGrouping(day=day, now=now, rep_zone=rep_zone).of(due_at, late_after=late_after)


class DueGrouping:
    """Where the lines of ``day``'s list stand at ``now``.

    Only a time already passed is overdue: tomorrow's list holds the calls
    still to come today too (the core lists everything due before that day
    ends), and those are later today. "Due now" is for today's own list, the
    one the rep works through as the hour comes: its first hour, or as long as
    the line's window lasts (``late_after``: a "2-3 days" step is still on time
    on the third day). The rep's day is worked out once for all the lines.
    """

    def __init__(self, *, day: date, now: datetime, rep_zone: tzinfo) -> None:
        today = now.astimezone(rep_zone).date()
        self._now = now
        self._on_time_since = now - DUE_NOW_WINDOW
        self._lists_today = day == today
        self._today_ends = datetime.combine(today + timedelta(days=1), time(), rep_zone)

    def of(self, due_at: datetime, *, late_after: datetime) -> DueGroup:
        """The group of a line due at ``due_at``, late after ``late_after``."""
        if due_at <= self._now:
            in_time = due_at >= self._on_time_since or self._now <= late_after
            return DueGroup.DUE_NOW if self._lists_today and in_time else DueGroup.OVERDUE
        if due_at < self._today_ends:
            return DueGroup.LATER_TODAY
        return DueGroup.ANOTHER_DAY


THEIR_ZONE_UNKNOWN = "their time zone not known"
"""Said in place of the prospect's time when they have no zone (the rep's clock would lie)."""
