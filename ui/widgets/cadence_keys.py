"""The cadence keys, the same on the card (the open prospect) and in the prospect list."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

ENROLL_KEY = "Ctrl+E"
PAUSE_KEY = "Ctrl+Shift+P"
RESUME_KEY = "Ctrl+Shift+G"
REMOVE_KEY = "Ctrl+Shift+X"


def cadence_action(owner: QWidget, text: str, key: str, context: Qt.ShortcutContext) -> QAction:
    """An action on ``owner`` with its key, working where ``context`` says."""
    action = QAction(text, owner)
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(context)
    owner.addAction(action)
    return action
