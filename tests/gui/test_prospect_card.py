"""The prospect card and the add-prospect dialog, driven from the keyboard.

Past 500 lines: every test drives the same card and dialog with the same keys, so they
stay beside each other.
"""

import re

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextDocument, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import event

from callassist.core import CallDesk
from callassist.records import TrashedProspect
from callassist.vocabulary import Outcome, PainKind, ProspectStatus
from ui.dialogs.add_prospect import AddProspectDialog
from ui.widgets.card_history import PAINS_SHOWN
from ui.widgets.card_research import NO_HOMEWORK
from ui.widgets.pain_pane import PainPane
from ui.widgets.prospect_card import ProspectCard


@pytest.fixture
def card(qtbot, bridge) -> ProspectCard:
    widget = ProspectCard(bridge)
    qtbot.addWidget(widget)
    widget.resize(640, 780)
    widget.show()
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


@pytest.fixture
def dana(make_prospect):
    return make_prospect(title="Office manager")


def field(card: ProspectCard, name: str) -> QLineEdit | QPlainTextEdit:
    return card.findChild(QWidget, f"field_{name}")


def research(card: ProspectCard, name: str) -> QPlainTextEdit:
    return card.findChild(QPlainTextEdit, f"research_{name}")


def label(card: QWidget, name: str) -> QLabel:
    return card.findChild(QLabel, name)


def pains_heard(card: ProspectCard) -> str:
    """The card's pains section as the rep reads it (no markup, plain spaces)."""
    document = QTextDocument()
    document.setHtml(label(card, "painsHeardList").text())
    return document.toPlainText().replace("\xa0", " ")


def retype(qtbot, editor: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Select what is in the field and type over it, as a rep would."""
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)


def test_the_card_and_its_research_carry_their_names(card, dana):
    card.show_prospect(dana.id)

    assert (card.objectName(), card.accessibleName()) == ("prospectCard", "Prospect card")
    notes = card.findChild(QGroupBox, "researchNotes")
    assert notes.title() == "Research notes"  # what a screen reader says for it
    assert notes.isVisible()


def test_with_no_prospect_the_card_says_how_to_find_or_add_one(card):
    card.show_prospect(None)

    empty = label(card, "prospectCardEmpty")
    assert empty.isVisible()
    assert "Ctrl+F" in empty.text()
    assert "Ctrl+N" in empty.text()
    assert card.current_prospect_id() is None
    assert not card.findChild(QWidget, "researchNotes").isVisible()


def test_the_card_shows_the_prospect(card, dana):
    card.show_prospect(dana.id)

    assert card.current_prospect_id() == dana.id
    assert label(card, "prospectName").text() == "Dana Whitfield"
    assert field(card, "company").text() == "Mesa Dental"
    assert field(card, "phone").text() == "(505) 828-1788"  # national format
    assert field(card, "timezone").text() == "America/Denver"  # from the area code
    assert field(card, "tags").text() == "dental"


def test_edits_are_saved_as_typed_and_survive_a_restart(
    qtbot, card, dana, bridge, db_location, clock, tmp_path
):
    card.show_prospect(dana.id)

    retype(qtbot, field(card, "company"), "Mesa Dental Group")
    # Saved during a pause in typing, with the cursor still in the field.
    qtbot.waitUntil(lambda: bridge.desk.prospect(dana.id).company == "Mesa Dental Group")
    assert field(card, "company").hasFocus()

    retype(qtbot, field(card, "phone"), "505 828 1799")
    qtbot.keyClick(field(card, "phone"), Qt.Key.Key_Tab)  # leaving the field saves at once
    assert bridge.desk.prospect(dana.id).phone == "+15058281799"
    # Shown the usual way again once the card has read what was stored.
    qtbot.waitUntil(lambda: field(card, "phone").text() == "(505) 828-1799")

    retype(qtbot, field(card, "notes"), "Prefers calls after lunch.")
    card.flush()

    with CallDesk.open(
        db_location, clock=clock, template_dir=tmp_path / "my-scripts", backup_folder=tmp_path / "b"
    ) as reopened:
        stored = reopened.prospect(dana.id)
    assert stored.company == "Mesa Dental Group"
    assert stored.phone == "+15058281799"
    assert stored.notes == "Prefers calls after lunch."


def test_a_bad_email_is_refused_next_to_the_field(qtbot, card, dana, bridge, failures):
    card.show_prospect(dana.id)
    email = field(card, "email")

    retype(qtbot, email, "dana@mesa")
    error = label(card, "error_email")
    qtbot.waitUntil(error.isVisible)

    assert "'dana@mesa' is not an email address" in error.text()
    assert bridge.desk.prospect(dana.id).email == "dana@mesa.example"  # the stored one stands
    assert email.text() == "dana@mesa"  # what was typed stays, to be fixed
    assert failures == []  # shown on the card, not as a window-wide problem

    # Another field saving reloads the card, but the refused text is left alone.
    retype(qtbot, field(card, "title"), "Practice manager")
    qtbot.keyClick(field(card, "title"), Qt.Key.Key_Tab)
    # The reload is read on a worker a moment later: checked once it has arrived.
    assert card.is_reading()
    qtbot.waitUntil(lambda: not card.is_reading())
    assert label(card, "prospectSubtitle").text().startswith("Practice manager")
    assert email.text() == "dana@mesa"

    retype(qtbot, email, "dana@mesa.example.org")
    qtbot.waitUntil(lambda: bridge.desk.prospect(dana.id).email == "dana@mesa.example.org")
    assert not error.isVisible()


def test_research_typed_in_place_is_dated_today_and_clears_the_flag(qtbot, card, dana, bridge):
    card.show_prospect(dana.id)
    flag = label(card, "noHomework")
    assert flag.isVisible()
    assert flag.text() == NO_HOMEWORK
    assert label(card, "researchedWhen").text() == "Never researched"

    retype(qtbot, research(card, "angle"), "missed calls at lunch cost them new patients")

    qtbot.waitUntil(lambda: not flag.isVisible())
    assert label(card, "researchedWhen").text() == "Researched today"
    assert bridge.desk.prospect_detail(dana.id).research.angle == (
        "missed calls at lunch cost them new patients"
    )

    links = research(card, "source_links")
    retype(qtbot, links, "https://mesa.example")
    qtbot.keyClick(links, Qt.Key.Key_Return)  # one link per line
    qtbot.keyClicks(links, "https://reviews.example")
    card.flush()
    assert bridge.desk.prospect_detail(dana.id).research.source_links == (
        "https://mesa.example",
        "https://reviews.example",
    )


def test_a_change_elsewhere_reloads_the_card_but_not_the_field_being_typed(
    qtbot, card, dana, bridge
):
    card.show_prospect(dana.id)
    notes = field(card, "notes")
    notes.setFocus()
    qtbot.keyClicks(notes, "Half a thought")

    bridge.desk.update_prospect(dana.id, company="Mesa Dental Partners")

    qtbot.waitUntil(lambda: field(card, "company").text() == "Mesa Dental Partners")
    assert notes.toPlainText() == "Half a thought"
    qtbot.waitUntil(lambda: bridge.desk.prospect(dana.id).notes == "Half a thought")


def test_opening_another_prospect_saves_pending_typing_first(qtbot, card, dana, bridge):
    other = bridge.desk.add_prospect(first_name="Lee", last_name="Park", company="Park Legal")
    card.show_prospect(dana.id)
    retype(qtbot, field(card, "title"), "Owner")

    card.show_prospect(other.id)

    assert bridge.desk.prospect(dana.id).title == "Owner"
    assert bridge.desk.prospect(other.id).title == ""
    assert field(card, "company").text() == "Park Legal"


def test_a_call_back_sees_the_last_message_word_for_word(card, demo_bridge):
    desk = demo_bridge.desk
    (hannah,) = desk.lookup("(773) 916-2284")
    last = desk.prospect_detail(hannah.id).last_message
    assert last is not None

    card.show_prospect(hannah.id)

    box = card.findChild(QWidget, "lastMessage")
    assert box.isVisible()
    assert label(card, "lastMessageText").text() == last.rendered_text
    assert "Voicemail left Mon Mar 9" in box.findChildren(QLabel)[0].text()
    history = label(card, "attemptHistory").text()
    assert "Voicemail left" in history
    assert "Open follow-ups" in label(card, "openFollowUps").text()
    assert "Researched 14 days ago" in label(card, "researchedWhen").text()

    (lily,) = desk.lookup("(415) 967-2248")  # never called
    card.show_prospect(lily.id)
    assert not box.isVisible()
    assert "No calls or emails yet" in label(card, "attemptHistory").text()


def test_a_call_back_sees_the_pains_heard_on_earlier_calls(card, demo_bridge):
    desk = demo_bridge.desk
    (elena,) = desk.lookup("(919) 834-5520")  # three pains on a call last Friday

    card.show_prospect(elena.id)

    box = card.findChild(QWidget, "painsHeard")
    assert box.isVisible()
    text = pains_heard(card)
    # Kind, their words, the three marks and the day, newest first.
    assert "Past pain" in text
    assert "We lost a vet client last year" in text
    assert "Peers pain" in text
    assert "Future pain" in text
    assert "✓ asked · ✓ acknowledged · ✓ we can help" in text
    assert "✗ not asked · ✓ acknowledged · ✓ we can help" in text  # the future one
    assert "4 days ago (Fri Mar 6)" in text
    assert text.index("Future pain") < text.index("Past pain")

    (lily,) = desk.lookup("(415) 967-2248")  # never called
    card.show_prospect(lily.id)
    assert not box.isVisible()


def test_the_pains_come_with_the_cards_one_load(card, bridge, dana):
    desk = bridge.desk
    first = desk.start_call(dana.id)
    for number in range(PAINS_SHOWN + 2):
        desk.add_pain(dana.id, PainKind.PRESENT, f"problem number {number}", attempt_id=first.id)
    desk.finish_attempt(first.id, Outcome.CONNECTED)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(desk._engine, "before_cursor_execute", count)
    try:
        card.show_prospect(dana.id)
    finally:
        event.remove(desk._engine, "before_cursor_execute", count)

    assert sum(bool(re.search(r"\bFROM pains\b", sql)) for sql in statements) == 1
    text = pains_heard(card)
    # Newest first: the last PAINS_SHOWN noted, then how many more there are.
    assert f"“problem number {PAINS_SHOWN + 1}”" in text
    assert "“problem number 2”" in text
    assert "“problem number 1”" not in text
    assert "…and 2 earlier" in text


def test_pains_noted_on_this_call_show_on_the_card_as_they_are_typed(qtbot, card, bridge, dana):
    card.show_prospect(dana.id)
    box = card.findChild(QWidget, "painsHeard")
    assert not box.isVisible()
    call = bridge.desk.start_call(dana.id)
    pane = PainPane(bridge)
    qtbot.addWidget(pane)
    pane.show()
    pane.start(dana.id, call.id)

    pane.add_pain(PainKind.PEERS)
    qtbot.waitUntil(lambda: box.isVisible())
    assert "Peers pain" in pains_heard(card)
    assert "today" in pains_heard(card)
    qtbot.keyClicks(
        pane.findChild(QLineEdit, "painWords"), "a rival <clinic> lost its biggest payer"
    )
    pane.toggle_asked()

    qtbot.waitUntil(lambda: "“a rival <clinic> lost its biggest payer”" in pains_heard(card))
    qtbot.waitUntil(lambda: "✓ asked" in pains_heard(card))
    assert "✓ asked · ✗ not acknowledged · ✗ no help noted" in pains_heard(card)


def test_delete_moves_the_prospect_to_the_trash_and_empties_the_card(qtbot, card, demo_bridge):
    desk = demo_bridge.desk
    (hannah,) = desk.lookup("(773) 916-2284")
    card.show_prospect(hannah.id)

    with qtbot.waitSignal(card.deleted) as deleted:
        card.delete_current()

    gone: TrashedProspect = deleted.args[0]
    assert gone.name == "Hannah Lindqvist"
    assert hannah.id not in desk.prospect_ids()
    assert [trashed.prospect_id for trashed in desk.trash()] == [hannah.id]
    assert card.current_prospect_id() is None
    assert label(card, "prospectCardEmpty").isVisible()


def test_the_card_shortcut_jumps_to_the_research_notes(qtbot, card, dana):
    card.show_prospect(dana.id)
    actions = {action.text(): action for action in card.menu_actions()}
    assert actions["Go to research notes"].shortcut().toString() == "Ctrl+Shift+R"

    qtbot.keySequence(QApplication.focusWidget() or card, "Ctrl+Shift+R")
    assert QApplication.focusWidget() is research(card, "company_summary")

    qtbot.keySequence(QApplication.focusWidget(), "Ctrl+Shift+D")
    assert QApplication.focusWidget() is field(card, "first_name")

    card.show_prospect(None)
    assert not any(action.isEnabled() for action in card.menu_actions())


# -- adding by hand ------------------------------------------------------------


def open_dialog(qtbot, bridge, phone: str = "") -> AddProspectDialog:
    dialog = AddProspectDialog(bridge, phone=phone)
    qtbot.addWidget(dialog)
    dialog.open()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_a_call_back_number_is_added_with_a_bad_email_fixed_first(qtbot, bridge):
    dialog = open_dialog(qtbot, bridge, phone="(505) 828-1788")
    fields = dialog.fields
    assert fields["phone"].text() == "(505) 828-1788"

    qtbot.keyClicks(fields["first_name"], "Dana")
    fields["email"].setFocus()
    qtbot.keyClicks(fields["email"], "dana@")
    qtbot.keyClick(fields["email"], Qt.Key.Key_Return)

    error = dialog.findChild(QLabel, "addError_email")
    assert error.isVisible()
    assert "'dana@' is not an email address" in error.text()
    assert dialog.isVisible()
    assert bridge.desk.count_prospects() == 0
    assert QApplication.focusWidget() is fields["email"]

    qtbot.keyClicks(QApplication.focusWidget(), "mesa.example")
    with qtbot.waitSignal(dialog.added) as added:
        qtbot.keyClick(fields["email"], Qt.Key.Key_Return)

    record = added.args[0]
    assert (record.first_name, record.email, record.phone) == (
        "Dana",
        "dana@mesa.example",
        "+15058281788",
    )
    assert record.timezone == "America/Denver"
    assert not dialog.isVisible()
    assert dialog.result() == AddProspectDialog.DialogCode.Accepted
    assert bridge.desk.prospect_ids() == [record.id]


def test_a_referral_needs_a_name(qtbot, bridge):
    dialog = open_dialog(qtbot, bridge)
    qtbot.keyClicks(dialog.fields["company"], "Beacon Hill Ortho")
    qtbot.keyClick(dialog.fields["company"], Qt.Key.Key_Return)

    error = dialog.findChild(QLabel, "addError_first_name")
    assert error.isVisible()
    assert "first or last name" in error.text()
    assert QApplication.focusWidget() is dialog.fields["first_name"]

    qtbot.keyClicks(dialog.fields["first_name"], "Ines")
    with qtbot.waitSignal(dialog.added):
        qtbot.keyClick(dialog.fields["first_name"], Qt.Key.Key_Return)
    assert bridge.desk.prospects(search="Beacon")[0].first_name == "Ines"


def test_a_number_already_on_file_is_refused(qtbot, bridge, dana):
    dialog = open_dialog(qtbot, bridge, phone="505-828-1788")
    qtbot.keyClicks(dialog.fields["first_name"], "Someone")

    with qtbot.assertNotEmitted(dialog.added):
        qtbot.keyClick(dialog.fields["first_name"], Qt.Key.Key_Return)

    error = dialog.findChild(QLabel, "addError_phone")
    assert "Dana Whitfield" in error.text()
    assert bridge.desk.count_prospects() == 1


def test_a_mobile_typed_on_the_card_becomes_a_dial_choice_picked_by_keys(qtbot, card, dana, bridge):
    card.show_prospect(dana.id)
    dial = card.findChild(QComboBox, "dialChoice")
    assert not dial.isVisible()  # one number: nothing to choose

    retype(qtbot, field(card, "mobile"), "505-555-0101")
    qtbot.keyClick(field(card, "mobile"), Qt.Key.Key_Tab)
    qtbot.waitUntil(dial.isVisible)
    assert [dial.itemText(index) for index in range(dial.count())] == [
        "Direct · (505) 828-1788",
        "Mobile · (505) 555-0101",
    ]
    assert dial.accessibleName() == "Number to dial"

    # Tab walks from the numbers to the choice, as the form reads.
    field(card, "office").setFocus()
    qtbot.keyClick(field(card, "office"), Qt.Key.Key_Tab)
    assert dial.hasFocus()
    qtbot.keyClick(dial, Qt.Key.Key_Tab)
    assert field(card, "email").hasFocus()
    dial.setFocus()
    qtbot.keyClick(dial, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: bridge.desk.prospect(dana.id).phone == "+15055550101")
    qtbot.waitUntil(lambda: "(505) 555-0101" in label(card, "prospectSubtitle").text())


def test_an_extension_typed_with_the_number_is_kept_and_shown(qtbot, card, dana, bridge):
    card.show_prospect(dana.id)
    retype(qtbot, field(card, "office"), "+44 20 7946 0123 ext. 12")
    qtbot.keyClick(field(card, "office"), Qt.Key.Key_Tab)
    office = bridge.desk.prospect(dana.id).phones[-1]
    assert (office.e164, office.extension) == ("+442079460123", "12")
    # Abroad, so written with its country code, as the rep dials it from Chicago.
    assert field(card, "office").text() == "+44 20 7946 0123 ext. 12"


def test_an_alaska_number_without_a_zone_is_refused_by_the_field(qtbot, card, dana, bridge):
    card.show_prospect(dana.id)
    retype(qtbot, field(card, "phone"), "(907) 555-0143")
    qtbot.keyClick(field(card, "phone"), Qt.Key.Key_Tab)
    error = label(card, "error_phone")
    qtbot.waitUntil(error.isVisible)
    assert "spans several time zones (America/Adak, America/Anchorage)" in error.text()
    assert bridge.desk.prospect(dana.id).phone == "+15058281788"


def test_the_status_is_changed_from_the_keyboard_and_saved_at_once(
    qtbot, bridge, card, dana, failures
):
    desk = bridge.desk
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    card.show_prospect(dana.id)
    box = card.findChild(QComboBox, "prospectStatus")
    assert (box.accessibleName(), box.currentText()) == ("Status", "Not interested")

    qtbot.keyClick(
        card, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert QApplication.focusWidget() is box
    with qtbot.waitSignal(bridge.changed) as saved:
        qtbot.keyClick(box, Qt.Key.Key_Up)
    assert saved.args[0].prospect_ids == {dana.id}
    qtbot.keyClick(box, Qt.Key.Key_Up)

    assert box.currentText() == "Working"
    assert desk.prospect(dana.id).status is ProspectStatus.WORKING
    assert failures == []


def test_the_status_box_follows_an_outcome_logged_elsewhere(qtbot, bridge, card, dana):
    desk = bridge.desk
    card.show_prospect(dana.id)
    box = card.findChild(QComboBox, "prospectStatus")
    assert box.currentText() == "New"
    desk.log_attempt(dana.id, Outcome.CONNECTED)
    qtbot.waitUntil(lambda: box.currentText() == "Engaged")
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED


def test_a_wheel_turned_over_the_status_box_scrolls_past_it_without_saving(
    bridge, card, dana, failures
):
    card.show_prospect(dana.id)
    box = card.findChild(QComboBox, "prospectStatus")
    field(card, "email").setFocus()
    centre = QPointF(box.rect().center())
    down = QWheelEvent(
        centre,
        box.mapToGlobal(centre),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, down)

    assert box.currentText() == "New"
    assert bridge.desk.prospect(dana.id).status is ProspectStatus.NEW
    assert QApplication.focusWidget() is field(card, "email")
