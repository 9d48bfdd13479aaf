"""Prospects: add, change, find, delete; and their research notes.

Their fields are cleaned and checked first, in :mod:`callassist.services.prospect_fields`.
"""

from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import KeyedColumnElement

from callassist.clock import Clock
from callassist.db.models import (
    Attempt,
    FollowUp,
    Pain,
    Prospect,
    ProspectTag,
    ResearchNote,
    TimeCheck,
)
from callassist.db.search import reindex_prospects, search_prospect_ids
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import country_code_of, looks_like_phone, phone_candidates, region_of
from callassist.records import ListedLengths, ProspectDetail, ProspectRecord, ResearchRecord
from callassist.services.contacts import claim_contacts
from callassist.services.convert import (
    PROSPECT_COLUMNS,
    attempt_record,
    follow_up_record,
    home_prefix,
    pain_record,
    prospect_record,
    research_record,
    stored_forms_of,
    streamed_records,
    tagged_records,
    time_check_record,
    with_tags,
)
from callassist.services.dialect_insert import dialect_insert
from callassist.services.edit_versions import claim_edit

# The fields' checks live beside this module; callers keep importing them from here.
from callassist.services.profile import acting_rep_id
from callassist.services.prospect_fields import EDITABLE_FIELDS as EDITABLE_FIELDS
from callassist.services.prospect_fields import PHONE_FIELDS as PHONE_FIELDS
from callassist.services.prospect_fields import ProspectFields as ProspectFields
from callassist.services.prospect_fields import derived_zone, stored_forms
from callassist.services.prospect_fields import fields_of as fields_of
from callassist.services.prospect_fields import validate_prospect as validate_prospect
from callassist.vocabulary import PhoneKind, ProspectStatus


def find_existing(session: Session, email: str | None, numbers: Sequence[str]) -> Prospect | None:
    """A stored prospect with the same email, or one of ``numbers`` as their own line or mobile."""
    matches = []
    if email:
        matches.append(Prospect.email == email)
    if numbers:
        matches.append(Prospect.phone_e164.in_(numbers))
        matches.append(Prospect.mobile_e164.in_(numbers))
    if not matches:
        return None
    return session.scalars(
        select(Prospect).where(or_(*matches)).order_by(Prospect.id).limit(1)
    ).first()


def apply_fields(row: Prospect, values: ProspectFields) -> None:
    """Copy validated fields onto a row (tags included), each number's written forms too."""
    # The forms already stored for a number it keeps are not parsed again.
    values = replace(values, parsed_forms={**stored_forms_of(row), **values.parsed_forms})
    row.first_name = values.first_name
    row.last_name = values.last_name
    row.title = values.title
    row.company = values.company
    row.website = values.website
    row.linkedin = values.linkedin
    row.email = values.email
    row.phone_e164 = values.phone
    row.phone_extension = values.phone_extension
    row.mobile_e164 = values.mobile
    row.mobile_extension = values.mobile_extension
    row.office_e164 = values.office
    row.office_extension = values.office_extension
    row.dial = values.dial
    for column, written in stored_forms(values).items():
        setattr(row, column, written)
    row.timezone = values.timezone
    row.notes = values.notes
    current = {tag.tag for tag in row.tags}
    if current != set(values.tags):
        row.tags = [ProspectTag(tag=tag) for tag in values.tags]


def add_prospect(session: Session, clock: Clock, values: ProspectFields) -> ProspectRecord:
    """Store a new prospect; refuse one whose email or phone is already known."""
    existing = find_existing(session, values.email, values.personal_numbers)
    if existing is not None:
        raise InvalidInputError(
            f"{_name(existing)} (#{existing.id}) already has this "
            f"{'email' if values.email and existing.email == values.email else 'phone number'}"
        )
    now = clock()
    row = Prospect(created_at=now, updated_at=now, owner_id=acting_rep_id(session))
    apply_fields(row, values)
    session.add(row)
    session.flush()
    # The check above read; this claim is what holds when another rep adds them at once.
    claim_contacts(session, row.id, values.email, values.personal_numbers)
    reindex_prospects(session, [row.id])
    return prospect_record(row)


def update_prospect(
    session: Session,
    clock: Clock,
    prospect_id: int,
    changes: Mapping[str, str],
    region: str,
    seen_version: int | None = None,
) -> ProspectRecord:
    """Change some fields of a prospect (given as typed text), edited on ``seen_version``
    (None: on whatever is stored); see :func:`claim_edit`."""
    row = prospect_row(session, prospect_id)
    now = clock()
    claim_edit(
        session,
        row,
        seen_version,
        now,
        what=f"{_name(row)}'s details",
        theirs=lambda stored: _typed_fields(stored, changes),
    )
    current = fields_of(prospect_record(row))
    merged = {name: _as_text(getattr(current, name)) for name in EDITABLE_FIELDS}
    merged.update(changes)
    for _kind, number, extension in PHONE_FIELDS:
        if number in changes and extension not in changes:
            # A retyped number carries its own extension, or has none now.
            merged[extension] = ""
    # An old prospect whose area has several zones is not asked again for
    # every note typed; only a new number is.
    numbers_typed = any(number in changes for _kind, number, _extension in PHONE_FIELDS)
    if numbers_typed and "timezone" not in changes and current.timezone == derived_zone(current):
        # The zone came from the old number, so it goes with it: a new area's zone
        # is taken, or asked for, rather than London kept for a number in Sydney.
        merged["timezone"] = ""
    values = validate_prospect(merged, region, ask_zone=numbers_typed)
    clash = find_existing(session, values.email, values.personal_numbers)
    if clash is not None and clash.id != row.id:
        raise InvalidInputError(
            f"{_name(clash)} (#{clash.id}) already has this email or phone number"
        )
    apply_fields(row, values)
    row.updated_at = now
    session.flush()
    claim_contacts(session, row.id, values.email, values.personal_numbers)
    reindex_prospects(session, [row.id])
    return prospect_record(row)


def set_status(
    session: Session, clock: Clock, prospect_id: int, status: ProspectStatus
) -> ProspectRecord:
    """Put a prospect at ``status`` by hand, in either direction.

    Outcomes only move a status forward, so this is the one way back: a
    prospect who said no and now wants to talk, a number found to work after all.
    """
    row = prospect_row(session, prospect_id)
    if row.status is not status:
        row.status = status
        row.updated_at = clock()
        session.flush()
    return prospect_record(row)


def _typed_fields(row: Prospect, names: Iterable[str]) -> dict[str, str]:
    """The stored value of each of these fields as the card shows it (a number as dialed)."""
    record = prospect_record(row)
    stored = fields_of(record)
    written = {}
    for kind, number, _extension in PHONE_FIELDS:
        line = record.phone_line(kind)
        written[number] = line.written if line is not None else ""
    return {name: written.get(name, _as_text(getattr(stored, name))) for name in names}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def delete_prospect(session: Session, prospect_id: int) -> ProspectRecord:
    """Delete a prospect and everything recorded about them."""
    row = prospect_row(session, prospect_id)
    record = prospect_record(row)
    session.delete(row)
    session.flush()
    reindex_prospects(session, [prospect_id])
    return record


def get_prospect(session: Session, prospect_id: int) -> ProspectRecord:
    return prospect_record(prospect_row(session, prospect_id))


def get_detail(session: Session, prospect_id: int, recent: int = 20) -> ProspectDetail:
    """The card: the prospect, research, recent attempts, pains and open follow-ups."""
    row = prospect_row(session, prospect_id)
    attempts = session.scalars(
        select(Attempt)
        .where(Attempt.prospect_id == prospect_id)
        .order_by(Attempt.at.desc(), Attempt.id.desc())
        .limit(recent)
    ).all()
    attempt_ids = [attempt.id for attempt in attempts]
    time_checks = session.scalars(
        select(TimeCheck).where(TimeCheck.attempt_id.in_(attempt_ids))
    ).all()
    pains = session.scalars(
        select(Pain).where(Pain.prospect_id == prospect_id).order_by(Pain.noted_at, Pain.id)
    ).all()
    follow_ups = session.scalars(
        select(FollowUp)
        .where(FollowUp.prospect_id == prospect_id, FollowUp.done.is_(False))
        .order_by(FollowUp.due_at)
    ).all()
    return ProspectDetail(
        prospect=prospect_record(row),
        research=research_record(prospect_id, row.research),
        attempts=tuple(attempt_record(attempt) for attempt in attempts),
        pains=tuple(pain_record(pain) for pain in pains),
        follow_ups=tuple(follow_up_record(follow_up) for follow_up in follow_ups),
        time_checks=tuple(time_check_record(check) for check in time_checks),
    )


_BY_NAME = (func.lower(Prospect.last_name), func.lower(Prospect.first_name), Prospect.id)


def list_prospect_ids(
    session: Session, search: str | None = None, limit: int | None = None
) -> list[int]:
    """Ids by name, or of those matching ``search`` (best first)."""
    if search and search.strip():
        return search_prospect_ids(session, search, limit)
    statement = select(Prospect.id).order_by(*_BY_NAME)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def list_prospects(
    session: Session, search: str | None = None, limit: int | None = None
) -> list[ProspectRecord]:
    """All prospects by name, or those matching ``search`` (best first)."""
    if search and search.strip():
        return records_by_ids(session, search_prospect_ids(session, search, limit))
    return list(streamed_prospects(session, limit))


def streamed_prospects(
    session: Session, limit: int | None = None
) -> Generator[ProspectRecord, None, None]:
    """Every prospect by name (the first ``limit``), each handed on as it is read."""
    statement = select(*PROSPECT_COLUMNS).order_by(*_BY_NAME)
    if limit is not None:
        statement = statement.limit(limit)
    return streamed_records(session, statement)


def longest_listed(session: Session, limit: int | None = None) -> ListedLengths:
    """The length of the longest value of each field a list of prospects shows, over the
    rows :func:`listed_cells` reads: a table can be laid out before its first row."""
    chosen = select(Prospect)
    if limit is not None:
        # Ordered only to know which are the first ``limit``: a max needs no order.
        chosen = chosen.order_by(*_BY_NAME).limit(limit)
    listed = chosen.subquery()
    longest = session.execute(
        select(
            func.count(),
            *(
                func.coalesce(func.max(func.length(text)), 0)
                for text in _listed_texts(listed.c, home_prefix(session))
            ),
        )
    ).one()
    return ListedLengths(*longest)


def listed_cells(
    session: Session, limit: int | None = None
) -> Generator[tuple[str, ...], None, None]:
    """Every prospect by name (the first ``limit``) as the text of each field a list
    shows (:attr:`ListedLengths.widths`' order), handed on as it is read.

    Worded in SQL, so a million rows cost the database's read and little more: no
    record is built for a line that is only printed.
    """
    statement = select(*_listed_texts(Prospect.__table__.c, home_prefix(session)), Prospect.id)
    statement = statement.order_by(*_BY_NAME)
    if limit is not None:
        statement = statement.limit(limit)
    # Closed however the reading ends (a pipe closed early): see streamed_records.
    with session.connection().execute(
        statement, execution_options={"stream_results": True}
    ) as rows:
        for batch in rows.partitions(_CELLS_BATCH):
            for *cells, phone, email, timezone, status, prospect_id in batch:
                if phone is None:
                    # Its number was stored without the written forms (by hand, in
                    # SQL): worded as the record words it.
                    phone = records_by_ids(session, [prospect_id])[0].phone_display
                yield (*cells, phone, email, timezone, status)


_CELLS_BATCH = 1000


def _listed_texts(
    columns: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]], prefix: str | None
) -> tuple[ColumnElement[str | None], ...]:
    """The fields a list of prospects shows, as text, in the list's column order: what
    :func:`~callassist.services.convert.record_of` makes of them, in SQL. The number is
    NULL when its written forms were not stored."""
    written = {
        kind: _written_sql(
            columns[column], columns[national], columns[international], columns[extension], prefix
        )
        for kind, column, national, international, extension in _WRITTEN_COLUMNS
    }
    numbers = {kind: columns[column] for kind, column, *_ in _WRITTEN_COLUMNS}
    dialled = case(
        *(
            (and_(columns.dial == kind, numbers[kind].is_not(None)), written[kind])
            for kind in PhoneKind
        ),
        *((numbers[kind].is_not(None), written[kind]) for kind in PhoneKind),
        else_="",
    )
    return (
        cast(columns.id, String),
        func.trim(columns.first_name + " " + columns.last_name),
        columns.company,
        columns.title,
        dialled,
        func.coalesce(columns.email, ""),
        func.coalesce(columns.timezone, ""),
        # The stored value as it is, not the enum a typed read would make of it.
        type_coerce(columns.status, String),
    )


_WRITTEN_COLUMNS = (
    (PhoneKind.DIRECT, "phone_e164", "phone_national", "phone_international", "phone_extension"),
    (
        PhoneKind.MOBILE,
        "mobile_e164",
        "mobile_national",
        "mobile_international",
        "mobile_extension",
    ),
    (
        PhoneKind.OFFICE,
        "office_e164",
        "office_national",
        "office_international",
        "office_extension",
    ),
)


def _written_sql(
    e164: ColumnElement[str | None],
    national: ColumnElement[str | None],
    international: ColumnElement[str | None],
    extension: ColumnElement[str | None],
    prefix: str | None,
) -> ColumnElement[str | None]:
    """A number as the rep dials it, extension included: PhoneForms.written_for and
    with_extension, in SQL."""
    form = (
        national
        if prefix is None
        else case((func.substr(e164, 1, len(prefix)) == prefix, national), else_=international)
    )
    return form + case(
        (and_(extension.is_not(None), extension != ""), " ext. " + extension), else_=""
    )


def records_by_ids(session: Session, ids: Sequence[int]) -> list[ProspectRecord]:
    """Records for ``ids``, in that order."""
    records: dict[int, ProspectRecord] = {}
    for start in range(0, len(ids), 500):
        chunk = {"ids": ids[start : start + 500]}
        records.update((record.id, record) for record in streamed_records(session, _BY_IDS, chunk))
    return [records[prospect_id] for prospect_id in ids if prospect_id in records]


_BY_IDS = select(*PROSPECT_COLUMNS).where(Prospect.id.in_(bindparam("ids", expanding=True)))


def lookup(session: Session, query: str, regions: Sequence[str]) -> list[ProspectRecord]:
    """Find a caller: by exact phone number when ``query`` is one, else by text.

    A number is read as typed in each of ``regions``: the rep's, then the region
    of every country the stored numbers are in (:func:`stored_regions`), so
    "020 7946 0123" finds the London prospect the window shows that way.
    """
    if looks_like_phone(query):
        # Each region once: every reading of the typed text is a full parse.
        phones = phone_candidates(query, dict.fromkeys(regions))
        if phones:
            return tagged_records(session, _HAVING_NUMBERS, {"numbers": sorted(phones)})
    return list_prospects(session, search=query)


def stored_regions(session: Session) -> list[str]:
    """One region for each country calling code among the stored numbers.

    One indexed seek per country and column instead of a scan of every
    prospect, the three columns in one statement: after the lowest number
    past the bound, the bound skips every number with its calling code (codes
    are prefix-free, and ":" sorts right after "9").
    """
    regions: set[str] = set()
    bounds: list[str | None] = ["+"] * len(_NUMBER_COLUMNS)
    connection = session.connection()
    while any(bounds):
        lowest = connection.execute(
            _LOWEST_PAST, {f"bound{index}": bound for index, bound in enumerate(bounds)}
        ).one()
        for index, number in enumerate(lowest):
            if number is None:
                bounds[index] = None
            else:
                regions.add(region_of(number))
                bounds[index] = f"+{country_code_of(number)}:"
    return sorted(regions)


_NUMBER_COLUMNS = (Prospect.phone_e164, Prospect.mobile_e164, Prospect.office_e164)
"""Every column a prospect's number can be in (each indexed)."""

# Built once: a caller's lookup is a few statements, and building them cost more
# than running them.
_HAVING_NUMBERS = with_tags(
    select(*PROSPECT_COLUMNS).where(
        or_(*(column.in_(bindparam("numbers", expanding=True)) for column in _NUMBER_COLUMNS))
    )
)
_LOWEST_PAST = select(
    *(
        # A bound of NULL (that column is done) matches nothing: no seek.
        select(func.min(column)).where(column > bindparam(f"bound{index}")).scalar_subquery()
        for index, column in enumerate(_NUMBER_COLUMNS)
    )
)


def update_research(
    session: Session,
    clock: Clock,
    prospect_id: int,
    *,
    company_summary: str | None = None,
    person_profile: str | None = None,
    angle: str | None = None,
    source_links: Iterable[str] | None = None,
    researched_at: datetime | None = None,
    seen_version: int | None = None,
) -> ResearchRecord:
    """Change research notes, edited on ``seen_version`` (None: on whatever is stored; see
    :func:`claim_edit`); a change to their text counts as research done now."""
    prospect = prospect_row(session, prospect_id)
    row = research_row(session, prospect)
    given = {
        "company_summary": company_summary,
        "person_profile": person_profile,
        "angle": angle,
        "source_links": source_links,
    }
    claim_edit(
        session,
        row,
        seen_version,
        clock(),
        what=f"the research notes on {_name(prospect)}",
        theirs=lambda stored: {
            name: getattr(stored, name) for name, value in given.items() if value is not None
        },
    )
    before = (row.company_summary, row.person_profile, row.angle, row.source_links)
    if company_summary is not None:
        row.company_summary = company_summary.strip()
    if person_profile is not None:
        row.person_profile = person_profile.strip()
    if angle is not None:
        row.angle = angle.strip()
    if source_links is not None:
        row.source_links = "\n".join(link.strip() for link in source_links if link.strip())
    if researched_at is not None:
        row.researched_at = researched_at
    elif (row.company_summary, row.person_profile, row.angle, row.source_links) != before:
        row.researched_at = clock()
    prospect.updated_at = clock()
    session.flush()
    reindex_prospects(session, [prospect_id])
    return research_record(prospect_id, row)


def research_row(session: Session, prospect: Prospect) -> ResearchNote:
    """The prospect's research row, read afresh; an empty one made if they have none.

    Made by an insert that updates instead when the row is there, so that two
    reps writing a first note at once both succeed; the update also locks the
    row on PostgreSQL until this transaction ends, so what is compared with
    "before" is not changed meanwhile.
    """
    statement = dialect_insert(session, ResearchNote).values(
        prospect_id=prospect.id, company_summary="", person_profile="", angle="", source_links=""
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["prospect_id"], set_={"prospect_id": statement.excluded.prospect_id}
        )
    )
    session.expire(prospect, ["research"])
    return session.scalars(
        select(ResearchNote)
        .where(ResearchNote.prospect_id == prospect.id)
        .execution_options(populate_existing=True)
    ).one()


def count_prospects(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Prospect)) or 0


def prospect_row(session: Session, prospect_id: int) -> Prospect:
    row = session.get(Prospect, prospect_id)
    if row is None:
        raise NotFoundError(f"no prospect #{prospect_id}")
    return row


def _name(row: Prospect) -> str:
    return f"{row.first_name} {row.last_name}".strip()
