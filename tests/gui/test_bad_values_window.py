"""The window starts on a database holding time zones that are not ones, and names their owner."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from raw_sql import execute

from ui.mainwindow import MainWindow


def test_the_window_starts_on_stored_zones_that_are_none(
    qtbot, open_window, demo_bridge, failures, db_location
):
    desk = demo_bridge.desk
    enrolled = [item.prospect_id for item in desk.queue() if item.cadence is not None]
    broken = desk.prospect(enrolled[0])
    # As an old database or another tool would have left them.
    execute(db_location, "UPDATE reps SET timezone = 'Mars/Olympus'")
    execute(db_location, "UPDATE prospects SET timezone = 'America' WHERE id = ?", broken.id)

    window: MainWindow = open_window(demo_bridge)

    model = window.queue.model
    listed = {model.queue_row(row).item.prospect_id for row in range(model.rowCount())}
    assert set(enrolled[1:]) <= listed
    assert broken.id not in listed
    # The Today tab says who is left out, and why, without opening anyone.
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    note = window.queue.findChild(QLabel, "cadenceProblems")
    assert note.isVisible()
    assert f"{broken.full_name} (#{broken.id}) has 'America'" in note.text()
    assert "Mars/Olympus" in note.text()
    window.open_prospect(broken.id)
    assert any(f"{broken.full_name} (#{broken.id}) has 'America'" in m for m in failures)
