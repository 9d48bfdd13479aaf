"""Checkers for argparse's ``type=``, and the limits they check.

They raise InvalidInputError, which argparse lets through (it only turns ValueError
and TypeError into usage errors), so a bad value is one line naming the option,
status 1, before the database is even opened.
"""

import argparse
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from callassist.errors import InvalidInputError
from callassist.vocabulary import ProspectStatus

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from callassist.records import CallTypeRecord

ID_MAX = 2**63 - 1
"""The largest id (and count) SQLite can hold: a signed 64-bit integer."""

POSTGRES_ID_MAX = 2**31 - 1
"""The largest id PostgreSQL holds: its ids are 32-bit integers."""

RECORDS_BY_ID = {
    "prospect_id": "prospect",
    "prospect": "prospect",
    "booking_id": "booked call",
    "attempt_id": "attempt",
    "attempt": "attempt",
}
"""The arguments naming a record by its id (as argparse stores them), and what that
record is, as its "not found" message says."""


def id_past_the_database(args: argparse.Namespace, largest_id: int) -> str | None:
    """Why a record named by an id past ``largest_id`` is not found, or None.

    Each id is checked against SQLite's range as it is typed; a database whose ids
    stop sooner holds no record past its last id, and PostgreSQL would refuse to
    even look one up, naming no argument.
    """
    for dest, record in RECORDS_BY_ID.items():
        record_id = getattr(args, dest, None)
        if isinstance(record_id, int) and record_id > largest_id:
            return f"no {record} #{record_id}"
    return None


CALL_MINUTES_MAX = 24 * 60
"""A call type longer than a day is a typo."""

EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
"""Dates typed on the command line fall in these years: wide enough for any real call,
narrow enough that the day after, or any time zone, stays within what Python's dates hold."""


Named = TypeVar("Named", bound=StrEnum)


def whole_number(what: str, low: int, high: int) -> Callable[[str], int]:
    """A checker for an integer argument between ``low`` and ``high``."""

    def parse(text: str) -> int:
        digits = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", digits):
            raise InvalidInputError(f"{what} {text!r}: use a whole number")
        # Length first: Python refuses int() of more than 4300 digits.
        if len(digits.lstrip("+-").lstrip("0")) > len(str(high)) or not low <= int(digits) <= high:
            raise InvalidInputError(f"{what} {text!r} is out of range: use {low} to {high}")
        return int(digits)

    return parse


def id_argument(
    sub: argparse.ArgumentParser, dest: str, name: str, help_text: str | None = None
) -> None:
    """A positional record id (``PROSPECT_ID``, ``BOOKING_ID``...), checked like every id."""
    sub.add_argument(dest, type=whole_number(name, 1, ID_MAX), metavar=name, help=help_text)


def one_of(what: str, noun: str, names: type[Named]) -> Callable[[str], Named]:
    """A checker for one of an enumeration's names, refused in our words rather than argparse's."""

    def parse(text: str) -> Named:
        try:
            return names(text.strip().lower())
        except ValueError:
            known = ", ".join(name.value for name in names)
            raise InvalidInputError(f"{what} {text!r} is not {noun}: use one of {known}") from None

    return parse


status_name = one_of("STATUS", "a status", ProspectStatus)


def _within_years(day: date, what: str, text: str) -> None:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InvalidInputError(
            f"{what} {text!r}: use a date from {EARLIEST_YEAR} to {LATEST_YEAR}"
        )


def iso_day(what: str) -> Callable[[str], date]:
    """A checker for a YYYY-MM-DD argument."""

    def parse(text: str) -> date:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError as error:
            raise InvalidInputError(f"{what} {text!r}: use YYYY-MM-DD") from error
        _within_years(day, what, text)
        return day

    return parse


def iso_time(what: str) -> Callable[[str], datetime]:
    """A checker for an ISO 8601 time; one without an offset stays naive (see :func:`in_zone`)."""

    def parse(text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError as error:
            raise InvalidInputError(
                f"{what} {text!r}: use ISO 8601, e.g. 2026-11-23T14:30 or 2026-11-23T14:30-06:00"
            ) from error
        _within_years(value.date(), what, text)
        return value

    return parse


def in_zone(value: datetime, zone: "ZoneInfo", what: str) -> datetime:
    """``value`` made aware: a time typed without an offset is read in ``zone``.

    zoneinfo accepts any wall time, so a time the clocks skip (spring forward) and
    one they show twice (fall back) are caught here and refused with the offsets
    that would say what was meant.
    """
    if value.tzinfo is not None:
        return value
    local = value.replace(tzinfo=zone)
    # A skipped time does not come back the same from a trip through UTC.
    moved = local.astimezone(UTC).astimezone(zone)
    if moved.replace(tzinfo=None) != value:
        raise InvalidInputError(
            f"{what} {value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it "
            f"(did you mean {moved.isoformat(timespec='minutes')}?)"
        )
    first, second = local.replace(fold=0), local.replace(fold=1)
    if first.utcoffset() != second.utcoffset():
        raise InvalidInputError(
            f"{what} {value:%Y-%m-%d %H:%M} happens twice in {zone.key}: add the offset, "
            f"{first.isoformat(timespec='minutes')} ({first:%Z}) or "
            f"{second.isoformat(timespec='minutes')} ({second:%Z})"
        )
    return local


def call_type_minutes(text: str) -> "CallTypeRecord":
    """A checker for ``--call-type NAME=MINUTES``."""
    # Imported here: the records bring the cadence engine and its holiday calendars,
    # which `callassist --help` has no use for.
    from callassist.records import CallTypeRecord

    name, _, minutes = text.partition("=")
    if not name.strip() or not re.fullmatch(r"\s*[0-9]+\s*", minutes):
        raise InvalidInputError(f"call type {text!r}: use NAME=MINUTES, e.g. discovery=20")
    checked = whole_number(f"call type {name.strip()!r}: minutes", 1, CALL_MINUTES_MAX)(minutes)
    return CallTypeRecord(name.strip(), checked)


def column_choice(text: str) -> tuple[str, str | None]:
    """A checker for ``--map "COLUMN=FIELD"``; an empty field leaves the column out."""
    # The last "=": a CRM header may hold one, a field name never does.
    header, equals, field = text.rpartition("=")
    if not equals or not header.strip():
        raise InvalidInputError(
            f'--map {text!r}: use "COLUMN=FIELD", e.g. "Person - Name=name", or "COLUMN=" '
            "to leave a column out"
        )
    return header.strip(), field.strip() or None
