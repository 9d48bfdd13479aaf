"""In a text field, editing keys edit the text, whatever the window's shortcuts say.

Ctrl+Delete means "delete the next word" and Ctrl+Z "undo my typing" to anyone
typing; a window shortcut on the same keys must never fire from inside a text
field (it once deleted a whole prospect). Qt asks the focused widget first
with a ShortcutOverride event; accepting it hands the key to the editor.
"""

from typing import cast

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

TEXT_EDITING_KEYS = (
    QKeySequence.StandardKey.DeleteEndOfWord,
    QKeySequence.StandardKey.DeleteStartOfWord,
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)


def is_text_field(widget: QObject) -> bool:
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return not (isinstance(widget, QLineEdit) and widget.isReadOnly())
    return isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly()


class TextFieldsKeepEditingKeys(QObject):
    """Editing keys typed in a text field go to the field.

    Qt asks only the widget with the keyboard, so only that one is watched, from
    focus change to focus change. A filter on the whole application would be called
    in Python for every event of every widget: a thousand each time the call screen
    changes.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        application = cast(QApplication, QApplication.instance())
        application.focusChanged.connect(self._follow_keyboard)
        self._follow_keyboard(None, QApplication.focusWidget())

    def _follow_keyboard(self, left: QWidget | None, entered: QWidget | None) -> None:
        # The widget left may be on its way out: Qt drops its filters along with it.
        if left is not None and shiboken6.isValid(left):
            left.removeEventFilter(self)
        if entered is not None and is_text_field(entered):
            entered.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_text_field(watched)
            and any(event.matches(key) for key in TEXT_EDITING_KEYS)
        ):
            event.accept()
        return False
