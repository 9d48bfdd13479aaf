"""The reschedule proposal: what to say, a slot in the prospect's zone, and Ctrl+B to book it.

It shows when the time check proposes a slot (too little time, or an
immediate need with the rest to book later); booking writes the follow-up
and a calendar invite, which Ctrl+Shift+O opens.
"""

from collections.abc import Callable
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.core import Rescheduled
from callassist.phones import zone
from callassist.records import ProfileRecord, ProspectDetail
from callassist.timecheck import TimeCheckAdvice, slot_concerns
from callassist.vocabulary import Decision
from ui.background import NewestOnly, Outcome
from ui.bridge import DeskBridge, attempt_reporting
from ui.tints import DANGER_HUE, WARNING_HUE, tint
from ui.widgets.call_parts import flag_label, focus_on, plain_label, scaled_font, window_action
from ui.widgets.outcome_bar import UsedScript
from ui.widgets.pain_pane import shortcut_text

OpenUrl = Callable[[QUrl], bool]

RESCHEDULE_SCRIPT = "reschedule_proposal"
SLOT_KEY = "Alt+L"
BOOK_KEY = "Ctrl+B"
OPEN_INVITE_KEY = "Ctrl+Shift+O"


def when_text(moment: datetime) -> str:
    """The moment in words, in the rep's locale: "Wednesday, March 11, 2026 at 10:00 AM MDT"."""
    locale = QLocale()
    day = locale.toString(
        QDate(moment.year, moment.month, moment.day), QLocale.FormatType.LongFormat
    )
    hour = locale.toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
    return f"{day} at {hour} {moment.tzname()}"


class ReschedulePanel(QWidget):
    """The proposal to say aloud, the slot picker and the booking of one call."""

    booked = Signal(object)
    """The Rescheduled booking: follow-up and invite."""
    proposal_changed = Signal()
    """The rep picked another slot: the proposal to say names it."""

    def __init__(
        self,
        bridge: DeskBridge,
        parent: QWidget | None = None,
        *,
        open_url: OpenUrl = QDesktopServices.openUrl,
        invites_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reschedulePanel")
        self._bridge = bridge
        self._open_url = open_url
        self._invites_folder = invites_folder
        self._prospect_id: int | None = None
        self._attempt_id: int | None = None
        self._zone_name = ""
        self._rep_zone_name = ""
        self._business_hours: tuple[clock_time, clock_time] | None = None  # set at each call
        self._advice: TimeCheckAdvice | None = None
        self._call_type: str | None = None
        self._minutes_available: int | None = None
        self._booking: Rescheduled | None = None
        self._proposal: UsedScript | None = None
        self._slot_reads: NewestOnly[datetime] = NewestOnly(self)
        # Setting the slot from code must not redraw a proposal for the last call.
        self._loading = False

        self._script = plain_label("rescheduleScript")
        self._script.setAccessibleName("Reschedule script")
        self._script.setWordWrap(True)
        self._script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._script.setFrameShape(QFrame.Shape.StyledPanel)
        self._script.setMargin(8)
        self._script.setFont(scaled_font(self._script, 1.1, bold=False))

        self._slot_date = QDateEdit()
        self._slot_date.setObjectName("slotDate")
        self._slot_date.setAccessibleName("Day of the call, prospect's time")
        self._slot_date.setDisplayFormat("ddd yyyy-MM-dd")
        self._slot_date.setCalendarPopup(True)
        self._slot_time = QTimeEdit()
        self._slot_time.setObjectName("slotTime")
        self._slot_time.setAccessibleName("Time of the call, prospect's time")
        self._slot_time.setDisplayFormat("h:mm AP")
        self._slot_date.dateChanged.connect(self._on_slot_changed)
        self._slot_time.timeChanged.connect(self._on_slot_changed)
        self._slot_length = plain_label("slotLength")
        self._slot_zone = plain_label("slotZone")
        self._slot_zone.setWordWrap(True)
        self._slot_zone.setBuddy(self._slot_date)
        self._rep_time = plain_label("slotRepTime")
        self._slot_warning = flag_label("slotWarning")

        self.slot_action = window_action(
            self, "Pick the slot to propose", SLOT_KEY, focus_on(self._slot_date)
        )
        self.book_action = window_action(
            self, "Book the proposed call and write the invite", BOOK_KEY, self.book
        )
        self.open_invite_action = window_action(
            self, "Open the calendar invite", OPEN_INVITE_KEY, self.open_invite
        )
        self._book_button = QPushButton(f"Book it ({shortcut_text(BOOK_KEY)})")
        self._book_button.setObjectName("bookButton")
        self._book_button.clicked.connect(self.book)
        self._open_button = QPushButton(f"Open invite ({shortcut_text(OPEN_INVITE_KEY)})")
        self._open_button.setObjectName("openInviteButton")
        self._open_button.clicked.connect(self.open_invite)
        self._booked_label = plain_label("bookedLabel")
        self._booked_label.setWordWrap(True)
        self._booked_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A path has no spaces to wrap at: a read-only line shows it whole, scrollable
        # and copyable.
        self._invite_path = QLineEdit()
        self._invite_path.setObjectName("invitePath")
        self._invite_path.setAccessibleName("Calendar invite file")
        self._invite_path.setReadOnly(True)
        self._invite_path.setFrame(False)
        self._message = flag_label("rescheduleMessage")

        slot_row = QHBoxLayout()
        slot_row.addWidget(self._slot_date)
        slot_row.addWidget(self._slot_time)
        slot_row.addWidget(self._slot_length)
        slot_row.addStretch(1)
        book_row = QHBoxLayout()
        book_row.addWidget(self._book_button)
        book_row.addWidget(self._open_button)
        book_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self._slot_zone)
        layout.addLayout(slot_row)
        layout.addWidget(self._rep_time)
        layout.addWidget(self._slot_warning)
        layout.addLayout(book_row)
        layout.addWidget(self._booked_label)
        layout.addWidget(self._invite_path)
        layout.addWidget(self._message)

    # -- what the time check calls ----------------------------------------------

    def start(self, detail: ProspectDetail, attempt_id: int, profile: ProfileRecord) -> None:
        """A call began: no booking yet, and the slot picker at the next good slot in their zone."""
        self._prospect_id = detail.prospect.id
        self._attempt_id = attempt_id
        self._rep_zone_name = profile.timezone
        self._zone_name = detail.prospect.timezone or profile.timezone
        self._business_hours = (profile.business_start, profile.business_end)
        self._clear_booking()
        now = self._bridge.desk.clock()
        today = now.astimezone(zone(self._zone_name)).date()
        self._loading = True
        try:
            # The picker cannot reach the past, nor wander more than a year out.
            self._slot_date.setDateRange(
                QDate(today.year, today.month, today.day),
                QDate(today.year, today.month, today.day).addYears(1),
            )
        finally:
            self._loading = False
        # Worked out on a worker (it reads the rep's hours and the prospect's office),
        # so F5 answers at once: the proposal shows only once the rep has answered
        # the time check, and asks for the slot here and now if it has not come yet.
        desk, prospect_id = self._bridge.desk, detail.prospect.id

        def arrived(outcome: Outcome[datetime]) -> None:
            if self._attempt_id == attempt_id:
                self._set_slot(self._bridge.attempt(outcome.get))

        self._slot_reads.run(lambda: desk.proposed_slot(prospect_id), arrived)
        if detail.prospect.timezone:
            self._slot_zone.setText(
                f"Slot in their time, {self._zone_name} ({shortcut_text(SLOT_KEY)}):"
            )
        else:
            self._slot_zone.setText(
                f"Their zone is not known: the slot is in yours, {self._zone_name} "
                f"({shortcut_text(SLOT_KEY)}):"
            )

    def stop(self) -> None:
        """No call: nothing of the last call's booking left showing."""
        self._prospect_id = None
        self._attempt_id = None
        self._clear_booking()

    def show_advice(
        self, advice: TimeCheckAdvice | None, call_type: str | None, minutes_available: int | None
    ) -> None:
        """Show the proposal the time check's advice calls for, if any."""
        self._advice = advice
        self._call_type = call_type
        self._minutes_available = minutes_available
        self._show()

    def slot(self) -> datetime:
        """The proposed slot, an aware datetime in the prospect's zone."""
        picked = self._slot_date.date()
        day = date(picked.year(), picked.month(), picked.day())
        at = self._slot_time.time()
        return datetime.combine(
            day, clock_time(at.hour(), at.minute()), tzinfo=zone(self._zone_name)
        )

    def script_label(self) -> QLabel:
        """The proposal to say aloud, for the call panel to keep in view with what to
        say now, rather than scrolled away with the slot picker."""
        return self._script

    def proposal(self) -> UsedScript | None:
        """The reschedule script as last shown, with the slot in it."""
        return self._proposal

    def menu_actions(self) -> list[QAction]:
        return [self.slot_action, self.book_action, self.open_invite_action]

    # -- the rep's keys -----------------------------------------------------------

    def book(self) -> Rescheduled | None:
        """Book the proposed slot: a follow-up of the needed length and an .ics invite."""
        prospect_id, attempt_id, call_type = self._prospect_id, self._attempt_id, self._call_type
        if not self._can_book() or prospect_id is None or call_type is None:
            return None
        slot = self.slot()
        booking, problem = attempt_reporting(
            self._bridge,
            lambda: self._bridge.desk.reschedule(
                prospect_id,
                slot=slot,
                call_type=call_type,
                attempt_id=attempt_id,
                invites_folder=self._invites_folder,
            ),
        )
        if booking is None:
            self._show_message(f"Not booked: {problem}", DANGER_HUE)
            return None
        self._booking = booking
        self._message.hide()
        self._booked_label.setText(
            f"Booked {when_text(booking.follow_up.due_at.astimezone(zone(self._zone_name)))}, "
            f"{booking.follow_up.minutes} min. The invite is saved as:"
        )
        self._booked_label.show()
        self._invite_path.setText(str(booking.invite))
        self._invite_path.setCursorPosition(0)
        self._invite_path.show()
        self._show()
        self.booked.emit(booking)
        self._open_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return booking

    def open_invite(self) -> None:
        """Open the written invite in the rep's calendar app."""
        if self._booking is None:
            return
        invite = self._booking.invite
        if not self._open_url(QUrl.fromLocalFile(str(invite))):
            self._show_message(f"No app opened the invite; it is saved at {invite}", WARNING_HUE)

    # -- inside -------------------------------------------------------------------

    def _clear_booking(self) -> None:
        """No booking: the next prospect never sees the last one's."""
        self._booking = None
        self._booked_label.hide()
        self._invite_path.hide()
        self._message.hide()

    def _set_slot(self, slot: datetime | None) -> None:
        # With no proposal (the bridge has said why) the rep picks the slot.
        if slot is None:
            return
        self._loading = True
        try:
            self._slot_date.setDate(QDate(slot.year, slot.month, slot.day))
            self._slot_time.setTime(QTime(slot.hour, slot.minute))
        finally:
            self._loading = False

    def _slot_worked_out(self) -> None:
        """The proposed slot in the picker now, if the worker's has not come yet."""
        prospect_id = self._prospect_id
        if prospect_id is None or not self._slot_reads.waiting:
            return
        self._slot_reads.drop_pending()
        self._set_slot(self._bridge.attempt(lambda: self._bridge.desk.proposed_slot(prospect_id)))

    def _proposed_minutes(self) -> int | None:
        return None if self._advice is None else self._advice.proposed_slot_minutes

    def _can_book(self) -> bool:
        return (
            self._attempt_id is not None
            and self._booking is None
            and self._proposed_minutes() is not None
            and self.slot() > self._bridge.desk.clock()  # never book the past
        )

    def _on_slot_changed(self) -> None:
        if not self._loading:
            self._message.hide()
            self._show()
            self.proposal_changed.emit()

    def _show(self) -> None:
        minutes = self._proposed_minutes()
        proposing = self._attempt_id is not None and minutes is not None
        if proposing:
            self._slot_worked_out()
        self.setVisible(proposing)
        self.slot_action.setEnabled(proposing)
        can_book = self._can_book()
        self.book_action.setEnabled(can_book)
        self._book_button.setEnabled(can_book)
        self._book_button.setText(
            "Booked" if self._booking else f"Book it ({shortcut_text(BOOK_KEY)})"
        )
        self.open_invite_action.setEnabled(self._booking is not None)
        self._open_button.setVisible(self._booking is not None)
        if proposing and minutes is not None:
            self._show_slot(minutes)
        else:
            # Not inside this panel: hidden with it only by being told.
            self._proposal = None
            self._script.hide()

    def _show_slot(self, minutes: int) -> None:
        slot = self.slot()
        self._slot_length.setText(f"for {minutes} min")
        # The rep books in the prospect's time but lives in their own.
        if self._rep_zone_name != self._zone_name:
            rep_slot = slot.astimezone(zone(self._rep_zone_name))
            self._rep_time.setText(f"That is {when_text(rep_slot)} for you.")
        self._rep_time.setVisible(self._rep_zone_name != self._zone_name)
        if self._business_hours is None:
            return
        start, end = self._business_hours
        concerns = slot_concerns(
            slot,
            minutes,
            now=self._bridge.desk.clock(),
            business_start=start,
            business_end=end,
            rep_zone=self._rep_zone_name,
        )
        self._slot_warning.setText("Check the slot: " + " ".join(concerns))
        tint(self._slot_warning, WARNING_HUE)
        self._slot_warning.setVisible(bool(concerns))
        advice = self._advice
        if advice is None or advice.decision is not Decision.RESCHEDULE:
            # With an immediate need the call goes on now; there is nothing to propose aloud.
            self._proposal = None
            self._script.hide()
            return
        prospect_id, call_type = self._prospect_id, self._call_type
        if prospect_id is None:
            return
        rendered, problem = attempt_reporting(
            self._bridge,
            lambda: self._bridge.desk.render_script(
                RESCHEDULE_SCRIPT,
                prospect_id,
                call_type=call_type,
                minutes_available=self._minutes_available,
                slot=slot,
            ),
        )
        self._proposal = UsedScript(RESCHEDULE_SCRIPT, rendered.text) if rendered else None
        self._script.setText(
            rendered.text if rendered else f"The script could not be shown: {problem}"
        )
        self._script.show()

    def _show_message(self, text: str, hue: int) -> None:
        self._message.setText(text)
        tint(self._message, hue)
        self._message.show()
