"""The scripts: ``scripts`` lists them, ``render`` prints one for a prospect, ``script``
shows, saves or resets one (the rep's own version or the team's)."""

import argparse
from pathlib import Path
from zoneinfo import ZoneInfo

from callassist.cli.arguments import in_zone
from callassist.cli.profile import call_type_name
from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk
from callassist.errors import InvalidInputError, KnownError, NotFoundError

ORIGIN_MARKS = {"user": " (yours)", "team": " (team's)", "bundled": ""}
"""What a listing adds after a script's or cadence's title, by where its text comes from."""


def run_render(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    slot = in_zone(args.slot, ZoneInfo(desk.profile().timezone), "--slot") if args.slot else None
    call_type = call_type_name(desk, args.call_type) if args.call_type is not None else None
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
        mine = ORIGIN_MARKS[script.origin]
        terminal.say(f"{script.name:<{width}}  {script.channel:<9}  {script.title}{mine}")
        terminal.say(f"{'':<{width}}  {'':<9}  {script.used_when}")
    return EXIT_OK


def run_script(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    if args.action == "show":
        terminal.say(desk.scripts.source(args.name).rstrip("\n"))
    elif args.action == "save":
        desk.save_script(args.name, read_text_file(args.file), team=args.team)
        terminal.say(saved_line("script", args.name, team=args.team))
    else:
        desk.reset_script(args.name, team=args.team)
        try:
            origin = desk.scripts.info(args.name).origin
        except NotFoundError:
            origin = None
        terminal.say(reset_line("script", args.name, origin, team=args.team))
    return EXIT_OK


def read_text_file(path: Path) -> str:
    """The UTF-8 text of a file given on the command line; KnownError in one line."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise KnownError(f"{path}: not UTF-8 text; save it as UTF-8") from error
    except OSError as error:
        raise KnownError(f"could not read {path}: {error.strerror}") from error


def saved_line(kind: str, name: str, *, team: bool) -> str:
    if team:
        return (
            f"Saved the team's version of the {kind} {name}: every rep without their own uses it."
        )
    return f"Saved your own version of the {kind} {name}."


def reset_line(kind: str, name: str, origin: str | None, *, team: bool) -> str:
    """What was deleted, and what is used now (``origin``: None when nothing is left)."""
    deleted = "the team's version" if team else "your own version"
    now = {
        "user": "your own version is still the one you use",
        "team": "the team's version is used again",
        "bundled": "the bundled one is used again",
    }.get(origin or "", f"there is no {kind} {name} any more")
    return f"Deleted {deleted} of the {kind} {name}; {now}."
