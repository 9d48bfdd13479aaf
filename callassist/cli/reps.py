"""``callassist rep use|list``: which rep uses this computer, and who is on the team."""

import argparse

from callassist.cli.terminal import EXIT_OK, Terminal, print_table
from callassist.core import CallDesk


def run_rep(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    if args.action == "use":
        rep = desk.use_rep(args.email, remember=True)
        terminal.say(
            f"You are {rep.called} ({rep.email}) on {desk.describe()} from now on, "
            "on this computer."
        )
        return EXIT_OK
    you = desk.rep
    rows = [
        (rep.name, rep.email, "yes" if you is not None and rep.id == you.id else "")
        for rep in desk.reps()
    ]
    print_table(("Name", "Email", "You"), rows, terminal)
    return EXIT_OK
