"""In a text field, editing keys edit the text, whatever the window's shortcuts say.

Ctrl+Delete means "delete the next word" and Ctrl+Z "undo my typing" to anyone
typing; a window shortcut on the same keys must never fire from inside a text
field (it once deleted a whole prospect). Qt asks the focused widget first
with a ShortcutOverride event; accepting it hands the key to the editor.
"""

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit

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
    """An application event filter: editing keys typed in a text field go to the field."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_text_field(watched)
            and any(event.matches(key) for key in TEXT_EDITING_KEYS)
        ):
            event.accept()
        return False
