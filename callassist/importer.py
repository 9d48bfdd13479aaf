"""Prospects in and out of CSV files: a CRM's export in, a full export out.

An import runs in three steps, so the rep can look before anything changes:

1. :func:`read_csv` reads the file into a :class:`CsvTable` (UTF-8 or UTF-16
   with or without BOM, or Windows-1252; comma, semicolon or tab;
   quoted newlines; a Salesforce report's footer left out), numbering records the
   way a spreadsheet shows them, so "row 5" is the row the rep sees.
2. :func:`plan_import` validates every row and decides what each one is:
   new, already known (same email or phone as a stored prospect or an earlier
   row), an update of a known prospect, or invalid. It only reads.
3. :func:`apply_import` writes the plan in bulk, or nothing at all when some
   row is invalid and the rep did not ask to skip invalid rows: a half
   imported file is worse than none, since fixing it means finding which half.

:func:`preview_import` gives the report a dry run would, without writing.
:func:`export_csv` writes every prospect and their research in the columns
the importer reads, so an export re-imports exactly.

The functions take a session and never commit: the facade runs each call in
one transaction (commit on success, rollback on error).
"""

import codecs
import csv
import hashlib
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session, selectinload

from callassist import paths
from callassist.clock import Clock
from callassist.db.base import Base
from callassist.db.models import ImportMapping, Prospect, ProspectTag, ResearchNote
from callassist.db.search import reindex_prospects
from callassist.errors import InvalidInputError, KnownError
from callassist.phones import phone_international, with_extension
from callassist.services.convert import prospect_record
from callassist.services.prospects import (
    EDITABLE_FIELDS,
    PHONE_FIELDS,
    ProspectFields,
    apply_fields,
    fields_of,
    validate_prospect,
)
from callassist.vocabulary import ProspectStatus
from callassist.wording import counted

# -- reading -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One record of a CSV file."""

    number: int
    """The row number a spreadsheet shows: the header is row 1, the first record row 2."""
    values: tuple[str, ...]
    """The cells, padded with "" to the header's width (longer when the row has extra cells)."""


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file: its header and its non-blank records."""

    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    encoding: str
    """The file's encoding as a rep would name it: "UTF-8 with BOM", "Windows-1252"..."""


_DELIMITERS = (",", ";", "\t")

MAX_FILE_BYTES = 200 * 1024 * 1024
"""The largest CSV file read (200 MB, about a million prospects with notes)."""
MAX_CELL_CHARS = 1_000_000
"""The longest cell read, in characters; export refuses to write a longer one."""
MAX_COLUMNS = 500
"""The most cells a row may have (CRM exports have a few dozen columns)."""

# OWASP's advice against CSV injection: a cell starting with one of these is
# taken for a formula by spreadsheet apps, so export marks it as text with a
# leading quote, which import removes again.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_MARK = "'"


Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) as an import or export goes; raising in it stops
the work, and an import then writes nothing."""


def _is_marked(cell: str) -> bool:
    """Whether a cell carries our text mark: a quote before a formula character or a quote.

    A quote followed by anything else is the value's own ("'Tis the season"),
    which is why export also marks a value that starts with the mark itself.
    """
    return cell.startswith(_TEXT_MARK) and cell[1:2] in (*_FORMULA_STARTS, _TEXT_MARK)


def spreadsheet_safe(value: str) -> str:
    """The cell export writes for ``value``: never read as a formula, and read back exactly."""
    if value.startswith(_FORMULA_STARTS) or _is_marked(value):
        return _TEXT_MARK + value
    return value


def cell_value(cell: str) -> str:
    """The value of a cell as import reads it: :func:`spreadsheet_safe` undone."""
    return cell[1:] if _is_marked(cell) else cell


def read_csv(path: Path) -> CsvTable:
    """Read a CSV file; raise InvalidInputError naming the file when it cannot be read.

    The file must be a regular file of at most :data:`MAX_FILE_BYTES`, with
    cells of at most :data:`MAX_CELL_CHARS` characters and rows of at most
    :data:`MAX_COLUMNS` cells, and every quoted value closed where it should
    be: otherwise one error names the row, and nothing is read.
    """
    text, encoding = _decode(path, _read_bytes(path))
    if not text.strip():
        raise InvalidInputError(f"{path} is empty")

    # newline="" lets the csv module see the real line ends, so a newline
    # inside quotes stays part of its cell. strict=True makes a quote that
    # closes in the wrong place an error: without it, one missing closing
    # quote silently merges every row up to the next quote into one cell.
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    headers: tuple[str, ...] | None = None
    rows: list[CsvRow] = []
    number = 0
    first_line = 1
    # The limit is process-wide: set for this read only.
    previous_cell_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        # Numbering records (not lines) keeps a quoted newline from shifting
        # every later row; a blank line still counts, as a spreadsheet shows
        # it as an empty row.
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                raise InvalidInputError(
                    f"{path}, row {number}: {len(record):,} cells, more than the "
                    f"{MAX_COLUMNS} columns callassist reads"
                )
            starts_at, first_line = first_line, reader.line_num + 1
            blank = not any(cell.strip() for cell in record)
            if blank and (headers is None or not record):
                continue
            if headers is None:
                headers = tuple(cell.strip() for cell in record)
                continue
            # Our own export quotes every cell it must, so any note it wrote reads back.
            ours = headers in _OUR_EXPORT_HEADERS
            swallowed = 0 if ours else _rows_inside_a_cell(record, delimiter, len(headers))
            if swallowed:
                raise InvalidInputError(
                    f"{path}, row {number}: a quoted value runs from line {starts_at} "
                    f"to line {reader.line_num} and holds {counted(swallowed, 'line')} that "
                    "look like rows of their own: a closing quote is probably missing; "
                    "nothing was imported"
                )
            values = [cell_value(cell) for cell in record]
            rows.append(CsvRow(number, _fit(values, len(headers))))
    except csv.Error as error:
        raise InvalidInputError(
            _malformed(path, number + 1, first_line, reader.line_num, str(error))
        ) from error
    finally:
        csv.field_size_limit(previous_cell_limit)
    if headers is None:
        raise InvalidInputError(f"{path} has no header row")
    return CsvTable(headers=headers, rows=tuple(_without_report_footer(rows)), encoding=encoding)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding.

    A BOM says UTF-8 or UTF-16 outright (Excel's "Unicode text" and some CRMs
    write UTF-16). UTF-16 without one shows in its zero bytes: header text is
    mostly ASCII, so every other byte is zero. Otherwise, text that reads as
    UTF-8 is UTF-8: other encodings almost never form valid UTF-8 sequences by
    chance. Anything else is taken for Windows-1252, what Excel writes as
    plain "CSV" on a European or American Windows.
    """
    candidates: tuple[tuple[str, str], ...]
    utf16 = _utf16_without_bom(data)
    if data.startswith(codecs.BOM_UTF8):
        candidates = (("utf-8-sig", "UTF-8 with BOM"),)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = (("utf-16", "UTF-16"),)
    elif utf16 is not None:
        candidates = (utf16,)
    else:
        candidates = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as error:
            failure = error
    names = " or ".join(name for _, name in candidates)
    raise InvalidInputError(
        f"{path} is not {names} text (byte 0x{data[failure.start]:02x} at position "
        f'{failure.start}); save it from your spreadsheet app as "CSV UTF-8" and import it again'
    ) from failure


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The UTF-16 byte order of ``data`` when its start is UTF-16 text without a BOM."""
    start = data[:4096]
    pairs = len(start) // 2
    if pairs < 4:
        return None
    # Nearly every character of a header row is ASCII: its high byte is zero.
    zeros_even = sum(1 for index in range(0, pairs * 2, 2) if start[index] == 0)
    zeros_odd = sum(1 for index in range(1, pairs * 2, 2) if start[index] == 0)
    if zeros_odd >= pairs * 0.9 and zeros_even <= pairs * 0.05:
        return "utf-16-le", "UTF-16 (little-endian, no BOM)"
    if zeros_even >= pairs * 0.9 and zeros_odd <= pairs * 0.05:
        return "utf-16-be", "UTF-16 (big-endian, no BOM)"
    return None


# A Salesforce report exported as CSV ends with lines about the report, each
# in the first cell: a blank line, the report's name, then the copyright,
# "Confidential Information - Do Not Distribute", "Generated By: ..." and the
# company; a summary report also has a "Grand Totals (12 records)" row.
_SALESFORCE_COPYRIGHT = re.compile(r"copyright \(c\) \d{4}-\d{4} salesforce\.com", re.IGNORECASE)
_GRAND_TOTALS = re.compile(r"grand totals? \([\d,.]+ records?\)", re.IGNORECASE)


def _without_report_footer(rows: list[CsvRow]) -> list[CsvRow]:
    """The rows before a Salesforce report's footer (all of them when there is none)."""

    def single_cell(row: CsvRow) -> str | None:
        cells = [cell.strip() for cell in row.values if cell.strip()]
        return cells[0] if len(cells) == 1 else None

    copyright_at = next(
        (
            index
            for index, row in enumerate(rows)
            if _SALESFORCE_COPYRIGHT.match(single_cell(row) or "")
        ),
        None,
    )
    if copyright_at is None or not all(single_cell(row) for row in rows[copyright_at:]):
        return rows
    end = copyright_at
    # The report's name sits after a blank line; a row with text in only one
    # cell and no blank line before it is a prospect and stays.
    if end > 0 and single_cell(rows[end - 1]):
        before = rows[end - 2] if end > 1 else None
        if before is None or not any(before.values) or rows[end - 1].number > before.number + 1:
            end -= 1
    while end > 0 and (
        not any(cell.strip() for cell in rows[end - 1].values)
        or _GRAND_TOTALS.match(rows[end - 1].values[0].strip())
    ):
        end -= 1
    return rows[:end]


def _rows_inside_a_cell(record: Sequence[str], delimiter: str, columns: int) -> int:
    """How many lines inside this record's cells have a whole row's worth of separators.

    A note may hold a line break and a comma or two; a line with as many
    separators as the header is a row swallowed by a quote that was never
    closed (until a later quote happened to close it).
    """
    if columns < 3:
        return 0
    return sum(
        1
        for cell in record
        if "\n" in cell
        for line in cell.splitlines()[1:]
        if line.count(delimiter) >= columns - 1
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file or is over the size cap."""
    try:
        # Checked before opening: opening a FIFO waits for a writer, and a
        # device such as /dev/zero never ends.
        if not stat.S_ISREG(path.stat().st_mode):
            raise InvalidInputError(
                f"{path} is not a regular file (a folder, device or pipe); import reads CSV files"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most callassist "
            "imports at once; split it into smaller files"
        )
    return data


def _malformed(path: Path, row: int, first_line: int, last_line: int, error: str) -> str:
    """The message for a record the csv module could not read (strict quotes, cell size)."""
    if error.startswith("field larger than field limit"):
        return (
            f"{path}, row {row}: a cell is longer than {MAX_CELL_CHARS:,} characters, the most "
            "callassist reads (or a closing quote is missing and the cell runs on)"
        )
    if error == "unexpected end of data":
        where = f"from line {first_line} to the end of the file"
    else:
        where = f"from line {first_line} to line {last_line}"
    return (
        f"{path}, row {row}: a quoted value is not closed where it should be (it runs {where}); "
        "check the quotes in that row, nothing was imported"
    )


def _fit(record: list[str], width: int) -> tuple[str, ...]:
    if len(record) < width:
        return (*record, *([""] * (width - len(record))))
    # Empty cells past the header are a trailing separator, common in
    # spreadsheet exports; only a real value out there makes the row invalid.
    while len(record) > width and not record[-1].strip():
        record.pop()
    return tuple(record)


def _delimiter(text: str) -> str:
    """The separator used most often on the header line, outside quotes.

    csv.Sniffer guesses from a sample of the whole file and is often fooled by
    commas inside notes; the header line has no such free text.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    seen_text = False
    for character in text:
        if character == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif character in "\r\n":
            if seen_text:
                break
        elif character in counts:
            counts[character] += 1
            seen_text = True
        elif not character.isspace():
            seen_text = True
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


# -- header mapping ------------------------------------------------------------

# The headers CRMs write, as their exports spell them (HubSpot, Salesforce,
# Zoho, Apollo, Pipedrive's "Person - ..." and Close's snake_case), and the
# usual German, French and Spanish ones a European spreadsheet has.
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": (
        "First Name",
        "Given Name",
        "Person - First name",
        "primary_contact_first_name",
        "Vorname",
        "Prénom",
        "Prenom",
        "Nombre",
    ),
    "last_name": (
        "Last Name",
        "Surname",
        "Family Name",
        "Person - Last name",
        "primary_contact_last_name",
        "Nachname",
        "Familienname",
        "Nom",
        "Nom de famille",
        "Apellido",
        "Apellidos",
    ),
    "company": (
        "Company",
        "Company Name",
        "Account Name",
        "Organization",
        "Organisation",
        "Organization - Name",
        "Organisation - Name",
        "Person - Organization",
        "display_name",
        "lead_name",
        "Firma",
        "Unternehmen",
        "Entreprise",
        "Société",
        "Societe",
        "Empresa",
    ),
    "title": (
        "Job Title",
        "Title",
        "Position",
        "Person - Job title",
        "primary_contact_title",
        "Funktion",
        "Berufsbezeichnung",
        "Poste",
        "Fonction",
        "Cargo",
        "Puesto",
    ),
    "phone": (
        "Phone",
        "Phone Number",
        "Mobile",
        "Mobile Phone",
        "Mobile Phone Number",
        "Mobile Number",
        "Work Phone",
        "Direct Phone",
        "Direct Dial",
        "Work Direct Phone",
        "Corporate Phone",
        "Company Phone",
        "Office Phone",
        "Cell Phone",
        "Telephone",
        "Person - Phone",
        "Person - Phone - Work",
        "Person - Phone - Mobile",
        "Person - Phone - Other",
        "Other Phone",
        "primary_contact_primary_phone",
        "primary_contact_phone",
        "Telefon",
        "Telefonnummer",
        "Durchwahl",
        "Mobil",
        "Mobiltelefon",
        "Handy",
        "Téléphone",
        "Portable",
        "Teléfono",
        "Telefono",
        "Móvil",
        "Movil",
        "Celular",
    ),
    "email": (
        "Email",
        "Email Address",
        "Work Email",
        "Person - Email",
        "Person - Email - Work",
        "primary_contact_primary_email",
        "primary_contact_email",
        "E-Mail-Adresse",
        "Courriel",
        "Adresse e-mail",
        "Correo",
        "Correo electrónico",
    ),
    "website": (
        "Website",
        "Website URL",
        "Company Website",
        "Web Site",
        "URL",
        "Organization - Website",
        "Webseite",
        "Site web",
        "Sitio web",
    ),
    "phone_extension": ("Extension", "Phone Extension", "Ext", "Ext."),
    "dial": ("Dial",),
    "status": ("Status",),
    "linkedin": ("LinkedIn", "LinkedIn URL", "LinkedIn Profile", "Person Linkedin Url"),
    "timezone": ("Time Zone",),
    "notes": ("Notes", "Note", "Notizen", "Notas"),
    "tags": ("Tags", "Tag", "Niche"),
    "company_summary": ("Company Summary",),
    "person_profile": ("Person Profile",),
    "angle": ("Angle",),
    "sources": ("Sources", "Source Links"),
    "researched_at": ("Researched At",),
}
# Most specific first: when a file has several (Close has a lead's "name"
# next to "primary_contact_name"), the person's own column is the one split.
_FULL_NAME_HEADERS = (
    "Person - Name",
    "primary_contact_name",
    "Contact Name",
    "Full Name",
    "Name",
    "Nom complet",
    "Nombre completo",
)
# Several columns can feed one number; the first non-empty cell wins (a CRM
# often has Phone empty and Work Direct Phone set). For other fields the first
# column is read, unless the rep chose more.
_PHONE_FIELDS = frozenset(number for _kind, number, _extension in PHONE_FIELDS)
_RESEARCH_FIELDS = ("company_summary", "person_profile", "angle", "sources", "researched_at")
FULL_NAME = "name"
"""The field of a single name column, split into first and last name."""
IMPORT_FIELDS: tuple[str, ...] = (FULL_NAME, *EDITABLE_FIELDS, "status", *_RESEARCH_FIELDS)
"""Every field a column can feed: the names ``--map`` and the window's preview use."""


def _header_key(header: str) -> str:
    # "First_Name", "first-name", " FIRST NAME " and "FirstName" are one header.
    return re.sub(r"[\s_\-]+", "", header).lower()


_FIELD_OF_HEADER = {
    _header_key(alias): field for field, aliases in _HEADER_ALIASES.items() for alias in aliases
}
_FULL_NAME_RANK = {_header_key(header): rank for rank, header in enumerate(_FULL_NAME_HEADERS)}


_DIRECT_PHONE = re.compile(r"direct|durchwahl")
_MOBILE_PHONE = re.compile(r"mobil|cell|handy|portable|móvil|movil|celular")
_OFFICE_PHONE = re.compile(r"corporate|company|office|organi[sz]ation|büro|buro")
_OTHER_PHONE = re.compile(r"work|other")


def _phone_column(header: str) -> tuple[str, int]:
    """Which number a phone column holds, and its rank among columns for that number.

    A direct line ("Work Direct Phone") is the prospect's own; a mobile is
    theirs too; a company's or corporate number is the switchboard. A column
    just called the phone is taken as their own line, after one named direct
    and before a work or other number.
    """
    key = _header_key(header)
    if _DIRECT_PHONE.search(key):
        return "phone", 0
    if _MOBILE_PHONE.search(key):
        return "mobile", 0
    if _OFFICE_PHONE.search(key):
        return "office", 0
    if _OTHER_PHONE.search(key):
        return "phone", 2
    return "phone", 1


# What follows a comma after a whole name ("Maria Lopez, Jr.", "Maria Lopez,
# PhD"): never a first name.
_NAME_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "phd", "md", "mba", "cpa", "esq", "dds", "rn"}
)


def split_full_name(text: str) -> tuple[str, str]:
    """First and last name of a single name cell.

    "Maria Lopez" is first word, then the rest; "Lopez, Maria" (the order
    Salesforce and many spreadsheets sort by) is family name, comma, given
    name. A comma before a suffix ("Maria Lopez, Jr.") does not turn it around.
    """
    family, comma, given = text.partition(",")
    suffix = given.strip().rstrip(".").replace(".", "").lower()
    if comma and family.strip() and given.strip() and suffix not in _NAME_SUFFIXES:
        return given.strip(), family.strip()
    words = text.split(None, 1)
    return (words[0] if words else "", words[1].strip() if len(words) > 1 else "")


@dataclass(frozen=True, slots=True)
class HeaderMapping:
    """Which columns of a file feed which field."""

    columns: Mapping[str, tuple[int, ...]]
    """Field name (an :data:`IMPORT_FIELDS` name but "name") -> column indexes."""
    full_name: int | None
    """A "Name" column, split by :func:`split_full_name`."""
    ignored: tuple[str, ...]
    """Headers of the columns nothing reads and the rep did not leave out, to report."""

    def cells(self, values: Sequence[str]) -> dict[str, str]:
        """The raw text of each mapped field in one row."""
        raw: dict[str, str] = {}
        for field, indexes in self.columns.items():
            raw[field] = next((values[index] for index in indexes if values[index].strip()), "")
        if self.full_name is not None:
            raw["first_name"], raw["last_name"] = split_full_name(values[self.full_name])
        return raw

    def describe(self, headers: Sequence[str]) -> tuple[tuple[str, str | None], ...]:
        """Each header and the field it feeds (:data:`FULL_NAME` for a Name column)."""
        feeds: dict[int, str] = {
            index: field for field, indexes in self.columns.items() for index in indexes
        }
        if self.full_name is not None:
            feeds[self.full_name] = FULL_NAME
        return tuple((header, feeds.get(index)) for index, header in enumerate(headers))


def map_headers(
    headers: Sequence[str], chosen: Mapping[str, str | None] | None = None
) -> HeaderMapping:
    """Map a CRM export's headers to prospect fields; raise when no column gives a name.

    ``chosen`` is the rep's own choice for some headers (as the file spells
    them): a field of :data:`IMPORT_FIELDS`, or None to leave the column out.
    Headers not in it are recognised by name.
    """
    choices = _check_column_choices(headers, chosen or {})
    columns: dict[str, list[tuple[int, int]]] = {}
    full_names: list[tuple[int, int]] = []
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = _header_key(header)
        if not key:
            continue
        if key in choices:
            field = choices[key]
            if field == FULL_NAME:
                full_names.append((-1, index))
            elif field is not None:
                columns.setdefault(field, []).append((-1, index))
            continue
        field = _FIELD_OF_HEADER.get(key)
        rank = 0
        if field == "phone":
            field, rank = _phone_column(header)
        if field is None and key in _FULL_NAME_RANK:
            full_names.append((_FULL_NAME_RANK[key], index))
        elif field is None or (field in columns and field not in _PHONE_FIELDS):
            # Unknown, or a second column for a field that takes the first one.
            ignored.append(header.strip())
        else:
            columns.setdefault(field, []).append((rank, index))

    full_names.sort()
    full_name: int | None = None
    if "first_name" not in columns and "last_name" not in columns and full_names:
        full_name = full_names.pop(0)[1]
    # Name columns found by their header and not used are reported; one the rep chose is not.
    ignored.extend(headers[index].strip() for rank, index in full_names if rank >= 0)
    if full_name is None and "first_name" not in columns and "last_name" not in columns:
        raise InvalidInputError(
            "no name column: expected First Name and/or Last Name, or Name / Full Name, "
            f"or choose which column holds the name (the columns are: "
            f"{', '.join(header.strip() for header in headers) or 'none'})"
        )
    return HeaderMapping(
        # The rep's choices first, then by rank; sorted() keeps file order within a rank.
        columns={
            field: tuple(index for _rank, index in sorted(ranked))
            for field, ranked in columns.items()
        },
        full_name=full_name,
        ignored=tuple(ignored),
    )


def _check_column_choices(
    headers: Sequence[str], chosen: Mapping[str, str | None]
) -> dict[str, str | None]:
    """The rep's column choices keyed like headers; InvalidInputError for a header the
    file lacks or a field that is not one of :data:`IMPORT_FIELDS`."""
    keys = {_header_key(header) for header in headers}
    choices: dict[str, str | None] = {}
    for header, field in chosen.items():
        key = _header_key(header)
        if key not in keys:
            raise InvalidInputError(
                f"no column {header.strip()!r} in the file (the columns are: "
                f"{', '.join(header.strip() for header in headers)})"
            )
        if field is not None and field not in IMPORT_FIELDS:
            raise InvalidInputError(
                f"{header.strip()!r}: {field!r} is not a field; use one of "
                f"{', '.join(IMPORT_FIELDS)}, or nothing to leave the column out"
            )
        choices[key] = field
    return choices


# -- planning ------------------------------------------------------------------


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
    """Every non-empty row of a file, validated and sorted into actions."""

    rows: tuple[PlannedRow, ...]
    ignored_columns: tuple[str, ...]
    encoding: str
    """The file's encoding, as :attr:`CsvTable.encoding` names it."""
    columns: tuple[tuple[str, str | None], ...]
    """Each header and the field it feeds (see :meth:`HeaderMapping.describe`)."""
    remembered_choices: bool = False
    """True when the columns follow the rep's choices saved for this header row."""

    def having(self, action: RowAction) -> tuple[PlannedRow, ...]:
        return tuple(row for row in self.rows if row.action is action)


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

    ``chosen`` is the rep's choice of field for some columns (see :func:`map_headers`).
    ``progress`` hears of each row: validating them is most of an import's time.
    """
    mapping = map_headers(table.headers, chosen)
    emails: dict[str, _Origin] = {}
    phones: dict[str, _Origin] = {}
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
    for stored_id, first_name, last_name, email, *numbers in stored:
        origin = _Origin(name=f"{first_name} {last_name}".strip(), prospect_id=stored_id)
        if email:
            emails.setdefault(email.lower(), origin)
        for number in numbers:
            if number:
                phones.setdefault(number, origin)
    # A stored prospect updated by one row is not updated again by a later
    # one: the later row is reported as a duplicate of the first.
    claimed: dict[int, _Origin] = {}

    planned: list[PlannedRow] = []
    for done, row in enumerate(table.rows):
        if progress is not None:
            progress(done, len(table.rows))
        if not any(value.strip() for value in row.values):
            continue
        try:
            fields, research, given, status = _validate_row(row, table, mapping, region)
        except InvalidInputError as error:
            planned.append(PlannedRow(row.number, RowAction.INVALID, str(error)))
            continue
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
            origin = _Origin(name=name, row=row.number)
        else:
            match = email_match or phone_match
            assert match is not None
            message = _match_message(email_match, phone_match)
            prospect_id = match.prospect_id
            single = email_match is None or phone_match is None or email_match == phone_match
            if update_existing and single and match.row is None and match.prospect_id is not None:
                action = RowAction.UPDATE
                origin = _Origin(name=name, prospect_id=match.prospect_id, row=row.number)
                claimed[match.prospect_id] = origin
            else:
                action = RowAction.EXISTING
        planned.append(
            PlannedRow(row.number, action, message, prospect_id, fields, research, given, status)
        )
        if action is not RowAction.EXISTING:
            # Later rows with this email or phone are duplicates of this row.
            if fields.email:
                emails[fields.email] = origin
            for number in fields.personal_numbers:
                phones[number] = origin
    return ImportPlan(
        rows=tuple(planned),
        ignored_columns=mapping.ignored,
        encoding=table.encoding,
        columns=mapping.describe(table.headers),
    )


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
    if no_number and fields.email is None and table.headers not in _OUR_EXPORT_HEADERS:
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


# -- applying --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowNote:
    """A row the import did not create, and why."""

    row: int
    prospect_id: int | None
    """The stored prospect it matches, when there is one."""
    message: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    created: int
    updated: int
    existing: tuple[RowNote, ...]
    """Rows skipped because the prospect is already known (updated rows are only counted)."""
    invalid: tuple[RowNote, ...]
    ignored_columns: tuple[str, ...]
    encoding: str
    """How the file's text was read ("UTF-8", "Windows-1252"...): a wrong guess shows in accents."""
    columns: tuple[tuple[str, str | None], ...]
    """Each header and the field it fed (see :meth:`HeaderMapping.describe`)."""
    remembered_choices: bool
    """True when the rep's column choices saved for this header row were used."""
    dry_run: bool
    imported: bool
    """True when something was written."""


class ImportRejected(InvalidInputError):  # noqa: N818 - the name callers already use
    """Some rows are invalid and skipping them was not asked for: nothing was written."""

    def __init__(self, report: ImportReport, *, if_skipped: ImportReport) -> None:
        count = len(report.invalid)
        first = report.invalid[0]
        more = f", and {count - 1} more" if count > 1 else ""
        super().__init__(
            f"nothing was imported: {count} invalid row(s) (row {first.row}: {first.message}"
            f"{more}); fix them, or import with invalid rows skipped"
        )
        self.report = report
        self.if_skipped = if_skipped
        """What the import would do with the invalid rows skipped (a dry run's report)."""


def preview_import(plan: ImportPlan, *, skip_invalid: bool) -> ImportReport:
    """The report :func:`apply_import` would give, without writing anything.

    Raises :class:`ImportRejected` exactly when the real import would.
    """
    _reject_if_invalid(plan, skip_invalid=skip_invalid, dry_run=True)
    return _report(
        plan,
        created=len(plan.having(RowAction.NEW)),
        updated=len(plan.having(RowAction.UPDATE)),
        dry_run=True,
    )


def apply_import(
    session: Session, clock: Clock, plan: ImportPlan, *, skip_invalid: bool
) -> ImportReport:
    """Write a plan: new prospects in bulk, planned updates, then the search index."""
    _reject_if_invalid(plan, skip_invalid=skip_invalid, dry_run=False)
    now = clock()
    created = _insert_new(session, now, plan.having(RowAction.NEW))
    updated = _apply_updates(session, now, plan.having(RowAction.UPDATE))
    reindex_prospects(session, [*created, *updated])
    return _report(plan, created=len(created), updated=len(updated), dry_run=False)


def import_csv(
    session: Session,
    clock: Clock,
    path: Path,
    region: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    update_existing: bool = False,
    chosen: Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, plan and apply a CSV file (only read and plan for a dry run).

    ``chosen`` columns (see :func:`map_headers`) are remembered for files
    with the same header row once they import; without any, the ones
    remembered are used. ``progress`` is told of every row, and once more
    when all is written but not yet committed.
    """
    table = read_csv(path)
    remembered = _saved_choices(session, table.headers) if chosen is None else None
    try:
        plan = plan_import(
            session,
            table,
            region,
            update_existing=update_existing,
            chosen=chosen if chosen is not None else remembered,
            progress=progress,
        )
    except InvalidInputError as error:
        raise InvalidInputError(f"{path}: {error}") from error
    plan = replace(plan, remembered_choices=remembered is not None)
    if dry_run:
        return preview_import(plan, skip_invalid=skip_invalid)
    report = apply_import(session, clock, plan, skip_invalid=skip_invalid)
    if chosen:
        _remember_choices(session, clock, table.headers, chosen)
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    return report


def _headers_key(headers: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(headers)).encode("utf-8")).hexdigest()


def _saved_choices(session: Session, headers: Sequence[str]) -> dict[str, str | None] | None:
    """The column choices the rep made for files with this header row, if any."""
    saved = session.get(ImportMapping, _headers_key(headers))
    if saved is None:
        return None
    choices = json.loads(saved.choices_json)
    return {header: field or None for header, field in choices.items()}


def _remember_choices(
    session: Session, clock: Clock, headers: Sequence[str], chosen: Mapping[str, str | None]
) -> None:
    """Keep the rep's column choices for the next file with this header row."""
    key = _headers_key(headers)
    saved = session.get(ImportMapping, key) or ImportMapping(headers_key=key)
    saved.headers_json = json.dumps(list(headers))
    saved.choices_json = json.dumps({header: field or "" for header, field in chosen.items()})
    saved.saved_at = clock()
    session.add(saved)


def _reject_if_invalid(plan: ImportPlan, *, skip_invalid: bool, dry_run: bool) -> None:
    if plan.having(RowAction.INVALID) and not skip_invalid:
        raise ImportRejected(
            _report(plan, created=0, updated=0, dry_run=dry_run),
            if_skipped=_report(
                plan,
                created=len(plan.having(RowAction.NEW)),
                updated=len(plan.having(RowAction.UPDATE)),
                dry_run=True,
            ),
        )


def _report(plan: ImportPlan, *, created: int, updated: int, dry_run: bool) -> ImportReport:
    return ImportReport(
        created=created,
        updated=updated,
        existing=tuple(
            RowNote(row.row, row.prospect_id, row.message)
            for row in plan.having(RowAction.EXISTING)
        ),
        invalid=tuple(
            RowNote(row.row, None, row.message) for row in plan.having(RowAction.INVALID)
        ),
        ignored_columns=plan.ignored_columns,
        encoding=plan.encoding,
        columns=plan.columns,
        remembered_choices=plan.remembered_choices,
        dry_run=dry_run,
        imported=not dry_run and bool(created or updated),
    )


_INSERT_CHUNK = 2000
"""New prospects inserted per round (a couple of multi-row statements each)."""


def _insert_new(session: Session, now: datetime, rows: Sequence[PlannedRow]) -> list[int]:
    """Insert new prospects, their tags and research in bulk; their ids, in row order."""
    ids: list[int] = []
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
                }
            )
        chunk_ids = _insert_returning_ids(session, values)
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
    return ids


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
    for start in range(0, len(ids), 500):
        statement = (
            select(Prospect)
            .options(selectinload(Prospect.tags), selectinload(Prospect.research))
            .where(Prospect.id.in_(ids[start : start + 500]))
        )
        for prospect in session.scalars(statement):
            planned = by_id[prospect.id]
            assert planned.fields is not None
            apply_fields(prospect, _merge(fields_of(prospect_record(prospect)), planned))
            if planned.status is not None:
                prospect.status = planned.status
            if planned.research is not None and not planned.research.is_empty:
                _merge_research(prospect, planned.research, planned.given, now)
            prospect.updated_at = now
    session.flush()
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
    prospect: Prospect, research: ResearchFields, given: frozenset[str], now: datetime
) -> None:
    row = prospect.research
    if row is None:
        row = ResearchNote(company_summary="", person_profile="", angle="", source_links="")
        prospect.research = row
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


# -- export ------------------------------------------------------------------------

EXPORT_HEADERS = (
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "Website",
    "LinkedIn",
    "Email",
    "Phone",
    "Mobile Phone",
    "Office Phone",
    "Dial",
    "Time Zone",
    "Status",
    "Tags",
    "Notes",
    "Company Summary",
    "Person Profile",
    "Angle",
    "Sources",
    "Researched At",
)
_OUR_EXPORT_HEADERS = frozenset(
    {
        EXPORT_HEADERS,
        # What exports wrote before prospects had several numbers.
        tuple(
            header
            for header in EXPORT_HEADERS
            if header not in {"Mobile Phone", "Office Phone", "Dial"}
        ),
    }
)

_EXPORT_BATCH = 500
"""Prospects held in memory at once while exporting (also under SQLite's parameter limit)."""


def export_csv(session: Session, path: Path, progress: Progress | None = None) -> int:
    """Write every prospect and their research to ``path`` (id order); return how many.

    The file is written next to ``path`` and moved over it at the end, so a
    failure never leaves half a file where a good export used to be. ``path``
    must be a regular file or a new path: a folder, device, pipe or symbolic
    link is refused, never replaced or followed. Cells are
    :func:`spreadsheet_safe`; a cell longer than import reads
    (:data:`MAX_CELL_CHARS`) is refused, naming the prospect. ``progress``
    hears of each batch written.
    """
    _check_export_target(path)
    total = session.scalar(select(func.count()).select_from(Prospect)) if progress else 0
    statement = (
        select(
            Prospect.id,
            Prospect.first_name,
            Prospect.last_name,
            Prospect.title,
            Prospect.company,
            Prospect.website,
            Prospect.linkedin,
            Prospect.email,
            Prospect.phone_e164,
            Prospect.phone_extension,
            Prospect.mobile_e164,
            Prospect.mobile_extension,
            Prospect.office_e164,
            Prospect.office_extension,
            Prospect.dial,
            Prospect.timezone,
            Prospect.status,
            Prospect.notes,
            ResearchNote.company_summary,
            ResearchNote.person_profile,
            ResearchNote.angle,
            ResearchNote.source_links,
            ResearchNote.researched_at,
        )
        .outerjoin(ResearchNote, ResearchNote.prospect_id == Prospect.id)
        .order_by(Prospect.id)
        .execution_options(yield_per=_EXPORT_BATCH)
    )
    count = 0
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, before the rename
            mode="w",
            encoding="utf-8-sig",  # the BOM makes spreadsheet apps read accents right
            newline="",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        )
    except OSError as error:
        raise KnownError(f"cannot write {path}: {error.strerror or error}") from error
    temporary = Path(handle.name)
    try:
        with handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_HEADERS)
            for batch in session.execute(statement).partitions():
                tags = _tags_of(session, [row.id for row in batch])
                for row in batch:
                    writer.writerow(
                        _export_cells(
                            row.id,
                            row.first_name,
                            row.last_name,
                            row.title,
                            row.company,
                            row.website,
                            row.linkedin,
                            row.email or "",
                            _export_number(row.phone_e164, row.phone_extension),
                            _export_number(row.mobile_e164, row.mobile_extension),
                            _export_number(row.office_e164, row.office_extension),
                            row.dial.value if row.dial else "",
                            row.timezone or "",
                            row.status.value,
                            ", ".join(tags.get(row.id, ())),
                            row.notes,
                            row.company_summary or "",
                            row.person_profile or "",
                            row.angle or "",
                            row.source_links or "",
                            row.researched_at.isoformat() if row.researched_at else "",
                        )
                    )
                count += len(batch)
                if progress is not None:
                    progress(count, max(total or 0, count))
            handle.flush()
            os.fsync(handle.fileno())
        # Prospects' details: readable by the rep alone, whatever the umask.
        os.chmod(temporary, paths.PRIVATE_FILE_MODE)
        # Again, as a large export takes a while: nothing is put in place of
        # a link or device that appeared meanwhile.
        _check_export_target(path)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise KnownError(f"cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return count


def _export_number(e164: str | None, extension: str | None) -> str:
    # Spaced, "+44 20 7946 0123": a spreadsheet that opens the file keeps it as
    # text, where it would turn "+442079460123" into the number 442079460123.
    return with_extension(phone_international(e164), extension) if e164 else ""


def _check_export_target(path: Path) -> None:
    """Refuse an export target that is not a regular file or a new path."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return  # a new file (a missing folder is reported when writing)
    except OSError as error:
        raise KnownError(f"cannot write {path}: {error.strerror or error}") from error
    if stat.S_ISLNK(mode):
        problem = "is a symbolic link, which export never follows or replaces"
    elif stat.S_ISDIR(mode):
        problem = "is a folder"
    elif not stat.S_ISREG(mode):
        problem = "is not a regular file (a device, pipe or socket)"
    else:
        return
    raise InvalidInputError(
        f"cannot export to {path}: it {problem}; give the name of a new or regular file"
    )


def _export_cells(prospect_id: int, *values: str) -> tuple[str, ...]:
    """One prospect's row, each cell :func:`spreadsheet_safe` and short enough to import."""
    cells = tuple(spreadsheet_safe(value) for value in values)
    for header, cell in zip(EXPORT_HEADERS, cells, strict=True):
        if len(cell) > MAX_CELL_CHARS:
            name = f"{values[0]} {values[1]}".strip()
            raise InvalidInputError(
                f"cannot export: {header} of #{prospect_id} {name} is {len(cell):,} characters, "
                f"more than the {MAX_CELL_CHARS:,} a CSV cell may have to import again; "
                "shorten it and export again"
            )
    return cells


def _tags_of(session: Session, ids: Iterable[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {}
    statement = (
        select(ProspectTag.prospect_id, ProspectTag.tag)
        .where(ProspectTag.prospect_id.in_(list(ids)))
        .order_by(ProspectTag.prospect_id, ProspectTag.tag)
    )
    for prospect_id, tag in session.execute(statement):
        tags.setdefault(prospect_id, []).append(tag)
    return tags
