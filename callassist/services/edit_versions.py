"""Edits made on a version: no rep's text silently written over another's.

A prospect's fields and notes, their research notes and a rep's profile each
count their edits. Whoever edits says which version their edit started from;
the edit claims the row with one conditional UPDATE (``WHERE version = seen``),
so of two edits made on the same version, in two processes or on two
computers, the database lets exactly one through. The other is refused with
the text that won, who saved it and when: :class:`StaleEditError`.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import inspect, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from callassist.db.models import Prospect, Rep, ResearchNote
from callassist.errors import StaleEditError
from callassist.phones import zone
from callassist.records import RepRecord
from callassist.services.profile import acting_rep_id, get_profile

Versioned = TypeVar("Versioned", Prospect, ResearchNote, Rep)


def claim_edit(
    session: Session,
    row: Versioned,
    seen: int | None,
    now: datetime,
    *,
    what: str,
    theirs: Callable[[Versioned], dict[str, str]],
) -> int:
    """Count an edit of ``row`` made on version ``seen`` by the acting rep, now; the new version.

    ``seen`` None edits whatever is stored (the demo, the card's choice of the
    number to dial). On a stale ``seen`` nothing is written and StaleEditError
    carries ``theirs(row)``; ``what`` names the row in its message ("the
    research notes on Dana Whitfield").
    """
    model = type(row)
    mapper = inspect(model)
    keys = [
        column == value
        for column, value in zip(
            mapper.primary_key, mapper.primary_key_from_instance(row), strict=True
        )
    ]
    if seen is not None:
        keys.append(model.version == seen)
    claimed = session.execute(
        update(model)
        .where(*keys)
        .values(version=model.version + 1, updated_by=acting_rep_id(session), updated_at=now)
        .returning(model.version)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    # Read again either way: what was loaded before the UPDATE no longer says.
    session.refresh(row, ["version", "updated_by", "updated_at"])
    if claimed is not None:
        return claimed
    session.refresh(row)
    raise StaleEditError(
        what=what,
        changed_by=_editor_name(session, row.updated_by),
        changed_at=_when(session, row.updated_at, now),
        theirs=theirs(row),
        version=row.version,
    )


def count_edits(
    session: Session, key: InstrumentedAttribute[int], values: Sequence[int], now: datetime
) -> None:
    """Count an edit by the acting rep of each row whose ``key`` is in ``values``, made on
    whatever was stored (an import merging into them): an editor still on the version
    before is then refused, not let to write over what came in."""
    model = key.class_
    session.execute(
        update(model)
        .where(key.in_(values))
        .values(version=model.version + 1, updated_by=acting_rep_id(session), updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _editor_name(session: Session, rep_id: int | None) -> str:
    if rep_id is None:
        return "Someone"
    if rep_id == acting_rep_id(session):
        return "You, elsewhere,"
    rep = session.get(Rep, rep_id)
    if rep is None:
        return "Someone"
    called = RepRecord(rep.id, rep.name, rep.email or "").called
    return called[:1].upper() + called[1:]  # it begins the sentence


def _when(session: Session, at: datetime | None, now: datetime) -> str:
    """When, as the acting rep reads it: "at 09:14" today, "on Tue Dec 1 at 09:14" before."""
    if at is None:
        return "earlier"
    where = zone(get_profile(session).timezone)
    local = at.astimezone(where)
    if local.date() == now.astimezone(where).date():
        return f"at {local:%H:%M}"
    return f"on {local:%a %b} {local.day} at {local:%H:%M}"


def claim_profile_edit(session: Session, seen: int | None, now: datetime) -> int:
    """:func:`claim_edit` for the acting rep's profile, before its fields are changed."""
    row = session.get(Rep, acting_rep_id(session))
    assert row is not None, "a rep chosen is never deleted"
    return claim_edit(
        session, row, seen, now, what="this profile", theirs=lambda _row: _profile_texts(session)
    )


def _profile_texts(session: Session) -> dict[str, str]:
    """The profile's details a rep types, as text."""
    profile = get_profile(session)
    return {
        "name": profile.name,
        "company": profile.company,
        "phone": profile.phone_display,
        "email": profile.email,
        "signature": profile.signature,
    }
