"""Cadence enrollment: the open prospect's cadence on the card, and several at once in the list.

:class:`EnrollmentBox` sits on the prospect card. It says which cadence the
prospect is in and where (step n of m, paused, or ended and why), what the
next step is (the action, the due time in their time and the rep's, whether
to leave a message, the script), and enrolls, pauses, resumes or removes
them. A prospect is in one cadence at a time: enrolling someone already in
another moves them, and the box says so before the rep presses Enter. When a
persistence cadence ends with nobody answering, its last words ("find
another contact at the same company") are shown prominently.

:class:`~ui.widgets.cadence_selection.SelectionCadenceActions` gives a list
view the same actions for every selected row.

The same keys serve both: in the prospect list they act on the selected
rows (their actions are bound to the list view alone), everywhere else on
the open prospect.
"""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callassist.cadence import Cadence, CadenceError, StepAction
from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.errors import NotFoundError
from callassist.localtime import clock_text, day_and_time
from callassist.phones import zone
from callassist.records import EnrollmentRecord, ProfileRecord, ProspectRecord
from callassist.vocabulary import ENROLL_WARNING
from ui.background import NewestOnly, Outcome
from ui.bridge import DeskBridge
from ui.widgets.cadence_keys import (
    ENROLL_KEY,
    PAUSE_KEY,
    REMOVE_KEY,
    RESUME_KEY,
    cadence_action,
)
from ui.widgets.cadence_selection import SelectionCadenceActions

# The list's cadence actions lived here before: their old import path still works.
__all__ = [
    "CADENCE_CHOOSER_KEYS",
    "ENROLL_KEY",
    "EnrollmentBox",
    "SelectionCadenceActions",
    "key_text",
    "next_step_text",
]

ENDED_WORDS = {
    "replied": "ended: they replied",
    "stopped": "ended: stopped (not interested, wrong person or bad number)",
    "moved_on": "ended: moved on, no reply to any step",
}
NOT_ENROLLED = "Not in a cadence."


def key_text(key: str) -> str:
    """A shortcut as this platform's menus show it ("Ctrl+E", or "⌘E" on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


CADENCE_CHOOSER_KEYS: tuple[tuple[str, str], ...] = (
    ("Up, Down", f"Choose a cadence (after {key_text(ENROLL_KEY)})"),
    ("Enter", "Enroll the open prospect in it, now"),
)
"""(keys, what they do) for F1: the list of cadences on the card (Enter is
``EnrollmentBox.eventFilter``'s)."""


def next_step_text(
    enrollment: EnrollmentRecord, prospect: ProspectRecord, profile: ProfileRecord, title: str
) -> str:
    """ "Next: call, leave a message (First voicemail) · due Thu Mar 12, 10:30 AM their time..."."""
    action = enrollment.next_action
    if action is None or enrollment.next_due_at is None:
        return ""
    if action == StepAction.CALL:
        what = "call, leave a message" if enrollment.leave_message else "call, no message"
    elif action == StepAction.EMAIL:
        what = "email"
    else:
        what = "move on to someone else if they have not replied by then"
    if enrollment.next_script:
        what += f" (script: {title})"
    due = enrollment.next_due_at
    theirs = day_and_time(due, prospect.timezone or profile.timezone)
    rep_local = due.astimezone(zone(profile.timezone))
    mine = clock_text(rep_local)
    if rep_local.date() != due.astimezone(zone(prospect.timezone or profile.timezone)).date():
        mine = f"{rep_local:%a} {mine}"
    where = "their time" if prospect.timezone else "your time (no time zone on file for them)"
    when = f"due {theirs} {where}"
    if prospect.timezone and prospect.timezone != profile.timezone:
        when += f", {mine} yours"
    attempt = f" · attempt {enrollment.attempt}" if enrollment.attempt is not None else ""
    return f"Next: {what} · {when}{attempt}"


EnrollmentRead = tuple[EnrollmentRecord | None, str, str]
"""A prospect's enrollment (None: in no cadence, or deleted), the problem of a
cadence file that is missing or broken ("" when none), and what the box says of its
next step."""

BoxRead = tuple[EnrollmentRead, list[Cadence]]
"""What the box reads on a worker after a change: the enrollment and the cadences to
choose from (their files are read again: the rep may have edited one meanwhile)."""


class EnrollmentBox(QGroupBox):
    """The open prospect's cadence, with enroll, pause, resume and remove."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(f"Cadence ({key_text(ENROLL_KEY)})", parent)
        self.setObjectName("enrollmentBox")
        self.setAccessibleName("Cadence")
        self._bridge = bridge
        self._prospect_id: int | None = None
        self._enrollment: EnrollmentRecord | None = None
        self._next_words = ""
        self._reads: NewestOnly[BoxRead] = NewestOnly(self, after_drawing=True)
        self._cadences: dict[str, Cadence] = {}
        self._asked_to_confirm: str | None = None
        """The cadence the rep was just asked about for someone who said no."""

        self._state = QLabel(self)
        self._state.setObjectName("enrollmentState")
        self._state.setWordWrap(True)
        font = self._state.font()
        font.setBold(True)
        self._state.setFont(font)
        self._next = QLabel(self)
        self._next.setObjectName("enrollmentNextStep")
        self._next.setWordWrap(True)
        self._prompt = QLabel(self)
        self._prompt.setObjectName("enrollmentPrompt")
        self._prompt.setAccessibleName("What to do next")
        self._prompt.setWordWrap(True)
        self._prompt.setAutoFillBackground(True)
        # The palette's own highlight: the one thing left to do for this prospect.
        self._prompt.setBackgroundRole(QPalette.ColorRole.Highlight)
        self._prompt.setForegroundRole(QPalette.ColorRole.HighlightedText)
        self._prompt.setMargin(8)
        prompt_font = self._prompt.font()
        prompt_font.setBold(True)
        prompt_font.setPointSizeF(prompt_font.pointSizeF() * 1.15)
        self._prompt.setFont(prompt_font)
        self._prompt.hide()

        self._choice = QComboBox(self)
        self._choice.setObjectName("cadenceChoice")
        self._choice.setAccessibleName("Cadence to enroll in")
        self._choice.setToolTip(
            f"Choose with the arrow keys, Enter enrolls ({key_text(ENROLL_KEY)})"
        )
        self._choice.installEventFilter(self)
        self._choice.currentIndexChanged.connect(self._show_move_note)
        self._move_note = QLabel(self)
        self._move_note.setObjectName("enrollmentMoveNote")
        self._move_note.setWordWrap(True)
        self._move_note.hide()
        for label in (self._state, self._next, self._prompt, self._move_note):
            # Cadence titles and prompts come from the rep's own files, times from
            # the prospect's zone: all shown as written, never read as markup.
            label.setTextFormat(Qt.TextFormat.PlainText)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.enroll_action = cadence_action(self, "&Enroll in a cadence…", ENROLL_KEY, context)
        self.enroll_action.setStatusTip("Pick a cadence on the card; Enter starts it now")
        self.enroll_action.triggered.connect(self.focus_choice)
        self.pause_action = cadence_action(self, "&Pause the cadence", PAUSE_KEY, context)
        self.pause_action.triggered.connect(self.pause)
        self.resume_action = cadence_action(self, "&Resume the cadence", RESUME_KEY, context)
        self.resume_action.triggered.connect(self.resume)
        self.remove_action = cadence_action(self, "Remo&ve from the cadence", REMOVE_KEY, context)
        self.remove_action.triggered.connect(self.remove)

        self._enroll_button = QPushButton("Enroll", self)
        self._enroll_button.setObjectName("enrollButton")
        self._enroll_button.setToolTip(
            "Start the chosen cadence now (Enter in the list of cadences)"
        )
        self._enroll_button.clicked.connect(self.enroll)
        self._pause_button = QPushButton("Pause", self)
        self._pause_button.setObjectName("pauseCadenceButton")
        self._pause_button.setToolTip(f"Nothing is due while paused ({key_text(PAUSE_KEY)})")
        self._pause_button.clicked.connect(self.pause)
        self._resume_button = QPushButton("Resume", self)
        self._resume_button.setObjectName("resumeCadenceButton")
        self._resume_button.setToolTip(f"Go on from the step it was at ({key_text(RESUME_KEY)})")
        self._resume_button.clicked.connect(self.resume)
        self._remove_button = QPushButton("Remove", self)
        self._remove_button.setObjectName("removeCadenceButton")
        self._remove_button.setToolTip(
            f"Out of the cadence; the history stays ({key_text(REMOVE_KEY)})"
        )
        self._remove_button.clicked.connect(self.remove)
        choose = QHBoxLayout()
        choose.addWidget(self._choice, 1)
        choose.addWidget(self._enroll_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self._pause_button)
        buttons.addWidget(self._resume_button)
        buttons.addWidget(self._remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._state)
        layout.addWidget(self._next)
        layout.addWidget(self._prompt)
        layout.addLayout(choose)
        layout.addWidget(self._move_note)
        layout.addLayout(buttons)

        bridge.changed.connect(self._follow_change)
        self._show()

    # -- what the card calls ---------------------------------------------------

    def set_prospect(self, prospect_id: int | None) -> None:
        """Show this prospect's cadence (None: nobody open, every action off)."""
        self._prospect_id = prospect_id
        self._reload(choose_theirs=True)

    def menu_actions(self) -> list[QAction]:
        return [self.enroll_action, self.pause_action, self.resume_action, self.remove_action]

    def focus_choice(self) -> None:
        """Put the cursor in the list of cadences: arrows choose, Enter enrolls."""
        self._choice.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def enroll(self) -> EnrollmentRecord | None:
        """Start the chosen cadence for the open prospect now (moving them from any other).

        Someone who said no or was a bad contact is asked about first: the
        question shows in the box, a second Enter enrolls, Escape keeps them out.
        """
        prospect_id = self._prospect_id
        name = self._choice.currentData()
        if prospect_id is None or not isinstance(name, str):
            return None
        desk = self._bridge.desk
        prospect = self._bridge.attempt(lambda: desk.prospect(prospect_id))
        if prospect is None:
            return None
        warning = ENROLL_WARNING.get(prospect.status)
        confirmed = warning is not None and self._asked_to_confirm == name
        if warning is not None and not confirmed:
            self._asked_to_confirm = name
            self._move_note.setText(
                f"{prospect.full_name} {warning}. Enroll them in "
                f"{self._choice.currentText()} anyway? Enter: yes, Escape: no."
            )
            self._move_note.show()
            return None
        return self._bridge.attempt(lambda: desk.enroll(prospect_id, name, confirmed=confirmed))

    def pause(self) -> EnrollmentRecord | None:
        prospect_id = self._prospect_id
        if prospect_id is None or not self.pause_action.isEnabled():
            return None
        return self._bridge.attempt(lambda: self._bridge.desk.pause_cadence(prospect_id))

    def resume(self) -> EnrollmentRecord | None:
        prospect_id = self._prospect_id
        if prospect_id is None or not self.resume_action.isEnabled():
            return None
        return self._bridge.attempt(lambda: self._bridge.desk.resume_cadence(prospect_id))

    def remove(self) -> None:
        prospect_id = self._prospect_id
        if prospect_id is None or not self.remove_action.isEnabled():
            return
        self._bridge.attempt(lambda: self._bridge.desk.remove_from_cadence(prospect_id))

    # -- keys -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A closed combo box ignores Enter; here Enter means "enroll in this one".
        if (
            watched is self._choice
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enroll()
                return True
            if event.key() == Qt.Key.Key_Escape and self._asked_to_confirm is not None:
                self._show_move_note()  # "no": the question goes, nothing is enrolled
                return True
        return False

    # -- inside -------------------------------------------------------------------

    def _follow_change(self, changes: Changes) -> None:
        prospect_id = self._prospect_id
        if prospect_id is None:
            return
        if not changes.profile and (
            not (changes.cadences or changes.follow_ups or changes.attempts or changes.prospects)
            or not changes.touches(prospect_id)
        ):
            return
        # Read on a worker: the change came from the rep's own key (F5, a logged
        # call) and the box shows the last read until this one arrives.
        desk = self._bridge.desk

        def arrived(outcome: Outcome[BoxRead]) -> None:
            if prospect_id == self._prospect_id:
                read, cadences = self._bridge.attempt(outcome.get) or (None, None)
                self._apply(read, cadences)

        self._reads.run(lambda: (_read_enrollment(desk, prospect_id), desk.cadences()[0]), arrived)

    def _reload(self, *, choose_theirs: bool = False) -> None:
        """Read the cadences and the prospect's enrollment again, here and now."""
        prospect_id = self._prospect_id
        desk = self._bridge.desk
        read = (
            None
            if prospect_id is None
            else self._bridge.attempt(lambda: _read_enrollment(desk, prospect_id))
        )
        found = self._bridge.attempt(desk.cadences)
        self._reads.drop_pending()  # a read still on a worker is older than this one
        self._apply(read, found[0] if found else None, choose_theirs=choose_theirs)

    def _apply(
        self,
        read: EnrollmentRead | None,
        cadences: list[Cadence] | None,
        *,
        choose_theirs: bool = False,
    ) -> None:
        """Show the cadences (None: they could not be read) and the prospect's enrollment
        as read.

        The list of cadences starts on theirs when a prospect opens
        (``choose_theirs``) or their cadence changed; otherwise it keeps what
        the rep chose.
        """
        before = self._enrollment.cadence if self._enrollment is not None else None
        self._cadences = {cadence.name: cadence for cadence in cadences or []}
        self._fill_choice()
        self._enrollment, problem, self._next_words = read if read is not None else (None, "", "")
        if self._enrollment is not None and (choose_theirs or self._enrollment.cadence != before):
            index = self._choice.findData(self._enrollment.cadence)
            if index >= 0:
                self._choice.setCurrentIndex(index)
        self._show(problem)

    def _fill_choice(self) -> None:
        chosen = self._choice.currentData()
        self._choice.blockSignals(True)
        self._choice.clear()
        for cadence in self._cadences.values():
            self._choice.addItem(cadence.title, cadence.name)
            self._choice.setItemData(
                self._choice.count() - 1, cadence.description, Qt.ItemDataRole.ToolTipRole
            )
        self._choice.blockSignals(False)
        index = self._choice.findData(chosen)
        if index >= 0:
            self._choice.setCurrentIndex(index)

    def _show(self, problem: str = "") -> None:
        enrollment = self._enrollment
        have_prospect = self._prospect_id is not None
        running = enrollment is not None and enrollment.ended_at is None
        self.enroll_action.setEnabled(have_prospect and self._choice.count() > 0)
        self.pause_action.setEnabled(running and enrollment is not None and not enrollment.paused)
        self.resume_action.setEnabled(running and enrollment is not None and enrollment.paused)
        self.remove_action.setEnabled(enrollment is not None)
        self._choice.setEnabled(self.enroll_action.isEnabled())
        self._enroll_button.setEnabled(self.enroll_action.isEnabled())
        self._pause_button.setEnabled(self.pause_action.isEnabled())
        self._resume_button.setEnabled(self.resume_action.isEnabled())
        self._remove_button.setEnabled(self.remove_action.isEnabled())

        prompt = ""
        if enrollment is None:
            self._state.setText(problem or NOT_ENROLLED)
            self._next.setText("Choose a cadence and press Enter to start it now.")
        else:
            where = ENDED_WORDS.get(enrollment.state, enrollment.state.replace("_", " "))
            if enrollment.ended_at is None and enrollment.step is not None:
                where = f"step {enrollment.step} of {enrollment.steps}"
                if enrollment.paused:
                    where = f"paused at {where}"
            self._state.setText(f"{enrollment.cadence_title} · {where}")
            self._next.setText(self._next_words)
            prompt = enrollment.prompt
        self._prompt.setText(prompt)
        self._prompt.setVisible(bool(prompt))
        self._show_move_note()

    def _show_move_note(self) -> None:
        """Word the enroll button for what it will do, and warn before a switch."""
        # Another cadence chosen, another prospect, or a change: ask afresh.
        self._asked_to_confirm = None
        enrollment = self._enrollment
        chosen = self._choice.currentData()
        button, note = "Enroll", ""
        if enrollment is not None and enrollment.ended_at is None and isinstance(chosen, str):
            if chosen == enrollment.cadence:
                button = "Restart"
            else:
                button = "Switch"
                note = (
                    f"One cadence at a time: switching ends {enrollment.cadence_title} "
                    f"and starts {self._choice.currentText()} from step 1."
                )
        self._enroll_button.setText(button)
        self._move_note.setText(note)
        self._move_note.setVisible(bool(note))


def _read_enrollment(desk: CallDesk, prospect_id: int) -> EnrollmentRead:
    """The prospect's enrollment as the box shows it: reads only, so on a worker too."""
    try:
        enrollment = desk.enrollment(prospect_id)
        next_words = _next_words(desk, prospect_id, enrollment) if enrollment else ""
    except NotFoundError:
        return None, "", ""  # deleted meanwhile: the card lets go of them
    except CadenceError as error:
        # Their cadence file is missing or broken: say so here, not as a crash.
        return None, str(error), ""
    return enrollment, "", next_words


def _next_words(desk: CallDesk, prospect_id: int, enrollment: EnrollmentRecord) -> str:
    """What the box says under the cadence: when it ended, or what comes next and when."""
    if enrollment.ended_at is not None:
        return f"Ended {day_and_time(enrollment.ended_at, desk.profile().timezone)}."
    if enrollment.paused:
        return f"Paused: nothing is due until you resume ({key_text(RESUME_KEY)})."
    title = enrollment.next_script or ""
    if enrollment.next_script:
        title = next(
            (s.title for s in desk.list_scripts() if s.name == enrollment.next_script),
            enrollment.next_script,
        )
    return next_step_text(enrollment, desk.prospect(prospect_id), desk.profile(), title)
