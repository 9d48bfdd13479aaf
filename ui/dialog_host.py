"""How the window opens its dialogs: over it, without blocking, the keyboard back after."""

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ui.screen_fit import keep_on_screen


class DialogHost:
    """The one dialog open over a window at a time, if any."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._dialog: QDialog | None = None

    def show(self, dialog: QDialog) -> None:
        """Open a dialog without blocking (tests drive it; the rep sees it as modal)."""
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        focused = QApplication.focusWidget()
        dialog.finished.connect(lambda _result: self._take_back_keyboard(focused))
        self._dialog = dialog
        dialog.open()
        keep_on_screen(dialog)

    def current(self) -> QDialog | None:
        return self._dialog

    def _take_back_keyboard(self, focused: QWidget | None) -> None:
        """After a dialog, the keys go back to where the rep was typing.

        Without a window manager (a bare X server, some kiosk setups) nothing
        re-activates the main window, and the next shortcut would go nowhere.
        """
        self._dialog = None
        self._window.activateWindow()
        # The widget may be gone by now (a card section rebuilt while the dialog was up).
        if (
            focused is not None
            and shiboken6.isValid(focused)
            and focused.window() is self._window
            and focused.isVisible()
        ):
            focused.setFocus(Qt.FocusReason.OtherFocusReason)


def close_question(
    window: QWidget,
    name: str,
    title: str,
    text: str,
    detail: str,
    stay: str,
    close_anyway: Callable[[], None],
    leave: str = "Close anyway",
) -> QMessageBox:
    """Ask before closing; staying is the default, for Enter and Esc alike."""
    question = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, window
    )
    question.setObjectName(name)
    question.setTextFormat(Qt.TextFormat.PlainText)
    question.setInformativeText(detail)
    stay_button = question.addButton(stay, QMessageBox.ButtonRole.RejectRole)
    leave_button = question.addButton(leave, QMessageBox.ButtonRole.DestructiveRole)
    question.setDefaultButton(stay_button)
    question.setEscapeButton(stay_button)
    leave_button.clicked.connect(close_anyway)
    return question
