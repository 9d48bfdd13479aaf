"""Render the real window on the demo to a PNG: mid-call, today's queue, or the day review.

Arguments: the PNG, the size (1280x800), then in any order the scene (call),
"dark" for a dark theme (Breeze Dark's colours) and a font size in points for
the whole window (the system's when left out).

Run through ``scripts/screenshot``: it starts Xvfb, and with no arguments renders
every picture the README shows. Everything happens in a throwaway folder: the
demo database, settings and invites never touch yours. The scene is driven with
the same keys a rep would press.
"""

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

SCENES = ("call", "queue", "review")


def dark_palette() -> "QPalette":
    """Breeze Dark's colours: the dark theme most reps on KDE see."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    role = QPalette.ColorRole
    for part, color in (
        (role.Window, "#2a2e32"),
        (role.WindowText, "#fcfcfc"),
        (role.Base, "#1b1e20"),
        (role.AlternateBase, "#232629"),
        (role.Text, "#fcfcfc"),
        (role.PlaceholderText, "#a1a9b1"),
        (role.Button, "#31363b"),
        (role.ButtonText, "#fcfcfc"),
        (role.Highlight, "#3daee9"),
        (role.HighlightedText, "#fcfcfc"),
        (role.ToolTipBase, "#31363b"),
        (role.ToolTipText, "#fcfcfc"),
        (role.Link, "#1d99f3"),
    ):
        palette.setColor(part, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#6e7175"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#6e7175"))
    palette.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#6e7175"))
    return palette


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png").resolve()
    width, height = (
        int(part) for part in (sys.argv[2] if len(sys.argv) > 2 else "1280x800").split("x")
    )
    scene, dark, points = "call", False, 0
    for word in sys.argv[3:]:
        if word in SCENES:
            scene = word
        elif word == "dark":
            dark = True
        elif word.isdigit():
            points = int(word)
        else:
            print(f"unknown {word!r}: a scene ({', '.join(SCENES)}), dark, or a font size")
            return 2
    scratch = Path(tempfile.mkdtemp(prefix="callassist-shot-"))
    os.environ["XDG_DATA_HOME"] = str(scratch / "data")
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")

    from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from callassist.clock import fixed_clock
    from callassist.core import CallDesk
    from ui.app import set_up_application
    from ui.bridge import DeskBridge
    from ui.mainwindow import MainWindow

    app = QApplication(sys.argv[:1])
    if dark:
        # Fusion in the dark: a style that paints with the palette it is given.
        app.setStyle("Fusion")
    set_up_application(app)
    if points:
        font = app.font()
        font.setPointSize(points)
        app.setFont(font)
    if dark:
        app.setPalette(dark_palette())
    # A Tuesday, 9 a.m. in the rep's Chicago: most prospects are at their desks.
    clock = fixed_clock(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    with CallDesk.open(scratch / "demo.sqlite", clock=clock) as desk:
        desk.load_demo()
        window = MainWindow(
            DeskBridge(desk), QSettings(str(scratch / "window.ini"), QSettings.Format.IniFormat)
        )
        window.resize(width, height)
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowExposed(window)

        def wait(milliseconds: int) -> None:
            # An event loop of its own, not QTest.qWait: that keeps the GIL for its
            # whole wait, so the window's workers (the queue's look) never ran in it.
            loop = QEventLoop()
            QTimer.singleShot(milliseconds, loop.quit)
            loop.exec()

        def keys(text: str) -> None:
            QTest.keyClicks(app.focusWidget(), text)
            wait(50)

        def press(
            key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
            QTest.keyClick(app.focusWidget() or window, key, modifier)
            wait(50)

        while window.queue.is_looking():  # the day's first look, worked out on a worker
            wait(50)
        if scene == "queue":
            press(Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
            press(Qt.Key.Key_Return)
        else:
            press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
            keys("brightwire")
            press(Qt.Key.Key_Return)
            press(Qt.Key.Key_F5)
            press(Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
            press(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
            press(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
            keys("clients' ads ring phones nobody answers after six")
            press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
            press(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
            keys("another agency lost a vet group over missed calls")
        shown = window
        if scene == "review":
            press(Qt.Key.Key_F6)
            press(Qt.Key.Key_4)  # rescheduled
            press(Qt.Key.Key_Return)
            press(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
            review = window.current_dialog()
            assert review is not None
            review.resize(width, height)
            QTest.qWaitForWindowExposed(review)
            shown = review
        wait(600)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not shown.grab().save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        window.close()
    print(f"wrote {target} ({width}x{height})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
