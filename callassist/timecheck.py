"""The "is this still a good time?" rule (domain.md, section 2).

A call that needs more minutes than the prospect has is rescheduled to a slot
of the full length, unless the prospect has an immediate need: then a short
call now is right and the full call is booked for later.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from callassist.errors import InvalidInputError
from callassist.localtime import clock_text
from callassist.phones import region_of_zone, zone
from callassist.vocabulary import Decision
from callassist.workdays import WORKING_DAYS, holiday_on

WARN_BEFORE = timedelta(minutes=2)
"""How long before the prospect's time runs out the call timer warns."""


@dataclass(frozen=True, slots=True)
class TimeCheckAdvice:
    """What to do with a connected call, and why."""

    decision: Decision
    proposed_slot_minutes: int | None
    """Length of the call to book for later, or None when nothing needs booking."""
    headline: str
    """What to do, in a few words the rep takes in at a glance."""
    reason: str


def decide(
    minutes_available: int | None, minutes_needed: int, immediate_need: bool
) -> TimeCheckAdvice:
    """Proceed or reschedule, from the minutes the prospect has and the call needs.

    ``minutes_available`` is None when the rep has not found out yet.
    """
    if minutes_needed <= 0:
        raise InvalidInputError("a call type needs at least one minute")
    if minutes_available is not None and minutes_available < 0:
        raise InvalidInputError("minutes available cannot be negative")
    if minutes_available is None:
        return TimeCheckAdvice(
            Decision.PROCEED,
            None,
            "Ask how long they have",
            f"Ask how long they have before you start: this call needs {minutes_needed} min.",
        )
    if minutes_available >= minutes_needed:
        return TimeCheckAdvice(
            Decision.PROCEED,
            None,
            "Proceed: you have the time",
            f"They have {minutes_available} min and the call needs {minutes_needed}: go ahead.",
        )
    if immediate_need:
        return TimeCheckAdvice(
            Decision.PROCEED,
            minutes_needed,
            f"Proceed on the urgent part, then book {minutes_needed} minutes",
            f"Immediate need: use the {minutes_available} min now on what is urgent, "
            f"then book the full {minutes_needed} min for later.",
        )
    return TimeCheckAdvice(
        Decision.RESCHEDULE,
        minutes_needed,
        f"Reschedule: propose a {minutes_needed}-minute slot",
        f"They have {minutes_available} min but the call needs {minutes_needed}: "
        f"don't rush it, propose a {minutes_needed}-minute slot.",
    )


class TimerState(StrEnum):
    """How the call timer should look."""

    UNKNOWN = "unknown"
    """The prospect's minutes are not known: the timer only counts up."""
    OK = "ok"
    WARNING = "warning"
    OVER = "over"


def timer_state(elapsed: timedelta, minutes_available: int | None) -> TimerState:
    """Whether the call is inside, close to the end of, or past the prospect's minutes."""
    if minutes_available is None:
        return TimerState.UNKNOWN
    limit = timedelta(minutes=minutes_available)
    if elapsed >= limit:
        return TimerState.OVER
    if elapsed >= limit - min(WARN_BEFORE, limit / 2):
        return TimerState.WARNING
    return TimerState.OK


FAR_AHEAD = timedelta(days=28)
"""A reschedule further out than this is more likely a slip of the date than a plan."""


def slot_concerns(
    slot: datetime,
    minutes: int,
    *,
    now: datetime,
    business_start: time,
    business_end: time,
    rep_zone: str,
) -> list[str]:
    """What a rep should see before proposing ``slot``; empty when it looks right.

    ``slot`` is aware and in the prospect's zone; the business hours are the
    rep's profile hours, applied on each side's own clock. None of these
    stop a booking but the first: the prospect may well ask for 7:30 AM.
    """
    concerns = []
    if slot <= now:
        concerns.append("That time has already passed.")
    end = slot + timedelta(minutes=minutes)
    # The slot is on the prospect's clock, so its zone says whose holidays they take.
    their_holiday = holiday_on(slot.date(), region_of_zone(getattr(slot.tzinfo, "key", None)))
    if slot.weekday() not in WORKING_DAYS:
        concerns.append(f"That is a {slot:%A}.")
    elif their_holiday is not None:
        concerns.append(f"That is {their_holiday}, a public holiday for them.")
    elif not _inside(slot, end, business_start, business_end):
        concerns.append(
            f"That is outside their business hours "
            f"({clock_text(business_start)}–{clock_text(business_end)} their time)."
        )
    here = slot.astimezone(zone(rep_zone))
    here_end = end.astimezone(zone(rep_zone))
    your_holiday = holiday_on(here.date(), region_of_zone(rep_zone))
    if your_holiday is not None and your_holiday != their_holiday:
        concerns.append(f"That is {your_holiday}, a public holiday for you.")
    elif slot.utcoffset() != here.utcoffset() and not _inside(
        here, here_end, business_start, business_end
    ):
        concerns.append(f"That is {clock_text(here.time())} for you, outside your hours.")
    if slot - now > FAR_AHEAD:
        weeks = (slot - now).days // 7
        concerns.append(f"That is {weeks} weeks away, on {slot:%a %b} {slot.day}, {slot.year}.")
    return concerns


def _inside(start: datetime, end: datetime, business_start: time, business_end: time) -> bool:
    """True when a call from ``start`` to ``end`` (one clock) fits in one working day's hours."""
    return (
        start.date() == end.date() and business_start <= start.time() and end.time() <= business_end
    )
