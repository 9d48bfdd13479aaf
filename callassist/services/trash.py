"""The trash: a deleted prospect waits there, with all their history, for 30 days.

Deleting writes the prospect's rows into one trash entry (as JSON) and deletes
them in the same transaction, so the way back survives the window closing or
crashing. Undeleting inserts the rows again. The prospect and their attempts
keep their ids: those tables never hand an id out twice, and the rep knows the
prospect by theirs. Rows of tables that do reuse ids (time checks, pains,
follow-ups, enrollments) come back with new ids, so a pain or a booking added
to anyone in the meantime cannot collide with them; nothing refers to those ids,
and the attempts they refer to kept theirs.
"""

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, select
from sqlalchemy.orm import Session

from callassist.clock import Clock
from callassist.db.base import Base, UTCDateTime
from callassist.db.models import (
    Attempt,
    Enrollment,
    FollowUp,
    Pain,
    Prospect,
    ProspectTag,
    ResearchNote,
    TimeCheck,
    TrashEntry,
)
from callassist.db.search import reindex_prospects
from callassist.errors import InvalidInputError, NotFoundError
from callassist.phones import phone_forms
from callassist.records import ProspectRecord, TrashedProspect
from callassist.services.contacts import claim_contacts
from callassist.services.convert import prospect_record
from callassist.services.profile import acting_rep_id
from callassist.services.prospect_fields import STORED_FORMS
from callassist.services.prospects import delete_prospect, find_existing, get_prospect

TRASH_DAYS = 30
"""How long a deleted prospect can still be brought back."""

TrashedRows = dict[str, list[dict[str, Any]]]
"""{table name: its rows as column -> value}, as stored in ``TrashEntry.rows_json``."""


def _owned_rows(prospect_id: int) -> tuple[tuple[Table, ColumnElement[bool]], ...]:
    """Every table holding rows of this prospect, with the condition that picks them.

    In an order that satisfies the foreign keys, so undeleting inserts them in it.
    """
    attempt_ids = select(Attempt.id).where(Attempt.prospect_id == prospect_id)
    owned: tuple[tuple[type[Base], ColumnElement[bool]], ...] = (
        (Prospect, Prospect.id == prospect_id),
        (ProspectTag, ProspectTag.prospect_id == prospect_id),
        (ResearchNote, ResearchNote.prospect_id == prospect_id),
        (Attempt, Attempt.prospect_id == prospect_id),
        (TimeCheck, TimeCheck.attempt_id.in_(attempt_ids)),
        (Pain, Pain.prospect_id == prospect_id),
        (FollowUp, FollowUp.prospect_id == prospect_id),
        (Enrollment, Enrollment.prospect_id == prospect_id),
    )
    tables = Base.metadata.tables
    return tuple((tables[model.__tablename__], condition) for model, condition in owned)


def trash_prospect(session: Session, clock: Clock, prospect_id: int) -> TrashedProspect:
    """Move a prospect and everything recorded about them into the trash."""
    record = get_prospect(session, prospect_id)
    rows: TrashedRows = {
        table.name: [dict(row) for row in session.execute(select(table).where(chosen)).mappings()]
        for table, chosen in _owned_rows(prospect_id)
    }
    now = clock()
    entry = TrashEntry(
        prospect_id=prospect_id,
        name=record.full_name,
        company=record.company,
        deleted_at=now,
        rows_json=json.dumps(rows, default=_json_value, ensure_ascii=False),
    )
    session.add(entry)
    delete_prospect(session, prospect_id)
    purge_expired(session, now)
    return _trashed(entry, rows)


def restore_prospect(session: Session, clock: Clock, prospect_id: int) -> ProspectRecord:
    """Bring a prospect back from the trash with all their history; refuse a clash."""
    entry = _kept_entry(session, clock(), prospect_id)
    rows: TrashedRows = json.loads(entry.rows_json)
    (prospect,) = rows[Prospect.__tablename__]
    # Entries trashed before prospects had a mobile number have no such column.
    numbers = [
        number for number in (prospect.get("phone_e164"), prospect.get("mobile_e164")) if number
    ]
    clash = find_existing(session, prospect["email"], numbers)
    if clash is not None:
        same = "email" if prospect["email"] and clash.email == prospect["email"] else "phone number"
        raise InvalidInputError(
            f"{prospect_record(clash).full_name} (#{clash.id}), added since, has the same "
            f"{same} as {entry.name} (#{prospect_id}); {entry.name} stays in the trash"
        )
    for table, _chosen in _owned_rows(prospect_id):
        values = [_stored_values(session, table, row) for row in rows.get(table.name, [])]
        if table.name == Prospect.__tablename__:
            values = [_with_written_forms(prospect) for prospect in values]
        if values:
            session.execute(table.insert(), values)
    claim_contacts(session, prospect_id, prospect["email"], numbers)
    session.delete(entry)
    session.flush()
    reindex_prospects(session, [prospect_id])
    return get_prospect(session, prospect_id)


def list_trash(session: Session, clock: Clock) -> list[TrashedProspect]:
    """What is in the trash, most recently deleted first."""
    entries = session.scalars(
        select(TrashEntry)
        .where(TrashEntry.deleted_at > _purge_cutoff(clock()))
        .order_by(TrashEntry.deleted_at.desc(), TrashEntry.prospect_id.desc())
    )
    return [_trashed(entry, json.loads(entry.rows_json)) for entry in entries]


def purge_expired(session: Session, now: datetime) -> None:
    """Let go for good of what was deleted :data:`TRASH_DAYS` days ago or more."""
    expired = TrashEntry.deleted_at <= _purge_cutoff(now)
    # Looked for first so that opening a database with nothing to purge never writes to it.
    if session.scalar(select(func.count()).select_from(TrashEntry).where(expired)):
        session.execute(delete(TrashEntry).where(expired))


def _purge_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=TRASH_DAYS)


def _kept_entry(session: Session, now: datetime, prospect_id: int) -> TrashEntry:
    """The prospect's trash entry; an expired one that was not purged yet counts as gone."""
    entry = session.get(TrashEntry, prospect_id)
    if entry is not None and entry.deleted_at > _purge_cutoff(now):
        return entry
    live = session.get(Prospect, prospect_id)
    if live is not None:
        raise NotFoundError(
            f"{prospect_record(live).full_name} (#{prospect_id}) is not in the trash: "
            "they are in your prospects"
        )
    raise NotFoundError(
        f"no prospect #{prospect_id} in the trash (deleted prospects are kept {TRASH_DAYS} days)"
    )


def _trashed(entry: TrashEntry, rows: TrashedRows) -> TrashedProspect:
    return TrashedProspect(
        prospect_id=entry.prospect_id,
        name=entry.name,
        company=entry.company,
        deleted_at=entry.deleted_at,
        kept_until=entry.deleted_at + timedelta(days=TRASH_DAYS),
        attempts=len(rows.get(Attempt.__tablename__, [])),
        pains=len(rows.get(Pain.__tablename__, [])),
    )


def _json_value(value: object) -> str:
    """JSON for the one non-JSON type the trashed tables hold: their (aware, UTC) datetimes."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot keep a {type(value).__name__} in the trash")


def _with_written_forms(prospect: dict[str, Any]) -> dict[str, Any]:
    """A prospect trashed before numbers kept their written forms gets them back with them."""
    for _field, column, national, international in STORED_FORMS:
        e164 = prospect.get(column)
        if e164 and not (prospect.get(national) and prospect.get(international)):
            forms = phone_forms(e164)
            prospect[national], prospect[international] = forms.national, forms.international
    return prospect


_REP_COLUMNS = frozenset({"rep_id", "owner_id"})


def _stored_values(session: Session, table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A trashed row as ``table`` takes it today.

    Datetimes are read back by their column's type. A column the row lacks (added
    by a later schema) is left to its default, one it has that the table lost is
    dropped, and in a table that reuses ids the old id is dropped for a new one. A row
    trashed before rows had a rep comes back as the rep's who brings it back.
    """
    # SQLite reuses the ids of a table without AUTOINCREMENT; PostgreSQL's sequences
    # never hand an id out twice, so there every row comes back with its own.
    keeps_ids = bool(table.kwargs.get("sqlite_autoincrement")) or (
        session.get_bind().dialect.name != "sqlite"
    )
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name in _REP_COLUMNS and column.name not in row:
            values[column.name] = acting_rep_id(session)
        if column.name not in row or (column.name == "id" and not keeps_ids):
            continue
        value = row[column.name]
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        values[column.name] = value
    return values
