"""Long work runs off the window's thread: the rep types on, sees the rows go by, can stop it.

A test holds the worker at the import's first row (a gate in its progress
callback) until the keys are pressed, so "the window answered while the import
ran" is shown by order, never by timing.
"""

import csv
import threading
import weakref
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from key_presses import press
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QLineEdit, QPushButton, QWidget

from callassist.errors import KnownError
from ui import background
from ui.app import BackupTimer
from ui.background import JobProgressLine, NewestOnly
from ui.bridge import DeskBridge
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.review import ReviewDialog
from ui.mainwindow import MainWindow

ROWS = 10_000
JOB_TIMEOUT_MS = 300_000
"""Only a bound for a stuck worker: a 10,000-row import takes seconds on a busy machine."""


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    path = tmp_path / "big-list.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Company", "Email", "Phone"])
        for number in range(ROWS):
            writer.writerow(
                [
                    f"Avery{number}",
                    f"Quinn{number}",
                    f"Harbor Freight {number}",
                    f"avery{number}@harbor{number}.example",
                    f"+1 312 555 {number:04d}",
                ]
            )
    return path


class Gate:
    """Holds the import at its first row until the test opens it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()

    def hold(self, bridge: DeskBridge, monkeypatch: pytest.MonkeyPatch) -> None:
        real_import = bridge.desk.import_csv

        def held_import(path: Path, **options):
            told = options.pop("progress")

            def progress(done: int, total: int) -> None:
                if not self.reached.is_set():
                    self.reached.set()
                    assert self.opened.wait(JOB_TIMEOUT_MS / 1000)
                told(done, total)

            return real_import(path, progress=progress, **options)

        monkeypatch.setattr(bridge.desk, "import_csv", held_import)


@pytest.fixture
def gate():
    """A gate that opens at the end of the test whatever happens, so no worker is left held."""
    held = Gate()
    yield held
    held.opened.set()


def start_import(qtbot, window: MainWindow, path: Path, monkeypatch) -> FirstRunDialog:
    """Ctrl+I, the file chosen, the preview read, Import pressed: the import is under way."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(path), ""))
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.current_dialog()
    assert isinstance(dialog, FirstRunDialog)
    qtbot.mouseClick(dialog.findChild(QPushButton, "firstRunImportCsv"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.preview_pending(), timeout=JOB_TIMEOUT_MS)
    import_button = dialog.findChild(QPushButton, "importButton")
    assert import_button.text() == f"Import {ROWS} prospects"
    with qtbot.waitSignal(window.bridge.jobs.started):
        qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)
    return dialog


def test_the_rep_types_in_the_search_while_10000_rows_import_and_all_are_stored(
    qtbot, open_window, bridge, big_csv, monkeypatch, gate
):
    window = open_window(bridge)
    gate.hold(bridge, monkeypatch)
    dialog = start_import(qtbot, window, big_csv, monkeypatch)
    # The dialog stepped aside: the window is the rep's again.
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget().window() is window
    progress_line = window.findChild(JobProgressLine, "jobProgress")
    assert progress_line.isVisible()
    assert progress_line.text().startswith("Importing big-list.csv")
    assert gate.reached.wait(JOB_TIMEOUT_MS / 1000)

    # The worker is held inside the import: these keys are answered meanwhile.
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.findChild(QLineEdit, "prospectSearch")
    assert QApplication.focusWidget() is search
    qtbot.keyClicks(search, "Avery9999")
    assert search.text() == "Avery9999"
    assert bridge.jobs.busy()

    rows_told: list[tuple[int, int]] = []
    bridge.jobs.progressed.connect(lambda done, total: rows_told.append((done, total)))
    with qtbot.waitSignal(dialog.finished_setup, timeout=JOB_TIMEOUT_MS):
        gate.opened.set()

    assert bridge.desk.count_prospects() == ROWS
    assert rows_told[-1] == (ROWS, ROWS)
    assert not progress_line.isVisible()
    # What the rep typed stayed where they typed it, and now finds the new prospect.
    assert QApplication.focusWidget() is search
    assert search.text() == "Avery9999"
    qtbot.waitUntil(lambda: window.prospect_list.current_search() == "Avery9999")
    found = bridge.desk.lookup("Avery9999")
    assert [prospect.full_name for prospect in found] == ["Avery9999 Quinn9999"]


def test_stopping_the_import_keeps_nothing_and_says_so(
    qtbot, open_window, bridge, big_csv, monkeypatch, gate
):
    window = open_window(bridge)
    gate.hold(bridge, monkeypatch)
    dialog = start_import(qtbot, window, big_csv, monkeypatch)
    assert gate.reached.wait(JOB_TIMEOUT_MS / 1000)

    stop = window.findChild(QPushButton, "jobStop")
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert window.findChild(JobProgressLine, "jobProgress").text().endswith("stopping…")
    with qtbot.waitSignal(bridge.jobs.ended, timeout=JOB_TIMEOUT_MS):
        gate.opened.set()

    assert bridge.desk.count_prospects() == 0
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.findChild(QLabel, "firstRunDataError").text() == (
        "The import was stopped: nothing was imported."
    )


def test_a_file_spoiled_before_the_import_runs_says_what_it_always_said_and_stores_nothing(
    qtbot, open_window, bridge, big_csv, monkeypatch
):
    window = open_window(bridge)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(big_csv), ""))
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.current_dialog()
    qtbot.mouseClick(dialog.findChild(QPushButton, "firstRunImportCsv"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.preview_pending(), timeout=JOB_TIMEOUT_MS)
    # Emptied after the preview (saved over from a spreadsheet, say): the worker reads it so.
    big_csv.write_text("\n\n", encoding="utf-8")

    with qtbot.waitSignal(bridge.jobs.ended, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(dialog.findChild(QPushButton, "importButton"), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.isVisible)
    # The words the preview gives for an empty file (see test_first_run), in the same place.
    assert dialog.findChild(QLabel, "firstRunDataError").text() == f"{big_csv} is empty"
    assert bridge.desk.count_prospects() == 0
    assert not window.findChild(JobProgressLine, "jobProgress").isVisible()


def test_no_second_long_job_starts_while_one_runs(
    qtbot, open_window, bridge, big_csv, monkeypatch, gate, tmp_path
):
    window = open_window(bridge)
    gate.hold(bridge, monkeypatch)
    dialog = start_import(qtbot, window, big_csv, monkeypatch)
    assert gate.reached.wait(JOB_TIMEOUT_MS / 1000)
    asked_where: list[bool] = []

    def save_where(*_args: object) -> tuple[str, str]:
        asked_where.append(True)
        return str(tmp_path / "out.csv"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_where)
    window.export_action.trigger()
    window.import_action.trigger()

    assert asked_where == []
    assert window.current_dialog() is None
    assert window.problem_label.text() == (
        "⚠ Importing big-list.csv is still under way: wait for it to finish, "
        "or stop it, before starting something else."
    )
    assert not (tmp_path / "out.csv").exists()
    with qtbot.waitSignal(dialog.finished_setup, timeout=JOB_TIMEOUT_MS):
        gate.opened.set()
    assert bridge.desk.count_prospects() == ROWS


def test_export_runs_in_the_worker_and_says_how_many_it_wrote(
    qtbot, open_window, bridge, big_csv, monkeypatch, tmp_path
):
    bridge.desk.import_csv(big_csv)
    window = open_window(bridge)
    target = tmp_path / "all.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))

    with qtbot.waitSignal(bridge.jobs.ended, timeout=JOB_TIMEOUT_MS):
        window.export_action.trigger()

    assert window.statusBar().currentMessage() == f"Wrote {ROWS} prospects to {target}"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == ROWS + 1


@pytest.mark.sqlite_only("the timed backup is a copy of the SQLite file")
def test_the_timed_backup_is_written_off_the_window_thread(qtbot, bridge, monkeypatch):
    ran_on: list[threading.Thread] = []
    written: list[Path | None] = []
    real_backup = bridge.desk.backup_if_due

    def watched_backup():
        ran_on.append(threading.current_thread())
        written.append(real_backup())
        return written[-1]

    monkeypatch.setattr(bridge.desk, "backup_if_due", watched_backup)
    owner = QWidget()
    qtbot.addWidget(owner)
    backups = BackupTimer(bridge, owner)

    with qtbot.waitSignal(backups.backed_up, timeout=JOB_TIMEOUT_MS):
        backups.back_up()

    assert [thread is threading.main_thread() for thread in ran_on] == [False]
    assert written[0] is not None  # the first backup is always due
    assert written[0].is_file()


def test_a_backups_problem_is_reported_as_before(qtbot, bridge, failures, monkeypatch):
    def failing_backup():
        raise KnownError("the backup folder is full")

    monkeypatch.setattr(bridge.desk, "backup_if_due", failing_backup)
    owner = QWidget()
    qtbot.addWidget(owner)
    backups = BackupTimer(bridge, owner)

    with qtbot.waitSignal(backups.backed_up, timeout=JOB_TIMEOUT_MS):
        backups.back_up()

    assert failures == ["the backup folder is full"]


@pytest.fixture
def held_review(bridge, monkeypatch):
    """Every day's review read waits in the worker until the test opens the gate."""
    opened = threading.Event()
    real_review = bridge.desk.review

    def held(day=None):
        assert opened.wait(JOB_TIMEOUT_MS / 1000)
        return real_review(day)

    monkeypatch.setattr(bridge.desk, "review", held)
    yield opened
    opened.set()


def test_the_review_pages_days_while_it_is_worked_out_and_keeps_the_newest(
    qtbot, bridge, seeded, held_review
):
    dialog = ReviewDialog(bridge, date(2026, 3, 10))
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    summary = dialog.findChild(QLabel, "reviewSummary")
    assert summary.text() == "Working out the day…"

    # Tuesday is still held in the worker: Alt+Left is answered all the same.
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert dialog.day() == date(2026, 3, 9)
    assert dialog.findChild(QLabel, "reviewHeadline").text() == "Monday, March 9, 2026"
    assert summary.text() == "Working out the day…"

    with qtbot.waitSignal(dialog.day_worked_out, timeout=JOB_TIMEOUT_MS) as worked_out:
        held_review.set()
    assert worked_out.args == [date(2026, 3, 9)]
    # Tuesday's figures, come late, are dropped: Monday's stay on screen.
    qtbot.waitUntil(lambda: not background._IN_FLIGHT, timeout=JOB_TIMEOUT_MS)
    assert dialog.findChild(QLabel, "reviewDials").text() == "0"
    assert summary.text().startswith("Nothing left open.")


def test_the_review_shows_the_days_figures_once_worked_out(qtbot, bridge, seeded):
    dialog = ReviewDialog(bridge, date(2026, 3, 10))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.day_worked_out, timeout=JOB_TIMEOUT_MS) as worked_out:
        dialog.show()

    assert worked_out.args == [date(2026, 3, 10)]
    assert dialog.findChild(QLabel, "reviewDials").text() == "7"
    assert dialog.findChild(QLabel, "reviewConnectRate").text() == "29%"
    assert not dialog.is_working_out()


def test_ctrl_p_waits_for_the_day_being_worked_out(qtbot, bridge, seeded, held_review):
    dialog = ReviewDialog(bridge, date(2026, 3, 10), open_url=lambda _url: True)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()

    with qtbot.assertNotEmitted(dialog.page_opened):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert dialog.findChild(QLabel, "reviewMessage").text() == (
        "The day is still being worked out: press Ctrl+P once it shows."
    )

    with qtbot.waitSignal(dialog.day_worked_out, timeout=JOB_TIMEOUT_MS):
        held_review.set()
    with qtbot.waitSignal(dialog.page_opened) as opened:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert opened.args[0].name == "review-2026-03-10.html"


def test_a_qt_object_left_in_a_reference_cycle_is_destroyed_on_the_window_thread(qtbot):
    destroyed_on: list[threading.Thread] = []
    forgotten = QObject()
    forgotten.itself = forgotten  # a cycle: only the cycle collector frees it
    # Called by whichever thread frees it, as the collector does.
    noticed = weakref.ref(forgotten, lambda _: destroyed_on.append(threading.current_thread()))
    del forgotten

    kept: list[list[object]] = []

    def allocate_a_lot() -> None:
        # Past the collector's threshold: it used to run right here, on the worker.
        kept.extend([] for _ in range(10_000))

    worker = threading.Thread(target=allocate_a_lot)
    worker.start()
    worker.join()
    assert destroyed_on == []  # not on the worker

    qtbot.waitUntil(lambda: destroyed_on != [], timeout=5_000)
    assert destroyed_on == [threading.main_thread()]
    assert noticed() is None


def test_only_the_newest_read_is_delivered_even_when_an_older_one_finishes_last(qtbot):
    owner = QObject()
    reads: NewestOnly[str] = NewestOnly(owner)
    older_may_finish = threading.Event()
    delivered: list[str] = []

    def older() -> str:
        older_may_finish.wait(timeout=30)
        return "older"

    reads.run(older, lambda outcome: delivered.append(outcome.get()))
    reads.run(lambda: "newer", lambda outcome: delivered.append(outcome.get()))
    qtbot.waitUntil(lambda: delivered == ["newer"], timeout=10_000)
    assert not reads.waiting
    older_may_finish.set()
    # Every call handed back to the window's thread: the older one's too, dropped.
    qtbot.waitUntil(lambda: not background._IN_FLIGHT, timeout=10_000)
    assert delivered == ["newer"]


def test_a_read_made_here_and_now_drops_the_reads_still_on_workers(qtbot):
    owner = QObject()
    reads: NewestOnly[str] = NewestOnly(owner)
    may_finish = threading.Event()
    delivered: list[str] = []

    def slow() -> str:
        may_finish.wait(timeout=30)
        return "from the worker"

    reads.run(slow, lambda outcome: delivered.append(outcome.get()))
    assert reads.waiting
    reads.drop_pending()
    assert not reads.waiting
    may_finish.set()
    qtbot.waitUntil(lambda: not background._IN_FLIGHT, timeout=10_000)
    assert delivered == []


def test_a_read_after_drawing_waits_for_the_window_and_only_the_newest_runs(qtbot):
    owner = QObject()
    reads: NewestOnly[str] = NewestOnly(owner, after_drawing=True)
    ran: list[str] = []
    delivered: list[str] = []

    def read(name: str) -> str:
        ran.append(name)
        return name

    started_before = len(background._IN_FLIGHT)
    # Three changes in a row (a logged call announces several): one read, the newest.
    for name in ("first", "second", "third"):
        reads.run(lambda name=name: read(name), lambda outcome: delivered.append(outcome.get()))
    assert reads.waiting
    assert len(background._IN_FLIGHT) == started_before  # the window draws the key first
    qtbot.waitUntil(lambda: delivered == ["third"], timeout=10_000)
    qtbot.waitUntil(lambda: len(background._IN_FLIGHT) == started_before, timeout=10_000)
    assert ran == ["third"]
    assert not reads.waiting


@pytest.mark.parametrize("fails", [False, True], ids=["returns", "raises"])
def test_what_a_calls_work_holds_is_let_go_on_the_window_thread(qtbot, fails):
    destroyed_on: list[threading.Thread] = []
    held = QObject()
    noticed = weakref.ref(held, lambda _: destroyed_on.append(threading.current_thread()))
    delivered: list[background.Outcome[str]] = []

    def work(held: QObject = held) -> str:
        if fails:
            raise KnownError(held.objectName())  # its traceback holds the object too
        return held.objectName()

    background.run_in_worker(work, delivered.append, QObject())
    del held, work
    qtbot.waitUntil(lambda: delivered != [], timeout=10_000)
    assert delivered[0].error is not None if fails else delivered[0].get() == ""
    delivered.clear()
    qtbot.waitUntil(lambda: destroyed_on != [], timeout=10_000)
    assert destroyed_on == [threading.main_thread()]
    assert noticed() is None


def test_a_worker_thread_serves_the_next_call_once_free(qtbot):
    owner = QObject()

    def workers() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "callassist-worker"}

    ran_on: list[threading.Thread] = []

    def one_call() -> None:
        background.run_in_worker(threading.current_thread, lambda o: ran_on.append(o.get()), owner)
        qtbot.waitUntil(lambda: not background._IN_FLIGHT, timeout=10_000)

    one_call()
    before = workers()  # at least the one the first call ran on
    for _ in range(3):
        one_call()
    assert workers() == before
    assert set(ran_on) <= before


def test_reads_that_follow_a_change_run_one_at_a_time_and_a_closed_views_read_holds_no_one(
    qtbot,
):
    """A logged call sets off a read for each view: side by side they took the interpreter
    from the window's drawing, so they run one after another."""
    card, queue = QObject(), QObject()
    card_reads: NewestOnly[str] = NewestOnly(card, after_drawing=True)
    queue_reads: NewestOnly[str] = NewestOnly(queue, after_drawing=True)
    card_may_finish = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def card_read() -> str:
        ran.append("card")
        card_may_finish.wait(timeout=30)
        return "card"

    def queue_read() -> str:
        ran.append("queue")
        return "queue"

    card_reads.run(card_read, lambda outcome: delivered.append(outcome.get()))
    queue_reads.run(queue_read, lambda outcome: delivered.append(outcome.get()))
    qtbot.waitUntil(lambda: ran == ["card"], timeout=10_000)
    qtbot.wait(200)
    assert ran == ["card"]  # the queue's read waits for the card's
    card.deleteLater()  # the card closes while its read runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(card), timeout=10_000)
    card_may_finish.set()
    qtbot.waitUntil(lambda: delivered == ["queue"], timeout=10_000)
    assert ran == ["card", "queue"]
    assert not queue_reads.waiting


def test_what_a_worker_finished_is_handed_over_once_the_others_are_done(qtbot, monkeypatch):
    """The window fills a view from an outcome while no other call runs Python beside it;
    a long job (an import) holds nobody's outcome."""
    monkeypatch.setattr(background, "HAND_OVER_WAIT_MS", 60_000)
    owner = QObject()
    slow_may_finish, job_may_finish = threading.Event(), threading.Event()
    delivered: list[str] = []
    jobs = background.LongJobs()
    jobs.start("Importing a.csv", lambda _progress: job_may_finish.wait(30), lambda _: None)

    background.run_in_worker(lambda: "quick", lambda o: delivered.append(o.get()), owner)
    qtbot.waitUntil(lambda: delivered == ["quick"], timeout=10_000)  # the import runs on

    background.run_in_worker(
        lambda: slow_may_finish.wait(30) and "slow", lambda o: delivered.append(o.get()), owner
    )
    background.run_in_worker(lambda: "second", lambda o: delivered.append(o.get()), owner)
    qtbot.wait(300)
    assert delivered == ["quick"]  # done, and waiting for the slow one
    slow_may_finish.set()
    qtbot.waitUntil(lambda: delivered == ["quick", "second", "slow"], timeout=10_000)
    job_may_finish.set()
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=10_000)
