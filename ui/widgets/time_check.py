"""The time check of a call: did the rep ask, how many minutes they have, the call type.

Every change is saved at once, and the panel shows what the core's time-check
rule (callassist.timecheck.decide) says to do; when it proposes a slot, the
reschedule proposal opens below.
"""

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from callassist.records import CallTypeRecord, ProfileRecord, ProspectDetail
from callassist.timecheck import TimeCheckAdvice, decide
from ui.bridge import DeskBridge
from ui.style import sized_check_box
from ui.widgets.call_parts import focus_on, plain_label, scaled_font, window_action
from ui.widgets.labels import field_label
from ui.widgets.outcome_bar import UsedScript
from ui.widgets.pain_pane import shortcut_text
from ui.widgets.reschedule import ReschedulePanel

OpenUrl = Callable[[QUrl], bool]

QUICK_MINUTES = (5, 10, 15, 30, 60)
MAX_MINUTES = 480
UNKNOWN_MINUTES = -1
"""The minutes box's lowest value, shown as "not known": the rep has not asked yet."""

ASKED_KEY = "Alt+G"
MINUTES_KEY = "Alt+M"
CALL_TYPE_KEY = "Alt+Y"
IMMEDIATE_KEY = "Alt+I"


class TimeCheckPanel(QGroupBox):
    """The "is this still a good time?" record of the call, and the reschedule it may lead to."""

    changed = Signal()
    """What the time check shows may have changed: its answers, its advice or its proposal."""
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
        self._attempt_id: int | None = None
        # Filling the fields from code must not save a time check the rep never made.
        self._loading = False

        self._asked = sized_check_box(
            f"Asked if it's still a good time ({shortcut_text(ASKED_KEY)})"
        )
        self._asked.setObjectName("timeCheckAsked")
        self._asked.toggled.connect(self._on_answer_changed)

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
                window_action(
                    self, f"They have {minutes} minutes", key, partial(self.set_minutes, minutes)
                )
            )
        self._minutes.setToolTip(f"Any other number of minutes ({shortcut_text(MINUTES_KEY)})")
        quick_row.addWidget(self._minutes)
        quick_row.addStretch(1)

        self._call_type = QComboBox()
        self._call_type.setObjectName("timeCheckCallType")
        self._call_type.setAccessibleName("Call type")
        self._call_type.currentIndexChanged.connect(self._on_answer_changed)

        self._immediate = sized_check_box(f"Immediate need ({shortcut_text(IMMEDIATE_KEY)})")
        self._immediate.setObjectName("timeCheckImmediateNeed")
        self._immediate.toggled.connect(self._on_answer_changed)

        self._call_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._call_type.setToolTip(
            f"The kind of call, and the minutes it needs ({shortcut_text(CALL_TYPE_KEY)})"
        )
        type_row = QHBoxLayout()
        type_row.addWidget(self._call_type)
        type_row.addSpacing(12)
        type_row.addWidget(self._immediate)
        type_row.addStretch(1)

        self._decision = plain_label("timeCheckDecision")
        self._decision.setFont(scaled_font(self._decision, 1.35))
        self._decision.setWordWrap(True)
        self._reason = plain_label("timeCheckReason")
        self._reason.setWordWrap(True)

        self._reschedule = ReschedulePanel(bridge, open_url=open_url, invites_folder=invites_folder)
        self._reschedule.booked.connect(self.booked)
        self._reschedule.proposal_changed.connect(self.changed)

        self.asked_action = window_action(
            self, "Toggle: asked if it's still a good time", ASKED_KEY, self._asked.toggle
        )
        self.minutes_action = window_action(
            self, "Type the minutes they have", MINUTES_KEY, focus_on(self._minutes)
        )
        self.call_type_action = window_action(
            self, "Choose the call type", CALL_TYPE_KEY, focus_on(self._call_type)
        )
        self.immediate_action = window_action(
            self, "Toggle: immediate need", IMMEDIATE_KEY, self._immediate.toggle
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
        self._attempt_id = attempt_id
        self._reschedule.start(detail, attempt_id, profile)
        self._loading = True
        try:
            self._clear_answers()
            # The call type stays as on the last call: a rep works one kind of call at a time.
            self.set_call_types(profile.call_types)
        finally:
            self._loading = False
        self.setEnabled(True)
        self._show_decision()
        self._asked.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop(self) -> None:
        """No call: nothing to record, and nothing of the last call left showing."""
        self._attempt_id = None
        self._reschedule.stop()
        was_loading, self._loading = self._loading, True
        try:
            self._clear_answers()
        finally:
            self._loading = was_loading
        self.setEnabled(False)
        self._show_decision()

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

    def proposal_label(self) -> QLabel:
        """The reschedule proposal, for the call panel to show with what to say now."""
        return self._reschedule.script_label()

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

    def proposal(self) -> UsedScript | None:
        """The reschedule script as last shown, with the slot in it."""
        return self._reschedule.proposal()

    def menu_actions(self) -> list[QAction]:
        return [
            self.asked_action,
            *self._quick_actions,
            self.minutes_action,
            self.call_type_action,
            self.immediate_action,
            *self._reschedule.menu_actions(),
        ]

    # -- the rep's keys -------------------------------------------------------

    def set_minutes(self, minutes: int) -> None:
        self._minutes.setValue(minutes)

    # -- inside -----------------------------------------------------------------

    def _clear_answers(self) -> None:
        """Blank answers: the next prospect never sees the last one's."""
        self._asked.setChecked(False)
        self._minutes.setValue(UNKNOWN_MINUTES)
        self._immediate.setChecked(False)

    def _on_minutes_changed(self, _value: int) -> None:
        minutes = self.minutes_available()
        for value, button in self._quick_buttons.items():
            button.setChecked(value == minutes)
        self._on_answer_changed()

    def _on_answer_changed(self) -> None:
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
            self._decision.setText(advice.headline)
            self._reason.setText(advice.reason)
        self._reschedule.show_advice(advice, self.call_type(), self.minutes_available())
        self.changed.emit()
