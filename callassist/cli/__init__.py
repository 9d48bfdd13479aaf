"""The ``callassist`` command: the window, or one action on the data.

Every command goes through :class:`callassist.core.CallDesk`, the same
services the window uses. Problems the rep can fix print one line on stderr
and exit with status 1 (2 for a mistyped command line); nothing is half done,
because each action is one transaction.

This module and the parser import nothing heavy: ``--help``, ``--version`` and
the window start without the database layer, which :mod:`callassist.cli.running`
brings in for the commands that need it.
"""

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from callassist.cli.parser import build_parser
from callassist.cli.terminal import EXIT_INTERRUPTED, EXIT_PROBLEM, Terminal
from callassist.clock import Clock, system_clock
from callassist.errors import KnownError

WindowOpener = Callable[[str | None, str | None], int]
"""Opens the window on a database location, as the rep with an email (None: the one
$CALLASSIST_REP, the remembered choice or the database names), and returns the exit status."""


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
    rep: str | None = getattr(args, "rep", None)
    if args.command is None:
        if open_window is None:
            terminal.warn(
                "callassist: this entry point has no window; run the installed `callassist`"
            )
            return EXIT_PROBLEM
        return open_window(location, rep)
    from callassist.cli.running import run_command

    return run_command(location, rep, args, terminal, clock)
