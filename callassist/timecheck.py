"""The "is this still a good time?" rule (domain.md, section 2).

A call that needs more minutes than the prospect has is rescheduled to a slot
of the full length, unless the prospect has an immediate need: then a short
call now is right and the full call is booked for later.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from callassist.errors import InvalidInputError
from callassist.vocabulary import Decision

WARN_BEFORE = timedelta(minutes=2)
"""How long before the prospect's time runs out the call timer warns."""


@dataclass(frozen=True, slots=True)
class TimeCheckAdvice:
    """What to do with a connected call, and why."""

    decision: Decision
    proposed_slot_minutes: int | None
    """Length of the call to book for later, or None when nothing needs booking."""
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
            f"Ask how long they have before you start: this call needs {minutes_needed} min.",
        )
    if minutes_available >= minutes_needed:
        return TimeCheckAdvice(
            Decision.PROCEED,
            None,
            f"They have {minutes_available} min and the call needs {minutes_needed}: go ahead.",
        )
    if immediate_need:
        return TimeCheckAdvice(
            Decision.PROCEED,
            minutes_needed,
            f"Immediate need: use the {minutes_available} min now on what is urgent, "
            f"then book the full {minutes_needed} min for later.",
        )
    return TimeCheckAdvice(
        Decision.RESCHEDULE,
        minutes_needed,
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
