"""A prospect's fields as typed or imported: cleaned and checked before anything is stored."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace

from callassist.db.models import Prospect, ProspectTag
from callassist.errors import InvalidInputError
from callassist.phones import ParsedPhone, PhoneForms, normalize_timezone, parse_phone, phone_forms
from callassist.records import ProspectRecord
from callassist.services.column_checks import check_text, refuse_nul
from callassist.vocabulary import PhoneKind

_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_TAG_SPLIT = re.compile(r"[,;|]")


@dataclass(frozen=True, slots=True)
class ProspectFields:
    """Validated prospect fields, ready to store."""

    first_name: str = ""
    last_name: str = ""
    title: str = ""
    company: str = ""
    website: str = ""
    linkedin: str = ""
    email: str | None = None
    phone: str | None = None
    """The direct line, E.164."""
    timezone: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    phone_extension: str | None = None
    mobile: str | None = None
    mobile_extension: str | None = None
    office: str | None = None
    """The company's number (a switchboard), E.164."""
    office_extension: str | None = None
    dial: PhoneKind | None = None
    parsed_forms: Mapping[str, PhoneForms] = field(default_factory=dict, compare=False, repr=False)
    """The written forms of the numbers read by :func:`validate_prospect`, by E.164
    number, so storing them parses nothing again; not a field anyone edits."""

    @property
    def personal_numbers(self) -> tuple[str, ...]:
        """The numbers that are this person's alone, to recognise them by.

        Not the office number: a switchboard is shared by everyone at the company.
        """
        return tuple(number for number in (self.phone, self.mobile) if number)

    def forms_of(self, e164: str | None) -> PhoneForms | None:
        """The written forms of one of these numbers (parsed only if not read here)."""
        if not e164:
            return None
        return self.parsed_forms.get(e164) or phone_forms(e164)


EDITABLE_FIELDS = tuple(
    field.name for field in fields(ProspectFields) if field.name != "parsed_forms"
)
"""Names accepted by :func:`validate_prospect` and :func:`update_prospect`."""

PHONE_FIELDS: tuple[tuple[PhoneKind, str, str], ...] = (
    (PhoneKind.DIRECT, "phone", "phone_extension"),
    (PhoneKind.MOBILE, "mobile", "mobile_extension"),
    (PhoneKind.OFFICE, "office", "office_extension"),
)
"""(kind, number field, extension field) of each number; typed numbers may carry
their extension ("505 828 1788 ext. 12")."""

_EXTENSION = re.compile(r"^(?:ext\.?|extension|x|#)?\s*(\d{1,10})$", re.IGNORECASE)


def validate_prospect(
    raw: Mapping[str, str], region: str, *, ask_zone: bool = True
) -> ProspectFields:
    """Clean and check typed or imported text; raise InvalidInputError naming the field.

    A missing time zone is taken from the first number whose area has a single
    zone, so most imported prospects get their local time for free. When the
    area has several (Alaska's 907) and ``ask_zone`` is set, the zone is asked
    for rather than guessed.
    """
    unknown = set(raw) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInputError(f"unknown prospect field(s): {', '.join(sorted(unknown))}")
    for name, value in raw.items():
        refuse_nul(name.replace("_", " "), value)

    def text(name: str) -> str:
        return " ".join(raw.get(name, "").split()) if name != "notes" else raw.get(name, "").strip()

    first_name, last_name = text("first_name"), text("last_name")
    if not first_name and not last_name:
        raise InvalidInputError("a prospect needs a first or last name")
    email = text("email").lower() or None
    if email is not None and not _EMAIL.match(email):
        raise InvalidInputError(f"email: {email!r} is not an email address")
    numbers = {
        kind: _validate_number(kind, text(number), text(extension), region)
        for kind, number, extension in PHONE_FIELDS
    }
    timezone = None
    if text("timezone"):
        try:
            timezone = normalize_timezone(text("timezone"))
        except InvalidInputError as error:
            raise InvalidInputError(f"time zone: {error}") from error
    else:
        timezone = _zone_from_numbers(numbers, text, ask=ask_zone)
    dial = None
    if text("dial"):
        try:
            dial = PhoneKind(text("dial").lower())
        except ValueError as error:
            choices = ", ".join(kind.value for kind in PhoneKind)
            raise InvalidInputError(f"dial: {text('dial')!r} is not one of {choices}") from error
    tags = tuple(
        sorted(
            {tag.strip().lower() for tag in _TAG_SPLIT.split(raw.get("tags", "")) if tag.strip()}
        )
    )
    for name in _TEXT_COLUMNS:
        check_text(getattr(Prospect, name), text(name))
    if email is not None:
        check_text(Prospect.email, email)
    for tag in tags:
        check_text(ProspectTag.tag, tag)
    return ProspectFields(
        first_name=first_name,
        last_name=last_name,
        title=text("title"),
        company=text("company"),
        website=text("website"),
        linkedin=text("linkedin"),
        email=email,
        phone=_e164(numbers[PhoneKind.DIRECT]),
        phone_extension=_extension(numbers[PhoneKind.DIRECT]),
        mobile=_e164(numbers[PhoneKind.MOBILE]),
        mobile_extension=_extension(numbers[PhoneKind.MOBILE]),
        office=_e164(numbers[PhoneKind.OFFICE]),
        office_extension=_extension(numbers[PhoneKind.OFFICE]),
        timezone=timezone,
        notes=text("notes"),
        tags=tags,
        dial=dial,
        parsed_forms={number.e164: number.forms for number in numbers.values() if number},
    )


_TEXT_COLUMNS = ("first_name", "last_name", "title", "company", "website", "linkedin", "notes")
"""The fields stored as typed (after spacing is evened out), each in its column of that name."""

_PHONE_WORDS = {PhoneKind.DIRECT: "phone", PhoneKind.MOBILE: "mobile", PhoneKind.OFFICE: "office"}


def _validate_number(
    kind: PhoneKind, number: str, extension: str, region: str
) -> ParsedPhone | None:
    """A typed number with its extension: the one typed in it, else the extension field's."""
    if not number:
        return None
    try:
        parsed = parse_phone(number, region)
    except InvalidInputError as error:
        raise InvalidInputError(f"{_PHONE_WORDS[kind]}: {error}") from error
    if parsed.extension or not extension:
        return parsed
    match = _EXTENSION.match(extension)
    if match is None:
        raise InvalidInputError(
            f"{_PHONE_WORDS[kind]} extension: {extension!r} is not an extension (up to 10 digits)"
        )
    return replace(parsed, extension=match.group(1))


STORED_FORMS: tuple[tuple[str, str, str, str], ...] = (
    ("phone", "phone_e164", "phone_national", "phone_international"),
    ("mobile", "mobile_e164", "mobile_national", "mobile_international"),
    ("office", "office_e164", "office_national", "office_international"),
)
"""(number field, its column, national column, international column) of each number:
the written forms are stored beside a number so that showing it parses nothing."""


def stored_forms(values: ProspectFields) -> dict[str, str | None]:
    """The written-form columns of a prospect's numbers, by column name (None: no number)."""
    columns: dict[str, str | None] = {}
    for number, _column, national, international in STORED_FORMS:
        forms = values.forms_of(getattr(values, number))
        columns[national] = forms.national if forms else None
        columns[international] = forms.international if forms else None
    return columns


def derived_zone(stored: ProspectFields) -> str | None:
    """The zone stored numbers would give the prospect, or None."""
    numbers = {
        kind: parse_phone(number) if number else None
        for kind, number in (
            (PhoneKind.DIRECT, stored.phone),
            (PhoneKind.MOBILE, stored.mobile),
            (PhoneKind.OFFICE, stored.office),
        )
    }
    return _zone_from_numbers(numbers, lambda _field: "", ask=False)


def _e164(number: ParsedPhone | None) -> str | None:
    return number.e164 if number else None


def _extension(number: ParsedPhone | None) -> str | None:
    return number.extension if number else None


def _zone_from_numbers(
    numbers: Mapping[PhoneKind, ParsedPhone | None], text: Callable[[str], str], *, ask: bool
) -> str | None:
    """The zone of the prospect's own line's area, else the office's, else the mobile's."""
    for kind in (PhoneKind.DIRECT, PhoneKind.OFFICE, PhoneKind.MOBILE):
        number = numbers[kind]
        if number is None or not number.zones:
            continue
        zone = number.zone  # worked out from the area's zones: read once
        if zone is not None:
            return zone
        if ask:
            field = next(name for each, name, _ in PHONE_FIELDS if each is kind)
            raise InvalidInputError(
                f"time zone: the area of {text(field)!r} spans several time zones "
                f"({', '.join(number.zones)}); give the prospect's zone"
            )
        return None
    return None


def fields_of(record: ProspectRecord) -> ProspectFields:
    """The stored fields of a prospect, for merging an edit."""
    direct, mobile, office = (record.phone_line(kind) for kind in PhoneKind)
    return ProspectFields(
        first_name=record.first_name,
        last_name=record.last_name,
        title=record.title,
        company=record.company,
        website=record.website,
        linkedin=record.linkedin,
        email=record.email,
        phone=direct.e164 if direct else None,
        timezone=record.timezone,
        notes=record.notes,
        tags=record.tags,
        phone_extension=direct.extension if direct else None,
        mobile=mobile.e164 if mobile else None,
        mobile_extension=mobile.extension if mobile else None,
        office=office.e164 if office else None,
        office_extension=office.extension if office else None,
        dial=record.dial,
    )
