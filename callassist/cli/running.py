"""Running a command on the database: the commands of every area, and what they share."""

import argparse
import sqlite3
from collections.abc import Callable

from sqlalchemy.exc import DatabaseError

from callassist.cli.arguments import ID_MAX, POSTGRES_ID_MAX, id_past_the_database
from callassist.cli.cadences import run_cadence, run_cadences, run_enroll
from callassist.cli.calls import run_book, run_cancel_booking, run_log, run_move_booking
from callassist.cli.card import run_outcome, run_pain, run_prospect
from callassist.cli.files import (
    run_backup,
    run_check,
    run_demo,
    run_export,
    run_import,
    run_restore,
)
from callassist.cli.profile import run_profile
from callassist.cli.prospects import run_lookup, run_prospects, run_status, run_trash, run_undelete
from callassist.cli.reps import run_rep
from callassist.cli.review import run_queue, run_review
from callassist.cli.scripts import run_render, run_script, run_scripts
from callassist.cli.terminal import EXIT_PROBLEM, Terminal
from callassist.clock import Clock
from callassist.core import CallDesk
from callassist.db.engine import is_sqlite
from callassist.db.migrate import damaged_message, is_damage
from callassist.errors import KnownError, NotFoundError


def run_command(
    location: str | None,
    rep: str | None,
    args: argparse.Namespace,
    terminal: Terminal,
    clock: Clock,
) -> int:
    """Run ``args.command`` on the database at ``location`` (None: the default), as the
    rep with the email ``rep`` (None: see :meth:`CallDesk.open`)."""
    try:
        if args.command == "restore":
            # The database may be too damaged to open: restore works on the file.
            return run_restore(location, args, terminal, clock)
        with CallDesk.open(location, clock=clock, rep=rep) as desk:
            past_the_ids = id_past_the_database(
                args, ID_MAX if is_sqlite(desk.url) else POSTGRES_ID_MAX
            )
            if past_the_ids is not None:
                raise NotFoundError(past_the_ids)
            try:
                for brought in desk.take_brought_in():
                    terminal.warn(f"callassist: {brought}")
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
                return RUNNERS[args.command](desk, args, terminal)
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


SAYS_STORED_VALUE_PROBLEMS = frozenset({"profile", "log", "enroll", "queue", "review"})
"""Commands whose times or lists a stored value that is not usable changes (a bad time zone)."""


SAYS_CADENCE_PROBLEMS = frozenset({"queue", "review"})
"""Commands whose lists leave out the prospects of a broken cadence file."""


RUNNERS: dict[str, Callable[[CallDesk, argparse.Namespace, Terminal], int]] = {
    "demo": run_demo,
    "profile": run_profile,
    "rep": run_rep,
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
    "script": run_script,
    "cadences": run_cadences,
    "cadence": run_cadence,
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
"""What runs each command but restore, which works on the file."""
