"""A change refreshes only the views that show it: one key press in the time check, say."""

import re
from collections import Counter

import pytest
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSpinBox
from sqlalchemy import event

from callassist.changes import Changes
from callassist.vocabulary import Outcome, PainKind
from ui import background
from ui.dialogs.script_editor import ScriptEditorDialog

CTRL = Qt.KeyboardModifier.ControlModifier
THIRD = "voicemail_third"
COUNTED_READS = ("prospect_detail", "queue", "prospects_by_ids", "prospect_ids", "enrollment")
"""What the card, the queue, the list and the cadence box read when they reload."""


def open_and_call(qtbot, window, search: str) -> int:
    """Find a prospect from the keyboard, open them, start the call; their id."""
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), search)
    with qtbot.waitSignal(window.prospect_list.prospect_activated) as opened:
        press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()
    return int(opened.args[0])


def reads_everyones_cadence(sql: str) -> bool:
    """A statement of the queue's: every running cadence, not one prospect's."""
    # One prospect's is "= ?" on SQLite, "= %(prospect_id_1)s::INTEGER" on PostgreSQL.
    return "FROM enrollments" in sql and not re.search(r"enrollments\.prospect_id = [?%]", sql)


@pytest.fixture
def reads(monkeypatch, demo_bridge) -> Counter[str]:
    """How often each view-reloading read of the desk runs from now on."""
    desk = demo_bridge.desk
    counted: Counter[str] = Counter()
    for name in COUNTED_READS:
        original = getattr(desk, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            counted[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(desk, name, counting)
    return counted


@pytest.fixture
def statements(demo_bridge) -> list[str]:
    """Every SQL statement sent from now on."""
    sent: list[str] = []

    def keep(_connection, _cursor, statement, *_args) -> None:
        sent.append(statement)

    engine = demo_bridge.desk._engine
    event.listen(engine, "before_cursor_execute", keep)
    yield sent
    event.remove(engine, "before_cursor_execute", keep)


def test_one_key_press_in_the_minutes_box_reloads_neither_card_nor_queue(
    qtbot, window, reads, statements
):
    prospect_id = open_and_call(qtbot, window, "brightwire")
    minutes = window.call_panel.findChild(QSpinBox, "timeCheckMinutes")
    minutes.setFocus()
    reads.clear()
    statements.clear()
    told: list[Changes] = []
    window.bridge.changed.connect(told.append)

    press(qtbot, Qt.Key.Key_Up)

    assert [changes.time_checks for changes in told] == [True]
    assert told[0].prospect_ids == frozenset({prospect_id})
    assert reads == Counter(), "the card, the queue or a list reloaded"
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split("(")[0] for sql in writes] == ["INSERT INTO time_checks "]
    assert not [sql for sql in statements if reads_everyones_cadence(sql)], statements
    detail = window.bridge.desk.prospect_detail(prospect_id)
    [open_call] = [attempt for attempt in detail.attempts if attempt.outcome is None]
    [check] = [check for check in detail.time_checks if check.attempt_id == open_call.id]
    assert check.minutes_available == minutes.value()
    assert window.card.current_prospect_id() == prospect_id


def test_a_pain_noted_reloads_that_prospects_card_but_not_the_queue(qtbot, window, reads):
    prospect_id = open_and_call(qtbot, window, "brightwire")
    reads.clear()

    window.bridge.desk.add_pain(prospect_id, PainKind.PRESENT, "missed calls")

    # Both read on a worker, a moment after the change: the queue was never asked.
    assert window.card.is_reading()
    assert not window.queue.is_looking()
    qtbot.waitUntil(lambda: not window.card.is_reading())
    qtbot.waitUntil(lambda: not background._IN_FLIGHT)
    assert reads["prospect_detail"] == 1
    assert reads["queue"] == 0


def test_a_logged_outcome_reloads_the_card_and_the_queue(qtbot, window, reads):
    prospect_id = open_and_call(qtbot, window, "brightwire")
    desk = window.bridge.desk
    [open_call] = [a for a in desk.prospect_detail(prospect_id).attempts if a.outcome is None]
    reads.clear()

    desk.finish_attempt(open_call.id, Outcome.NO_ANSWER)

    # Each reads on a worker, a moment after the change: the queue's look may well
    # arrive before the card's read has even started.
    assert window.queue.is_looking()
    assert window.card.is_reading()
    qtbot.waitUntil(lambda: not window.queue.is_looking())
    qtbot.waitUntil(lambda: not window.card.is_reading())
    assert reads["queue"] == 1
    assert reads["prospect_detail"] >= 1


def test_saving_a_script_in_the_editor_tells_the_window_scripts_changed(qtbot, bridge):
    dialog = ScriptEditorDialog(bridge, None, THIRD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_previewing())

    with qtbot.waitSignal(bridge.changed) as told:
        qtbot.keySequence(dialog.findChild(QPlainTextEdit, "scriptSource"), "Ctrl+S")

    assert told.args == [Changes(scripts=True)]
    # Saved as the rep's own version, in the database: no file in their folder.
    assert bridge.desk.scripts.own_version(THIRD) is not None
    assert not bridge.desk.scripts.user_dir.exists()
