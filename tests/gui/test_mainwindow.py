"""The whole window, driven from the keyboard as a rep at 8 a.m. would."""

from collections import Counter

import pytest
from icalendar import Calendar
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
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
from ui.mainwindow import MainWindow
from ui.models.queue import PROSPECT_ID_ROLE
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


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, demo_bridge, settings):
    shown = MainWindow(demo_bridge, settings)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    with qtbot.waitActive(shown):
        shown.show()
        shown.activateWindow()
    return shown


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


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


def test_main_parts_carry_stable_names(window):
    for name in MAIN_PARTS:
        assert named(window, name).accessibleName() == name


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
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_2)  # voicemail left, the first since they spoke
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
    preview = lookup.findChild(QWidget, "scriptPreview")
    assert "Elena" in preview.toPlainText()
    with qtbot.waitSignal(lookup.script_used) as used:
        press(qtbot, Qt.Key.Key_Return)
    assert used.args[0] == "voicemail_missed_again"
    assert QGuiApplication.clipboard().text() == used.args[1]
    qtbot.waitUntil(lambda: not lookup.isVisible())
    # No window manager here: the window takes the keyboard back by itself.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is named(window, "prospectSearch"))

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
    qtbot, window, demo_bridge, db_path, clock, settings
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
    with CallDesk.open(db_path, clock=clock) as reopened:
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


def test_delete_and_undo_from_the_keyboard(qtbot, window, demo_bridge):
    prospect_id = open_by_search(qtbot, window, "brightwire")
    window.card.setFocus()
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert demo_bridge.desk.prospect_ids(search="brightwire") == []
    assert window.undo_button.isVisible()
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert demo_bridge.desk.prospect_ids(search="brightwire") == [prospect_id]
    assert window.card.current_prospect_id() == prospect_id


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
