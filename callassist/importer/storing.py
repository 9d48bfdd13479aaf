"""Writing an import plan in batches: new prospects in bulk, updates merged, the search index.

The functions take a session and never commit: the facade runs the whole
import in one transaction, so a failure part way leaves nothing behind.
"""

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session, selectinload

from callassist.clock import Clock
from callassist.db.base import Base
from callassist.db.models import Prospect, ProspectTag, ResearchNote
from callassist.db.search import reindex_prospects
from callassist.errors import InvalidInputError
from callassist.importer.reporting import (
    ImportReport,
    ImportTally,
    reject_if_invalid,
    report_of,
)
from callassist.importer.validating import ImportPlan, PlannedRow, ResearchFields, RowAction
from callassist.services.contacts import (
    ContactHolder,
    claim_contacts,
    claim_new_contacts,
    contacts_of,
)
from callassist.services.convert import prospect_record
from callassist.services.edit_versions import count_edits
from callassist.services.profile import acting_rep_id
from callassist.services.prospect_fields import stored_forms
from callassist.services.prospects import (
    EDITABLE_FIELDS,
    PHONE_FIELDS,
    ProspectFields,
    apply_fields,
    fields_of,
    research_row,
)
from callassist.vocabulary import ProspectStatus


def apply_import(
    session: Session,
    clock: Clock,
    plan: ImportPlan,
    *,
    skip_invalid: bool,
    owner_id: int | None = None,
) -> ImportReport:
    """Write a plan a batch of rows at a time, as they are planned: new prospects in bulk,
    planned updates, then the batch's search documents.

    New prospects are ``owner_id``'s, by default the acting rep's; those updated
    stay with whoever has them.

    Once a row is invalid and skipping invalid rows was not asked for, nothing
    more is written, but the rest is still planned for the report: the refusal
    then rolls back what was written, as a failure or a stop part way does.
    """
    now = clock()
    owner = owner_id if owner_id is not None else acting_rep_id(session)
    tally = ImportTally()
    created = updated = 0
    rows = iter(plan.rows)
    while batch := list(itertools.islice(rows, _BATCH_ROWS)):
        invalid = any(row.action is RowAction.INVALID for row in batch)
        if (tally.invalid_count or invalid) and not skip_invalid:
            for row in batch:
                tally.count(row)
            continue
        new_ids, stored_meanwhile = _insert_new(
            session, now, owner, [row for row in batch if row.action is RowAction.NEW]
        )
        updated_ids = _apply_updates(
            session, now, [row for row in batch if row.action is RowAction.UPDATE]
        )
        reindex_prospects(session, [*new_ids, *updated_ids])
        for row in batch:
            tally.count(stored_meanwhile.get(row.row, row))
        created += len(new_ids)
        updated += len(updated_ids)
    reject_if_invalid(plan, tally, skip_invalid=skip_invalid, dry_run=False)
    return report_of(plan, tally, created=created, updated=updated, dry_run=False)


_BATCH_ROWS = 2000
"""Rows planned, then written, at a time: what an import holds of its file at once."""

_INSERT_CHUNK = 2000
"""New prospects inserted per round (a couple of multi-row statements each)."""


def _insert_new(
    session: Session, now: datetime, owner_id: int, rows: Sequence[PlannedRow]
) -> tuple[list[int], dict[int, PlannedRow]]:
    """Insert new prospects, their tags and research in bulk; their ids, in row order,
    and by row number the rows another program stored meanwhile, as already known.

    Planning read the stored contacts before this import wrote anything; a
    second import of the same file at the same moment (PostgreSQL lets both
    run) may have stored some of these prospects since. Their contacts are
    refused when claimed, and those prospects are taken out again.
    """
    ids: list[int] = []
    stored_meanwhile: dict[int, PlannedRow] = {}
    # In chunks, so the parameter dictionaries of a 100,000-row file never
    # all sit in memory at once.
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = rows[start : start + _INSERT_CHUNK]
        values: list[dict[str, Any]] = []
        for row in chunk:
            assert row.fields is not None
            fields = row.fields
            values.append(
                {
                    "first_name": fields.first_name,
                    "last_name": fields.last_name,
                    "title": fields.title,
                    "company": fields.company,
                    "website": fields.website,
                    "linkedin": fields.linkedin,
                    "email": fields.email,
                    "phone_e164": fields.phone,
                    "phone_extension": fields.phone_extension,
                    "mobile_e164": fields.mobile,
                    "mobile_extension": fields.mobile_extension,
                    "office_e164": fields.office,
                    "office_extension": fields.office_extension,
                    "dial": fields.dial,
                    "timezone": fields.timezone,
                    "status": row.status or ProspectStatus.NEW,
                    "notes": fields.notes,
                    "created_at": now,
                    "updated_at": now,
                    "owner_id": owner_id,
                    **stored_forms(fields),
                }
            )
        inserted_ids = _insert_returning_ids(session, values)
        refused = claim_new_contacts(
            session,
            {
                prospect_id: contacts_of(row.fields.email, row.fields.personal_numbers)
                for prospect_id, row in zip(inserted_ids, chunk, strict=True)
                if row.fields is not None
            },
        )
        if refused:
            session.execute(delete(_table(Prospect)).where(_table(Prospect).c.id.in_(refused)))
            for prospect_id, row in zip(inserted_ids, chunk, strict=True):
                if prospect_id in refused:
                    stored_meanwhile[row.row] = _stored_meanwhile(row, refused[prospect_id])
            kept = [
                (prospect_id, row)
                for prospect_id, row in zip(inserted_ids, chunk, strict=True)
                if prospect_id not in refused
            ]
            chunk = [row for _prospect_id, row in kept]
            chunk_ids = [prospect_id for prospect_id, _row in kept]
        else:
            chunk_ids = inserted_ids
        tags = [
            {"prospect_id": prospect_id, "tag": tag}
            for prospect_id, row in zip(chunk_ids, chunk, strict=True)
            for tag in (row.fields.tags if row.fields else ())
        ]
        if tags:
            session.execute(insert(_table(ProspectTag)), tags)
        research = [
            _research_values(prospect_id, row.research, now)
            for prospect_id, row in zip(chunk_ids, chunk, strict=True)
            if row.research is not None and not row.research.is_empty
        ]
        if research:
            session.execute(insert(_table(ResearchNote)), research)
        ids.extend(chunk_ids)
    return ids, stored_meanwhile


def _stored_meanwhile(row: PlannedRow, holder: ContactHolder | None) -> PlannedRow:
    """A new row whose prospect another program stored after this import was planned."""
    if holder is None:
        message = "its email or phone was stored meanwhile by another program"
    else:
        message = (
            f"same {holder.kind} as #{holder.prospect_id} {holder.name} "
            "(stored meanwhile by another program)"
        )
    prospect_id = holder.prospect_id if holder else None
    return replace(row, action=RowAction.EXISTING, message=message, prospect_id=prospect_id)


def _table(model: type[Base]) -> Table:
    # Core inserts on the table: the ORM's bulk path adds per-row bookkeeping
    # (about half the time of a 100,000-row import) for nothing we use here.
    # The attribute names of these models are their column names.
    table = model.__table__
    assert isinstance(table, Table)
    return table


_IDENTITY = (
    "first_name",
    "last_name",
    "title",
    "company",
    "website",
    "linkedin",
    "email",
    "phone_e164",
    "mobile_e164",
    "office_e164",
    "timezone",
    "notes",
)


def _insert_returning_ids(session: Session, values: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert prospects in multi-row statements; the id of each, in the order given.

    Neither SQLite nor PostgreSQL promises that RETURNING lists rows in VALUES
    order, and SQLAlchemy's sort_by_parameter_order falls back to one statement
    per row on SQLite (no sentinel column). So each returned id is matched back
    to its row by content. Rows identical in every returned column may swap
    ids, which changes nothing: they are the same prospect data, and their tags
    and research follow the id they are given.
    """
    table = _table(Prospect)
    statement = insert(table).returning(table.c.id, *(table.c[name] for name in _IDENTITY))
    waiting: dict[tuple[Any, ...], list[int]] = {}
    for index in range(len(values) - 1, -1, -1):
        # Filled backwards so pop() hands out each content's rows in file order.
        row = values[index]
        waiting.setdefault(tuple(row[name] for name in _IDENTITY), []).append(index)
    ids = [0] * len(values)
    # Sorted by id, so rows identical in content keep file order too.
    for prospect_id, *identity in sorted(session.execute(statement, values), key=lambda r: r[0]):
        ids[waiting[tuple(identity)].pop()] = prospect_id
    return ids


def _research_values(prospect_id: int, research: ResearchFields, now: datetime) -> dict[str, Any]:
    return {
        "prospect_id": prospect_id,
        "company_summary": research.company_summary,
        "person_profile": research.person_profile,
        "angle": research.angle,
        "source_links": "\n".join(research.source_links),
        # Research without a date was done before the import: now is the
        # latest it can be, as when the rep types it in (update_research).
        "researched_at": research.researched_at or now,
    }


def _apply_updates(session: Session, now: datetime, rows: Sequence[PlannedRow]) -> list[int]:
    """Change the stored prospects the plan updates; their ids."""
    by_id = {row.prospect_id: row for row in rows if row.prospect_id is not None}
    ids = sorted(by_id)
    researched: list[int] = []
    for start in range(0, len(ids), 500):
        statement = (
            select(Prospect)
            .options(selectinload(Prospect.tags), selectinload(Prospect.research))
            .where(Prospect.id.in_(ids[start : start + 500]))
        )
        for prospect in session.scalars(statement):
            planned = by_id[prospect.id]
            assert planned.fields is not None
            merged = _merge(fields_of(prospect_record(prospect)), planned)
            apply_fields(prospect, merged)
            try:
                claim_contacts(session, prospect.id, merged.email, merged.personal_numbers)
            except InvalidInputError as error:
                raise InvalidInputError(f"row {planned.row}: {error}") from error
            if planned.status is not None:
                prospect.status = planned.status
            if planned.research is not None and not planned.research.is_empty:
                _merge_research(session, prospect, planned.research, planned.given, now)
                researched.append(prospect.id)
            prospect.updated_at = now
    session.flush()
    # A card open on one of them saves on the version before: refused, not written over.
    for start in range(0, len(ids), 500):
        count_edits(session, Prospect.id, ids[start : start + 500], now)
    for start in range(0, len(researched), 500):
        count_edits(session, ResearchNote.prospect_id, researched[start : start + 500], now)
    return ids


_MERGED_FIELDS = frozenset({"tags", "notes", "timezone"})


def _merge(current: ProspectFields, planned: PlannedRow) -> ProspectFields:
    """The stored fields with this row's values laid over them.

    Only cells with a value change anything: a CRM export rarely has every
    column, and an empty cell must not wipe what the rep already has.
    """
    assert planned.fields is not None
    new = planned.fields
    changes: dict[str, Any] = {
        name: getattr(new, name)
        for name in EDITABLE_FIELDS
        if name in planned.given and name not in _MERGED_FIELDS
    }
    for _kind, number, extension in PHONE_FIELDS:
        if number in planned.given:
            # A new number brings its own extension, or none.
            changes[extension] = getattr(new, extension)
    if "timezone" in planned.given:
        changes["timezone"] = new.timezone
    elif current.timezone is None:
        changes["timezone"] = new.timezone  # derived from the phone number, if any
    # Tags are added, never removed: a file tagged "dental" should not strip
    # the tags the rep put on by hand.
    changes["tags"] = tuple(sorted(set(current.tags) | set(new.tags)))
    changes["notes"] = _merge_notes(current.notes, new.notes)
    # The file's numbers were read once already: their written forms come along.
    changes["parsed_forms"] = new.parsed_forms
    return replace(current, **changes)


def _merge_notes(current: str, new: str) -> str:
    # The rep's own notes are worth more than a CRM's: keep both unless one
    # already contains the other.
    if not new or new in current:
        return current
    if not current or current in new:
        return new
    return f"{current}\n\n{new}"


def _merge_research(
    session: Session,
    prospect: Prospect,
    research: ResearchFields,
    given: frozenset[str],
    now: datetime,
) -> None:
    row = research_row(session, prospect)
    before = (row.company_summary, row.person_profile, row.angle, row.source_links)
    if "company_summary" in given:
        row.company_summary = research.company_summary
    if "person_profile" in given:
        row.person_profile = research.person_profile
    if "angle" in given:
        row.angle = research.angle
    if "sources" in given:
        row.source_links = "\n".join(research.source_links)
    if research.researched_at is not None:
        row.researched_at = research.researched_at
    elif (row.company_summary, row.person_profile, row.angle, row.source_links) != before:
        row.researched_at = now
