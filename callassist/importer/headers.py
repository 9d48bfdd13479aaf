"""Which column of a CRM export feeds which prospect field.

The headers HubSpot, Salesforce, Zoho, Apollo, Pipedrive and Close write are
known by name (and the usual German, French and Spanish ones); the rep
chooses for the others, and those choices are remembered for the next file
with the same header row.
"""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from callassist.clock import Clock
from callassist.db.models import ImportMapping
from callassist.errors import InvalidInputError
from callassist.services.prospects import EDITABLE_FIELDS, PHONE_FIELDS

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


def _headers_key(headers: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps(list(headers)).encode("utf-8")).hexdigest()


def saved_choices(session: Session, headers: Sequence[str]) -> dict[str, str | None] | None:
    """The column choices the rep made for files with this header row, if any."""
    saved = session.get(ImportMapping, _headers_key(headers))
    if saved is None:
        return None
    choices = json.loads(saved.choices_json)
    return {header: field or None for header, field in choices.items()}


def remember_choices(
    session: Session, clock: Clock, headers: Sequence[str], chosen: Mapping[str, str | None]
) -> None:
    """Keep the rep's column choices for the next file with this header row."""
    key = _headers_key(headers)
    saved = session.get(ImportMapping, key) or ImportMapping(headers_key=key)
    saved.headers_json = json.dumps(list(headers))
    saved.choices_json = json.dumps({header: field or "" for header, field in chosen.items()})
    saved.saved_at = clock()
    session.add(saved)
