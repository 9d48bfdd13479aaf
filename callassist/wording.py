"""Small pieces of wording shared by the command line, the reports and the window."""

from datetime import date, datetime, timedelta, tzinfo
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
    """Where a line due at ``due_at`` stands at ``now``, in the list of ``day``.

    Only a time already passed is overdue: tomorrow's list holds the calls
    still to come today too (the core lists everything due before that day
    ends), and those are later today. "Due now" is for today's own list, the
    one the rep works through as the hour comes: its first hour, or as long as
    the line's window lasts (``late_after``: a "2-3 days" step is still on time
    on the third day).
    """
    today = now.astimezone(rep_zone).date()
    if due_at <= now:
        in_time = now - due_at <= DUE_NOW_WINDOW or now <= late_after
        if day == today and in_time:
            return DueGroup.DUE_NOW
        return DueGroup.OVERDUE
    if due_at.astimezone(rep_zone).date() == today:
        return DueGroup.LATER_TODAY
    return DueGroup.ANOTHER_DAY


THEIR_ZONE_UNKNOWN = "their time zone not known"
"""Said in place of the prospect's time when they have no zone (the rep's clock would lie)."""
