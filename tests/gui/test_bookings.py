"""Booked calls moved or called off from the window, by keys; the calendar told each time.

NOW is Tuesday 2026-03-10 15:00 UTC; the rep is in Chicago.
"""

from datetime import datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QDateEdit, QLabel, QTableWidget, QTimeEdit

from callassist.phones import zone
from ui.dialogs.bookings import BookingsDialog

DENVER = zone("America/Denver")


@pytest.fixture
def booked(bridge):
    desk = bridge.desk
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788", email="dana@mesa.example")
    call_type = desk.profile().call_types[0].name
    booking = desk.reschedule(
        dana.id, slot=datetime(2026, 3, 12, 10, 0, tzinfo=DENVER), call_type=call_type
    )
    return dana, booking


def invite_of(path) -> tuple[str, int, str, datetime]:
    calendar = Calendar.from_ical(path.read_bytes())
    (event,) = calendar.walk("VEVENT")
    return (
        str(calendar["METHOD"]),
        int(event.get("SEQUENCE", 0)),
        str(event["UID"]),
        event["DTSTART"].dt,
    )


def open_dialog(qtbot, bridge, prospect_id) -> BookingsDialog:
    opened: list[object] = []
    dialog = BookingsDialog(bridge, prospect_id, open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_a_booked_call_is_moved_by_keys_and_the_same_event_is_updated(qtbot, bridge, booked):
    dana, booking = booked
    dialog = open_dialog(qtbot, bridge, dana.id)
    table = dialog.findChild(QTableWidget, "bookingsList")
    assert table.rowCount() == 1
    # Their time first (Denver), then the rep's (Chicago), as the rep says it on the phone.
    assert "10:00" in table.item(0, 0).text()
    assert "11:00" in table.item(0, 1).text()

    dialog.findChild(QDateEdit, "bookingDate").setDate(QDate(2026, 3, 13))
    dialog.findChild(QTimeEdit, "bookingTime").setTime(QTime(14, 30))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    (moved,) = bridge.desk.prospect_detail(dana.id).follow_ups
    assert moved.due_at == datetime(2026, 3, 13, 14, 30, tzinfo=DENVER)
    status = dialog.findChild(QLabel, "bookingsStatus").text()
    assert status.startswith("Moved to ")
    path = status.rsplit(": ", 1)[1]
    method, sequence, uid, start = invite_of(Path(path))
    assert (method, sequence, uid) == ("REQUEST", 1, booking.follow_up.uid)
    assert start == datetime(2026, 3, 13, 14, 30, tzinfo=DENVER)


def test_calling_off_takes_two_presses_and_cancels_the_event(qtbot, bridge, booked):
    dana, booking = booked
    dialog = open_dialog(qtbot, bridge, dana.id)
    table = dialog.findChild(QTableWidget, "bookingsList")
    table.setFocus()

    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "Press Delete again" in dialog.findChild(QLabel, "bookingsStatus").text()
    assert len(bridge.desk.prospect_detail(dana.id).follow_ups) == 1

    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert bridge.desk.prospect_detail(dana.id).follow_ups == ()
    status = dialog.findChild(QLabel, "bookingsStatus").text()
    assert status.startswith("Called off.")
    method, sequence, uid, _start = invite_of(Path(status.rsplit(": ", 1)[1]))
    assert (method, uid) == ("CANCEL", booking.follow_up.uid)
    assert sequence == 1
    assert table.rowCount() == 0


def test_a_move_into_the_past_is_refused_and_changes_nothing(qtbot, bridge, booked):
    dana, _booking = booked
    dialog = open_dialog(qtbot, bridge, dana.id)
    dialog.findChild(QDateEdit, "bookingDate").setDate(QDate(2026, 3, 9))
    dialog.move_booking()
    assert dialog.findChild(QLabel, "bookingsStatus").text().startswith("Nothing changed:")
    (kept,) = bridge.desk.prospect_detail(dana.id).follow_ups
    assert kept.due_at == datetime(2026, 3, 12, 10, 0, tzinfo=DENVER)


def test_the_window_opens_the_booked_calls_of_the_card(qtbot, window, demo_bridge):
    prospect_id = demo_bridge.desk.prospects(search="Castillo")[0].id
    window.open_prospect(prospect_id)
    window.bookings_action.trigger()
    dialog = window.current_dialog()
    assert isinstance(dialog, BookingsDialog)
    assert dialog.windowTitle() == "Booked calls: Ruth Castillo"
