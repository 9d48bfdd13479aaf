"""The end-of-day review (domain.md, section 5): what happened, what is left open, tomorrow.

The rep opens it at the end of the day and wants the answer in under a
minute, so the figures are big numbers in tiles, the calls left without an
outcome sit beside them and are fixed with two keys (Enter on the call, then
its number, as on the outcome bar), and tomorrow's list is below. Alt+Left
and Alt+Right page through the days; every figure is the core's
(:meth:`CallDesk.review`), the same the command line prints, counted in the
rep's own days. Ctrl+P writes the printable page into the data folder and
hands it to the browser.

The dialog reloads whenever the core reports a change it shows, so a call
logged from the main window, or an outcome fixed here, shows at once. The
figures are read in a worker ("Working out the day…" meanwhile), so paging
through days of a long history never stops the keys.
"""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.review import DayActivity, DayReview, MissingOutcome
from callassist.vocabulary import Outcome
from callassist.wording import OUTCOME_WORDS
from ui.background import NewestOnly
from ui.background import Outcome as WorkOutcome
from ui.bridge import DeskBridge, attempt_reporting
from ui.dialogs.review.figures import DayFigures
from ui.dialogs.review.header import DayHeader, summary_words
from ui.dialogs.review.lists import MissingOutcomesBox, TomorrowBox
from ui.dialogs.review.printable import write_review_page
from ui.models.queue import PROSPECT_ID_ROLE
from ui.models.review import MISSING_OUTCOME_ROLE
from ui.widgets.activity_chart import ActivityChart
from ui.widgets.outcome_bar import CALL_OUTCOMES

OpenUrl = Callable[[QUrl], bool]

WORKING_OUT = "Working out the day…"
"""Said in place of the summary while the day's figures are read in the background."""

DayReading = tuple[str, DayReview, list[DayActivity]]
"""What the worker reads for one day: the rep's time zone, the day's review, its week."""

DAY_REVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("Alt+Left, Alt+Right", "The previous day, the next day (or type a date)"),
    ("Ctrl+T, Alt+Home", "Back to today"),
    ("Enter", "On a call with no outcome: choose its outcome"),
    (f"1 … {len(CALL_OUTCOMES)}", "Then its number logs it, as on the outcome bar"),
    ("Esc", "Leave that call for now; a second Esc closes the review"),
    ("Enter", "On someone in tomorrow's list: open them"),
    ("Ctrl+P", "Write the printable page and open it in your browser"),
)
"""(keys, what they do) for F1: ``ReviewDialog._build_actions``, the outcome chooser's
number keys and Esc, and Enter in the two lists."""


class ReviewDialog(QDialog):
    """One day's review: figures, the week's chart, calls to fix, tomorrow's list."""

    outcome_fixed = Signal(object)
    """The AttemptRecord of a call whose outcome was logged from the review."""
    page_opened = Signal(object)
    """The Path of the printable page just written (and handed to the browser)."""
    prospect_requested = Signal(int)
    """The rep pressed Enter on someone in tomorrow's list: open that prospect."""
    day_worked_out = Signal(object)
    """The date whose review now shows, or whose review could not be loaded (and says why)."""

    def __init__(
        self,
        bridge: DeskBridge,
        day: date | None = None,
        parent: QWidget | None = None,
        open_url: OpenUrl = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._open_url = open_url
        self._review: DayReview | None = None
        self._stale = False
        self._readings: NewestOnly[DayReading] = NewestOnly(self)
        self._focus_when_worked_out = True
        """Where the rep starts depends on the day's lists, which are still being read."""
        self.setObjectName("dayReview")
        self.setAccessibleName("Day review")
        self.setWindowTitle("Day review")
        self.resize(1200, 720)

        self._build_actions()
        header = DayHeader()
        self._headline = header.headline
        self._summary = header.summary
        self._date = header.date_edit
        self._date.dateChanged.connect(self.refresh)
        header.previous.clicked.connect(self.previous_day)
        header.following.clicked.connect(self.next_day)
        header.today.clicked.connect(self.go_to_today)
        self._figures = DayFigures()
        chart_box = QGroupBox("The last seven days")
        self.chart = ActivityChart()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.addWidget(self.chart)
        missing_box = MissingOutcomesBox()
        self._missing_box = missing_box
        self._missing_model = missing_box.model
        self._missing_view = missing_box.view
        self._missing_view.activated.connect(self._begin_fix)
        self._chooser = missing_box.chooser
        self._chooser.chosen.connect(self._fix)
        self._chooser.cancelled.connect(self._after_cancel)
        tomorrow_box = TomorrowBox(bridge)
        self._tomorrow_box = tomorrow_box
        self._tomorrow_model = tomorrow_box.model
        self._tomorrow_view = tomorrow_box.view
        self._tomorrow_view.activated.connect(self._request_prospect)

        self._message = QLabel()
        self._message.setObjectName("reviewMessage")
        self._message.setTextFormat(Qt.TextFormat.PlainText)  # "Logged Dana Whitfield's call..."
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()

        printable = QPushButton("Open as a printable page (Ctrl+P)")
        printable.setObjectName("reviewPrintable")
        printable.setAutoDefault(False)
        printable.clicked.connect(self.open_printable)
        close = QPushButton("Close (Esc)")
        close.setObjectName("reviewClose")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(printable)
        buttons.addWidget(self._message, 1)
        buttons.addStretch(1)
        buttons.addWidget(close)

        left = QVBoxLayout()
        left.addWidget(self._figures)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(chart_box, 1)
        right.addWidget(missing_box)
        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addLayout(right, 6)

        # The day scrolls, the buttons stay: at 200% scaling on a 1080p screen the
        # review is taller and wider than the screen, and Close must stay in reach.
        page = QWidget()
        self._layout = QVBoxLayout(page)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(header)
        self._layout.addLayout(body, 1)
        self._layout.addWidget(tomorrow_box, 1)
        scroller = QScrollArea(self)
        scroller.setObjectName("reviewScroll")
        scroller.setAccessibleName("The day")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        # Tab goes through the day's parts, which the area scrolls into view.
        scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroller.setWidget(page)
        outer = QVBoxLayout(self)
        outer.addWidget(scroller, 1)
        outer.addLayout(buttons)

        # Tab order follows the reading order: the day, what to fix, tomorrow, the buttons.
        self.setTabOrder(self._date, self._missing_view)
        self.setTabOrder(self._missing_view, self._tomorrow_view)
        self.setTabOrder(self._tomorrow_view, printable)
        self.setTabOrder(printable, close)

        bridge.changed.connect(self._on_changed)
        start = day or bridge.attempt(bridge.desk.rep_today) or date.today()
        # Quietly, so the first day is loaded once, by refresh() below.
        self._date.blockSignals(True)
        self._date.setDate(QDate(start.year, start.month, start.day))
        self._date.blockSignals(False)
        self.refresh()
        self._date.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building -----------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, keys: list[QKeySequence], slot: Callable[[], object]) -> QAction:
            made = QAction(text, self)
            made.setShortcuts(keys)
            # Only inside the review: the main window may list these in its menus,
            # and there Alt+Left must not page a closed review.
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.previous_action = action(
            "Review the previous day",
            [QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left)],
            self.previous_day,
        )
        self.next_action = action(
            "Review the next day",
            [QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Right)],
            self.next_day,
        )
        self.today_action = action(
            "Review today",
            [
                QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_T),
                QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Home),
            ],
            self.go_to_today,
        )
        self.printable_action = action(
            "Open the review as a printable page",
            [QKeySequence(QKeySequence.StandardKey.Print)],
            self.open_printable,
        )

    # -- the rep's keys --------------------------------------------------------------

    def day(self) -> date:
        """The day shown."""
        shown = self._date.date()
        return date(shown.year(), shown.month(), shown.day())

    def set_day(self, day: date) -> None:
        """Review ``day`` instead."""
        self._date.setDate(QDate(day.year, day.month, day.day))

    def previous_day(self) -> None:
        self.set_day(self.day() - timedelta(days=1))

    def next_day(self) -> None:
        self.set_day(self.day() + timedelta(days=1))

    def go_to_today(self) -> None:
        today = self._bridge.attempt(self._bridge.desk.rep_today)
        if today is not None:
            self.set_day(today)

    def review(self) -> DayReview | None:
        """The review on screen (None if the core could not give one)."""
        return self._review

    def open_printable(self) -> Path | None:
        """Write the printable page of the day into the data folder and open it."""
        if self.is_working_out():
            # The review held is of the day shown before: not the page asked for.
            self._show_message("The day is still being worked out: press Ctrl+P once it shows.")
            return None
        review = self._review
        if review is None:
            return None
        written, problem = attempt_reporting(
            self._bridge, lambda: write_review_page(self._bridge.desk, review)
        )
        if written is None:
            self._show_message(f"No page written: {problem}")
            return None
        if self._open_url(QUrl.fromLocalFile(str(written))):
            # The desktop only says it handed the file on, not that a browser showed it.
            self._show_message(
                f"Sent {written} to your browser: print it from there (if no browser "
                "opened, open that file)."
            )
        else:
            self._show_message(
                f"Wrote {written}; no browser opened it, so open that file to print."
            )
        self.page_opened.emit(written)
        return written

    def menu_actions(self) -> list[QAction]:
        return [
            self.previous_action,
            self.next_action,
            self.today_action,
            self.printable_action,
            *self._chooser.menu_actions(),
        ]

    # -- loading ---------------------------------------------------------------------

    def is_working_out(self) -> bool:
        """True while the shown day's figures are being read in the background."""
        return self._readings.waiting

    def refresh(self) -> None:
        """Read the shown day's review, the week up to it and the next day's list.

        The reads run in a worker, so the rep pages on meanwhile; a result for a
        day no longer shown (or overtaken by a newer read) is dropped.
        """
        desk = self._bridge.desk
        day = self.day()
        self._stale = False
        self._headline.setText(f"{day:%A}, {day:%B} {day.day}, {day.year}")
        self._summary.setText(WORKING_OUT)

        def read() -> DayReading:
            return desk.profile().timezone, desk.review(day), desk.activity(day)

        def worked_out(outcome: WorkOutcome[DayReading]) -> None:
            if day == self.day():
                self._show_day(day, outcome)

        self._readings.run(read, worked_out)

    def _show_day(self, day: date, outcome: WorkOutcome[DayReading]) -> None:
        reading, problem = attempt_reporting(self._bridge, outcome.get)
        if reading is None:
            self._summary.setText("")
            self._show_message(f"The review could not be loaded: {problem}")
            self.day_worked_out.emit(day)
            return
        timezone, review, week = reading
        self._review = review
        zone = ZoneInfo(timezone)
        self.setWindowTitle(f"Day review — {day:%A}, {day:%B} {day.day}, {day.year}")
        self._figures.show_review(review)
        self.chart.set_days(week)

        self._missing_box.show_missing(review.missing_outcomes, zone)
        due = self._tomorrow_box.show_tomorrow(review.tomorrow, day)
        # Height is shared between the figures and tomorrow's list; with nobody due,
        # the chart takes it all rather than leave an empty box.
        self._layout.setStretchFactor(self._tomorrow_box, 1 if due else 0)
        self._summary.setText(summary_words(review, due))
        if self._focus_when_worked_out:
            self._focus_when_worked_out = False
            self._focus_first_thing_to_do()
        self.day_worked_out.emit(day)

    def _on_changed(self, changes: Changes) -> None:
        if not (
            changes.attempts
            or changes.time_checks
            or changes.cadences
            or changes.pains
            or changes.follow_ups
            or changes.prospects
            or changes.profile
        ):
            return  # research notes and the like are not in the review
        if self.isVisible():
            self.refresh()
        else:
            # Kept for later (the main window may keep the dialog): reload when shown.
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # -- fixing a missing outcome --------------------------------------------------

    def _begin_fix(self, index: QModelIndex) -> None:
        item = index.data(MISSING_OUTCOME_ROLE)
        if isinstance(item, MissingOutcome):
            self._message.hide()
            self._chooser.begin(item, self._missing_model.describe(item))

    def _fix(self, attempt_id: int, outcome: Outcome) -> None:
        row = self._missing_model.row_of(attempt_id)
        described = (
            self._missing_model.describe(self._missing_model.missing(row))
            if row is not None
            else "The call"
        )
        # The core reports the change and the review reads the day again from it.
        # Logged late: the call ended long ago, not now, so it keeps no end time
        # (a 10:00 call fixed at 18:00 is not eight hours long, nor overran).
        record, problem = attempt_reporting(
            self._bridge,
            lambda: self._bridge.desk.finish_attempt(attempt_id, outcome, logged_late=True),
        )
        if record is None:
            self._chooser.show_problem(f"Not logged: {problem}")
            return
        self._chooser.end()
        self._show_message(f"Logged {described}: {OUTCOME_WORDS[outcome].lower()}.")
        # The review reloads without the call: the next thing to do is known then.
        self._focus_when_worked_out = True
        self.outcome_fixed.emit(record)

    def _after_cancel(self) -> None:
        self._focus_first_thing_to_do()

    def _request_prospect(self, index: QModelIndex) -> None:
        prospect_id = index.data(PROSPECT_ID_ROLE)
        if isinstance(prospect_id, int):
            self.prospect_requested.emit(prospect_id)

    # -- inside ------------------------------------------------------------------------

    def _focus_first_thing_to_do(self) -> None:
        """Calls to fix first, else tomorrow's list, else the day itself."""
        if self._missing_model.rowCount():
            self._missing_view.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._tomorrow_model.rowCount():
            self._tomorrow_view.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._date.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()
