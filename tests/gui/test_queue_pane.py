"""Today's queue: who is due, what to do, which script; driven by keys, moved on by the clock."""

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDateEdit, QLabel, QLineEdit, QTableView

from callassist.vocabulary import FollowUpKind, Outcome
from callassist.wording import DueGroup
from ui.models import queue as queue_model
from ui.models.queue import (
    ACTION_COLUMN,
    ATTEMPT_COLUMN,
    CADENCE_COLUMN,
    COMPANY_COLUMN,
    DUE_COLUMN,
    DUE_GROUP_ROLE,
    MESSAGE_COLUMN,
    NAME_COLUMN,
    QUEUE_ITEM_ROLE,
    SCRIPT_COLUMN,
    THEIR_TIME_COLUMN,
    QueueModel,
)
from ui.tints import SEEN_CONTRAST, TEXT_CONTRAST, WARNING_HUE, contrast
from ui.widgets.queue_pane import EMPTY_TODAY, QueuePane

DENVER = ZoneInfo("America/Denver")
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def denver(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=DENVER)


@pytest.fixture
def owen(desk):
    """An owner: the persistence cadence skips the role-changed step for him."""
    return desk.add_prospect(
        first_name="Owen",
        last_name="Brandt",
        title="Owner",
        company="Summit Ridge Roofing",
        phone="(720) 858-3302",
        timezone="America/Denver",
    )


@pytest.fixture
def lee(desk):
    return desk.add_prospect(
        first_name="Lee",
        last_name="Park",
        company="Loop Logistics",
        phone="(312) 555-0199",
        timezone="America/Chicago",
    )


def open_pane(qtbot, bridge, refresh_ms=60_000) -> QueuePane:
    pane = QueuePane(bridge, refresh_ms=refresh_ms)
    qtbot.addWidget(pane)
    pane.resize(1200, 500)  # wide enough for every column
    # The first look is worked out in a worker: shown once it arrives.
    with qtbot.waitActive(pane), qtbot.waitSignal(pane.looked):
        pane.show()
        pane.activateWindow()
    return pane


def looked(qtbot, pane: QueuePane) -> None:
    """Wait for the look asked for last: the pane works the queue out in a worker."""
    qtbot.waitUntil(lambda: not pane.is_looking())


def row_text(pane: QueuePane, row: int) -> dict[int, str]:
    model = pane.model
    return {column: model.index(row, column).data() for column in range(model.columnCount())}


def names(pane: QueuePane) -> list[str]:
    model = pane.model
    return [model.index(row, NAME_COLUMN).data() for row in range(model.rowCount())]


def summary(pane: QueuePane) -> str:
    return pane.findChild(QLabel, "queueSummary").text()


def test_rows_say_what_to_do_with_which_script_at_which_step(qtbot, bridge, desk, dana, owen):
    desk.enroll(dana.id, "three_voicemails")
    desk.enroll(owen.id, "persistence")

    pane = open_pane(qtbot, bridge)

    assert (pane.objectName(), pane.accessibleName()) == ("callQueue", "Call queue")
    assert names(pane) == ["Dana Whitfield", "Owen Brandt"]
    assert row_text(pane, 0) == {
        DUE_COLUMN: "Due now · 10:00 AM",  # the rep's time (Chicago)
        NAME_COLUMN: "Dana Whitfield",
        COMPANY_COLUMN: "Mesa Dental",
        THEIR_TIME_COLUMN: "9:00 AM MDT",
        ACTION_COLUMN: "Call",
        MESSAGE_COLUMN: "Leave a message",
        SCRIPT_COLUMN: "First voicemail",
        CADENCE_COLUMN: "Three voicemails, then email 1/5",
        ATTEMPT_COLUMN: "1",
    }
    # An owner goes through 12 steps: the role-may-have-changed message is not for him.
    assert row_text(pane, 1)[CADENCE_COLUMN] == "Persistence 1/12"
    assert summary(pane) == "2 due now, 0 later today"
    assert pane.title() == "Today (2 due)"
    item = pane.model.index(0, DUE_COLUMN).data(QUEUE_ITEM_ROLE)
    assert (item.prospect_id, item.script, item.leave_message) == (dana.id, "voicemail_first", True)


def test_a_later_step_says_no_message_and_moves_to_its_day(qtbot, bridge, desk, moving, dana):
    desk.enroll(dana.id, "persistence")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_first")

    pane = open_pane(qtbot, bridge)
    assert names(pane) == []
    assert summary(pane) == EMPTY_TODAY

    pane.show_day(denver(13, 12).date())
    looked(qtbot, pane)
    [line] = [row_text(pane, row) for row in range(pane.model.rowCount())]
    assert (line[ACTION_COLUMN], line[MESSAGE_COLUMN], line[SCRIPT_COLUMN]) == (
        "Call",
        "No message",
        "—",
    )
    assert line[CADENCE_COLUMN] == "Persistence 2/13"
    assert line[ATTEMPT_COLUMN] == "2"


def test_overdue_due_now_and_later_today_are_written_out_and_follow_the_clock(
    qtbot, bridge, desk, moving, dana, lee
):
    desk.enroll(dana.id, "three_voicemails")  # due now: 9:00 AM in Denver
    desk.add_follow_up(lee.id, due_at=denver(10, 15), minutes=20, kind=FollowUpKind.CALL)
    pane = open_pane(qtbot, bridge, refresh_ms=20)

    assert [row_text(pane, row)[DUE_COLUMN] for row in range(2)] == [
        "Due now · 10:00 AM",
        "Later today · 4:00 PM",
    ]
    assert summary(pane) == "1 due now, 1 later today"

    # At four the booked call is due too. Dana's voicemail, six hours on, is still on
    # time: a cadence step has its whole day (the method counts days, not hours).
    moving.at = denver(10, 15, 5)
    qtbot.waitUntil(lambda: row_text(pane, 1)[DUE_COLUMN] == "Due now · 4:00 PM")
    assert names(pane) == ["Dana Whitfield", "Lee Park"]
    assert row_text(pane, 0)[DUE_COLUMN] == "Due now · 10:00 AM"
    assert pane.title() == "Today (2 due)"
    due_font = pane.model.index(1, DUE_COLUMN).data(Qt.ItemDataRole.FontRole)
    assert due_font is not None
    assert due_font.bold()

    # A booked call is a time agreed with them: ninety minutes on, it is late.
    moving.at = denver(10, 16, 35)
    qtbot.waitUntil(lambda: row_text(pane, 1)[DUE_COLUMN] == "Overdue · 4:00 PM")
    assert pane.model.index(1, DUE_COLUMN).data(DUE_GROUP_ROLE) == DueGroup.OVERDUE
    assert row_text(pane, 0)[DUE_COLUMN] == "Due now · 10:00 AM"
    assert summary(pane) == "2 due now (1 overdue), 0 later today"

    # The next morning Dana's voicemail has missed its day and is late too.
    moving.at = denver(11, 8, 30)
    qtbot.waitUntil(lambda: summary(pane) == "2 due now (2 overdue), 0 later today")
    assert pane.model.index(0, DUE_COLUMN).data(DUE_GROUP_ROLE) == DueGroup.OVERDUE


def test_the_date_picker_shows_another_day_and_today_comes_back(qtbot, bridge, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_first")
    pane = open_pane(qtbot, bridge)
    picker = pane.findChild(QDateEdit, "queueDay")
    assert names(pane) == []

    press(qtbot, Qt.Key.Key_D, ALT)
    assert QApplication.focusWidget() is picker
    press(qtbot, Qt.Key.Key_Up)  # one day on

    qtbot.waitUntil(lambda: names(pane) == ["Dana Whitfield"])
    line = row_text(pane, 0)
    assert line[DUE_COLUMN] == "Wed 10:00 AM"
    assert line[SCRIPT_COLUMN] == "Second voicemail"
    assert line[CADENCE_COLUMN] == "Three voicemails, then email 2/5"
    assert pane.title() == "Wed Mar 11 (1)"

    press(qtbot, Qt.Key.Key_T, ALT)  # the Today button: it clicks a moment later
    qtbot.waitUntil(lambda: pane.title() == "Today")
    looked(qtbot, pane)  # the title alone could say "Today" over Wednesday's rows
    assert names(pane) == []
    assert picker.date().toString("yyyy-MM-dd") == "2026-03-10"


def test_enter_opens_the_highlighted_prospect(qtbot, bridge, desk, dana, lee):
    desk.enroll(dana.id, "three_voicemails")
    desk.enroll(lee.id, "persistence")
    pane = open_pane(qtbot, bridge)
    pane.focus_queue()
    assert isinstance(QApplication.focusWidget(), QTableView)

    press(qtbot, Qt.Key.Key_Down)
    detail = pane.findChild(QLabel, "queueDetail").text()
    assert "Lee Park" in detail
    assert "leave a message (script: First voicemail)" in detail
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    assert opened.args == [lee.id]


def test_enrolling_and_removing_change_the_queue_at_once(qtbot, bridge, desk, dana):
    pane = open_pane(qtbot, bridge)
    assert names(pane) == []

    desk.enroll(dana.id, "persistence")
    # No minute's wait: the change itself asked for the queue again.
    looked(qtbot, pane)
    assert names(pane) == ["Dana Whitfield"]

    desk.pause_cadence(dana.id)
    looked(qtbot, pane)
    assert names(pane) == []
    desk.resume_cadence(dana.id)
    looked(qtbot, pane)
    assert names(pane) == ["Dana Whitfield"]
    desk.remove_from_cadence(dana.id)
    looked(qtbot, pane)
    assert names(pane) == []


def test_a_call_started_and_noted_leaves_the_queue_alone_until_it_is_logged(
    qtbot, bridge, desk, dana
):
    # Working 20,000 cadences' queue out again at each F5 and each typing pause held
    # the window up; only a logged outcome moves anyone.
    desk.enroll(dana.id, "three_voicemails")
    pane = open_pane(qtbot, bridge)
    assert names(pane) == ["Dana Whitfield"]
    call = desk.start_call(dana.id)
    desk.update_attempt_notes(call.id, "Reception put me through")
    assert not pane.is_looking()
    desk.finish_attempt(call.id, Outcome.VOICEMAIL_LEFT)
    assert pane.is_looking()
    looked(qtbot, pane)
    assert names(pane) == []  # the next voicemail is another day's


def test_edits_on_the_card_show_in_the_queue_at_once(qtbot, bridge, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    pane = open_pane(qtbot, bridge)

    desk.update_prospect(dana.id, company="Mesa Dental Group")
    assert row_text(pane, 0)[COMPANY_COLUMN] == "Mesa Dental Group"

    # Her zone moves the suggested time: the queue is worked out again.
    desk.update_prospect(dana.id, timezone="America/New_York")
    looked(qtbot, pane)
    assert row_text(pane, 0)[THEIR_TIME_COLUMN] == "11:00 AM EDT"


def test_a_follow_up_shows_its_reason_under_the_table(qtbot, bridge, desk, lee):
    desk.add_follow_up(
        lee.id,
        due_at=denver(10, 15),
        minutes=20,
        kind=FollowUpKind.CALL,
        reason="Promised to call back at four.",
    )
    pane = open_pane(qtbot, bridge)
    pane.focus_queue()

    line = row_text(pane, 0)
    assert (line[SCRIPT_COLUMN], line[CADENCE_COLUMN]) == (
        "Is this still a good time?",
        "Booked follow-up",
    )
    prompt = pane.findChild(QLabel, "queuePrompt")
    assert prompt.isVisible()
    assert prompt.text() == "Promised to call back at four."


def test_a_broken_cadence_file_is_named_and_the_others_still_work(
    qtbot, bridge, desk, dana, tmp_path
):
    desk.enroll(dana.id, "three_voicemails")
    mine = tmp_path / "xdg-config" / "callassist" / "cadences"
    mine.mkdir(parents=True)
    (mine / "weekly.toml").write_text(
        'title = "Weekly"\n[[steps]]\naction = "call"\n[[steps]]\naction = "call"\n'
        'wait = "soonish"\n',
        encoding="utf-8",
    )

    pane = open_pane(qtbot, bridge)

    warning = pane.findChild(QLabel, "cadenceProblems")
    assert warning.isVisible()
    assert "weekly.toml, step 2" in warning.text()
    assert "soonish" in warning.text()
    # The call panel's warning look: amber, seen against the pane, its words read on it.
    assert warning.property("tintHue") == WARNING_HUE
    shown = warning.palette()
    around = pane.palette().color(QPalette.ColorRole.Window)
    assert contrast(shown.color(QPalette.ColorRole.Window), around) >= SEEN_CONTRAST
    assert (
        contrast(shown.color(QPalette.ColorRole.WindowText), shown.color(QPalette.ColorRole.Window))
        >= TEXT_CONTRAST
    )
    assert names(pane) == ["Dana Whitfield"]

    (mine / "weekly.toml").write_text(
        'title = "Weekly"\n[[steps]]\naction = "call"\n', encoding="utf-8"
    )
    pane.refresh()
    looked(qtbot, pane)
    assert not warning.isVisible()


def test_queue_model_passes_qt_model_checks(qtmodeltester, bridge, desk, dana, owen, lee):
    model = QueueModel(bridge)
    qtmodeltester.check(model)

    desk.enroll(dana.id, "three_voicemails")
    desk.enroll(owen.id, "persistence")
    desk.add_follow_up(lee.id, due_at=denver(10, 15), minutes=20, kind=FollowUpKind.MEETING)
    assert model.show(desk.queue(denver(10, 9).date()), denver(10, 9).date())
    assert model.rowCount() == 3
    qtmodeltester.check(model)


# -- in the main window -------------------------------------------------------------


def test_ctrl_t_shows_the_queue_and_ctrl_f_goes_back_to_the_search(qtbot, window):
    assert window.left_tabs.currentWidget() is window.prospect_list
    press(qtbot, Qt.Key.Key_T, CTRL)
    assert window.left_tabs.currentWidget() is window.queue
    assert QApplication.focusWidget() is window.queue.findChild(QTableView, "callQueueTable")
    assert window.left_tabs.tabText(0) == "Today (6 due)"

    press(qtbot, Qt.Key.Key_F, CTRL)
    assert window.left_tabs.currentWidget() is window.prospect_list
    assert QApplication.focusWidget() is window.findChild(QLineEdit, "prospectSearch")


def test_logging_an_outcome_moves_the_prospect_on_in_the_queue(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    press(qtbot, Qt.Key.Key_T, CTRL)
    first = window.queue.current_prospect_id()
    assert first is not None
    [first_line] = [item for item in desk.queue() if item.prospect_id == first]
    assert (first_line.cadence, first_line.step, first_line.script) == (
        "three_voicemails",
        1,
        "voicemail_first",
    )
    following = names(window.queue)[1]

    with qtbot.waitSignal(window.queue.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    assert opened.args == [first]
    assert window.card.current_prospect_id() == first
    assert window.call_panel.findChild(QLabel, "callProspect").text().startswith("Call ")

    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_2)  # voicemail left
    with qtbot.waitSignal(window.call_panel.call_finished) as finished:
        press(qtbot, Qt.Key.Key_Return)
    assert finished.args[0].outcome is Outcome.VOICEMAIL_LEFT

    # The second voicemail is tomorrow's, so the row left today's queue, and the
    # highlight moved on to whoever was next.
    looked(qtbot, window.queue)
    assert window.queue.model.row_of(first) is None
    assert window.queue.title() == "Today (5 due)"
    assert window.queue.model.index(0, NAME_COLUMN).data() == following
    assert window.queue.findChild(QLabel, "queueDetail").text().startswith(following)
    # The card's cadence box reads on a worker of its own: the queue's look may come first.
    state = window.card.findChild(QLabel, "enrollmentState")
    qtbot.waitUntil(lambda: state.text() == "Three voicemails, then email · step 2 of 5")
    assert "Second voicemail" in window.card.findChild(QLabel, "enrollmentNextStep").text()

    window.queue.show_day(desk.rep_today().replace(day=11))
    looked(qtbot, window.queue)
    assert window.queue.model.row_of(first) is not None


def test_the_cadence_column_words_what_the_core_says(qtbot, bridge, desk, dana, monkeypatch):
    desk.enroll(dana.id, "persistence")
    [item] = desk.queue()
    model = QueueModel(bridge)

    def no_second_queue(*_args: object) -> None:
        raise AssertionError("show() words the given items; it must not ask for the queue")

    monkeypatch.setattr(desk, "queue", no_second_queue)
    # Whatever the core says about the cadence is what the row says.
    renamed = replace(item, cadence_title="Persistence (spring)", steps=9)
    assert model.show([renamed], denver(10, 9).date())
    assert model.index(0, CADENCE_COLUMN).data() == "Persistence (spring) 1/9"
    assert model.index(0, NAME_COLUMN).data(QUEUE_ITEM_ROLE) == renamed


def test_a_new_title_on_the_card_recounts_the_steps(qtbot, bridge, desk, dana):
    desk.enroll(dana.id, "persistence")
    pane = open_pane(qtbot, bridge)
    assert row_text(pane, 0)[CADENCE_COLUMN] == "Persistence 1/13"

    desk.update_prospect(dana.id, title="Owner")  # owners skip the role-changed step
    looked(qtbot, pane)
    assert row_text(pane, 0)[CADENCE_COLUMN] == "Persistence 1/12"
    desk.update_prospect(dana.id, company="Mesa Dental Group")  # words only: renamed in place
    assert row_text(pane, 0)[COMPANY_COLUMN] == "Mesa Dental Group"
    assert row_text(pane, 0)[CADENCE_COLUMN] == "Persistence 1/12"


def test_another_days_list_says_later_today_for_a_call_not_yet_due(
    qtbot, bridge, desk, moving, dana, lee
):
    # 10 AM in Chicago: Dana's booked call was due at nine, Lee's comes at four.
    moving.at = denver(10, 9)
    desk.add_follow_up(dana.id, due_at=denver(10, 8), minutes=20, kind=FollowUpKind.CALL)
    desk.add_follow_up(lee.id, due_at=denver(10, 15), minutes=20, kind=FollowUpKind.CALL)
    pane = open_pane(qtbot, bridge)

    press(qtbot, Qt.Key.Key_D, ALT)
    press(qtbot, Qt.Key.Key_Up)  # tomorrow, which still lists what is left of today
    qtbot.waitUntil(lambda: pane.title() == "Wed Mar 11 (2)")
    # Then the look itself: the stored values' read, arriving meanwhile, words the
    # title for the day picked from the rows still shown (today's, two of them too).
    looked(qtbot, pane)

    assert [row_text(pane, row)[DUE_COLUMN] for row in range(2)] == [
        "Overdue · Tue 9:00 AM",
        "Later today · Tue 4:00 PM",
    ]
    assert summary(pane) == "Wednesday March 11: 2 due, 2 carried over from earlier days"


def test_a_prospect_whose_day_never_meets_yours_is_marked_outside_your_hours(
    qtbot, bridge, desk, lee
):
    # Tokyo's 9 to 5 is 7 PM to 3 AM for the rep in Chicago: the call goes to the
    # end of the rep's day, 7 AM in Tokyo, and the row says it is outside their hours.
    aiko = desk.add_prospect(
        first_name="Aiko",
        last_name="Sato",
        company="Sakura Trading",
        phone="+81 3-5555-0123",
        timezone="Asia/Tokyo",
    )
    desk.enroll(aiko.id, "three_voicemails")
    desk.enroll(lee.id, "three_voicemails")
    pane = open_pane(qtbot, bridge)

    assert names(pane) == ["Lee Park", "Aiko Sato"]
    assert row_text(pane, 0)[DUE_COLUMN] == "Due now · 10:00 AM"
    tokyo = row_text(pane, 1)
    assert tokyo[DUE_COLUMN] == "Later today · 5:00 PM · outside your hours"
    assert tokyo[THEIR_TIME_COLUMN] == "Wed 7:00 AM JST"

    pane.focus_queue()
    press(qtbot, Qt.Key.Key_Down)
    detail = pane.findChild(QLabel, "queueDetail").text()
    assert "5:00 PM your time, Wed 7:00 AM JST theirs, outside your hours" in detail


def test_a_long_queue_words_only_the_lines_in_sight_when_it_arrives(
    qtbot, bridge, desk, dana, monkeypatch
):
    desk.enroll(dana.id, "three_voicemails")
    first = desk.queue()[0]
    # Thousands of lines at 20,000 enrolled; 400 show the same here. Wording a line is
    # Python work on the window's thread: fitting the columns to every line (Qt's
    # default measures a thousand) froze the window a second or two per look.
    many = [
        replace(first, prospect_id=first.prospect_id + number, name=f"Caller {number:03}")
        for number in range(400)
    ]
    monkeypatch.setattr(desk, "queue", lambda day=None, team=False: list(many))
    pane = open_pane(qtbot, bridge)
    worded: list[int] = []
    word_row = queue_model.word_row

    def counted(item, group, **wording):
        worded.append(item.prospect_id)
        return word_row(item, group, **wording)

    monkeypatch.setattr(queue_model, "word_row", counted)

    with qtbot.waitSignal(pane.looked):
        pane.refresh()
    qtbot.wait(50)  # painted

    table = pane.findChild(QTableView)
    in_sight = table.viewport().height() // table.verticalHeader().defaultSectionSize() + 1
    assert pane.model.rowCount() == 400
    assert 0 < len(worded) <= 2 * in_sight
    # The columns still fit what the rep sees, uncut (Qt's own measure of the lines in
    # sight), and the last line reads as well as the first.
    header = table.horizontalHeader()
    shown = [column for column in range(9) if column != NAME_COLUMN]
    assert not any(table.isColumnHidden(column) for column in shown)
    assert {
        column: header.sectionSize(column) >= table.sizeHintForColumn(column) for column in shown
    } == dict.fromkeys(shown, True)
    assert row_text(pane, 399)[NAME_COLUMN] == "Caller 399"
