"""The script lookup's filter keys: the cursor stays in the filter while the list moves."""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

LIST_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
LIST_KEYS_TEXT = ", ".join(
    QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in LIST_KEYS
)
"""The list keys as the cheat sheet names them."""


class FilterKeysToList(QObject):
    """Watches the filter: list keys go to the list, Ctrl+C to the dialog's Copy."""

    def __init__(self, filter_field: QLineEdit, script_list: QAbstractItemView) -> None:
        super().__init__(filter_field)
        self._filter = filter_field
        self._list = script_list
        filter_field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._filter and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in LIST_KEYS:
                # Arrows move through the list while the cursor stays in the filter.
                QApplication.sendEvent(self._list, event)
                return True
            if event.type() == QEvent.Type.ShortcutOverride and event.matches(
                QKeySequence.StandardKey.Copy
            ):
                # The line edit would take Ctrl+C for itself; let the dialog's
                # Copy have it, which still copies a selection in the filter.
                return True
        return super().eventFilter(watched, event)
