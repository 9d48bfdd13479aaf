"""ORM rows to frozen records."""

from collections.abc import Generator, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, object_session

from callassist.db.models import (
    Attempt,
    FollowUp,
    Pain,
    Prospect,
    ProspectTag,
    ResearchNote,
    TimeCheck,
)
from callassist.phones import PhoneForms, calling_prefix, phone_forms, with_extension
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
from callassist.vocabulary import PhoneKind, ProspectStatus


class ProspectColumns(NamedTuple):
    """The stored columns a record is built from (:data:`PROSPECT_COLUMNS`, in order)."""

    id: int
    first_name: str
    last_name: str
    title: str
    company: str
    website: str
    linkedin: str
    email: str | None
    timezone: str | None
    status: ProspectStatus
    notes: str
    created_at: datetime
    updated_at: datetime
    dial: PhoneKind | None
    phone_e164: str | None
    phone_extension: str | None
    phone_national: str | None
    phone_international: str | None
    mobile_e164: str | None
    mobile_extension: str | None
    mobile_national: str | None
    mobile_international: str | None
    office_e164: str | None
    office_extension: str | None
    office_national: str | None
    office_international: str | None
    owner_id: int
    version: int


PROSPECT_COLUMNS = tuple(getattr(Prospect, name) for name in ProspectColumns._fields)
"""The columns a record is built from, read without the ORM where rows are many."""


def stored_phones(
    row: ProspectColumns | Prospect,
) -> tuple[tuple[PhoneKind, str | None, str | None, str | None, str | None], ...]:
    """(kind, E.164, extension, national form, international form) of each of a
    prospect's numbers, direct first."""
    return (
        (
            PhoneKind.DIRECT,
            row.phone_e164,
            row.phone_extension,
            row.phone_national,
            row.phone_international,
        ),
        (
            PhoneKind.MOBILE,
            row.mobile_e164,
            row.mobile_extension,
            row.mobile_national,
            row.mobile_international,
        ),
        (
            PhoneKind.OFFICE,
            row.office_e164,
            row.office_extension,
            row.office_national,
            row.office_international,
        ),
    )


def stored_forms_of(row: Prospect) -> dict[str, PhoneForms]:
    """The written forms stored for a prospect's numbers, by E.164 number."""
    return {
        e164: PhoneForms(national, international)
        for _kind, e164, _extension, national, international in stored_phones(row)
        if e164 and national and international
    }


def home_prefix(session: Session | None) -> str | None:
    """The calling code numbers are written at home for ("+1"), None outside a session."""
    return calling_prefix(rep_region(session)) if session is not None else None


def prospect_record(row: Prospect) -> ProspectRecord:
    columns = ProspectColumns._make(getattr(row, name) for name in ProspectColumns._fields)
    return record_of(columns, tuple(tag.tag for tag in row.tags), home_prefix(object_session(row)))


def record_of(row: ProspectColumns, tags: tuple[str, ...], prefix: str | None) -> ProspectRecord:
    """A prospect's record from its stored columns, numbers written as the rep dials them
    from the country of ``prefix`` (see :func:`home_prefix`)."""
    # A list first: tuple() of a generator costs more, and this runs once a row.
    phones = tuple(
        [
            PhoneLine(
                kind, e164, extension, _written(e164, extension, national, international, prefix)
            )
            for kind, e164, extension, national, international in stored_phones(row)
            if e164
        ]
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
        tags=tags,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        phones=phones,
        dial=row.dial,
        owner_id=row.owner_id,
        version=row.version,
    )


def _written(
    e164: str,
    extension: str | None,
    national: str | None,
    international: str | None,
    prefix: str | None,
) -> str:
    """As the rep dials it: national at home, "+44 20 7946 0123" abroad, extension after."""
    # A number stored without its forms (by hand, in SQL) is still shown.
    forms = PhoneForms(national, international) if national and international else phone_forms(e164)
    return with_extension(forms.written_for(e164, prefix), extension)


def streamed_records(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    parameters: Mapping[str, Any] | None = None,
) -> Generator[ProspectRecord, None, None]:
    """Records of the rows of ``statement`` (a select of :data:`PROSPECT_COLUMNS`), in its
    order, handed on as they are read: memory stays flat however many there are."""
    prefix = home_prefix(session)
    # On the connection: the ORM's row loading costs more than building the records.
    # Closed as the generator ends however it ends: a read cut short (its desk closed
    # under a worker) would otherwise leave a server-side cursor to the collector.
    with session.connection().execute(
        statement, parameters, execution_options={"stream_results": True}
    ) as rows:
        for batch in rows.partitions(_BATCH):
            columns = [ProspectColumns._make(row) for row in batch]
            tags = tags_of(session, [row.id for row in columns])
            for row in columns:
                yield record_of(row, tags.get(row.id, ()), prefix)


def tagged_records(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    parameters: Mapping[str, Any] | None = None,
) -> list[ProspectRecord]:
    """Records of the rows of ``statement``: :data:`PROSPECT_COLUMNS` then one tag (None
    for none), a row a tag, ordered by prospect and tag (see :func:`with_tags`).

    For a few prospects, as a caller's lookup finds: one statement, where
    :func:`streamed_records` reads the tags of each batch apart.
    """
    prefix = home_prefix(session)
    return [
        record_of(
            ProspectColumns._make(first[:-1]),
            (first[-1], *(row[-1] for row in rest)) if first[-1] is not None else (),
            prefix,
        )
        for _id, (first, *rest) in groupby(
            session.connection().execute(statement, parameters), key=itemgetter(0)
        )
    ]


def with_tags(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """``statement`` (a select of :data:`PROSPECT_COLUMNS`) with each prospect's tags, for
    :func:`tagged_records`."""
    return (
        statement.add_columns(ProspectTag.tag)
        .outerjoin(ProspectTag, ProspectTag.prospect_id == Prospect.id)
        .order_by(Prospect.id, ProspectTag.tag)
    )


_BATCH = 500
"""Rows read at a time, and ids in one IN (...) for their tags."""


def tags_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The tags of the prospects ``ids`` (at most :data:`_BATCH`), sorted, by prospect."""
    tags: dict[int, list[str]] = {}
    for prospect_id, tag in session.connection().execute(_TAGS_OF, {"ids": ids}):
        tags.setdefault(prospect_id, []).append(tag)
    return {prospect_id: tuple(names) for prospect_id, names in tags.items()}


_TAGS_OF = (
    select(ProspectTag.prospect_id, ProspectTag.tag)
    .where(ProspectTag.prospect_id.in_(bindparam("ids", expanding=True)))
    .order_by(ProspectTag.prospect_id, ProspectTag.tag)
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
        version=row.version,
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
