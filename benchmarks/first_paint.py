"""Start a window, quit at its first paint: run as a program by the first-paint row.

``app DATABASE``: callassist's real start (``ui.app.run_window``) on that database.
``bare``: the floor: every module the window imports, then an empty main window.
The row times the whole process, interpreter start included, for both.
"""

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class QuitOnFirstPaint(QObject):
    """Ends the event loop once a main window has painted."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            QTimer.singleShot(0, lambda: os._exit(0))
        return False


def main() -> None:
    app = QApplication(sys.argv[:1])
    watcher = QuitOnFirstPaint()
    app.installEventFilter(watcher)
    if sys.argv[1] == "app":
        from ui.app import run_window

        run_window(sys.argv[2], sys.argv[:1])
    else:
        import ui.app  # noqa: F401 (the floor pays for the same imports)

        window = QMainWindow()
        window.resize(1280, 720)
        window.show()
        app.exec()


if __name__ == "__main__":
    main()
