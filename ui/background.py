"""Work that takes a while runs on a worker thread, and the window keeps answering keys.

:func:`run_in_worker` runs one call on a worker thread and hands its
:class:`Outcome` (the result, or the exception it raised) back on the window's
thread, where the caller shows it exactly as it would have shown a call made
in place: ``bridge.attempt(outcome.get)`` reports a known problem the usual way.

:class:`LongJobs` is the one gate for long work on the rep's data (an import,
an export): one at a time, with progress for :class:`JobProgressLine`, and a
stop the work hears through its progress callback (:class:`StopRequested` is
raised there, so an import's transaction rolls back and nothing is kept).

The worker never borrows the window's database session: each core call it
makes opens its own session, on its own pooled connection, in the worker's
thread (SQLAlchemy gives file databases a pool whose connections may move
between threads but are only ever used by one at a time).
"""

import collections
import gc
import itertools
import queue
import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Told (rows done, rows in all) as the work goes."""


class StopRequested(Exception):  # noqa: N818 - a request, not an error
    """Raised in a long job's progress callback once the rep asked to stop it."""


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    """What a call made in the worker came to: its value, or what it raised."""

    value: T | None = None
    error: BaseException | None = None

    def get(self) -> T:
        """The value; or, on the window's thread now, the exception the work raised."""
        if self.error is not None:
            raise self.error
        return cast(T, self.value)

    @property
    def stopped(self) -> bool:
        """The rep stopped the work before it was done."""
        return isinstance(self.error, StopRequested)


class WorkerCall(QObject, Generic[T]):
    """One call on a worker thread; its outcome is handed over on the window's thread."""

    _progressed = Signal(int, int)

    def __init__(
        self,
        work: Callable[[], T],
        deliver: Callable[[Outcome[T]], None],
        on_progress: Callable[[int, int], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        super().__init__()
        self._work = work
        self._deliver = deliver
        self._on_progress = on_progress
        self._owner = owner
        """What the outcome is for: once it is gone (a dialog closed meanwhile), nobody is told."""
        self.long_job = False
        """A job of :class:`LongJobs` (an import): the others' outcomes do not wait for it."""
        if on_progress is not None:
            # Emitted in the worker, this reaches a slot of an object living on the
            # window's thread, so Qt queues it there.
            self._progressed.connect(self._report_progress)

    def start(self) -> None:
        _workers().take(self)

    def tell_progress(self, done: int, total: int) -> None:
        """From the worker: pass progress on to the window's thread."""
        self._progressed.emit(done, total)

    def run(self) -> Outcome[T]:
        """On a worker: the work's outcome."""
        try:
            return Outcome(value=self._work())
        except BaseException as error:  # handed to the window's thread, which decides
            return Outcome(error=error)

    @Slot(int, int)
    def _report_progress(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    def hand_over(self, outcome: Outcome[T]) -> None:
        """On the window's thread, once the worker let go of the call: deliver its outcome."""
        self.deleteLater()
        if self._owner is None or shiboken6.isValid(self._owner):
            self._deliver(outcome)


SWITCH_INTERVAL_S = 0.0002
"""At most this long the window's thread waits for the GIL while workers compute.
Python's default, 5 ms, came to hundreds of ms per key with dozens of database calls;
1 ms still made a queue of 20,000 enrolled take 165-195 ms to paint after a logged
call, each cell's text waiting for a worker's look (0.2 ms: a third of that)."""

HAND_OVER_POLL_MS = 5
"""How often a done call waiting for the others is looked at again."""
HAND_OVER_WAIT_MS = 250
"""The longest a done call waits for the others before it is handed over anyway."""

_IN_FLIGHT: dict[int, WorkerCall[Any]] = {}
"""Every call started and not yet handed over, by number, kept alive on the window's thread."""


class _WorkerThreads(QObject):
    """Worker threads kept for the next calls: starting a thread waits for it to run,
    which on a busy machine held the window up for milliseconds per call.

    A call stays in :data:`_IN_FLIGHT`, on the window's thread, until handed over: the
    worker looks it up by number, and has let go of it and of its outcome (left in
    ``_outcomes``) before it says the number is done. The last reference to a Qt
    object (the call, or what its work holds) must never be dropped on a worker:
    that touches Qt's and shiboken's bookkeeping from the wrong thread (a crash, seen).
    """

    _done = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._numbers = itertools.count()
        self._waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._outcomes: dict[int, Outcome[Any]] = {}
        self._lock = threading.Lock()
        self._threads = 0
        self._busy = 0
        """Calls taken and not finished: a thread is started when all are working."""
        self._short_busy = 0
        """Of those, the ones that are not long jobs."""
        self._ready: list[int] = []
        """Calls done and not yet handed over, oldest first."""
        self._ready_since = 0.0
        self._hand_over_later = QTimer(self)
        self._hand_over_later.setSingleShot(True)
        self._hand_over_later.setInterval(HAND_OVER_POLL_MS)
        self._hand_over_later.timeout.connect(self._hand_over_ready)
        self._done.connect(self._hand_over)
        # Each database call the window makes lets go of the GIL; a worker running
        # Python then keeps it up to the switch interval before the window has it back.
        sys.setswitchinterval(SWITCH_INTERVAL_S)

    def take(self, call: WorkerCall[Any]) -> None:
        number = next(self._numbers)
        _IN_FLIGHT[number] = call
        with self._lock:
            self._busy += 1
            self._short_busy += not call.long_job
            more = self._busy > self._threads
            if more:
                self._threads += 1
        if more:
            # One per call under way at the busiest moment: a call never waits for
            # another (a read may wait for a write another worker is making).
            threading.Thread(target=self._serve, name="callassist-worker", daemon=True).start()
        self._waiting.put(number)

    def _serve(self) -> None:
        """On a worker, for good: run the calls as they come."""
        while True:
            number = self._waiting.get()
            long_job = _IN_FLIGHT[number].long_job
            self._outcomes[number] = _IN_FLIGHT[number].run()
            with self._lock:
                self._busy -= 1
                self._short_busy -= not long_job
            try:
                self._done.emit(number)
            except RuntimeError:
                return  # the program is ending: nobody is left to hand the outcome to

    @Slot(int)
    def _hand_over(self, number: int) -> None:
        if not self._ready:
            self._ready_since = time.monotonic()
        self._ready.append(number)
        self._hand_over_ready()

    def _hand_over_ready(self) -> None:
        """Hand over what is done, once no other call is working (or it waited long enough).

        What an outcome sets off here (a table filled, the window drawn again) calls
        into Python hundreds of times, and while a worker runs Python each of those
        calls waits its turn for the interpreter: a queue drawn beside a card's read
        took 150-230 ms instead of 30."""
        with self._lock:
            working = self._short_busy
        waited_ms = (time.monotonic() - self._ready_since) * 1000
        if working and waited_ms < HAND_OVER_WAIT_MS:
            self._hand_over_later.start()
            return
        ready, self._ready = self._ready, []
        for number in ready:
            _IN_FLIGHT.pop(number).hand_over(self._outcomes.pop(number))


_WORKERS: list[_WorkerThreads] = []
"""The one set of worker threads, made on the window's thread at the first call."""


def _workers() -> _WorkerThreads:
    if not _WORKERS:
        _WORKERS.append(_WorkerThreads())
    return _WORKERS[0]


def run_in_worker(
    work: Callable[[], T], deliver: Callable[[Outcome[T]], None], owner: QObject
) -> WorkerCall[T]:
    """Run ``work`` on a worker thread and call ``deliver`` with its outcome on this one.

    ``deliver`` is not called once ``owner`` is deleted. The call is kept alive
    until it delivers, whether or not the caller keeps it.
    """
    call = WorkerCall(work, deliver, owner=owner)
    call.start()
    return call


DRAWING_MS = 50
"""How long the window takes to lay out and draw what a call's key changed (25-40 ms
measured at 100,000 prospects). A worker running Python meanwhile makes each call from
Qt into Python (a table cell's text) wait for the interpreter: the drawing then took
200-300 ms, and the rep saw the window freeze."""


class NewestOnly(Generic[T]):
    """Reads a view asks of workers again and again, of which only the newest is delivered.

    A view reads again on each change; a read that arrives after a newer one was
    asked for is dropped, so what the view shows is never older than it already had.
    """

    def __init__(self, owner: QObject, *, after_drawing: bool = False) -> None:
        """``after_drawing``: each run waits :data:`DRAWING_MS` before it starts, and does
        not start at all once a newer run was asked: for views that follow a change,
        so the window first draws what the rep's key did."""
        self._owner = owner
        self._asked = 0
        self._answered = 0
        self._wait_ms = DRAWING_MS if after_drawing else None

    def run(self, work: Callable[[], T], deliver: Callable[[Outcome[T]], None]) -> None:
        """Run ``work`` on a worker; ``deliver`` its outcome here unless a newer run was asked."""
        self._asked += 1
        number = self._asked

        def arrived(outcome: Outcome[T]) -> None:
            if number == self._asked:
                self._answered = number
                deliver(outcome)

        if self._wait_ms is None:
            run_in_worker(work, arrived, owner=self._owner)
            return

        def queue_up() -> None:
            _one_by_one().add(self._owner, lambda: number == self._asked, work, arrived)

        QTimer.singleShot(self._wait_ms, self._owner, queue_up)

    def drop_pending(self) -> None:
        """Let the runs still under way go unheard: the view just read here and now."""
        self._asked += 1
        self._answered = self._asked

    @property
    def waiting(self) -> bool:
        """True until the newest run asked for has arrived."""
        return self._answered != self._asked


class _OneByOne(QObject):
    """The reads that follow a change, run one after another on the workers.

    A logged call sets off five (the queue, the card, the call panel, the cadence
    box, the stored values): run side by side, they took turns at the interpreter
    with the window's drawing too, and the window stood still for 100 ms and more.
    One at a time, the window gets its turn between two of the read's steps.
    """

    def __init__(self) -> None:
        super().__init__()
        self._queued: collections.deque[
            tuple[QObject, Callable[[], bool], Callable[[], Any], Callable[[Outcome[Any]], None]]
        ] = collections.deque()
        self._running = False

    def add(
        self,
        owner: QObject,
        wanted: Callable[[], bool],
        work: Callable[[], T],
        deliver: Callable[[Outcome[T]], None],
    ) -> None:
        """Run ``work`` after the reads queued before it, if ``owner`` is still there and
        ``wanted()`` still says so when its turn comes; ``deliver`` its outcome here."""
        self._queued.append((owner, wanted, work, deliver))
        self._start_next()

    def _start_next(self) -> None:
        while self._queued and not self._running:
            owner, wanted, work, deliver = self._queued.popleft()
            if shiboken6.isValid(owner) and wanted():
                self._start(owner, work, deliver)

    def _start(
        self, owner: QObject, work: Callable[[], T], deliver: Callable[[Outcome[T]], None]
    ) -> None:
        self._running = True

        def done(outcome: Outcome[T]) -> None:
            self._running = False
            if shiboken6.isValid(owner):
                deliver(outcome)
            self._start_next()

        # Owned by the lane, not the view: a view gone meanwhile must not hold up the next.
        WorkerCall(work, done, owner=self).start()


_ONE_BY_ONE: list[_OneByOne] = []


def _one_by_one() -> _OneByOne:
    if not _ONE_BY_ONE:
        _ONE_BY_ONE.append(_OneByOne())
    return _ONE_BY_ONE[0]


COLLECT_EVERY_MS = 1_000


def collect_garbage_on_this_thread(parent: QObject) -> QTimer:
    """Run Python's cycle collector only here, on the window's thread, from now on.

    Left to itself it runs in whichever thread happens to allocate, and the
    workers allocate a lot: a closed dialog caught in a reference cycle was then
    destroyed on a worker, and Qt's timers, which belong to the window's thread,
    were torn down from the wrong one (the window crashed in its next timer
    event, seen in the GUI tests). Returns the timer that collects, as often as
    the collector's own thresholds ask.
    """
    gc.disable()
    timer = QTimer(parent)
    timer.setInterval(COLLECT_EVERY_MS)
    timer.timeout.connect(_collect_due_generations)
    timer.start()
    return timer


def freeze_long_lived_objects() -> None:
    """Once the window is up and has read its day, what exists lives as long as it does
    (modules, widgets, the day's queue): collected once more, then left out of every
    later collection. A full collection scanned 300,000 objects at 100,000 prospects,
    a quarter of a second on the window's thread each time; the objects made later
    are still collected (``gc.freeze``)."""
    gc.collect()
    gc.freeze()


def _collect_due_generations() -> None:
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if counts[2] > thresholds[2] else 1
    # What it frees may warn that it was left open (a worker's connection at the close
    # of a dialog): Python ignores those warnings by default, and so does this.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect(generation)


PROGRESS_STEPS = 100
"""Progress is passed to the window this many times per job at most, however many rows."""


class LongJobs(QObject):
    """One long job on the rep's data at a time, with its progress and a way to stop it."""

    started = Signal(str)
    """The job's description ("Importing prospects.csv")."""
    progressed = Signal(int, int)
    """(rows done, rows in all)."""
    ended = Signal()
    refused = Signal(str)
    """A job was asked for while another runs: why it did not start, in words."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: WorkerCall[object] | None = None
        self._description = ""
        self._stop = threading.Event()

    def busy(self) -> bool:
        return self._running is not None

    def description(self) -> str:
        """What the running job does, or "" with none running."""
        return self._description

    def refuses(self) -> bool:
        """True (and :attr:`refused` said why) when a job runs: ask before starting one."""
        if self._running is None:
            return False
        self.refused.emit(
            f"{self._description} is still under way: wait for it to finish, "
            "or stop it, before starting something else."
        )
        return True

    def start(
        self,
        description: str,
        work: Callable[[Progress], T],
        deliver: Callable[[Outcome[T]], None],
    ) -> bool:
        """Run ``work(progress)`` in a worker unless a job runs; False (and refused) if one does.

        ``deliver`` gets the outcome on the window's thread once the job has ended.
        """
        if self.refuses():
            return False
        stop = self._stop = threading.Event()
        last_step = [-1]

        def progress(done: int, total: int) -> None:
            if stop.is_set():
                raise StopRequested
            step = done * PROGRESS_STEPS // total if total else PROGRESS_STEPS
            # Reached through self, not the call: the call holding this function that
            # held the call would be a cycle the collector might free on the worker's thread.
            running = self._running
            if step != last_step[0] and running is not None:
                last_step[0] = step
                running.tell_progress(done, total)

        def ended(outcome: Outcome[T]) -> None:
            self._running = None
            self._description = ""
            self.ended.emit()
            deliver(outcome)

        call = WorkerCall(lambda: work(progress), ended, self.progressed.emit)
        call.long_job = True
        self._running = cast(WorkerCall[object], call)
        self._description = description
        self.started.emit(description)
        call.start()
        return True

    def stop(self) -> None:
        """Ask the running job to stop at its next step (it undoes what it did)."""
        self._stop.set()


class JobProgressLine(QWidget):
    """The status bar's line for a long job: what runs, rows done, and a Stop button."""

    def __init__(self, jobs: LongJobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self._jobs = jobs
        self._description = ""
        self._label = QLabel(self)
        self._label.setObjectName("jobProgressText")
        self._bar = QProgressBar(self)
        self._bar.setObjectName("jobProgressBar")
        self._bar.setAccessibleName("Progress")
        self._bar.setMaximumWidth(160)
        self._stop_button = QPushButton("Stop", self)
        self._stop_button.setObjectName("jobStop")
        self._stop_button.setAccessibleName("Stop the work under way")
        self._stop_button.setToolTip("Stop it: nothing of it is kept")
        self._stop_button.clicked.connect(self._stop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        layout.addWidget(self._stop_button)
        jobs.started.connect(self._started)
        jobs.progressed.connect(self._progressed)
        jobs.ended.connect(self.hide)
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def _started(self, description: str) -> None:
        self._description = description
        self._label.setText(f"{description}…")
        self._bar.setRange(0, 0)  # moving until the first rows are counted
        self._stop_button.setEnabled(True)
        self.show()

    def _progressed(self, done: int, total: int) -> None:
        rows = "row" if total == 1 else "rows"
        self._label.setText(f"{self._description}: {done:,} of {total:,} {rows}")
        self._bar.setRange(0, max(total, 1))
        self._bar.setValue(done)

    def _stop(self) -> None:
        self._stop_button.setEnabled(False)
        self._label.setText(f"{self._description}: stopping…")
        self._jobs.stop()
