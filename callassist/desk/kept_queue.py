"""The queue's lines kept between looks, and brought up to date by what changed.

Working out every running cadence is the costly part of a look at the queue;
between two looks, a logged call changes the lines of one prospect. So the
desk keeps the lines of every prospect (:class:`PendingLine`, which hold for
any day and any time of the look) and, told what changed, works out again
only the prospects named. Anything that can move every line (a change naming
no prospect, or too many to read at once; other cadence files; other hours or
time zone) works them all out again.
"""

import threading
import time
from collections.abc import Callable
from datetime import time as time_of_day
from itertools import chain
from typing import NamedTuple

from sqlalchemy.orm import Session

from callassist.cadence import FollowedCadences
from callassist.changes import Changes
from callassist.services.cadence_queue import (
    PROSPECTS_PER_READ,
    KeptStep,
    PendingLine,
    Reaches,
    WorkedOutLines,
    pending_lines,
)

KEPT_FOR_SECONDS = 55.0
"""How long kept lines are trusted with no change record, while this desk does not hear
other programs: one (the command line logging a call) may have written meanwhile, so a
look a minute on (the window's each-minute look) works the whole queue out again."""

KEPT_WHILE_HEARING_SECONDS = 15 * 60.0
"""How long kept lines are trusted while a watcher hears other programs' changes
(:meth:`CallDesk.watch_others`, the window's): each one heard is noted as this desk's
own are. Only a change that left no record is missed (a tool writing the file without
callassist, another program stopped between its commit and its record), and for a
quarter of an hour at most: working 20,000 cadences out again takes the window's
workers two seconds, which the window feels."""

_Basis = tuple[FollowedCadences, str, time_of_day, time_of_day]
"""What every line was worked out with: the cadences, the rep's zone and hours."""


def moves_the_queue(changes: Changes) -> bool:
    """Whether ``changes`` can add, move or remove a line (a time check or a pain cannot).

    An attempt moves a line once it has an outcome, and a logged outcome is announced
    with the cadences and follow-ups it moves; a call started, its note typed or a call
    taken back (attempts alone) move nobody.
    """
    return (
        changes.follow_ups
        or changes.cadences
        or changes.prospects
        or changes.trash
        or changes.profile
        or changes.all_prospects
    )


class Look(NamedTuple):
    """Every pending line as of a look, and what the look worked out."""

    reaches: Reaches
    """What the lines were worked out with (the rep's zone among them)."""
    lines: list[PendingLine]
    worked_out: list[KeptStep]
    """The steps no kept one held for, for the desk to keep (see
    :func:`~callassist.services.cadence_queue.keep_worked_out`)."""


class KeptQueue:
    """Every prospect's pending lines, kept by the desk for the window's and the review's looks.

    Looks come from the window's thread and from workers; change records from
    whichever thread committed. A change is only noted (never waits for a look
    being worked out), and the prospects it names are worked out at the next look.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._working = threading.Lock()
        """Held while lines are worked out: one look at a time works."""
        self._state = threading.Lock()
        """Held for the moment of reading or swapping what is kept."""
        self._trusted_for = KEPT_FOR_SECONDS
        self._lines: dict[int, list[PendingLine]] | None = None
        self._basis: _Basis | None = None
        self._built_at = 0.0
        self._stale: set[int] = set()
        self._dropped = 0
        """How many times everything kept was dropped: a look that began before a drop
        read what the drop is about, so it keeps nothing."""

    def note(self, changes: Changes) -> None:
        """What a committed change did: its prospects' lines are worked out at the next look."""
        if not moves_the_queue(changes):
            return
        named = changes.prospect_ids
        with self._state:
            if changes.all_prospects or not named or len(named) > PROSPECTS_PER_READ:
                self._drop()
            else:
                self._stale |= named

    def hear_others(self) -> None:
        """Other programs' changes are noted from now on: trust what is kept for longer."""
        self._trusted_for = KEPT_WHILE_HEARING_SECONDS

    def forget(self) -> None:
        """Drop everything kept: the next look works every line out from scratch."""
        with self._state:
            self._drop()

    def lines(self, session: Session, cadences: FollowedCadences) -> Look:
        """Every pending line, up to date as of ``session``'s reads."""
        with self._working:
            # What is kept is read before the session's first read: a change
            # committed after it is noted after, and stays to be worked out.
            with self._state:
                kept, basis, built_at = self._lines, self._basis, self._built_at
                stale, self._stale = self._stale, set()
                dropped = self._dropped
            started = self._monotonic()
            reaches = Reaches(session)
            now_basis: _Basis = (cadences, reaches.rep_zone, reaches.hours.start, reaches.hours.end)
            if (
                kept is None
                or basis != now_basis
                or started - built_at >= self._trusted_for
                or len(stale) > PROSPECTS_PER_READ
            ):
                lines, worked = pending_lines(session, cadences, reaches)
                built_at = started
            else:
                lines, worked = _brought_up_to_date(session, cadences, reaches, kept, stale)
            with self._state:
                if self._dropped == dropped:
                    self._lines, self._basis, self._built_at = lines, now_basis, built_at
            return Look(reaches, list(chain.from_iterable(lines.values())), worked)

    def _drop(self) -> None:
        self._lines = None
        self._stale = set()
        self._dropped += 1


def _brought_up_to_date(
    session: Session,
    cadences: FollowedCadences,
    reaches: Reaches,
    kept: dict[int, list[PendingLine]],
    stale: set[int],
) -> WorkedOutLines:
    """``kept`` with the lines of the ``stale`` prospects worked out again (a new dict:
    what is kept is never changed in place, as another thread may be reading it)."""
    if not stale:
        return WorkedOutLines(kept, [])
    lines = dict(kept)
    for prospect_id in stale:
        lines.pop(prospect_id, None)
    fresh, worked = pending_lines(session, cadences, reaches, stale)
    lines.update(fresh)
    return WorkedOutLines(lines, worked)
