"""Prospects in and out of CSV files: a CRM's export in, a full export out.

An import runs in three steps, so the rep can look before anything changes:

1. :func:`read_csv` (:mod:`.reading`) reads the file's header and checks its
   records, numbering them the way a spreadsheet shows them; :func:`map_headers`
   (:mod:`.headers`) finds which column feeds which field.
2. :func:`plan_import` (:mod:`.validating`) validates each row and decides
   what it is: new, already known, an update, or invalid. It only reads.
3. :func:`apply_import` (:mod:`.storing`) writes the plan in batches, or nothing
   at all when some row is invalid and the rep did not ask to skip invalid
   rows; :func:`preview_import` (:mod:`.reporting`) gives the report a dry
   run would, without writing.

Rows stream through these steps from the file a batch at a time, so an import
holds what it must remember across the file (the emails and phones already
seen, the report's first rows) and never the file itself.

:func:`export_csv` (:mod:`.exporting`) writes every prospect and their
research in the columns the importer reads, so an export re-imports exactly.

The functions take a session and never commit: the facade runs each call in
one transaction (commit on success, rollback on error).
"""

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from callassist.clock import Clock
from callassist.errors import InvalidInputError
from callassist.importer.csvformat import EXPORT_HEADERS, Progress, cell_value
from callassist.importer.exporting import export_csv
from callassist.importer.headers import IMPORT_FIELDS, map_headers, remember_choices, saved_choices
from callassist.importer.reading import read_csv
from callassist.importer.reporting import (
    NOTES_KEPT,
    ImportRejected,
    ImportReport,
    RowNote,
    preview_import,
)
from callassist.importer.storing import apply_import
from callassist.importer.validating import RowAction, plan_import

__all__ = [
    "EXPORT_HEADERS",
    "IMPORT_FIELDS",
    "NOTES_KEPT",
    "ImportRejected",
    "ImportReport",
    "Progress",
    "RowAction",
    "RowNote",
    "apply_import",
    "cell_value",
    "export_csv",
    "import_csv",
    "map_headers",
    "plan_import",
    "preview_import",
    "read_csv",
]


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
    owner_id: int | None = None,
) -> ImportReport:
    """Read, plan and apply a CSV file (only read and plan for a dry run).

    New prospects are ``owner_id``'s, by default the acting rep's.

    ``chosen`` columns (see :func:`map_headers`) are remembered for files
    with the same header row once they import; without any, the ones
    remembered are used. ``progress`` is told of every row, and once more
    when all is written but not yet committed.
    """
    table = read_csv(path)
    remembered = saved_choices(session, table.headers) if chosen is None else None
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
    report = apply_import(session, clock, plan, skip_invalid=skip_invalid, owner_id=owner_id)
    if chosen:
        remember_choices(session, clock, table.headers, chosen)
    if progress is not None:
        progress(len(table.rows), len(table.rows))
    return report
