"""Small pieces the call panel's parts share: labels that never read markup, and keys."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget


def scaled_font(widget: QWidget, factor: float, bold: bool = True) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def plain_label(object_name: str = "") -> QLabel:
    """A label for words that may quote the prospect or the rep: never read as markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    if object_name:
        label.setObjectName(object_name)
    return label


def flag_label(object_name: str) -> QLabel:
    """A wrapped, selectable line that shows only when there is something to flag."""
    label = plain_label(object_name)
    label.setWordWrap(True)
    label.setMargin(6)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def window_action(owner: QWidget, text: str, key: str, slot: Callable[[], object]) -> QAction:
    """An action on ``owner`` whose key works anywhere in the window.

    The rep may be typing a pain when the prospect's answer comes.
    """
    action = QAction(text, owner)
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def focus_on(widget: QWidget) -> Callable[[], None]:
    """What a "go to this field" key does."""
    return lambda: widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
