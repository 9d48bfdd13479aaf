"""A call as a rep at 150% or 200% scaling on a 1080p screen sees it.

Not collected on its own: test_scaling.py runs this file in a Qt of its own,
since the scale factor and the screen are fixed when Qt starts.
"""

import os

from key_presses import press
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from test_call_screen import ALT, CTRL, cut_words, fully_in_view, start_call_with_a_pain

from ui.mainwindow import MainWindow
from ui.screen_fit import WINDOW_FRAME


def on_screen(widget):
    """Where ``widget`` is on the screen, in the screen's own (scaled) coordinates."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def out_of_sight(window, parts):
    """The object names of ``parts`` not shown whole inside the screen's free area."""
    available = window.screen().availableGeometry()
    return [
        part.objectName()
        for part in parts
        if not (fully_in_view(part) and available.contains(on_screen(part)))
    ]


def say_back(window):
    """The pain pane's suggestions: what to ask next and the words to say back."""
    return [
        label
        for label in window.findChildren(QLabel)
        if label.objectName() in {"painQuestion", "painAcknowledgement"} and label.isVisible()
    ]


def in_sight(window, parts):
    """Fails, naming them, while any of ``parts`` is not shown whole on the screen."""
    assert out_of_sight(window, parts) == []


def sideways_scrollers(window):
    """Every shown part of the window that has to be scrolled sideways to be read."""
    return [
        area.objectName() or type(area).__name__
        for area in window.findChildren(QAbstractScrollArea)
        if area.isVisible() and area.horizontalScrollBar().maximum() > 0
    ]


def test_mid_call_the_decision_the_pains_and_the_outcome_bar_are_in_sight(
    qtbot, demo_bridge, settings
):
    window = MainWindow(demo_bridge, settings)  # a first start: its first size, fitted
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    available = window.screen().availableGeometry()
    assert window.screen().devicePixelRatio() > 1
    qtbot.waitUntil(lambda: available.contains(window.geometry().marginsAdded(WINDOW_FRAME)))

    start_call_with_a_pain(qtbot, window)
    press(qtbot, Qt.Key.Key_G, ALT)
    press(qtbot, Qt.Key.Key_1, ALT)  # 5 minutes: the advice to reschedule, and its slot
    press(qtbot, Qt.Key.Key_4, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "another agency lost a whole vet group")
    decision = window.findChild(QLabel, "timeCheckDecision")
    words = window.findChild(QLineEdit, "painWords")
    pains = window.findChild(QTableView, "painTable")
    assert decision.text().startswith("Reschedule")
    if float(os.environ["QT_SCALE_FACTOR"]) < 2:
        qtbot.waitUntil(lambda: in_sight(window, (decision, words, pains)))
        qtbot.waitUntil(lambda: cut_words(pains) == [])
    else:
        # 540 points of height: what to say (the proposal, the question to ask and
        # the words to say back) comes before the list of the pains heard earlier,
        # which the rep scrolls up to.
        suggestions = say_back(window)
        assert len(suggestions) == 2
        qtbot.waitUntil(lambda: in_sight(window, (decision, words, *suggestions)))
    assert sideways_scrollers(window) == []

    press(qtbot, Qt.Key.Key_F6)
    outcome = window.findChild(QWidget, "outcomeBar")
    note = window.findChild(QLineEdit, "outcomeNote")
    qtbot.waitUntil(lambda: in_sight(window, (outcome, note, decision)))
    assert sideways_scrollers(window) == []
