"""The whole window, driven from the keyboard as a rep at 8 a.m. would.

Past 500 lines: these are the tests of the parts working together (a morning of calls,
closing, focus), which belong in one place.
"""

from collections import Counter
from dataclasses import replace

import pytest
from icalendar import Calendar
from key_presses import press
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from callassist.core import CallDesk
from callassist.vocabulary import Decision, FollowUpKind, Outcome, PainKind
from ui.bridge import DeskBridge
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.review import ReviewDialog
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.mainwindow import FIRST_SIZE, MainWindow
from ui.models.queue import PROSPECT_ID_ROLE
from ui.screen_fit import WINDOW_FRAME, fit_on_screen
from ui.shortcuts import CheatSheetDialog

MAIN_PARTS = (
    "prospectSearch",
    "prospectList",
    "prospectCard",
    "researchNotes",
    "timeCheckPanel",
    "callTimer",
    "painPane",
    "outcomeBar",
)


def type_text(qtbot, text):
    qtbot.keyClicks(QApplication.focusWidget(), text)


def open_by_search(qtbot, window, text):
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text)
    with qtbot.waitSignal(window.prospect_list.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    return opened.args[0]


def named(window, name, kind=QWidget):
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def test_main_parts_carry_stable_names_and_are_heard_in_words(window):
    for name in MAIN_PARTS:
        part = QAccessible.queryAccessibleInterface(named(window, name))
        spoken = part.text(QAccessible.Text.Name)
        assert spoken
        assert spoken != name


def test_no_two_actions_share_a_shortcut(window):
    keys = Counter(
        sequence.toString()
        for action in window.findChildren(type(window.find_action))
        for sequence in action.shortcuts()
        if action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_search_then_enter_opens_the_card_and_the_call_panel(qtbot, window, demo_bridge):
    elena = demo_bridge.desk.lookup("Brightwire")[0]
    opened = open_by_search(qtbot, window, "brightwire")
    assert opened == elena.id
    assert window.card.current_prospect_id() == elena.id
    assert "Elena Kowalski" in named(window, "callProspect", QLabel).text()


def test_slash_jumps_to_search_from_the_list(qtbot, window):
    window.prospect_list.findChild(QTableView, "prospectList").setFocus()
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QTableView))
    press(qtbot, Qt.Key.Key_Slash)
    assert QApplication.focusWidget() is named(window, "prospectSearch", QLineEdit)


def test_a_callback_from_a_known_number_is_found(qtbot, window, demo_bridge):
    elena = demo_bridge.desk.lookup("Brightwire")[0]
    assert elena.phone_display == "(919) 834-5520"
    assert open_by_search(qtbot, window, "+1 919 834 5520") == elena.id
    said = demo_bridge.desk.prospect_detail(elena.id).last_message
    assert said is not None
    shown = window.card.findChild(QWidget, "lastMessageText")
    assert shown.isVisible()
    assert said.rendered_text.splitlines()[0] in shown.text()


def test_a_whole_call_to_a_reschedule_from_the_keyboard(qtbot, window, demo_bridge, tmp_path):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # asked if it's a good time
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # they have 5 minutes
    decision = named(window, "timeCheckDecision", QLabel)
    qtbot.waitUntil(lambda: "Reschedule" in decision.text())
    this_call = window.call_panel.current_attempt_id()
    [check] = [
        c for c in desk.prospect_detail(prospect_id).time_checks if c.attempt_id == this_call
    ]
    assert (check.asked, check.minutes_available, check.decision) == (True, 5, Decision.RESCHEDULE)

    press(qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # book it
    [follow_up] = [
        f for f in desk.prospect_detail(prospect_id).follow_ups if f.attempt_id == this_call
    ]
    assert (follow_up.kind, follow_up.minutes) == (FollowUpKind.MEETING, 20)
    invite = named(window, "invitePath", QLineEdit).text()
    invites = list((tmp_path / "xdg-data" / "callassist" / "invites").glob("*.ics"))
    assert len(invites) == 1
    assert invites[0].name in invite
    event = next(iter(Calendar.from_ical(invites[0].read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == follow_up.due_at

    for key, words in (
        (Qt.Key.Key_1, "lost a client to slow replies"),
        (Qt.Key.Key_2, "ads ring phones nobody answers"),
        (Qt.Key.Key_3, "might lose the vet group"),
    ):
        press(qtbot, key, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, words)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # asked about the last one
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # and acknowledged it

    press(qtbot, Qt.Key.Key_F6)
    warning = named(window, "unfinishedPains", QLabel)
    qtbot.waitUntil(warning.isVisible)
    assert "lost a client to slow replies" in warning.text()
    assert "ads ring phones nobody answers" in warning.text()
    assert "might lose the vet group" not in warning.text()

    with qtbot.waitSignal(window.call_panel.call_finished) as finished:
        press(qtbot, Qt.Key.Key_Return)  # "rescheduled" is chosen after a booking
    attempt = finished.args[0]
    assert attempt.outcome is Outcome.RESCHEDULED
    assert attempt.script_name == "reschedule_proposal"
    pains = [p for p in desk.prospect_detail(prospect_id).pains if p.attempt_id == attempt.id]
    assert [(p.kind, p.words) for p in pains] == [
        (PainKind.PAST, "lost a client to slow replies"),
        (PainKind.PRESENT, "ads ring phones nobody answers"),
        (PainKind.FUTURE, "might lose the vet group"),
    ]
    assert (pains[2].asked, pains[2].acknowledged) == (True, True)
    assert not window.call_panel.in_call()


def test_script_lookup_offers_the_next_voicemail_and_copies_it(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "fogline")  # never called, in no cadence
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_2)  # voicemail left, her first
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)

    named(window, "prospectSearch").setFocus()
    press(qtbot, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    lookup = window.current_dialog()
    assert isinstance(lookup, ScriptLookupDialog)
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is lookup.findChild(QLineEdit, "scriptFilter")
    )
    assert lookup.current_name() == "voicemail_missed_again"
    qtbot.waitUntil(lambda: not lookup.preview_pending())  # rendered in a worker
    preview = lookup.findChild(QWidget, "scriptPreview")
    assert "Lily" in preview.toPlainText()
    with qtbot.waitSignal(lookup.script_used) as used:
        press(qtbot, Qt.Key.Key_Return)
    assert used.args[0] == "voicemail_missed_again"
    assert QGuiApplication.clipboard().text() == used.args[1]
    qtbot.waitUntil(lambda: not lookup.isVisible())
    # No window manager here: the window takes the keyboard back by itself.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is named(window, "prospectSearch"))

    press(qtbot, Qt.Key.Key_F5)  # a call logged a moment ago: asked to confirm
    assert not window.call_panel.in_call()
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_2)  # voicemail left
    type_text(qtbot, "left the second message")
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)
    logged = desk.prospect_detail(prospect_id).attempts[0]
    assert logged.outcome is Outcome.VOICEMAIL_LEFT
    assert logged.script_name == "voicemail_missed_again"
    assert logged.rendered_text == used.args[1]
    assert logged.notes == "left the second message"


def test_research_typed_is_saved_and_survives_a_restart(
    qtbot, window, demo_bridge, db_location, clock, settings
):
    prospect_id = open_by_search(qtbot, window, "brightwire")
    angle = window.findChild(QWidget, "researchNotes").findChild(QPlainTextEdit, "research_angle")
    angle.setFocus()
    qtbot.waitUntil(angle.hasFocus)
    angle.selectAll()
    type_text(qtbot, "Their vet clients lose bookings at night")
    # No save button, no closing: the text is in the database within a second.
    qtbot.waitUntil(
        lambda: (
            demo_bridge.desk.prospect_detail(prospect_id).research.angle
            == "Their vet clients lose bookings at night"
        ),
        timeout=1000,
    )
    with CallDesk.open(db_location, clock=clock) as reopened:
        assert reopened.prospect_detail(prospect_id).research.angle.startswith("Their vet clients")


def test_window_remembers_size_splitter_and_last_prospect(qtbot, window, demo_bridge, settings):
    prospect_id = open_by_search(qtbot, window, "brightwire")
    window.resize(760, 560)  # the offscreen screen is 800 wide
    sizes = [200, 280, 280]
    window.splitter.setSizes(sizes)
    remembered = window.splitter.sizes()
    window.close()

    again = MainWindow(demo_bridge, settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.size().width(), again.size().height()) == (760, 560)
    assert again.splitter.sizes() == remembered
    assert again.card.current_prospect_id() == prospect_id


def delete_with_keys(qtbot, window):
    """Ctrl+Delete from the prospect list, where it is not a text-editing key."""
    listing = named(window, "prospectList", QTableView)
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)


def same_history(before, after):
    """Back from the trash, pains, time checks and bookings have new ids; all else is the same."""

    def without_ids(detail):
        return replace(
            detail,
            pains=tuple(replace(pain, id=0) for pain in detail.pains),
            time_checks=tuple(replace(check, id=0) for check in detail.time_checks),
            follow_ups=tuple(replace(booked, id=0) for booked in detail.follow_ups),
        )

    assert without_ids(after) == without_ids(before)


def test_ctrl_delete_in_a_text_field_deletes_a_word_never_the_prospect(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_R, ctrl_shift)  # the research notes
    summary = QApplication.focusWidget()
    press(qtbot, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert summary.toPlainText().startswith("-person marketing agency")  # "Twelve" went
    press(qtbot, Qt.Key.Key_D, ctrl_shift)  # the details: first name
    first_name = QApplication.focusWidget()
    assert isinstance(first_name, QLineEdit)
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert first_name.text() == ""
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo typing, not a delete
    assert first_name.text() == "Elena"

    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "missed calls every weekend")
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)

    assert prospect_id in desk.prospect_ids()
    assert desk.trash() == ()
    assert window.call_panel.in_call()


def test_deleting_during_a_call_is_refused_with_the_reason(qtbot, window, demo_bridge):
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    delete_with_keys(qtbot, window)
    assert prospect_id in demo_bridge.desk.prospect_ids()
    notice = named(window.call_panel, "callStatus", QLabel)
    assert notice.isVisible()
    assert notice.text().startswith("Not deleted: you are on a call with them.")
    assert window.call_panel.in_call()


def test_delete_then_undo_from_anywhere_brings_everything_back(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    before = desk.prospect_detail(prospect_id)
    enrollment = desk.enrollment(prospect_id)
    delete_with_keys(qtbot, window)

    assert desk.prospect_ids(search="brightwire") == []
    banner = named(window, "undoBanner")
    assert banner.isVisible()
    assert banner.text().startswith("Deleted Elena Kowalski, Brightwire Digital")
    assert "Alt+U" in banner.text()

    # The usual next move: look someone else up. Ctrl+Z there undoes the typing only.
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "harb")
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert desk.prospect_ids(search="brightwire") == []
    assert banner.isVisible()

    press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)

    same_history(before, desk.prospect_detail(prospect_id))
    assert desk.enrollment(prospect_id) == enrollment
    assert window.card.current_prospect_id() == prospect_id
    assert not banner.isVisible()
    assert desk.trash() == ()


def test_a_deleted_prospect_comes_back_from_the_trash_after_a_restart(
    qtbot, window, demo_bridge, settings, db_location, clock, tmp_path
):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    before = desk.prospect_detail(prospect_id)
    delete_with_keys(qtbot, window)
    window.close()

    with CallDesk.open(
        db_location, clock=clock, template_dir=tmp_path / "my-scripts", backup_folder=tmp_path / "b"
    ) as reopened:
        again = MainWindow(DeskBridge(reopened), settings)
        qtbot.addWidget(again)
        with qtbot.waitActive(again):
            again.show()
            again.activateWindow()
        press(
            qtbot,
            Qt.Key.Key_T,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        trash = again.current_dialog()
        listing = trash.findChild(QTableView, "trashList")
        qtbot.waitUntil(listing.hasFocus)
        assert listing.model().index(0, 0).data() == "Elena Kowalski"
        assert listing.model().index(0, 4).data().startswith(f"{len(before.attempts)} attempts")
        press(qtbot, Qt.Key.Key_Return)
        same_history(before, reopened.prospect_detail(prospect_id))
        assert again.card.current_prospect_id() == prospect_id
        assert "is back" in trash.findChild(QLabel, "trashMessage").text()


def test_f1_lists_every_shortcut(qtbot, window):
    press(qtbot, Qt.Key.Key_F1)
    sheet = window.current_dialog()
    assert isinstance(sheet, CheatSheetDialog)
    rows = {
        (sheet.table.item(row, 1).text(), sheet.table.item(row, 2).text())
        for row in range(sheet.table.rowCount())
    }
    actions = {action for action, _keys in rows}
    assert {"Find prospect", "Find script…", "Keyboard shortcuts"} <= actions
    assert any(keys == "F5" for _action, keys in rows)
    assert any("Ctrl+1" in keys for _action, keys in rows)


def test_first_run_asks_for_the_rep_and_offers_the_demo(qtbot, tmp_path, settings, clock):
    with CallDesk.open(tmp_path / "fresh.sqlite", clock=clock) as desk:
        bridge = DeskBridge(desk)
        fresh = MainWindow(bridge, settings)
        qtbot.addWidget(fresh)
        fresh.show()
        fresh.offer_first_run()
        assert isinstance(fresh.current_dialog(), FirstRunDialog)


def test_a_known_rep_with_prospects_is_not_asked_again(window):
    window.offer_first_run()
    assert window.current_dialog() is None


def test_window_follows_a_dark_palette(qtbot, window):
    QApplication.setPalette(QPalette(QColor("#202124")))  # a dark system scheme
    try:
        qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window).lightness() < 80)
        picture = window.grab().toImage()
        # The status bar corner: plain window background, nothing drawn on it.
        corner = picture.pixelColor(picture.width() - 40, picture.height() - 8)
        assert corner.lightness() < 80
    finally:
        QApplication.setPalette(QApplication.style().standardPalette())


def test_ctrl_r_reviews_the_day_the_window_just_logged(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    before = desk.review()
    open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_2)  # voicemail left
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)

    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = window.current_dialog()
    assert isinstance(review, ReviewDialog)
    qtbot.waitUntil(review.isVisible)
    qtbot.waitUntil(lambda: not review.is_working_out())  # read in a worker
    assert named(review, "reviewDials", QLabel).text() == str(before.dials + 1)
    assert named(review, "reviewVoicemails", QLabel).text() == str(before.voicemails + 1)

    tomorrow = named(review, "reviewTomorrow", QTableView)
    first = tomorrow.model().index(0, 1)
    wanted = first.data(PROSPECT_ID_ROLE)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is review)
    tomorrow.setFocus()
    tomorrow.setCurrentIndex(first)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not review.isVisible())
    assert window.card.current_prospect_id() == wanted
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert QApplication.focusWidget().window() is window


def test_quitting_during_a_call_asks_first_and_keeps_the_call(qtbot, window, demo_bridge):
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    attempt_id = window.call_panel.current_attempt_id()

    press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    question = window.current_dialog()
    assert isinstance(question, QMessageBox)
    qtbot.waitUntil(question.isVisible)
    assert window.isVisible()
    qtbot.keyClick(question, Qt.Key.Key_Escape)  # stay on the call
    qtbot.waitUntil(lambda: not question.isVisible())
    assert window.isVisible()
    assert window.call_panel.in_call()

    press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    question = window.current_dialog()
    qtbot.waitUntil(question.isVisible)
    [leave] = [b for b in question.buttons() if b.text() == "Close anyway"]
    leave.click()
    qtbot.waitUntil(lambda: not window.isVisible())
    [attempt] = [
        a for a in demo_bridge.desk.prospect_detail(prospect_id).attempts if a.id == attempt_id
    ]
    assert attempt.outcome is None


def typing_without_a_pause(qtbot, text: str, gap_ms: int = 100) -> None:
    """One key every ``gap_ms``: a rep typing while the prospect talks, never pausing."""
    for character in text:
        type_text(qtbot, character)
        qtbot.wait(gap_ms)


def test_typing_without_a_pause_is_saved_at_least_once_a_second(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(
        qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    summary = QApplication.focusWidget()
    assert isinstance(summary, QPlainTextEdit)
    summary.selectAll()
    typed = "They run three clinics and answer every call themselves"
    typing_without_a_pause(qtbot, typed)
    # Still typing (no pause, the cursor still in the field): most of it is stored,
    # at worst the last second of keys (about ten at this pace) is still on its way.
    stored = desk.prospect_detail(prospect_id).research.company_summary
    assert typed.startswith(stored)
    assert len(stored) >= len(typed) - 12
    assert summary.hasFocus()
    qtbot.waitUntil(lambda: named(window, "saveStatus", QLabel).text() == "✓ All saved")
    assert desk.prospect_detail(prospect_id).research.company_summary == typed


@pytest.fixture
def quick_to_give_up(monkeypatch):
    """Saves give up on another program's lock after 0.2 s, not 5 s: the test stays quick.

    Listed before the window, so the desk's connections are made with it.
    """
    from callassist.db import engine as engine_module

    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)


def hold_write_lock(db_path):
    """Another program writing to the database: every save meanwhile is refused as busy."""
    import sqlite3

    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.sqlite_only("holds SQLite's write lock from another connection")
def test_a_save_that_fails_keeps_the_text_says_so_and_retries(
    quick_to_give_up, qtbot, window, demo_bridge, db_path
):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    before = desk.prospect_detail(prospect_id).research.angle
    press(
        qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    angle = window.card.findChild(QPlainTextEdit, "research_angle")
    angle.setFocus()
    qtbot.waitUntil(angle.hasFocus)
    press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    status = named(window, "saveStatus", QLabel)
    lock = hold_write_lock(db_path)
    try:
        type_text(qtbot, " Ask about the night line.")
        qtbot.waitUntil(lambda: status.text().startswith("⚠ Not saved, retrying"))
        assert "busy" in status.text()
        assert angle.toPlainText().endswith("Ask about the night line.")
        # Opening someone else would throw away the only copy: refused, with a reason.
        press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, "harborview")
        press(qtbot, Qt.Key.Key_Return)
        assert window.card.current_prospect_id() == prospect_id
        assert "not saved yet" in named(window, "problemMessage", QLabel).text()
        assert desk.prospect_detail(prospect_id).research.angle == before
    finally:
        lock.rollback()
        lock.close()
    qtbot.waitUntil(lambda: status.text() == "✓ All saved", timeout=5000)
    assert desk.prospect_detail(prospect_id).research.angle.endswith("Ask about the night line.")


def log_with_key(qtbot, window, outcome_key):
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, outcome_key)
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)
    # The list comes back a moment after the log, the keyboard on it.
    qtbot.waitUntil(window.left_tabs.isVisible)


def test_after_a_call_from_the_queue_the_keyboard_is_on_who_is_next(qtbot, window):
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    first = window.queue.current_prospect_id()
    press(qtbot, Qt.Key.Key_Return)
    assert window.card.current_prospect_id() == first

    log_with_key(qtbot, window, Qt.Key.Key_2)  # voicemail left: they move on to tomorrow

    queue_table = named(window, "callQueueTable", QTableView)
    assert QApplication.focusWidget() is queue_table
    following = window.queue.current_prospect_id()
    assert following not in (None, first)
    with qtbot.waitSignal(window.queue.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    assert opened.args == [following]
    assert window.card.current_prospect_id() == following


def test_after_a_call_from_the_list_the_keyboard_is_on_the_next_row(qtbot, window):
    listing = named(window, "prospectList", QTableView)
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Return)  # no search: the first prospect
    first = window.card.current_prospect_id()
    second = listing.model().index(1, 0).data(PROSPECT_ID_ROLE)
    assert second not in (None, first)

    log_with_key(qtbot, window, Qt.Key.Key_3)  # no answer

    assert QApplication.focusWidget() is listing
    press(qtbot, Qt.Key.Key_Return)
    assert window.card.current_prospect_id() == second


def test_opening_someone_else_mid_call_is_refused_on_the_call_panel(qtbot, window):
    open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    caller = window.card.current_prospect_id()
    open_by_search(qtbot, window, "harborview")
    assert window.card.current_prospect_id() == caller
    notice = named(window.call_panel, "callStatus", QLabel)
    assert notice.isVisible()
    assert notice.text() == "Finish the call first (F6), then open another prospect."


def test_research_notes_stay_in_sight_while_pains_pile_up_on_a_call(qtbot, window):
    open_by_search(qtbot, window, "brightwire")
    angle = window.card.findChild(QPlainTextEdit, "research_angle")
    press(qtbot, Qt.Key.Key_F5)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4):
        press(qtbot, key, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, "They lost two clinics last spring over missed weekend calls")
    window.card.flush()
    QApplication.sendPostedEvents()  # the layout requests of the new pains
    assert not angle.visibleRegion().isEmpty()
    assert angle.visibleRegion().boundingRect().height() == angle.height()

    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_3)
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)
    # Between calls too the homework comes first, the cadence after it.
    column = window.card.findChild(QWidget, "researchNotes")
    cadence = window.card.enrollment
    assert column.geometry().top() < cadence.geometry().top()


@pytest.mark.parametrize(
    ("screen", "panel"),
    [(QRect(0, 0, 1280, 800), 0), (QRect(0, 0, 1366, 768), 28), (QRect(0, 0, 1280, 800), 32)],
)
def test_the_first_window_fits_the_screen_with_its_title_bar(screen, panel):
    available = screen.adjusted(0, 0, 0, -panel)  # a bottom panel takes its strip
    fitted = fit_on_screen(QRect(QPoint(0, 0), FIRST_SIZE), available)
    with_frame = fitted.marginsAdded(WINDOW_FRAME)
    assert available.contains(with_frame)
    assert fitted.width() >= 1200


def test_a_window_saved_on_a_bigger_screen_comes_back_inside_this_one():
    saved = QRect(300, 200, 1900, 1060)
    available = QRect(0, 0, 1366, 740)
    fitted = fit_on_screen(saved, available)
    assert available.contains(fitted.marginsAdded(WINDOW_FRAME))


def test_a_morning_of_calls_by_keys_only_loses_nothing(qtbot, window, demo_bridge):
    """Ten prospects from the queue, outcomes and notes, one mis-dial, one delete and undo."""
    desk = demo_bridge.desk
    enrolled = {item.prospect_id for item in desk.queue()}
    for prospect_id in desk.prospect_ids():
        if desk.enrollment(prospect_id) is None and len(enrolled) < 10:
            desk.enroll(prospect_id, "three_voicemails")
            enrolled.add(prospect_id)
    typed: dict[int, tuple[str, str]] = {}
    called: list[int] = []
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    queue_table = named(window, "callQueueTable", QTableView)
    while len(called) < 10:
        assert QApplication.focusWidget() is queue_table
        # The queue is worked out in a worker: Enter once it shows what the last call did.
        qtbot.waitUntil(lambda: not window.queue.is_looking())
        press(qtbot, Qt.Key.Key_Return)
        prospect_id = window.card.current_prospect_id()
        assert prospect_id not in called
        if len(called) == 3:  # a mis-dial, taken back
            press(qtbot, Qt.Key.Key_F5)
            press(qtbot, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
            assert not window.call_panel.in_call()
        research = f" Called on round {len(called) + 1}."
        note = f"round {len(called) + 1}: left the first message"
        press(qtbot, Qt.Key.Key_F5)
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        press(qtbot, Qt.Key.Key_R, ctrl_shift)
        press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, research)
        press(qtbot, Qt.Key.Key_F6)
        press(qtbot, Qt.Key.Key_2)  # voicemail left: they move on to tomorrow
        type_text(qtbot, note)
        with qtbot.waitSignal(window.call_panel.call_finished):
            press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(window.left_tabs.isVisible)
        typed[prospect_id] = (research, note)
        called.append(prospect_id)
        if len(called) == 5:  # a slip: Ctrl+Delete from the queue, then Alt+U
            press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
            deleted = desk.trash()[0].prospect_id
            press(qtbot, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
            assert desk.trash() == ()
            assert deleted in desk.prospect_ids()
            press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)

    for prospect_id, (research, note) in typed.items():
        detail = desk.prospect_detail(prospect_id)
        assert detail.research.company_summary.endswith(research.strip())
        [logged] = [attempt for attempt in detail.attempts if attempt.notes == note]
        assert logged.outcome is Outcome.VOICEMAIL_LEFT
    # The mis-dial left nothing: one attempt this morning per prospect called.
    now = desk.clock()
    for prospect_id in called:
        today = [a for a in desk.prospect_detail(prospect_id).attempts if a.at == now]
        assert len(today) == 1


@pytest.mark.sqlite_only("holds SQLite's write lock from another connection")
def test_closing_with_typing_not_saved_asks_first_and_keeps_the_text(
    quick_to_give_up, qtbot, window, demo_bridge, db_path
):
    desk = demo_bridge.desk
    prospect_id = open_by_search(qtbot, window, "brightwire")
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_R, ctrl_shift)
    press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    lock = hold_write_lock(db_path)
    try:
        type_text(qtbot, " Two sites.")
        window.close()
        question = window.current_dialog()
        assert isinstance(question, QMessageBox)
        assert question.objectName() == "closeUnsaved"
        assert "busy" in question.informativeText()
        press(qtbot, Qt.Key.Key_Escape)  # stay
        assert window.isVisible()
    finally:
        lock.rollback()
        lock.close()
    status = named(window, "saveStatus", QLabel)
    qtbot.waitUntil(lambda: status.text() == "✓ All saved", timeout=5000)
    assert desk.prospect_detail(prospect_id).research.company_summary.endswith("Two sites.")


def test_a_call_taken_back_from_the_queue_gives_the_keyboard_back_to_the_queue(qtbot, window):
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Return)
    queue_table = named(window, "callQueueTable", QTableView)
    assert QApplication.focusWidget() is queue_table
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: not window.left_tabs.isVisible())  # the call gets the room
    press(qtbot, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)  # a mis-dial
    qtbot.waitUntil(window.left_tabs.isVisible)
    assert QApplication.focusWidget() is queue_table
