"""ORM rows to frozen records."""

from sqlalchemy.orm import object_session

from callassist.db.models import (
    Attempt,
    FollowUp,
    Pain,
    Prospect,
    ResearchNote,
    TimeCheck,
)
from callassist.phones import phone_written_for, with_extension
from callassist.records import (
    AttemptRecord,
    FollowUpRecord,
    PainRecord,
    PhoneLine,
    ProspectRecord,
    ResearchRecord,
    TimeCheckRecord,
    dialled_line,
)
from callassist.services.profile import rep_region
from callassist.vocabulary import PhoneKind


def phone_columns(row: Prospect) -> tuple[tuple[PhoneKind, str | None, str | None], ...]:
    """(kind, E.164, extension) of each of a prospect's number columns, direct first."""
    return (
        (PhoneKind.DIRECT, row.phone_e164, row.phone_extension),
        (PhoneKind.MOBILE, row.mobile_e164, row.mobile_extension),
        (PhoneKind.OFFICE, row.office_e164, row.office_extension),
    )


def prospect_record(row: Prospect) -> ProspectRecord:
    session = object_session(row)
    home_region = rep_region(session) if session is not None else None
    # As the rep dials them: national at home, "+44 20 7946 0123" abroad.
    phones = tuple(
        PhoneLine(
            kind, e164, extension, with_extension(phone_written_for(e164, home_region), extension)
        )
        for kind, e164, extension in phone_columns(row)
        if e164
    )
    dialled = dialled_line(phones, row.dial)
    return ProspectRecord(
        id=row.id,
        first_name=row.first_name,
        last_name=row.last_name,
        title=row.title,
        company=row.company,
        website=row.website,
        linkedin=row.linkedin,
        email=row.email,
        phone=dialled.e164 if dialled else None,
        phone_display=dialled.written if dialled else "",
        timezone=row.timezone,
        status=row.status,
        tags=tuple(tag.tag for tag in row.tags),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        phones=phones,
        dial=row.dial,
    )


def research_record(prospect_id: int, row: ResearchNote | None) -> ResearchRecord:
    if row is None:
        return ResearchRecord(prospect_id=prospect_id)
    return ResearchRecord(
        prospect_id=prospect_id,
        company_summary=row.company_summary,
        person_profile=row.person_profile,
        angle=row.angle,
        source_links=tuple(link for link in row.source_links.splitlines() if link.strip()),
        researched_at=row.researched_at,
    )


def attempt_record(row: Attempt) -> AttemptRecord:
    return AttemptRecord(
        id=row.id,
        prospect_id=row.prospect_id,
        at=row.at,
        ended_at=row.ended_at,
        channel=row.channel,
        outcome=row.outcome,
        script_name=row.script_name,
        rendered_text=row.rendered_text,
        notes=row.notes,
    )


def time_check_record(row: TimeCheck) -> TimeCheckRecord:
    return TimeCheckRecord(
        id=row.id,
        attempt_id=row.attempt_id,
        asked=row.asked,
        minutes_available=row.minutes_available,
        call_type=row.call_type,
        minutes_needed=row.minutes_needed,
        immediate_need=row.immediate_need,
        decision=row.decision,
    )


def pain_record(row: Pain) -> PainRecord:
    return PainRecord(
        id=row.id,
        prospect_id=row.prospect_id,
        attempt_id=row.attempt_id,
        kind=row.kind,
        words=row.words,
        asked=row.asked,
        acknowledged=row.acknowledged,
        can_help=row.can_help,
        noted_at=row.noted_at,
    )


def follow_up_record(row: FollowUp) -> FollowUpRecord:
    return FollowUpRecord(
        id=row.id,
        prospect_id=row.prospect_id,
        attempt_id=row.attempt_id,
        due_at=row.due_at,
        minutes=row.minutes,
        kind=row.kind,
        reason=row.reason,
        done=row.done,
        uid=row.uid,
        sequence=row.sequence,
        call_type=row.call_type,
        cancelled_at=row.cancelled_at,
    )
