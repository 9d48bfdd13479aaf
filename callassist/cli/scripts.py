"""The scripts: ``scripts`` lists them, ``render`` prints one for a prospect."""

import argparse
from zoneinfo import ZoneInfo

from callassist.cli.arguments import in_zone
from callassist.cli.profile import call_type_name
from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk
from callassist.errors import InvalidInputError


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
        mine = " (yours)" if script.origin == "user" else ""
        terminal.say(f"{script.name:<{width}}  {script.channel:<9}  {script.title}{mine}")
        terminal.say(f"{'':<{width}}  {'':<9}  {script.used_when}")
    return EXIT_OK
