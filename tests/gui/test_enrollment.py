"""Cadence enrollment from the card and from the list, by keys, checked in the database."""

from datetime import timedelta

import pytest
from key_presses import press
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
)

from callassist.core import CallDesk
from callassist.vocabulary import STATUS_AFTER_OUTCOME, Outcome
from ui.shortcuts import shortcut_rows
from ui.widgets.enrollment import EnrollmentBox
from ui.widgets.prospect_card import ProspectCard
from ui.widgets.prospect_list import ProspectListPane

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
POPUP_MENU = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard"
)
"""A popup menu works offscreen, but the offscreen platform says it cannot raise or grab."""


@pytest.fixture
def card(qtbot, bridge, dana) -> ProspectCard:
    widget = ProspectCard(bridge)
    qtbot.addWidget(widget)
    widget.resize(420, 780)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    widget.show_prospect(dana.id)
    return widget


def box_of(card: ProspectCard) -> EnrollmentBox:
    box = card.findChild(EnrollmentBox, "enrollmentBox")
    assert box is not None
    return box


def text(widget, name: str) -> str:
    return widget.findChild(QLabel, name).text()


def button(widget, name: str) -> QPushButton:
    return widget.findChild(QPushButton, name)


def into_the_card(qtbot, card: ProspectCard) -> None:
    """Put the cursor in the research notes, as a rep working on the card would."""
    qtbot.keyClick(card, Qt.Key.Key_R, CTRL_SHIFT)
    research = card.findChild(QPlainTextEdit, "research_company_summary")
    qtbot.waitUntil(research.hasFocus)


def test_enroll_pause_resume_and_remove_by_keys(qtbot, card, desk, dana):
    box = box_of(card)
    assert (box.objectName(), box.accessibleName()) == ("enrollmentBox", "Cadence")
    qtbot.waitUntil(lambda: text(box, "enrollmentState") == "Not in a cadence.")
    into_the_card(qtbot, card)

    press(qtbot, Qt.Key.Key_E, CTRL)  # to the list of cadences
    choice = box.findChild(QComboBox, "cadenceChoice")
    assert QApplication.focusWidget() is choice
    assert choice.currentText() == "Persistence"
    press(qtbot, Qt.Key.Key_Down)
    assert choice.currentText() == "Three voicemails, then email"
    press(qtbot, Qt.Key.Key_Return)

    enrollment = desk.enrollment(dana.id)
    assert (enrollment.cadence, enrollment.step, enrollment.paused) == (
        "three_voicemails",
        1,
        False,
    )
    qtbot.waitUntil(
        lambda: text(box, "enrollmentState") == "Three voicemails, then email · step 1 of 5"
    )
    next_step = text(box, "enrollmentNextStep")
    assert "call, leave a message (script: First voicemail)" in next_step
    assert "due Tue Mar 10, 9:00 AM their time, 10:00 AM yours" in next_step
    assert "attempt 1" in next_step

    press(qtbot, Qt.Key.Key_P, CTRL_SHIFT)
    assert desk.enrollment(dana.id).paused
    qtbot.waitUntil(
        lambda: (
            text(box, "enrollmentState") == "Three voicemails, then email · paused at step 1 of 5"
        )
    )
    assert not button(box, "pauseCadenceButton").isEnabled()
    assert desk.queue() == []

    press(qtbot, Qt.Key.Key_G, CTRL_SHIFT)
    assert not desk.enrollment(dana.id).paused
    assert [item.prospect_id for item in desk.queue()] == [dana.id]

    press(qtbot, Qt.Key.Key_X, CTRL_SHIFT)
    assert desk.enrollment(dana.id) is None
    qtbot.waitUntil(lambda: text(box, "enrollmentState") == "Not in a cadence.")
    assert not button(box, "removeCadenceButton").isEnabled()


def test_enrolling_into_another_cadence_says_it_moves_them(qtbot, card, desk, dana):
    desk.enroll(dana.id, "three_voicemails")
    box = box_of(card)
    choice = box.findChild(QComboBox, "cadenceChoice")
    # A prospect opened in a cadence starts the list on theirs: Enter would restart it.
    qtbot.waitUntil(lambda: choice.currentText() == "Three voicemails, then email")
    assert button(box, "enrollButton").text() == "Restart"
    note = box.findChild(QLabel, "enrollmentMoveNote")
    assert not note.isVisible()

    into_the_card(qtbot, card)
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_Up)
    assert button(box, "enrollButton").text() == "Switch"
    assert note.isVisible()
    assert note.text() == (
        "One cadence at a time: switching ends Three voicemails, then email "
        "and starts Persistence from step 1."
    )
    press(qtbot, Qt.Key.Key_Return)

    assert desk.enrollment(dana.id).cadence == "persistence"
    qtbot.waitUntil(lambda: text(box, "enrollmentState") == "Persistence · step 1 of 13")
    assert not note.isVisible()


def test_a_persistence_cadence_that_ends_unanswered_says_find_another_contact(
    qtbot, bridge, desk, moving, dana
):
    desk.enroll(dana.id, "persistence")
    for _ in range(12):
        step = desk.enrollment(dana.id)
        assert step.next_action == "call"
        moving.at = step.next_due_at
        outcome = Outcome.VOICEMAIL_LEFT if step.leave_message else Outcome.NO_ANSWER
        desk.log_attempt(dana.id, outcome)
    moving.at += timedelta(minutes=1)
    desk.settle_cadences()  # as the queue pane does before each look

    box = EnrollmentBox(bridge)
    qtbot.addWidget(box)
    box.show()
    box.set_prospect(dana.id)

    qtbot.waitUntil(
        lambda: (
            text(box, "enrollmentState") == "Persistence · ended: moved on, no reply to any step"
        )
    )
    prompt = box.findChild(QLabel, "enrollmentPrompt")
    assert prompt.isVisible()
    assert prompt.text() == "Find another contact at the same company."


def test_a_prospect_in_a_broken_cadence_is_told_not_crashed(qtbot, bridge, desk, dana, tmp_path):
    mine = tmp_path / "xdg-config" / "callassist" / "cadences"
    mine.mkdir(parents=True)
    weekly = mine / "weekly.toml"
    weekly.write_text('title = "Weekly"\n[[steps]]\naction = "call"\n', encoding="utf-8")
    desk.enroll(dana.id, "weekly")
    weekly.write_text('title = "Weekly"\n[[steps]]\naction = "fax"\n', encoding="utf-8")

    box = EnrollmentBox(bridge)
    qtbot.addWidget(box)
    box.show()
    box.set_prospect(dana.id)

    assert "'weekly', which is missing" in text(box, "enrollmentState")
    # Still one key away from a working cadence.
    assert box.enroll_action.isEnabled()
    assert box.remove_action.isEnabled() is False


# -- several at once, from the list ---------------------------------------------------


@pytest.fixture
def people(desk):
    """Four prospects, listed in this order (by last name)."""
    return [
        desk.add_prospect(first_name=first, last_name=last, phone=phone).id
        for first, last, phone in (
            ("Ana", "Alvarez", "(312) 555-0101"),
            ("Ben", "Brooks", "(312) 555-0102"),
            ("Cy", "Cole", "(312) 555-0103"),
            ("Di", "Dunn", "(312) 555-0104"),
        )
    ]


@pytest.fixture
def listing(qtbot, bridge, people) -> ProspectListPane:
    pane = ProspectListPane(bridge)
    qtbot.addWidget(pane)
    pane.resize(560, 500)
    with qtbot.waitActive(pane):
        pane.show()
        pane.activateWindow()
    table = pane.findChild(QTableView, "prospectList")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    return pane


@POPUP_MENU
def test_several_selected_prospects_are_enrolled_and_paused_at_once(qtbot, listing, desk, people):
    three, last = people[:3], people[3]
    reports: list[str] = []
    listing.cadence_actions.reported.connect(reports.append)
    # The first row is current; Shift+Down twice takes in the next two.
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    assert listing.selected_prospect_ids() == three

    press(qtbot, Qt.Key.Key_E, CTRL)
    menu = listing.cadence_actions.cadence_menu
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions()] == [
        "&1 Persistence",
        "&2 Three voicemails, then email",
    ]
    qtbot.keyClick(menu, Qt.Key.Key_2)

    assert [desk.enrollment(pid).cadence for pid in three] == ["three_voicemails"] * 3
    assert desk.enrollment(last) is None  # Di was not selected
    assert reports[-1].startswith("Enrolled 3 prospects in Three voicemails, then email")

    table = listing.findChild(QTableView, "prospectList")
    with qtbot.waitActive(listing):
        listing.activateWindow()  # the menu had the keyboard
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    assert listing.selected_prospect_ids() == three  # the change kept the selection
    desk.pause_cadence(three[1])
    press(qtbot, Qt.Key.Key_P, CTRL_SHIFT)
    assert [desk.enrollment(pid).paused for pid in three] == [True, True, True]
    assert reports[-1] == (
        "Paused the cadence of 2 of 3 selected (the others had no running cadence to change)."
    )

    press(qtbot, Qt.Key.Key_X, CTRL_SHIFT)
    assert [desk.enrollment(pid) for pid in three] == [None, None, None]
    assert reports[-1] == "Removed 3 of 3 selected from their cadence."


@POPUP_MENU
def test_the_list_keeps_enter_for_opening_and_offers_a_context_menu(qtbot, listing, people):
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    table = listing.findChild(QTableView, "prospectList")
    table.customContextMenuRequested.emit(QPoint(10, 10))
    menu = table.findChild(QMenu, "prospectListMenu")
    qtbot.waitUntil(menu.isVisible)
    assert [action.text().replace("&", "") for action in menu.actions()] == [
        "Enroll selected in",
        "Pause cadence of selected",
        "Resume cadence of selected",
        "Remove selected from cadence",
    ]
    menu.close()

    with qtbot.waitActive(listing):
        listing.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    with qtbot.waitSignal(listing.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    assert opened.args == [people[1]]


def test_nothing_selected_is_said_rather_than_ignored(qtbot, listing):
    table = listing.findChild(QTableView, "prospectList")
    table.clearSelection()
    with qtbot.waitSignal(listing.cadence_actions.reported) as said:
        press(qtbot, Qt.Key.Key_P, CTRL_SHIFT)
    assert said.args[0].startswith("Select prospects in the list first")


# -- in the main window ------------------------------------------------------------


@POPUP_MENU
def test_the_window_reports_a_list_change_and_lists_the_keys(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    table = window.findChild(QTableView, "prospectList")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(0)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    chosen = window.prospect_list.selected_prospect_ids()
    assert len(chosen) == 2

    press(qtbot, Qt.Key.Key_E, CTRL)
    menu = window.prospect_list.cadence_actions.cadence_menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_1)
    assert [desk.enrollment(pid).cadence for pid in chosen] == ["persistence"] * 2
    assert window.statusBar().currentMessage().startswith("Enrolled 2 prospects in Persistence")

    rows = {(action, keys) for menu_name, action, keys in shortcut_rows(window.menus())}
    assert ("Today's queue", "Ctrl+T") in rows
    assert ("Enroll in a cadence…", "Ctrl+E") in rows
    assert ("Enroll selected in cadence…", "Ctrl+E") in rows
    assert ("Pause the cadence", "Ctrl+Shift+P") in rows
    assert ("Resume cadence of selected", "Ctrl+Shift+G") in rows


def test_the_open_prospects_keys_work_from_the_queue(qtbot, window, demo_bridge):
    desk = demo_bridge.desk
    press(qtbot, Qt.Key.Key_T, CTRL)
    first = window.queue.current_prospect_id()
    with qtbot.waitSignal(window.queue.prospect_activated):
        press(qtbot, Qt.Key.Key_Return)
    assert window.card.current_prospect_id() == first

    press(qtbot, Qt.Key.Key_P, CTRL_SHIFT)  # the keyboard is still in the queue
    assert desk.enrollment(first).paused
    # The queue is worked out again in a worker.
    qtbot.waitUntil(lambda: window.queue.model.row_of(first) is None)


@pytest.mark.parametrize(
    ("outcome", "why"),
    [
        (Outcome.NOT_INTERESTED, "said they are not interested"),
        (Outcome.WRONG_PERSON, "was the wrong person or a bad number"),
    ],
)
def test_enrolling_someone_who_said_no_asks_first(qtbot, card, desk, dana, clock, outcome, why):
    desk.log_attempt(dana.id, outcome, at=clock() - timedelta(days=30))
    box = box_of(card)
    note = box.findChild(QLabel, "enrollmentMoveNote")
    into_the_card(qtbot, card)
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_Return)
    assert desk.enrollment(dana.id) is None
    assert note.isVisible()
    assert note.text() == (
        f"Dana Whitfield {why}. Enroll them in Persistence anyway? Enter: yes, Escape: no."
    )

    press(qtbot, Qt.Key.Key_Escape)  # no: nothing changes, and the question goes
    assert not note.isVisible()
    assert desk.enrollment(dana.id) is None

    press(qtbot, Qt.Key.Key_Return)  # asked again,
    assert note.isVisible()
    press(qtbot, Qt.Key.Key_Return)  # and this time, yes
    assert desk.enrollment(dana.id).cadence == "persistence"
    qtbot.waitUntil(lambda: text(box, "enrollmentState") == "Persistence · step 1 of 13")
    assert desk.prospect(dana.id).status is STATUS_AFTER_OUTCOME[outcome]


def test_choosing_another_cadence_takes_the_question_back(qtbot, card, desk, dana):
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    box = box_of(card)
    into_the_card(qtbot, card)
    press(qtbot, Qt.Key.Key_E, CTRL)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Down)  # a different cadence than the one asked about
    press(qtbot, Qt.Key.Key_Return)
    assert desk.enrollment(dana.id) is None
    assert "Enroll them in Three voicemails, then email anyway?" in text(box, "enrollmentMoveNote")


@POPUP_MENU
def test_the_list_leaves_out_whoever_said_no_and_says_so(qtbot, listing, desk, people, clock):
    desk.log_attempt(people[1], Outcome.NOT_INTERESTED, at=clock() - timedelta(days=30))
    reports: list[str] = []
    listing.cadence_actions.reported.connect(reports.append)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_E, CTRL)
    menu = listing.cadence_actions.cadence_menu
    qtbot.waitUntil(menu.isVisible)
    qtbot.keyClick(menu, Qt.Key.Key_2)

    assert [desk.enrollment(pid) is not None for pid in people[:3]] == [True, False, True]
    assert reports[-1] == (
        "Enrolled 2 prospects in Three voicemails, then email from step 1; anyone in "
        "another cadence was moved out of it. Left out 1 prospect who said no or was a "
        "bad contact: enroll them from their card, which asks first."
    )


JOS_OWN = """title = "Jo's two calls"

[[steps]]
action = "call"
wait = "none"

[[steps]]
action = "call"
wait = "1 day"
"""


def test_the_card_shows_a_cadence_only_the_enrolling_colleague_has(
    qtbot, bridge, desk, dana, db_location, clock, tmp_path
):
    desk.add_rep(name="Jo Park", email="jo@northwind.example")
    desk.use_rep("sam@northwind.example")
    with CallDesk.open(
        db_location,
        clock=clock,
        rep="jo@northwind.example",
        template_dir=tmp_path / "jos-scripts",
        cadence_dir=tmp_path / "jos-cadences",
        backup_folder=tmp_path / "jos-backups",
    ) as jos_desk:
        jos_desk.save_cadence("jo-only", JOS_OWN)
        jos_desk.enroll(dana.id, "jo-only")
    widget = ProspectCard(bridge)
    qtbot.addWidget(widget)
    widget.show()
    widget.show_prospect(dana.id)
    box = box_of(widget)
    qtbot.waitUntil(lambda: text(box, "enrollmentState") == "Jo's two calls · step 1 of 2")
    assert button(box, "pauseCadenceButton").isEnabled()
