"""The call panel: start a call, time it, check the time, reschedule, note pains, log it.

F5 opens an attempt and starts the timer and the time check; under the header
the panel says what to say now. The time check saves every change and shows
what to do; when the prospect has too little time it shows the reschedule
script and a slot picker in the prospect's zone, and Ctrl+B books the
follow-up and writes the calendar invite. F6 ends the call: unfinished pains
are listed (the rep may still go on) and the outcome bar logs the attempt
with the script used.

Each part has its own module: the header and its timer (call_header), what
to say (say_now), the time check (time_check) and its reschedule proposal
(reschedule); this one assembles them and runs the call from F5 to the log.
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.core import Rescheduled
from callassist.records import AttemptRecord, ProspectDetail
from callassist.vocabulary import Outcome
from callassist.wording import OUTCOME_WORDS, counted
from ui.background import NewestOnly
from ui.background import Outcome as Read
from ui.bridge import DeskBridge, attempt_reporting
from ui.tints import WARNING_HUE, follow_theme, tint
from ui.widgets.call_clock import CallClock
from ui.widgets.call_header import CallHeader
from ui.widgets.call_parts import flag_label, plain_label, window_action
from ui.widgets.outcome_bar import OutcomeBar, UsedScript
from ui.widgets.pain_pane import PainPane
from ui.widgets.pain_words import shortcut_text, unfinished_pains_text
from ui.widgets.say_now import SayNow
from ui.widgets.time_check import TimeCheckPanel

__all__ = ["CallPanel", "TimeCheckPanel", "unfinished_pains_text"]

OpenUrl = Callable[[QUrl], bool]

START_KEY = "F5"
END_KEY = "F6"
DISCARD_KEY = "Shift+F5"
RECENT_CALL = timedelta(minutes=5)
"""F5 this soon after logging a call to the same prospect asks first: most likely a slip."""

NO_PROSPECT_HINT = "Open a prospect to call them: the call panel works on the open prospect."
NO_RESEARCH = "No research on this prospect: a call without homework fails fast."


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
        clock: CallClock | None = None,
        open_url: OpenUrl = QDesktopServices.openUrl,
        invites_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callPanel")
        self.setAccessibleName("Call panel")
        self._bridge = bridge
        self._profile = bridge.desk.profile()
        self._prospect_id: int | None = None
        self._detail: ProspectDetail | None = None
        self._waiting_prospect: int | None = None
        self._waiting = False
        self._attempt_id: int | None = None
        self._script: UsedScript | None = None
        self._suggested: Outcome | None = None
        self._reads: NewestOnly[ProspectDetail] = NewestOnly(self, after_drawing=True)

        self._hint = QLabel(NO_PROSPECT_HINT)
        self._hint.setObjectName("callPanelHint")
        self._hint.setWordWrap(True)

        self.start_action = window_action(self, "Start call", START_KEY, self.start_call)
        self.end_action = window_action(
            self, "End call and log the outcome", END_KEY, self.end_call
        )
        self.discard_action = window_action(
            self, "Discard this call (started by mistake)", DISCARD_KEY, self.discard_call
        )
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

        self._header = CallHeader(
            bridge,
            clock if clock is not None else CallClock(self),
            (self._start_button, self._end_button, self._discard_button),
        )
        self._no_research = flag_label("noResearchFlag")
        self._no_research.setText(NO_RESEARCH)
        self._script_label = plain_label("scriptUsed")
        self._script_label.setWordWrap(True)
        self._script_label.hide()
        self._status = plain_label("callStatus")
        self._status.setWordWrap(True)
        self._status.hide()

        self._time_check = TimeCheckPanel(bridge, open_url=open_url, invites_folder=invites_folder)
        self._time_check.changed.connect(self._on_time_check_changed)
        self._time_check.booked.connect(self._on_booked)
        # The first words of the call, under the header: the rep reads them off
        # the screen instead of hunting for the opener behind Ctrl+K.
        self._say_now = SayNow(bridge, self._time_check.proposal_label())
        self._pain_pane = PainPane(bridge)
        self._unfinished = flag_label("unfinishedPains")
        self._outcome_bar = OutcomeBar(bridge)
        self._outcome_bar.logged.connect(self._on_logged)
        self._outcome_bar.back_requested.connect(self._on_back)

        decision = self._time_check.decision_label()
        decision.setAccessibleName("Time check says")

        # The time check's fields and the pains scroll; what the call needs at a
        # glance (who, the timer, what to say, what the time check says) stays above
        # them, and the outcome bar below, whatever the window's height.
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
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
        # What to say above grows and shrinks as the time check's answers come in, and
        # the suggestions under a pain grow with its words: the field the rep is typing
        # in must not slip out of sight.
        scroller.viewport().installEventFilter(self)
        middle.installEventFilter(self)

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self._header)
        body.addWidget(self._say_now)
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        resized = event.type() == QEvent.Type.Resize
        if resized and watched in (self._scroller.viewport(), self._scrolled):
            # Once the scroll range follows the new size.
            QTimer.singleShot(0, self, self._bring_focus_into_sight)
        return super().eventFilter(watched, event)

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
        self._reads.drop_pending()  # a read still on a worker is older than this one
        if prospect_id is not None:
            self._detail = self._bridge.attempt(lambda: self._bridge.prospect_detail(prospect_id))
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
        if self._reads.waiting:
            # A change (the call just logged) is still being read on a worker: the
            # check below needs its attempts now.
            detail = self._bridge.attempt(lambda: self._bridge.prospect_detail(prospect_id))
            if detail is None:
                return
            self._detail = detail
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
        self._suggested = None
        self._status.hide()
        tint(self._status, None)
        self._header.start_timing()
        self._pain_pane.start(detail.prospect.id, record.id)
        self._time_check.start(detail, record.id, self._profile)
        self._refresh()
        self.call_started.emit(record.id)
        self.in_call_changed.emit(True)

    def discard_call(self) -> None:
        """Shift+F5: take back a call started by mistake (nothing logged, no cadence moved)."""
        attempt_id = self._attempt_id
        if attempt_id is None or self._outcome_bar.logging():
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
        # As if F5 had never been pressed: the keys go back where they were. In this
        # window that may be the list, which comes back a moment later (Qt gives a
        # hidden widget the focus as it is shown); a closed dialog's field is let go.
        before = self._focus_before_call
        if (
            before is not None
            and shiboken6.isValid(before)
            and (before.isVisible() or before.window() is self.window())
        ):
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
        self._header.stop_timing()
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
        self._unfinished.hide()
        self._header.resume_timing()
        self._refresh()
        self._pain_pane.setFocus(Qt.FocusReason.OtherFocusReason)

    def _close_call(self) -> None:
        self._header.reset_timing()
        self._attempt_id = None
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
        if waiting:
            self.set_prospect(self._waiting_prospect)
        else:
            # The logged call's change is being read on a worker (see _on_changed):
            # meanwhile the panel shows the same prospect as read before.
            self._refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.profile:
            profile = self._bridge.attempt(self._bridge.desk.profile)
            if profile is not None:
                self._profile = profile
                self._time_check.set_call_types(profile.call_types)
        prospect_id = self._prospect_id
        if prospect_id is None or not (changes.prospects or changes.research):
            return
        if not changes.touches(prospect_id):
            return

        # Read on a worker: the change came from the rep's own key (F5, a logged call,
        # a saved note) and the panel shows the last read until this one arrives.
        def arrived(outcome: Read[ProspectDetail]) -> None:
            if prospect_id != self._prospect_id:
                return  # another prospect is open
            detail, gone = self._bridge.arrived_detail(outcome)
            if gone and not self.in_call():
                self.set_prospect(None)
            elif detail is not None:
                self._detail = detail
                self._refresh()

        self._bridge.read_detail_in_worker(prospect_id, arrived, self._reads)

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
        # Qt's default 50-pixel margin above and below is more than a short room
        # has: it would leave the field half out of sight.
        room = self._scroller.viewport().height() - widget.height()
        self._scroller.ensureWidgetVisible(widget, 0, max(0, min(50, room // 2)))

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
        self._header.show_prospect(detail, self._profile, in_call)
        self._show_say_now()
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

    def _on_time_check_changed(self) -> None:
        self._header.set_minutes(self._time_check.minutes_available())
        self._show_say_now()

    def _show_say_now(self) -> None:
        """What to say, from F5 until the hang-up: then there is nothing left to say."""
        detail = self._detail
        if detail is None or not self.in_call() or self._header.hung_up():
            self._say_now.clear()
            return
        self._say_now.show_for(
            detail.prospect.id,
            detail.research,
            self._time_check.call_type(),
            self._time_check.minutes_available(),
            self._time_check.proposal() is not None,
        )
