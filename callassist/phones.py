"""Phone numbers and time zones: stored one way, typed any way.

Numbers are kept in E.164 ("+15058281788") so "(505) 828-1788",
"+1 505-828-1788" and "5058281788" are one value, and shown in the national
format of their country.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from phonenumbers import timezone as phone_timezones

from callassist.errors import InvalidInputError

DEFAULT_REGION = "US"

_PHONE_CHARACTERS = re.compile(r"^[\d\s()+\-./]*(?:(?:ext|x|#)\.?\s*\d+)?$", re.IGNORECASE)

# Zone names CRMs export instead of IANA names.
_ZONE_ALIASES = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "ct": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain": "America/Denver",
    "mt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "bst": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
}

# The first part of an IANA name that is a place; "Etc/...", "US/...", "EST" are not.
_REGION_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)

# "UTC+1", "GMT-05:00", "+0100": an offset typed instead of a place.
_OFFSET = re.compile(r"^(?:utc|gmt|z)?\s*[+-]\s*\d{1,2}(?::?\d{2})?$", re.IGNORECASE)


def looks_like_phone(text: str) -> bool:
    """True when ``text`` is made of phone characters and has at least 7 digits."""
    stripped = text.strip()
    digits = sum(ch.isdigit() for ch in stripped)
    return digits >= 7 and bool(_PHONE_CHARACTERS.match(stripped))


def _parse_valid(text: str, region: str) -> tuple[phonenumbers.PhoneNumber, int]:
    """A valid number and its type (a PhoneNumberType: fixed line, mobile...)."""
    typed = text.strip()
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidInputError(f"{typed!r} is not a phone number") from error
    if not phonenumbers.is_possible_number(number):
        raise InvalidInputError(f"{typed!r} has the wrong number of digits for a phone number")
    # A number is valid when it has a known type (all is_valid_number checks):
    # the type is kept for its time zones, as working it out is the costliest
    # part of reading a number.
    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        raise InvalidInputError(f"{typed!r} is not a valid phone number")
    return number, kind


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """The E.164 form of ``text``, read in ``region`` when it has no country code.

    Raises InvalidInputError with the reason when it is not a possible number.
    """
    number, _kind = _parse_valid(text, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True, slots=True)
class PhoneForms:
    """A number written out, stored beside its E.164 form so showing it parses nothing."""

    national: str
    """As dialled in its own country: "(505) 828-1788", "020 7946 0123"."""
    international: str
    """As dialled from anywhere, its digit groups spaced: "+44 20 7946 0123"."""

    def written_for(self, e164: str, listener_prefix: str | None) -> str:
        """The form someone dials whose country's calling code is ``listener_prefix``
        ("+1"; None when unknown): as :func:`phone_written_for`, without a parse.

        Calling codes are prefix-free, so a number starting with the listener's
        code has that code.
        """
        if listener_prefix is None or e164.startswith(listener_prefix):
            return self.national
        return self.international


def calling_prefix(region: str) -> str:
    """The calling code of ``region`` as E.164 numbers start with it: "+44" for "GB"."""
    return f"+{phonenumbers.country_code_for_region(region)}"


def phone_forms(e164: str) -> PhoneForms:
    """The written forms of a stored number (it is parsed: store them, then read them)."""
    return _forms(phonenumbers.parse(e164, None))


def _forms(number: phonenumbers.PhoneNumber) -> PhoneForms:
    if number.extension:
        # The forms are of the number alone; its extension is stored and shown apart.
        number = phonenumbers.PhoneNumber(
            country_code=number.country_code,
            national_number=number.national_number,
            italian_leading_zero=number.italian_leading_zero,
            number_of_leading_zeros=number.number_of_leading_zeros,
        )
    return PhoneForms(
        national=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        international=_international(number),
    )


@dataclass(frozen=True, slots=True)
class ParsedPhone:
    """A typed number read once: what is stored, and what its area says."""

    e164: str
    forms: PhoneForms
    """How it is written, worked out from the same parse."""
    extension: str | None
    """Digits dialled after the call connects ("ext. 12"), or None."""
    zones: tuple[str, ...]
    """The time zones of the number's area (several for Alaska's 907, none for some mobiles)."""

    @property
    def zone(self) -> str | None:
        """The area's time zone when its clocks all agree; None when it is a guess.

        A UK mobile may be in London, Jersey or the Isle of Man: one clock, so
        London. Alaska's 907 is Anchorage or Adak, an hour apart: no answer.
        """
        if len(self.zones) == 1:
            return self.zones[0]
        countries = _zone_countries()
        home = [name for name in self.zones if countries.get(name) == self.region] or self.zones
        if home and all(_same_clock(home[0], name) for name in home[1:]):
            return home[0]
        return None

    region: str = DEFAULT_REGION
    """The main country of the number's calling code ("GB" for +44, "US" for +1)."""


# A spreadsheet that opens a CSV reads "+442079460123" as the number
# 442079460123 and saves it without its "+".
_LOST_PLUS = re.compile(r"^[1-9]\d{10,14}$")


def parse_phone(text: str, region: str = DEFAULT_REGION) -> ParsedPhone:
    """Read a typed or imported number, its extension and its area's zones, in one parse.

    Importing 100,000 rows spends most of its time parsing numbers, so this
    does not parse twice. Digits alone that are no number of ``region`` but
    are one with a "+" in front were an international number a spreadsheet
    stripped, and are read that way.
    """
    try:
        number, kind = _parse_valid(text, region)
    except InvalidInputError:
        digits = text.strip()
        if not _LOST_PLUS.match(digits):
            raise
        try:
            number, kind = _parse_valid("+" + digits, region)
        except InvalidInputError:
            raise InvalidInputError(f"{digits!r} is not a valid phone number") from None
    return ParsedPhone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        forms=_forms(number),
        extension=number.extension or None,
        zones=_zones_of(number, kind),
        # The calling code's main country: a UK mobile is "GB", not Guernsey.
        region=phonenumbers.region_code_for_country_code(number.country_code or 0) or region,
    )


def with_extension(written: str, extension: str | None) -> str:
    """A written number followed by its extension: "020 7946 0123 ext. 12"."""
    return f"{written} ext. {extension}" if written and extension else written


def phone_candidates(text: str, regions: Iterable[str]) -> set[str]:
    """Every valid E.164 number ``text`` can be, read as typed in each of ``regions``.

    "020 7946 0123" is a London number read in GB and none in the US, so the
    caller passes every region the number may be from. "0044 20 7946 0123" is
    also read as "+44 20 7946 0123": 00 is how most countries dial abroad, and
    reps copy numbers written that way even when their own exit code is 011.
    """
    typed = text.strip()
    readings = [(typed, region) for region in regions]
    if typed.startswith("00"):
        readings.append(("+" + typed[2:], DEFAULT_REGION))
    found = set()
    for reading, region in readings:
        try:
            found.add(normalize_phone(reading, region))
        except InvalidInputError:
            continue
    return found


def display_phone(e164: str | None) -> str:
    """A stored number in its national format, or "" for no number."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@lru_cache(maxsize=256)
def country_code_of(e164: str) -> int:
    """The country calling code of a stored number (44 for "+442079460123")."""
    country_code = phonenumbers.parse(e164, None).country_code
    # A number read with its "+" always has one; the library's type allows None.
    if country_code is None:
        raise InvalidInputError(f"{e164!r} has no country calling code")
    return country_code


# Cached: a caller's lookup asks it of the same few stored numbers every time.
@lru_cache(maxsize=256)
def region_of(e164: str | None) -> str:
    """The two-letter region of a stored number, or the default region."""
    if not e164:
        return DEFAULT_REGION
    region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    return region or DEFAULT_REGION


def _zones_of(number: phonenumbers.PhoneNumber, kind: int) -> tuple[str, ...]:
    # time_zones_for_number works out the type again to choose between these.
    if phonenumbers.is_number_type_geographical(kind, number.country_code or 0):
        names = phone_timezones.time_zones_for_geographical_number(number)
    else:
        names = phone_timezones.time_zones_for_number(number)
    # The library says "Etc/Unknown" for numbers without an area (mobiles).
    known = _known_zones()
    return tuple(str(name) for name in names if name in known)


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_region_zone(name: str) -> bool:
    """True for a zone named after a place ("Europe/Berlin"), not "EST", "GMT" or "Etc/GMT-1"."""
    area, _, place = name.partition("/")
    return area in _REGION_AREAS and bool(place)


@cache
def region_zones() -> tuple[str, ...]:
    """The zones a rep or a prospect may be given, sorted: places only (see normalize_timezone)."""
    return tuple(sorted(name for name in _known_zones() if is_region_zone(name)))


def normalize_timezone(text: str) -> str:
    """An IANA region zone name for ``text`` ("America/Denver", "pst", "Mountain").

    Only a place is accepted: a fixed zone ("EST", "UTC+1", "Etc/GMT-1") has
    no daylight saving, so times would be an hour off for half the year, and a
    rule ("EST5EDT") is no country's.
    """
    cleaned = text.strip()
    iana_name = cleaned if cleaned in _known_zones() else _known_zone_named(cleaned)
    if iana_name is not None and is_region_zone(iana_name):
        return iana_name
    alias = _ZONE_ALIASES.get(cleaned.lower())
    if iana_name is None and alias:
        return alias
    place = f"use a place such as {alias or 'America/New_York or Europe/London'}"
    if (iana_name is not None and _is_fixed(iana_name)) or _OFFSET.match(cleaned):
        raise InvalidInputError(f"{cleaned} is a fixed offset without daylight saving: {place}")
    if iana_name is not None:
        raise InvalidInputError(f"{cleaned} is not a place: {place}")
    raise InvalidInputError(
        f"{cleaned!r} is not a time zone (use a name like America/Chicago or Europe/Paris)"
    )


def _known_zone_named(text: str) -> str | None:
    return next((name for name in _known_zones() if name.lower() == text.lower()), None)


def _same_clock(one: str, other: str) -> bool:
    # The same offsets in January and July: the same time all year, near enough.
    return all(
        datetime(2026, month, 15, tzinfo=ZoneInfo(one)).utcoffset()
        == datetime(2026, month, 15, tzinfo=ZoneInfo(other)).utcoffset()
        for month in (1, 7)
    )


def _is_fixed(zone_name: str) -> bool:
    # The same offset in January and July: no daylight saving either side of the equator.
    where = ZoneInfo(zone_name)
    january = datetime(2026, 1, 15, tzinfo=where).utcoffset()
    return january == datetime(2026, 7, 15, tzinfo=where).utcoffset()


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for a stored zone name; InvalidInputError for a name that is none."""
    try:
        return ZoneInfo(name)
    # A folder of zones ("America") or an overlong name fails as a file would.
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InvalidInputError(f"{name!r} is not a time zone") from error


def is_time_zone(name: str) -> bool:
    """True when ``name``, as stored, can be used as a time zone."""
    try:
        zone(name)
    except InvalidInputError:
        return False
    return True


def phone_written_for(e164: str | None, listener_region: str | None) -> str:
    """A number written for someone in ``listener_region`` to dial, or "" for no number.

    The national format when they share its calling code (or their region is
    unknown); "+1 312 555 0142" from abroad, where the national form lacks the
    country code and its punctuation means nothing.
    """
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    if listener_region is None or number.country_code == phonenumbers.country_code_for_region(
        listener_region
    ):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return _international(number)


def phone_international(e164: str) -> str:
    """A stored number for anyone anywhere: "+44 20 7946 0123"."""
    return _international(phonenumbers.parse(e164, None))


def _international(number: phonenumbers.PhoneNumber) -> str:
    # The international format groups the digits the way people say them.
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return " ".join(re.findall(r"\+?\d+", international))


def phone_spoken_for(e164: str | None, listener_region: str | None) -> str:
    """A number said for someone in ``listener_region``: its digit groups joined
    by pauses, "312 ... 555 ... 0142", with "+1 ... " first from abroad."""
    return " ... ".join(re.findall(r"\+?\d+", phone_written_for(e164, listener_region)))


def region_of_zone(zone_name: str | None) -> str | None:
    """The two-letter country of an IANA zone ("GB" for Europe/London), None when unknown."""
    if not zone_name:
        return None
    return _zone_countries().get(zone_name)


@cache
def _zone_countries() -> dict[str, str]:
    # tzdata's zone.tab gives each zone the one country it is in.
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    countries = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone_name = line.split("\t")[:3]
            countries[zone_name] = country
    return countries
