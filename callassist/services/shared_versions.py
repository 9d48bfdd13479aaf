"""The SQL of the cadences and scripts kept in the database (see callassist.stored_versions)."""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from callassist.db.models import CadenceVersion, Enrollment, FolderImport, Rep, ScriptVersion
from callassist.errors import InvalidInputError, RepNotChosenError
from callassist.services import profile as profiles
from callassist.services.column_checks import refuse_nul
from callassist.services.dialect_insert import dialect_insert
from callassist.stored_versions import StoredVersion, StoredVersions, VersionKind

_MODELS: dict[VersionKind, type[CadenceVersion | ScriptVersion]] = {
    "cadence": CadenceVersion,
    "script": ScriptVersion,
}


NAME_LENGTH = 100
"""The longest name a cadence or script kept in the database can have."""
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def refuse_bad_name(kind: VersionKind, name: str) -> None:
    """Refuse a name that cannot be a cadence's or script's, in one line."""
    if not _NAME.match(name):
        raise InvalidInputError(
            f"{kind} name {name!r}: use only letters, digits, _ and -, starting with a letter "
            "or digit"
        )
    if len(name) > NAME_LENGTH:
        raise InvalidInputError(
            f"{kind} name: longer than {NAME_LENGTH} characters ({len(name)}); shorten it"
        )


class FolderFile(NamedTuple):
    """A file of the rep's folder to bring in as their own version."""

    file_names: tuple[str, ...]
    """The files it is made of (a script's text, and its HTML when there is one)."""
    name: str
    source: str
    html_source: str | None = None


def read_versions(session: Session, kind: VersionKind) -> StoredVersions:
    """The team's versions of ``kind``, the acting rep's own, and their folder's files
    already brought in (the team's alone when no rep is chosen yet)."""
    model = _MODELS[kind]
    rep_id = _reader(session)
    rows = session.execute(
        select(model, Rep.name, Rep.email)
        .join(Rep, Rep.id == model.updated_by)
        .where((model.rep_id.is_(None)) | (model.rep_id == rep_id))
    ).all()
    own: dict[str, StoredVersion] = {}
    team: dict[str, StoredVersion] = {}
    for row, saver_name, saver_email in rows:
        assert isinstance(row, CadenceVersion | ScriptVersion)
        version = _stored_version(row, saver_name, saver_email)
        (team if version.team else own)[row.name] = version
    imported = (
        session.scalars(
            select(FolderImport.file_name).where(
                FolderImport.rep_id == rep_id, FolderImport.kind == kind
            )
        ).all()
        if rep_id is not None
        else []
    )
    enrollers = _enrollers_versions(session, rep_id) if kind == "cadence" else {}
    return StoredVersions(
        own=own, team=team, imported_files=frozenset(imported), enrollers=enrollers
    )


def _enrollers_versions(
    session: Session, rep_id: int | None
) -> dict[tuple[int, str], StoredVersion]:
    """Other reps' own cadences that a prospect was enrolled in by them, by (rep id, name)."""
    enrolled = select(Enrollment.rep_id, Enrollment.cadence).distinct()
    if rep_id is not None:
        enrolled = enrolled.where(Enrollment.rep_id != rep_id)
    # One pass over the enrollments (which have no index for this), however many versions.
    by_others = enrolled.subquery()
    rows = session.execute(
        select(CadenceVersion, Rep.name, Rep.email)
        .join(
            by_others,
            (by_others.c.rep_id == CadenceVersion.rep_id)
            & (by_others.c.cadence == CadenceVersion.name),
        )
        .join(Rep, Rep.id == CadenceVersion.updated_by)
    ).all()
    found: dict[tuple[int, str], StoredVersion] = {}
    for row, saver_name, saver_email in rows:
        assert row.rep_id is not None
        found[(row.rep_id, row.name)] = _stored_version(row, saver_name, saver_email)
    return found


def _stored_version(
    row: CadenceVersion | ScriptVersion, saver_name: str | None, saver_email: str | None
) -> StoredVersion:
    return StoredVersion(
        name=row.name,
        source=row.source,
        html_source=row.html_source if isinstance(row, ScriptVersion) else None,
        team=row.rep_id is None,
        updated_by=saver_name or saver_email or "a rep with no name yet",
        updated_at=row.updated_at,
    )


def save_version(
    session: Session,
    now: datetime,
    kind: VersionKind,
    name: str,
    source: str,
    *,
    team: bool,
) -> None:
    """Store ``source`` as the team's version of ``name`` or the acting rep's own,
    replacing the one there (an email's HTML brought in from a folder stays)."""
    refuse_bad_name(kind, name)
    refuse_nul(f"the {kind} {name}", source)
    rep_id = profiles.acting_rep_id(session)
    model = _MODELS[kind]
    values = {"source": source, "updated_by": rep_id, "updated_at": now}
    insert = dialect_insert(session, model).values(
        name=name, rep_id=None if team else rep_id, **values
    )
    table = insert.table
    # Insert-or-update on the (name, owner) index, so two reps saving the team's
    # version at once both succeed, the later one kept.
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.name, text("coalesce(rep_id, 0)")], set_=values
        )
    )


def delete_version(session: Session, kind: VersionKind, name: str, *, team: bool) -> bool:
    """Delete the team's version of ``name`` or the acting rep's own; False when none was there."""
    model = _MODELS[kind]
    owner = model.rep_id.is_(None) if team else model.rep_id == profiles.acting_rep_id(session)
    deleted = session.scalars(delete(model).where(model.name == name, owner).returning(model.id))
    return bool(deleted.all())


def set_aside(session: Session, now: datetime, kind: VersionKind, file_names: list[str]) -> bool:
    """Count the rep's folder files ``file_names`` as brought in, so they are no longer
    read (a reset of a version that was still a file); False when none was read."""
    if not file_names:
        return False
    rep_id = profiles.acting_rep_id(session)
    return bool(_claim(session, rep_id, kind, file_names, now))


def bring_in(
    session: Session, now: datetime, kind: VersionKind, files: Iterable[FolderFile]
) -> list[str]:
    """Make each folder file not brought in yet the acting rep's own version (a version they
    already have in the database stays); return the names brought in."""
    rep_id = profiles.acting_rep_id(session)
    model = _MODELS[kind]
    taken = set(session.scalars(select(model.name).where(model.rep_id == rep_id)))
    brought: list[str] = []
    for file in files:
        try:
            refuse_bad_name(kind, file.name)
        except InvalidInputError:
            continue  # stays in the folder, read from there
        claimed = _claim(session, rep_id, kind, file.file_names, now)
        # Another program of this rep's may have brought it in a moment ago.
        if not claimed or file.name in taken:
            continue
        row = model(name=file.name, rep_id=rep_id, source=file.source, updated_by=rep_id)
        row.updated_at = now
        if isinstance(row, ScriptVersion):
            row.html_source = file.html_source
        session.add(row)
        taken.add(file.name)
        brought.append(file.name)
    return brought


def _claim(
    session: Session, rep_id: int, kind: VersionKind, file_names: Iterable[str], now: datetime
) -> list[str]:
    """Record the files as brought in; return those no other program recorded first."""
    return list(
        session.scalars(
            dialect_insert(session, FolderImport)
            .values(
                [
                    {"rep_id": rep_id, "kind": kind, "file_name": file_name, "imported_at": now}
                    for file_name in file_names
                ]
            )
            .on_conflict_do_nothing()
            .returning(FolderImport.file_name)
        )
    )


def _reader(session: Session) -> int | None:
    try:
        return profiles.acting_rep_id(session)
    except RepNotChosenError:
        return None
