"""The pain pane and its model: pains noted by keys, saved as typed, with what to say."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QTableView

from callassist.pains import acknowledgement, probing_question
from callassist.vocabulary import PainKind
from ui.models.pains import (
    ACKNOWLEDGED_COLUMN,
    ASKED_COLUMN,
    CAN_HELP_COLUMN,
    KIND_COLUMN,
    PAIN_RECORD_ROLE,
    WORDS_COLUMN,
    PainTableModel,
)
from ui.widgets.pain_pane import PainPane

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def dana(desk):
    return desk.add_prospect(
        first_name="Dana", last_name="Whitfield", company="Mesa Dental", phone="(505) 828-1788"
    )


@pytest.fixture
def call(desk, dana):
    return desk.start_call(dana.id)


@pytest.fixture
def pane(qtbot, bridge, dana, call):
    widget = PainPane(bridge)
    qtbot.addWidget(widget)
    widget.resize(620, 420)
    widget.show()
    widget.start(dana.id, call.id)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def press(qtbot, pane, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(pane.focusWidget() or pane, key, modifier)


def words_editor(pane):
    return pane.findChild(QLineEdit, "painWords")


def label(pane, name):
    return pane.findChild(QLabel, name).text()


def test_pains_by_keys_land_in_the_database_with_kinds_words_and_flags(
    qtbot, pane, desk, dana, call
):
    press(qtbot, pane, Qt.Key.Key_1, CTRL)
    assert pane.focusWidget() is words_editor(pane)
    qtbot.keyClicks(words_editor(pane), "lost a client")
    press(qtbot, pane, Qt.Key.Key_A, ALT)

    press(qtbot, pane, Qt.Key.Key_2, CTRL)
    assert pane.focusWidget() is words_editor(pane)
    qtbot.keyClicks(words_editor(pane), "front desk misses calls")
    press(qtbot, pane, Qt.Key.Key_K, ALT)

    press(qtbot, pane, Qt.Key.Key_3, CTRL)
    assert words_editor(pane).text() == ""

    stored = desk.prospect_detail(dana.id).pains
    assert [(p.kind, p.words, p.asked, p.acknowledged, p.can_help) for p in stored] == [
        (PainKind.PAST, "lost a client", True, False, False),
        (PainKind.PRESENT, "front desk misses calls", False, True, False),
        (PainKind.FUTURE, "", False, False, False),
    ]
    assert {pain.attempt_id for pain in stored} == {call.id}
    assert pane.pains() == stored


def test_words_are_saved_while_typing_without_leaving_the_field(qtbot, pane, desk, dana):
    press(qtbot, pane, Qt.Key.Key_4, CTRL)
    qtbot.keyClicks(words_editor(pane), "a competitor lost their biggest account")
    assert pane.focusWidget() is words_editor(pane)
    qtbot.waitUntil(
        lambda: (
            desk.prospect_detail(dana.id).pains[0].words
            == "a competitor lost their biggest account"
        )
    )


def test_suggestions_follow_the_kind_and_the_words(qtbot, pane):
    press(qtbot, pane, Qt.Key.Key_1, CTRL)
    assert label(pane, "painQuestion") == probing_question(PainKind.PAST)
    qtbot.keyClicks(words_editor(pane), "we lost a client")
    assert label(pane, "painAcknowledgement") == (
        f"“{acknowledgement(PainKind.PAST, 'we lost a client')}”"
    )
    assert "we lost a client" in label(pane, "painAcknowledgement")
    past_question = label(pane, "painQuestion")

    press(qtbot, pane, Qt.Key.Key_3, CTRL)
    assert label(pane, "painQuestion") == probing_question(PainKind.FUTURE)
    assert label(pane, "painQuestion") != past_question
    assert label(pane, "painKind") == "Future pain:"
    assert "we lost a client" not in label(pane, "painAcknowledgement")


def test_flags_are_shown_in_words_and_toggle_back(qtbot, pane, desk, dana):
    press(qtbot, pane, Qt.Key.Key_2, CTRL)
    press(qtbot, pane, Qt.Key.Key_H, ALT)
    assert pane.findChild(QCheckBox, "painCanHelp").isChecked()
    table = pane.findChild(QTableView, "painTable")
    model = table.model()
    assert model.index(0, CAN_HELP_COLUMN).data() == "✓ yes"
    assert model.index(0, ASKED_COLUMN).data() == "✗ no"

    press(qtbot, pane, Qt.Key.Key_H, ALT)
    assert model.index(0, CAN_HELP_COLUMN).data() == "✗ no"
    assert not desk.prospect_detail(dana.id).pains[0].can_help


def test_alt_up_goes_back_to_an_earlier_pain_to_finish_it(qtbot, pane, desk, dana):
    press(qtbot, pane, Qt.Key.Key_1, CTRL)
    qtbot.keyClicks(words_editor(pane), "lost a client")
    press(qtbot, pane, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(words_editor(pane), "slow replies")

    press(qtbot, pane, Qt.Key.Key_Up, ALT)
    assert words_editor(pane).text() == "lost a client"
    press(qtbot, pane, Qt.Key.Key_K, ALT)
    press(qtbot, pane, Qt.Key.Key_Down, ALT)
    assert words_editor(pane).text() == "slow replies"

    first, second = desk.prospect_detail(dana.id).pains
    assert (first.words, first.acknowledged) == ("lost a client", True)
    assert (second.words, second.acknowledged) == ("slow replies", False)


def test_before_a_call_the_keys_add_nothing(qtbot, bridge, desk, dana):
    widget = PainPane(bridge)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitActive(widget):
        widget.activateWindow()
    qtbot.keyClick(widget, Qt.Key.Key_1, CTRL)
    assert desk.prospect_detail(dana.id).pains == ()
    assert "start one with F5" in label(widget, "painHint")


def test_stop_clears_the_pane_after_saving_the_last_words(qtbot, pane, desk, dana):
    press(qtbot, pane, Qt.Key.Key_1, CTRL)
    qtbot.keyClicks(words_editor(pane), "missed the renewal")
    pane.stop()
    assert pane.pains() == ()
    assert desk.prospect_detail(dana.id).pains[0].words == "missed the renewal"


def test_pain_model_passes_qtmodeltester(qtmodeltester, desk, dana, call):
    model = PainTableModel()
    first = desk.add_pain(dana.id, PainKind.PAST, "lost a client", attempt_id=call.id)
    second = desk.add_pain(dana.id, PainKind.PEERS, attempt_id=call.id)
    model.reset([first])
    qtmodeltester.check(model)
    assert model.append(second) == 1
    model.replace(desk.update_pain(second.id, words="a rival was fined", asked=True))
    qtmodeltester.check(model)

    assert model.rowCount() == 2
    assert model.index(0, KIND_COLUMN).data() == "Past"
    assert model.index(1, WORDS_COLUMN).data() == "a rival was fined"
    assert model.index(1, ASKED_COLUMN).data() == "✓ yes"
    assert model.index(1, ACKNOWLEDGED_COLUMN).data() == "✗ no"
    assert model.index(1, 0).data(PAIN_RECORD_ROLE).id == second.id
    assert model.index(0, WORDS_COLUMN).data(Qt.ItemDataRole.ToolTipRole) == "lost a client"
