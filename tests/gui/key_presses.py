"""Keys pressed the way a rep presses them: into whatever has the keyboard focus."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press ``key`` on the focused widget; fail when nothing has the focus."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)
