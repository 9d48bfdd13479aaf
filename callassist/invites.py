"""Calendar invitations (.ics) for rescheduled calls, built with icalendar."""

import re
from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText

from callassist import paths
from callassist.records import ProfileRecord, ProspectRecord

PRODUCT_ID = "-//callassist//Call desk//EN"


def build_invite(
    *,
    prospect: ProspectRecord,
    profile: ProfileRecord,
    start: datetime,
    minutes: int,
    call_type: str,
    uid: str,
    created: datetime,
) -> bytes:
    """An iCalendar file with one event: the call, from ``start`` for ``minutes``."""
    if start.tzinfo is None:
        raise ValueError("an invite needs an aware start time")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", created)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    who = " / ".join(part for part in (prospect.full_name, prospect.company) if part)
    event.add(
        "summary",
        f"{call_type.capitalize()} call: {who}"
        + (f" and {profile.company}" if profile.company else ""),
    )
    lines = [f"{minutes}-minute {call_type} call, as agreed on the phone."]
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
    return bytes(calendar.to_ical())


def invite_file_name(prospect: ProspectRecord, start: datetime) -> str:
    """A readable, safe file name: "2026-03-12-1400-dana-whitfield.ics"."""
    slug = (
        re.sub(r"[^a-z0-9]+", "-", prospect.full_name.lower()).strip("-")
        or f"prospect-{prospect.id}"
    )
    return f"{start:%Y-%m-%d-%H%M}-{slug}.ics"


def write_invite(folder: Path, name: str, content: bytes) -> Path:
    """Save an invite (0600); an existing file of that name gets a number added."""
    paths.private_folder(folder)
    target = folder / name
    counter = 1
    while True:
        try:
            paths.create_private_file(target)
            break
        except FileExistsError:
            counter += 1
            target = folder / f"{Path(name).stem}-{counter}.ics"
    target.write_bytes(content)
    return target
