"""The outcome bar on its own: number keys, the note, Enter logs, Esc goes back."""

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton

from callassist.vocabulary import Outcome
from ui.widgets.outcome_bar import CALL_OUTCOMES, OutcomeBar, UsedScript


@pytest.fixture
def call(desk, dana):
    return desk.start_call(dana.id)


@pytest.fixture
def open_bar(qtbot, bridge, dana, call):
    """Hang up on Dana (F6): the bar asks for the outcome, ``script`` copied on the call."""

    def opened(script=None):
        widget = OutcomeBar(bridge)
        qtbot.addWidget(widget)
        widget.resize(640, 260)
        widget.begin(call.id, dana.id, script=script)
        with qtbot.waitActive(widget):
            widget.activateWindow()
        return widget

    return opened


@pytest.fixture
def bar(open_bar):
    return open_bar()


@pytest.fixture
def copied(desk, dana):
    """A script as the lookup copies it for Dana."""

    def copy(name):
        return UsedScript(name, desk.render_script(name, dana.id).text)

    return copy


def press(qtbot, bar, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(bar.focusWidget() or bar, key, modifier)


def note(bar):
    return bar.findChild(QLineEdit, "outcomeNote")


def script_choice(bar):
    return bar.findChild(QComboBox, "outcomeScriptChoice")


def script_said(bar):
    return bar.findChild(QLabel, "outcomeScript").text()


def log_by_enter(qtbot, bar):
    with qtbot.waitSignal(bar.logged) as logged:
        press(qtbot, bar, Qt.Key.Key_Return)
    return logged.args[0]


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


def test_a_suggested_outcome_starts_selected_and_enter_takes_it(qtbot, bridge, dana, call):
    widget = OutcomeBar(bridge)
    qtbot.addWidget(widget)
    widget.begin(call.id, dana.id, suggested=Outcome.RESCHEDULED)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    assert widget.chosen() is Outcome.RESCHEDULED
    with qtbot.waitSignal(widget.logged) as logged:
        qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Return)
    assert logged.args[0].outcome is Outcome.RESCHEDULED


def test_while_the_log_is_written_the_keys_wait_and_it_is_logged_once(
    qtbot, bar, desk, dana, call, monkeypatch
):
    """The log is written on a worker: a second Enter, Esc or another number meanwhile
    neither logs twice, nor goes back to the call, nor changes what is logged."""
    go_on = threading.Event()
    finish = desk.finish_attempt

    def slow_finish(*args, **kwargs):
        go_on.wait(10)
        return finish(*args, **kwargs)

    monkeypatch.setattr(desk, "finish_attempt", slow_finish)
    press(qtbot, bar, Qt.Key.Key_3)
    qtbot.keyClicks(note(bar), "asked for pricing")
    with qtbot.assertNotEmitted(bar.logged), qtbot.assertNotEmitted(bar.back_requested):
        press(qtbot, bar, Qt.Key.Key_Return)
        assert bar.logging()
        press(qtbot, bar, Qt.Key.Key_Return)
        press(qtbot, bar, Qt.Key.Key_Escape)
        qtbot.keyClicks(note(bar), " and a demo")
        press(qtbot, bar, Qt.Key.Key_1)
    assert bar.is_active()
    # The note was stored as typed before the log began.
    assert desk.prospect_detail(dana.id).attempts[0].notes == "asked for pricing"
    with qtbot.waitSignal(bar.logged) as logged:
        go_on.set()
    assert not bar.isVisible()
    attempts = desk.prospect_detail(dana.id).attempts
    assert [(a.id, a.outcome, a.notes) for a in attempts] == [
        (call.id, CALL_OUTCOMES[2], "asked for pricing")
    ]
    assert logged.args[0].outcome is CALL_OUTCOMES[2]


def test_a_refused_log_keeps_the_bar_open_with_the_reason(qtbot, bar, desk, dana, call, failures):
    desk.finish_attempt(call.id, Outcome.CONNECTED)
    desk.delete_prospect(dana.id)  # the attempt goes with the prospect
    press(qtbot, bar, Qt.Key.Key_1)
    message = bar.findChild(QLabel, "outcomeMessage")
    with qtbot.assertNotEmitted(bar.logged):
        press(qtbot, bar, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: message.text().startswith("Not logged:"))
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


def test_one_then_four_is_rescheduled_with_an_empty_note(qtbot, bar, desk, dana):
    press(qtbot, bar, Qt.Key.Key_1)
    assert bar.focusWidget() is note(bar)
    press(qtbot, bar, Qt.Key.Key_4)
    assert bar.chosen() is Outcome.RESCHEDULED
    assert note(bar).text() == ""
    assert bar.focusWidget() is note(bar)
    record = log_by_enter(qtbot, bar)
    assert (record.outcome, record.notes) == (Outcome.RESCHEDULED, "")


def test_once_the_note_has_text_digits_are_text(qtbot, bar):
    press(qtbot, bar, Qt.Key.Key_4)
    qtbot.keyClicks(note(bar), "8 at the front desk, call Thu 2pm")
    assert note(bar).text() == "8 at the front desk, call Thu 2pm"
    assert bar.chosen() is Outcome.RESCHEDULED


def test_a_voicemail_after_copying_the_cold_opener_logs_the_step_voicemail(
    qtbot, open_bar, copied, desk, dana
):
    desk.enroll(dana.id, "three_voicemails")
    bar = open_bar(script=copied("opener_research"))

    press(qtbot, bar, Qt.Key.Key_1)  # connected: the opener is what was said
    assert script_said(bar).startswith("Logged with Cold call opener, the one you copied: “")
    press(qtbot, bar, Qt.Key.Key_2)  # no: voicemail left
    step_words = desk.render_script("voicemail_first", dana.id).text
    said = script_said(bar)
    assert said.startswith(
        f"Logged with First voicemail, their cadence step's voicemail: “{step_words[:40]}"
    )
    assert "What you copied, Cold call opener, is not a voicemail" in said
    assert [script_choice(bar).itemText(i) for i in range(script_choice(bar).count())] == [
        "No script",
        "Testing my commitment",
        "First voicemail (their cadence step's)",
        "Second voicemail",
        "Maybe your role changed",
        "Third voicemail",
    ]

    record = log_by_enter(qtbot, bar)
    assert (record.outcome, record.script_name, record.rendered_text) == (
        Outcome.VOICEMAIL_LEFT,
        "voicemail_first",
        step_words,
    )
    assert desk.prospect_detail(dana.id).last_message == record


def test_the_voicemail_the_rep_copied_wins_over_the_step(qtbot, open_bar, copied, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    third = copied("voicemail_third")
    bar = open_bar(script=third)
    press(qtbot, bar, Qt.Key.Key_2)
    assert script_choice(bar).currentText() == "Third voicemail (copied)"
    assert script_said(bar).startswith("Logged with Third voicemail, the one you copied: “")
    record = log_by_enter(qtbot, bar)
    assert (record.script_name, record.rendered_text) == ("voicemail_third", third.text)


def test_a_script_copied_after_hanging_up_changes_what_is_logged(
    qtbot, open_bar, copied, desk, dana
):
    desk.enroll(dana.id, "three_voicemails")
    bar = open_bar()
    press(qtbot, bar, Qt.Key.Key_2)
    assert script_choice(bar).currentData() == "voicemail_first"
    bar.set_script(copied("voicemail_missed_again"))
    assert script_choice(bar).currentText() == "Second voicemail (copied)"


def test_the_rep_picks_another_script_by_keys_and_sees_it_before_enter(qtbot, open_bar, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    bar = open_bar()
    press(qtbot, bar, Qt.Key.Key_2)
    press(qtbot, bar, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert bar.focusWidget() is script_choice(bar)
    press(qtbot, bar, Qt.Key.Key_Down)
    second = desk.render_script("voicemail_missed_again", dana.id).text
    assert script_said(bar) == (
        f"Logged with Second voicemail: “{' '.join(second.split())[:90].rstrip()}…” "
        "Alt+W picks another."
    )
    record = log_by_enter(qtbot, bar)
    assert (record.script_name, record.rendered_text) == ("voicemail_missed_again", second)


def test_no_script_by_keys_logs_the_voicemail_without_words(qtbot, open_bar, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    bar = open_bar()
    press(qtbot, bar, Qt.Key.Key_2)
    press(qtbot, bar, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    press(qtbot, bar, Qt.Key.Key_Home)
    assert script_said(bar) == "Logged with no script. Alt+W picks one."
    record = log_by_enter(qtbot, bar)
    assert (record.script_name, record.rendered_text) == (None, None)


def test_outside_a_cadence_a_call_script_is_never_logged_as_the_voicemail(
    qtbot, open_bar, copied, desk, dana
):
    bar = open_bar(script=copied("opener_research"))
    press(qtbot, bar, Qt.Key.Key_2)
    assert script_said(bar) == (
        "Logged with no script. No cadence step of theirs names a voicemail. "
        "What you copied, Cold call opener, is not a voicemail, so it is not logged as one. "
        "Alt+W picks one."
    )
    record = log_by_enter(qtbot, bar)
    assert (record.outcome, record.script_name, record.rendered_text) == (
        Outcome.VOICEMAIL_LEFT,
        None,
        None,
    )
