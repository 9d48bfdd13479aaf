"""The call panel's header: who is on the line, their time of day, and the call timer.

The timer shows elapsed time against the minutes the prospect said they have
and warns before they run out; its time comes from an injectable CallClock.
"""

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from callassist.localtime import local_time
from callassist.records import ProfileRecord, ProspectDetail
from callassist.timecheck import TimerState, timer_state
from callassist.wording import counted
from ui.bridge import DeskBridge
from ui.tints import DANGER_HUE, WARNING_HUE, tint
from ui.widgets.call_clock import CallClock
from ui.widgets.call_parts import flag_label, scaled_font

ENDED_STATE = "ended"
"""The timer's state once the call is hung up, beside the TimerState values."""


def clock_text(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def spoken_time(seconds: int) -> str:
    """A timer value as a screen reader should say it: "3 minutes 20 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = [counted(minutes, "minute")] if minutes else []
    if rest or not minutes:
        parts.append(counted(rest, "second"))
    return " ".join(parts)


class CallHeader(QWidget):
    """Who, their company, number and local time; the timer; and the call's keys as buttons."""

    def __init__(
        self,
        bridge: DeskBridge,
        clock: CallClock,
        buttons: tuple[QPushButton, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._clock = clock
        self._detail: ProspectDetail | None = None
        self._profile: ProfileRecord | None = None
        self._in_call = False
        self._started_at: float | None = None
        """None between calls."""
        self._ended_at: float | None = None
        """Set from the hang-up (F6) until the outcome is logged or the rep goes back."""
        self._minutes: int | None = None

        self._who = QLabel()
        self._who.setObjectName("callProspect")
        self._who.setTextFormat(Qt.TextFormat.PlainText)  # the name and company as typed
        self._who.setFont(scaled_font(self._who, 1.15))
        self._who.setWordWrap(True)

        self._timer = QLabel(clock_text(0))
        self._timer.setObjectName("callTimer")
        self._timer.setAccessibleName("Call time")
        self._timer.setFont(scaled_font(self._timer, 1.8))
        self._timer.setMargin(4)
        self._warning = flag_label("timerWarning")
        self._warning.setFont(scaled_font(self._warning, 1.05))

        timer_row = QHBoxLayout()
        timer_row.addWidget(self._timer)
        timer_row.addStretch(1)
        for button in buttons:
            # As wide as their words: the room is the warning's.
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            timer_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._who)
        layout.addLayout(timer_row)
        # On a line of its own: beside a large timer and the buttons, a big font
        # would squeeze it into a column one word wide.
        layout.addWidget(self._warning)

        clock.ticked.connect(self._on_tick)

    # -- what the call panel calls ----------------------------------------------

    def show_prospect(
        self, detail: ProspectDetail | None, profile: ProfileRecord, in_call: bool
    ) -> None:
        self._detail = detail
        self._profile = profile
        self._in_call = in_call
        self._show_who()
        self._show_time()

    def start_timing(self) -> None:
        """F5: the timer starts from zero."""
        self._started_at = self._clock.now()
        self._ended_at = None
        self._clock.start()
        self._show_time()

    def stop_timing(self) -> None:
        """F6: the timer stops where the call ended, and says so."""
        self._ended_at = self._clock.now()
        self._clock.stop()
        self._show_time()

    def resume_timing(self) -> None:
        """Back to the call after F6: the time since the hang-up counts as call time."""
        self._ended_at = None
        self._clock.start()
        self._show_time()

    def reset_timing(self) -> None:
        """The call is logged or discarded: back to 00:00, waiting for the next F5."""
        self._clock.stop()
        self._started_at = None
        self._ended_at = None
        self._minutes = None
        self._show_time()

    def set_minutes(self, minutes: int | None) -> None:
        """The minutes the prospect says they have (None: not known yet)."""
        if minutes != self._minutes:
            self._minutes = minutes
            self._show_time()

    def hung_up(self) -> bool:
        """True between F6 and the logged outcome (or the way back to the call)."""
        return self._ended_at is not None

    # -- showing ------------------------------------------------------------------

    def _on_tick(self) -> None:
        self._show_who()  # their clock moves on during a long call
        self._show_time()

    def _show_who(self) -> None:
        """Who, their company and number, and the time at their desk (is it still a good time?)."""
        detail, profile = self._detail, self._profile
        if detail is None or profile is None:
            self._who.setText("No prospect open")
            return
        prospect = detail.prospect
        facts = [prospect.full_name, prospect.company, prospect.phone_display]
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
        self._who.setText(f"{'On the call with' if self._in_call else 'Call'} {who}")

    def _elapsed_seconds(self) -> int:
        if self._started_at is None:
            return 0
        until = self._ended_at if self._ended_at is not None else self._clock.now()
        return max(0, int(until - self._started_at))

    def _show_time(self) -> None:
        seconds = self._elapsed_seconds()
        minutes = self._minutes
        text = clock_text(seconds)
        if minutes is not None:
            text += f" of {clock_text(minutes * 60)}"
        self._timer.setText(text)
        spoken = spoken_time(seconds)
        if minutes is not None:
            spoken += f" of {counted(minutes, 'minute')}"
        state = timer_state(timedelta(seconds=seconds), minutes)
        warning = ""
        hue: int | None = None
        shown_state = state.value
        if self._ended_at is not None:
            # Hung up: the time left no longer matters, and "wrap up" would be stale.
            warning = f"Call ended after {spoken_time(seconds)}: pick how it ended."
            shown_state = ENDED_STATE
        elif state is TimerState.WARNING and minutes is not None:
            # Minutes and seconds: "2 minutes left" read at 1:15 left misleads.
            left = minutes * 60 - seconds
            warning = f"{left // 60}:{left % 60:02d} left: wrap up or book the rest"
            hue = WARNING_HUE
        elif state is TimerState.OVER:
            warning = f"Over time: they said {minutes} min. Wrap up or book the rest."
            hue = DANGER_HUE
        if self._timer.property("timerState") != shown_state:
            # Repaint the background only when the state changes, not every second.
            self._timer.setProperty("timerState", shown_state)
            tint(self._timer, hue)
            tint(self._warning, hue)
        self._warning.setText(warning)
        self._warning.setVisible(bool(warning))
        # What the eye reads as "03:20 of 05:00", in words, with the warning if any.
        self._timer.setAccessibleDescription(f"{spoken}. {warning}" if warning else spoken)
