"""A prospect's booked calls: moved to another time or called off, the calendar told either way.

A booking keeps one calendar event for its whole life: moving it writes an
invite that updates that event, calling it off writes one that cancels it.
The rep opens the new invite to send it on, as after booking on a call.
"""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.core import Rescheduled
from callassist.errors import InvalidInputError
from callassist.localtime import day_and_time
from callassist.phones import zone
from callassist.records import FollowUpRecord
from ui.bridge import DeskBridge, attempt_reporting

OpenUrl = Callable[[QUrl], bool]

BOOKINGS_KEY = "Ctrl+Shift+B"
"""Opens the booked calls of the prospect on the card."""
MOVE_KEY = "Ctrl+Return"
CALL_OFF_KEY = "Delete"
BOOKINGS_KEYS: tuple[tuple[str, str], ...] = (
    ("Up, Down", "Move through the prospect's booked calls"),
    (MOVE_KEY, "Move the highlighted call to the day and time below"),
    (CALL_OFF_KEY, "Call the highlighted call off (press it twice)"),
    ("Esc", "Close"),
)
"""(keys, what they do) for F1."""
COLUMNS = ("Their time", "Your time", "Call")
NONE_BOOKED = "Nothing booked: a call is booked from the time check (Ctrl+B) during a call."


class BookingsDialog(QDialog):
    """Lists a prospect's open bookings; moves or calls off the highlighted one."""

    def __init__(
        self,
        bridge: DeskBridge,
        prospect_id: int,
        parent: QWidget | None = None,
        open_url: OpenUrl = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bookingsDialog")
        self.setAccessibleName("Booked calls")
        self._bridge = bridge
        self._prospect_id = prospect_id
        self._open_url = open_url
        self._bookings: tuple[FollowUpRecord, ...] = ()
        self._calling_off: int | None = None
        profile = bridge.desk.profile()
        self._rep_zone = profile.timezone
        prospect = bridge.desk.prospect(prospect_id)
        self._their_zone = prospect.timezone or profile.timezone
        self.setWindowTitle(f"Booked calls: {prospect.full_name}")

        self._table = QTableWidget(0, len(COLUMNS), self)
        self._table.setObjectName("bookingsList")
        self._table.setAccessibleName("Booked calls")
        self._table.setHorizontalHeaderLabels(list(COLUMNS))
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self._table.currentCellChanged.connect(lambda *_: self._fill_picker())

        zone_words = f"their time, {self._their_zone}"
        self._when_label = QLabel(f"&Move to ({zone_words}):", self)
        self._date = QDateEdit(self)
        self._date.setObjectName("bookingDate")
        self._date.setAccessibleName(f"New day, {zone_words}")
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("ddd d MMM yyyy")  # a weekday, so a Saturday shows as one
        self._when_label.setBuddy(self._date)
        self._time = QTimeEdit(self)
        self._time.setObjectName("bookingTime")
        self._time.setAccessibleName(f"New time, {zone_words}")
        self._move = QPushButton("Move (Ctrl+Enter)", self)
        self._move.setObjectName("moveBooking")
        self._move.clicked.connect(self.move_booking)
        self._call_off = QPushButton("Call off (Delete)", self)
        self._call_off.setObjectName("callOffBooking")
        self._call_off.clicked.connect(self.call_off)
        self._status = QLabel(self)
        self._status.setObjectName("bookingsStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)  # an invite path is text
        self._open_invite = QPushButton("Open the invite", self)
        self._open_invite.setObjectName("openBookingInvite")
        self._open_invite.hide()
        self._invite: Rescheduled | None = None
        self._open_invite.clicked.connect(self._open_last_invite)

        QShortcut(QKeySequence(MOVE_KEY), self, self.move_booking)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.move_booking)
        QShortcut(QKeySequence(CALL_OFF_KEY), self._table, self.call_off)

        picker = QHBoxLayout()
        picker.addWidget(self._when_label)
        picker.addWidget(self._date)
        picker.addWidget(self._time)
        picker.addWidget(self._move)
        picker.addStretch(1)
        picker.addWidget(self._call_off)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table)
        layout.addLayout(picker)
        layout.addWidget(self._status)
        layout.addWidget(self._open_invite)
        layout.addWidget(buttons)
        self.resize(640, 320)
        self._load()

    def _load(self) -> None:
        detail = self._bridge.attempt(lambda: self._bridge.desk.prospect_detail(self._prospect_id))
        self._bookings = detail.follow_ups if detail is not None else ()
        self._table.setRowCount(len(self._bookings))
        for row, booking in enumerate(self._bookings):
            call = f"{booking.call_type or booking.kind.value}, {booking.minutes} min"
            cells = (
                day_and_time(booking.due_at, self._their_zone),
                day_and_time(booking.due_at, self._rep_zone),
                call,
            )
            for column, text in enumerate(cells):
                self._table.setItem(row, column, QTableWidgetItem(text))
        has_any = bool(self._bookings)
        for widget in (self._date, self._time, self._move, self._call_off):
            widget.setEnabled(has_any)
        if has_any:
            self._table.setCurrentCell(0, 0)
            self._table.setFocus()
        else:
            self._status.setText(NONE_BOOKED)
        self._fill_picker()

    def _current(self) -> FollowUpRecord | None:
        row = self._table.currentRow()
        return self._bookings[row] if 0 <= row < len(self._bookings) else None

    def _fill_picker(self) -> None:
        self._calling_off = None
        booking = self._current()
        if booking is None:
            return
        there = booking.due_at.astimezone(zone(self._their_zone))
        self._date.setDate(QDate(there.year, there.month, there.day))
        self._time.setTime(QTime(there.hour, there.minute))

    def _chosen_time(self) -> datetime:
        day, moment = self._date.date(), self._time.time()
        return datetime(
            day.year(),
            day.month(),
            day.day(),
            moment.hour(),
            moment.minute(),
            tzinfo=zone(self._their_zone),
        )

    def move_booking(self) -> None:
        booking = self._current()
        if booking is None:
            return
        slot = self._chosen_time()
        self._act(
            lambda: self._bridge.desk.move_booking(booking.id, slot=slot),
            f"Moved to {day_and_time(slot, self._their_zone)} their time",
        )

    def call_off(self) -> None:
        """Call the highlighted booking off on the second press: a slip of one key is not enough."""
        booking = self._current()
        if booking is None:
            return
        if self._calling_off != booking.id:
            self._calling_off = booking.id
            self._status.setText(
                f"Press {CALL_OFF_KEY} again to call off the call of "
                f"{day_and_time(booking.due_at, self._their_zone)} (their time)."
            )
            return
        self._act(lambda: self._bridge.desk.cancel_booking(booking.id), "Called off")

    def _act(self, change: Callable[[], Rescheduled], done: str) -> None:
        refusal = ""

        def run() -> Rescheduled | None:
            nonlocal refusal
            try:
                return change()
            except InvalidInputError as refused:
                refusal = str(refused)
                return None

        booking, problem = attempt_reporting(self._bridge, run)
        if booking is None:
            self._status.setText(f"Nothing changed: {refusal or problem}")
            return
        self._invite = booking
        self._load()
        self._status.setText(f"{done}. The invite that tells their calendar: {booking.invite}")
        self._open_invite.show()
        self._open_invite.setFocus()

    def _open_last_invite(self) -> None:
        if self._invite is not None and not self._open_url(
            QUrl.fromLocalFile(str(self._invite.invite))
        ):
            self._status.setText(f"No calendar app took the invite; it is at {self._invite.invite}")
