"""The outcome bar on its own: number keys, the note, Enter logs, Esc goes back."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from callassist.vocabulary import Outcome
from ui.widgets.outcome_bar import CALL_OUTCOMES, OutcomeBar, UsedScript


@pytest.fixture
def dana(desk):
    return desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="(505) 828-1788")


@pytest.fixture
def call(desk, dana):
    return desk.start_call(dana.id)


@pytest.fixture
def bar(qtbot, bridge, call):
    widget = OutcomeBar(bridge)
    qtbot.addWidget(widget)
    widget.resize(640, 200)
    widget.begin(call.id)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def press(qtbot, bar, key):
    qtbot.keyClick(bar.focusWidget() or bar, key)


def note(bar):
    return bar.findChild(QLineEdit, "outcomeNote")


def test_seven_call_outcomes_each_labelled_with_its_key(bar):
    buttons = [bar.findChild(QPushButton, f"outcome_{o.value}") for o in CALL_OUTCOMES]
    assert [button.text() for button in buttons] == [
        "1  Connected",
        "2  Voicemail left",
        "3  No answer",
        "4  Rescheduled",
        "5  Not interested",
        "6  Wrong person",
        "7  Bad number",
    ]
    assert bar.findChild(QPushButton, "outcome_email_sent") is None


def test_a_number_key_picks_the_outcome_and_digits_in_the_note_stay_digits(qtbot, bar):
    press(qtbot, bar, Qt.Key.Key_5)
    assert bar.chosen() is Outcome.NOT_INTERESTED
    assert bar.focusWidget() is note(bar)
    qtbot.keyClicks(note(bar), "call back in 2027")
    assert note(bar).text() == "call back in 2027"
    assert bar.chosen() is Outcome.NOT_INTERESTED


def test_enter_without_an_outcome_asks_for_one_and_logs_nothing(qtbot, bar, desk, dana):
    with qtbot.assertNotEmitted(bar.logged):
        press(qtbot, bar, Qt.Key.Key_Return)
    message = bar.findChild(QLabel, "outcomeMessage")
    assert message.isVisible()
    assert "press a number from 1 to 7" in message.text()
    assert desk.prospect_detail(dana.id).attempts[0].outcome is None


def test_enter_logs_the_outcome_note_and_script(qtbot, bar, desk, dana, call):
    bar.set_script(UsedScript("voicemail_third", "Hi Dana, one last message."))
    press(qtbot, bar, Qt.Key.Key_7)
    qtbot.keyClicks(note(bar), "number disconnected")
    with qtbot.waitSignal(bar.logged) as logged:
        press(qtbot, bar, Qt.Key.Key_Enter)
    record = logged.args[0]
    assert record == desk.prospect_detail(dana.id).attempts[0]
    assert (record.id, record.outcome, record.notes) == (
        call.id,
        Outcome.BAD_NUMBER,
        "number disconnected",
    )
    assert (record.script_name, record.rendered_text) == (
        "voicemail_third",
        "Hi Dana, one last message.",
    )
    assert not bar.isVisible()
    assert not bar.log_action.isEnabled()


def test_escape_goes_back_to_the_call_without_logging(qtbot, bar, desk, dana):
    press(qtbot, bar, Qt.Key.Key_1)
    with qtbot.waitSignal(bar.back_requested), qtbot.assertNotEmitted(bar.logged):
        press(qtbot, bar, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert desk.prospect_detail(dana.id).attempts[0].outcome is None


def test_a_suggested_outcome_starts_selected_and_enter_takes_it(qtbot, bridge, desk, call):
    widget = OutcomeBar(bridge)
    qtbot.addWidget(widget)
    widget.begin(call.id, suggested=Outcome.RESCHEDULED)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    assert widget.chosen() is Outcome.RESCHEDULED
    with qtbot.waitSignal(widget.logged) as logged:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Return)
    assert logged.args[0].outcome is Outcome.RESCHEDULED


def test_a_refused_log_keeps_the_bar_open_with_the_reason(qtbot, bar, desk, dana, call, failures):
    desk.finish_attempt(call.id, Outcome.CONNECTED)
    desk.delete_prospect(dana.id)  # the attempt goes with the prospect
    press(qtbot, bar, Qt.Key.Key_1)
    with qtbot.assertNotEmitted(bar.logged):
        press(qtbot, bar, Qt.Key.Key_Return)
    message = bar.findChild(QLabel, "outcomeMessage")
    assert message.text().startswith("Not logged:")
    assert f"#{call.id}" in message.text()
    assert failures
    assert bar.isVisible()


def test_the_note_is_saved_while_typed_before_any_outcome(qtbot, bar, desk, dana):
    note(bar).setFocus()
    qtbot.keyClicks(note(bar), "wants a call after the board meeting")
    qtbot.waitUntil(
        lambda: (
            desk.prospect_detail(dana.id).attempts[0].notes
            == "wants a call after the board meeting"
        ),
        timeout=1000,
    )
    assert desk.prospect_detail(dana.id).attempts[0].outcome is None
