"""The window's own rows, measured in the real window driven by keys (offscreen).

Run as a program by benchmarks/run.py: ``window_probe.py DATABASE PAIRS``. It
prints one JSON line per row: the row's name and the paired timings.

- Keystroke to list updated: a letter typed in the search box until the list
  says it shows the matches (the search on its worker and the hand-over back
  included, because the rep waits for them too); the floor is the same search
  reads and page read.
- Longest stall during a call: a heartbeat timer notes every turn of the event
  loop while the rep opens a prospect (found by name, or every other call the one
  heading today's queue), starts the call (F5), notes a pain and
  types it (autosave), ends the call (F6), writes an outcome note, logs it and
  the queue's own minute timer fires (the settling and the look it sets off);
  the longest gap between two turns is the stall the rep feels. The floor is
  the longest gap of an idle window over the same time.

Both are timed once the queue's first look has arrived: until then the workers
work every running cadence out, the start-up's cost rather than a call's. The
window hears other programs meanwhile, as the rep's does.
"""

import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from benchmarks import floors
from benchmarks.dataset import CLOCK, surname
from callassist.core import CallDesk
from ui.app import set_up_application
from ui.background import freeze_long_lived_objects
from ui.bridge import DeskBridge
from ui.mainwindow import MainWindow
from ui.widgets.prospect_list import ProspectListPane
from ui.widgets.queue_pane import MINUTE_TIMER, QueuePane

HEARTBEAT_MS = 2
IDLE_MS = 1_500
"""How long each step is watched for delayed work (autosave waits 300-900 ms)."""


def spin(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


class Heartbeat:
    """Notes the longest time the event loop went without a turn."""

    def __init__(self) -> None:
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._beat)
        self._last = 0
        self.longest_ms = 0

    def start(self) -> None:
        self._clock.start()
        self._last = 0
        self.longest_ms = 0
        self._timer.start()

    def _beat(self) -> None:
        now = self._clock.elapsed()
        self.longest_ms = max(self.longest_ms, now - self._last)
        self._last = now

    def mark(self) -> float:
        """Seconds of the longest gap since the start or the last mark; starts a new count."""
        self._beat()
        longest, self.longest_ms = self.longest_ms, 0
        return longest / 1000

    def stop(self) -> None:
        self._timer.stop()


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key to whatever has the keyboard, measured by the heartbeat as the rep would feel it."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    QTest.keyClick(widget, key, modifiers)


def type_text(text: str) -> None:
    for char in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        QTest.keyClicks(widget, char)
        spin(60)


def keystroke_to_list(window: MainWindow, letter: str) -> float:
    """Seconds from a letter typed in the search box to the list showing its matches."""
    pane = window.findChild(ProspectListPane)
    search = window.findChild(QLineEdit, "prospectSearch")
    assert pane is not None
    assert search is not None
    search.clear()
    spin(300)
    search.setFocus()
    loop = QEventLoop()
    pane.searched.connect(loop.quit)
    start = time.perf_counter()
    QTest.keyClicks(search, letter)
    loop.exec()
    elapsed = time.perf_counter() - start
    pane.searched.disconnect(loop.quit)
    return elapsed


def call_stall(window: MainWindow, prospect: int | None, heartbeat: Heartbeat) -> dict[str, float]:
    """The longest event-loop gap of each step of one call made by keys (and the delayed
    work it set off), from finding the prospect to the queue's tick after logging.

    ``prospect``: found by name in the list; None: the one heading today's queue,
    as a rep working through the day's cadence steps calls them."""
    control = Qt.KeyboardModifier.ControlModifier
    queue = window.findChild(QueuePane)
    assert queue is not None
    minute = queue.findChild(QTimer, MINUTE_TIMER)
    assert minute is not None
    if prospect is None:
        find: list[tuple[str, Callable[[], None]]] = [
            ("take the queue's first (Ctrl+T)", lambda: press(Qt.Key.Key_T, control)),
        ]
    else:
        find = [
            ("find them (Ctrl+F, type the name)", lambda: press(Qt.Key.Key_F, control)),
            ("find them (Ctrl+F, type the name)", lambda: type_text(surname(prospect))),
        ]
    steps: list[tuple[str, Callable[[], None]]] = [
        *find,
        ("open them (Enter)", lambda: press(Qt.Key.Key_Return)),
        ("start the call (F5)", lambda: press(Qt.Key.Key_F5)),
        (
            "start the call (F5)",
            lambda: None if window.call_panel.in_call() else press(Qt.Key.Key_F5),
        ),
        ("note a pain (Ctrl+1)", lambda: press(Qt.Key.Key_1, control)),
        ("type the pain (autosave)", lambda: type_text("losing calls after six")),
        ("end the call (F6)", lambda: press(Qt.Key.Key_F6)),
        ("type an outcome note (autosave)", lambda: press(Qt.Key.Key_1)),
        ("type an outcome note (autosave)", lambda: type_text("wants a demo")),
        ("log the call (Enter)", lambda: press(Qt.Key.Key_Return)),
        ("the queue's minute tick", minute.timeout.emit),
    ]
    worst: dict[str, float] = {}
    heartbeat.start()
    for name, step in steps:
        heartbeat.mark()
        step()
        spin(IDLE_MS // 3)
        worst[name] = max(worst.get(name, 0.0), heartbeat.mark())
    heartbeat.stop()
    return worst


def settled(window: MainWindow) -> None:
    """Wait for the queue's first look: at start-up the window's workers work every
    running cadence out, seconds at 20,000 enrolled, and the rows time the day after it."""
    queue = window.findChild(QueuePane)
    assert queue is not None
    while queue.is_looking():
        spin(100)


def idle_stall(heartbeat: Heartbeat, milliseconds: int) -> float:
    heartbeat.start()
    spin(milliseconds)
    longest = heartbeat.mark()
    heartbeat.stop()
    return longest


def main(database: Path, pairs: int) -> None:
    app = QApplication(sys.argv[:1])
    set_up_application(app)  # as the rep's window runs (ui/app.py)
    desk = CallDesk.open(database, clock=CLOCK, backup_folder=database.parent / "b")
    plain = sqlite3.connect(database)
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "window.ini"), QSettings.Format.IniFormat)
        bridge = DeskBridge(desk)
        bridge.follow_others()  # as the rep's window does (ui/app.py)
        window = MainWindow(bridge, settings)
        window.resize(1366, 768)
        window.show()
        spin(500)
        settled(window)
        freeze_long_lived_objects()  # as ui/app.py does at the queue's first look
        count = plain.execute("SELECT max(id) FROM prospects").fetchone()[0]
        letters, keystrokes, floor_searches = "bdghklmnprstw", [], []
        for turn in range(max(pairs, 5)):
            letter = letters[turn % len(letters)]
            keystrokes.append(keystroke_to_list(window, letter))
            start = time.perf_counter()
            floors.search_page(plain, letter, 50)
            floor_searches.append(time.perf_counter() - start)
        report("keystroke in the search box -> list updated", keystrokes, floor_searches)
        heartbeat = Heartbeat()
        stalls: list[float] = []
        idle: list[float] = []
        by_step: dict[str, float] = {}
        for turn in range(pairs):
            # Every other call is the queue's first; the others a different prospect
            # found by name each time, none called in the last five minutes.
            prospect = None if turn % 2 else (count // 3 + turn * 7919) % count + 1
            steps = call_stall(window, prospect, heartbeat)
            stalls.append(max(steps.values()))
            idle.append(idle_stall(heartbeat, IDLE_MS))
            for name, seconds in steps.items():
                by_step[name] = max(by_step.get(name, 0.0), seconds)
        worst = max(by_step, key=by_step.__getitem__)
        note = f"worst step: {worst}, {by_step[worst] * 1000:.0f} ms"
        report("longest window stall during a call by keys", stalls, idle, note)
        window.close()
        bridge.stop_following_others()
    plain.close()
    desk.close()
    app.quit()


def report(name: str, ours: list[float], floor: list[float], note: str = "") -> None:
    print(json.dumps({"row": name, "ours": ours, "floor": floor, "note": note}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
