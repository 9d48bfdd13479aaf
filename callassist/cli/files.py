"""The commands on whole files: the demo, CSV import and export, backup, restore and check."""

import argparse
from pathlib import Path

from callassist.cli.terminal import EXIT_OK, EXIT_PROBLEM, Terminal
from callassist.clock import Clock
from callassist.core import CallDesk
from callassist.importer import ImportRejected, ImportReport
from callassist.wording import counted


def run_demo(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    summary = desk.load_demo()
    terminal.say(f"Loaded the demo into {desk.describe()}: {summary}")
    return EXIT_OK


def run_import(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    try:
        report = desk.import_csv(
            args.file,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            update_existing=args.update_existing,
            columns=dict(args.map) if args.map else None,
            owner=args.owner,
        )
    except ImportRejected as rejected:
        _say_how_read(args.file, rejected.report, terminal)
        invalid = rejected.report.invalid
        rows = counted(rejected.report.invalid_count, "invalid row")
        them = "it" if rejected.report.invalid_count == 1 else "them"
        rest = _would_import(rejected.if_skipped)
        if args.dry_run:
            terminal.say(
                f"Dry run, nothing changed. The file has {rows}, so the import would stop "
                f"and import nothing. With --skip-invalid it would import {rest}."
            )
            _print_import_rows(rejected.if_skipped, terminal, invalid_word="invalid")
            terminal.warn(
                f"callassist: {rows}; fix {them} in the file, or add --skip-invalid "
                f"to import {rest}"
            )
            return EXIT_PROBLEM
        for note in invalid:
            terminal.warn(f"row {note.row}: {note.message}")
        if rejected.report.invalid_count > len(invalid):
            terminal.warn(_unlisted(rejected.report.invalid_count - len(invalid)))
        terminal.warn(
            f"callassist: nothing was imported: {rows} (listed above); fix {them} in the file, "
            f"or add --skip-invalid to import {rest} (--dry-run shows the whole report)"
        )
        return EXIT_PROBLEM
    _say_how_read(args.file, report, terminal)
    if report.dry_run:
        terminal.say(f"Dry run, nothing changed. Would import {_would_import(report)}.")
    else:
        new = counted(report.created, "new prospect")
        terminal.say(f"Imported {new}, updated {report.updated}.")
    _print_import_rows(report, terminal, invalid_word="skipped")
    return EXIT_OK


def _say_how_read(path: Path, report: ImportReport, terminal: Terminal) -> None:
    """The encoding used (a wrong one shows in accents) and whose column choices."""
    choices = (
        " with the column choices you saved for these columns" if report.remembered_choices else ""
    )
    terminal.say(f"Read {path.name} as {report.encoding}{choices}.")


def _would_import(report: ImportReport) -> str:
    """What an import adds and changes, as "2 new prospects and 1 update"."""
    new = counted(report.created, "new prospect")
    return f"{new} and {counted(report.updated, 'update')}" if report.updated else new


def _print_import_rows(report: ImportReport, terminal: Terminal, *, invalid_word: str) -> None:
    for note in report.existing:
        terminal.say(f"row {note.row}: already known, {note.message}")
    if report.existing_count > len(report.existing):
        terminal.say(_unlisted(report.existing_count - len(report.existing)))
    for note in report.invalid:
        terminal.say(f"row {note.row}: {invalid_word}, {note.message}")
    if report.invalid_count > len(report.invalid):
        terminal.say(_unlisted(report.invalid_count - len(report.invalid)))
    if report.ignored_columns:
        terminal.say(f"Ignored columns: {', '.join(report.ignored_columns)}")


def _unlisted(count: int) -> str:
    """The line after the rows a report lists (the first NOTES_KEPT of each kind)."""
    return f"... and {counted(count, 'more row')} like these, not listed"


def run_export(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    count = desk.export_csv(args.file)
    terminal.say(f"Wrote {count} prospects to {args.file}")
    return EXIT_OK


def run_backup(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    terminal.say(f"Backed up to {desk.backup()}")
    return EXIT_OK


def run_restore(
    location: str | None, args: argparse.Namespace, terminal: Terminal, clock: Clock
) -> int:
    restored = CallDesk.restore(location, args.backup, clock=clock)
    for skipped in restored.skipped:
        terminal.warn(f"callassist: skipped {skipped}: it fails its integrity check")
    terminal.say(
        f"Restored {restored.database} from the backup of {restored.backup.when()} "
        f"({restored.backup.path})"
    )
    if restored.set_aside:
        terminal.say(f"The file it replaced is kept at {restored.set_aside[0]}")
    return EXIT_OK


def run_check(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    problems = desk.check()
    if not problems:
        terminal.say(f"{desk.describe()}: ok")
        return EXIT_OK
    for problem in problems:
        terminal.warn(f"callassist: {problem}")
    return EXIT_PROBLEM
