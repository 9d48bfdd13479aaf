"""The review's list of calls left without an outcome, one row each, in the rep's time.

A day holds a handful of such calls at most, so the model keeps the core's
:class:`~callassist.review.MissingOutcome` values themselves and is reset
whenever the review is reloaded. Times are shown on the rep's clock because
the review counts the rep's days.
"""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt

from callassist.localtime import clock_text
from callassist.review import MissingOutcome
from ui.models.table import AnyIndex, HeaderedTableModel
from ui.plain_text import plain_tooltip

MISSING_OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's MissingOutcome."""
ATTEMPT_ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's attempt id (int): what finish_attempt takes."""

TIME_COLUMN = 0
PROSPECT_COLUMN = 1
HEADERS = ("Time", "Prospect")


class MissingOutcomeModel(HeaderedTableModel):
    """Calls of the reviewed day that nobody logged an outcome for, earliest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent)
        self._missing: list[MissingOutcome] = []
        self._zone = ZoneInfo("UTC")

    def set_missing(self, missing: Sequence[MissingOutcome], rep_zone: ZoneInfo) -> None:
        """Show ``missing`` (as the core ordered it), its times on ``rep_zone``'s clock."""
        self.beginResetModel()
        self._missing = list(missing)
        self._zone = rep_zone
        self.endResetModel()

    def missing(self, row: int) -> MissingOutcome:
        return self._missing[row]

    def row_of(self, attempt_id: int) -> int | None:
        return next(
            (row for row, item in enumerate(self._missing) if item.attempt_id == attempt_id),
            None,
        )

    def time_text(self, item: MissingOutcome) -> str:
        """When the call was made, on the rep's clock."""
        return clock_text(item.at.astimezone(self._zone))

    def describe(self, item: MissingOutcome) -> str:
        """The call in words: "Ana Ruiz's call at 4:00 PM"."""
        return f"{item.name}'s call at {self.time_text(item)}"

    # -- Qt's model interface -------------------------------------------------

    def row_count(self) -> int:
        return len(self._missing)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._missing):
            return None
        item = self._missing[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if index.column() == TIME_COLUMN:
                return self.time_text(item)
            if index.column() == PROSPECT_COLUMN:
                return item.name
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{self.describe(item)} has no outcome: press Enter to log one.")
        if role == MISSING_OUTCOME_ROLE:
            return item
        if role == ATTEMPT_ID_ROLE:
            return item.attempt_id
        return None
