"""The crash test's child: the real window, typed into with the rep's keys until killed.

Started by ``scripts/crashtest.py`` as ``crashtest_child.py PLAN.json FD``. It
opens the window the way ``callassist --db PATH`` does (the installed entry
point, through ``ui.app.run_window``), then carries out the plan's steps on
timers, so the event loop runs between keys as it does for a rep. Each key and
each change of field is written to file descriptor FD at once, one JSON line
each, stamped with ``time.monotonic()``; the parent reads them after the kill.

The child only presses keys. It reads the window (which prospect is open, the
pain being typed) to name the records the keys went to, and checks after every
key that the text on screen is what was typed, so a harness mistake shows up as
an error instead of as a loss.
"""

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from crashtest_plan import (
    CALL,
    END_CALL,
    FIELD_CHANGE,
    LOG,
    NOTE,
    OPEN,
    PAIN,
    PROSPECT_SWITCH,
    RESEARCH,
    SHORTCUT_GAP_MS,
    Step,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

from ui import launcher
from ui.autosave import Editor, editor_text
from ui.mainwindow import MainWindow
from ui.widgets.pain_pane import PainPane

Ctrl = Qt.KeyboardModifier.ControlModifier
Shift = Qt.KeyboardModifier.ShiftModifier
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
ACTIVATION_POLLS = 250
"""Times 20 ms: how long the window may take to become active."""


class DriverError(Exception):
    """The window did not do what the keys ask: the harness, not a loss, is at fault."""


class Reporter:
    """Writes events to the parent's pipe, unbuffered: a kill cannot take them back."""

    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def __call__(self, event: str, **details: object) -> None:
        line = json.dumps({"event": event, "t": time.monotonic(), **details})
        os.write(self._descriptor, line.encode() + b"\n")


class Typist:
    """Carries out the plan on the window with keys, one timer shot per key."""

    def __init__(self, steps: list[Step], report: Reporter) -> None:
        self._steps = steps
        self._report = report
        self._actions: Iterator[int] = iter(())
        self._window: MainWindow | None = None
        self._field = ""
        """The field being typed in ("" when none)."""
        self._prospect = 0

    # -- the timer loop ---------------------------------------------------------------

    def start(self) -> None:
        self._actions = self._carry_out_plan()
        self._next()

    def _next(self) -> None:
        try:
            wait_ms = next(self._actions)
        except StopIteration:
            self._report("done")
            return
        except Exception as error:
            self._report("error", message=f"{error}\n{traceback.format_exc()}")
            QApplication.exit(3)
            return
        QTimer.singleShot(wait_ms, self._next)

    def _carry_out_plan(self) -> Iterator[int]:
        """Press the plan's keys, yielding how long to wait (ms) before going on."""
        while (window := self._find_window()) is None:
            yield 20
        self._window = window
        window.activateWindow()
        for _ in range(ACTIVATION_POLLS):
            if window.isActiveWindow():
                break
            yield 20
        else:
            raise DriverError("the window never became active")
        self._report("ready")
        actions: dict[str, Callable[[Step], Iterator[int]]] = {
            OPEN: self._open,
            RESEARCH: self._research,
            CALL: self._call,
            PAIN: self._pain,
            END_CALL: self._end_call,
            NOTE: self._note,
            LOG: self._log,
        }
        for step in self._steps:
            yield step.wait_ms
            yield from actions[step.action](step)

    @staticmethod
    def _find_window() -> MainWindow | None:
        return next(
            (widget for widget in QApplication.topLevelWidgets() if isinstance(widget, MainWindow)),
            None,
        )

    # -- the steps ----------------------------------------------------------------------

    def _open(self, step: Step) -> Iterator[int]:
        self._press(Qt.Key.Key_F, Ctrl)
        self._leave(PROSPECT_SWITCH)
        search = QApplication.focusWidget()
        if not isinstance(search, QLineEdit):
            raise DriverError(f"Ctrl+F put the cursor in {search!r}, not the search box")
        yield SHORTCUT_GAP_MS
        for wait_ms, char in step.keys:
            yield wait_ms
            QTest.keyClicks(search, char)
        yield SHORTCUT_GAP_MS
        self._press(Qt.Key.Key_Return)
        opened = self._main().card.current_prospect_id()
        if opened != step.prospect:
            raise DriverError(f"searching {search.text()!r} opened {opened}, not {step.prospect}")
        self._prospect = opened
        self._report("opened", prospect=opened)

    def _research(self, step: Step) -> Iterator[int]:
        self._press(Qt.Key.Key_R, Ctrl | Shift)
        yield SHORTCUT_GAP_MS
        self._press(Qt.Key.Key_End, Ctrl)
        notes = self._focused_editor("research_company_summary")
        yield from self._type(f"research:{self._prospect}", RESEARCH, self._prospect, notes, step)

    def _call(self, _step: Step) -> Iterator[int]:
        self._press(Qt.Key.Key_F5)
        if not self._main().call_panel.in_call():
            # A call to them was logged minutes ago: the window asks for F5 once more.
            yield SHORTCUT_GAP_MS
            self._press(Qt.Key.Key_F5)
        if not self._main().call_panel.in_call():
            raise DriverError("F5 started no call")
        self._leave(FIELD_CHANGE)

    def _pain(self, step: Step) -> Iterator[int]:
        before = self._field
        self._press(Qt.Key(Qt.Key.Key_0.value + step.number), Ctrl)
        words = self._focused_editor("painWords")
        pain_pane = self._main().findChild(PainPane)
        pain = pain_pane.current_pain() if pain_pane is not None else None
        if pain is None or f"pain:{pain.id}" == before:
            raise DriverError(f"Ctrl+{step.number} noted no new pain")
        # The words box keeps the cursor: the pain it edits is what changed.
        self._leave(FIELD_CHANGE)
        yield from self._type(f"pain:{pain.id}", PAIN, pain.id, words, step)

    def _end_call(self, _step: Step) -> Iterator[int]:
        self._press(Qt.Key.Key_F6)
        focused = QApplication.focusWidget()
        if focused is None or not focused.objectName().startswith("outcome_"):
            raise DriverError(f"F6 put the cursor on {focused!r}, not an outcome")
        self._leave(FIELD_CHANGE)
        yield from ()

    def _note(self, step: Step) -> Iterator[int]:
        attempt = self._main().call_panel.current_attempt_id()
        self._press(Qt.Key(Qt.Key.Key_0.value + step.number))
        note = self._focused_editor("outcomeNote")
        if attempt is None:
            raise DriverError("an outcome note with no call")
        yield from self._type(f"note:{attempt}", NOTE, attempt, note, step)

    def _log(self, _step: Step) -> Iterator[int]:
        self._press(Qt.Key.Key_Return)
        if self._main().call_panel.in_call():
            raise DriverError("Enter did not log the call")
        self._leave(FIELD_CHANGE)
        yield from ()

    # -- keys ---------------------------------------------------------------------------

    def _type(self, name: str, kind: str, record: int, editor: Editor, step: Step) -> Iterator[int]:
        before = editor_text(editor)
        typed = ""
        self._field = name
        self._report(
            "enter",
            field=name,
            kind=kind,
            prospect=self._prospect,
            record=record,
            rhythm=step.rhythm,
        )
        for wait_ms, char in step.keys:
            yield wait_ms
            if QApplication.focusWidget() is not editor:
                raise DriverError(f"the cursor left {name} while typing")
            QTest.keyClicks(editor, char)
            typed += char
            if editor_text(editor) != before + typed:
                raise DriverError(f"{name} shows {editor_text(editor)!r} after typing {typed!r}")
            self._report("key", field=name, char=char)

    def _leave(self, reason: str) -> None:
        """The key just pressed took the rep out of the field being typed, if any."""
        if self._field:
            self._report("leave", field=self._field, reason=reason)
            self._field = ""

    def _press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODIFIER) -> None:
        QTest.keyClick(QApplication.focusWidget() or self._main(), key, modifiers)

    def _focused_editor(self, name: str) -> QLineEdit | QPlainTextEdit:
        focused = QApplication.focusWidget()
        if not isinstance(focused, QLineEdit | QPlainTextEdit) or focused.objectName() != name:
            raise DriverError(f"the cursor is in {focused!r}, not {name}")
        return focused

    def _main(self) -> MainWindow:
        if self._window is None:
            raise DriverError("the window is not open yet")
        return self._window


def main(plan_file: Path, descriptor: int) -> int:
    plan = json.loads(plan_file.read_text())
    steps = [
        Step(**{**step, "keys": tuple(tuple(key) for key in step["keys"])})
        for step in plan["steps"]
    ]
    # run_window takes this application, so the typist's timer can be set before it.
    _application = QApplication(["callassist"])
    typist = Typist(steps, Reporter(descriptor))
    QTimer.singleShot(0, typist.start)
    sys.argv = ["callassist", "--db", plan["database"]]
    return launcher.main()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
