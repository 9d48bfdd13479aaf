"""Start the window: one QApplication, one CallDesk, one main window.

The core is built once here and handed down (no globals). Backups run on a
timer and when the window closes, throttled by the core.
"""

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from callassist import paths
from callassist.core import CallDesk
from callassist.errors import KnownError
from ui.bridge import DeskBridge
from ui.mainwindow import MainWindow
from ui.resources import ICON

BACKUP_EVERY_MS = 15 * 60 * 1000

UNSEEN_PLATFORMS = frozenset({"offscreen", "minimal"})
"""Qt platforms nobody looks at: a message box there would wait for a click forever."""


def settings_file() -> Path:
    """Window state lives beside the rep's other settings."""
    return paths.config_dir() / "window.ini"


def run_window(location: str | None, argv: list[str]) -> int:
    """Open the window on the database at ``location``; return the exit status."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("callassist")
    app.setDesktopFileName("callassist")
    app.setWindowIcon(QIcon(str(ICON)))
    try:
        desk = CallDesk.open(location)
    except KnownError as error:
        # The same line the commands print, for a window started from a terminal.
        print(f"callassist: {error}", file=sys.stderr)
        if app.platformName() not in UNSEEN_PLATFORMS:
            QMessageBox.critical(None, "callassist cannot open the database", str(error))
        return 1
    with desk:
        bridge = DeskBridge(desk)
        settings = QSettings(str(settings_file()), QSettings.Format.IniFormat)
        window = MainWindow(bridge, settings)
        window.show()
        window.offer_first_run()
        backups = QTimer(window)
        backups.timeout.connect(lambda: bridge.attempt(desk.backup_if_due))
        backups.start(BACKUP_EVERY_MS)
        status = app.exec()
        bridge.attempt(desk.backup_if_due)
    return status
