"""Start the window: one QApplication, one CallDesk, one main window.

The core is built once here and handed down (no globals). Backups run on a
timer, in a worker while the window works on, and when the window closes,
throttled by the core. A database too
damaged to open is met with an offer to put its newest good backup back.
"""

import shlex
import sys
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QStatusBar

from callassist import paths
from callassist.core import CallDesk
from callassist.db.backup import SERVER_BACKUPS, Backup
from callassist.errors import KnownError
from ui.background import (
    Outcome,
    WorkerCall,
    collect_garbage_on_this_thread,
    freeze_long_lived_objects,
    run_in_worker,
)
from ui.bridge import DeskBridge
from ui.dialogs.rep_chooser import RepChooser
from ui.mainwindow import MainWindow
from ui.resources import ICON
from ui.screen_fit import keep_dialogs_on_screen

BACKUP_EVERY_MS = 15 * 60 * 1000

UNSEEN_PLATFORMS = frozenset({"offscreen", "minimal"})
"""Qt platforms nobody looks at: a message box there would wait for a click forever."""


class BackupTimer(QTimer):
    """Every :data:`BACKUP_EVERY_MS`, a backup if the core says one is due, in a worker.

    Copying a large database takes a while; the rep keeps typing meanwhile. A
    problem is reported as any other (``bridge.attempt``) once the worker is done.
    """

    backed_up = Signal()
    """A turn's backup is over (written, not due, or its problem reported)."""

    def __init__(self, bridge: DeskBridge, parent: QObject) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._running: WorkerCall[Path | None] | None = None
        self._one_at_a_time = threading.Lock()
        """Held while a backup is written: the last one, at close, waits for a timer's."""
        self.setInterval(BACKUP_EVERY_MS)
        self.timeout.connect(self.back_up)

    def start_or_explain(self, status_bar: QStatusBar) -> None:
        """Start the turns on a SQLite file; on a shared server, say once in the status
        bar that its backups are taken there, rather than back up nothing in silence."""
        if self._bridge.desk.database_file is None:
            status_bar.showMessage(SERVER_BACKUPS)
            return
        self.start()

    def back_up(self) -> None:
        """Back up in a worker, if due; a turn while one runs is left to that one."""
        if self._running is not None:
            return
        self._running = run_in_worker(self._back_up_now, self._ended, owner=self)

    def back_up_at_close(self) -> None:
        """The last backup, on this thread once the window has closed.

        Nothing is left to keep answering then, and a worker's outcome would
        need the event loop that has just ended to be reported.
        """
        self._bridge.attempt(self._back_up_now)

    def _back_up_now(self) -> Path | None:
        with self._one_at_a_time:
            return self._bridge.desk.backup_if_due()

    def _ended(self, outcome: Outcome[Path | None]) -> None:
        self._running = None
        self._bridge.attempt(outcome.get)
        self.backed_up.emit()


def settings_file() -> Path:
    """Window state lives beside the rep's other settings."""
    return paths.config_dir() / "window.ini"


class RestoreOffer(QMessageBox):
    """Asks whether to put a good backup in place of a damaged database."""

    def __init__(self, problem: str, backup: Backup) -> None:
        super().__init__(
            QMessageBox.Icon.Warning,
            "callassist: the database is damaged",
            f"{problem}\n\nThe newest good backup is from {backup.when()}. Restore it? "
            "The damaged file is kept beside it, not deleted; what was typed since "
            "that backup is not in it.",
        )
        self.backup = backup
        self.restore_button = self.addButton(
            f"Restore the backup of {backup.when()}", QMessageBox.ButtonRole.AcceptRole
        )
        self.setDefaultButton(self.addButton(QMessageBox.StandardButton.Cancel))

    def accepted_restore(self) -> bool:
        """Show the offer; True when the rep chose to restore."""
        self.exec()
        return self.clickedButton() is self.restore_button


def restore_command(location: str | None) -> str:
    """The command that does what :class:`RestoreOffer` offers, for a terminal."""
    database = f" --db {shlex.quote(location)}" if location else ""
    return f"callassist{database} restore"


def open_desk(location: str | None, *, seen: bool, rep: str | None = None) -> CallDesk | None:
    """Open the database, offering a restore when it is damaged; None if it stays closed.

    ``seen`` is False on platforms nobody looks at: there the offer is printed
    as a command instead of waiting for a click that never comes.
    """
    try:
        desk = CallDesk.open(location, rep=rep)
    except KnownError as error:
        # The same line the commands print, for a window started from a terminal.
        print(f"callassist: {error}", file=sys.stderr)
        return offer_restore(location, str(error), seen=seen, rep=rep)
    return with_a_rep(desk, seen=seen)


def with_a_rep(desk: CallDesk, *, seen: bool) -> CallDesk | None:
    """``desk`` once it knows which rep it acts as; None (and closed) when nobody said."""
    if desk.rep is None and not choose_rep(desk, seen=seen):
        desk.close()
        return None
    return desk


def choose_rep(desk: CallDesk, *, seen: bool) -> bool:
    """Ask who is at this computer (see :class:`RepChooser`); False when nobody answered.

    Where nobody looks, the command line's line says how to choose instead.
    """
    if not seen:
        print(f"callassist: {desk.rep_problem}", file=sys.stderr)
        return False
    return RepChooser(desk).exec() == QDialog.DialogCode.Accepted


def offer_restore(
    location: str | None, problem: str, *, seen: bool, rep: str | None = None
) -> CallDesk | None:
    """Offer the newest good backup of a damaged database; the restored desk, or None."""
    backup = CallDesk.backup_to_offer(location)
    if backup is None:
        if seen:
            QMessageBox.critical(None, "callassist cannot open the database", problem)
        return None
    if not seen:
        print(
            f"callassist: the newest good backup is from {backup.when()}; put it back with: "
            f"{restore_command(location)}",
            file=sys.stderr,
        )
        return None
    if not RestoreOffer(problem, backup).accepted_restore():
        return None
    try:
        restored = CallDesk.restore(location, str(backup.path))
        desk = CallDesk.open(location, rep=rep)
    except KnownError as error:
        print(f"callassist: {error}", file=sys.stderr)
        QMessageBox.critical(None, "callassist could not restore the backup", str(error))
        return None
    kept = f" The damaged file is kept at {restored.set_aside[0]}." if restored.set_aside else ""
    QMessageBox.information(
        None,
        "callassist: backup restored",
        f"The backup of {backup.when()} is back in place.{kept}",
    )
    return with_a_rep(desk, seen=seen)


def set_up_application(app: QApplication) -> None:
    """Give ``app`` what the rep's window runs with: its name and icon, every dialog kept
    on screen, the cycle collector on the window's thread. The window's benchmark and the
    screenshot script set theirs up here too, so they time and show what the rep gets."""
    app.setApplicationName("callassist")
    app.setDesktopFileName("callassist")
    app.setWindowIcon(QIcon(str(ICON)))
    keep_dialogs_on_screen(app)
    collect_garbage_on_this_thread(app)


def run_window(location: str | None, argv: list[str], *, rep: str | None = None) -> int:
    """Open the window on the database at ``location`` as the rep with the email ``rep``
    (None: see :meth:`CallDesk.open`); return the exit status."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    set_up_application(app)
    seen = app.platformName() not in UNSEEN_PLATFORMS
    desk = open_desk(location, seen=seen, rep=rep)
    if desk is None:
        return 1
    settings = QSettings(str(settings_file()), QSettings.Format.IniFormat)
    bridge = DeskBridge(desk)
    damage: list[str] = []
    bridge.damaged.connect(damage.append)
    window = MainWindow(bridge, settings)
    if damage:
        # It opened, but the reads the window starts with met damaged pages: offer
        # the good backup now, before the rep types into a file that is failing.
        # Declined, or no backup: the window opens on what can still be read.
        shiboken6.delete(window)
        desk.close()
        print(f"callassist: {damage[0]}", file=sys.stderr)
        desk = offer_restore(location, damage[0], seen=seen, rep=rep) or open_desk(
            location, seen=seen, rep=rep
        )
        if desk is None:
            return 1
        bridge = DeskBridge(desk)
        window = MainWindow(bridge, settings)
    with desk:
        # Everything others committed since the desk opened is heard, so the reads
        # the window began with miss nothing.
        bridge.follow_others()
        window.show()
        window.queue.looked.connect(
            freeze_long_lived_objects, Qt.ConnectionType.SingleShotConnection
        )
        # After the window is up: the rep sees callassist at once, then the questions.
        QTimer.singleShot(0, window, window.offer_first_run)
        backups = BackupTimer(bridge, window)
        backups.start_or_explain(window.statusBar())
        show_brought_in(desk, window.statusBar())
        try:
            status = app.exec()
        finally:
            bridge.stop_following_others()
        backups.back_up_at_close()
        # The window goes with its desk. Left to the collector it would live on (the
        # application's signals hold it): its timers reading a closed desk, its filter
        # of every key, its first-run questions still due, in whatever runs next.
        shiboken6.delete(window)
    return status


def show_brought_in(desk: CallDesk, status_bar: QStatusBar) -> None:
    """Say once in the status bar which files of the rep's folders were brought into the
    database on opening (see ``CallDesk.take_brought_in``), beside what it already says."""
    brought = " ".join(f"{line[0].upper()}{line[1:]}." for line in desk.take_brought_in())
    if brought:
        status_bar.showMessage(" ".join(filter(None, (brought, status_bar.currentMessage()))))
