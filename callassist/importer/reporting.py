"""What an import did, or would do: the report the rep reads, and the refusal.

An import with invalid rows writes nothing unless the rep asked to skip
them: a half imported file is worse than none, since fixing it means
finding which half.
"""

from dataclasses import dataclass, field

from callassist.errors import InvalidInputError
from callassist.importer.validating import ImportPlan, PlannedRow, RowAction

NOTES_KEPT = 1000
"""The most rows of each kind (already known, invalid) a report lists: it counts them all,
and a file of 100,000 bad rows is fixed from its first few anyway."""


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
    """The first :data:`NOTES_KEPT` rows skipped because the prospect is already known
    (updated rows are only counted)."""
    existing_count: int
    """How many rows were skipped as already known, listed or not."""
    invalid: tuple[RowNote, ...]
    """The first :data:`NOTES_KEPT` invalid rows."""
    invalid_count: int
    """How many rows are invalid, listed or not."""
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
        count = report.invalid_count
        first = report.invalid[0]
        more = f", and {count - 1} more" if count > 1 else ""
        super().__init__(
            f"nothing was imported: {count} invalid row(s) (row {first.row}: {first.message}"
            f"{more}); fix them, or import with invalid rows skipped"
        )
        self.report = report
        self.if_skipped = if_skipped
        """What the import would do with the invalid rows skipped (a dry run's report)."""


@dataclass(slots=True)
class ImportTally:
    """What the planned rows of an import come to, counted as they go by.

    Every row is counted; only the first :data:`NOTES_KEPT` of each kind are
    kept, so a file's report takes the same memory whatever its size.
    """

    new: int = 0
    updates: int = 0
    existing: list[RowNote] = field(default_factory=list)
    existing_count: int = 0
    invalid: list[RowNote] = field(default_factory=list)
    invalid_count: int = 0

    def count(self, row: PlannedRow) -> None:
        if row.action is RowAction.NEW:
            self.new += 1
        elif row.action is RowAction.UPDATE:
            self.updates += 1
        elif row.action is RowAction.EXISTING:
            self.existing_count += 1
            if len(self.existing) < NOTES_KEPT:
                self.existing.append(RowNote(row.row, row.prospect_id, row.message))
        else:
            self.invalid_count += 1
            if len(self.invalid) < NOTES_KEPT:
                self.invalid.append(RowNote(row.row, None, row.message))


def preview_import(plan: ImportPlan, *, skip_invalid: bool) -> ImportReport:
    """The report :func:`apply_import` would give, without writing anything.

    Raises :class:`ImportRejected` exactly when the real import would.
    """
    tally = ImportTally()
    for row in plan.rows:
        tally.count(row)
    reject_if_invalid(plan, tally, skip_invalid=skip_invalid, dry_run=True)
    return report_of(plan, tally, created=tally.new, updated=tally.updates, dry_run=True)


def reject_if_invalid(
    plan: ImportPlan, tally: ImportTally, *, skip_invalid: bool, dry_run: bool
) -> None:
    if tally.invalid_count and not skip_invalid:
        raise ImportRejected(
            report_of(plan, tally, created=0, updated=0, dry_run=dry_run),
            if_skipped=report_of(
                plan, tally, created=tally.new, updated=tally.updates, dry_run=True
            ),
        )


def report_of(
    plan: ImportPlan, tally: ImportTally, *, created: int, updated: int, dry_run: bool
) -> ImportReport:
    return ImportReport(
        created=created,
        updated=updated,
        existing=tuple(tally.existing),
        existing_count=tally.existing_count,
        invalid=tuple(tally.invalid),
        invalid_count=tally.invalid_count,
        ignored_columns=plan.ignored_columns,
        encoding=plan.encoding,
        columns=plan.columns,
        remembered_choices=plan.remembered_choices,
        dry_run=dry_run,
        imported=not dry_run and bool(created or updated),
    )
