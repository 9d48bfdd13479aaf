"""The trash: prospects deleted in the last 30 days, any of them brought back with Enter.

A deleted prospect is kept in the database with their whole history, so
bringing them back works after a restart and after anything else was added.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callassist.localtime import day_and_time
from callassist.records import TrashedProspect
from callassist.wording import counted
from ui.bridge import DeskBridge, attempt_reporting

TRASH_KEYS: tuple[tuple[str, str], ...] = (
    ("Up, Down", "Move through the deleted prospects"),
    ("Enter", "Bring the highlighted prospect back, with their history"),
    ("Esc", "Close the trash"),
)
"""(keys, what they do) for F1."""
COLUMNS = ("Name", "Company", "Deleted", "Kept until", "History")
EMPTY = "The trash is empty: nobody was deleted in the last 30 days."
HOW = "Deleted prospects wait here 30 days with their whole history. Enter brings one back."


def history_text(trashed: TrashedProspect) -> str:
    return f"{counted(trashed.attempts, 'attempt')}, {counted(trashed.pains, 'pain')}"


class TrashDialog(QDialog):
    """Lists the trash; Enter restores the highlighted prospect and emits :attr:`restored`."""

    restored = Signal(int)
    """The prospect id that came back."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trash")
        self.setObjectName("trashDialog")
        self.setAccessibleName("Trash")
        self._bridge = bridge
        self._items: tuple[TrashedProspect, ...] = ()
        self._zone = bridge.desk.profile().timezone

        self._how = QLabel(HOW, self)
        self._how.setObjectName("trashHow")
        self._how.setWordWrap(True)
        self._table = QTableWidget(0, len(COLUMNS), self)
        self._table.setObjectName("trashList")
        self._table.setAccessibleName("Deleted prospects")
        self._table.setHorizontalHeaderLabels(list(COLUMNS))
        self._table.verticalHeader().hide()
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._table.horizontalHeader().setStretchLastSection(True)
        self._message = QLabel(self)
        self._message.setObjectName("trashMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)

        # Enter (or a double click) on a row brings that prospect back.
        self._table.activated.connect(lambda _index: self.restore_current())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._how)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._message)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.reload()
        self.setFocusProxy(self._table)

    def reload(self) -> None:
        items = self._bridge.attempt(self._bridge.desk.trash)
        self._items = items or ()
        self._table.setRowCount(len(self._items))
        for row, trashed in enumerate(self._items):
            cells = (
                trashed.name,
                trashed.company,
                day_and_time(trashed.deleted_at, self._zone),
                day_and_time(trashed.kept_until, self._zone),
                history_text(trashed),
            )
            for column, text in enumerate(cells):
                # QTableWidgetItem shows plain text: a name like "<b>x</b>" stays as typed.
                self._table.setItem(row, column, QTableWidgetItem(text))
        if self._items:
            self._table.setCurrentCell(0, 0)
        else:
            self._message.setText(EMPTY)

    def restore_current(self) -> None:
        row = self._table.currentRow()
        if not 0 <= row < len(self._items):
            return
        trashed = self._items[row]
        record, problem = attempt_reporting(
            self._bridge, lambda: self._bridge.desk.restore_prospect(trashed.prospect_id)
        )
        if record is None:
            self._message.setText(f"{trashed.name} could not come back: {problem}")
            return
        self.reload()
        self._message.setText(f"{trashed.name} is back, with their history.")
        self.restored.emit(record.id)
