"""The pains heard on the current call, one row each, with their three flags in words.

A call rarely turns up more than a handful of pains, so the model holds the
:class:`~callassist.records.PainRecord` values themselves. The pane writes
through the core and hands each returned record back here, so the table
always shows what the database holds.
"""

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from callassist.pains import GUIDES
from callassist.records import PainRecord
from ui.plain_text import plain_tooltip

PAIN_RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's PainRecord."""

KIND_COLUMN = 0
WORDS_COLUMN = 1
ASKED_COLUMN = 2
ACKNOWLEDGED_COLUMN = 3
CAN_HELP_COLUMN = 4

HEADERS = ("Kind", "What they said", "Asked", "Acknowledged", "We can help")
NO_WORDS = "(nothing typed yet)"
# A mark and a word, so the flags never rely on colour (or on the glyph alone).
YES = "✓ yes"
NO = "✗ no"

AnyIndex = QModelIndex | QPersistentModelIndex


def flag_text(value: bool) -> str:
    return YES if value else NO


class PainTableModel(QAbstractTableModel):
    """Pains of one call, in the order they were noted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pains: list[PainRecord] = []

    def reset(self, pains: Sequence[PainRecord]) -> None:
        """Show ``pains`` instead of whatever was shown."""
        self.beginResetModel()
        self._pains = list(pains)
        self.endResetModel()

    def append(self, pain: PainRecord) -> int:
        """Add a newly noted pain at the end; return its row."""
        row = len(self._pains)
        self.beginInsertRows(QModelIndex(), row, row)
        self._pains.append(pain)
        self.endInsertRows()
        return row

    def replace(self, pain: PainRecord) -> None:
        """Show the stored version of a pain already in the list."""
        row = self.row_of(pain.id)
        if row is None:
            return
        self._pains[row] = pain
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def row_of(self, pain_id: int) -> int | None:
        return next((row for row, pain in enumerate(self._pains) if pain.id == pain_id), None)

    def pain(self, row: int) -> PainRecord:
        return self._pains[row]

    def pains(self) -> tuple[PainRecord, ...]:
        return tuple(self._pains)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._pains)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._pains):
            return None
        pain = self._pains[index.row()]
        column = index.column()
        if role == PAIN_RECORD_ROLE:
            return pain
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell_text(pain, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == WORDS_COLUMN:
            return plain_tooltip(pain.words) or None
        if role == Qt.ItemDataRole.ToolTipRole and column == KIND_COLUMN:
            return GUIDES[pain.kind].listen_for
        return None

    def headerData(  # noqa: N802 - Qt's API
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1) if 0 <= section < len(self._pains) else None

    @staticmethod
    def _cell_text(pain: PainRecord, column: int) -> str | None:
        if column == KIND_COLUMN:
            return GUIDES[pain.kind].label
        if column == WORDS_COLUMN:
            return pain.words or NO_WORDS
        if column == ASKED_COLUMN:
            return flag_text(pain.asked)
        if column == ACKNOWLEDGED_COLUMN:
            return flag_text(pain.acknowledged)
        if column == CAN_HELP_COLUMN:
            return flag_text(pain.can_help)
        return None
