"""The call panel driven by keys: start, timer, time check, reschedule, hang-up, outcome.

Past 500 lines: a call from F5 to the logged outcome, one test per step, on one fake
call clock.
"""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, Qt, QTime, QUrl
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from callassist.records import CallTypeRecord
from callassist.vocabulary import Decision, FollowUpKind, Outcome, PainKind
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.tints import contrast
from ui.widgets.call_clock import CallClock
from ui.widgets.call_panel import CallPanel
from ui.widgets.outcome_bar import OutcomeBar
from ui.widgets.prospect_card import ProspectCard

DENVER = ZoneInfo("America/Denver")
RESERVED = {
    "Ctrl+F",
    "/",
    "Ctrl+K",
    "Ctrl+N",
    "Ctrl+Z",
    "Ctrl+Del",
    "Ctrl+Q",
    "Ctrl+,",
    "F1",
    "Ctrl+Shift+E",
    "Ctrl+R",
}


class SteppedClock(CallClock):
    """The call timer's clock, moved on by hand: each move ticks at once."""

    def __init__(self) -> None:
        super().__init__(monotonic=lambda: self.at)
        self.at = 5000.0

    def advance(self, seconds: float) -> None:
        self.at += seconds
        self.ticked.emit()


@pytest.fixture
def dana(desk, make_prospect):
    """A prospect in Denver, with her homework done."""
    prospect = make_prospect()
    desk.update_research(
        prospect.id,
        company_summary="Three dental clinics around Albuquerque.",
        angle="Missed calls at the front desk cost them new patients.",
    )
    return prospect


@pytest.fixture
def steps():
    return SteppedClock()


@pytest.fixture
def opened():
    return []


@pytest.fixture
def invites(tmp_path):
    return tmp_path / "invites"


@pytest.fixture
def panel(qtbot, bridge, dana, steps, opened, invites):
    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    widget = CallPanel(bridge, clock=steps, open_url=open_url, invites_folder=invites)
    qtbot.addWidget(widget)
    widget.resize(640, 760)
    widget.show()
    widget.set_prospect(dana.id)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def press(qtbot, panel, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key as the rep presses it: it goes to whatever has the focus."""
    target = panel.focusWidget() or panel
    qtbot.keyClick(target, key, modifier)


def child(panel, kind, name):
    found = panel.findChild(kind, name)
    assert found is not None, name
    return found


def start(qtbot, panel):
    with qtbot.waitSignal(panel.call_started) as started:
        press(qtbot, panel, Qt.Key.Key_F5)
    return started.args[0]


def copy_script(qtbot, bridge, panel, prospect_id, typed, name):
    """Ctrl+K as the window wires it: type, Enter copies, and the call notes the script."""
    lookup = ScriptLookupDialog(bridge, prospect_id)
    qtbot.addWidget(lookup)
    lookup.script_used.connect(panel.note_script_used)
    with qtbot.waitActive(lookup):
        lookup.show()
        lookup.activateWindow()
    qtbot.keyClicks(lookup.focusWidget(), typed)
    with qtbot.waitSignal(lookup.script_used, check_params_cb=lambda used, _text: used == name):
        qtbot.keyClick(lookup.focusWidget(), Qt.Key.Key_Return)
    with qtbot.waitActive(panel):
        panel.activateWindow()


def test_no_prospect_disables_the_panel_with_a_hint(qtbot, panel):
    panel.set_prospect(None)
    hint = child(panel, QLabel, "callPanelHint")
    assert hint.isVisible()
    assert "Open a prospect" in hint.text()
    assert not panel.start_action.isEnabled()
    assert not child(panel, QPushButton, "startCallButton").isEnabled()
    press(qtbot, panel, Qt.Key.Key_F5)
    assert not panel.in_call()


def test_f5_opens_an_attempt_and_the_timer_runs_against_their_minutes(
    qtbot, panel, desk, dana, steps
):
    attempt_id = start(qtbot, panel)

    assert panel.in_call()
    assert panel.current_attempt_id() == attempt_id
    latest = desk.prospect_detail(dana.id).attempts[0]
    assert (latest.id, latest.outcome, latest.ended_at) == (attempt_id, None, None)
    timer = child(panel, QLabel, "callTimer")
    warning = child(panel, QLabel, "timerWarning")
    assert timer.text() == "00:00"

    press(qtbot, panel, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # they have 10 minutes
    assert timer.text() == "00:00 of 10:00"
    assert not warning.isVisible()

    steps.advance(3 * 60 + 12)
    assert timer.text() == "03:12 of 10:00"
    assert timer.property("timerState") == "ok"
    # A screen reader hears the same value in words.
    assert timer.accessibleDescription() == "3 minutes 12 seconds of 10 minutes"
    assert not warning.isVisible()

    steps.advance(4 * 60 + 48)  # 8 of 10 minutes gone
    assert timer.text() == "08:00 of 10:00"
    assert warning.isVisible()
    assert warning.text() == "2:00 left: wrap up or book the rest"
    assert timer.property("timerState") == "warning"
    steps.advance(45)
    assert timer.text() == "08:45 of 10:00"
    assert warning.text() == "1:15 left: wrap up or book the rest"  # never "2 minutes"
    assert timer.accessibleDescription() == (
        "8 minutes 45 seconds of 10 minutes. 1:15 left: wrap up or book the rest"
    )

    steps.advance(75)
    assert timer.text() == "10:00 of 10:00"
    assert warning.text().startswith("Over time")
    assert timer.property("timerState") == "over"


def test_what_to_say_now_follows_the_time_check_with_their_homework_beside_it(qtbot, panel, dana):
    say = child(panel, QLabel, "sayNow")
    summary = child(panel, QLabel, "sayNowSummary")
    angle = child(panel, QLabel, "sayNowAngle")
    proposal = child(panel, QLabel, "rescheduleScript")
    assert not summary.isVisible()  # before F5 the card shows the homework

    start(qtbot, panel)
    # The notes show at once; the words join them once rendered on a worker.
    assert summary.text() == "About them: Three dental clinics around Albuquerque."
    qtbot.waitUntil(lambda: say.isVisible())
    assert say.text().startswith("Say: Hi Dana, it's Sam Rivera from Northwind Answering.")
    assert "Is this still a good time for that?" in say.text()
    assert angle.text() == "Angle: Missed calls at the front desk cost them new patients."
    assert angle.isVisible()

    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 5 of 20 minutes
    # Reschedule: the proposal is what to say, in place of the opener.
    assert not say.isVisible()
    assert proposal.isVisible()
    assert "Wednesday, March 11 at 10:00 AM MDT" in proposal.text()
    assert summary.isVisible()
    assert angle.isVisible()
    press(qtbot, panel, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_Up)  # the rep offers Thursday instead
    assert "Thursday, March 12 at 10:00 AM MDT" in proposal.text()

    press(qtbot, panel, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # 60 minutes after all
    assert not proposal.isVisible()
    qtbot.waitUntil(lambda: say.isVisible())
    assert say.text() == (
        "Say: Hi Dana, this is Sam Rivera with Northwind Answering. I looked into Mesa Dental "
        "before calling, and here's what caught my eye: Missed calls at the front desk cost "
        "them new patients."
    )
    assert not angle.isVisible()  # the opener says it already: once is enough
    assert summary.isVisible()

    press(qtbot, panel, Qt.Key.Key_F6)  # hung up: nothing left to say
    assert not say.isVisible()
    assert not summary.isVisible()


def test_a_long_research_note_is_cut_to_a_reminder_with_the_whole_on_hover(
    qtbot, panel, desk, dana
):
    long_summary = "Three dental clinics around Albuquerque, " + "open late on weekdays, " * 12
    desk.update_research(dana.id, company_summary=long_summary)
    start(qtbot, panel)
    summary = child(panel, QLabel, "sayNowSummary")
    assert summary.text().endswith("…")
    assert len(summary.text()) < len(long_summary) / 1.5
    assert summary.toolTip() == " ".join(long_summary.split())


def test_calling_a_prospect_without_research_is_allowed_but_flagged(qtbot, panel, desk):
    bare = desk.add_prospect(first_name="Owen", last_name="Brandt", phone="(720) 858-3302")
    panel.set_prospect(bare.id)
    flag = child(panel, QLabel, "noResearchFlag")
    assert flag.isVisible()
    assert "No research on this prospect" in flag.text()

    start(qtbot, panel)
    assert flag.isVisible()
    assert desk.prospect_detail(bare.id).attempts[0].outcome is None

    desk.update_research(bare.id, company_summary="Roofing contractor, 40 staff.")
    qtbot.waitUntil(lambda: not flag.isVisible())


def test_time_check_saves_each_change_and_shows_the_decision(qtbot, panel, desk, dana):
    attempt_id = start(qtbot, panel)
    decision = child(panel, QLabel, "timeCheckDecision")
    assert "Ask how long they have" in decision.text()

    press(qtbot, panel, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # asked
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 5 minutes

    assert decision.text() == "Reschedule: propose a 20-minute slot"
    script = child(panel, QLabel, "rescheduleScript")
    assert script.isVisible()
    assert "Dana, you've got about 5 minutes" in script.text()
    assert "Could we set aside 20 minutes on Wednesday, March 11 at 10:00 AM MDT" in script.text()
    (check,) = desk.prospect_detail(dana.id).time_checks
    assert (check.attempt_id, check.asked, check.minutes_available) == (attempt_id, True, 5)
    assert (check.call_type, check.minutes_needed) == ("discovery", 20)
    assert check.decision is Decision.RESCHEDULE

    press(qtbot, panel, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # immediate need
    assert decision.text().startswith("Proceed")
    assert not script.isVisible()
    (check,) = desk.prospect_detail(dana.id).time_checks
    assert check.immediate_need
    assert check.decision is Decision.PROCEED


def test_free_minutes_and_call_type_by_keys(qtbot, panel, desk, dana):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    minutes = panel.focusWidget()
    assert minutes.objectName() == "timeCheckMinutes"
    qtbot.keyClick(minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(minutes, "45")

    press(qtbot, panel, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert panel.focusWidget().objectName() == "timeCheckCallType"
    press(qtbot, panel, Qt.Key.Key_Down)  # introduction, 60 minutes

    decision = child(panel, QLabel, "timeCheckDecision")
    assert decision.text() == "Reschedule: propose a 60-minute slot"
    (check,) = desk.prospect_detail(dana.id).time_checks
    assert (check.minutes_available, check.call_type, check.minutes_needed) == (
        45,
        "introduction",
        60,
    )
    assert child(panel, QLabel, "callTimer").text() == "00:00 of 45:00"


def test_ctrl_b_books_the_slot_in_their_zone_and_writes_the_invite(
    qtbot, panel, desk, dana, invites, opened
):
    attempt_id = start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 5 of 20 minutes
    assert "America/Denver" in child(panel, QLabel, "slotZone").text()

    # Default: the next business day at 10:00 their time; one day later is Thursday.
    press(qtbot, panel, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert panel.focusWidget().objectName() == "slotDate"
    press(qtbot, panel, Qt.Key.Key_Up)
    script = child(panel, QLabel, "rescheduleScript")
    assert "Thursday, March 12 at 10:00 AM MDT" in script.text()

    press(qtbot, panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)

    slot = datetime(2026, 3, 12, 10, 0, tzinfo=DENVER)
    (follow_up,) = desk.prospect_detail(dana.id).follow_ups
    assert follow_up.due_at == slot
    assert follow_up.minutes == 20
    assert follow_up.kind is FollowUpKind.MEETING
    assert follow_up.attempt_id == attempt_id
    (invite,) = invites.glob("*.ics")
    event = next(iter(Calendar.from_ical(invite.read_bytes()).walk("VEVENT")))
    assert event.decoded("dtstart") == slot
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
    assert child(panel, QLineEdit, "invitePath").text() == str(invite)
    assert "Suggested outcome: Rescheduled" in child(panel, QLabel, "callStatus").text()
    assert not child(panel, QPushButton, "bookButton").isEnabled()

    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, panel, Qt.Key.Key_O, ctrl_shift)
    assert opened == [QUrl.fromLocalFile(str(invite))]

    # Booking again with Ctrl+B does not book twice.
    press(qtbot, panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert len(desk.prospect_detail(dana.id).follow_ups) == 1

    # Hanging up offers "rescheduled", and the proposal is logged as the script used.
    press(qtbot, panel, Qt.Key.Key_F6)
    bar = child(panel, OutcomeBar, "outcomeBar")
    assert bar.chosen() is Outcome.RESCHEDULED
    with qtbot.waitSignal(panel.call_finished) as finished:
        press(qtbot, panel, Qt.Key.Key_Return)
    record = finished.args[0]
    assert record.outcome is Outcome.RESCHEDULED
    assert record.script_name == "reschedule_proposal"
    assert "Thursday, March 12 at 10:00 AM MDT" in record.rendered_text


def test_a_slot_in_the_past_cannot_be_booked(qtbot, panel, desk, dana, invites):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    for _ in range(3):
        press(qtbot, panel, Qt.Key.Key_Down)
    # The picker stops at today in Denver (Tuesday the 10th, 8:00 AM there).
    assert child(panel, QDateEdit, "slotDate").date() == QDate(2026, 3, 10)
    for _ in range(4):  # through the date's parts (day name, year, month, day) to the time
        press(qtbot, panel, Qt.Key.Key_Tab)
    assert panel.focusWidget().objectName() == "slotTime"
    for _ in range(3):
        press(qtbot, panel, Qt.Key.Key_Down)  # 10:00 AM down to 7:00 AM: an hour ago
    assert child(panel, QTimeEdit, "slotTime").time() == QTime(7, 0)

    warning = child(panel, QLabel, "slotWarning")
    assert warning.isVisible()
    assert "already passed" in warning.text()
    assert not child(panel, QPushButton, "bookButton").isEnabled()
    press(qtbot, panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert desk.prospect_detail(dana.id).follow_ups == ()
    assert not invites.exists() or list(invites.glob("*.ics")) == []


def test_a_weekend_slot_is_flagged_but_can_be_booked(qtbot, panel, desk, dana):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    warning = child(panel, QLabel, "slotWarning")
    assert not warning.isVisible()  # Wednesday 10:00 AM in Denver is fine for both sides
    press(qtbot, panel, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    for _ in range(3):
        press(qtbot, panel, Qt.Key.Key_Up)  # Wednesday to Saturday

    assert warning.isVisible()
    assert "That is a Saturday." in warning.text()
    press(qtbot, panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    (follow_up,) = desk.prospect_detail(dana.id).follow_ups
    assert follow_up.due_at == datetime(2026, 3, 14, 10, 0, tzinfo=DENVER)


def test_hanging_up_lists_unfinished_pains_and_stops_the_timer(qtbot, panel, steps):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.focusWidget(), "lost a client")
    press(qtbot, panel, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.focusWidget(), "front desk misses calls")
    press(qtbot, panel, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, panel, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    steps.advance(95)

    press(qtbot, panel, Qt.Key.Key_F6)

    warning = child(panel, QLabel, "unfinishedPains")
    assert warning.isVisible()
    assert warning.text() == (
        "Not asked about: 'front desk misses calls' (present). "
        "Not acknowledged: 'front desk misses calls' (present), "
        "a future pain with no words."
    )
    assert child(panel, OutcomeBar, "outcomeBar").isVisible()
    assert panel.in_call()
    timer = child(panel, QLabel, "callTimer")
    assert timer.text() == "01:35"
    steps.advance(300)
    panel.note_script_used("voicemail_first", "Hi Dana")  # redraws the panel
    assert timer.text() == "01:35"

    # Esc: back to the call, the timer runs on and the warning goes.
    press(qtbot, panel, Qt.Key.Key_Escape)
    assert not child(panel, OutcomeBar, "outcomeBar").isVisible()
    assert not warning.isVisible()
    assert timer.text() == "06:35"
    assert panel.end_action.isEnabled()


def test_outcome_by_number_key_logs_the_attempt_with_note_and_script(qtbot, panel, desk, dana):
    attempt_id = start(qtbot, panel)
    panel.note_script_used("voicemail_first", "Hi Dana, this is Sam from Northwind.")
    assert "voicemail_first" in child(panel, QLabel, "scriptUsed").text()

    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_2)  # voicemail left
    assert panel.focusWidget().objectName() == "outcomeNote"
    qtbot.keyClicks(panel.focusWidget(), "Left VM 2, call back Thu")
    with qtbot.waitSignal(panel.call_finished) as finished:
        press(qtbot, panel, Qt.Key.Key_Return)

    record = finished.args[0]
    assert record.id == attempt_id
    stored = desk.prospect_detail(dana.id).attempts[0]
    assert stored == record
    assert stored.outcome is Outcome.VOICEMAIL_LEFT
    assert stored.notes == "Left VM 2, call back Thu"
    assert stored.script_name == "voicemail_first"
    assert stored.rendered_text == "Hi Dana, this is Sam from Northwind."
    assert stored.ended_at is not None
    assert not panel.in_call()
    assert panel.current_attempt_id() is None
    assert child(panel, QLabel, "callStatus").text() == "Logged: Voicemail left."
    assert child(panel, QLabel, "callTimer").text() == "00:00"
    assert panel.start_action.isEnabled()


def test_a_script_copied_after_hanging_up_is_the_one_logged(qtbot, panel, desk, dana):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_F6)
    panel.note_script_used("voicemail_missed_again", "Hi Dana, we must be on opposite schedules.")
    press(qtbot, panel, Qt.Key.Key_2)
    with qtbot.waitSignal(panel.call_finished):
        press(qtbot, panel, Qt.Key.Key_Return)
    assert desk.prospect_detail(dana.id).attempts[0].script_name == "voicemail_missed_again"


def test_opening_another_prospect_mid_call_keeps_the_call(qtbot, panel, desk, dana):
    other = desk.add_prospect(first_name="Owen", last_name="Brandt", phone="(720) 858-3302")
    attempt_id = start(qtbot, panel)
    panel.set_prospect(other.id)
    assert panel.current_attempt_id() == attempt_id
    assert "Dana Whitfield" in child(panel, QLabel, "callProspect").text()

    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_3)
    with qtbot.waitSignal(panel.call_finished):
        press(qtbot, panel, Qt.Key.Key_Return)

    assert "Owen Brandt" in child(panel, QLabel, "callProspect").text()
    assert desk.prospect_detail(dana.id).attempts[0].outcome is Outcome.NO_ANSWER


def test_call_types_follow_the_profile(qtbot, panel, desk):
    start(qtbot, panel)
    desk.update_profile(call_types=[CallTypeRecord("discovery", 20), CallTypeRecord("demo", 45)])
    combo = panel.findChild(QWidget, "timeCheckCallType")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "discovery (20 min)",
        "demo (45 min)",
    ]


def test_every_action_has_text_and_an_unreserved_shortcut(panel):
    actions = panel.menu_actions()
    keys = [action.shortcut().toString() for action in actions]
    assert all(action.text() for action in actions)
    assert all(keys)
    assert len(set(keys)) == len(keys)
    assert not RESERVED & set(keys)
    assert {"F5", "F6", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+B"} <= set(keys)
    assert QKeySequence("Ctrl+Delete").toString() not in keys


def test_main_parts_carry_their_names_and_are_heard_in_words(panel):
    for name, spoken in (
        ("callTimer", "Call time"),
        ("timeCheckPanel", ""),  # a group box: heard by its title, "Time check"
        ("painPane", "Pains heard"),
        ("outcomeBar", "How the call ended"),
    ):
        part = panel.findChild(QWidget, name)
        assert part is not None
        assert part.accessibleName() == spoken


def test_pain_keys_do_nothing_before_the_call(qtbot, panel, desk, dana):
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert desk.prospect_detail(dana.id).pains == ()
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    (pain,) = desk.prospect_detail(dana.id).pains
    assert pain.kind is PainKind.PEERS


def test_a_demo_prospect_abroad_gets_a_slot_in_their_own_zone(qtbot, demo_bridge, steps):
    desk = demo_bridge.desk
    sydney = next(
        prospect for prospect in desk.prospects() if prospect.timezone == "Australia/Sydney"
    )
    widget = CallPanel(demo_bridge, clock=steps, open_url=lambda url: True)
    qtbot.addWidget(widget)
    widget.resize(640, 760)
    widget.show()
    widget.set_prospect(sydney.id)
    with qtbot.waitSignal(widget.call_started):
        widget.start_call()
    widget.findChild(QPushButton, "quickMinutes5").click()

    assert "Australia/Sydney" in child(widget, QLabel, "slotZone").text()
    # 15:00 UTC on Tuesday is 2 AM Wednesday in Sydney: the next business day is Thursday.
    assert "Thursday, March 12 at 10:00 AM AEDT" in child(widget, QLabel, "rescheduleScript").text()
    assert "for you" in child(widget, QLabel, "slotRepTime").text()


def test_deleting_the_open_prospect_empties_the_panel(qtbot, panel, desk, dana, failures):
    desk.delete_prospect(dana.id)
    qtbot.waitUntil(child(panel, QLabel, "callPanelHint").isVisible)
    assert not panel.start_action.isEnabled()
    assert failures == []


def test_a_new_pain_scrolls_into_sight_below_a_long_time_check(qtbot, panel):
    panel.resize(560, 480)  # the pains table is only as high as its pains
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # reschedule box opens
    scroll = panel.findChild(QWidget, "callPanelScroll").verticalScrollBar()
    qtbot.waitUntil(lambda: scroll.maximum() > 0)  # the pains are now below the fold
    words = child(panel, QLineEdit, "painWords")
    assert words.visibleRegion().isEmpty()
    press(qtbot, panel, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert panel.focusWidget() is words
    qtbot.waitUntil(lambda: not words.visibleRegion().isEmpty())
    assert not child(panel, QLabel, "painAcknowledgement").visibleRegion().isEmpty()


def test_the_next_call_starts_without_the_last_ones_answers(qtbot, panel, desk, dana):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    press(qtbot, panel, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert child(panel, QLabel, "bookedLabel").isVisible()
    press(qtbot, panel, Qt.Key.Key_F6)
    with qtbot.waitSignal(panel.call_finished):
        press(qtbot, panel, Qt.Key.Key_Return)

    # Between calls the greyed time check shows nothing of the call just logged.
    assert not child(panel, QCheckBox, "timeCheckAsked").isChecked()
    assert child(panel, QSpinBox, "timeCheckMinutes").text() != "5 min"
    assert not child(panel, QLabel, "bookedLabel").isVisible()
    assert not child(panel, QLineEdit, "invitePath").isVisible()


def log_no_answer(qtbot, panel):
    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_3)
    with qtbot.waitSignal(panel.call_finished):
        press(qtbot, panel, Qt.Key.Key_Return)


def test_a_call_started_by_mistake_is_discarded_without_a_trace(qtbot, panel, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    cadence_before = desk.enrollment(dana.id)
    start(qtbot, panel)
    discard = child(panel, QPushButton, "discardCallButton")
    assert discard.isVisible()
    assert "Shift+F5" in discard.text()

    press(qtbot, panel, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)

    assert not panel.in_call()
    assert desk.prospect_detail(dana.id).attempts == ()
    assert desk.enrollment(dana.id) == cadence_before
    assert child(panel, QLabel, "callStatus").text() == "Call discarded: nothing was logged."
    assert not discard.isVisible()
    assert panel.start_action.isEnabled()


def test_a_call_with_a_pain_in_it_is_not_discarded(qtbot, panel, desk, dana):
    attempt_id = start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.focusWidget(), "Weekend calls go to voicemail")

    press(qtbot, panel, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)

    assert panel.current_attempt_id() == attempt_id
    status = child(panel, QLabel, "callStatus")
    assert status.isVisible()
    assert "Not discarded" in status.text()
    assert "pains" in status.text()
    assert "log its outcome instead" in status.text()
    assert [attempt.id for attempt in desk.prospect_detail(dana.id).attempts] == [attempt_id]


def test_f5_right_after_logging_a_call_asks_before_calling_again(qtbot, panel, desk, dana):
    start(qtbot, panel)
    log_no_answer(qtbot, panel)

    press(qtbot, panel, Qt.Key.Key_F5)  # a slip of the finger

    assert not panel.in_call()
    status = child(panel, QLabel, "callStatus")
    assert status.text() == (
        "You logged a call to Dana Whitfield just now. Press F5 again to call them again."
    )
    assert len(desk.prospect_detail(dana.id).attempts) == 1

    start(qtbot, panel)  # meant it
    assert panel.in_call()
    assert len(desk.prospect_detail(dana.id).attempts) == 2


def test_a_voicemail_after_copying_the_cold_opener_leaves_the_step_words_on_the_card(
    qtbot, bridge, panel, desk, dana
):
    desk.enroll(dana.id, "three_voicemails")
    card = ProspectCard(bridge)
    qtbot.addWidget(card)
    card.show_prospect(dana.id)
    start(qtbot, panel)
    copy_script(qtbot, bridge, panel, dana.id, "cold call opener", "opener_research")

    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_2)  # voicemail left
    assert (
        child(panel, QLabel, "outcomeScript")
        .text()
        .startswith("Logged with First voicemail, their cadence step's voicemail: “Hi Dana")
    )
    with qtbot.waitSignal(panel.call_finished) as finished:
        press(qtbot, panel, Qt.Key.Key_Return)

    step_words = desk.render_script("voicemail_first", dana.id).text
    record = finished.args[0]
    assert (record.script_name, record.rendered_text) == ("voicemail_first", step_words)
    qtbot.waitUntil(lambda: child(card, QLabel, "lastMessageText").text() == step_words)


def test_the_next_calls_note_cannot_undo_back_to_the_last_ones(qtbot, panel, desk, dana):
    owen = desk.add_prospect(first_name="Owen", last_name="Brandt", phone="(720) 858-3302")
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_1)
    qtbot.keyClicks(panel.focusWidget(), "told me their CFO decides")
    with qtbot.waitSignal(panel.call_finished):
        press(qtbot, panel, Qt.Key.Key_Return)

    panel.set_prospect(owen.id)  # the rep opens the next prospect in the list
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_3)
    note = child(panel, QLineEdit, "outcomeNote")
    assert panel.focusWidget() is note
    press(qtbot, panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert note.text() == ""
    with qtbot.waitSignal(panel.call_finished) as finished:
        press(qtbot, panel, Qt.Key.Key_Return)
    assert finished.args[0].notes == ""


def test_back_to_the_call_and_f6_again_keeps_the_note_typed(qtbot, panel, desk, dana):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_F6)
    press(qtbot, panel, Qt.Key.Key_5)
    qtbot.keyClicks(panel.focusWidget(), "wants a brochure first")
    press(qtbot, panel, Qt.Key.Key_Escape)
    press(qtbot, panel, Qt.Key.Key_F6)
    assert child(panel, QLineEdit, "outcomeNote").text() == "wants a brochure first"
    press(qtbot, panel, Qt.Key.Key_5)
    with qtbot.waitSignal(panel.call_finished) as finished:
        press(qtbot, panel, Qt.Key.Key_Return)
    assert finished.args[0].notes == "wants a brochure first"


def dark_palette():
    """A dark theme as Breeze Dark paints it: light text on a near-black window."""
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#2a2e32"),
        (QPalette.ColorRole.WindowText, "#fcfcfc"),
        (QPalette.ColorRole.Base, "#1b1e20"),
        (QPalette.ColorRole.Text, "#fcfcfc"),
        (QPalette.ColorRole.Button, "#31363b"),
        (QPalette.ColorRole.ButtonText, "#fcfcfc"),
    ):
        palette.setColor(role, QColor(color))
    return palette


@pytest.fixture
def themes(qapp):
    """The light palette the tests start with and a dark one; the light one is put back."""
    light = QPalette(qapp.palette())
    yield light, dark_palette()
    qapp.setPalette(light)


def seen_and_read(label):
    """(tint against the window around it, text against the tint), as WCAG contrast ratios."""
    around = label.parentWidget().palette().color(QPalette.ColorRole.Window)
    painted = label.palette().color(QPalette.ColorRole.Window)
    words = label.palette().color(QPalette.ColorRole.WindowText)
    assert label.autoFillBackground()
    return contrast(painted, around), contrast(words, painted)


def test_timer_warnings_stand_out_in_light_and_dark_and_follow_a_theme_change(
    qtbot, qapp, panel, steps, themes
):
    light, dark = themes
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 10 minutes
    timer = child(panel, QLabel, "callTimer")
    warning = child(panel, QLabel, "timerWarning")
    for state, seconds in (("warning", 8 * 60 + 30), ("over", 2 * 60)):
        steps.advance(seconds)
        assert timer.property("timerState") == state
        for palette in (light, dark, light):
            qapp.setPalette(palette)
            window = panel.palette().color(QPalette.ColorRole.Window)
            qtbot.waitUntil(
                lambda window=window: (
                    contrast(
                        timer.palette().color(QPalette.ColorRole.WindowText),
                        timer.palette().color(QPalette.ColorRole.Window),
                    )
                    >= 4.5
                    and contrast(timer.palette().color(QPalette.ColorRole.Window), window) >= 3
                )
            )
            for label in (timer, warning):
                seen, read = seen_and_read(label)
                assert seen >= 3, (state, label.objectName(), seen)
                assert read >= 4.5, (state, label.objectName(), read)


def test_hanging_up_stops_the_timer_and_says_so(qtbot, panel, steps):
    start(qtbot, panel)
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 5 minutes
    timer = child(panel, QLabel, "callTimer")
    warning = child(panel, QLabel, "timerWarning")
    steps.advance(4 * 60 + 10)
    assert timer.text() == "04:10 of 05:00"
    assert "wrap up" in warning.text()

    press(qtbot, panel, Qt.Key.Key_F6)
    assert warning.text() == "Call ended after 4 minutes 10 seconds: pick how it ended."
    assert "wrap up" not in timer.accessibleDescription()
    assert timer.property("timerState") == "ended"
    assert not timer.autoFillBackground()  # nothing left to hurry: no warning colour
    steps.advance(90)
    # Told 15 minutes after all: the timer shows it, still stopped where the call ended.
    press(qtbot, panel, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert timer.text() == "04:10 of 15:00"
    press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)

    press(qtbot, panel, Qt.Key.Key_Escape)  # back to the call: it counts on, and warns again
    assert timer.text() == "05:40 of 05:00"
    assert warning.text().startswith("Over time")


def test_no_homework_looks_the_same_on_the_card_and_the_call_panel_in_any_theme(
    qtbot, qapp, window, demo_bridge, themes
):
    owen = demo_bridge.desk.add_prospect(first_name="Owen", last_name="Brandt")
    window.open_prospect(owen.id)
    on_card = child(window.card, QLabel, "noHomework")
    on_panel = child(window.call_panel, QLabel, "noResearchFlag")
    qtbot.waitUntil(lambda: on_card.isVisible() and on_panel.isVisible())
    for palette in themes:
        qapp.setPalette(palette)
        qtbot.waitUntil(
            lambda: (
                on_card.palette().color(QPalette.ColorRole.Window)
                == on_panel.palette().color(QPalette.ColorRole.Window)
                and seen_and_read(on_card)[0] >= 3
            )
        )
        for flag in (on_card, on_panel):
            seen, read = seen_and_read(flag)
            assert seen >= 3, (flag.objectName(), seen)
            assert read >= 4.5, (flag.objectName(), read)


def test_what_to_say_now_is_rendered_once_per_call_start_and_again_after_their_research_changed(
    qtbot, panel, bridge, dana, monkeypatch
):
    rendered: list[str] = []
    render = bridge.desk.render_script

    def counting(name, prospect_id, **given):
        rendered.append(name)
        return render(name, prospect_id, **given)

    monkeypatch.setattr(bridge.desk, "render_script", counting)
    say = child(panel, QLabel, "sayNow")

    start(qtbot, panel)
    qtbot.waitUntil(lambda: say.isVisible())
    assert rendered == ["time_check_question"]  # not once per part that settled in

    bridge.desk.update_research(dana.id, angle="Their phones ring out after six.")
    qtbot.waitUntil(lambda: len(rendered) == 2)  # their data changed: rendered anew
    assert rendered == ["time_check_question"] * 2
    press(qtbot, panel, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # 60 minutes
    qtbot.waitUntil(lambda: "Their phones ring out after six." in say.text())
    # The opener may be rendered twice: the time check saved meanwhile touches the
    # prospect, and a render under way then is done again. The question never is.
    assert rendered[:2] == ["time_check_question"] * 2
    assert set(rendered[2:]) == {"opener_research"}


def test_words_rendered_from_research_changed_meanwhile_are_rendered_again(
    qtbot, panel, bridge, dana, monkeypatch
):
    say = child(panel, QLabel, "sayNow")
    start(qtbot, panel)
    qtbot.waitUntil(lambda: say.isVisible())
    render = bridge.desk.render_script
    research_saved = threading.Event()

    def render_then_wait_for_the_save(name, prospect_id, **given):
        rendered = render(name, prospect_id, **given)
        research_saved.wait(10)  # the rep saves a new angle while this one is on its way
        return rendered

    monkeypatch.setattr(bridge.desk, "render_script", render_then_wait_for_the_save)
    press(qtbot, panel, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # 60 minutes
    bridge.desk.update_research(dana.id, angle="Their phones ring out after six.")
    research_saved.set()

    qtbot.waitUntil(lambda: "Their phones ring out after six." in say.text())
    assert "Missed calls at the front desk" not in say.text()


def picked_slot(panel: CallPanel) -> tuple[QDate, QTime]:
    return child(panel, QDateEdit, "slotDate").date(), child(panel, QTimeEdit, "slotTime").time()


def as_picked(slot: datetime) -> tuple[QDate, QTime]:
    return QDate(slot.year, slot.month, slot.day), QTime(slot.hour, slot.minute)


def test_the_slot_to_propose_is_worked_out_on_a_worker_once_the_call_starts(
    qtbot, panel, desk, dana
):
    start(qtbot, panel)
    proposed = as_picked(desk.proposed_slot(dana.id))
    qtbot.waitUntil(lambda: picked_slot(panel) == proposed)


def test_a_proposal_shown_before_the_workers_slot_comes_asks_for_it_here(
    qtbot, panel, bridge, desk, dana, monkeypatch
):
    worker_may_answer = threading.Event()
    real = desk.proposed_slot

    def held_on_workers(prospect_id: int) -> datetime:
        if threading.current_thread() is not threading.main_thread():
            assert worker_may_answer.wait(30)
        return real(prospect_id)

    monkeypatch.setattr(bridge.desk, "proposed_slot", held_on_workers)
    try:
        start(qtbot, panel)
        press(qtbot, panel, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # 5 of 20 minutes
        assert picked_slot(panel) == as_picked(real(dana.id))
        assert "10:00 AM" in child(panel, QLabel, "rescheduleScript").text()
    finally:
        worker_may_answer.set()
