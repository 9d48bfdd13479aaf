"""Today's queue: who to call now, whether to leave a message, and which script.

Due and overdue rows come first, then later today, in the order the core
gives. A date picker (Alt+D, or the Today button, Alt+T) shows the queue of
any other day. Enter or a double click opens the prospect. The queue reloads
as soon as a logged outcome, an enrollment or a follow-up changes it, and
each minute, so "later today" rows become "due now" by themselves. A broken
cadence file of the rep's is named here, with its step; the others work.

The queue is worked out in a worker (:func:`ui.background.run_in_worker`):
the window keeps answering keys meanwhile, and the queue shown stays until
the new one arrives; an answer overtaken by a newer question is dropped.
"""

from datetime import date

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.wording import DueGroup, counted
from ui.background import NewestOnly, Outcome
from ui.bridge import DeskBridge
from ui.models.queue import (
    ACTION_COLUMN,
    ATTEMPT_COLUMN,
    CADENCE_COLUMN,
    COMPANY_COLUMN,
    DUE_COLUMN,
    HEADERS,
    MESSAGE_COLUMN,
    NAME_COLUMN,
    PROSPECT_ID_ROLE,
    SCRIPT_COLUMN,
    THEIR_TIME_COLUMN,
    QueueLook,
    QueueModel,
    look_at_queue,
)
from ui.tints import WARNING_HUE, follow_theme, tint
from ui.widgets.notes import as_note
from ui.widgets.rows import as_row_list

MINUTE_MS = 60_000
"""How often the queue is looked at again when nothing else changed it."""
MINUTE_TIMER = "queueMinute"
"""The object name of the timer behind that look (the benchmark's probe sets it off)."""

COLUMN_PRIORITY = (
    DUE_COLUMN,
    NAME_COLUMN,
    ACTION_COLUMN,
    MESSAGE_COLUMN,
    SCRIPT_COLUMN,
    THEIR_TIME_COLUMN,
    CADENCE_COLUMN,
    COMPANY_COLUMN,
    ATTEMPT_COLUMN,
)
"""Which columns a narrow pane keeps first; the line under the table always says it all."""

NAME_SAMPLE = "Rachel Nguyen"
"""The name column never gets narrower than this; the other columns fit what they hold."""

QUEUE_KEYS: tuple[tuple[str, str], ...] = (
    ("Alt+D", "Pick another day (the arrow keys change it)"),
    ("Alt+T", "Back to today's queue"),
    ("Enter", "Open the highlighted prospect"),
)
"""(keys, what they do) for F1: the "&Day" label, the "&Today" button and the table."""


EMPTY_TODAY = (
    "Nobody is due today. Enroll prospects in a cadence: Ctrl+E on the card, "
    "or select several in the prospect list and press Ctrl+E there."
)


class QueuePane(QWidget):
    """The queue of one day (today unless the rep picks another)."""

    prospect_activated = Signal(int)
    """The rep chose this prospect (Enter or double click)."""
    title_changed = Signal(str)
    """A short title for a tab: "Today (6 due)"."""
    looked = Signal()
    """The queue asked for last is shown (or could not be worked out, and said why)."""

    def __init__(
        self,
        bridge: DeskBridge,
        parent: QWidget | None = None,
        *,
        refresh_ms: int = MINUTE_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callQueue")
        self.setAccessibleName("Call queue")
        self._bridge = bridge
        self.model = QueueModel(bridge, self)
        self._wanted: list[tuple[int, int]] = []
        """Each column's width for the lines in sight, measured once per look shown
        and height of the table: the pane comes back into sight after every call,
        and measuring takes tens of milliseconds (hundreds while a worker works)."""
        self._wanted_height = 0
        self.model.modelReset.connect(self._measure_again)
        self._follow_today = True
        self._title = "Today"
        self._looks: NewestOnly[QueueLook] = NewestOnly(self, after_drawing=True)
        self._stored_reads: NewestOnly[list[str]] = NewestOnly(self, after_drawing=True)

        self._day = QDateEdit(self)
        self._day.setObjectName("queueDay")
        self._day.setAccessibleName("Queue day")
        self._day.setCalendarPopup(True)
        self._day.setDisplayFormat("ddd d MMM yyyy")
        day_label = QLabel("&Day:", self)
        day_label.setBuddy(self._day)
        self._today_button = QPushButton("&Today", self)
        self._today_button.setObjectName("queueToday")
        self._today_button.setToolTip("Back to today's queue (Alt+T; Ctrl+T from anywhere)")
        self._today_button.clicked.connect(self.show_today)

        self._summary = QLabel(self)
        self._summary.setObjectName("queueSummary")
        self._summary.setWordWrap(True)
        font = self._summary.font()
        font.setBold(True)
        self._summary.setFont(font)

        self._problems = QLabel(self)
        self._problems.setObjectName("cadenceProblems")
        self._problems.setAccessibleName("Cadence problems")
        self._problems.setWordWrap(True)
        self._problems.setTextFormat(Qt.TextFormat.PlainText)
        self._problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problems.setMargin(6)
        # A cadence problem is a warning: the same amber as the call panel's, in any theme.
        tint(self._problems, WARNING_HUE)
        self._problems.hide()

        self._table = QTableView(self)
        self._table.setObjectName("callQueueTable")
        self._table.setAccessibleName("Calls due")
        self._table.setModel(self.model)
        as_row_list(self._table)
        self._table.setShowGrid(False)
        self._table.activated.connect(self._open_index)
        self._table.viewport().installEventFilter(self)
        self._size_columns()

        self._detail = QLabel(self)
        self._detail.setObjectName("queueDetail")
        self._detail.setWordWrap(True)
        self._detail.setTextFormat(Qt.TextFormat.PlainText)
        self._detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail.setMargin(4)
        self._prompt = QLabel(self)
        self._prompt.setObjectName("queuePrompt")
        self._prompt.setTextFormat(Qt.TextFormat.PlainText)
        as_note(self._prompt, bold=True)
        self._prompt.hide()

        top = QHBoxLayout()
        top.addWidget(day_label)
        top.addWidget(self._day)
        top.addWidget(self._today_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self._summary)
        layout.addWidget(self._problems)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._detail)
        layout.addWidget(self._prompt)

        self._timer = QTimer(self)
        self._timer.setObjectName(MINUTE_TIMER)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._next_minute)
        self._timer.start()

        today = self._rep_today()
        if today is not None:
            self._day.setDate(QDate(today.year, today.month, today.day))
        self._day.dateChanged.connect(self._day_picked)
        self._table.selectionModel().currentRowChanged.connect(self._show_current)
        self._stored_problems: list[str] = []
        self._read_stored_problems()
        bridge.changed.connect(self._follow_change)
        self._look(settle_first=True)

    # -- what the main window calls ---------------------------------------------

    def day(self) -> date:
        """The day whose queue is shown."""
        picked = self._day.date()
        return date(picked.year(), picked.month(), picked.day())

    def show_day(self, day: date) -> None:
        """Show the queue of ``day``."""
        if day == self.day():
            self.refresh()
        else:
            self._day.setDate(QDate(day.year, day.month, day.day))

    def show_today(self) -> None:
        """Back to today's queue (it then follows the calendar past midnight)."""
        today = self._rep_today()
        if today is not None:
            self.show_day(today)

    def focus_queue(self) -> None:
        """Put the keyboard in the queue, on the first row if none is current."""
        self._table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self._table.currentIndex().isValid() and self.model.rowCount():
            self._table.setCurrentIndex(self.model.index(0, NAME_COLUMN))

    def focus_next(self, done_prospect_id: int) -> None:
        """The keyboard on who comes after ``done_prospect_id``, just called.

        If they left the queue, the highlight already rests on whoever took
        their place; if they are still due (a booked call that rang out), on the
        row after theirs.
        """
        self.focus_queue()
        row = self.model.row_of(done_prospect_id)
        if row is not None and row + 1 < self.model.rowCount():
            self._set_current_row(row + 1)

    def select_prospect(self, prospect_id: int) -> bool:
        """Highlight this prospect's row; False when they are not in this queue."""
        row = self.model.row_of(prospect_id)
        if row is None:
            return False
        self._set_current_row(row)
        return True

    def current_prospect_id(self) -> int | None:
        current = self._table.currentIndex()
        prospect_id = current.data(PROSPECT_ID_ROLE) if current.isValid() else None
        return prospect_id if isinstance(prospect_id, int) else None

    def refresh(self) -> None:
        """Ask the core again; the answer keeps the highlight on the same prospect.

        When that prospect left the queue (their step was logged), the
        highlight stays at the same place: on whoever is next.
        """
        self._look(settle_first=False)

    def is_looking(self) -> bool:
        """True while the queue asked for last, or the stored values' problems, are read."""
        return self._looks.waiting or self._stored_reads.waiting

    def title(self) -> str:
        """The short title last sent with :attr:`title_changed`."""
        return self._title

    def menu_actions(self) -> list[QAction]:
        """None of its own: Ctrl+T belongs to the main window, which shows this pane."""
        return []

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        follow_theme(self, event)
        if event.type() == QEvent.Type.FontChange:
            self._measure_again()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit_columns()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Room for the due time, the name, the action and the message: the line
        # under the table says the rest, and a wider pane shows more columns.
        metrics = self._table.fontMetrics()
        samples = ("Due now · 10:00 AM", NAME_SAMPLE, "Action", "Leave a message")
        width = sum(metrics.horizontalAdvance(sample) for sample in samples)
        return QSize(width + 8 * metrics.horizontalAdvance("M"), super().sizeHint().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The table's own width decides which columns fit: the pane's resize comes
        # before the table has been laid out in it.
        if watched is self._table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return False

    # -- inside ---------------------------------------------------------------

    def _rep_today(self) -> date | None:
        return self._bridge.attempt(self._bridge.desk.rep_today)

    def _day_picked(self, _picked: QDate) -> None:
        self._follow_today = self.day() == self._rep_today()
        self.refresh()

    def _next_minute(self) -> None:
        today = self._rep_today()
        if self._follow_today and today is not None and today != self.day():
            # Past midnight: today's queue is the new day's (the date's change looks again).
            self._day.setDate(QDate(today.year, today.month, today.day))
        elif self.is_looking():
            return  # a look is under way: it is this minute's
        self._look(settle_first=True)

    def _look(self, *, settle_first: bool) -> None:
        """Work the shown day's queue out in a worker; :meth:`_arrived` shows it.

        ``settle_first``: store the cadences that ran their course meanwhile
        (the card and the list hear it). Looking at the queue only reads, so
        this is the one place where a move-on step that simply came due is
        stored: at the first look and each minute's.
        """
        desk = self._bridge.desk
        day = self.day()

        def look() -> QueueLook:
            if settle_first:
                desk.settle_cadences()
            items = desk.queue(day)
            _, problems = desk.cadences()
            return look_at_queue(desk, items, day, [str(problem) for problem in problems])

        def arrived(outcome: Outcome[QueueLook]) -> None:
            if day == self.day():
                self._arrived(outcome)

        self._looks.run(look, arrived)

    def _arrived(self, outcome: Outcome[QueueLook]) -> None:
        """Show a look's queue, the highlight kept on the same prospect or at the same place."""
        found = self._bridge.attempt(outcome.get)
        kept = self.current_prospect_id()
        kept_row = self._table.currentIndex().row()
        if found is None:
            self.looked.emit()
            return
        self.model.show_look(found)
        row = self.model.row_of(kept) if kept is not None else None
        if row is None and kept_row >= 0 and self.model.rowCount():
            row = min(kept_row, self.model.rowCount() - 1)
        if row is None and self._table.hasFocus() and self.model.rowCount():
            row = 0  # the keyboard came to the queue before its rows: on the first, as it asked
        if row is not None:
            self._set_current_row(row)
        self._show_summary()
        self._show_current()
        self._fit_columns()
        self.looked.emit()

    def _read_stored_problems(self) -> None:
        # Only prospects' and the rep's own fields can hold a bad stored value:
        # read them again when those change, not on every logged call. In a
        # worker: it reads every prospect's time zone.
        def arrived(outcome: Outcome[list[str]]) -> None:
            self._stored_problems = self._bridge.attempt(outcome.get) or []
            self._show_summary()

        self._stored_reads.run(self._bridge.desk.stored_value_problems, arrived)

    def _follow_change(self, changes: Changes) -> None:
        if changes.prospects or changes.profile:
            self._read_stored_problems()
        # A time check, a pain or research moves nobody in the queue, nor does a call
        # started or its note typed: a logged outcome comes with its cadences and follow-ups.
        if (
            changes.follow_ups
            or changes.cadences
            or changes.trash
            or changes.profile
            or changes.scripts
            or changes.owners
        ):
            self.refresh()
        elif changes.prospects:
            self._follow_prospects(changes)

    def _follow_prospects(self, changes: Changes) -> None:
        """Prospects were edited: a field saved on the card, or many at once (an import)."""
        if changes.all_prospects:
            self.refresh()
            return
        shown = sorted(pid for pid in changes.prospect_ids if self.model.row_of(pid) is not None)
        if not shown:
            return  # anyone else who becomes due shows up at the next minute's look
        records = self._bridge.attempt(lambda: self._bridge.desk.prospects_by_ids(shown))
        if records is not None and len(records) == len(shown) and self.model.rename(records):
            self._show_current()
        else:
            self.refresh()  # deleted, or a new title or time zone moved their step

    def _open_index(self, index: QModelIndex) -> None:
        prospect_id = index.data(PROSPECT_ID_ROLE)
        if isinstance(prospect_id, int):
            self.prospect_activated.emit(prospect_id)

    def _set_current_row(self, row: int) -> None:
        index = self.model.index(row, NAME_COLUMN)
        self._table.setCurrentIndex(index)
        self._table.scrollTo(index)

    def _show_summary(self) -> None:
        day = self.day()
        # The look's own day: reading the profile here cost 20-50 ms after each call.
        today = self.model.rep_today() or self._rep_today()
        rows = self.model.rowCount()
        if day == today:
            due = self.model.count(DueGroup.OVERDUE, DueGroup.DUE_NOW)
            later = self.model.count(DueGroup.LATER_TODAY)
            overdue = self.model.count(DueGroup.OVERDUE)
            if rows == 0:
                text = EMPTY_TODAY
            else:
                text = f"{due} due now" + (f" ({overdue} overdue)" if overdue else "")
                text += f", {later} later today"
            title = f"Today ({due} due)" if due else "Today"
        else:
            carried = self.model.carried_over()
            text = f"{day:%A %B} {day.day}: {rows} due"
            if carried:
                text += f", {carried} carried over from earlier days"
            if rows == 0:
                text = f"Nobody is due on {day:%A %B} {day.day}."
            title = f"{day:%a %b} {day.day} ({rows})"
        self._summary.setText(text)
        problems = self.model.cadence_problems()
        folder = self._bridge.desk.cadence_library.user_dir
        where = f"in {folder}" if folder is not None else "in your cadences folder"
        lines = (
            [
                f"⚠ {counted(len(problems), 'cadence file')} left out, the others work. "
                f"Fix it {where}, or save it with `callassist cadence save NAME FILE`:",
                *problems,
            ]
            if problems
            else []
        )
        # A time zone stored by an old version or another tool: only its owner is
        # left out of the list, and the rep must learn who and why.
        lines += [f"⚠ {problem}" for problem in self._stored_problems]
        self._problems.setText("\n".join(lines))
        self._problems.setVisible(bool(lines))
        self._title = title
        self.title_changed.emit(title)

    def _show_current(self) -> None:
        current = self._table.currentIndex()
        if not current.isValid():
            self._detail.setText(
                "Enter opens the highlighted prospect." if self.model.rowCount() else ""
            )
            self._prompt.hide()
            return
        line = self.model.queue_row(current.row())
        self._detail.setText(line.summary())
        self._prompt.setText(line.item.prompt)
        self._prompt.setVisible(bool(line.item.prompt))

    def _size_columns(self) -> None:
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Should Qt measure a column itself (a double click on its edge), the lines in
        # sight only, as _measure_columns does: its default words a thousand more.
        header.setResizeContentsPrecision(0)
        metrics = self._table.fontMetrics()
        rows = self._table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + metrics.height() // 2 + 4)

    def _fit_columns(self) -> None:
        """Size the columns to the lines in sight; show as many as fit, the most useful first.

        What does not fit is in the line under the table and in each row's
        tooltip. Not while the pane is out of sight (the list's tab in front):
        there are no lines in sight to measure; the pane fits them as it comes
        into sight.
        """
        if not self._table.isVisible():
            return
        height = self._table.viewport().height()
        if not self._wanted or height != self._wanted_height:
            self._wanted, self._wanted_height = self._measure_columns(), height
        header = self._table.horizontalHeader()
        metrics = self._table.fontMetrics()
        used = metrics.horizontalAdvance(NAME_SAMPLE) + metrics.horizontalAdvance("M")
        room = self._table.viewport().width()
        fits = True
        for column, want in self._wanted:
            # Once one column does not fit, the less useful ones after it stay hidden too.
            fits = fits and (column == DUE_COLUMN or used + want <= room)
            if self._table.isColumnHidden(column) == fits:
                self._table.setColumnHidden(column, not fits)
            if fits:
                if header.sectionSize(column) != want:
                    header.resizeSection(column, want)
                used += want

    def _measure_again(self) -> None:
        self._wanted = []

    def _measure_columns(self) -> list[tuple[int, int]]:
        """The width each column but the name's wants for its title and the lines in
        sight, in the order the columns give way.

        Measured here from the rows' words, not by Qt's sizeHintForColumn: that asks
        the model for every cell from C++, and each of those calls into Python waits
        for a worker to hand the interpreter over (150 ms and more after a logged
        call, while the queue's next look is worked out).
        """
        metrics = self._table.fontMetrics()
        bold_font = QFont(self._table.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)
        padding = metrics.horizontalAdvance("M")
        # What Qt's item delegate puts either side of a cell's text, and a pixel for
        # the text's fractional width, which it rounds up (else "…" ends the text).
        margin = self._table.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._table
        )
        cell_padding = 2 * (margin + 1) + 1
        titles = self._table.horizontalHeader().fontMetrics()
        first = max(self._table.rowAt(0), 0)
        last = self._table.rowAt(self._table.viewport().height() - 1)
        last = self.model.rowCount() - 1 if last < 0 else last
        lines = [self.model.queue_row(row) for row in range(first, last + 1)]
        wanted = []
        for column in COLUMN_PRIORITY:
            if column == NAME_COLUMN:
                continue
            want = titles.horizontalAdvance(HEADERS[column]) + padding
            for line in lines:
                # The due rows' times are bold (QueueModel.data): wider.
                shown_in = bold if column == DUE_COLUMN and line.group.is_due else metrics
                want = max(want, shown_in.horizontalAdvance(line.cells()[column]) + cell_padding)
            wanted.append((column, want))
        return wanted
