"""Validating each row of a file and deciding what importing it does.

Every row is checked like a prospect typed into the form (names, phones and
their time zones, email, status, research), then sorted: new, already known
(same email or phone as a stored prospect or an earlier row), an update of a
known prospect, or invalid. Nothing here writes.
"""

import itertools
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from callassist.db.models import Prospect
from callassist.errors import InvalidInputError
from callassist.importer.csvformat import OUR_EXPORT_HEADERS, Progress
from callassist.importer.headers import HeaderMapping, map_headers
from callassist.importer.reading import CsvRow, CsvTable
from callassist.services.column_checks import refuse_nul
from callassist.services.prospects import EDITABLE_FIELDS, ProspectFields, validate_prospect
from callassist.vocabulary import ProspectStatus


@dataclass(frozen=True, slots=True)
class ResearchFields:
    """Validated research columns of one row."""

    company_summary: str = ""
    person_profile: str = ""
    angle: str = ""
    source_links: tuple[str, ...] = ()
    researched_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.company_summary
            or self.person_profile
            or self.angle
            or self.source_links
            or self.researched_at
        )


class RowAction(StrEnum):
    """What an import does with one row."""

    NEW = "new"
    EXISTING = "existing"
    """Already known (by email or phone): skipped."""
    UPDATE = "update"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One row of a file and what importing it will do."""

    row: int
    action: RowAction
    message: str = ""
    """Why, for existing and invalid rows ("same email as #12 Jane Doe")."""
    prospect_id: int | None = None
    """The stored prospect it matches, for existing and update rows."""
    fields: ProspectFields | None = None
    research: ResearchFields | None = None
    given: frozenset[str] = frozenset()
    """The fields this row has a value for: an update changes only those."""
    status: ProspectStatus | None = None
    """The status the file gives (our own export has one), else None."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Every non-empty row of a file, validated and sorted into actions as it is read."""

    rows: Iterator[PlannedRow]
    """The rows, planned one by one as the import takes them (once: the file is read anew)."""
    ignored_columns: tuple[str, ...]
    encoding: str
    """The file's encoding, as :attr:`CsvTable.encoding` names it."""
    columns: tuple[tuple[str, str | None], ...]
    """Each header and the field it feeds (see :meth:`HeaderMapping.describe`)."""
    remembered_choices: bool = False
    """True when the columns follow the rep's choices saved for this header row."""


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where an email or phone number was first seen: a stored prospect or an earlier row."""

    name: str
    prospect_id: int | None = None
    row: int | None = None

    def describe(self) -> str:
        if self.row is not None:
            return f"row {self.row} ({self.name})"
        return f"#{self.prospect_id} {self.name}"


def plan_import(
    session: Session,
    table: CsvTable,
    region: str,
    *,
    update_existing: bool,
    chosen: Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate every row and decide what importing it does; write nothing.

    The rows are read and planned as :attr:`ImportPlan.rows` is iterated, the
    stored prospects read when the first is. ``chosen`` is the rep's choice of
    field for some columns (see :func:`map_headers`). ``progress`` hears of
    each row: validating them is most of an import's time.
    """
    mapping = map_headers(table.headers, chosen)
    return ImportPlan(
        rows=_planned_rows(session, table, mapping, region, update_existing, progress),
        ignored_columns=mapping.ignored,
        encoding=table.encoding,
        columns=mapping.describe(table.headers),
    )


def _planned_rows(
    session: Session,
    table: CsvTable,
    mapping: HeaderMapping,
    region: str,
    update_existing: bool,
    progress: Progress | None,
) -> Iterator[PlannedRow]:
    # A stored prospect updated by one row is not updated again by a later
    # one: the later row is reported as a duplicate of the first.
    claimed: dict[int, _Origin] = {}
    # The rows of a file mostly fill the same columns: one set for each mix
    # of filled columns, not one a row (70 MB of a 100,000-row import).
    given_sets: dict[frozenset[str], frozenset[str]] = {}
    total = len(table.rows)
    done = 0
    with table.rows.reading() as rows, closing(_SeenContacts(session)) as seen:
        while batch := list(itertools.islice(rows, _BATCH_ROWS)):
            checked: list[PlannedRow | _CheckedRow] = []
            for row in batch:
                if progress is not None:
                    progress(done, total)
                done += 1
                if not any(value.strip() for value in row.values):
                    continue
                try:
                    fields, research, given, status = _validate_row(row, table, mapping, region)
                except InvalidInputError as error:
                    checked.append(PlannedRow(row.number, RowAction.INVALID, str(error)))
                    continue
                given = given_sets.setdefault(given, given)
                checked.append(_CheckedRow(row.number, fields, research, given, status))
            valid = [item for item in checked if isinstance(item, _CheckedRow)]
            emails = seen.known(_EMAILS, {item.fields.email or "" for item in valid})
            phones = seen.known(
                _PHONES, {number for item in valid for number in item.fields.personal_numbers}
            )
            new_emails: dict[str, _Origin] = {}
            new_phones: dict[str, _Origin] = {}
            for item in checked:
                if isinstance(item, PlannedRow):
                    yield item
                    continue
                fields = item.fields
                email_match = _claimed(emails.get(fields.email or ""), claimed)
                phone_match = next(
                    (
                        _claimed(phones[number], claimed)
                        for number in fields.personal_numbers
                        if number in phones
                    ),
                    None,
                )

                name = f"{fields.first_name} {fields.last_name}".strip()
                prospect_id: int | None = None
                message = ""
                if email_match is None and phone_match is None:
                    action = RowAction.NEW
                    origin = _Origin(name=name, row=item.row)
                else:
                    match = email_match or phone_match
                    assert match is not None
                    message = _match_message(email_match, phone_match)
                    prospect_id = match.prospect_id
                    single = (
                        email_match is None or phone_match is None or email_match == phone_match
                    )
                    stored = match.row is None
                    if update_existing and single and stored and match.prospect_id is not None:
                        action = RowAction.UPDATE
                        origin = _Origin(name=name, prospect_id=match.prospect_id, row=item.row)
                        claimed[match.prospect_id] = origin
                    else:
                        action = RowAction.EXISTING
                yield PlannedRow(
                    item.row,
                    action,
                    message,
                    prospect_id,
                    fields,
                    item.research,
                    item.given,
                    item.status,
                )
                if action is not RowAction.EXISTING:
                    # Later rows with this email or phone are duplicates of this row.
                    if fields.email:
                        emails[fields.email] = new_emails[fields.email] = origin
                    for number in fields.personal_numbers:
                        phones[number] = new_phones[number] = origin
            seen.remember(_EMAILS, new_emails)
            seen.remember(_PHONES, new_phones)


_BATCH_ROWS = 2000
"""Rows validated at a time, their emails and phones then looked up together."""


@dataclass(frozen=True, slots=True)
class _CheckedRow:
    """A valid row, before it is matched against the contacts already seen."""

    row: int
    fields: ProspectFields
    research: ResearchFields
    given: frozenset[str]
    status: ProspectStatus | None


_EMAILS = "emails"
_PHONES = "phones"


class _SeenContacts:
    """The emails and personal phone numbers seen so far, and whose they are: stored
    prospects', then the planned rows'.

    They are kept in a private SQLite database that SQLite holds in a temporary
    file (a few megabytes of it in memory), not in dicts: the keys of a million
    rows would take hundreds of megabytes there. Each batch of rows looks its
    keys up at once.
    """

    def __init__(self, session: Session) -> None:
        # "" is a private on-disk database, deleted when closed. The generator
        # planning the rows may be closed from another thread than it ran on.
        self._db = sqlite3.connect("", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        for table in (_EMAILS, _PHONES):
            self._db.execute(
                f"CREATE TABLE {table} (key TEXT PRIMARY KEY, name TEXT NOT NULL, "
                "prospect_id INTEGER, row INTEGER) WITHOUT ROWID"
            )
        # One query for every stored contact: a query per row would take minutes
        # on a 100,000-row file. Office numbers are shared, so they identify nobody.
        stored = session.execute(
            select(
                Prospect.id,
                Prospect.first_name,
                Prospect.last_name,
                Prospect.email,
                Prospect.phone_e164,
                Prospect.mobile_e164,
            ).order_by(Prospect.id)
        )
        for part in stored.partitions(_BATCH_ROWS):
            emails: list[tuple[str, str, int]] = []
            phones: list[tuple[str, str, int]] = []
            for stored_id, first_name, last_name, email, *numbers in part:
                name = f"{first_name} {last_name}".strip()
                if email:
                    emails.append((email.lower(), name, stored_id))
                phones.extend((number, name, stored_id) for number in numbers if number)
            # The first prospect with a contact is the one a row matches (lowest id).
            for table, values in ((_EMAILS, emails), (_PHONES, phones)):
                self._db.executemany(
                    f"INSERT OR IGNORE INTO {table} (key, name, prospect_id) VALUES (?, ?, ?)",
                    values,
                )

    def known(self, table: str, keys: Iterable[str]) -> dict[str, _Origin]:
        """Where each of these keys was first seen (the keys never seen left out)."""
        wanted = list(keys)
        found: dict[str, _Origin] = {}
        # Chunks keep each statement under SQLite's bound-parameter limit.
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            statement = f"SELECT key, name, prospect_id, row FROM {table} WHERE key IN ({marks})"
            for key, name, prospect_id, row in self._db.execute(statement, chunk):
                found[key] = _Origin(name=name, prospect_id=prospect_id, row=row)
        return found

    def remember(self, table: str, origins: Mapping[str, _Origin]) -> None:
        """Later rows with these keys are duplicates of these rows."""
        self._db.executemany(
            f"INSERT OR REPLACE INTO {table} (key, name, prospect_id, row) VALUES (?, ?, ?, ?)",
            [(key, origin.name, origin.prospect_id, origin.row) for key, origin in origins.items()],
        )

    def close(self) -> None:
        self._db.close()


def _claimed(match: _Origin | None, claimed: Mapping[int, _Origin]) -> _Origin | None:
    """The row that already updates a stored prospect, in place of the prospect."""
    if match is not None and match.row is None and match.prospect_id is not None:
        return claimed.get(match.prospect_id, match)
    return match


def _match_message(email_match: _Origin | None, phone_match: _Origin | None) -> str:
    if email_match is not None and phone_match is not None:
        if email_match == phone_match:
            return f"same email and phone as {email_match.describe()}"
        return f"same email as {email_match.describe()} and same phone as {phone_match.describe()}"
    if email_match is not None:
        return f"same email as {email_match.describe()}"
    assert phone_match is not None
    return f"same phone as {phone_match.describe()}"


def _validate_row(
    row: CsvRow, table: CsvTable, mapping: HeaderMapping, region: str
) -> tuple[ProspectFields, ResearchFields, frozenset[str], ProspectStatus | None]:
    if len(row.values) > len(table.headers):
        raise InvalidInputError(
            f"{len(row.values)} cells but the header has {len(table.headers)} columns "
            "(a missing quote, or a separator inside an unquoted value?)"
        )
    raw = mapping.cells(row.values)
    # The prospect's own fields go through the same validation as typing them
    # in, so an import can never store what the form would refuse.
    fields = validate_prospect({name: raw[name] for name in EDITABLE_FIELDS if name in raw}, region)
    # A prospect with neither is nothing a rep can act on, and with no email or
    # phone to recognise it by, importing the file again would add it again. Our
    # own export is the exception: a referral added by hand with only a name must
    # come back from it like everyone else.
    no_number = not (fields.phone or fields.mobile or fields.office)
    if no_number and fields.email is None and table.headers not in OUR_EXPORT_HEADERS:
        raise InvalidInputError("nothing to call or email: the row has no phone and no email")
    research = _validate_research(raw)
    given = frozenset(name for name, value in raw.items() if value.strip())
    return fields, research, given, _validate_status(raw.get("status", ""))


_STATUS_WORDS = {status.value.replace("_", " "): status for status in ProspectStatus}


def _validate_status(text: str) -> ProspectStatus | None:
    """A status as export writes it ("not_interested"), or as the window shows it."""
    words = " ".join(text.replace("_", " ").split()).lower()
    if not words:
        return None
    if words not in _STATUS_WORDS:
        known = ", ".join(status.value for status in ProspectStatus)
        raise InvalidInputError(
            f"status: {text.strip()!r} is not one of {known} "
            "(leave the column out if it is your CRM's own status)"
        )
    return _STATUS_WORDS[words]


_SOURCE_SPLIT = re.compile(r"[\s;]+")


def _validate_research(raw: Mapping[str, str]) -> ResearchFields:
    for name in ("company_summary", "person_profile", "angle", "sources", "researched_at"):
        refuse_nul(name.replace("_", " "), raw.get(name, ""))
    researched_at = None
    text = raw.get("researched_at", "").strip()
    if text:
        try:
            researched_at = datetime.fromisoformat(text)
        except ValueError as error:
            raise InvalidInputError(
                f"researched at: {text!r} is not a date (use 2026-03-10 or 2026-03-10T09:30+01:00)"
            ) from error
        if researched_at.tzinfo is None:
            # A CRM writes naive times in UTC far more often than in local time.
            researched_at = researched_at.replace(tzinfo=UTC)
    return ResearchFields(
        company_summary=raw.get("company_summary", "").strip(),
        person_profile=raw.get("person_profile", "").strip(),
        angle=raw.get("angle", "").strip(),
        source_links=tuple(link for link in _SOURCE_SPLIT.split(raw.get("sources", "")) if link),
        researched_at=researched_at,
    )
