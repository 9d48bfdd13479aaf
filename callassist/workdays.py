"""When a prospect can be called: their working day and the rep's, each on its own clock.

Each side of a call is an :class:`Office`: a time zone, business hours and a
country. A working day is Monday to Friday, less the country's public
holidays (the ``holidays`` library, read once per country and year). A call
is due where the prospect's working hours and the rep's meet; for a prospect
whose day never meets the rep's (Tokyo for a rep in Chicago), at the edge of
the rep's day nearest theirs, just outside the rep's hours, so that the rep
is told rather than handed a call at 2 a.m.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

from callassist.phones import region_of, region_of_zone

WORKING_DAYS = range(0, 5)
"""Monday to Friday (datetime.weekday numbers)."""
PROPOSED_SLOT_TIME = time(10, 0)
"""When a reschedule is first proposed, on the prospect's clock: mid-morning, rarely booked."""

EDGE = timedelta(minutes=30)
"""How far past the edge of the rep's day a call to a prospect outside their hours may fall."""
_LONGEST_SLOT_LEAD = 30
"""Minutes into its third of the window a suggested time falls, at most."""


class PartOfDay(StrEnum):
    """Where in the working window a call is suggested."""

    MORNING = "morning"
    MIDDAY = "midday"
    LATE_AFTERNOON = "late_afternoon"


ROTATION = (PartOfDay.MORNING, PartOfDay.MIDDAY, PartOfDay.LATE_AFTERNOON)


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """The working day on someone's own clock."""

    start: time
    end: time


_NO_HOLIDAYS: Mapping[date, str] = MappingProxyType({})


@lru_cache(maxsize=512)
def public_holidays(country: str | None, year: int) -> Mapping[date, str]:
    """The public holidays of ``country`` (two letters) in ``year`` and their names;
    none for an unknown one.

    Cached: the queue and the prospect list ask for the same few countries for
    each of thousands of prospects, and building one year of a country takes
    milliseconds. Read-only, as every caller shares it.
    """
    if country is None:
        return _NO_HOLIDAYS
    try:
        return MappingProxyType(dict(holidays.country_holidays(country, years=year)))
    except NotImplementedError:
        # A country the library has no calendar for: only weekends are known.
        return _NO_HOLIDAYS


def is_working_day(day: date, country: str | None) -> bool:
    """True on a weekday that is not one of ``country``'s public holidays."""
    return day.weekday() in WORKING_DAYS and day not in public_holidays(country, day.year)


def working_days_from(day: date, count: int, country: str | None) -> date:
    """The working day ``count`` working days after ``day`` (before it for a negative count).

    ``day`` itself for a count of 0, whether or not it is a working day.
    """
    step = timedelta(days=1 if count > 0 else -1)
    for _ in range(abs(count)):
        day += step
        while not is_working_day(day, country):
            day += step
    return day


def holiday_on(day: date, country: str | None) -> str | None:
    """The name of the public holiday ``day`` is in ``country`` ("Boxing Day"), else None."""
    return public_holidays(country, day.year).get(day)


def country_of(zone_name: str | None, phone: str | None, rep_zone: str) -> str | None:
    """The country whose public holidays a prospect takes.

    Their zone's; with no zone, their number's (E.164); with neither, the
    rep's, as their clock is then the rep's too.
    """
    if zone_name:
        return region_of_zone(zone_name)
    if phone:
        return _number_country(phone)
    return region_of_zone(rep_zone)


@lru_cache(maxsize=4096)
def _number_country(e164: str) -> str:
    # Parsing a number costs more than the rest of a list row: a painted row asks again.
    return region_of(e164)


@dataclass(frozen=True, slots=True)
class Office:
    """One side of a call: where they are and when they work."""

    zone: ZoneInfo
    hours: BusinessHours
    country: str | None
    """Whose public holidays are days off; None when unknown (weekends only)."""

    def works_on(self, day: date) -> bool:
        """True on a weekday that is not one of the country's public holidays."""
        return is_working_day(day, self.country)

    def is_open(self, moment: datetime) -> bool:
        """True when ``moment`` falls inside business hours on a working day."""
        local = moment.astimezone(self.zone)
        return self.works_on(local.date()) and self.hours.start <= local.time() < self.hours.end

    def day_span(self, day: date) -> tuple[datetime, datetime]:
        """The start and end of business hours on ``day``, on this office's clock."""
        return (
            datetime.combine(day, self.hours.start, self.zone),
            datetime.combine(day, self.hours.end, self.zone),
        )


@dataclass(frozen=True, slots=True)
class Window:
    """When a call may be made on one of the prospect's days."""

    start: datetime
    end: datetime
    within_rep_hours: bool
    """False for a prospect whose day never meets the rep's: the window is then at
    the edge of the rep's day, outside it."""

    def part_of_day(self, moment: datetime) -> PartOfDay:
        """Which third of the window ``moment`` falls in (before it: the first, after: the last)."""
        elapsed = (moment - self.start).total_seconds()
        length = max(1.0, (self.end - self.start).total_seconds())
        return ROTATION[min(2, max(0, int(elapsed * 3 // length)))]

    def slot(self, part: PartOfDay) -> datetime:
        """The suggested time for ``part``: early in its third of the window.

        At the edge of the rep's day there is no day to rotate through: the
        call stays at the edge.
        """
        if not self.within_rep_hours:
            return self.start
        minutes = int((self.end - self.start).total_seconds() // 60)
        offset = ROTATION.index(part) * minutes // 3 + min(_LONGEST_SLOT_LEAD, minutes // 12)
        return self.start + timedelta(minutes=offset)


@dataclass(slots=True)
class Reach:
    """When the rep can reach one prospect, day by day.

    Built once per prospect office for a whole queue: the windows of each day
    are worked out once and kept, since thousands of prospects share a few zones.
    """

    prospect: Office
    rep: Office
    _meetings: dict[date, tuple[Window, date]] = field(default_factory=dict)
    _windows: dict[date, Window | None] = field(default_factory=dict)

    def proposed_slot(self, now: datetime) -> datetime:
        """The first reschedule to propose: mid-morning on the prospect's clock, on the
        first day after today there that both sides work."""
        day = now.astimezone(self.prospect.zone).date() + timedelta(days=1)
        while self.window_on(day) is None:
            day += timedelta(days=1)
        return datetime.combine(day, PROPOSED_SLOT_TIME, tzinfo=self.prospect.zone)

    def window_on(self, day: date) -> Window | None:
        """The window of the prospect's ``day``; None when either side is off that day."""
        if day not in self._windows:
            window, rep_day = self._meeting(day)
            works = self.prospect.works_on(day) and self.rep.works_on(rep_day)
            self._windows[day] = window if works else None
        return self._windows[day]

    def windows_after(self, moment: datetime) -> Iterator[Window]:
        """Each window that has not ended at ``moment``, in order.

        Endless, and never empty for long: both sides work Monday to Friday and
        their clocks differ by a day at most, so some of each week's days meet
        (holidays take a few at a time).
        """
        # A window can lie on the day before the prospect's day (the edge of a
        # rep's day that ends before theirs begins), so start a day early.
        day = moment.astimezone(self.prospect.zone).date() - timedelta(days=1)
        while True:
            window = self.window_on(day)
            if window is not None and window.end > moment:
                yield window
            day += timedelta(days=1)

    def part_of_day(self, moment: datetime) -> PartOfDay:
        """The part of the day a call at ``moment`` was made in, in the window nearest it."""
        day = moment.astimezone(self.prospect.zone).date()
        same_day, _ = self._meeting(day)
        if same_day.start <= moment < same_day.end:
            return same_day.part_of_day(moment)  # most calls: no neighbours to weigh
        windows = (self._meeting(day + timedelta(days=shift))[0] for shift in (-1, 0, 1))
        nearest = min(windows, key=lambda window: _distance(window, moment))
        return nearest.part_of_day(moment)

    def _meeting(self, day: date) -> tuple[Window, date]:
        """Where the prospect's ``day`` meets the rep's working hours, and the rep's day it is.

        Weekends and holidays are left to the caller: this is the plain day, so
        that a prospect's Monday that meets only the rep's Sunday is a day off,
        not a call at the far edge of the rep's Monday.
        """
        if day in self._meetings:
            return self._meetings[day]
        their_start, their_end = self.prospect.day_span(day)
        first = their_start.astimezone(self.rep.zone).date() - timedelta(days=1)
        last = their_end.astimezone(self.rep.zone).date() + timedelta(days=1)
        nearest: tuple[timedelta, Window, date] | None = None
        rep_day = first
        while rep_day <= last:
            our_start, our_end = self.rep.day_span(rep_day)
            start, end = max(their_start, our_start), min(their_end, our_end)
            if start < end:
                found = (Window(self._theirs(start), self._theirs(end), True), rep_day)
                self._meetings[day] = found
                return found
            if our_end <= their_start:
                gap, edge = their_start - our_end, Window(our_end, our_end + EDGE, False)
            else:
                gap, edge = our_start - their_end, Window(our_start - EDGE, our_start, False)
            if nearest is None or gap < nearest[0]:
                nearest = (gap, edge, rep_day)
            rep_day += timedelta(days=1)
        assert nearest is not None  # the loop ran over three days at least
        _, edge, rep_day = nearest
        found = (Window(self._theirs(edge.start), self._theirs(edge.end), False), rep_day)
        self._meetings[day] = found
        return found

    def _theirs(self, moment: datetime) -> datetime:
        return moment.astimezone(self.prospect.zone)


def _distance(window: Window, moment: datetime) -> timedelta:
    if moment < window.start:
        return window.start - moment
    if moment >= window.end:
        return moment - window.end
    return timedelta()
