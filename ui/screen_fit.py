"""Windows that open inside the screen they are on, title bar and all.

At 200% scaling on a 1080p screen a dialog laid out for a desktop is taller
than the screen: its Close button and the window manager's title bar end up
where the rep cannot reach them.
"""

from functools import partial

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QDialog, QWidget

WINDOW_FRAME = QMargins(4, 32, 4, 4)
"""What a window manager's title bar and borders usually take; the real frame is
only known once the window is shown, and the first size must already fit."""


def fit_on_screen(window: QRect, available: QRect, frame: QMargins = WINDOW_FRAME) -> QRect:
    """``window`` shrunk and moved so that it and its frame lie inside ``available``.

    A window taller than the screen hides its status bar, and with it what the
    window says about saving and calls.
    """
    inside = available.marginsRemoved(frame)
    fitted = QRect(window.topLeft(), window.size().boundedTo(inside.size()))
    fitted.moveLeft(min(max(fitted.left(), inside.left()), inside.right() - fitted.width() + 1))
    fitted.moveTop(min(max(fitted.top(), inside.top()), inside.bottom() - fitted.height() + 1))
    return fitted


def keep_on_screen(window: QWidget) -> None:
    """Shrink and move a shown ``window`` into the free part of its screen.

    Called once it is shown: only then has Qt placed it (a dialog centred over
    its parent) and does it know which screen it is on. A minimum size larger
    than the screen still wins; the layouts keep those small.
    """
    window.setGeometry(fit_on_screen(window.geometry(), window.screen().availableGeometry()))


class DialogsOnScreen(QObject):
    """Keeps every dialog and message box inside its screen as it opens.

    The window's own dialogs are kept there as it opens them, but message boxes
    (QMessageBox's own functions too), file dialogs and the questions a dialog
    asks open elsewhere. Each is caught as it first takes the keyboard, as a
    dialog does when it opens, and from then on each time it is shown again.
    Watching every event of the whole application would catch them too, at the
    price of a call into Python for each event of every widget: a thousand each
    time the call screen changes.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusWindowChanged.connect(self._window_focused)

    def _window_focused(self, window: QWindow | None) -> None:
        dialog = next(
            (
                widget
                for widget in QApplication.topLevelWidgets()
                if isinstance(widget, QDialog) and widget.windowHandle() == window
            ),
            None,
        )
        if dialog is None or dialog.property(KEPT_ON_SCREEN):
            return
        dialog.setProperty(KEPT_ON_SCREEN, True)
        dialog.installEventFilter(self)
        keep_on_screen_once_laid_out(dialog)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            keep_on_screen_once_laid_out(watched)
        return False


KEPT_ON_SCREEN = "callassistKeptOnScreen"
"""The property that marks a dialog already watched as it is shown again."""


def keep_on_screen_once_laid_out(dialog: QDialog) -> None:
    # Later: a message box works out its size as it is shown.
    QTimer.singleShot(0, dialog, partial(keep_on_screen, dialog))


def keep_dialogs_on_screen(app: QApplication) -> DialogsOnScreen:
    """From now on, every dialog ``app`` opens is kept inside the free part of its screen."""
    keeper = app.findChild(DialogsOnScreen)
    if keeper is not None:  # a second window started in the same application
        return keeper
    return DialogsOnScreen(app)
