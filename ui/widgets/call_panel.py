"""The call panel: start a call, time it, check the time, reschedule, note pains, log it.

F5 opens an attempt and starts the timer and the time check; the timer shows
elapsed time against the minutes the prospect said they have and warns before
they run out. The time check saves every change and shows what to do; when
the prospect has too little time it shows the reschedule script and a slot
picker in the prospect's zone, and Ctrl+B books the follow-up and writes the
calendar invite. F6 ends the call: unfinished pains are listed (the rep may
still go on) and the outcome bar logs the attempt with the script used.

Elapsed time comes from an injectable monotonic source, not from the desk's
clock, so it is immune to clock changes and tests can move it on at will.
"""

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, QEvent, QLocale, Qt, QTime, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.core import Rescheduled
from callassist.errors import KnownError, NotFoundError
from callassist.localtime import local_time
from callassist.pains import GUIDES, unfinished
from callassist.phones import zone
from callassist.records import (
    AttemptRecord,
    CallTypeRecord,
    PainRecord,
    ProfileRecord,
    ProspectDetail,
)
from callassist.timecheck import (
    TimeCheckAdvice,
    TimerState,
    decide,
    slot_concerns,
    timer_state,
)
from callassist.vocabulary import Decision, Outcome
from callassist.wording import OUTCOME_WORDS, counted
from ui.bridge import DeskBridge, attempt_reporting
from ui.tints import DANGER_HUE, WARNING_HUE, follow_theme, tint
from ui.widgets.labels import field_label
from ui.widgets.outcome_bar import OutcomeBar, UsedScript
from ui.widgets.pain_pane import PainPane, shortcut_text

OpenUrl = Callable[[QUrl], bool]
Monotonic = Callable[[], float]

TICK_MS = 1000
TIME_CHECK_SCRIPT = "time_check_question"
OPENER_SCRIPT = "opener_research"
SAY_NOW_LINES = 2
QUICK_MINUTES = (5, 10, 15, 30, 60)
MAX_MINUTES = 480
UNKNOWN_MINUTES = -1
"""The minutes box's lowest value, shown as "not known": the rep has not asked yet."""
RESCHEDULE_SCRIPT = "reschedule_proposal"

START_KEY = "F5"
END_KEY = "F6"
DISCARD_KEY = "Shift+F5"
RECENT_CALL = timedelta(minutes=5)
"""F5 this soon after logging a call to the same prospect asks first: most likely a slip."""
ASKED_KEY = "Alt+G"
MINUTES_KEY = "Alt+M"
CALL_TYPE_KEY = "Alt+Y"
IMMEDIATE_KEY = "Alt+I"
SLOT_KEY = "Alt+L"
BOOK_KEY = "Ctrl+B"
OPEN_INVITE_KEY = "Ctrl+Shift+O"

ENDED_STATE = "ended"
"""The timer's state once the call is hung up, beside the TimerState values."""

NO_PROSPECT_HINT = "Open a prospect to call them: the call panel works on the open prospect."
NO_RESEARCH = "No research on this prospect: a call without homework fails fast."


def _scaled_font(widget: QWidget, factor: float, bold: bool = True) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font


def _plain_label() -> QLabel:
    """A label for words that may quote the prospect or the rep: never read as markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _flag_label(object_name: str) -> QLabel:
    label = _plain_label()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setMargin(6)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _clock_text(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _spoken_time(seconds: int) -> str:
    """A timer value as a screen reader should say it: "3 minutes 20 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = [counted(minutes, "minute")] if minutes else []
    if rest or not minutes:
        parts.append(counted(rest, "second"))
    return " ".join(parts)


def _when_text(moment: datetime) -> str:
    """The moment in words, in the rep's locale: "Wednesday, March 11, 2026 at 10:00 AM MDT"."""
    locale = QLocale()
    day = locale.toString(
        QDate(moment.year, moment.month, moment.day), QLocale.FormatType.LongFormat
    )
    hour = locale.toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)
    return f"{day} at {hour} {moment.tzname()}"


def _pain_list(pains: Sequence[PainRecord]) -> str:
    return ", ".join(
        f"'{pain.words}' ({pain.kind.value})"
        if pain.words
        else f"a {GUIDES[pain.kind].label.lower()} pain with no words"
        for pain in pains
    )


def unfinished_pains_text(pains: Sequence[PainRecord]) -> str:
    """What to tell the rep before hanging up, or "" when every pain was handled."""
    left = unfinished(pains)
    parts = []
    if left.not_asked:
        parts.append(f"Not asked about: {_pain_list(left.not_asked)}.")
    if left.not_acknowledged:
        parts.append(f"Not acknowledged: {_pain_list(left.not_acknowledged)}.")
    return " ".join(parts)


class TimeCheckPanel(QGroupBox):
    """The "is this still a good time?" record of the call, and the reschedule it may lead to."""

    minutes_changed = Signal(object)
    """The minutes the prospect has (int), or None when not known yet."""
    booked = Signal(object)
    """The Rescheduled booking: follow-up and invite."""

    def __init__(
        self,
        bridge: DeskBridge,
        parent: QWidget | None = None,
        *,
        open_url: OpenUrl = QDesktopServices.openUrl,
        invites_folder: Path | None = None,
    ) -> None:
        super().__init__("Time check", parent)
        self.setObjectName("timeCheckPanel")
        self._bridge = bridge
        self._open_url = open_url
        self._invites_folder = invites_folder
        self._prospect_id: int | None = None
        self._attempt_id: int | None = None
        self._zone_name = ""
        self._rep_zone_name = ""
        self._business_hours: tuple[clock_time, clock_time] | None = None  # set at each call
        self._booking: Rescheduled | None = None
        self._proposal: UsedScript | None = None
        # Filling the fields from code must not save a time check the rep never made.
        self._loading = False

        self._asked = QCheckBox(f"Asked if it's still a good time ({shortcut_text(ASKED_KEY)})")
        self._asked.setObjectName("timeCheckAsked")
        self._asked.toggled.connect(self._changed)

        self._minutes = QSpinBox()
        self._minutes.setObjectName("timeCheckMinutes")
        self._minutes.setAccessibleName("Minutes the prospect has")
        self._minutes.setRange(UNKNOWN_MINUTES, MAX_MINUTES)
        self._minutes.setSpecialValueText("not known")
        self._minutes.setSuffix(" min")
        self._minutes.setValue(UNKNOWN_MINUTES)
        self._minutes.valueChanged.connect(self._on_minutes_changed)

        self._quick_buttons: dict[int, QPushButton] = {}
        self._quick_actions: list[QAction] = []
        quick_row = QHBoxLayout()
        for number, minutes in enumerate(QUICK_MINUTES, start=1):
            key = f"Alt+{number}"
            button = QPushButton(f"{minutes}")
            button.setObjectName(f"quickMinutes{minutes}")
            button.setCheckable(True)
            button.setAccessibleName(f"{minutes} minutes")
            button.setToolTip(f"They have {minutes} minutes ({shortcut_text(key)})")
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("000") + 24)
            button.clicked.connect(lambda _=False, chosen=minutes: self.set_minutes(chosen))
            quick_row.addWidget(button)
            self._quick_buttons[minutes] = button
            self._quick_actions.append(
                self._action(
                    f"They have {minutes} minutes",
                    key,
                    partial(self.set_minutes, minutes),
                )
            )
        self._minutes.setToolTip(f"Any other number of minutes ({shortcut_text(MINUTES_KEY)})")
        quick_row.addWidget(self._minutes)
        quick_row.addStretch(1)

        self._call_type = QComboBox()
        self._call_type.setObjectName("timeCheckCallType")
        self._call_type.setAccessibleName("Call type")
        self._call_type.currentIndexChanged.connect(self._changed)

        self._immediate = QCheckBox(f"Immediate need ({shortcut_text(IMMEDIATE_KEY)})")
        self._immediate.setObjectName("timeCheckImmediateNeed")
        self._immediate.toggled.connect(self._changed)

        self._call_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._call_type.setToolTip(
            f"The kind of call, and the minutes it needs ({shortcut_text(CALL_TYPE_KEY)})"
        )
        type_row = QHBoxLayout()
        type_row.addWidget(self._call_type)
        type_row.addSpacing(12)
        type_row.addWidget(self._immediate)
        type_row.addStretch(1)

        self._decision = _plain_label()
        self._decision.setObjectName("timeCheckDecision")
        self._decision.setFont(_scaled_font(self._decision, 1.35))
        self._decision.setWordWrap(True)
        self._reason = _plain_label()
        self._reason.setObjectName("timeCheckReason")
        self._reason.setWordWrap(True)

        # -- the reschedule part ---------------------------------------------
        self._script = _plain_label()
        self._script.setObjectName("rescheduleScript")
        self._script.setAccessibleName("Reschedule script")
        self._script.setWordWrap(True)
        self._script.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._script.setFrameShape(QFrame.Shape.StyledPanel)
        self._script.setMargin(8)
        self._script.setFont(_scaled_font(self._script, 1.1, bold=False))

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
        self._slot_length = _plain_label()
        self._slot_length.setObjectName("slotLength")
        self._slot_zone = _plain_label()
        self._slot_zone.setObjectName("slotZone")
        self._slot_zone.setWordWrap(True)
        self._slot_zone.setBuddy(self._slot_date)
        self._rep_time = _plain_label()
        self._rep_time.setObjectName("slotRepTime")
        self._slot_warning = _flag_label("slotWarning")

        self.book_action = self._action(
            "Book the proposed call and write the invite", BOOK_KEY, self.book
        )
        self.open_invite_action = self._action(
            "Open the calendar invite", OPEN_INVITE_KEY, self.open_invite
        )
        self._book_button = QPushButton(f"Book it ({shortcut_text(BOOK_KEY)})")
        self._book_button.setObjectName("bookButton")
        self._book_button.clicked.connect(self.book)
        self._open_button = QPushButton(f"Open invite ({shortcut_text(OPEN_INVITE_KEY)})")
        self._open_button.setObjectName("openInviteButton")
        self._open_button.clicked.connect(self.open_invite)
        self._booked_label = _plain_label()
        self._booked_label.setObjectName("bookedLabel")
        self._booked_label.setWordWrap(True)
        self._booked_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A path has no spaces to wrap at: a read-only line shows it whole, scrollable
        # and copyable.
        self._invite_path = QLineEdit()
        self._invite_path.setObjectName("invitePath")
        self._invite_path.setAccessibleName("Calendar invite file")
        self._invite_path.setReadOnly(True)
        self._invite_path.setFrame(False)
        self._message = _flag_label("rescheduleMessage")

        slot_row = QHBoxLayout()
        slot_row.addWidget(self._slot_date)
        slot_row.addWidget(self._slot_time)
        slot_row.addWidget(self._slot_length)
        slot_row.addStretch(1)
        book_row = QHBoxLayout()
        book_row.addWidget(self._book_button)
        book_row.addWidget(self._open_button)
        book_row.addStretch(1)

        self._reschedule = QWidget()
        self._reschedule.setObjectName("reschedulePanel")
        reschedule_layout = QVBoxLayout(self._reschedule)
        reschedule_layout.setContentsMargins(0, 4, 0, 0)
        reschedule_layout.addWidget(self._script)
        reschedule_layout.addWidget(self._slot_zone)
        reschedule_layout.addLayout(slot_row)
        reschedule_layout.addWidget(self._rep_time)
        reschedule_layout.addWidget(self._slot_warning)
        reschedule_layout.addLayout(book_row)
        reschedule_layout.addWidget(self._booked_label)
        reschedule_layout.addWidget(self._invite_path)
        reschedule_layout.addWidget(self._message)

        self.asked_action = self._action(
            "Toggle: asked if it's still a good time", ASKED_KEY, self._asked.toggle
        )
        self.minutes_action = self._action(
            "Type the minutes they have", MINUTES_KEY, self._focus(self._minutes)
        )
        self.call_type_action = self._action(
            "Choose the call type", CALL_TYPE_KEY, self._focus(self._call_type)
        )
        self.immediate_action = self._action(
            "Toggle: immediate need", IMMEDIATE_KEY, self._immediate.toggle
        )
        self.slot_action = self._action(
            "Pick the slot to propose", SLOT_KEY, self._focus(self._slot_date)
        )

        form = QFormLayout()
        # In a narrow panel the fields go under their labels rather than off the edge.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._asked)
        form.addRow(
            field_label(
                f"Minutes they have ({shortcut_text('Alt+1')}…5, "
                f"other {shortcut_text(MINUTES_KEY)}):",
                self._minutes,
            ),
            quick_row,
        )
        form.addRow(
            field_label(f"Call type ({shortcut_text(CALL_TYPE_KEY)}):", self._call_type), type_row
        )

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._reason)
        layout.addWidget(self._reschedule)

        self.stop()

    # -- what the call panel calls --------------------------------------------

    def start(self, detail: ProspectDetail, attempt_id: int, profile: ProfileRecord) -> None:
        """A call began: a fresh time check, with the slot picker in the prospect's zone."""
        self._prospect_id = detail.prospect.id
        self._attempt_id = attempt_id
        self._rep_zone_name = profile.timezone
        self._zone_name = detail.prospect.timezone or profile.timezone
        self._booking = None
        self._loading = True
        try:
            self._clear_answers()
            # The call type stays as on the last call: a rep works one kind of call at a time.
            self.set_call_types(profile.call_types)
            self._business_hours = (profile.business_start, profile.business_end)
            now = self._bridge.desk.clock()
            slot = self._bridge.attempt(lambda: self._bridge.desk.proposed_slot(detail.prospect.id))
            today = now.astimezone(zone(self._zone_name)).date()
            # The picker cannot reach the past, nor wander more than a year out.
            self._slot_date.setDateRange(
                QDate(today.year, today.month, today.day),
                QDate(today.year, today.month, today.day).addYears(1),
            )
            # With no proposal (the bridge has said why) the rep picks the slot.
            if slot is not None:
                self._slot_date.setDate(QDate(slot.year, slot.month, slot.day))
                self._slot_time.setTime(QTime(slot.hour, slot.minute))
        finally:
            self._loading = False
        if detail.prospect.timezone:
            self._slot_zone.setText(
                f"Slot in their time, {self._zone_name} ({shortcut_text(SLOT_KEY)}):"
            )
        else:
            self._slot_zone.setText(
                f"Their zone is not known: the slot is in yours, {self._zone_name} "
                f"({shortcut_text(SLOT_KEY)}):"
            )
        self.setEnabled(True)
        self._show_decision()
        self._asked.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop(self) -> None:
        """No call: nothing to record, and nothing of the last call left showing."""
        self._prospect_id = None
        self._attempt_id = None
        self._booking = None
        was_loading, self._loading = self._loading, True
        try:
            self._clear_answers()
        finally:
            self._loading = was_loading
        self.setEnabled(False)
        self._show_decision()

    def _clear_answers(self) -> None:
        """Blank answers and no booking: the next prospect never sees the last one's."""
        self._asked.setChecked(False)
        self._minutes.setValue(UNKNOWN_MINUTES)
        self._immediate.setChecked(False)
        self._booked_label.hide()
        self._invite_path.hide()
        self._message.hide()

    def set_call_types(self, call_types: Sequence[CallTypeRecord]) -> None:
        """Offer the profile's call types, keeping the chosen one when it is still there."""
        chosen = self.call_type()
        was_loading, self._loading = self._loading, True
        try:
            self._call_type.clear()
            for call_type in call_types:
                self._call_type.addItem(
                    f"{call_type.name} ({call_type.minutes} min)", call_type.minutes
                )
                self._call_type.setItemData(
                    self._call_type.count() - 1, call_type.name, Qt.ItemDataRole.AccessibleTextRole
                )
            found = self._call_type.findData(chosen, Qt.ItemDataRole.AccessibleTextRole)
            self._call_type.setCurrentIndex(max(found, 0))
        finally:
            self._loading = was_loading
        self._show_decision()

    def decision_label(self) -> QLabel:
        """The decision ("Reschedule: propose a 20-minute slot"), for the call panel to
        keep in view above what scrolls, while the rep types pains below."""
        return self._decision

    def minutes_available(self) -> int | None:
        value = self._minutes.value()
        return None if value == UNKNOWN_MINUTES else value

    def call_type(self) -> str | None:
        name = self._call_type.currentData(Qt.ItemDataRole.AccessibleTextRole)
        return name if isinstance(name, str) else None

    def minutes_needed(self) -> int | None:
        minutes = self._call_type.currentData()
        return minutes if isinstance(minutes, int) else None

    def advice(self) -> TimeCheckAdvice | None:
        """What the time check says now; None without a call type to judge by."""
        needed = self.minutes_needed()
        if needed is None:
            return None
        return decide(self.minutes_available(), needed, self._immediate.isChecked())

    def slot(self) -> datetime:
        """The proposed slot, an aware datetime in the prospect's zone."""
        day: date = self._slot_date.date().toPython()  # type: ignore[assignment]
        at = self._slot_time.time()
        return datetime.combine(
            day, clock_time(at.hour(), at.minute()), tzinfo=zone(self._zone_name)
        )

    def proposal(self) -> UsedScript | None:
        """The reschedule script as last shown, with the slot in it."""
        return self._proposal

    def menu_actions(self) -> list[QAction]:
        return [
            self.asked_action,
            *self._quick_actions,
            self.minutes_action,
            self.call_type_action,
            self.immediate_action,
            self.slot_action,
            self.book_action,
            self.open_invite_action,
        ]

    # -- the rep's keys -------------------------------------------------------

    def set_minutes(self, minutes: int) -> None:
        self._minutes.setValue(minutes)

    def book(self) -> Rescheduled | None:
        """Book the proposed slot: a follow-up of the needed length and an .ics invite."""
        prospect_id, attempt_id, call_type = self._prospect_id, self._attempt_id, self.call_type()
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
            f"Booked {_when_text(booking.follow_up.due_at.astimezone(zone(self._zone_name)))}, "
            f"{booking.follow_up.minutes} min. The invite is saved as:"
        )
        self._booked_label.show()
        self._invite_path.setText(str(booking.invite))
        self._invite_path.setCursorPosition(0)
        self._invite_path.show()
        self._show_decision()
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

    # -- inside -----------------------------------------------------------------

    def _action(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        # Anywhere in the window: the rep may be typing a pain when the answer comes.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @staticmethod
    def _focus(widget: QWidget) -> Callable[[], None]:
        return lambda: widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _can_book(self) -> bool:
        advice = self.advice()
        return (
            self._attempt_id is not None
            and self._booking is None
            and advice is not None
            and advice.proposed_slot_minutes is not None
            and self.slot() > self._bridge.desk.clock()  # never book the past
        )

    def _on_minutes_changed(self, _value: int) -> None:
        minutes = self.minutes_available()
        for value, button in self._quick_buttons.items():
            button.setChecked(value == minutes)
        self.minutes_changed.emit(minutes)
        self._changed()

    def _on_slot_changed(self) -> None:
        if not self._loading:
            self._message.hide()
            self._show_decision()

    def _changed(self) -> None:
        if self._loading:
            return
        self._show_decision()
        attempt_id, call_type = self._attempt_id, self.call_type()
        if attempt_id is None or call_type is None:
            return
        self._bridge.attempt(
            lambda: self._bridge.desk.record_time_check(
                attempt_id,
                asked=self._asked.isChecked(),
                minutes_available=self.minutes_available(),
                call_type=call_type,
                immediate_need=self._immediate.isChecked(),
            )
        )

    def _show_decision(self) -> None:
        in_call = self._attempt_id is not None
        advice = self.advice() if in_call else None
        for action in (
            self.asked_action,
            *self._quick_actions,
            self.minutes_action,
            self.call_type_action,
            self.immediate_action,
        ):
            action.setEnabled(in_call)
        if not in_call:
            self._decision.setText("Starts with the call (F5).")
            self._reason.setText("")
        elif advice is None:
            self._decision.setText("No call types: add one in Settings.")
            self._reason.setText("")
        else:
            self._decision.setText(self._headline(advice, self.minutes_available() is not None))
            self._reason.setText(advice.reason)
        proposing = advice is not None and advice.proposed_slot_minutes is not None
        self._reschedule.setVisible(proposing)
        self.slot_action.setEnabled(proposing)
        can_book = self._can_book()
        self.book_action.setEnabled(can_book)
        self._book_button.setEnabled(can_book)
        self._book_button.setText(
            "Booked" if self._booking else f"Book it ({shortcut_text(BOOK_KEY)})"
        )
        self.open_invite_action.setEnabled(self._booking is not None)
        self._open_button.setVisible(self._booking is not None)
        if advice is not None and advice.proposed_slot_minutes is not None:
            self._show_slot(advice)

    @staticmethod
    def _headline(advice: TimeCheckAdvice, minutes_known: bool) -> str:
        if advice.decision is Decision.RESCHEDULE:
            return f"Reschedule: propose a {advice.proposed_slot_minutes}-minute slot"
        if advice.proposed_slot_minutes is not None:
            return f"Proceed on the urgent part, then book {advice.proposed_slot_minutes} minutes"
        if not minutes_known:
            return "Ask how long they have"
        return "Proceed: you have the time"

    def _show_slot(self, advice: TimeCheckAdvice) -> None:
        slot = self.slot()
        self._slot_length.setText(f"for {advice.proposed_slot_minutes} min")
        # The rep books in the prospect's time but lives in their own.
        if self._rep_zone_name != self._zone_name:
            rep_slot = slot.astimezone(zone(self._rep_zone_name))
            self._rep_time.setText(f"That is {_when_text(rep_slot)} for you.")
        self._rep_time.setVisible(self._rep_zone_name != self._zone_name)
        if self._business_hours is None:
            return
        start, end = self._business_hours
        concerns = slot_concerns(
            slot,
            advice.proposed_slot_minutes or 0,
            now=self._bridge.desk.clock(),
            business_start=start,
            business_end=end,
            rep_zone=self._rep_zone_name,
        )
        self._slot_warning.setText("Check the slot: " + " ".join(concerns))
        tint(self._slot_warning, WARNING_HUE)
        self._slot_warning.setVisible(bool(concerns))
        if advice.decision is not Decision.RESCHEDULE or self._prospect_id is None:
            # With an immediate need the call goes on now; there is nothing to propose aloud.
            self._proposal = None
            self._script.hide()
            return
        prospect_id, call_type = self._prospect_id, self.call_type()
        rendered, problem = attempt_reporting(
            self._bridge,
            lambda: self._bridge.desk.render_script(
                RESCHEDULE_SCRIPT,
                prospect_id,
                call_type=call_type,
                minutes_available=self.minutes_available(),
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


class CallPanel(QWidget):
    """One call with the open prospect, from F5 to the logged outcome."""

    call_started = Signal(int)
    """The new attempt's id."""
    call_finished = Signal(object)
    """The finished AttemptRecord."""
    in_call_changed = Signal(bool)
    """A call began (True), or ended logged or discarded (False)."""

    def __init__(
        self,
        bridge: DeskBridge,
        parent: QWidget | None = None,
        *,
        monotonic: Monotonic = time.monotonic,
        open_url: OpenUrl = QDesktopServices.openUrl,
        invites_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callPanel")
        self.setAccessibleName("Call panel")
        self._bridge = bridge
        self._monotonic = monotonic
        self._profile = bridge.desk.profile()
        self._prospect_id: int | None = None
        self._detail: ProspectDetail | None = None
        self._waiting_prospect: int | None = None
        self._waiting = False
        self._attempt_id: int | None = None
        self._started_at = 0.0
        self._ended_at: float | None = None
        self._script: UsedScript | None = None
        self._suggested: Outcome | None = None

        self._hint = QLabel(NO_PROSPECT_HINT)
        self._hint.setObjectName("callPanelHint")
        self._hint.setWordWrap(True)

        self._who = QLabel()
        self._who.setObjectName("callProspect")
        self._who.setTextFormat(Qt.TextFormat.PlainText)  # the name and company as typed
        self._who.setFont(_scaled_font(self._who, 1.15))
        self._who.setWordWrap(True)

        self.start_action = QAction("Start call", self)
        self.start_action.setShortcut(QKeySequence(START_KEY))
        self.start_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.start_action.triggered.connect(self.start_call)
        self.addAction(self.start_action)
        self.end_action = QAction("End call and log the outcome", self)
        self.end_action.setShortcut(QKeySequence(END_KEY))
        self.end_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.end_action.triggered.connect(self.end_call)
        self.addAction(self.end_action)

        self.discard_action = QAction("Discard this call (started by mistake)", self)
        self.discard_action.setShortcut(QKeySequence(DISCARD_KEY))
        self.discard_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.discard_action.triggered.connect(self.discard_call)
        self.addAction(self.discard_action)
        self._redial_confirmed_for: int | None = None
        self._focus_before_call: QWidget | None = None

        self._start_button = QPushButton(f"Start call ({shortcut_text(START_KEY)})")
        self._start_button.setObjectName("startCallButton")
        self._start_button.clicked.connect(self.start_call)
        self._end_button = QPushButton(f"End call ({shortcut_text(END_KEY)})")
        self._end_button.setObjectName("endCallButton")
        self._end_button.clicked.connect(self.end_call)
        self._discard_button = QPushButton(f"Discard ({shortcut_text(DISCARD_KEY)})")
        self._discard_button.setObjectName("discardCallButton")
        self._discard_button.setToolTip(
            "A call started by mistake: leaves no attempt and moves no cadence"
        )
        self._discard_button.clicked.connect(self.discard_call)

        self._timer_label = QLabel(_clock_text(0))
        self._timer_label.setObjectName("callTimer")
        self._timer_label.setAccessibleName("Call time")
        self._timer_label.setFont(_scaled_font(self._timer_label, 1.8))
        self._timer_label.setMargin(4)
        self._timer_warning = _flag_label("timerWarning")
        self._timer_warning.setFont(_scaled_font(self._timer_warning, 1.05))

        # The first words of the call, under the header: the rep reads them off
        # the screen instead of hunting for the opener behind Ctrl+K.
        self._say_now = _flag_label("sayNow")
        self._say_now.setAccessibleName("What to say now")
        self._say_now_for: tuple[object, ...] | None = None

        self._no_research = _flag_label("noResearchFlag")
        self._no_research.setText(NO_RESEARCH)
        self._script_label = _plain_label()
        self._script_label.setObjectName("scriptUsed")
        self._script_label.setWordWrap(True)
        self._script_label.hide()
        self._status = _plain_label()
        self._status.setObjectName("callStatus")
        self._status.setWordWrap(True)
        self._status.hide()

        self._time_check = TimeCheckPanel(bridge, open_url=open_url, invites_folder=invites_folder)
        self._time_check.minutes_changed.connect(self._refresh_timer)
        self._time_check.booked.connect(self._on_booked)
        self._pain_pane = PainPane(bridge)
        self._unfinished = _flag_label("unfinishedPains")
        self._outcome_bar = OutcomeBar(bridge)
        self._outcome_bar.logged.connect(self._on_logged)
        self._outcome_bar.back_requested.connect(self._on_back)

        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

        # The header stays on top whatever scrolls: who, their time, the timer, the
        # keys, and what the time check says to do.
        timer_row = QHBoxLayout()
        timer_row.addWidget(self._timer_label)
        timer_row.addStretch(1)
        for button in (self._start_button, self._end_button, self._discard_button):
            # As wide as their words: the room is the warning's.
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            timer_row.addWidget(button)
        decision = self._time_check.decision_label()
        decision.setAccessibleName("Time check says")

        # The time check and the pains scroll; the timer above and the outcome bar
        # below stay in sight whatever the window's height.
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        # First under the header, but scrolling: in a big font on a small screen the
        # header's room is the decision's, and once the rep types pains the opener is said.
        middle_layout.addWidget(self._say_now)
        middle_layout.addWidget(self._time_check)
        middle_layout.addWidget(self._pain_pane, 1)
        scroller = QScrollArea()
        scroller.setObjectName("callPanelScroll")
        scroller.setAccessibleName("Time check and pains")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(middle)
        # What scrolls gives way first, down to a line: in a big font, once hung up,
        # the outcome bar needs its full height, and Tab or Alt+K still reach the pains.
        scroller.setMinimumHeight(scroller.fontMetrics().lineSpacing())
        self._scroller = scroller
        self._scrolled = middle

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self._who)
        body.addLayout(timer_row)
        # On a line of its own: beside a large timer and the buttons, a big font
        # would squeeze it into a column one word wide.
        body.addWidget(self._timer_warning)
        body.addWidget(decision)
        body.addWidget(self._no_research)
        body.addWidget(self._status)
        body.addWidget(scroller, 1)
        body.addWidget(self._script_label)
        body.addWidget(self._unfinished)
        body.addWidget(self._outcome_bar)

        layout = QVBoxLayout(self)
        layout.addWidget(self._hint)
        layout.addWidget(self._body, 1)

        bridge.changed.connect(self._on_changed)
        application = QApplication.instance()
        if isinstance(application, QApplication):
            application.focusChanged.connect(self._follow_focus)
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        follow_theme(self, event)

    # -- public ---------------------------------------------------------------

    def set_prospect(self, prospect_id: int | None) -> None:
        """Work on ``prospect_id`` (None: no prospect open, the panel is disabled).

        During a call the panel stays with the call's prospect, so looking
        someone else up never loses the call; the prospect asked for opens here
        once the call is logged.
        """
        if self.in_call():
            self._waiting = prospect_id != self._prospect_id
            self._waiting_prospect = prospect_id
            self._refresh()
            return
        if prospect_id != self._prospect_id:
            self._script = None
            self._status.hide()
            self._redial_confirmed_for = None
        self._prospect_id = prospect_id
        self._detail = None
        if prospect_id is not None:
            self._detail = self._bridge.attempt(
                lambda: self._bridge.desk.prospect_detail(prospect_id)
            )
            if self._detail is None:
                self._prospect_id = None
        self._refresh()

    def in_call(self) -> bool:
        """True from F5 until the outcome is logged."""
        return self._attempt_id is not None

    def current_attempt_id(self) -> int | None:
        return self._attempt_id

    def note_script_used(self, name: str, text: str) -> None:
        """Remember the script the rep last copied; it is logged with the attempt."""
        self._script = UsedScript(name, text)
        self._outcome_bar.set_script(self._script)
        self._refresh()

    def menu_actions(self) -> list[QAction]:
        return [
            self.start_action,
            self.end_action,
            self.discard_action,
            *self._time_check.menu_actions(),
            *self._pain_pane.menu_actions(),
            *self._outcome_bar.menu_actions(),
        ]

    def start_call(self) -> None:
        """Open an attempt with the prospect and start the timer and the time check."""
        detail = self._detail
        if detail is None or self.in_call():
            return
        prospect_id = detail.prospect.id
        logged = self._logged_moments_ago(detail)
        if logged is not None and self._redial_confirmed_for != prospect_id:
            self._redial_confirmed_for = prospect_id
            self.show_notice(
                f"You logged a call to {detail.prospect.full_name} {logged}. "
                f"Press {shortcut_text(START_KEY)} again to call them again."
            )
            return
        self._redial_confirmed_for = None
        record = self._bridge.attempt(lambda: self._bridge.desk.start_call(prospect_id))
        if record is None:
            return
        self._focus_before_call = QApplication.focusWidget()
        self._attempt_id = record.id
        self._started_at = self._monotonic()
        self._ended_at = None
        self._suggested = None
        self._status.hide()
        tint(self._status, None)
        self._pain_pane.start(detail.prospect.id, record.id)
        self._time_check.start(detail, record.id, self._profile)
        self._tick.start()
        self._refresh()
        self.call_started.emit(record.id)
        self.in_call_changed.emit(True)

    def discard_call(self) -> None:
        """Shift+F5: take back a call started by mistake (nothing logged, no cadence moved)."""
        attempt_id = self._attempt_id
        if attempt_id is None:
            return
        self._pain_pane.flush()
        _done, problem = attempt_reporting(
            self._bridge, lambda: self._bridge.desk.discard_call(attempt_id)
        )
        if problem:
            self.show_notice(f"Not discarded: {problem}.")
            return
        self._close_call()
        self._status.setText("Call discarded: nothing was logged.")
        self._status.show()
        waiting, self._waiting = self._waiting, False
        self.set_prospect(self._waiting_prospect if waiting else self._prospect_id)
        # As if F5 had never been pressed: the keys go back where they were.
        before = self._focus_before_call
        if before is not None and shiboken6.isValid(before) and before.isVisible():
            before.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_notice(self, text: str) -> None:
        """Say something about the call where the rep is looking: on the panel."""
        self._status.setText(text)
        tint(self._status, WARNING_HUE)
        self._status.show()

    def _logged_moments_ago(self, detail: ProspectDetail) -> str | None:
        """How long ago a call to this prospect was logged, if it was only minutes ago."""
        now = self._bridge.desk.clock()
        for attempt in detail.attempts:
            logged_at = attempt.ended_at or attempt.at
            if attempt.outcome is not None and now - logged_at < RECENT_CALL:
                minutes = int((now - logged_at).total_seconds() // 60)
                return "just now" if minutes < 1 else f"{counted(minutes, 'minute')} ago"
        return None

    def end_call(self) -> None:
        """Stop the timer, say which pains were left hanging, and ask for the outcome."""
        attempt_id = self._attempt_id
        prospect_id = self._prospect_id
        if attempt_id is None or prospect_id is None or self._outcome_bar.is_active():
            return
        self._pain_pane.flush()
        self._ended_at = self._monotonic()
        self._tick.stop()
        warning = unfinished_pains_text(self._pain_pane.pains())
        self._unfinished.setText(warning)
        tint(self._unfinished, WARNING_HUE)
        self._unfinished.setVisible(bool(warning))
        self._outcome_bar.begin(
            attempt_id, prospect_id, script=self._script, suggested=self._suggested
        )
        self._refresh()

    # -- reactions --------------------------------------------------------------

    def _on_booked(self, booking: Rescheduled) -> None:
        # The rep just said the proposal aloud and booked it: that is the script
        # of this call, and "rescheduled" is its likely outcome.
        self._suggested = Outcome.RESCHEDULED
        self._status.setText(
            f"Booked. Suggested outcome: {OUTCOME_WORDS[Outcome.RESCHEDULED]} (key 4)."
        )
        self._status.show()
        proposal = self._time_check.proposal()
        if proposal is not None:
            self.note_script_used(proposal.name, proposal.text)

    def _on_back(self) -> None:
        self._ended_at = None
        self._unfinished.hide()
        self._tick.start()
        self._refresh()
        self._pain_pane.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_call(self) -> None:
        self._tick.stop()
        self._attempt_id = None
        self._ended_at = None
        self._script = None
        self._suggested = None
        self._time_check.stop()
        self._pain_pane.stop()
        self._unfinished.hide()
        tint(self._status, None)
        self.in_call_changed.emit(False)

    def _on_logged(self, record: AttemptRecord) -> None:
        self._close_call()
        outcome = OUTCOME_WORDS[record.outcome] if record.outcome else "no outcome"
        self._status.setText(f"Logged: {outcome}.")
        self._status.show()
        self.call_finished.emit(record)
        waiting, self._waiting = self._waiting, False
        self.set_prospect(self._waiting_prospect if waiting else self._prospect_id)

    def _on_changed(self, changes: Changes) -> None:
        if changes.profile:
            profile = self._bridge.attempt(self._bridge.desk.profile)
            if profile is not None:
                self._profile = profile
                self._time_check.set_call_types(profile.call_types)
        prospect_id = self._prospect_id
        if prospect_id is None or not (changes.prospects or changes.research):
            return
        if changes.prospect_ids and prospect_id not in changes.prospect_ids:
            return
        gone = False

        def read() -> ProspectDetail | None:
            nonlocal gone
            try:
                return self._bridge.desk.prospect_detail(prospect_id)
            except NotFoundError:
                # Deleted: not a problem to report, the panel just lets go of them.
                gone = True
                return None

        detail = self._bridge.attempt(read)
        if gone and not self.in_call():
            self.set_prospect(None)
        elif detail is not None:
            self._detail = detail
            self._refresh()

    def _follow_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        # A shortcut that moves the cursor (Ctrl+1, Alt+L...) must also bring the
        # field into sight; for a pain, the suggestions under its words too.
        if new is not None and self._scrolled.isAncestorOf(new):
            # After pending layout work: the key that moved the focus may also have
            # opened or closed part of the panel.
            QTimer.singleShot(0, self, self._bring_focus_into_sight)

    def _bring_focus_into_sight(self) -> None:
        widget = QApplication.focusWidget()
        if widget is None or not self._scrolled.isAncestorOf(widget):
            return
        if self._pain_pane.isAncestorOf(widget):
            self._scroller.ensureVisible(0, self._pain_pane.geometry().bottom(), 0, 0)
        self._scroller.ensureWidgetVisible(widget)

    # -- showing ----------------------------------------------------------------

    def _refresh(self) -> None:
        detail = self._detail
        in_call = self.in_call()
        ending = self._outcome_bar.is_active()
        self._hint.setVisible(detail is None)
        self._body.setEnabled(detail is not None)
        self.start_action.setEnabled(detail is not None and not in_call)
        self.end_action.setEnabled(in_call and not ending)
        self.discard_action.setEnabled(in_call)
        self._discard_button.setVisible(in_call)
        # One of the two: the header keeps its room for who and the timer.
        self._start_button.setVisible(not in_call)
        self._end_button.setVisible(in_call)
        self._start_button.setEnabled(self.start_action.isEnabled())
        self._end_button.setEnabled(self.end_action.isEnabled())
        self._show_who()
        self._say_now_for = None  # the prospect or the script may have changed: render again
        if detail is None:
            self._no_research.hide()
        else:
            self._no_research.setVisible(not detail.research.has_homework)
            tint(self._no_research, WARNING_HUE)
        if self._waiting:
            self._status.setText(
                "The call goes on with this prospect; the one you opened comes here "
                "once you log the outcome."
            )
            self._status.show()
        if self._script is not None:
            self._script_label.setText(f"Script you copied: {self._script.name}")
        # Once the call ends, the outcome bar says which script is logged (a
        # copied opener is never logged as a voicemail): one line, not two.
        self._script_label.setVisible(self._script is not None and not ending)
        self._refresh_timer()

    def _show_who(self) -> None:
        """Who, their company and number, and the time at their desk (is it still a good time?)."""
        detail = self._detail
        if detail is None:
            self._who.setText("No prospect open")
            return
        prospect = detail.prospect
        facts = [prospect.full_name, prospect.company, prospect.phone_display]
        profile = self._profile
        there = local_time(
            prospect.timezone,
            self._bridge.desk.clock(),
            profile.business_start,
            profile.business_end,
            profile.timezone,
        )
        if there.zone_known:
            facts.append(f"their time {there.label}")
        who = " · ".join(fact for fact in facts if fact)
        self._who.setText(f"{'On the call with' if self.in_call() else 'Call'} {who}")

    def _on_tick(self) -> None:
        self._show_who()  # their clock moves on during a long call
        self._refresh_timer()

    def _elapsed_seconds(self) -> int:
        if not self.in_call():
            return 0
        until = self._ended_at if self._ended_at is not None else self._monotonic()
        return max(0, int(until - self._started_at))

    def _show_say_now(self) -> None:
        """The time-check question until they say how many minutes they have, then the opener."""
        minutes = self._time_check.minutes_available()
        call_type = self._time_check.call_type()
        name = TIME_CHECK_SCRIPT if minutes is None else OPENER_SCRIPT
        showing = self.in_call() and self._ended_at is None  # hung up: nothing to say
        wanted = (self._prospect_id, name, call_type, minutes)
        if showing and wanted == self._say_now_for:
            return  # the timer ticks every second; render only when something changed
        self._say_now_for = wanted if showing else None
        rendered = None
        if showing:
            try:
                rendered = self._bridge.desk.render_script(
                    name, self._prospect_id, call_type=call_type, minutes_available=minutes
                )
            except KnownError:
                # A broken script is shown, with its mistake, in the script lookup (Ctrl+K).
                rendered = None
        if rendered is None:
            self._say_now.hide()
            return
        # Its first two lines: the greeting and the one that matters (the question,
        # or the homework); the rest is in the script lookup, and room here is short.
        lines = [line.strip() for line in rendered.text.splitlines() if line.strip()]
        said = " ".join(lines[:SAY_NOW_LINES])
        self._say_now.setText(f"Say: {said}")
        self._say_now.setAccessibleDescription(said)
        self._say_now.show()

    def _refresh_timer(self) -> None:
        self._show_say_now()
        seconds = self._elapsed_seconds()
        minutes = self._time_check.minutes_available() if self.in_call() else None
        text = _clock_text(seconds)
        if minutes is not None:
            text += f" of {_clock_text(minutes * 60)}"
        self._timer_label.setText(text)
        spoken = _spoken_time(seconds)
        if minutes is not None:
            spoken += f" of {counted(minutes, 'minute')}"
        state = timer_state(timedelta(seconds=seconds), minutes)
        warning = ""
        hue: int | None = None
        shown_state = state.value
        if self._ended_at is not None:
            # Hung up: the time left no longer matters, and "wrap up" would be stale.
            warning = f"Call ended after {_spoken_time(seconds)}: pick how it ended."
            shown_state = ENDED_STATE
        elif state is TimerState.WARNING and minutes is not None:
            # Minutes and seconds: "2 minutes left" read at 1:15 left misleads.
            left = minutes * 60 - seconds
            warning = f"{left // 60}:{left % 60:02d} left: wrap up or book the rest"
            hue = WARNING_HUE
        elif state is TimerState.OVER:
            warning = f"Over time: they said {minutes} min. Wrap up or book the rest."
            hue = DANGER_HUE
        if self._timer_label.property("timerState") != shown_state:
            # Repaint the background only when the state changes, not every second.
            self._timer_label.setProperty("timerState", shown_state)
            tint(self._timer_label, hue)
            tint(self._timer_warning, hue)
        self._timer_warning.setText(warning)
        self._timer_warning.setVisible(bool(warning))
        # What the eye reads as "03:20 of 05:00", in words, with the warning if any.
        self._timer_label.setAccessibleDescription(f"{spoken}. {warning}" if warning else spoken)
