"""The command line's grammar: its commands, their options and their help.

A command gets its options only once it is chosen: some options' help lists the
core's fields, which takes importing the database layer, so ``callassist --help``
and ``--version`` never build them and answer at once.
"""

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callassist import __version__
from callassist.cli.arguments import (
    CALL_MINUTES_MAX,
    ID_MAX,
    call_type_minutes,
    column_choice,
    id_argument,
    iso_day,
    iso_time,
    one_of,
    status_name,
    whole_number,
)
from callassist.vocabulary import Outcome, PainKind, ProspectStatus

AddOptions = Callable[[argparse.ArgumentParser], None]
"""Adds a command's arguments to its parser."""

if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    # Generic only in the type stubs.
    _SubParsers = argparse._SubParsersAction


class CommandChoice(_SubParsers):
    """The command name's argument: the chosen command gets its options as it is parsed."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        # argparse has checked the name (values[0]) before calling this.
        if values:
            name = str(values[0])
            add_options = COMMANDS[name][1]
            if add_options is not None:
                add_options(self.choices[name])
        super().__call__(parser, namespace, values, option_string)


def database_option(sub: argparse.ArgumentParser) -> None:
    """``--db`` and ``--rep`` (who is working on it), accepted before or after the command name."""
    sub.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $CALLASSIST_DB, else your data folder)",
    )
    sub.add_argument(
        "--rep",
        metavar="EMAIL",
        default=argparse.SUPPRESS,
        help="act as the rep with this email (default: $CALLASSIST_REP, else the one "
        "remembered by `callassist rep use`, else the database's only rep)",
    )


def output_format(sub: argparse.ArgumentParser, choices: Sequence[str] = ("text", "json")) -> None:
    sub.add_argument("--format", choices=choices, default=choices[0], help="output format")


def build_parser() -> argparse.ArgumentParser:
    """A parser for one command line: parsing it adds the chosen command's options."""
    parser = argparse.ArgumentParser(
        prog="callassist",
        description="A call desk for B2B reps. With no command, opens the window.",
    )
    database_option(parser)
    parser.add_argument("--version", action="version", version=f"callassist {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", action=CommandChoice)
    for name, (text, _add_options) in COMMANDS.items():
        database_option(commands.add_parser(name, help=text, description=text))
    return parser


def _profile_options(profile: argparse.ArgumentParser) -> None:
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


def _import_options(importing: argparse.ArgumentParser) -> None:
    from callassist.importer import IMPORT_FIELDS

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
    importing.add_argument(
        "--owner",
        metavar="EMAIL",
        help="the rep the new prospects go to (default: you)",
    )


def _export_options(exporting: argparse.ArgumentParser) -> None:
    exporting.add_argument("file", type=Path, metavar="FILE.csv")


def _prospects_options(listing: argparse.ArgumentParser) -> None:
    listing.add_argument(
        "--search", metavar="TEXT", help="words from name, company, research or notes"
    )
    listing.add_argument(
        "--limit", type=whole_number("--limit", 1, ID_MAX), metavar="N", help="show at most N"
    )
    output_format(listing)


def _lookup_options(lookup: argparse.ArgumentParser) -> None:
    lookup.add_argument("query", metavar="PHONE_OR_TEXT")
    output_format(lookup)


def _log_options(log: argparse.ArgumentParser) -> None:
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


def _book_options(book: argparse.ArgumentParser) -> None:
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


def _move_booking_options(move: argparse.ArgumentParser) -> None:
    id_argument(move, "booking_id", "BOOKING_ID")
    move.add_argument(
        "--at",
        type=iso_time("--at"),
        required=True,
        metavar="ISO_TIME",
        help="the new start; without an offset, in your time zone",
    )


def _cancel_booking_options(cancel: argparse.ArgumentParser) -> None:
    id_argument(cancel, "booking_id", "BOOKING_ID")


def _render_options(render: argparse.ArgumentParser) -> None:
    render.add_argument("script", metavar="SCRIPT")
    render.add_argument(
        "--prospect", type=whole_number("--prospect", 1, ID_MAX), required=True, metavar="ID"
    )
    render.add_argument("--call-type", metavar="NAME", help="call type for the minutes needed")
    render.add_argument(
        "--slot", type=iso_time("--slot"), metavar="ISO_TIME", help="proposed slot for a reschedule"
    )
    output_format(render, ("text", "html"))


def _scripts_options(scripts: argparse.ArgumentParser) -> None:
    output_format(scripts)


def _cadences_options(cadences: argparse.ArgumentParser) -> None:
    output_format(cadences)


def _version_options(kind: str, listing: str, suffix: str) -> AddOptions:
    """``script|cadence show|save|reset``: the versions kept in the database."""

    def add_options(command: argparse.ArgumentParser) -> None:
        actions = command.add_subparsers(dest="action", metavar="ACTION", required=True)

        def action(name: str, text: str) -> argparse.ArgumentParser:
            sub = actions.add_parser(name, help=text, description=text)
            database_option(sub)
            sub.add_argument("name", metavar="NAME", help=f"see `callassist {listing}`")
            return sub

        action("show", f"print the text of the {kind} in effect for you")
        save = action("save", f"save a {kind} from a file ({suffix}) as your own version")
        save.add_argument("file", metavar="FILE", type=Path)
        reset = action("reset", f"delete your own version of a {kind}")
        for sub, text in (
            (save, "save it as the team's version, which every rep without their own uses"),
            (reset, "delete the team's version instead; the bundled one comes back"),
        ):
            sub.add_argument("--team", action="store_true", help=text)

    return add_options


def _enroll_options(enroll: argparse.ArgumentParser) -> None:
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


def _status_options(status: argparse.ArgumentParser) -> None:
    id_argument(status, "prospect_id", "PROSPECT_ID")
    status.add_argument(
        "status",
        type=status_name,
        metavar="STATUS",
        help=", ".join(status.value for status in ProspectStatus),
    )


def _queue_options(queue: argparse.ArgumentParser) -> None:
    queue.add_argument(
        "--date",
        type=iso_day("--date"),
        metavar="YYYY-MM-DD",
        help="another day, in your time zone",
    )
    queue.add_argument(
        "--team", action="store_true", help="every rep's prospects, each with their owner"
    )
    output_format(queue)


def _review_options(review: argparse.ArgumentParser) -> None:
    review.add_argument(
        "--date",
        type=iso_day("--date"),
        metavar="YYYY-MM-DD",
        help="another day, in your time zone",
    )
    review.add_argument(
        "--team", action="store_true", help="each rep's figures and the team's totals"
    )
    output_format(review, ("text", "json", "html", "csv"))
    review.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE instead of the screen"
    )


def _undelete_options(undelete: argparse.ArgumentParser) -> None:
    id_argument(undelete, "prospect_id", "ID", "see `callassist trash`")


def _restore_options(restore: argparse.ArgumentParser) -> None:
    restore.add_argument(
        "backup",
        nargs="?",
        metavar="BACKUP",
        help="a backup file or its name (default: the newest one that passes its check)",
    )


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


def _prospect_options(prospect: argparse.ArgumentParser) -> None:
    """``prospect add|edit|delete|show``: one prospect's card, as the window edits it."""
    from callassist.services.prospects import EDITABLE_FIELDS

    actions = prospect.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=text, description=text)
        database_option(sub)
        return sub

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
    assign = action("assign", "give a prospect to another rep (their queue from now on)")
    id_argument(assign, "prospect_id", "ID")
    assign.add_argument("email", metavar="EMAIL", help="the email of the rep taking them")


def _rep_options(rep: argparse.ArgumentParser) -> None:
    """``rep use|list``: who uses this computer, and who is on the team."""
    actions = rep.add_subparsers(dest="action", metavar="ACTION", required=True)
    text = "remember on this computer that you are the rep with this email"
    use = actions.add_parser("use", help=text, description=text)
    database_option(use)
    use.add_argument("email", metavar="EMAIL")
    text = "list the reps on the database"
    database_option(actions.add_parser("list", help=text, description=text))


def _pain_options(pain: argparse.ArgumentParser) -> None:
    """``pain add``: a pain noted after the call, as the window's pain pane notes it."""
    actions = pain.add_subparsers(dest="action", metavar="ACTION", required=True)
    text = "note a pain, in the prospect's words"
    add = actions.add_parser("add", help=text, description=text)
    database_option(add)
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


def _outcome_options(setting: argparse.ArgumentParser) -> None:
    """``outcome``: what the day's review does for a call left without one."""
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


COMMANDS: dict[str, tuple[str, AddOptions | None]] = {
    "demo": ("load a realistic sample (a rep profile and prospects) into an empty database", None),
    "profile": (
        "show your profile, or set the fields given (as a rep not yet known: join the team)",
        _profile_options,
    ),
    "rep": ("choose which rep you are on this computer, or list the reps", _rep_options),
    "import": ("import prospects from a CRM's CSV export", _import_options),
    "export": ("write every prospect and their research to a CSV file", _export_options),
    "prospects": ("list prospects, or those matching a search", _prospects_options),
    "lookup": ("find a prospect by phone number (any format) or text", _lookup_options),
    "prospect": ("add, change, delete or show one prospect", _prospect_options),
    "pain": ("note a pain a prospect mentioned", _pain_options),
    "outcome": ("set the outcome of a call or email left without one", _outcome_options),
    "log": ("record an attempt and its outcome", _log_options),
    "book": ("book a call with a prospect and write its calendar invite", _book_options),
    "move-booking": (
        "move a booked call; the invite updates the same event",
        _move_booking_options,
    ),
    "cancel-booking": (
        "call a booked call off and write the cancellation",
        _cancel_booking_options,
    ),
    "render": ("print a script rendered for a prospect", _render_options),
    "scripts": ("list the scripts", _scripts_options),
    "script": (
        "show, save or reset a script, yours or the team's",
        _version_options("script", "scripts", "Jinja text, as `script show` prints"),
    ),
    "cadences": ("list the follow-up cadences and their steps", _cadences_options),
    "cadence": (
        "show, save or reset a cadence, yours or the team's",
        _version_options("cadence", "cadences", "TOML, as `cadence show` prints"),
    ),
    "enroll": ("put a prospect in a cadence, or pause, resume or remove it", _enroll_options),
    "status": ("set a prospect's status by hand (outcomes only move it forward)", _status_options),
    "queue": ("who to call or email today (or on --date), and with which script", _queue_options),
    "review": ("the day's figures, what is left open, and tomorrow's list", _review_options),
    "trash": ("list the deleted prospects that can still be brought back", None),
    "undelete": ("bring a deleted prospect back from the trash", _undelete_options),
    "backup": ("copy the database into the backup folder", None),
    "restore": (
        "put a backup in place of the database (the current file is kept aside)",
        _restore_options,
    ),
    "check": ("check the database's integrity", None),
}
"""Each command's help, and what adds its options (None: it has none), in the order listed."""
