"""Values checked against the columns they go into, and the database's refusals in words.

SQLite stores a NUL character or a 300-character tag without a word, where
PostgreSQL refuses them with an error naming no field. So every text is checked
before it is written, against its column's own length in :mod:`callassist.db.models`:
prospect fields and import rows by :func:`check_text` as they are validated,
everything stored through the ORM (profile, call types, notes, ...) by
:func:`check_pending`, which the desk runs before each flush. A refusal that
still comes from the database is put in words by :func:`refusal_of`.
"""

from typing import Any

from sqlalchemy import Column, String, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute, Session, UOWTransaction

from callassist.errors import InvalidInputError

_TABLE_WORDS = {
    "reps": "profile",
    "call_types": "call type",
    "research_notes": "research",
    "attempts": "call",
    "pains": "pain",
    "follow_ups": "booking",
    "enrollments": "enrollment",
}
"""How a refusal names the rows of a table ahead of the column ("profile name");
a prospect's and a tag's columns are named alone ("company", "tag")."""


def label_of(column: Column[object]) -> str:
    """The field as a refusal names it: "company", "profile name", "call type name"."""
    words = column.name.replace("_", " ")
    owner = _TABLE_WORDS.get(column.table.name)
    return f"{owner} {words}" if owner else words


def check_text(attribute: InstrumentedAttribute[Any], value: str | None) -> None:
    """Refuse a value its column cannot hold as it is, naming the field: a NUL
    character, or more characters than the column's length."""
    column = attribute.property.columns[0]
    assert isinstance(column, Column)
    _check(column, value)


def refuse_nul(label: str, value: str) -> None:
    """Refuse a text holding a NUL character (a CSV cell of a binary file, a bad paste)."""
    if "\x00" in value:
        raise InvalidInputError(f"{label}: contains a NUL character (\\0); remove it")


def _check(column: Column[object], value: object) -> None:
    # The label is worked out only for a refusal: an import checks a million values.
    if not isinstance(value, str):
        return
    if "\x00" in value:
        refuse_nul(label_of(column), value)
    length = column.type.length if isinstance(column.type, String) else None
    if length is not None and len(value) > length:
        raise InvalidInputError(
            f"{label_of(column)}: longer than {length} characters ({len(value)}); shorten it"
        )


def check_pending(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    """Check each text a flush is about to insert or change (a before_flush hook).

    Only the values set since the rows were read: a row stored long ago by a
    SQLite that took anything can still have its other fields edited.
    """
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for prop in state.mapper.column_attrs:
            column = prop.columns[0]
            if isinstance(column, Column):
                for value in state.attrs[prop.key].history.added or ():
                    _check(column, value)


# The database's own refusals in words, each under the names it comes by: the
# constraint's (PostgreSQL names it) and what SQLite's message names after "failed:"
# (the column, or a CHECK's name as the first schema spelled it).
_REFUSALS = {
    name: words
    for words, names in (
        (
            "email or phone: another prospect already has it",
            ("pk_prospect_contacts", "prospect_contacts.value"),
        ),
        ("name: a prospect needs a first or last name", ("ck_prospects_has_name", "has_name")),
        ("email: not an email address", ("ck_prospects_email_shape", "email_shape")),
        (
            "phone: not a number in international form",
            ("ck_prospects_phone_e164", "phone_e164"),
        ),
        (
            "call type name: two call types have this name",
            ("uq_call_types_rep_id_name", "call_types.rep_id, call_types.name"),
        ),
        (
            "business hours: they must start before they end",
            ("ck_reps_business_hours", "business_hours"),
        ),
        ("call type minutes: must be more than zero", ("ck_call_types_minutes",)),
        ("booking minutes: must be more than zero", ("ck_follow_ups_minutes",)),
        (
            "minutes needed: must be more than zero",
            ("ck_time_checks_minutes_needed", "minutes_needed"),
        ),
        (
            "minutes available: cannot be below zero",
            ("ck_time_checks_minutes_available", "minutes_available"),
        ),
        ("call end: before the call started", ("ck_attempts_ends_after_start", "ends_after_start")),
        (
            "time check: this call already has one",
            ("uq_time_checks_attempt_id", "time_checks.attempt_id"),
        ),
        (
            "enrollment: the prospect is already in a cadence",
            ("uq_enrollments_prospect_id", "enrollments.prospect_id"),
        ),
        (
            "research: the prospect already has research notes",
            ("pk_research_notes", "research_notes.prospect_id"),
        ),
    )
    for name in names
}


def refusal_of(error: DBAPIError) -> str:
    """One line naming the field a database refusal is about, for the rep."""
    diagnosis = getattr(error.orig, "diag", None)
    constraint = getattr(diagnosis, "constraint_name", None)
    if constraint in _REFUSALS:
        return f"refused by the database: {_REFUSALS[constraint]}"
    first_line = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else ""
    _, failed, named = first_line.partition("constraint failed: ")
    if failed and named.strip() in _REFUSALS:
        return f"refused by the database: {_REFUSALS[named.strip()]}"
    if "value too long" in first_line:
        # PostgreSQL names the type, not the column: the checks above should
        # have named it first.
        return f"refused by the database: a value is longer than its field allows ({first_line})"
    where = f" ({constraint})" if constraint else ""
    return f"refused by the database{where}: {first_line or type(error.orig).__name__}"
