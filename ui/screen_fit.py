"""Windows that open inside the screen they are on, title bar and all.

At 200% scaling on a 1080p screen a dialog laid out for a desktop is taller
than the screen: its Close button and the window manager's title bar end up
where the rep cannot reach them.
"""

from PySide6.QtCore import QMargins, QRect
from PySide6.QtWidgets import QWidget

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
