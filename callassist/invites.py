"""Calendar invitations (.ics) for rescheduled calls, built with icalendar."""

from datetime import UTC, datetime, timedelta, tzinfo

from icalendar import Calendar, Event, vCalAddress, vText

from callassist import paths
from callassist.phones import zone
from callassist.records import FollowUpRecord, ProfileRecord, ProspectRecord

PRODUCT_ID = "-//callassist//Call desk//EN"

ZONE_RULES_MARGIN = timedelta(days=366)
"""How far around the call the VTIMEZONE spells out the zone's changes of offset: a
year either side covers the call and anything a calendar shows next to it, and keeps
the file short (icalendar's default spans decades)."""


def build_invite(
    *,
    prospect: ProspectRecord,
    profile: ProfileRecord,
    booking: FollowUpRecord,
    created: datetime,
) -> bytes:
    """An iCalendar file with one event: the booked call, or its cancellation.

    The event keeps the booking's UID in every invite, so a calendar updates it
    in place (a higher SEQUENCE wins) rather than adding a second one. REQUEST
    and CANCEL need an attendee; with no email for the prospect the file is
    PUBLISH, which a calendar simply imports (a cancelled one as cancelled).
    Times are on the rep's clock, with the zone's rules in a VTIMEZONE.
    """
    cancelled = booking.cancelled_at is not None
    method = "PUBLISH" if not prospect.email else "CANCEL" if cancelled else "REQUEST"
    rep_zone = zone(profile.timezone)
    start = booking.due_at
    end = start + timedelta(minutes=booking.minutes)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", booking.uid)
    event.add("sequence", booking.sequence)
    event.add("dtstamp", created.astimezone(UTC))
    event.add("dtstart", _on_the_clock(start, rep_zone))
    event.add("dtend", _on_the_clock(end, rep_zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    call = f"{booking.call_type} call" if booking.call_type else "call"
    who = " / ".join(part for part in (prospect.full_name, prospect.company) if part)
    event.add(
        "summary",
        ("Cancelled: " if cancelled else "")
        + f"{call.capitalize()}: {who}"
        + (f" and {profile.company}" if profile.company else ""),
    )
    if cancelled:
        lines = [f"The {booking.minutes}-minute {call} is off; nothing is needed from you."]
    else:
        lines = [f"{booking.minutes}-minute {call}, as agreed on the phone."]
    if prospect.phone_display:
        lines.append(f"{prospect.full_name}: {prospect.phone_display}")
    if profile.name:
        lines.append(f"{profile.name}: {profile.phone_display or profile.email}")
    event.add("description", "\n".join(lines))
    if profile.email:
        organizer = vCalAddress(f"mailto:{profile.email}")
        organizer.params["cn"] = vText(profile.name or profile.email)
        event["organizer"] = organizer
    if prospect.email:
        attendee = vCalAddress(f"mailto:{prospect.email}")
        attendee.params["cn"] = vText(prospect.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(start - ZONE_RULES_MARGIN).date(), last_date=(end + ZONE_RULES_MARGIN).date()
    )
    return bytes(calendar.to_ical())


def _on_the_clock(moment: datetime, rep_zone: tzinfo) -> datetime:
    """``moment`` on the rep's clock, or in UTC when that clock shows its time twice.

    A local time with a TZID means its first occurrence (RFC 5545, 3.3.5), so the
    second 1:30 AM of a fall-back night cannot be written that way, and parsers do
    not all honour the rule for the first one either; UTC leaves them nothing to guess.
    """
    local = moment.astimezone(rep_zone)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return moment.astimezone(UTC)
    return local


def invite_file_name(prospect: ProspectRecord, start: datetime, *, cancelled: bool) -> str:
    """A readable, safe file name: "2026-03-12-1400-dana-whitfield.ics", at ``start``'s
    wall time; a cancellation's name says so, so it is not taken for the booking."""
    who = paths.name_part(prospect.full_name, f"prospect-{prospect.id}")
    return f"{start:%Y-%m-%d-%H%M}-{who}{'-cancelled' if cancelled else ''}.ics"
