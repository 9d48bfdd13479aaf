"""Calls booked for later, and the calendar invite that tells the rep's calendar."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from callassist import paths
from callassist.clock import Clock
from callassist.errors import InvalidInputError, KnownError
from callassist.invites import build_invite, invite_file_name
from callassist.records import FollowUpRecord
from callassist.services import activity, prospects
from callassist.services import profile as profiles
from callassist.vocabulary import FollowUpKind


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """A call booked for later (or moved, or cancelled), and the invite that says so."""

    follow_up: FollowUpRecord
    invite: Path
    """The .ics file to open in a calendar."""


def book(
    session: Session,
    clock: Clock,
    prospect_id: int,
    *,
    slot: datetime,
    call_type: str,
    attempt_id: int | None,
    invites_folder: Path | None,
    minutes: int | None,
) -> Rescheduled:
    """The follow-up and its invite; the invite is written last, so a failure stores nothing.

    It lasts what the call type needs, unless ``minutes`` says otherwise.
    """
    chosen = profiles.get_profile(session).call_type(call_type)
    if slot <= clock():
        raise InvalidInputError("pick a time in the future for the call")
    follow_up = activity.add_follow_up(
        session,
        prospect_id,
        due_at=slot,
        minutes=chosen.minutes if minutes is None else minutes,
        kind=FollowUpKind.MEETING,
        reason=f"{chosen.name} call agreed on the phone",
        attempt_id=attempt_id,
        call_type=chosen.name,
    )
    return send_invite(session, clock, follow_up, invites_folder)


def send_invite(
    session: Session, clock: Clock, follow_up: FollowUpRecord, invites_folder: Path | None
) -> Rescheduled:
    """Write the invite that tells a calendar what the booking now is."""
    prospect = prospects.get_prospect(session, follow_up.prospect_id)
    profile = profiles.get_profile(session)
    content = build_invite(prospect=prospect, profile=profile, booking=follow_up, created=clock())
    name = invite_file_name(
        prospect,
        follow_up.due_at.astimezone(ZoneInfo(profile.timezone)),
        cancelled=follow_up.cancelled_at is not None,
    )
    try:
        invite = paths.write_new_private(invites_folder or paths.invites_dir(), name, content)
    except OSError as error:
        raise KnownError(f"could not write the calendar invite: {error}") from error
    return Rescheduled(follow_up=follow_up, invite=invite)
