"""The Qt binding itself: a release that corrupts Python's reference counts is refused.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to True on every
Python-side emit() and one to None on every slot call from C++; after a few
hours of use the interpreter aborts. pyproject.toml keeps it out; this test
catches it (or a relapse) coming back.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit


class Emitter(QObject):
    fired = Signal(int)


def test_emitting_a_signal_keeps_reference_counts(qapp):
    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.fired.emit(1)
    # A stray reference either way is noise; the bug loses one per call.
    assert before - sys.getrefcount(True) < 10


def test_slot_calls_from_qt_keep_reference_counts(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.textChanged.connect(lambda _text: None)
    before = sys.getrefcount(None)
    for number in range(100):
        edit.setText(str(number))
    assert before - sys.getrefcount(None) < 10
