"""The call screen as a whole: reachable by Tab, named for a screen reader, readable, in view."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def start_call_with_a_pain(qtbot, window):
    """Brightwire open, on the call, one present pain noted in their words."""
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "brightwire")
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()
    press(qtbot, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "ads ring phones nobody answers")


def walk(qtbot, window, backwards=False, limit=40):
    """Press Tab (or Shift+Tab) until the keys leave the call panel; the names passed."""
    passed = []
    for _ in range(limit):
        if backwards:
            press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            press(qtbot, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if not window.call_panel.isAncestorOf(focused):
            return passed
        passed.append(focused.objectName())
    raise AssertionError(f"Tab never left the call panel: {passed[-10:]}")


def in_order(passed, wanted):
    """``wanted`` appear in ``passed`` in this order, each exactly once."""
    assert [name for name in passed if name in wanted] == list(wanted), passed


def test_tab_walks_the_call_from_the_time_check_through_the_pains_and_out(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    window.call_panel.findChild(QWidget, "timeCheckAsked").setFocus()

    forward = ["timeCheckAsked", *walk(qtbot, window)]
    in_order(
        forward,
        ("timeCheckAsked", "timeCheckMinutes", "timeCheckCallType", "painTable", "painWords"),
    )
    backward = walk(qtbot, window, backwards=True)
    in_order(backward, ("painWords", "painTable", "timeCheckCallType", "timeCheckAsked"))

    # Hung up: the outcome bar joins the chain after the pains, and Tab leaves it too.
    press(qtbot, Qt.Key.Key_F6)
    window.call_panel.findChild(QWidget, "painWords").setFocus()
    ending = walk(qtbot, window)
    in_order(ending, ("painAsked", "outcome_connected", "outcomeNote", "logCallButton"))
    assert "painTable" not in ending
