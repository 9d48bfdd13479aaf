"""Finding the prospect: a search box over the list, filtering as the rep types.

The search covers names, companies, notes and research; a phone number in
any format is matched exactly, so a call-back from a number the rep does not
know by heart is found by pasting it. Enter opens the first match, Down
walks into the list, Enter or a double click there opens the row.
"""

from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from ui.background import Outcome, WorkerCall, run_in_worker
from ui.bridge import DeskBridge
from ui.models.prospects import (
    COMPANY_COLUMN,
    HEADERS,
    HOURS_COLUMN,
    LOCAL_TIME_COLUMN,
    NAME_COLUMN,
    PROSPECT_ID_ROLE,
    Found,
    ProspectListModel,
    find_prospects,
)
from ui.widgets.enrollment import ENROLL_KEY, SelectionCadenceActions, key_text
from ui.widgets.notes import as_note
from ui.widgets.rows import as_row_list

NO_NUMBER_HINT = "No prospect with this number — press Ctrl+N to add one with it"
SEARCH_PLACEHOLDER = "Find by name, company, notes or phone"

PROSPECT_LIST_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "In the search box: open the first match"),
    ("Esc", "In the search box: clear it"),
    ("Down", "From the search box into the list"),
    ("Up, Esc", "From the top of the list back to the search box"),
    ("Enter", "On a row: open that prospect"),
    ("Shift+Up, Shift+Down", "Select several prospects"),
    ("1, 2, 3…", f"After {key_text(ENROLL_KEY)} on the selected rows: enroll them in that cadence"),
)
"""(keys, what they do) for F1: the search box and list (``eventFilter``, Qt's own
selection keys) and the numbered menu of cadences; the cadence keys are actions."""


LISTING_TEXT = "Listing everyone…"
"""The status line while the rest of a long list is read, its first screen shown."""


def count_text(matches: int, *, searching: bool, more: bool) -> str:
    """The status line under the list: "28 prospects", "3 matches", "1,000+ matches"."""
    if more:
        return f"{matches:,}+ matches: keep typing to narrow them down"
    if not searching:
        if matches == 0:
            return "No prospects yet: press Ctrl+N to add one"
        return "1 prospect" if matches == 1 else f"{matches:,} prospects"
    if matches == 0:
        return "No matches"
    return "1 match" if matches == 1 else f"{matches:,} matches"


class ProspectListPane(QWidget):
    """The search box over the prospect list, with a count under it."""

    prospect_activated = Signal(int)
    """The rep chose this prospect (Enter or double click)."""
    searched = Signal(str, int)
    """The list now shows the matches for this text, this many of them."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.model = ProspectListModel(bridge, self)

        self._search = QLineEdit(self)
        self._search.setObjectName("prospectSearch")
        self._search.setAccessibleName("Find a prospect")
        self._search.setAccessibleDescription("Type a name, company, note word or phone number")
        self._search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self._search.setClearButtonEnabled(True)
        self._search.installEventFilter(self)

        self._hint = QLabel(NO_NUMBER_HINT, self)
        self._hint.setObjectName("prospectSearchHint")
        as_note(self._hint)
        self._hint.hide()

        self._table = QTableView(self)
        self._table.setObjectName("prospectList")
        self._table.setAccessibleName("Prospects")
        self._table.setModel(self.model)
        # Several at once (Shift/Ctrl+click, Shift+Up/Down) to enroll, pause or remove them.
        as_row_list(self._table, QAbstractItemView.SelectionMode.ExtendedSelection)
        self._table.setShowGrid(False)
        self._fit_columns()
        self._table.installEventFilter(self)
        self._table.activated.connect(self._open_index)
        self.cadence_actions = SelectionCadenceActions(
            bridge, self._table, self.selected_prospect_ids, self
        )

        self._status = QLabel(self)
        self._status.setObjectName("prospectCount")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._search)
        layout.addWidget(self._hint)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._status)

        # Each keystroke searches on a worker at once, one search at a time: the
        # list shows its last answer meanwhile, and what was typed during a search
        # is searched when it returns (answers to older text are dropped).
        self._asked = 0
        """Numbers the searches asked for; only the newest one's answer is shown."""
        self._shown = 0
        """The number of the search the list shows."""
        self._searching: WorkerCall[Found] | None = None
        self._search.textChanged.connect(self._search_as_typed)
        self._search.returnPressed.connect(self._open_highlighted)
        self._open_prospect_id: int | None = None

        # The prospects' clocks move on at each minute of the desk's clock.
        self._minute = QTimer(self)
        self._minute.setSingleShot(True)
        self._minute.timeout.connect(self._next_minute)
        self._arm_minute_timer()

        bridge.changed.connect(self._follow_change)
        self._show_results()
        if not self.model.is_complete():
            # Once the window is up: a worker reading meanwhile would slow the first paint.
            QTimer.singleShot(0, self, self._read_everyone)

    # -- what the main window calls ---------------------------------------------

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected, ready to retype."""
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def focus_next(self, done_prospect_id: int) -> None:
        """The keyboard on the row after ``done_prospect_id`` (just called), ready for Enter."""
        row = self.model.row_of(done_prospect_id)
        if row is not None and row + 1 < self.model.rowCount():
            row += 1
        elif row is None:
            row = 0
        if self.model.rowCount():
            self._table.setCurrentIndex(self.model.index(row, NAME_COLUMN))
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_prospect(self, prospect_id: int) -> bool:
        """This prospect was opened: highlight their row (False when the search hides it).

        The search box's undo history starts again here, so Ctrl+Z in it never
        brings back the search that found the prospect before.
        """
        self._open_prospect_id = prospect_id
        cursor = self._search.cursorPosition()
        self._search.setText(self._search.text())  # setText, unlike typing, forgets the history
        self._search.setCursorPosition(cursor)
        return self._highlight(prospect_id)

    def _highlight(self, prospect_id: int) -> bool:
        row = self.model.row_of(prospect_id)
        if row is None:
            return False
        index = self.model.index(row, NAME_COLUMN)
        self._table.setCurrentIndex(index)
        self._table.scrollTo(index)
        return True

    def current_search(self) -> str:
        return self._search.text()

    def phone_to_add(self) -> str:
        """The number searched for when no prospect has it (to prefill "add"), else ""."""
        self._apply_pending_search()
        if self.model.is_phone_search() and self.model.rowCount() == 0:
            return self.model.search_text()
        return ""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Wide enough for a name and a company beside the two clock columns.
        metrics = self._table.fontMetrics()
        text = 2 * metrics.horizontalAdvance("Hannah Lindqvist  ")
        return QSize(self._fixed_width() + text, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # In a narrow pane two squeezed columns read as "Hanna…" and "Lakes…":
        # the name gets the room, and the company stays in its tooltip.
        room = self.width() - self._fixed_width()
        narrow = room < 2 * self._table.fontMetrics().horizontalAdvance("Hannah Lin")
        self._table.setColumnHidden(COMPANY_COLUMN, narrow)

    def selected_prospect_ids(self) -> list[int]:
        """The ids of the selected rows, top to bottom."""
        rows = sorted(index.row() for index in self._table.selectionModel().selectedRows())
        return [self.model.prospect_id_at(row) for row in rows]

    def menu_actions(self) -> list[QAction]:
        """None of its own: Ctrl+F and / belong to the main window, which calls focus_search.

        The cadence actions on the selected rows are :attr:`cadence_actions`'s.
        """
        return []

    # -- keys -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self._search:
            if key == Qt.Key.Key_Down:
                self._walk_into_list()
                return True
            if key == Qt.Key.Key_Escape and self._search.text():
                self._search.clear()
                # Everyone is listed again: the row highlighted (what Enter opens) is
                # the prospect on the card, not whoever sorts first.
                self._apply_pending_search()
                if self._open_prospect_id is not None:
                    self._highlight(self._open_prospect_id)
                return True
        elif watched is self._table:
            at_top = self._table.currentIndex().row() <= 0
            if (key == Qt.Key.Key_Up and at_top) or key == Qt.Key.Key_Escape:
                self.focus_search()
                return True
        return False

    def _walk_into_list(self) -> None:
        # The first match is already highlighted as what Enter opens, so Down
        # goes on to the next one, as in a completion list.
        self._apply_pending_search()
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self._table.currentIndex()
        target = min(current.row() + 1, rows - 1) if current.isValid() else 0
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        index = self.model.index(target, NAME_COLUMN)
        self._table.setCurrentIndex(index)
        self._table.scrollTo(index)

    # -- inside ---------------------------------------------------------------

    def _fit_columns(self) -> None:
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMPANY_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Sized from sample text, never from the data: measuring the rows would
        # fetch records the rep never scrolls to.
        metrics = self._table.fontMetrics()
        padding = 2 * metrics.horizontalAdvance("M")
        samples = {LOCAL_TIME_COLUMN: "~Wed 12:00 PM AEDT", HOURS_COLUMN: "closed"}
        for column, sample in samples.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            widest = max(
                metrics.horizontalAdvance(sample), metrics.horizontalAdvance(HEADERS[column])
            )
            header.resizeSection(column, widest + padding)
        rows = self._table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + metrics.height() // 2 + 4)

    def _fixed_width(self) -> int:
        """The width the clock columns, the scroll bar and the frame take."""
        header = self._table.horizontalHeader()
        clocks = header.sectionSize(LOCAL_TIME_COLUMN) + header.sectionSize(HOURS_COLUMN)
        scrollbar = self._table.verticalScrollBar().sizeHint().width()
        return clocks + scrollbar + 2 * self._table.frameWidth()

    def _search_as_typed(self) -> None:
        self._asked += 1
        if self._searching is None:
            self._search_newest()

    def _search_newest(self) -> None:
        """Show the answer for the text in the box: at once when at hand, else from a worker."""
        ready = self.model.ready_answer(self._search.text())
        if ready is None:
            self._search_in_worker()
            return
        self._shown = self._asked
        self.model.show_found(ready)
        self._show_search()

    def _read_everyone(self) -> None:
        if self._searching is None and not self.model.is_complete():
            self._search_in_worker()

    def _search_in_worker(self) -> None:
        asked, text, desk = self._asked, self._search.text(), self._bridge.desk
        self._searching = run_in_worker(
            lambda: find_prospects(desk, text),
            lambda outcome: self._answered(asked, outcome),
            owner=self,
        )

    def _answered(self, asked: int, outcome: Outcome[Found]) -> None:
        self._searching = None
        if asked != self._asked:
            # The rep typed on meanwhile: this answer is stale, the newest text is next.
            if self._shown != self._asked:
                self._search_newest()
            return
        found = self._bridge.attempt(outcome.get)
        self._shown = asked
        if found is None:
            return
        if not found.text and not self.model.is_complete():
            # The rest of everyone came in under the first screen: the rep's place stays.
            self._follow_new_rows(lambda: self.model.show_found(found))
            return
        self.model.show_found(found)
        self._show_search()

    def _apply_pending_search(self) -> None:
        """Show the answer for the text as typed now, reading it here if it is not shown yet.

        The rep can be faster than the worker (Enter, Down right after typing).
        """
        if self._shown != self._asked or self._search.text().strip() != self.model.search_text():
            self._asked += 1
            self._shown = self._asked
            self.model.set_search(self._search.text())
            self._show_search()

    def _show_search(self) -> None:
        self._show_results()
        if self.model.rowCount():
            self._table.setCurrentIndex(self.model.index(0, NAME_COLUMN))
            self._table.scrollToTop()
        self.searched.emit(self.model.search_text(), self.model.rowCount())

    def _show_results(self) -> None:
        matches = self.model.rowCount()
        searching = bool(self.model.search_text())
        if not self.model.is_complete():
            self._status.setText(LISTING_TEXT)
        else:
            more = self.model.has_more()
            self._status.setText(count_text(matches, searching=searching, more=more))
        self._hint.setVisible(self.model.is_phone_search() and matches == 0)

    def _open_highlighted(self) -> None:
        """Enter in the search: the highlighted row (the first match, after typing)."""
        self._apply_pending_search()
        if not self.model.rowCount():
            return
        current = self._table.currentIndex()
        self.prospect_activated.emit(self.model.prospect_id_at(max(current.row(), 0)))

    def _open_index(self, index: QModelIndex) -> None:
        prospect_id = index.data(PROSPECT_ID_ROLE)
        if isinstance(prospect_id, int):
            self.prospect_activated.emit(prospect_id)

    def _follow_change(self, changes: Changes) -> None:
        if self._searching is not None and (changes.prospects or changes.research):
            # The search under way may have read the list before this change: ask again.
            self._asked += 1
        self._follow_new_rows(lambda: self.model.refresh(changes))

    def _follow_new_rows(self, update: Callable[[], None]) -> None:
        """Run ``update`` on the model, keeping the highlight on the same prospect."""
        current = self._table.currentIndex()
        kept = current.data(PROSPECT_ID_ROLE) if current.isValid() else None
        update()
        self._show_results()
        # A reset drops the highlight; put it back on the same prospect.
        if isinstance(kept, int) and not self._table.currentIndex().isValid():
            self._highlight(kept)

    def _arm_minute_timer(self) -> None:
        now = self._bridge.desk.clock()
        next_minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
        self._minute.start(max(1, int((next_minute - now).total_seconds() * 1000)))

    def _next_minute(self) -> None:
        self.model.tick()
        self._arm_minute_timer()
