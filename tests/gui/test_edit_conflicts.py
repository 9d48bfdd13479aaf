"""Two reps on one database edit the same notes: the one who saves second is asked.

Sam's window (the test's desk) and Jo's desk (another connection, as on another
computer) share a database. Jo saves first; Sam's next autosave is refused and
a dialog shows Jo's text beside Sam's, driven here by keys as a rep would. The
settings dialog, saving the whole profile at once, says so and saves on a second Save.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from callassist.core import CallDesk
from callassist.errors import StaleEditError
from callassist.records import ProspectRecord
from ui.dialogs.edit_conflict import EDIT_CONFLICT_KEYS, EditConflictDialog
from ui.dialogs.settings import SettingsDialog
from ui.mainwindow import MainWindow

JO = "jo@northwind.example"
JOS_SAVE = "Jo Park changed the research notes on Dana Whitfield at 10:00; yours were not saved."


@pytest.fixture
def sams_window(jos_desk, open_window, bridge, dana) -> MainWindow:
    """Sam's window with Dana's card open, her research never edited yet."""
    del jos_desk
    window = open_window(bridge)
    window.open_prospect(dana.id)
    return window


def research(window: MainWindow, name: str) -> QPlainTextEdit:
    return window.card.findChild(QPlainTextEdit, f"research_{name}")


def save_status(window: MainWindow) -> str:
    return window.findChild(QLabel, "saveStatus").text()


def type_into(qtbot, editor: QPlainTextEdit | QLineEdit, text: str) -> None:
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)


def asked(qtbot, window: MainWindow) -> EditConflictDialog:
    """The dialog Sam's next autosave opens, once it has the keyboard."""
    qtbot.waitUntil(lambda: isinstance(window.current_dialog(), EditConflictDialog))
    dialog = window.current_dialog()
    assert isinstance(dialog, EditConflictDialog)
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and dialog.focusWidget() is not None)
    return dialog


def stored_angle(desk: CallDesk, prospect: ProspectRecord) -> str:
    return desk.prospect_detail(prospect.id).research.angle


def text_of(dialog: EditConflictDialog, name: str) -> str:
    return dialog.findChild(QPlainTextEdit, name).toPlainText()


@pytest.mark.parametrize(
    ("key", "kept"),
    [(Qt.Key.Key_M, "Sam's angle"), (Qt.Key.Key_T, "Jo's angle")],
    ids=["keep mine", "keep theirs"],
)
def test_after_a_colleague_saved_first_the_rep_keeps_one_text(
    qtbot, sams_window, jos_desk, desk, dana, key, kept
):
    jos_desk.update_research(dana.id, angle="Jo's angle", seen_version=0)
    type_into(qtbot, research(sams_window, "angle"), "Sam's angle")

    dialog = asked(qtbot, sams_window)
    assert dialog.findChild(QLabel, "conflictMessage").text().startswith(JOS_SAVE)
    assert (text_of(dialog, "theirs"), text_of(dialog, "yours")) == ("Jo's angle", "Sam's angle")
    assert stored_angle(desk, dana) == "Jo's angle"  # nothing of Sam's written yet
    assert save_status(sams_window).startswith("⚠ Not saved, yours kept on screen:")

    qtbot.keyClick(dialog.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    assert stored_angle(desk, dana) == kept
    assert research(sams_window, "angle").toPlainText() == kept
    assert save_status(sams_window) == "✓ All saved"


def test_a_merge_written_in_the_dialog_is_what_is_saved(qtbot, sams_window, jos_desk, desk, dana):
    jos_desk.update_research(dana.id, angle="Jo's angle", seen_version=0)
    type_into(qtbot, research(sams_window, "angle"), "Sam's angle")
    dialog = asked(qtbot, sams_window)

    yours = dialog.findChild(QPlainTextEdit, "yours")
    assert QApplication.focusWidget() is yours
    qtbot.keyClick(yours, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(yours, ", then Jo's")
    qtbot.keyClick(yours, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    assert stored_angle(desk, dana) == "Sam's angle, then Jo's"
    assert research(sams_window, "angle").toPlainText() == "Sam's angle, then Jo's"
    # Jo's save, then Sam's merge on it: the second edit of these notes.
    assert desk.prospect_detail(dana.id).research.version == 2


def test_esc_keeps_the_rep_s_text_unsaved_and_a_reload_does_not_overwrite_it(
    qtbot, sams_window, jos_desk, desk, dana
):
    jos_desk.update_research(dana.id, angle="Jo's angle", seen_version=0)
    angle = research(sams_window, "angle")
    type_into(qtbot, angle, "Sam's angle")
    dialog = asked(qtbot, sams_window)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    assert angle.toPlainText() == "Sam's angle"
    assert (
        save_status(sams_window)
        == f"⚠ Not saved, yours kept on screen: Research notes, angle: {JOS_SAVE}"
    )

    # Sam writes another note: it is saved (Jo left that one alone), and the card's
    # reload that follows leaves his unsaved angle on screen.
    type_into(qtbot, research(sams_window, "company_summary"), "Dental chain")
    qtbot.waitUntil(
        lambda: desk.prospect_detail(dana.id).research.company_summary == "Dental chain"
    )
    # The reload is read on a worker a moment after the save: checked once it has arrived.
    qtbot.waitUntil(lambda: not sams_window.card.is_reading())
    assert angle.toPlainText() == "Sam's angle"
    assert stored_angle(desk, dana) == "Jo's angle"
    assert sams_window.current_dialog() is None  # leaving the field did not ask again
    assert save_status(sams_window).startswith("⚠ Not saved, yours kept on screen:")
    sams_window.open_prospect(dana.id)  # opened again from the list: still there
    assert angle.toPlainText() == "Sam's angle"
    assert sams_window.findChild(QLabel, "problemMessage").text() == (
        "⚠ What you typed here is not saved yet (the status bar says why). "
        "Open another prospect once it says all is saved."
    )

    # Typing in it again asks again: still nothing written over Jo's.
    angle.setFocus()
    qtbot.keyClicks(angle, "!")
    dialog = asked(qtbot, sams_window)
    assert text_of(dialog, "yours") == "Sam's angle!"
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: stored_angle(desk, dana) == "Sam's angle!")


def test_closing_after_a_colleague_saved_first_offers_to_go_back_to_the_text(
    qtbot, sams_window, jos_desk, desk, dana
):
    jos_desk.update_research(dana.id, angle="Jo's angle", seen_version=0)
    angle = research(sams_window, "angle")
    type_into(qtbot, angle, "Sam's angle")
    dialog = asked(qtbot, sams_window)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)  # neither kept yet
    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    summary = research(sams_window, "company_summary")
    summary.setFocus()

    def closing_question() -> QMessageBox:
        sams_window.close()
        question = sams_window.current_dialog()
        assert isinstance(question, QMessageBox)
        qtbot.waitUntil(lambda: question.isActiveWindow() and question.focusWidget() is not None)
        return question

    question = closing_question()
    assert question.objectName() == "closeColleagueFirst"
    assert question.text() == (
        "A colleague saved first: what you typed is still on screen, not saved. "
        "Go back to it, or close without it?"
    )
    assert question.informativeText() == f"Research notes, angle: {JOS_SAVE}"
    assert "keeps trying" not in question.informativeText()
    assert sorted(button.text() for button in question.buttons()) == [
        "&Go back to my text",
        "Close &without it",
    ]
    qtbot.keyClick(question.focusWidget(), Qt.Key.Key_Return)  # the default: go back
    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    assert sams_window.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is angle)
    assert angle.toPlainText() == "Sam's angle"

    question = closing_question()
    qtbot.keyClick(question.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not sams_window.isVisible())
    assert stored_angle(desk, dana) == "Jo's angle"


def test_a_colleague_s_save_of_another_field_is_no_conflict(
    qtbot, sams_window, jos_desk, desk, dana
):
    jos_desk.update_research(dana.id, company_summary="Dental chain", seen_version=0)
    type_into(qtbot, research(sams_window, "angle"), "Sam's angle")
    qtbot.waitUntil(lambda: stored_angle(desk, dana) == "Sam's angle")
    assert sams_window.current_dialog() is None
    assert desk.prospect_detail(dana.id).research.company_summary == "Dental chain"


def test_the_prospect_s_notes_are_guarded_the_same_way(qtbot, sams_window, jos_desk, desk, dana):
    jos_desk.update_prospect(dana.id, notes="Prefers email", seen_version=dana.version)
    notes = sams_window.card.findChild(QWidget, "field_notes")
    type_into(qtbot, notes, "Call mornings")
    dialog = asked(qtbot, sams_window)
    assert (text_of(dialog, "theirs"), text_of(dialog, "yours")) == (
        "Prefers email",
        "Call mornings",
    )
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: sams_window.current_dialog() is None)
    assert notes.toPlainText() == "Prefers email"
    assert desk.prospect(dana.id).notes == "Prefers email"


def test_settings_saved_elsewhere_since_they_opened_are_said_and_saved_on_a_second_save(
    qtbot, bridge, jos_desk, desk, db_location, clock, tmp_path
):
    del jos_desk
    dialog = SettingsDialog(bridge)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    with CallDesk.open(
        db_location, clock=clock, rep="sam@northwind.example", backup_folder=tmp_path / "b"
    ) as laptop:
        laptop.update_profile(company="Northwind Calls")
    company = dialog.findChild(QLineEdit, "profileCompany")
    company.setFocus()
    qtbot.keyClick(company, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(company, "Northwind Ltd")

    qtbot.keyClick(company, Qt.Key.Key_Return)
    error = dialog.findChild(QLabel, "settingsError")
    assert error.text() == (
        "You, elsewhere, changed this profile at 10:00; yours were not saved. "
        "Save again to keep yours, or Esc to keep that."
    )
    assert dialog.isVisible()
    assert desk.profile().company == "Northwind Calls"

    qtbot.keyClick(company, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert desk.profile().company == "Northwind Ltd"


def test_a_colleague_s_note_does_not_hold_up_a_number_retyped_on_the_card(
    qtbot, sams_window, jos_desk, desk, dana
):
    jos_desk.update_prospect(dana.id, notes="Prefers email", seen_version=dana.version)
    phone = sams_window.card.findChild(QLineEdit, "field_phone")
    assert phone.text() == "(505) 828-1788"
    type_into(qtbot, phone, "(505) 828-1799")
    qtbot.waitUntil(lambda: desk.prospect(dana.id).phone == "+15058281799")
    assert sams_window.current_dialog() is None
    assert desk.prospect(dana.id).notes == "Prefers email"


def test_every_key_of_the_dialog_is_on_the_cheat_sheet(qtbot):
    stale = StaleEditError(
        what="the research notes on Dana Whitfield",
        changed_by="Jo Park",
        changed_at="at 10:00",
        theirs={"angle": "Jo's angle"},
        version=1,
    )
    dialog = EditConflictDialog("Research notes, angle", stale, "Jo's angle", "Sam's angle")
    qtbot.addWidget(dialog)
    declared = {key for keys, _what in EDIT_CONFLICT_KEYS for key in keys.split(", ")}
    shortcuts = {
        shortcut.key().toString().replace("Return", "Enter")
        for shortcut in dialog.findChildren(QShortcut)
    }
    texts = [button.text() for button in dialog.findChildren(QPushButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    mnemonics = {f"Alt+{text[text.index('&') + 1].upper()}" for text in texts}
    assert shortcuts | mnemonics | {"Esc"} == declared
