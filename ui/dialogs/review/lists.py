"""The day review's two lists: the calls left without an outcome, and tomorrow's prospects."""

from collections.abc import Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from callassist.records import QueueItem
from callassist.review import MissingOutcome
from callassist.wording import counted
from ui.bridge import DeskBridge
from ui.dialogs.review.outcome_chooser import OutcomeChooser
from ui.models.queue import QueueModel
from ui.models.review import MissingOutcomeModel
from ui.widgets.rows import as_row_list

MISSING_ROWS_SHOWN = 4
"""Calls with no outcome shown before the list scrolls."""


def setup_table(view: QTableView) -> None:
    as_row_list(view)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)


class MissingOutcomesBox(QGroupBox):
    """The day's calls with no outcome logged, and the chooser that logs one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Calls with no outcome logged", parent)
        self.model = MissingOutcomeModel(self)
        self.view = QTableView()
        self.view.setObjectName("reviewMissingOutcomes")
        self.view.setAccessibleName("Calls with no outcome logged")
        self.view.setModel(self.model)
        setup_table(self.view)
        self._all_logged = QLabel("Every call of the day has its outcome logged.")
        self._all_logged.setObjectName("reviewAllLogged")
        self._all_logged.setWordWrap(True)
        self._hint = QLabel(
            "Enter (or a double-click) on a call, then its number, logs its outcome."
        )
        self._hint.setObjectName("reviewMissingHint")
        self._hint.setWordWrap(True)
        self.chooser = OutcomeChooser()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self._all_logged)
        layout.addWidget(self._hint)
        layout.addWidget(self.chooser)

    def show_missing(self, missing: Sequence[MissingOutcome], zone: ZoneInfo) -> None:
        """List ``missing``, keeping the rep's place; a chooser for a call gone is put away."""
        current = self.view.currentIndex().row()
        self.model.set_missing(missing, zone)
        has_missing = bool(missing)
        self.view.setVisible(has_missing)
        self._hint.setVisible(has_missing)
        self._all_logged.setVisible(not has_missing)
        self.setTitle(
            f"Calls with no outcome logged ({len(missing)})"
            if has_missing
            else "Calls with no outcome logged"
        )
        if has_missing:
            row = min(max(current, 0), len(missing) - 1)
            self.view.setCurrentIndex(self.model.index(row, 0))
            self.view.resizeColumnToContents(0)
            self._fit_rows(len(missing))
        chooser_call = self.chooser.attempt_id()
        if chooser_call is not None and self.model.row_of(chooser_call) is None:
            self.chooser.end()

    def _fit_rows(self, count: int) -> None:
        """As tall as its calls, up to a few: the chart keeps the room the list does not use."""
        view = self.view
        rows = min(count, MISSING_ROWS_SHOWN)
        view.setFixedHeight(
            view.horizontalHeader().sizeHint().height()
            + rows * view.verticalHeader().defaultSectionSize()
            + 2 * view.frameWidth()
        )


class TomorrowBox(QGroupBox):
    """Who is due the day after the one reviewed."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__("Tomorrow", parent)
        self.model = QueueModel(bridge, self)
        self.view = QTableView()
        self.view.setObjectName("reviewTomorrow")
        self.view.setAccessibleName("Tomorrow's list")
        self.view.setModel(self.model)
        setup_table(self.view)
        # Nine columns sized to their words; stretching the last (Attempt) would
        # only push its one digit away from the rest of the line.
        self.view.horizontalHeader().setStretchLastSection(False)
        self._nobody_due = QLabel("Nobody is due: no cadence step or booked call falls then.")
        self._nobody_due.setObjectName("reviewNobodyDue")
        self._nobody_due.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._nobody_due)

    def show_tomorrow(self, tomorrow: Sequence[QueueItem], day: date) -> int:
        """List who is due the day after ``day``; how many are."""
        following = day + timedelta(days=1)
        # The review already holds the next day's queue: working it out again
        # would cost the core a second pass over every enrollment.
        self.model.show(tomorrow, following)
        due = self.model.rowCount()
        self.view.setVisible(bool(due))
        self._nobody_due.setVisible(not due)
        due_words = f"{counted(due, 'prospect')} due" if due else "nobody is due"
        self.setTitle(f"Tomorrow, {following:%A} {following.day}: {due_words}")
        self.view.resizeColumnsToContents()
        return due
