"""The import preview's column table: which field each column of a CSV file fills.

The rep changes a column's field from the keyboard (Enter, Space or F2 on a
row opens the list of fields; arrows or a first letter move in it, Enter takes
the one highlighted, Escape twice keeps the old one) or with a double click.
The table only collects the choice and says so through
:attr:`ColumnChoiceModel.field_chosen`; the dialog re-reads the file with it.
"""

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.models.table import AnyIndex, HeaderedTableModel

LEAVE_OUT = ""
"""The field of a column the import does not read (the core's None)."""

FIELD_LABELS: dict[str, str] = {
    LEAVE_OUT: "Leave out",
    "name": "Full name (split)",
    "first_name": "First name",
    "last_name": "Last name",
    "title": "Job title",
    "company": "Company",
    "email": "Email",
    "phone": "Direct phone",
    "phone_extension": "Direct phone extension",
    "mobile": "Mobile phone",
    "mobile_extension": "Mobile phone extension",
    "office": "Office phone",
    "office_extension": "Office phone extension",
    "dial": "Number to dial (direct, mobile or office)",
    "website": "Website",
    "linkedin": "LinkedIn",
    "timezone": "Time zone",
    "status": "Status",
    "tags": "Tags",
    "notes": "Notes",
    "company_summary": "Research: company summary",
    "person_profile": "Research: person profile",
    "angle": "Research: angle",
    "sources": "Research: sources",
    "researched_at": "Research: date done",
}
"""Every field a column can fill, as the rep reads it, in the order the list offers them:
"Leave out" first, then who they are, how to reach them, and the rest."""

NOT_READ_YET = "Not read yet"
"""The field cell of a column whose field is None: the file has no name column yet, and
columns the rep has not chosen for are read by their header once it has one."""


def _field_label(field: str | None) -> str:
    return NOT_READ_YET if field is None else FIELD_LABELS[field]


class ColumnChoiceModel(HeaderedTableModel):
    """Each column of the file: its header, an example value and the field it fills.

    Only the field column is editable; a rep's edit is announced with
    :attr:`field_chosen`, and :meth:`show_columns` puts in what the import
    really made of the file afterwards.
    """

    HEADER_COLUMN = 0
    EXAMPLE_COLUMN = 1
    FIELD_COLUMN = 2

    field_chosen = Signal(str, str)
    """The rep chose a field for a column: (header as the file spells it, field or LEAVE_OUT)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(("Column in the file", "Example", "Fills"), parent)
        self._rows: list[tuple[str, str, str | None]] = []

    def show_columns(
        self, columns: Sequence[tuple[str, str | None]], examples: Sequence[str]
    ) -> None:
        """Show (header, field, LEAVE_OUT or None) pairs, each with the example at its position.

        The same headers again (the same file, read with other choices) only
        change the field cells, so a field list the rep has open stays open.
        """
        rows = [
            (header, examples[position] if position < len(examples) else "", field)
            for position, (header, field) in enumerate(columns)
        ]
        if [row[0] for row in rows] != [row[0] for row in self._rows]:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        self._rows = rows
        if rows:
            self.dataChanged.emit(
                self.index(0, self.FIELD_COLUMN),
                self.index(len(rows) - 1, self.FIELD_COLUMN),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole],
            )

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        header, example, field = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole and column == self.FIELD_COLUMN:
            return field
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.FIELD_COLUMN:
                return _field_label(field)
            return header if column == self.HEADER_COLUMN else example
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.FIELD_COLUMN:
            return f"{header}: {_field_label(field)}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.FIELD_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(  # noqa: N802 - Qt's name
        self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid)
            or index.column() != self.FIELD_COLUMN
            or not isinstance(value, str)
            or value not in FIELD_LABELS
        ):
            return False
        header, example, field = self._rows[index.row()]
        if value == field:
            return True
        self._rows[index.row()] = (header, example, value)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, role])
        self.field_chosen.emit(header, value)
        return True


class FieldChoiceDelegate(QStyledItemDelegate):
    """Edits a column's field with a list of the fields, by label."""

    def createEditor(  # noqa: N802 - Qt's name
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        del option
        editor = QComboBox(parent)
        editor.setObjectName("importFieldChoice")
        header = index.model().index(index.row(), ColumnChoiceModel.HEADER_COLUMN).data()
        editor.setAccessibleName(f"Field for the column {header}")
        for field, label in FIELD_LABELS.items():
            editor.addItem(label, field)
        editor.setMaxVisibleItems(len(FIELD_LABELS))
        # Picking a field is the whole edit: it takes effect at once.
        editor.activated.connect(lambda _row: self._choose(editor))
        # The list opens with the editor, so the fields are in view without a further key.
        QTimer.singleShot(0, editor, editor.showPopup)
        return editor

    def _choose(self, editor: QComboBox) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802 - Qt's name
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(  # noqa: N802 - Qt's name
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ColumnChoiceTable(QTableView):
    """The column table: Enter, Space or F2 on a row opens the list of fields for it.

    Enter opens the list rather than importing: in this table the rep is
    choosing fields, and Import is one Tab away.
    """

    _OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_F2)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegateForColumn(ColumnChoiceModel.FIELD_COLUMN, FieldChoiceDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        current = self.currentIndex()
        if (
            event.key() in self._OPEN_KEYS
            # Enter on the number pad carries the keypad modifier; Shift+Space and the like
            # keep their usual meaning.
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            == Qt.KeyboardModifier.NoModifier
            and current.isValid()
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.edit(current.siblingAtColumn(ColumnChoiceModel.FIELD_COLUMN))
            event.accept()
            return
        super().keyPressEvent(event)
