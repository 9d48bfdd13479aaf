"""Ctrl+Z on the card undoes the open prospect's typing, never the prospect before's.

A field left with the same text from one prospect to the next kept its undo
history: Ctrl+Z there brought back what was typed for the other prospect, and
saved it into this one.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(open_window, bridge):
    bridge.desk.add_prospect(first_name="Ann", last_name="Able", phone="(312) 555-0101")
    bridge.desk.add_prospect(first_name="Ben", last_name="Baker", phone="(312) 555-0102")
    return open_window(bridge)


def open_by_search(qtbot, window, text):
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), text)
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def editor_text(editor) -> str:
    return editor.text() if isinstance(editor, QLineEdit) else editor.toPlainText()


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (QLineEdit, "field_company"),
        (QPlainTextEdit, "field_notes"),
        (QPlainTextEdit, "research_angle"),
    ],
)
def test_ctrl_z_in_a_field_never_brings_back_the_last_prospects_text(
    qtbot, window, bridge, kind, name
):
    editor = window.card.findChild(kind, name)
    open_by_search(qtbot, window, "Able")
    # Typed for Ann, then rubbed out: her field is empty again, as Ben's is.
    editor.setFocus()
    qtbot.keyClicks(editor, "call back Tuesday")
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor_text(editor) == ""

    open_by_search(qtbot, window, "Baker")
    ben = window.card.current_prospect_id()
    editor.setFocus()
    seen = []
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
        seen.append(editor_text(editor))

    assert seen == ["", "", ""]
    assert window.card.flush()
    detail = bridge.desk.prospect_detail(ben)
    stored = {
        "field_company": detail.prospect.company,
        "field_notes": detail.prospect.notes,
        "research_angle": detail.research.angle,
    }
    assert stored[name] == ""


def test_reopening_the_same_prospect_keeps_ctrl_z_for_what_was_typed(qtbot, window):
    notes = window.card.findChild(QPlainTextEdit, "field_notes")
    open_by_search(qtbot, window, "Able")
    notes.setFocus()
    qtbot.keyClicks(notes, "prefers mornings")

    open_by_search(qtbot, window, "Able")  # the same prospect, opened again
    notes.setFocus()
    qtbot.keyClick(notes, Qt.Key.Key_Z, CTRL)

    assert notes.toPlainText() != "prefers mornings"
