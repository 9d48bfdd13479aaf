"""What a colleague (another program on the same database) changes shows in the open
window within two seconds: the card, the list and the call panel follow it as they
follow the rep's own changes, and typing not yet saved is kept."""

import pytest
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit

from ui.models.queue import DUE_COLUMN, QUEUE_ITEM_ROLE

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SHOWN_WITHIN_MS = 2000
"""The longest a rep may wait to see a colleague's change."""


@pytest.fixture
def following(window):
    """The demo's window, listening for other programs' changes as it does when run."""
    window.bridge.follow_others()
    yield window
    window.bridge.stop_following_others()


def open_by_search(qtbot, window, text: str) -> int:
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), text)
    with qtbot.waitSignal(window.prospect_list.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    return int(opened.args[0])


def listed(window) -> str:
    """Every cell of the prospect list, as shown."""
    model = window.prospect_list.model
    return " ".join(
        str(model.index(row, column).data() or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    )


def queued(window) -> list[int]:
    """The prospects on the queue, top first."""
    model = window.queue.model
    return [
        model.index(row, DUE_COLUMN).data(QUEUE_ITEM_ROLE).prospect_id
        for row in range(model.rowCount())
    ]


def test_a_prospect_a_colleague_deletes_leaves_the_queue(qtbot, following, colleague):
    window = following
    top = queued(window)[0]

    colleague.delete_prospect(top)

    qtbot.waitUntil(lambda: top not in queued(window), timeout=SHOWN_WITHIN_MS)


def test_a_colleagues_rename_shows_on_the_card_and_in_the_list(qtbot, following, colleague):
    window = following
    prospect_id = open_by_search(qtbot, window, "brightwire")
    name = window.card.findChild(QLabel, "prospectName")
    first_name = window.card.findChild(QLineEdit, "field_first_name")
    assert "Helena" not in name.text()

    colleague.update_prospect(prospect_id, first_name="Helena")

    qtbot.waitUntil(lambda: "Helena" in name.text(), timeout=SHOWN_WITHIN_MS)
    assert first_name.text() == "Helena"
    qtbot.waitUntil(lambda: "Helena" in listed(window), timeout=SHOWN_WITHIN_MS)


def test_a_colleagues_research_shows_on_the_card(qtbot, following, colleague):
    window = following
    prospect_id = open_by_search(qtbot, window, "brightwire")
    angle = window.card.findChild(QPlainTextEdit, "research_angle")

    colleague.update_research(prospect_id, angle="Ask who answers after six")

    qtbot.waitUntil(
        lambda: angle.toPlainText() == "Ask who answers after six", timeout=SHOWN_WITHIN_MS
    )


def test_typing_not_yet_saved_is_kept_when_a_colleagues_change_arrives(qtbot, following, colleague):
    window = following
    prospect_id = open_by_search(qtbot, window, "brightwire")
    angle = window.card.findChild(QPlainTextEdit, "research_angle")
    press(qtbot, Qt.Key.Key_R, CTRL_SHIFT)  # the research notes: the summary
    summary = QApplication.focusWidget()
    assert isinstance(summary, QPlainTextEdit)
    press(qtbot, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(summary, " Two new hires.")
    typed = summary.toPlainText()

    colleague.update_research(
        prospect_id, company_summary="Theirs", angle="Ask who answers after six"
    )

    qtbot.waitUntil(
        lambda: angle.toPlainText() == "Ask who answers after six", timeout=SHOWN_WITHIN_MS
    )
    assert summary.toPlainText() == typed


def test_a_call_panel_shows_a_colleagues_rename_mid_call(qtbot, following, colleague):
    window = following
    prospect_id = open_by_search(qtbot, window, "brightwire")
    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()

    colleague.update_prospect(prospect_id, first_name="Helena")

    qtbot.waitUntil(
        lambda: any("Helena" in label.text() for label in window.call_panel.findChildren(QLabel)),
        timeout=SHOWN_WITHIN_MS,
    )


def test_the_window_stops_listening_when_asked(qtbot, window, colleague):
    bridge = window.bridge
    bridge.follow_others()
    bridge.stop_following_others()
    heard = []
    bridge.changed.connect(heard.append)
    prospect_id = open_by_search(qtbot, window, "brightwire")
    heard.clear()

    colleague.update_prospect(prospect_id, first_name="Helena")
    # The rep's own change after the colleague's: announced here, and the only one.
    with qtbot.waitSignal(bridge.changed):
        bridge.desk.update_research(prospect_id, angle="Mine")

    assert [changes.research for changes in heard] == [True]
