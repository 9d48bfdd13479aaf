"""The values a script is filled in with for one prospect, the rep and the call."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from callassist.phones import (
    display_phone,
    phone_spoken_for,
    phone_written_for,
    region_of,
    region_of_zone,
    zone,
)
from callassist.records import CallTypeRecord, ProfileRecord, ProspectRecord, ResearchRecord
from callassist.templates.fields import Fields

# English names on purpose: the scripts are English, and strftime's %A/%B follow
# the process locale, which Qt sets from the desktop.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def build_context(
    *,
    profile: ProfileRecord,
    prospect: ProspectRecord | None = None,
    research: ResearchRecord | None = None,
    call_type: CallTypeRecord | None = None,
    minutes_available: int | None = None,
    slot: datetime | None = None,
    slot_minutes: int | None = None,
    pain_kind: str | None = None,
    pain_words: str | None = None,
    attempt_number: int | None = None,
    today: date | None = None,
    next_call_day: date | None = None,
    first_voicemail_day: date | None = None,
) -> dict[str, object]:
    """The values a script can use; :mod:`callassist.templates` lists them.

    ``slot`` must be an aware datetime; it is shown in the prospect's zone.
    ``today``, ``next_call_day`` and ``first_voicemail_day`` are days on the
    prospect's calendar; the last two are worded against ``today``.
    """
    prospect_values: dict[str, object] = {}
    if prospect is not None:
        prospect_values = {
            "first_name": prospect.first_name,
            "last_name": prospect.last_name,
            "full_name": prospect.full_name,
            "title": prospect.title,
            "company": prospect.company,
            "website": prospect.website,
            "phone": prospect.phone_display or display_phone(prospect.phone),
            "timezone": prospect.timezone,
        }

    # Where the prospect is decides whether the rep's number needs its country code.
    listener_region = None
    if prospect is not None:
        listener_region = (
            region_of(prospect.phone) if prospect.phone else region_of_zone(prospect.timezone)
        )

    research_values: dict[str, object] = {}
    if research is not None:
        research_values = {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
        }

    rep_values: dict[str, object] = {
        "name": profile.name,
        "first_name": profile.name.split()[0] if profile.name.split() else None,
        "company": profile.company,
        "phone": phone_written_for(profile.phone, listener_region),
        "phone_spoken": phone_spoken_for(profile.phone, listener_region),
        "email": profile.email,
        "signature": profile.signature,
    }

    call_values: dict[str, object] = {"minutes_available": minutes_available}
    if call_type is not None:
        call_values["type"] = call_type.name
        call_values["minutes_needed"] = call_type.minutes

    slot_values: dict[str, object] = {"minutes": slot_minutes}
    if slot is not None:
        if slot.tzinfo is None:
            raise ValueError("build_context needs an aware slot datetime")
        zone_name = (prospect.timezone if prospect is not None else None) or profile.timezone
        local = slot.astimezone(zone(zone_name))
        hour = local.hour % 12 or 12
        slot_values["day"] = f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}"
        slot_values["time"] = f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
        slot_values["timezone"] = local.tzname() or zone_name

    pain_values: dict[str, object] = {
        # str() turns a PainKind into its plain value ("past").
        "kind": str(pain_kind) if pain_kind is not None else None,
        "words": pain_words,
    }

    return {
        "prospect": Fields("prospect", prospect_values),
        "research": Fields("research", research_values),
        "rep": Fields("rep", rep_values),
        "call": Fields("call", call_values),
        "slot": Fields("slot", slot_values),
        "pain": Fields("pain", pain_values),
        "attempt": Fields("attempt", {"number": attempt_number}),
        "next_call": Fields(
            "next_call",
            {"day": _day_said(next_call_day, today) if next_call_day and today else None},
        ),
        "voicemails": Fields(
            "voicemails",
            {
                "when": _span_said(first_voicemail_day, today)
                if first_voicemail_day and today
                else None
            },
        ),
    }


def _day_said(day: date, today: date) -> str:
    """The day of a call as a message says it to the listener."""
    ahead = (day - today).days
    if ahead <= 0:
        return "later today"
    if ahead == 1:
        return "tomorrow"
    weekday = _WEEKDAYS[day.weekday()]
    # A bare weekday a week or more away would name the coming one instead.
    if ahead < 7:
        return weekday
    return f"{weekday}, {_MONTHS[day.month - 1]} {day.day}"


def _span_said(first: date, today: date) -> str:
    """How long ago ``first`` was, in calendar weeks (Monday to Sunday) as people say it."""
    this_monday = today - timedelta(days=today.weekday())
    if first >= today:
        return "today"
    if first >= this_monday:
        return "earlier this week"
    if first >= this_monday - timedelta(days=7):
        return "last week"
    return "over the last few weeks"
