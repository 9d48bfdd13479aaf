"""Every prospect and their research out to a CSV file the importer reads back."""

import csv
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callassist import paths
from callassist.db.models import Prospect, ProspectTag, ResearchNote
from callassist.errors import InvalidInputError, KnownError
from callassist.importer.csvformat import (
    EXPORT_HEADERS,
    MAX_CELL_CHARS,
    Progress,
    spreadsheet_safe,
)
from callassist.phones import phone_international, with_extension

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
