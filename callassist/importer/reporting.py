"""What an import did, or would do: the report the rep reads, and the refusal.

An import with invalid rows writes nothing unless the rep asked to skip
them: a half imported file is worse than none, since fixing it means
finding which half.
"""

from dataclasses import dataclass

from callassist.errors import InvalidInputError
from callassist.importer.validating import ImportPlan, RowAction


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
    reject_if_invalid(plan, skip_invalid=skip_invalid, dry_run=True)
    return report_of(
        plan,
        created=len(plan.having(RowAction.NEW)),
        updated=len(plan.having(RowAction.UPDATE)),
        dry_run=True,
    )


def reject_if_invalid(plan: ImportPlan, *, skip_invalid: bool, dry_run: bool) -> None:
    if plan.having(RowAction.INVALID) and not skip_invalid:
        raise ImportRejected(
            report_of(plan, created=0, updated=0, dry_run=dry_run),
            if_skipped=report_of(
                plan,
                created=len(plan.having(RowAction.NEW)),
                updated=len(plan.having(RowAction.UPDATE)),
                dry_run=True,
            ),
        )


def report_of(plan: ImportPlan, *, created: int, updated: int, dry_run: bool) -> ImportReport:
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
