"""The prospect's own clock: what time it is there, and is it a working hour."""

from dataclasses import dataclass
from datetime import datetime, time

from callassist.phones import is_time_zone, zone
from callassist.workdays import country_of, is_working_day


def clock_text(moment: datetime | time) -> str:
    """A time of day as a rep reads it: "9:05 AM" (no leading zero on the hour)."""
    # Spelled out rather than strftime, which imports the time module on every call
    # (0.1 ms, 20 times this): the queue words thousands of times a minute.
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def day_and_time(moment: datetime, zone_name: str) -> str:
    """A moment as "Thu Mar 12, 10:30 AM" on the clock of ``zone_name``."""
    local = moment.astimezone(zone(zone_name))
    return f"{local:%a %b} {local.day}, {clock_text(local)}"


@dataclass(frozen=True, slots=True)
class LocalTime:
    """The time at the prospect's desk."""

    at: datetime
    zone_known: bool
    """False when the prospect has no usable zone and the rep's was used instead."""
    in_business_hours: bool

    @property
    def label(self) -> str:
        """For a list cell: "Tue 9:05 AM MST"."""
        return f"{self.at:%a} {clock_text(self.at)} {self.at.tzname()}"


def local_time(
    zone_name: str | None,
    now: datetime,
    business_start: time,
    business_end: time,
    fallback_zone: str,
    phone: str | None = None,
) -> LocalTime:
    """``now`` in the prospect's zone, and whether it falls in their business hours
    on one of their working days (their country's public holidays are days off).

    ``phone`` (E.164) gives their country when they have no zone. A stored
    zone that is not one (an old database, another tool) is shown as no zone
    rather than stopping the whole list.
    """
    usable = zone_name if zone_name is not None and is_time_zone(zone_name) else None
    local = now.astimezone(zone(usable or fallback_zone))
    # The hours first: the list asks for every painted row, and outside them
    # (most of the day) the holidays need not be looked up at all.
    working = business_start <= local.time() < business_end and is_working_day(
        local.date(), country_of(usable, phone, fallback_zone)
    )
    return LocalTime(at=local, zone_known=usable is not None, in_business_hours=working)
