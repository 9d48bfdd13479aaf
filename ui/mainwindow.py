"""The main window: find a prospect, read the card, run the call, reach any script.

Left to right: today's queue and the prospect list (with its search box) as
two tabs, the prospect card (cadence, research and history), and the call
panel (timer, time check, pains, outcome). Every action is in a menu with its
shortcut, and F1 lists them all. The window remembers its size, splitter,
left tab and last open prospect.

Its actions and menus are made in ui.actions, its dialogs opened through
ui.dialog_host, and its save status said by ui.save_status.
"""

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import NotFoundError
from callassist.phones import looks_like_phone
from callassist.records import AttemptRecord, RepRecord, TrashedProspect
from ui.actions import DeskMenus
from ui.autosave import AutoSaver, Editor
from ui.background import JobProgressLine, Outcome, WorkerCall, run_in_worker
from ui.bridge import DeskBridge
from ui.dialog_host import DialogHost, close_question
from ui.dialogs.add_prospect import AddProspectDialog
from ui.dialogs.assign_owner import AssignOwnerDialog
from ui.dialogs.bookings import BookingsDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.review import ReviewDialog
from ui.dialogs.script_editor import ScriptEditorDialog
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.dialogs.settings import SettingsDialog
from ui.dialogs.trash import TrashDialog
from ui.save_status import SaveStatusLabel
from ui.screen_fit import fit_on_screen
from ui.shortcuts import CheatSheetDialog
from ui.text_keys import TextFieldsKeepEditingKeys
from ui.widgets.call_panel import CallPanel
from ui.widgets.prospect_card import ProspectCard
from ui.widgets.prospect_list import ProspectListPane
from ui.widgets.queue_pane import QueuePane
from ui.widgets.undo_banner import UndoBanner

STATUS_MS = 10_000
CARD_SHARE_IN_CALL = 0.42
"""During a call the card (research, history) gets this much of the width, the call
panel (header, time check, pains, outcome) the rest."""
ROOM_AFTER_MS = 1
"""The list steps aside (or back) after the window drew the key's own change: a timer,
so the window answers in between, rather than a call queued behind the drawing."""
FIRST_SIZE = QSize(1280, 800)


class MainWindow(DeskMenus):
    """The call desk."""

    def __init__(self, bridge: DeskBridge, settings: QSettings) -> None:
        super().__init__()
        self.bridge = bridge
        self.settings = settings
        self.setWindowTitle("callassist")
        self.setObjectName("mainWindow")
        self._last_deleted_id: int | None = None
        self._dialogs = DialogHost(self)
        self._closing_confirmed = False  # the rep said to close mid-call or with unsaved text
        self._remembering: set[WorkerCall[None]] = set()  # writes of the open prospect

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("problemMessage")
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Connected before the panes read anything: a problem met while they are
        # built (a damaged file) is said rather than lost.
        bridge.failed.connect(self.show_problem)
        self.prospect_list = ProspectListPane(bridge, self)
        self.queue = QueuePane(bridge, self)
        self.card = ProspectCard(bridge, self)
        self.call_panel = CallPanel(bridge, parent=self)
        self.left_tabs = QTabWidget(self)
        self.left_tabs.setObjectName("leftTabs")
        self.left_tabs.setAccessibleName("Today's queue and prospects")
        self.left_tabs.setDocumentMode(True)  # no frame around the tables: room for a column
        self.left_tabs.addTab(self.queue, self.queue.title())
        self.left_tabs.addTab(self.prospect_list, "Prospects")
        self.left_tabs.setCurrentWidget(self.prospect_list)
        self.queue.title_changed.connect(
            lambda title: self.left_tabs.setTabText(self.left_tabs.indexOf(self.queue), title)
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for part, stretch in ((self.left_tabs, 3), (self.card, 4), (self.call_panel, 4)):
            self.splitter.addWidget(part)
            self.splitter.setStretchFactor(self.splitter.indexOf(part), stretch)
        self.splitter.setChildrenCollapsible(False)
        self.undo_banner = UndoBanner(self)
        self.undo_banner.undo_requested.connect(self.undo_delete)
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.undo_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # Editing keys typed in a text field edit the text, never the data behind it.
        self._text_keys = TextFieldsKeepEditingKeys(self)
        self.statusBar().addPermanentWidget(self.problem_label, 1)
        self.save_status = SaveStatusLabel(self)
        self.statusBar().addPermanentWidget(self.save_status)
        self.job_progress = JobProgressLine(bridge.jobs, self)
        self.statusBar().addPermanentWidget(self.job_progress)
        bridge.jobs.refused.connect(self.show_problem)

        self._build_menus(self.card, self.call_panel, self.queue, self.prospect_list)
        for action, does in (
            (self.find_action, self.find_prospect),
            (self.new_action, self.add_prospect),
            (self.delete_action, self.delete_prospect),
            (self.undo_action, self.undo_delete),
            (self.trash_action, self.open_trash),
            (self.bookings_action, self.open_bookings),
            (self.assign_action, self.open_assign),
            (self.import_action, self.import_csv),
            (self.export_action, self.export_csv),
            (self.settings_action, self.open_settings),
            (self.queue_action, self.show_queue),
            (self.review_action, self.open_review),
            (self.lookup_action, self.open_script_lookup),
            (self.editor_action, self.open_script_editor),
            (self.shortcuts_action, self.open_cheat_sheet),
        ):
            action.triggered.connect(does)
        self.prospect_list.prospect_activated.connect(self.open_prospect)
        self.queue.prospect_activated.connect(self.open_prospect)
        self.prospect_list.cadence_actions.reported.connect(
            lambda text: self.statusBar().showMessage(text, STATUS_MS)
        )
        self.card.deleted.connect(self._prospect_deleted)
        self.card.dialog_wanted.connect(self._dialogs.show)
        self.call_panel.call_finished.connect(self._after_call)
        self.call_panel.in_call_changed.connect(self.card.set_in_call)
        self._sizes_before_call: list[int] = []
        # The room changes a moment after the key: the window first draws what the key
        # did (the call's timer, the logged outcome), then moves the list aside or back
        # and draws again. Both at once held the window 50-70 ms at 100,000 prospects.
        self._room_timer = QTimer(self)
        self._room_timer.setSingleShot(True)
        self._room_timer.setInterval(ROOM_AFTER_MS)
        self._room_timer.timeout.connect(self._fit_the_room_to_the_call)
        self.call_panel.in_call_changed.connect(self._room_timer.start)
        self._next_after_call: int | None = None
        """Who was just logged: the keyboard goes to who is next once the list is back."""
        self._savers = self.findChildren(AutoSaver)
        self.save_status.watch(self._savers)
        bridge.changed.connect(lambda _changes: self.problem_label.clear())
        self._restore_state()

    # -- prospects -------------------------------------------------------------

    def find_prospect(self) -> None:
        """Ctrl+F or /: the prospect tab, with the cursor in its search box."""
        self.left_tabs.show()
        self.left_tabs.setCurrentWidget(self.prospect_list)
        self.prospect_list.focus_search()

    def show_queue(self) -> None:
        """Ctrl+T: today's queue, with the keyboard in it."""
        self.left_tabs.show()
        self.left_tabs.setCurrentWidget(self.queue)
        self.queue.show_today()
        self.queue.focus_queue()

    def open_prospect(self, prospect_id: int) -> None:
        if self.call_panel.in_call() and prospect_id != self.card.current_prospect_id():
            message = "Finish the call first (F6), then open another prospect."
            self.call_panel.show_notice(message)
            self.show_problem(message)
            return
        if not self.card.flush():
            self.show_problem(
                "What you typed here is not saved yet (the status bar says why). "
                "Open another prospect once it says all is saved."
            )
            return
        self.card.show_prospect(prospect_id)
        self.call_panel.set_prospect(prospect_id)
        self.prospect_list.select_prospect(prospect_id)
        self.queue.select_prospect(prospect_id)
        self.settings.setValue("last_prospect", prospect_id)
        self._remember_on_disk(prospect_id)

    def _remember_on_disk(self, prospect_id: int) -> None:
        """Writes the open prospect to the settings file now, so even a crash reopens on
        it: on a worker, as writing the file held the window up to 100 ms."""
        file, file_format = self.settings.fileName(), self.settings.format()

        def write() -> None:
            # A QSettings of its own: one object is not for two threads; the file is
            # locked between them.
            on_disk = QSettings(file, file_format)
            on_disk.setValue("last_prospect", prospect_id)
            on_disk.sync()

        call = run_in_worker(write, lambda _outcome: self._remembering.discard(call), self)
        self._remembering.add(call)

    def _give_the_call_room(self, in_call: bool) -> None:
        """During a call the list steps aside for the card and the call panel; back after.

        Ctrl+F or Ctrl+T brings it back mid-call, for a look-up.
        """
        if in_call:
            if self._sizes_before_call:
                return  # already made
            self._sizes_before_call = self.splitter.sizes()
            self.left_tabs.hide()
            width = sum(self._sizes_before_call)
            card = int(width * CARD_SHARE_IN_CALL)
            self.splitter.setSizes([0, card, width - card])
        elif self._sizes_before_call:
            self.left_tabs.show()
            self.splitter.setSizes(self._sizes_before_call)
            self._sizes_before_call = []

    def _fit_the_room_to_the_call(self) -> None:
        self._give_the_call_room(self.call_panel.in_call())
        called, self._next_after_call = self._next_after_call, None
        if called is not None:
            self._focus_next(called)

    def _after_call(self, record: AttemptRecord) -> None:
        """The call is logged: the keyboard goes to who is next, once the list is back."""
        if self._room_timer.isActive():
            self._next_after_call = record.prospect_id
        else:
            self._focus_next(record.prospect_id)

    def _focus_next(self, called: int) -> None:
        """The card and the queue already follow what the log changed. In the
        queue, next is whoever now heads it (the one just logged moves on); in
        the prospect list, the row after the one just called. Enter opens them.
        """
        if self.left_tabs.currentWidget() is self.queue:
            self.queue.focus_next(called)
        else:
            self.prospect_list.focus_next(called)

    def add_prospect(self) -> None:
        search = self.prospect_list.current_search()
        dialog = AddProspectDialog(
            self.bridge, phone=search if looks_like_phone(search) else "", parent=self
        )
        dialog.added.connect(lambda record: self.open_prospect(record.id))
        self._dialogs.show(dialog)

    def delete_prospect(self) -> None:
        """Ctrl+Delete: the open prospect goes to the trash, never in the middle of a call."""
        if self.call_panel.in_call():
            message = (
                "Not deleted: you are on a call with them. Log the call (F6) or "
                "discard it (Shift+F5) first."
            )
            self.call_panel.show_notice(message)
            self.show_problem(message)
            return
        if not self.card.flush():
            self.show_problem("Not deleted: what you typed is not saved yet; try again shortly.")
            return
        self.card.delete_current()

    def _prospect_deleted(self, deleted: TrashedProspect) -> None:
        self._last_deleted_id = deleted.prospect_id
        self.undo_action.setEnabled(True)
        self.undo_banner.show_deleted(deleted)
        self.call_panel.set_prospect(None)

    def undo_delete(self) -> None:
        """Alt+U, from anywhere: the prospect just deleted comes back from the trash."""
        prospect_id, self._last_deleted_id = self._last_deleted_id, None
        self.undo_action.setEnabled(False)
        self.undo_banner.hide()
        if prospect_id is None:
            return
        restored = self.bridge.attempt(lambda: self.bridge.desk.restore_prospect(prospect_id))
        if restored is not None:
            self._welcome_back(restored.id, restored.full_name)

    def _welcome_back(self, prospect_id: int, name: str) -> None:
        if not self.call_panel.in_call():
            self.open_prospect(prospect_id)
        self.statusBar().showMessage(f"{name} is back, with their history.", STATUS_MS)

    def open_bookings(self) -> None:
        prospect_id = self.card.current_prospect_id()
        if prospect_id is None:
            self.statusBar().showMessage(
                "Open a prospect first to see their booked calls.", STATUS_MS
            )
            return
        self._dialogs.show(BookingsDialog(self.bridge, prospect_id, parent=self))

    def open_assign(self) -> None:
        """Give the open prospect to another rep, chosen with the arrows and Enter."""
        prospect_id = self.card.current_prospect_id()
        if prospect_id is None:
            self.statusBar().showMessage("Open a prospect first to give them away.", STATUS_MS)
            return
        desk = self.bridge.desk
        prospect = self.bridge.attempt(lambda: desk.prospect(prospect_id))
        reps = self.bridge.attempt(desk.reps)
        if prospect is None or reps is None:
            return
        dialog = AssignOwnerDialog(self.bridge, prospect, reps, parent=self)
        dialog.assigned.connect(
            lambda before, now: self._say_assigned(prospect.full_name, before, now)
        )
        self._dialogs.show(dialog)

    def _say_assigned(self, name: str, before: RepRecord, now: RepRecord) -> None:
        if before.id == now.id:
            message = f"{name} stays {now.called}'s prospect."
        else:
            message = f"{name} is now {now.called}'s prospect (was {before.called}'s)."
        self.statusBar().showMessage(message, STATUS_MS)

    def open_trash(self) -> None:
        dialog = TrashDialog(self.bridge, parent=self)
        dialog.restored.connect(self._restored_from_trash)
        self._dialogs.show(dialog)

    def _restored_from_trash(self, prospect_id: int) -> None:
        if prospect_id == self._last_deleted_id:
            self._last_deleted_id = None
            self.undo_action.setEnabled(False)
            self.undo_banner.hide()
        if not self.call_panel.in_call():
            self.open_prospect(prospect_id)

    # -- files ------------------------------------------------------------------

    def import_csv(self) -> None:
        if self.bridge.jobs.refuses():
            return
        dialog = FirstRunDialog(self.bridge, parent=self, import_only=True)
        self._dialogs.show(dialog)

    def export_csv(self) -> None:
        """Write the prospects in a worker; the status bar shows the rows and can stop it."""
        if self.bridge.jobs.refuses():
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export prospects", "prospects.csv", "CSV files (*.csv)"
        )
        if path:
            desk = self.bridge.desk
            self.bridge.jobs.start(
                f"Exporting to {Path(path).name}",
                lambda progress: desk.export_csv(Path(path), progress),
                lambda outcome: self._exported(path, outcome),
            )

    def _exported(self, path: str, outcome: Outcome[int]) -> None:
        if outcome.stopped:
            self.statusBar().showMessage(f"Export stopped: {path} is as it was.", STATUS_MS)
            return
        count = self.bridge.attempt(outcome.get)
        if count is not None:
            self.statusBar().showMessage(f"Wrote {count} prospects to {path}", STATUS_MS)

    # -- dialogs ------------------------------------------------------------------

    def current_dialog(self) -> QDialog | None:
        return self._dialogs.current()

    def open_script_lookup(self) -> None:
        prospect_id = self.card.current_prospect_id()
        first: tuple[str, ...] = ()
        if prospect_id is not None:
            on_a_call = self.call_panel.in_call()
            offered = self.bridge.attempt(
                lambda: self.bridge.desk.scripts_to_offer(prospect_id, on_a_call=on_a_call)
            )
            first = offered or ()
        dialog = ScriptLookupDialog(self.bridge, prospect_id, first, parent=self)
        dialog.script_used.connect(self.call_panel.note_script_used)
        self._dialogs.show(dialog)

    def open_script_editor(self) -> None:
        self._dialogs.show(
            ScriptEditorDialog(self.bridge, self.card.current_prospect_id(), parent=self)
        )

    def open_settings(self) -> None:
        self._dialogs.show(SettingsDialog(self.bridge, parent=self))

    def open_review(self) -> None:
        dialog = ReviewDialog(self.bridge, parent=self)
        dialog.prospect_requested.connect(self._open_from_review)
        self._dialogs.show(dialog)

    def _open_from_review(self, prospect_id: int) -> None:
        dialog = self._dialogs.current()
        if dialog is not None:
            dialog.accept()
        self.open_prospect(prospect_id)

    def open_cheat_sheet(self) -> None:
        # The whole window, not just its menus: keys that work only in a pane too.
        self._dialogs.show(CheatSheetDialog([self], parent=self))

    def offer_first_run(self) -> None:
        """On a first run, ask for the rep's details and offer the demo or an import."""
        profile = self.bridge.desk.profile()
        if profile.is_complete and self.bridge.desk.count_prospects():
            return
        dialog = FirstRunDialog(self.bridge, parent=self)
        dialog.finished_setup.connect(self._after_first_run)
        self._dialogs.show(dialog)

    def _after_first_run(self) -> None:
        ids = self.bridge.desk.prospect_ids(limit=1)
        if ids and self.card.current_prospect_id() is None:
            self.open_prospect(ids[0])

    def show_problem(self, message: str) -> None:
        self.problem_label.setText(f"⚠ {message}")

    def _confirm_close(self, name: str, title: str, text: str, detail: str, stay: str) -> None:
        question = close_question(self, name, title, text, detail, stay, self._close_confirmed)
        self._dialogs.show(question)

    def _ask_close_over_colleague(self, waiting: list[tuple[Editor, str]]) -> None:
        """Closing while a colleague's save keeps the rep's text from being stored: going
        back to it (the default) puts the cursor in it, where typing asks to keep one."""
        colleague_first = {reason for _, reason in waiting}
        others = [
            problem
            for saver in self._savers
            for problem in saver.problems()
            if problem not in colleague_first
        ]
        detail = " ".join(sorted(colleague_first))
        if others:
            detail += f" Not saved yet either: {'; '.join(others)}."
        question = close_question(
            self,
            "closeColleagueFirst",
            "A colleague saved first",
            "A colleague saved first: what you typed is still on screen, not saved. "
            "Go back to it, or close without it?",
            detail,
            "&Go back to my text",
            self._close_confirmed,
            leave="Close &without it",
        )
        editor = waiting[0][0]
        question.defaultButton().clicked.connect(lambda: editor.setFocus())
        self._dialogs.show(question)

    def _close_confirmed(self) -> None:
        self._closing_confirmed = True
        self.close()

    # -- state ------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(FIRST_SIZE)
        self.setGeometry(fit_on_screen(self.geometry(), self.screen().availableGeometry()))
        if self.settings.value("window/left_tab") == "queue":
            self.left_tabs.setCurrentWidget(self.queue)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:
            # First start: the list gets room for name and company beside the
            # clock columns; the call panel, busiest during a call, the most of the rest.
            width = self.width()
            listing = min(self.prospect_list.sizeHint().width(), int(width * 0.33))
            card = int((width - listing) * 0.40)
            self.splitter.setSizes([listing, card, width - listing - card])
        last = self.settings.value("last_prospect")
        if last is not None and str(last).isdigit():
            # The prospect may have been deleted since; then start with none open.
            try:
                self.bridge.desk.prospect(int(str(last)))
            except NotFoundError:
                self._prepare_the_cards_reads()
                return
            self.open_prospect(int(str(last)))
        else:
            self._prepare_the_cards_reads()

    def _prepare_the_cards_reads(self) -> None:
        """With nobody to reopen, the card's reads are made once on a worker, on whoever
        heads the list: the day's first open then finds them prepared (each statement is
        compiled at its first use, 60-100 ms of the first Enter at 100,000 prospects)."""
        desk = self.bridge.desk

        def prepare() -> None:
            for prospect_id in desk.prospect_ids(limit=1):
                desk.prospect_detail(prospect_id)
                desk.enrollment(prospect_id)
                desk.prospect(prospect_id)

        # Nothing it reads is kept, nor any problem it meets: the open reads again and says it.
        run_in_worker(prepare, lambda _outcome: None, self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if not self._closing_confirmed and self.call_panel.in_call():
            # Quitting mid-call is nearly always a slip of the hand: ask first.
            event.ignore()
            self._confirm_close(
                "closeDuringCall",
                "A call is still going",
                "You are still on a call. Close callassist anyway?",
                "What you typed is saved. The call stays without an outcome: "
                "log it later from the day review (Ctrl+R).",
                "Stay on the call",
            )
            return
        stored = [saver.flush() for saver in self._savers]
        waiting = [found for saver in self._savers for found in saver.colleague_first()]
        if not self._closing_confirmed and waiting:
            # Not retried: only the rep's choice saves it, and closing would lose it.
            event.ignore()
            self._ask_close_over_colleague(waiting)
            return
        if not self._closing_confirmed and not all(stored):
            # The text on screen is the only copy: closing now would lose it.
            event.ignore()
            problems = "; ".join(problem for saver in self._savers for problem in saver.problems())
            self._confirm_close(
                "closeUnsaved",
                "Some typing is not saved",
                "Some of what you typed could not be saved yet. Close and lose it?",
                f"{problems}. callassist keeps trying every few seconds while it stays open.",
                "Stay and keep trying",
            )
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        # Closed mid-call: the list comes back next time, at the width it had.
        self._give_the_call_room(False)
        self.settings.setValue("window/splitter", self.splitter.saveState())
        tab = "queue" if self.left_tabs.currentWidget() is self.queue else "prospects"
        self.settings.setValue("window/left_tab", tab)
        self.settings.sync()
        super().closeEvent(event)
