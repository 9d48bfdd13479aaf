"""Where the core gets the time from, so tests can fix it."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""A function returning the current time as an aware datetime."""

Monotonic = Callable[[], float]
"""Seconds from an arbitrary start that only ever move forward, like ``time.monotonic``:
what a duration is measured with, so setting the desk's clock cannot bend it."""


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    """A clock stopped at ``at`` (which must be aware)."""
    if at.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    return lambda: at
