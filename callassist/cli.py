"""The ``callassist`` command: the window, or one action on the data.

Every command goes through :class:`callassist.core.CallDesk`, the same
services the window uses. Problems the rep can fix print one line on stderr
and exit with status 1 (2 for a mistyped command line); nothing is half done,
because each action is one transaction.
"""

import argparse
import codecs
import csv
import io
import json
import math
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TextIO, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DatabaseError

from callassist import __version__, paths
from callassist.cadence import Cadence, Step, StepAction
from callassist.clock import Clock, system_clock
from callassist.core import CallDesk, Rescheduled
from callassist.db.migrate import damaged_message, is_damage
from callassist.errors import InvalidInputError, KnownError
from callassist.importer import IMPORT_FIELDS, ImportRejected, ImportReport
from callassist.records import (
    AttemptRecord,
    CallTypeRecord,
    EnrollmentRecord,
    PainRecord,
    ProfileRecord,
    ProspectDetail,
    ProspectRecord,
    QueueItem,
    call_type_list,
)
from callassist.review import DayReview, due_text
from callassist.services.prospects import EDITABLE_FIELDS
from callassist.vocabulary import ENROLL_WARNING, Channel, Outcome, PainKind, ProspectStatus
from callassist.wording import OUTCOME_WORDS, counted

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, what shells report for a program stopped by it."""

ID_MAX = 2**63 - 1
"""The largest id (and count) SQLite can hold: a signed 64-bit integer."""

CALL_MINUTES_MAX = 24 * 60
"""A call type longer than a day is a typo."""

EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
"""Dates typed on the command line fall in these years: wide enough for any real call,
narrow enough that the day after, or any time zone, stays within what Python's dates hold."""

PROSPECT_JSON_KEYS = (
    "id",
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "dial",
    "phones",
    "email",
    "timezone",
    "status",
)
"""The keys of ``prospects``, ``lookup`` and ``prospect add|edit --format json``, in order."""

Named = TypeVar("Named", bound=StrEnum)


def prospect_json(record: ProspectRecord) -> dict[str, object]:
    """The stable JSON shape of a prospect.

    ``phone`` is the number to dial in E.164 (or null) and ``dial`` which of
    ``phones`` it is; ``phones`` holds every number, direct first.
    """
    dialled = record.dialled
    return {
        "id": record.id,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "company": record.company,
        "title": record.title,
        "phone": record.phone,
        "dial": dialled.kind.value if dialled else None,
        "phones": [
            {
                "kind": line.kind.value,
                "number": line.e164,
                "extension": line.extension,
                "written": line.written,
            }
            for line in record.phones
        ],
        "email": record.email,
        "timezone": record.timezone,
        "status": record.status.value,
    }


# Checkers for argparse's ``type=``. They raise InvalidInputError, which argparse lets
# through (it only turns ValueError and TypeError into usage errors), so a bad value is
# one line naming the option, status 1, before the database is even opened.


def whole_number(what: str, low: int, high: int) -> Callable[[str], int]:
    """A checker for an integer argument between ``low`` and ``high``."""

    def parse(text: str) -> int:
        digits = text.strip()
        if not re.fullmatch(r"[+-]?[0-9]+", digits):
            raise InvalidInputError(f"{what} {text!r}: use a whole number")
        # Length first: Python refuses int() of more than 4300 digits.
        if len(digits.lstrip("+-").lstrip("0")) > len(str(high)) or not low <= int(digits) <= high:
            raise InvalidInputError(f"{what} {text!r} is out of range: use {low} to {high}")
        return int(digits)

    return parse


def id_argument(
    sub: argparse.ArgumentParser, dest: str, name: str, help_text: str | None = None
) -> None:
    """A positional record id (``PROSPECT_ID``, ``BOOKING_ID``...), checked like every id."""
    sub.add_argument(dest, type=whole_number(name, 1, ID_MAX), metavar=name, help=help_text)


def one_of(what: str, noun: str, names: type[Named]) -> Callable[[str], Named]:
    """A checker for one of an enumeration's names, refused in our words rather than argparse's."""

    def parse(text: str) -> Named:
        try:
            return names(text.strip().lower())
        except ValueError:
            known = ", ".join(name.value for name in names)
            raise InvalidInputError(f"{what} {text!r} is not {noun}: use one of {known}") from None

    return parse


status_name = one_of("STATUS", "a status", ProspectStatus)


def _within_years(day: date, what: str, text: str) -> None:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise InvalidInputError(
            f"{what} {text!r}: use a date from {EARLIEST_YEAR} to {LATEST_YEAR}"
        )


def iso_day(what: str) -> Callable[[str], date]:
    """A checker for a YYYY-MM-DD argument."""

    def parse(text: str) -> date:
        try:
            day = date.fromisoformat(text.strip())
        except ValueError as error:
            raise InvalidInputError(f"{what} {text!r}: use YYYY-MM-DD") from error
        _within_years(day, what, text)
        return day

    return parse


def iso_time(what: str) -> Callable[[str], datetime]:
    """A checker for an ISO 8601 time; one without an offset stays naive (see :func:`in_zone`)."""

    def parse(text: str) -> datetime:
        try:
            value = datetime.fromisoformat(text.strip())
        except ValueError as error:
            raise InvalidInputError(
                f"{what} {text!r}: use ISO 8601, e.g. 2026-11-23T14:30 or 2026-11-23T14:30-06:00"
            ) from error
        _within_years(value.date(), what, text)
        return value

    return parse


def in_zone(value: datetime, zone: ZoneInfo, what: str) -> datetime:
    """``value`` made aware: a time typed without an offset is read in ``zone``.

    zoneinfo accepts any wall time, so a time the clocks skip (spring forward) and
    one they show twice (fall back) are caught here and refused with the offsets
    that would say what was meant.
    """
    if value.tzinfo is not None:
        return value
    local = value.replace(tzinfo=zone)
    # A skipped time does not come back the same from a trip through UTC.
    moved = local.astimezone(UTC).astimezone(zone)
    if moved.replace(tzinfo=None) != value:
        raise InvalidInputError(
            f"{what} {value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it "
            f"(did you mean {moved.isoformat(timespec='minutes')}?)"
        )
    first, second = local.replace(fold=0), local.replace(fold=1)
    if first.utcoffset() != second.utcoffset():
        raise InvalidInputError(
            f"{what} {value:%Y-%m-%d %H:%M} happens twice in {zone.key}: add the offset, "
            f"{first.isoformat(timespec='minutes')} ({first:%Z}) or "
            f"{second.isoformat(timespec='minutes')} ({second:%Z})"
        )
    return local


def call_type_minutes(text: str) -> CallTypeRecord:
    """A checker for ``--call-type NAME=MINUTES``."""
    name, _, minutes = text.partition("=")
    if not name.strip() or not re.fullmatch(r"\s*[0-9]+\s*", minutes):
        raise InvalidInputError(f"call type {text!r}: use NAME=MINUTES, e.g. discovery=20")
    checked = whole_number(f"call type {name.strip()!r}: minutes", 1, CALL_MINUTES_MAX)(minutes)
    return CallTypeRecord(name.strip(), checked)


def column_choice(text: str) -> tuple[str, str | None]:
    """A checker for ``--map "COLUMN=FIELD"``; an empty field leaves the column out."""
    # The last "=": a CRM header may hold one, a field name never does.
    header, equals, field = text.rpartition("=")
    if not equals or not header.strip():
        raise InvalidInputError(
            f'--map {text!r}: use "COLUMN=FIELD", e.g. "Person - Name=name", or "COLUMN=" '
            "to leave a column out"
        )
    return header.strip(), field.strip() or None


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the command name.
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $CALLASSIST_DB, else your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="callassist",
        description="A call desk for B2B reps. With no command, opens the window.",
        parents=[database],
    )
    parser.add_argument("--version", action="version", version=f"callassist {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text, parents=[database])

    def output_format(
        sub: argparse.ArgumentParser, choices: Sequence[str] = ("text", "json")
    ) -> None:
        sub.add_argument("--format", choices=choices, default=choices[0], help="output format")

    command("demo", "load a realistic sample (a rep profile and prospects) into an empty database")

    profile = command("profile", "show the rep's profile, or set the fields given")
    profile.add_argument("--name")
    profile.add_argument("--company")
    profile.add_argument("--phone")
    profile.add_argument("--email")
    profile.add_argument("--timezone", metavar="TZ", help="an IANA zone, e.g. America/Chicago")
    profile.add_argument("--signature", help="email signature (use \\n for new lines)")
    profile.add_argument("--hours", metavar="HH:MM-HH:MM", help="business hours, e.g. 08:30-17:00")
    profile.add_argument(
        "--call-type",
        metavar="NAME=MINUTES",
        type=call_type_minutes,
        action="append",
        help="add a call type, or change its minutes; repeat for more (the others stay)",
    )
    profile.add_argument(
        "--remove-call-type",
        metavar="NAME",
        action="append",
        help="remove a call type; repeat for more",
    )
    output_format(profile)

    importing = command("import", "import prospects from a CRM's CSV export")
    importing.add_argument("file", type=Path, metavar="FILE.csv")
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would happen, change nothing"
    )
    importing.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows even if some are not"
    )
    importing.add_argument(
        "--update-existing",
        action="store_true",
        help="update prospects already known by email or phone",
    )
    importing.add_argument(
        "--map",
        metavar="COLUMN=FIELD",
        type=column_choice,
        action="append",
        help="the field a column fills (FIELD empty: leave it out); repeat for more; "
        "remembered for files with the same columns. Fields: " + ", ".join(IMPORT_FIELDS),
    )

    exporting = command("export", "write every prospect and their research to a CSV file")
    exporting.add_argument("file", type=Path, metavar="FILE.csv")

    listing = command("prospects", "list prospects, or those matching a search")
    listing.add_argument(
        "--search", metavar="TEXT", help="words from name, company, research or notes"
    )
    listing.add_argument(
        "--limit", type=whole_number("--limit", 1, ID_MAX), metavar="N", help="show at most N"
    )
    output_format(listing)

    lookup = command("lookup", "find a prospect by phone number (any format) or text")
    lookup.add_argument("query", metavar="PHONE_OR_TEXT")
    output_format(lookup)

    _add_prospect_commands(command, database, output_format)
    _add_pain_command(command, database, output_format)
    _add_outcome_command(command, output_format)

    log = command("log", "record an attempt and its outcome")
    id_argument(log, "prospect_id", "PROSPECT_ID")
    log.add_argument("--outcome", required=True, choices=[outcome.value for outcome in Outcome])
    log.add_argument(
        "--at",
        type=iso_time("--at"),
        metavar="ISO_TIME",
        help="when (default: now); without an offset, in your time zone",
    )
    log.add_argument("--note", default="", help="what happened")
    log.add_argument(
        "--script",
        metavar="SCRIPT",
        help="the script used; its text is saved with the attempt (default for a voicemail "
        "or email: the script of the prospect's cadence step); a voicemail takes a voicemail "
        "script, an email an email script",
    )
    log.add_argument(
        "--slot",
        type=iso_time("--slot"),
        metavar="ISO_TIME",
        help="with --outcome rescheduled (and only then): the time agreed; books it with an invite",
    )
    log.add_argument(
        "--call-type",
        metavar="NAME",
        help="with --slot: the call type booked (default: your first call type)",
    )

    book = command("book", "book a call with a prospect and write its calendar invite")
    id_argument(book, "prospect_id", "PROSPECT_ID")
    book.add_argument(
        "--at",
        type=iso_time("--at"),
        required=True,
        metavar="ISO_TIME",
        help="when the call starts; without an offset, in your time zone",
    )
    book.add_argument(
        "--minutes",
        type=whole_number("--minutes", 1, CALL_MINUTES_MAX),
        metavar="N",
        help="how long (default: what the call type needs)",
    )
    book.add_argument(
        "--call-type", metavar="NAME", help="the kind of call (default: your first call type)"
    )

    move = command("move-booking", "move a booked call; the invite updates the same event")
    id_argument(move, "booking_id", "BOOKING_ID")
    move.add_argument(
        "--at",
        type=iso_time("--at"),
        required=True,
        metavar="ISO_TIME",
        help="the new start; without an offset, in your time zone",
    )

    cancel = command("cancel-booking", "call a booked call off and write the cancellation")
    id_argument(cancel, "booking_id", "BOOKING_ID")

    render = command("render", "print a script rendered for a prospect")
    render.add_argument("script", metavar="SCRIPT")
    render.add_argument(
        "--prospect", type=whole_number("--prospect", 1, ID_MAX), required=True, metavar="ID"
    )
    render.add_argument("--call-type", metavar="NAME", help="call type for the minutes needed")
    render.add_argument(
        "--slot", type=iso_time("--slot"), metavar="ISO_TIME", help="proposed slot for a reschedule"
    )
    output_format(render, ("text", "html"))

    scripts = command("scripts", "list the scripts")
    output_format(scripts)

    cadences = command("cadences", "list the follow-up cadences and their steps")
    output_format(cadences)

    enroll = command("enroll", "put a prospect in a cadence, or pause, resume or remove it")
    id_argument(enroll, "prospect_id", "PROSPECT_ID")
    enroll.add_argument("cadence", nargs="?", metavar="CADENCE", help="see `callassist cadences`")
    change = enroll.add_mutually_exclusive_group()
    change.add_argument("--pause", action="store_true", help="pause the prospect's cadence")
    change.add_argument("--resume", action="store_true", help="resume a paused cadence")
    change.add_argument("--remove", action="store_true", help="take the prospect out of it")
    enroll.add_argument(
        "--force",
        action="store_true",
        help="enroll a prospect who said not interested or was a bad contact",
    )

    status = command("status", "set a prospect's status by hand (outcomes only move it forward)")
    id_argument(status, "prospect_id", "PROSPECT_ID")
    status.add_argument(
        "status",
        type=status_name,
        metavar="STATUS",
        help=", ".join(status.value for status in ProspectStatus),
    )

    queue = command("queue", "who to call or email today (or on --date), and with which script")
    queue.add_argument(
        "--date",
        type=iso_day("--date"),
        metavar="YYYY-MM-DD",
        help="another day, in your time zone",
    )
    output_format(queue)

    review = command("review", "the day's figures, what is left open, and tomorrow's list")
    review.add_argument(
        "--date",
        type=iso_day("--date"),
        metavar="YYYY-MM-DD",
        help="another day, in your time zone",
    )
    output_format(review, ("text", "json", "html", "csv"))
    review.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE instead of the screen"
    )

    command("trash", "list the deleted prospects that can still be brought back")

    undelete = command("undelete", "bring a deleted prospect back from the trash")
    id_argument(undelete, "prospect_id", "ID", "see `callassist trash`")

    command("backup", "copy the database into the backup folder")
    restore = command(
        "restore", "put a backup in place of the database (the current file is kept aside)"
    )
    restore.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup file or its name (default: the newest one that passes its check)",
    )
    command("check", "check the database's integrity")
    return parser


FIELD_OPTIONS: dict[str, tuple[str, str]] = {
    "first_name": ("TEXT", "first name"),
    "last_name": ("TEXT", "last name"),
    "title": ("TEXT", "job title (cadence steps may skip some titles)"),
    "company": ("TEXT", "company"),
    "website": ("URL", "the company's website"),
    "linkedin": ("URL", "the prospect's LinkedIn page"),
    "email": ("ADDRESS", "email address"),
    "phone": ("NUMBER", 'their direct line, any format; may carry an extension, "ext. 12"'),
    "phone_extension": ("DIGITS", "the direct line's extension, when not typed in --phone"),
    "mobile": ("NUMBER", "their mobile"),
    "mobile_extension": ("DIGITS", "the mobile's extension"),
    "office": ("NUMBER", "the company's number (a switchboard)"),
    "office_extension": ("DIGITS", "the office number's extension"),
    "dial": ("direct|mobile|office", "the number to dial (default: the first one they have)"),
    "timezone": ("TZ", "an IANA zone, e.g. America/Denver (default: from the number's area)"),
    "tags": ("TAG,TAG", "tags, separated by commas (replaces the tags they had)"),
    "notes": ("TEXT", "notes about the prospect"),
}
"""Metavar and help of ``prospect add|edit``'s option for each of ``EDITABLE_FIELDS``."""


def _add_prospect_commands(
    command: Callable[[str, str], argparse.ArgumentParser],
    database: argparse.ArgumentParser,
    output_format: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``prospect add|edit|delete|show``: one prospect's card, as the window edits it."""
    prospect = command("prospect", "add, change, delete or show one prospect")
    actions = prospect.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, text: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=text, description=text, parents=[database])

    def fields(sub: argparse.ArgumentParser) -> None:
        for name in EDITABLE_FIELDS:
            metavar, text = FIELD_OPTIONS[name]
            # Left out of the namespace unless given: an edit changes only what it names.
            sub.add_argument(
                "--" + name.replace("_", "-"),
                dest=name,
                metavar=metavar,
                default=argparse.SUPPRESS,
                help=text,
            )

    add = action("add", "add a prospect; give a first or last name and any other fields")
    fields(add)
    output_format(add)
    edit = action("edit", 'change the fields given; an empty one (--mobile "") is cleared')
    id_argument(edit, "prospect_id", "ID")
    fields(edit)
    output_format(edit)
    delete = action("delete", "move a prospect and their history to the trash")
    id_argument(delete, "prospect_id", "ID")
    show = action("show", "a prospect's numbers, research, history, pains and cadence")
    id_argument(show, "prospect_id", "ID")
    output_format(show)


def _add_pain_command(
    command: Callable[[str, str], argparse.ArgumentParser],
    database: argparse.ArgumentParser,
    output_format: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``pain add``: a pain noted after the call, as the window's pain pane notes it."""
    pain = command("pain", "note a pain a prospect mentioned")
    actions = pain.add_subparsers(dest="action", metavar="ACTION", required=True)
    text = "note a pain, in the prospect's words"
    add = actions.add_parser("add", help=text, description=text, parents=[database])
    id_argument(add, "prospect_id", "PROSPECT_ID")
    add.add_argument(
        "--kind",
        required=True,
        type=one_of("--kind", "a kind of pain", PainKind),
        metavar="|".join(kind.value for kind in PainKind),
        help="when it hurts: in the past, now, in the future, or to their peers",
    )
    add.add_argument("--words", required=True, help="what they said, in their words")
    add.add_argument("--asked", action="store_true", help="you asked them about it")
    add.add_argument("--acknowledged", action="store_true", help="you said it back and they agreed")
    add.add_argument(
        "--attempt",
        type=whole_number("--attempt", 1, ID_MAX),
        metavar="ATTEMPT_ID",
        help="the call it came up on (default: none; see `callassist prospect show`)",
    )
    output_format(add)


def _add_outcome_command(
    command: Callable[[str, str], argparse.ArgumentParser],
    output_format: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``outcome``: what the day's review does for a call left without one."""
    setting = command("outcome", "set the outcome of a call or email left without one")
    id_argument(
        setting, "attempt_id", "ATTEMPT_ID", "see `callassist review` or `callassist prospect show`"
    )
    setting.add_argument(
        "outcome",
        type=one_of("OUTCOME", "an outcome", Outcome),
        metavar="OUTCOME",
        help=", ".join(outcome.value for outcome in Outcome),
    )
    output_format(setting)


class Terminal:
    """Where a command writes: stdout for results, stderr for problems."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def json(self, value: object) -> None:
        self.out.write(json.dumps(value, indent=2, ensure_ascii=not self.unicode) + "\n")

    @property
    def unicode(self) -> bool:
        """Whether stdout takes any character; if not, JSON escapes them (\\u00e9)."""
        encoding = getattr(self.out, "encoding", None) or "utf-8"
        return codecs.lookup(encoding).name.startswith("utf")


WindowOpener = Callable[[str | None], int]
"""Opens the window on a database location and returns the exit status."""


def main(
    argv: Sequence[str] | None = None,
    *,
    clock: Clock = system_clock,
    out: TextIO | None = None,
    err: TextIO | None = None,
    open_window: WindowOpener | None = None,
) -> int:
    """Run the command line; return the exit status.

    ``open_window`` is given by the installed entry point (ui.launcher); the core
    cannot import the window itself.

    Ctrl-C ends with status 130 (the shells' convention), after one line saying
    that what was under way was undone (every action is one transaction).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if out is None or err is None:
        # Started with a standard stream closed (`callassist prospects >&-`): do nothing
        # rather than act and then fail to say so.
        if err is not None:
            print("callassist: standard output is closed; nothing was done", file=err)
        return EXIT_PROBLEM
    terminal = Terminal(_never_unencodable(out), _never_unencodable(err))
    try:
        args = build_parser().parse_args(argv)
    except KnownError as error:
        # A value the checkers of build_parser refused.
        terminal.warn(f"callassist: {error}")
        return EXIT_PROBLEM
    try:
        status = _run(args, terminal, clock, open_window)
        # Flushed here, so a reader that went away is met below, not at Python's exit.
        terminal.out.flush()
    except KeyboardInterrupt:
        terminal.warn("callassist: interrupted; what was under way was undone, nothing half-done")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`callassist prospects | head -1`). As the Python docs
        # advise: point stdout at nothing so the exit flush does not fail again.
        if terminal.out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PROBLEM
    return status


def _never_unencodable(stream: TextIO) -> TextIO:
    """``stream``, writing a character its encoding lacks as ``\\xe9`` rather than failing."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")
    return stream


def _run(
    args: argparse.Namespace, terminal: Terminal, clock: Clock, open_window: WindowOpener | None
) -> int:
    location: str | None = getattr(args, "db", None)
    if args.command is None:
        if open_window is None:
            terminal.warn(
                "callassist: this entry point has no window; run the installed `callassist`"
            )
            return EXIT_PROBLEM
        return open_window(location)
    try:
        if args.command == "restore":
            # The database may be too damaged to open: restore works on the file.
            return run_restore(location, args, terminal, clock)
        with CallDesk.open(location, clock=clock) as desk:
            try:
                if args.command in SAYS_STORED_VALUE_PROBLEMS:
                    for problem in desk.stored_value_problems():
                        terminal.warn(f"callassist: warning: {problem}")
                if args.command in SAYS_CADENCE_PROBLEMS:
                    # Their prospects are missing from the list: say why, as the window does.
                    for broken in desk.cadences()[1]:
                        terminal.warn(
                            f"callassist: warning: {broken}; "
                            "the prospects in it are left out until it is fixed"
                        )
                return COMMANDS[args.command](desk, args, terminal)
            except (DatabaseError, sqlite3.DatabaseError) as error:
                # A file that opened but is damaged further in: a read fails mid-way.
                # SQLAlchemy wraps the driver's error; a few driver calls raise it bare.
                cause = error.orig if isinstance(error, DatabaseError) else error
                if not is_damage(cause):
                    raise
                raise KnownError(
                    damaged_message(desk.describe(), cause, desk.backup_folder, doing="read")
                ) from error
    except KnownError as error:
        terminal.warn(f"callassist: {error}")
        return EXIT_PROBLEM


def run_demo(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    summary = desk.load_demo()
    terminal.say(f"Loaded the demo into {desk.describe()}: {summary}")
    return EXIT_OK


def run_profile(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    changes = {
        "name": args.name,
        "company": args.company,
        "phone": args.phone,
        "email": args.email,
        "timezone": args.timezone,
        "signature": args.signature.replace("\\n", "\n") if args.signature is not None else None,
    }
    hours = _parse_hours(args.hours) if args.hours else None
    call_types: list[CallTypeRecord] | None = None
    notes: list[str] = []
    if args.call_type or args.remove_call_type:
        call_types, notes = _changed_call_types(
            desk.profile().call_types,
            args.call_type or (),
            args.remove_call_type or (),
        )
    if any(value is not None for value in changes.values()) or hours or call_types:
        profile = desk.update_profile(**changes, business_hours=hours, call_types=call_types)
    else:
        profile = desk.profile()
    if args.format == "json":
        terminal.json(_profile_json(profile))
    else:
        for note in notes:
            terminal.say(note)
        if notes:
            terminal.say()
        _print_profile(profile, terminal)
    return EXIT_OK


def _changed_call_types(
    current: Sequence[CallTypeRecord], added: Sequence[CallTypeRecord], removed: Sequence[str]
) -> tuple[list[CallTypeRecord], list[str]]:
    """The call types after adding, changing and removing some; what changed, in words."""
    result = {ct.name: ct for ct in current}
    notes: list[str] = []
    both = {ct.name.lower() for ct in added} & {name.strip().lower() for name in removed}
    if both:
        raise InvalidInputError(
            f"--call-type and --remove-call-type both name {', '.join(sorted(both))}"
        )
    for name in removed:
        key = name.strip().lower()
        if key not in result:
            raise InvalidInputError(
                f"no call type {name!r} to remove; the call types are {call_type_list(current)}"
            )
        del result[key]
        notes.append(f"Removed call type {key}.")
    for call_type in added:
        key = call_type.name.lower()
        before = result.get(key)
        if before is None:
            notes.append(f"Added call type {key} ({call_type.minutes} min).")
        elif before.minutes != call_type.minutes:
            notes.append(
                f"Call type {key} now needs {call_type.minutes} min (was {before.minutes})."
            )
        result[key] = CallTypeRecord(key, call_type.minutes)
    return list(result.values()), notes


def _call_type_name(desk: CallDesk, typed: str) -> str:
    """The stored name of the call type the rep typed (any case); an error lists them all."""
    try:
        return desk.profile().call_type(typed).name
    except InvalidInputError as error:
        # The core's words, and the command that adds one.
        raise InvalidInputError(
            f"{error} (add one with callassist profile --call-type NAME=MINUTES)"
        ) from None


def _chosen_call_type(desk: CallDesk, typed: str | None) -> str:
    """The call type named on the command line, else the rep's first one."""
    if typed is not None:
        return _call_type_name(desk, typed)
    known = desk.profile().call_types
    if not known:
        raise InvalidInputError(
            "you have no call types to book; add one with callassist profile --call-type "
            "NAME=MINUTES"
        )
    return known[0].name


def _profile_json(profile: ProfileRecord) -> dict[str, object]:
    return {
        "name": profile.name,
        "company": profile.company,
        "phone": profile.phone,
        "email": profile.email,
        "signature": profile.signature,
        "timezone": profile.timezone,
        "business_hours": [
            profile.business_start.strftime("%H:%M"),
            profile.business_end.strftime("%H:%M"),
        ],
        "call_types": [{"name": ct.name, "minutes": ct.minutes} for ct in profile.call_types],
    }


def _print_profile(profile: ProfileRecord, terminal: Terminal) -> None:
    unset = "(not set)"
    zone = profile.timezone + ("" if profile.timezone_is_set else " (the computer's)")
    rows = [
        ("Name", profile.name or unset),
        ("Company", profile.company or unset),
        ("Phone", profile.phone_display or unset),
        ("Email", profile.email or unset),
        ("Time zone", zone),
        ("Business hours", f"{profile.business_start:%H:%M}-{profile.business_end:%H:%M}"),
        ("Call types", ", ".join(f"{ct.name} {ct.minutes} min" for ct in profile.call_types)),
        ("Signature", profile.signature.replace("\n", " / ") or unset),
    ]
    for label, value in rows:
        terminal.say(f"{label + ':':<16}{value}")
    if not profile.is_complete:
        terminal.say(
            "\nScripts need your name, company, phone and email: set them with "
            "callassist profile --name ... --company ... --phone ... --email ..."
        )


def _parse_hours(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise InvalidInputError(
            f"business hours {text!r}: use HH:MM-HH:MM, e.g. 09:00-17:00"
        ) from error
    return start, end


def run_import(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    try:
        report = desk.import_csv(
            args.file,
            dry_run=args.dry_run,
            skip_invalid=args.skip_invalid,
            update_existing=args.update_existing,
            columns=dict(args.map) if args.map else None,
        )
    except ImportRejected as rejected:
        _say_how_read(args.file, rejected.report, terminal)
        invalid = rejected.report.invalid
        rows = counted(len(invalid), "invalid row")
        them = "it" if len(invalid) == 1 else "them"
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
    for note in report.invalid:
        terminal.say(f"row {note.row}: {invalid_word}, {note.message}")
    if report.ignored_columns:
        terminal.say(f"Ignored columns: {', '.join(report.ignored_columns)}")


def run_export(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    count = desk.export_csv(args.file)
    terminal.say(f"Wrote {count} prospects to {args.file}")
    return EXIT_OK


def _print_prospects(
    records: Sequence[ProspectRecord], args: argparse.Namespace, terminal: Terminal
) -> int:
    if args.format == "json":
        terminal.json([prospect_json(record) for record in records])
        return EXIT_OK
    if not records:
        terminal.say("No prospects found.")
        return EXIT_OK
    rows = [
        (
            str(r.id),
            r.full_name,
            r.company,
            r.title,
            r.phone_display,
            r.email or "",
            r.timezone or "",
            r.status.value,
        )
        for r in records
    ]
    headers = ("ID", "Name", "Company", "Title", "Phone", "Email", "Time zone", "Status")
    _print_table(headers, rows, terminal)
    return EXIT_OK


def _print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], terminal: Terminal) -> None:
    """Columns as wide as their longest cell (at most 32 characters, the rest cut with …)."""
    table = io.StringIO()
    widths = [min(max(len(row[i]) for row in [headers, *rows]), 32) for i in range(len(headers))]
    for row in [headers, *rows]:
        cells = [
            cell if len(cell) <= width else cell[: width - 1] + "…"
            for cell, width in zip(row, widths, strict=True)
        ]
        table.write(
            "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
            + "\n"
        )
    terminal.out.write(table.getvalue())


def run_prospects(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    return _print_prospects(desk.prospects(args.search, args.limit), args, terminal)


def run_lookup(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    return _print_prospects(desk.lookup(args.query), args, terminal)


def run_log(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    outcome = Outcome(args.outcome)
    rescheduled = outcome is Outcome.RESCHEDULED
    if rescheduled and args.slot is None:
        raise InvalidInputError(
            "--outcome rescheduled needs --slot ISO_TIME, the time agreed for the call"
        )
    if not rescheduled and (args.slot is not None or args.call_type is not None):
        raise InvalidInputError("--slot and --call-type go with --outcome rescheduled only")
    zone = ZoneInfo(desk.profile().timezone)
    at = in_zone(args.at, zone, "--at") if args.at else None
    script = args.script or desk.step_message_script(args.prospect_id, outcome)
    rendered_text = None
    if script:
        rendered_text = desk.render_script(script, args.prospect_id).text
    booking = None
    if rescheduled:
        call_type = _chosen_call_type(desk, args.call_type)
        attempt, booking = desk.log_rescheduled(
            args.prospect_id,
            slot=in_zone(args.slot, zone, "--slot"),
            call_type=call_type,
            at=at,
            notes=args.note,
            script_name=script,
            rendered_text=rendered_text,
        )
    else:
        attempt = desk.log_attempt(
            args.prospect_id,
            outcome,
            at=at,
            notes=args.note,
            script_name=script,
            rendered_text=rendered_text,
        )
    detail = desk.prospect_detail(args.prospect_id)
    prospect = detail.prospect
    # Which call (or email) to this prospect it is, in time order: an attempt
    # logged for earlier today counts before the ones that came after it.
    number = sum(
        1
        for earlier in detail.attempts
        if earlier.channel is attempt.channel
        and (earlier.at, earlier.id) <= (attempt.at, attempt.id)
    )
    local = attempt.at.astimezone(zone)
    channel = attempt.channel.value
    towards = "to" if attempt.channel is Channel.EMAIL else "with"
    terminal.say(
        f"Logged {channel} {number} {towards} #{prospect.id} {prospect.full_name}: "
        f"{OUTCOME_WORDS[outcome].lower()}, {local:%Y-%m-%d %H:%M %Z} (attempt id {attempt.id})"
        + (f", with the words of the cadence step's {script}." if script != args.script else ".")
    )
    if booking is not None:
        due = booking.follow_up.due_at.astimezone(zone)
        terminal.say(
            f"Booked {booking.follow_up.minutes} min for {due:%Y-%m-%d %H:%M %Z}; "
            f"the invite is {booking.invite}"
        )
    now = desk.clock()
    if attempt.at > now:
        terminal.warn(
            f"callassist: warning: --at {local:%Y-%m-%d %H:%M %Z} is in the future "
            f"(it is {now.astimezone(zone):%Y-%m-%d %H:%M %Z} now); logged as given"
        )
    return EXIT_OK


def run_book(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.reschedule(
        args.prospect_id,
        slot=in_zone(args.at, ZoneInfo(desk.profile().timezone), "--at"),
        call_type=_chosen_call_type(desk, args.call_type),
        minutes=args.minutes,
    )
    _say_booking(desk, booking, "Booked", terminal)
    return EXIT_OK


def run_move_booking(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.move_booking(
        args.booking_id, slot=in_zone(args.at, ZoneInfo(desk.profile().timezone), "--at")
    )
    _say_booking(desk, booking, "Moved", terminal)
    return EXIT_OK


def run_cancel_booking(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.cancel_booking(args.booking_id)
    _say_booking(desk, booking, "Cancelled", terminal)
    return EXIT_OK


def _say_booking(desk: CallDesk, booking: Rescheduled, done: str, terminal: Terminal) -> None:
    """What happened to the booking, on the rep's clock; then the invite's path on a line
    of its own, for a script to pick up (`callassist book ... | tail -1`)."""
    follow_up = booking.follow_up
    prospect = desk.prospect_detail(follow_up.prospect_id).prospect
    due = follow_up.due_at.astimezone(ZoneInfo(desk.profile().timezone))
    call = f"{follow_up.call_type} call" if follow_up.call_type else "call"
    terminal.say(
        f"{done} {call} #{follow_up.id} with #{prospect.id} {prospect.full_name}: "
        f"{due:%Y-%m-%d %H:%M %Z}, {follow_up.minutes} min. The calendar invite:"
    )
    terminal.say(str(booking.invite))


def run_render(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    slot = in_zone(args.slot, ZoneInfo(desk.profile().timezone), "--slot") if args.slot else None
    call_type = _call_type_name(desk, args.call_type) if args.call_type is not None else None
    rendered = desk.render_script(args.script, args.prospect, call_type=call_type, slot=slot)
    if args.format == "html":
        if rendered.html is None:
            raise InvalidInputError(f"{args.script} has no HTML version (only emails do)")
        terminal.say(rendered.html)
    else:
        if rendered.subject is not None:
            terminal.say(f"Subject: {rendered.subject}\n")
        terminal.say(rendered.text)
    if rendered.speaking_seconds is not None:
        terminal.warn(
            f"(about {rendered.speaking_seconds} seconds to say, {rendered.word_count} words)"
        )
    if rendered.missing_fields:
        terminal.warn(f"(missing: {', '.join(rendered.missing_fields)})")
    return EXIT_OK


def run_scripts(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    scripts = desk.list_scripts()
    for problem in desk.scripts.problems():
        terminal.warn(f"callassist: {problem}")
    if args.format == "json":
        terminal.json([{"name": s.name, "title": s.title, "channel": s.channel} for s in scripts])
        return EXIT_OK
    width = max((len(s.name) for s in scripts), default=4)
    for script in scripts:
        mine = " (yours)" if script.origin == "user" else ""
        terminal.say(f"{script.name:<{width}}  {script.channel:<9}  {script.title}{mine}")
        terminal.say(f"{'':<{width}}  {'':<9}  {script.used_when}")
    return EXIT_OK


def run_cadences(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    cadences, problems = desk.cadences()
    for problem in problems:
        terminal.warn(f"callassist: {problem}")
    if args.format == "json":
        terminal.json([cadence_json(cadence) for cadence in cadences])
        return EXIT_OK
    for cadence in cadences:
        mine = " (yours)" if cadence.origin == "user" else ""
        terminal.say(f"{cadence.name}: {cadence.title}{mine}")
        for step in cadence.steps:
            terminal.say(f"  {step.number:>2}. {describe_step(step)}")
    return EXIT_OK


def cadence_json(cadence: Cadence) -> dict[str, object]:
    """The stable JSON shape of a cadence (``callassist cadences --format json``)."""
    return {
        "name": cadence.name,
        "title": cadence.title,
        "steps": [
            {
                "action": step.action.value,
                "wait": str(step.wait),
                "leave_message": step.leave_message,
                "script": step.script,
                "skip_if_title": list(step.skip_if_title),
            }
            for step in cadence.steps
        ],
    }


def describe_step(step: Step) -> str:
    wait = "at once" if str(step.wait) == "none" else f"after {step.wait}"
    if step.action is StepAction.MOVE_ON:
        return f"{wait}: move on" + (f" ({step.prompt})" if step.prompt else "")
    if step.action is StepAction.EMAIL:
        message = f"send {step.script}"
    else:
        message = f"leave {step.script}" if step.leave_message else "no message"
    skip = f"; skipped for {', '.join(step.skip_if_title)}" if step.skip_if_title else ""
    return f"{wait}: {step.action.value}, {message}{skip}"


def run_status(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    before = desk.prospect(args.prospect_id)
    record = desk.set_status(args.prospect_id, args.status)
    who = f"#{record.id} {record.full_name}"
    now = record.status.value.replace("_", " ")
    if before.status is record.status:
        terminal.say(f"{who} is already {now}.")
    else:
        was = before.status.value.replace("_", " ")
        terminal.say(f"{who} is now {now} (was {was}).")
    return EXIT_OK


def run_enroll(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    prospect = desk.prospect(args.prospect_id)
    if args.remove:
        desk.remove_from_cadence(args.prospect_id)
        terminal.say(f"#{prospect.id} {prospect.full_name} is in no cadence now.")
        return EXIT_OK
    record: EnrollmentRecord | None
    if args.pause or args.resume:
        if args.cadence:
            raise InvalidInputError("--pause and --resume take no cadence name")
        change = desk.pause_cadence if args.pause else desk.resume_cadence
        record = change(args.prospect_id)
    elif args.cadence:
        warning = ENROLL_WARNING.get(prospect.status)
        if warning is not None and not args.force:
            raise InvalidInputError(
                f"#{prospect.id} {prospect.full_name} {warning}; add --force to enroll them anyway"
            )
        before = desk.enrollment(args.prospect_id)
        record = desk.enroll(args.prospect_id, args.cadence, confirmed=args.force)
        # As the window does: a switch or a restart is said, never done silently.
        if before is not None and before.state == "active":
            if before.cadence == record.cadence:
                terminal.say(
                    f"Restarted {before.cadence_title} from step 1 (was at step {before.step})."
                )
            else:
                terminal.say(
                    f"Switched from {before.cadence_title} (was at step {before.step}) "
                    f"to {record.cadence_title}."
                )
    else:
        record = desk.enrollment(args.prospect_id)
    if record is None:
        terminal.say(f"#{prospect.id} {prospect.full_name} is in no cadence.")
        return EXIT_OK
    terminal.say(f"#{prospect.id} {prospect.full_name}: {enrollment_text(record, desk)}")
    return EXIT_OK


def enrollment_text(record: EnrollmentRecord, desk: CallDesk) -> str:
    head = f"{record.cadence_title}"
    if record.paused:
        return f"{head}, paused"
    if record.state != "active":
        return f"{head}, ended ({record.state.replace('_', ' ')})"
    assert record.next_due_at is not None
    local = record.next_due_at.astimezone(ZoneInfo(desk.profile().timezone))
    what = record.next_action.replace("_", " ") if record.next_action else ""
    script = f" with {record.next_script}" if record.next_script else ""
    due = f"{local:%a %Y-%m-%d %H:%M %Z}"
    return f"{head}, step {record.step} of {record.steps}: {what}{script}, due {due}"


def queue_json(item: QueueItem, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a queue line (also the review's ``tomorrow``)."""
    return {
        "prospect_id": item.prospect_id,
        "name": item.name,
        "company": item.company,
        "due_at": item.due_at.astimezone(rep_zone).isoformat(),
        "local_time": item.local_time.isoformat() if item.their_zone_known else None,
        "action": item.action,
        "leave_message": item.leave_message,
        "script": item.script,
        "cadence": item.cadence,
        "step": item.step,
        "attempt": item.attempt,
        "within_your_hours": item.within_your_hours,
    }


def run_queue(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    day: date = args.date or desk.rep_today()
    desk.settle_cadences()  # cadences that ran their course since the last look end first
    items = desk.queue(day)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json([queue_json(item, rep_zone) for item in items])
        return EXIT_OK
    if not items:
        terminal.say("Nobody is due.")
        return EXIT_OK
    terminal.say(f"Queue for {day:%A, %Y-%m-%d} (times yours, then theirs):")
    for item in items:
        message = "leave a message" if item.leave_message else "no message"
        if item.action in ("move_on", "meeting"):
            message = item.prompt
        script = f", {item.script}" if item.script else ""
        what = item.action.replace("_", " ") + script + (f"; {message}" if message else "")
        mark = "due" if item.overdue else "later"
        outside = "" if item.within_your_hours else " (outside your hours)"
        terminal.say(
            f"{mark:<5}  {due_text(item, rep_zone, day, desk.clock())}{outside}  "
            f"#{item.prospect_id} {item.name}, {item.company}: {what}"
        )
    return EXIT_OK


def review_json(review: DayReview, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of ``callassist review --format json``."""
    return {
        "date": review.day.isoformat(),
        "dials": review.dials,
        "connects": review.connects,
        "voicemails": review.voicemails,
        "emails": review.emails,
        "reschedules": review.reschedules,
        "time_checks_asked": review.time_checks_asked,
        "overran": review.overran,
        "moved_on": review.moved_on,
        "missing_outcomes": [
            {
                "attempt_id": missing.attempt_id,
                "prospect_id": missing.prospect_id,
                "name": missing.name,
                "at": missing.at.astimezone(rep_zone).isoformat(),
            }
            for missing in review.missing_outcomes
        ],
        "pains": {
            "total": review.pains.total,
            "asked": review.pains.asked,
            "acknowledged": review.pains.acknowledged,
            "by_kind": dict(review.pains.by_kind),
        },
        "tomorrow": [queue_json(item, rep_zone) for item in review.tomorrow],
    }


def review_text(review: DayReview, rep_zone: ZoneInfo, now: datetime) -> str:
    rate = f" ({review.connect_rate:.0%})" if review.connect_rate is not None else ""
    pains = review.pains
    kinds = ", ".join(f"{kind} {count}" for kind, count in pains.by_kind.items())
    lines = [
        f"Day review for {review.day:%A, %Y-%m-%d}",
        f"Dials {review.dials}, connects {review.connects}{rate}",
        f"Voicemails {review.voicemails}, emails {review.emails}, reschedules {review.reschedules}",
        f"Time check asked on {review.time_checks_asked} of {review.connects} connects; "
        f"{review.overran} ran past the time they had",
        f"Pains {pains.total} ({kinds}): "
        f"{pains.asked} asked about, {pains.acknowledged} acknowledged",
        f"Moved on {review.moved_on}",
    ]
    if review.missing_outcomes:
        lines.append("No outcome logged:")
        lines += [
            f"  {m.at.astimezone(rep_zone):%H:%M}  #{m.prospect_id} {m.name} "
            f"(attempt id {m.attempt_id})"
            for m in review.missing_outcomes
        ]
        lines.append("  (give each its outcome with `callassist outcome ATTEMPT_ID OUTCOME`)")
    lines.append("Tomorrow:" if review.tomorrow else "Tomorrow: nobody is due.")
    next_day = review.day + timedelta(days=1)
    for item in review.tomorrow:
        script = f", {item.script}" if item.script else ""
        lines.append(
            f"  {due_text(item, rep_zone, next_day, now)}  "
            f"#{item.prospect_id} {item.name}: {item.action.replace('_', ' ')}{script}"
        )
    return "\n".join(lines) + "\n"


def review_csv(review: DayReview, rep_zone: ZoneInfo) -> str:
    """One figure per row; the open attempts and tomorrow's list follow as rows of their own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "value"])
    data = review_json(review, rep_zone)
    for key in ("dials", "connects", "voicemails", "emails", "reschedules",
                "time_checks_asked", "overran", "moved_on"):  # fmt: skip
        writer.writerow(["figures", key, data[key]])
    for key in ("total", "asked", "acknowledged"):
        writer.writerow(["pains", key, getattr(review.pains, key)])
    for kind, count in review.pains.by_kind.items():
        writer.writerow(["pains_by_kind", kind, count])
    for missing in review.missing_outcomes:
        writer.writerow(["missing_outcome", f"#{missing.prospect_id} {missing.name}",
                         missing.at.astimezone(rep_zone).isoformat()])  # fmt: skip
    for item in review.tomorrow:
        writer.writerow(["tomorrow", f"#{item.prospect_id} {item.name}",
                         f"{item.due_at.astimezone(rep_zone).isoformat()} {item.action}"
                         + (f" {item.script}" if item.script else "")])  # fmt: skip
    return buffer.getvalue()


def run_review(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    day: date | None = args.date
    desk.settle_cadences()  # cadences that ran their course since the last look end first
    review = desk.review(day)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        as_json = review_json(review, rep_zone)
        text = json.dumps(as_json, indent=2, ensure_ascii=not terminal.unicode) + "\n"
    elif args.format == "html":
        text = desk.review_html(review)
    elif args.format == "csv":
        text = review_csv(review, rep_zone)
    else:
        text = review_text(review, rep_zone, desk.clock())
    if args.output is None:
        terminal.out.write(text)
        return EXIT_OK
    try:
        paths.write_private(args.output, text.encode("utf-8"))
    except OSError as error:
        raise KnownError(f"cannot write {args.output}: {error.strerror or error}") from error
    terminal.say(f"Wrote the review of {review.day.isoformat()} to {args.output}")
    return EXIT_OK


def run_trash(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    trashed = desk.trash()
    if not trashed:
        terminal.say("The trash is empty.")
        return EXIT_OK
    zone = ZoneInfo(desk.profile().timezone)
    now = desk.clock()
    rows = [
        (
            str(item.prospect_id),
            item.name,
            item.company,
            f"{item.deleted_at.astimezone(zone):%Y-%m-%d %H:%M}",
            # Rounded up: on its last day an item still has "1 day", never "0 days".
            counted(math.ceil((item.kept_until - now) / timedelta(days=1)), "day"),
        )
        for item in trashed
    ]
    _print_table(("ID", "Name", "Company", "Deleted", "Purged in"), rows, terminal)
    terminal.say("Bring one back with `callassist undelete ID`.")
    return EXIT_OK


def run_undelete(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    record = desk.restore_prospect(args.prospect_id)
    company = f" ({record.company})" if record.company else ""
    terminal.say(f"#{record.id} {record.full_name}{company} is back, with their history.")
    return EXIT_OK


def _typed_fields(args: argparse.Namespace) -> dict[str, str]:
    """The prospect fields given on the command line, as typed ("" to clear one)."""
    return {name: getattr(args, name) for name in EDITABLE_FIELDS if hasattr(args, name)}


def _named(record: ProspectRecord) -> str:
    company = f" ({record.company})" if record.company else ""
    return f"#{record.id} {record.full_name}{company}"


def run_prospect_add(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    record = desk.add_prospect(**_typed_fields(args))
    if args.format == "json":
        terminal.json(prospect_json(record))
    else:
        terminal.say(f"Added {_named(record)}.")
    return EXIT_OK


def run_prospect_edit(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    typed = _typed_fields(args)
    if not typed:
        raise InvalidInputError(
            'nothing to change: give the fields to set, e.g. --title TEXT, or --mobile "" '
            "to clear one (see callassist prospect edit --help)"
        )
    record = desk.update_prospect(args.prospect_id, **typed)
    if args.format == "json":
        terminal.json(prospect_json(record))
        return EXIT_OK
    words = {name: name.replace("_", " ") for name in typed}
    cleared = [words[name] for name, value in typed.items() if not value.strip()]
    changed = [words[name] for name, value in typed.items() if value.strip()]
    said = [f"set {', '.join(changed)}"] if changed else []
    said += [f"cleared {', '.join(cleared)}"] if cleared else []
    terminal.say(f"Saved {_named(record)}: {'; '.join(said)}.")
    return EXIT_OK


def run_prospect_delete(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    trashed = desk.delete_prospect(args.prospect_id)
    kept_until = trashed.kept_until.astimezone(ZoneInfo(desk.profile().timezone))
    company = f" ({trashed.company})" if trashed.company else ""
    terminal.say(
        f"Moved #{trashed.prospect_id} {trashed.name}{company} to the trash with their history; "
        f"`callassist undelete {trashed.prospect_id}` brings them back until {kept_until:%Y-%m-%d}."
    )
    return EXIT_OK


def attempt_json(attempt: AttemptRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of an attempt (``prospect show`` and ``outcome``)."""
    return {
        "attempt_id": attempt.id,
        "prospect_id": attempt.prospect_id,
        "at": attempt.at.astimezone(rep_zone).isoformat(),
        "channel": attempt.channel.value,
        "outcome": attempt.outcome.value if attempt.outcome else None,
        "script": attempt.script_name,
        "notes": attempt.notes,
    }


def pain_json(pain: PainRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a pain (``prospect show`` and ``pain add``)."""
    return {
        "pain_id": pain.id,
        "prospect_id": pain.prospect_id,
        "attempt_id": pain.attempt_id,
        "kind": pain.kind.value,
        "words": pain.words,
        "asked": pain.asked,
        "acknowledged": pain.acknowledged,
        "can_help": pain.can_help,
        "noted_at": pain.noted_at.astimezone(rep_zone).isoformat(),
    }


def enrollment_json(record: EnrollmentRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a prospect's place in a cadence."""
    return {
        "cadence": record.cadence,
        "title": record.cadence_title,
        "state": record.state,
        "paused": record.paused,
        "step": record.step,
        "steps": record.steps,
        "next_action": record.next_action,
        "next_script": record.next_script,
        "next_due_at": (
            record.next_due_at.astimezone(rep_zone).isoformat() if record.next_due_at else None
        ),
    }


def card_json(
    detail: ProspectDetail, enrollment: EnrollmentRecord | None, rep_zone: ZoneInfo
) -> dict[str, object]:
    """The stable JSON shape of ``prospect show``: the list's fields, then the card's."""
    record, research = detail.prospect, detail.research
    return prospect_json(record) | {
        "website": record.website,
        "linkedin": record.linkedin,
        "tags": list(record.tags),
        "notes": record.notes,
        "research": {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
            "source_links": list(research.source_links),
        },
        "history": [attempt_json(attempt, rep_zone) for attempt in detail.attempts],
        "pains": [pain_json(pain, rep_zone) for pain in detail.pains],
        "follow_ups": [
            {
                "follow_up_id": follow_up.id,
                "due_at": follow_up.due_at.astimezone(rep_zone).isoformat(),
                "minutes": follow_up.minutes,
                "kind": follow_up.kind.value,
                "call_type": follow_up.call_type,
                "reason": follow_up.reason,
            }
            for follow_up in detail.follow_ups
        ],
        "cadence": enrollment_json(enrollment, rep_zone) if enrollment else None,
    }


def run_prospect_show(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    detail = desk.prospect_detail(args.prospect_id)
    enrollment = desk.enrollment(args.prospect_id)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json(card_json(detail, enrollment, rep_zone))
        return EXIT_OK
    record, research = detail.prospect, detail.research
    dialled = record.dialled
    numbers = [
        (line.kind.value.capitalize(), line.written + ("  (to dial)" if line == dialled else ""))
        for line in record.phones
    ]
    fields = [
        ("Title", record.title),
        ("Company", record.company),
        *numbers,
        ("Email", record.email or ""),
        ("Website", record.website),
        ("LinkedIn", record.linkedin),
        ("Time zone", record.timezone or ""),
        ("Status", record.status.value.replace("_", " ")),
        ("Tags", ", ".join(record.tags)),
        ("Notes", record.notes.replace("\n", " / ")),
    ]
    terminal.say(f"#{record.id} {record.full_name}")
    for label, value in fields:
        if value:
            terminal.say(f"{label + ':':<11}{value}")
    found = [
        ("Company", research.company_summary),
        ("Person", research.person_profile),
        ("Angle", research.angle),
        ("Sources", " ".join(research.source_links)),
    ]
    if any(value for _label, value in found):
        terminal.say("Research:")
        for label, value in found:
            if value:
                terminal.say(f"  {label + ':':<9}{value}")
    terminal.say("History (latest first, your time):" if detail.attempts else "History: none")
    for attempt in detail.attempts:
        terminal.say(f"  {_attempt_line(attempt, rep_zone)}")
    terminal.say("Pains:" if detail.pains else "Pains: none noted")
    for pain in detail.pains:
        terminal.say(f"  {_pain_line(pain)}")
    for follow_up in detail.follow_ups:
        due = follow_up.due_at.astimezone(rep_zone)
        # Named as `callassist book` names it, so its id is the one move-booking takes.
        what = f"{follow_up.call_type} call" if follow_up.call_type else follow_up.kind.value
        reason = f": {follow_up.reason}" if follow_up.reason else ""
        terminal.say(
            f"Booked:    {what} #{follow_up.id}, {due:%a %Y-%m-%d %H:%M %Z}, "
            f"{follow_up.minutes} min{reason}"
        )
    cadence = enrollment_text(enrollment, desk) if enrollment else "in none"
    terminal.say(f"Cadence:   {cadence}")
    return EXIT_OK


def _attempt_line(attempt: AttemptRecord, rep_zone: ZoneInfo) -> str:
    outcome = (
        OUTCOME_WORDS[attempt.outcome].lower()
        if attempt.outcome
        else f"no outcome yet (set it with `callassist outcome {attempt.id} OUTCOME`)"
    )
    notes = f": {attempt.notes}" if attempt.notes else ""
    return (
        f"{attempt.at.astimezone(rep_zone):%Y-%m-%d %H:%M %Z}  {attempt.channel.value}  "
        f"{outcome}{notes}  (attempt id {attempt.id})"
    )


def _pain_line(pain: PainRecord) -> str:
    marks = [
        mark
        for mark, is_set in (("asked", pain.asked), ("acknowledged", pain.acknowledged))
        if is_set
    ]
    return f'{pain.kind.value}: "{pain.words}"' + (f" ({', '.join(marks)})" if marks else "")


PROSPECT_ACTIONS: dict[str, Callable[[CallDesk, argparse.Namespace, Terminal], int]] = {
    "add": run_prospect_add,
    "edit": run_prospect_edit,
    "delete": run_prospect_delete,
    "show": run_prospect_show,
}


def run_prospect(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    return PROSPECT_ACTIONS[args.action](desk, args, terminal)


def run_pain(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    # "add" is the only action so far: argparse refuses any other.
    if not args.words.strip():
        raise InvalidInputError("--words is empty: give what the prospect said")
    pain = desk.add_pain(
        args.prospect_id,
        args.kind,
        args.words,
        attempt_id=args.attempt,
        asked=args.asked,
        acknowledged=args.acknowledged,
    )
    if args.format == "json":
        terminal.json(pain_json(pain, ZoneInfo(desk.profile().timezone)))
        return EXIT_OK
    prospect = desk.prospect(args.prospect_id)
    terminal.say(f"Noted for {_named(prospect)}: {_pain_line(pain)} (pain id {pain.id}).")
    return EXIT_OK


def run_outcome(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    # Logged late, as from the review: the call keeps no end time rather than
    # one that makes it last until now, and an outcome already there is refused.
    attempt = desk.finish_attempt(args.attempt_id, args.outcome, logged_late=True)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json(attempt_json(attempt, rep_zone))
        return EXIT_OK
    prospect = desk.prospect(attempt.prospect_id)
    terminal.say(
        f"Logged {OUTCOME_WORDS[args.outcome].lower()} for the {attempt.channel.value} "
        f"with {_named(prospect)} of {attempt.at.astimezone(rep_zone):%Y-%m-%d %H:%M %Z} "
        f"(attempt id {attempt.id})."
    )
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


SAYS_STORED_VALUE_PROBLEMS = frozenset({"profile", "log", "enroll", "queue", "review"})
"""Commands whose times or lists a stored value that is not usable changes (a bad time zone)."""
SAYS_CADENCE_PROBLEMS = frozenset({"queue", "review"})
"""Commands whose lists leave out the prospects of a broken cadence file."""

COMMANDS: dict[str, Callable[[CallDesk, argparse.Namespace, Terminal], int]] = {
    "demo": run_demo,
    "profile": run_profile,
    "import": run_import,
    "export": run_export,
    "prospects": run_prospects,
    "lookup": run_lookup,
    "log": run_log,
    "book": run_book,
    "move-booking": run_move_booking,
    "cancel-booking": run_cancel_booking,
    "render": run_render,
    "scripts": run_scripts,
    "cadences": run_cadences,
    "enroll": run_enroll,
    "status": run_status,
    "queue": run_queue,
    "review": run_review,
    "trash": run_trash,
    "undelete": run_undelete,
    "prospect": run_prospect,
    "pain": run_pain,
    "outcome": run_outcome,
    "backup": run_backup,
    "check": run_check,
}
