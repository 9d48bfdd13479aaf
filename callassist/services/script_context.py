"""What a script is filled in with for a prospect, read from the database."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callassist.cadence import FollowedCadences
from callassist.clock import Clock
from callassist.db.models import Attempt
from callassist.errors import NotFoundError
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services import prospects
from callassist.templates import build_context
from callassist.vocabulary import Channel


def script_context(
    session: Session,
    clock: Clock,
    cadences: FollowedCadences,
    prospect_id: int | None,
    *,
    call_type: str | None = None,
    minutes_available: int | None = None,
    slot: datetime | None = None,
    pain_id: int | None = None,
) -> dict[str, object]:
    """What a script can use for this prospect, the rep's profile and the call."""
    profile = profiles.get_profile(session)
    detail = prospects.get_detail(session, prospect_id) if prospect_id is not None else None
    attempts_so_far = 0
    said = None
    if prospect_id is not None:
        said = cadence_service.said_days(session, clock, prospect_id, cadences)
        attempts_so_far = _calls_made(session, prospect_id)
    chosen_type = profile.call_types[0] if profile.call_types else None
    if call_type is not None:
        chosen_type = profile.call_type(call_type)
    pain = None
    if pain_id is not None:
        pain = next((p for p in detail.pains if p.id == pain_id), None) if detail else None
        if pain is None:
            raise NotFoundError(f"no pain #{pain_id} for this prospect")
    return build_context(
        profile=profile,
        prospect=detail.prospect if detail else None,
        research=detail.research if detail else None,
        call_type=chosen_type,
        minutes_available=minutes_available,
        slot=slot,
        slot_minutes=chosen_type.minutes if chosen_type and slot else None,
        pain_kind=pain.kind.value if pain else None,
        pain_words=pain.words if pain else None,
        attempt_number=attempts_so_far + 1,
        today=said.today if said else None,
        next_call_day=said.next_call if said else None,
        first_voicemail_day=said.first_voicemail if said else None,
    )


def _calls_made(session: Session, prospect_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.prospect_id == prospect_id, Attempt.channel == Channel.CALL)
        )
        or 0
    )
