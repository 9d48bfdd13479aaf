"""F1: every key of the window, grouped by where it works, read from what is really bound."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from ui.dialogs.review import ReviewDialog
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.shortcuts import (
    ANYWHERE,
    CADENCE_CHOOSER,
    DAY_REVIEW,
    ELSEWHERE,
    GROUP_ORDER,
    OUTCOME_BAR,
    PAINS,
    PROSPECT_LIST,
    SCRIPT_LOOKUP,
    TODAYS_QUEUE,
    TRASH,
    CheatSheetDialog,
    part_name,
    without_mnemonic,
)

WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


@pytest.fixture
def window(open_window, bridge):
    return open_window(bridge)


def open_sheet(qtbot, window) -> CheatSheetDialog:
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    sheet = window.findChild(CheatSheetDialog)
    assert sheet is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet)
    return sheet


def key_names(sequences) -> list[str]:
    return [sequence.toString(QKeySequence.SequenceFormat.NativeText) for sequence in sequences]


def tokens(keys: str) -> set[str]:
    """The single keys a row names: "Alt+Left, Alt+Right" is two, "1 … 7" is seven."""
    found = set()
    for part in keys.split(", "):
        span = re.fullmatch(r"(\d) … (\d)", part)
        if span:
            found |= {str(n) for n in range(int(span[1]), int(span[2]) + 1)}
        else:
            found.add(part)
    return found


def test_f1_lists_every_action_and_shortcut_of_the_window_where_it_works(qtbot, window):
    sheet = open_sheet(qtbot, window)
    rows = sheet.rows()
    listed = {(what, keys): set() for _where, what, keys in rows}
    for where, what, keys in rows:
        listed[(what, keys)].add(where)

    bound = [
        (action, action.shortcuts(), action.shortcutContext(), without_mnemonic(action.text()))
        for action in window.findChildren(QAction)
        if action.shortcuts() and action.isVisible()
    ] + [
        (shortcut, shortcut.keys(), shortcut.context(), shortcut.whatsThis())
        for shortcut in window.findChildren(QShortcut)
        if shortcut.keys()
    ]
    assert len(bound) > 50
    for holder, sequences, context, what in bound:
        places = listed.get((what, ", ".join(key_names(sequences))))
        assert places, f"{what} ({key_names(sequences)}) is not on the sheet"
        if context in WINDOW_WIDE:
            assert places == {ANYWHERE}, what
        else:
            assert ANYWHERE not in places, what
            holders = [w for w in holder.associatedObjects() if isinstance(w, QWidget)]
            assert {
                part_name(w) for w in holders if w.metaObject().className() != "QMenu"
            } <= places
    assert ELSEWHERE not in {where for where, _what, _keys in rows}


def test_pane_and_dialog_keys_are_listed_under_where_they_work(qtbot, window):
    sheet = open_sheet(qtbot, window)
    shown = {(where, keys) for where, _what, keys in sheet.rows()}

    for expected in [
        (ANYWHERE, "F5"),
        (ANYWHERE, "Ctrl+K"),
        (ANYWHERE, "F1"),
        (PROSPECT_LIST, "Enter"),
        (PROSPECT_LIST, "Shift+Up, Shift+Down"),
        (TODAYS_QUEUE, "Alt+D"),
        (TODAYS_QUEUE, "Alt+T"),
        (TODAYS_QUEUE, "Enter"),
        (CADENCE_CHOOSER, "Up, Down"),
        (CADENCE_CHOOSER, "Enter"),
        (OUTCOME_BAR, "1"),
        (OUTCOME_BAR, "7"),
        (OUTCOME_BAR, "Return, Enter"),
        (OUTCOME_BAR, "Esc"),
        (PAINS, "Alt+A"),
        (PAINS, "Alt+Down"),
        (SCRIPT_LOOKUP, "Enter, Ctrl+C"),
        (SCRIPT_LOOKUP, "Ctrl+M"),
        (SCRIPT_LOOKUP, "Ctrl+D"),
        (DAY_REVIEW, "Alt+Left, Alt+Right"),
        (DAY_REVIEW, "Ctrl+P"),
        (DAY_REVIEW, "1 … 7"),
        (ANYWHERE, "Alt+U"),
        (ANYWHERE, "Ctrl+Shift+T"),
        (ANYWHERE, "Shift+F5"),
        (TRASH, "Enter"),
    ]:
        assert expected in shown, expected

    # The groups come in a fixed order, each named once at its first row.
    groups = [where for where, _what, _keys in sheet.rows()]
    firsts = list(dict.fromkeys(groups))
    assert firsts == sorted(firsts, key=GROUP_ORDER.index)
    assert firsts[0] == ANYWHERE
    column = [sheet.table.item(row, 0).text() for row in range(sheet.table.rowCount())]
    assert [name for name in column if name] == firsts

    assert sheet.table.hasFocus()
    qtbot.keyClick(sheet.table, Qt.Key.Key_Escape)
    assert not sheet.isVisible()


def test_every_mnemonic_of_the_window_is_listed_under_its_pane(qtbot, window):
    sheet = open_sheet(qtbot, window)
    shown = {(where, keys) for where, _what, keys in sheet.rows()}
    mnemonics = [
        (widget, widget.text())
        for widget in window.findChildren(QAbstractButton)
        if isinstance(widget, QAbstractButton)
    ] + [(label, label.text()) for label in window.findChildren(QLabel) if label.buddy()]
    found = 0
    for widget, text in mnemonics:
        letter = re.search(r"&([^&])", text.replace("&&", ""))
        if letter:
            found += 1
            assert (part_name(widget), f"Alt+{letter[1].upper()}") in shown, text
    assert found >= 2  # the queue's "&Day" and "&Today"


@pytest.mark.parametrize(
    ("dialog_type", "where"), [(ScriptLookupDialog, SCRIPT_LOOKUP), (ReviewDialog, DAY_REVIEW)]
)
def test_each_dialogs_declared_keys_cover_its_actions(qtbot, window, bridge, dialog_type, where):
    prospect = bridge.desk.add_prospect(first_name="Dana", phone="(312) 555-0150")
    dialog = (
        ScriptLookupDialog(bridge, prospect.id)
        if dialog_type is ScriptLookupDialog
        else ReviewDialog(bridge)
    )
    qtbot.addWidget(dialog)
    sheet = open_sheet(qtbot, window)
    declared = set().union(*(tokens(keys) for group, _what, keys in sheet.rows() if group == where))

    bound = {
        "Enter" if key == "Return" else key
        for action in dialog.findChildren(QAction)
        for key in key_names(action.shortcuts())
    }
    assert bound
    assert bound <= declared, bound - declared
