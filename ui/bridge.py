"""The window's one link to the core: runs actions, reports problems, relays changes.

Widgets never open a database session: they call one :class:`CallDesk` method
per user action through :meth:`DeskBridge.attempt`, which turns a
:class:`KnownError` into a message for the rep instead of a crash. After every
committed change the core tells the bridge what changed and the bridge emits
:attr:`DeskBridge.changed`, so each view reloads only what it shows; a change
committed by work on a worker thread (:attr:`DeskBridge.jobs`) is announced on
the window's thread, once the views may read again. So is a change another
program committed (a colleague's window, the command line), once
:meth:`DeskBridge.follow_others` has started listening for them.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.desk.change_watch import ChangeWatcher
from callassist.errors import DamagedError, KnownError, NotFoundError
from callassist.records import ProspectDetail
from ui.background import LongJobs, NewestOnly, Outcome

T = TypeVar("T")

KEPT_DETAILS = 8
"""Prospects whose detail is kept between changes: the open one and a few just looked at."""

WAIT_SECONDS = 5.0
"""How long one wait for other programs' changes lasts (stopping wakes it at once)."""


class DeskBridge(QObject):
    """Wraps the open :class:`CallDesk` for the widgets."""

    changed = Signal(Changes)
    """What a committed action changed."""
    failed = Signal(str)
    """A problem the rep can act on, in words."""
    damaged = Signal(str)
    """The database file is damaged (said with :attr:`failed` too): a restore may help."""
    _committed = Signal(Changes)

    def __init__(self, desk: CallDesk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = LongJobs(self)
        """The one long job (import, export) running on the data, if any."""
        # Emitted on whichever thread committed; the slot runs on the bridge's own,
        # at once for the window's thread, queued for a worker's.
        self._committed.connect(self._announce)
        desk.subscribe(self._committed.emit)
        self._details: OrderedDict[int, ProspectDetail] = OrderedDict()
        """Details as last read, each until a change touches that prospect."""
        self._changes_heard = 0
        """Counts the changes announced: a detail read on a worker before one may be old."""
        self._following: tuple[threading.Thread, ChangeWatcher, threading.Event] | None = None

    def follow_others(self) -> None:
        """Refresh what other programs commit to the database, as this window's own changes.

        A thread of its own waits for them (see :mod:`callassist.desk.change_watch`)
        and the desk announces them; they reach the views on the window's thread,
        usually within half a second. Stopped by :meth:`stop_following_others`.
        """
        if self._following is not None:
            return
        watcher, stopping = self.desk.watch_others(), threading.Event()
        # The thread holds no Qt object: the last reference to one must never be
        # dropped there (see ui/background.py).
        hear = self.desk.hear_others

        def watch() -> None:
            while not stopping.is_set():
                changes = watcher.wait(WAIT_SECONDS)
                if changes is not None and not stopping.is_set():
                    hear(changes)

        thread = threading.Thread(target=watch, name="callassist-others", daemon=True)
        thread.start()
        self._following = (thread, watcher, stopping)

    def stop_following_others(self) -> None:
        """Stop listening for other programs' changes (before the desk closes)."""
        if self._following is None:
            return
        thread, watcher, stopping = self._following
        self._following = None
        stopping.set()
        watcher.wake()
        thread.join()
        watcher.close()

    def prospect_detail(self, prospect_id: int) -> ProspectDetail:
        """The desk's ``prospect_detail`` (raising as it does), read once per change.

        The card and the call panel both show the prospect and both follow the
        same change: the first to ask reads, the other is handed the same record.
        """
        detail = self._details.get(prospect_id)
        if detail is None:
            detail = self.desk.prospect_detail(prospect_id)
        self._keep(prospect_id, detail)
        return detail

    def read_detail_in_worker(
        self,
        prospect_id: int,
        deliver: Callable[[Outcome[ProspectDetail]], None],
        reads: NewestOnly[ProspectDetail],
    ) -> None:
        """Read the prospect's detail on a worker (one of the view's ``reads``) and hand
        it to ``deliver`` here.

        What a view does after a change, so the rep's keystroke is not held up
        by the read. The detail is kept for the next view to ask, unless another
        change was announced while it was being read.
        """
        desk, changes_seen = self.desk, self._changes_heard

        def arrived(outcome: Outcome[ProspectDetail]) -> None:
            if outcome.error is None and changes_seen == self._changes_heard:
                self._keep(prospect_id, outcome.get())
            deliver(outcome)

        reads.run(lambda: desk.prospect_detail(prospect_id), arrived)

    def arrived_detail(
        self, outcome: Outcome[ProspectDetail]
    ) -> tuple[ProspectDetail | None, bool]:
        """A detail read on a worker, for the view that asked: (the detail, or None when
        it could not be read, the problem reported as :meth:`attempt` does; whether the
        prospect is gone, deleted meanwhile: no problem to report, the view lets go)."""
        gone = False

        def read() -> ProspectDetail | None:
            nonlocal gone
            try:
                return outcome.get()
            except NotFoundError:
                gone = True
                return None

        return self.attempt(read), gone

    def _keep(self, prospect_id: int, detail: ProspectDetail) -> None:
        self._details[prospect_id] = detail
        self._details.move_to_end(prospect_id)
        while len(self._details) > KEPT_DETAILS:
            self._details.popitem(last=False)

    @Slot(Changes)
    def _announce(self, changes: Changes) -> None:
        self._changes_heard += 1
        # Forgotten before anyone hears of the change, so every view reads it fresh.
        if changes.all_prospects:
            self._details.clear()
        for prospect_id in changes.prospect_ids:
            self._details.pop(prospect_id, None)
        self.changed.emit(changes)

    def attempt(self, action: Callable[[], T]) -> T | None:
        """Run ``action``; on a known problem emit :attr:`failed` and return None."""
        try:
            return action()
        except KnownError as error:
            if isinstance(error, DamagedError):
                self.damaged.emit(str(error))
            self.failed.emit(str(error))
            return None


def attempt_reporting(bridge: DeskBridge, action: Callable[[], T]) -> tuple[T | None, str]:
    """Run ``action`` through the bridge; also return its problem in words ("" if none).

    The bridge still emits ``failed`` for the window; the caller shows the same
    words next to what the rep just did, where they are looking.
    """
    problems: list[str] = []

    def keep(message: str) -> None:
        problems.append(message)

    bridge.failed.connect(keep)
    try:
        result = bridge.attempt(action)
    finally:
        bridge.failed.disconnect(keep)
    return result, " ".join(problems)
