"""The outcome bar: how the call ended, one number key each, a note, Enter logs it.

It appears when the rep ends a call. Number keys 1 to 7 pick the outcome
and put the cursor in the note (where digits type as digits again); Enter
logs the attempt with the script the rep used; Esc goes back to the call,
which is still open until an outcome is logged.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callassist.records import AttemptRecord
from callassist.vocabulary import Channel, Outcome
from ui.autosave import AutoSaver
from ui.bridge import DeskBridge

T = TypeVar("T")

CALL_OUTCOMES: tuple[Outcome, ...] = tuple(
    outcome for outcome in Outcome if outcome.channel is Channel.CALL
)
"""The outcomes a call can have, in key order (1 = connected ... 7 = bad number)."""

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.CONNECTED: "Connected",
    Outcome.VOICEMAIL_LEFT: "Voicemail left",
    Outcome.NO_ANSWER: "No answer",
    Outcome.EMAIL_SENT: "Email sent",
    Outcome.RESCHEDULED: "Rescheduled",
    Outcome.NOT_INTERESTED: "Not interested",
    Outcome.WRONG_PERSON: "Wrong person",
    Outcome.BAD_NUMBER: "Bad number",
}

BUTTONS_PER_ROW = 4
CHOSEN_MARK = "✓ "
PICK_FIRST = "Pick how the call ended first: press a number from 1 to 7."


@dataclass(frozen=True, slots=True)
class UsedScript:
    """The script the rep last copied on this call, logged with the attempt."""

    name: str
    text: str


def attempt_reporting(bridge: DeskBridge, action: Callable[[], T]) -> tuple[T | None, str]:
    """Run ``action`` through the bridge; also return its problem in words ("" if none).

    The bridge still emits ``failed`` for the window; the caller shows the same
    words next to what the rep just did, where they are looking.
    """
    problems: list[str] = []

    def keep(message: str) -> None:
        problems.append(message)

    bridge.failed.connect(keep)
    try:
        result = bridge.attempt(action)
    finally:
        bridge.failed.disconnect(keep)
    return result, " ".join(problems)


@dataclass(frozen=True, slots=True)
class OutcomeKeys:
    """A button and a number key for each call outcome, laid out in a grid."""

    grid: QGridLayout
    buttons: dict[Outcome, QPushButton]
    actions: list[QAction]


def outcome_keys(
    owner: QWidget, pick: Callable[[Outcome], None], *, name_prefix: str, action_text: str
) -> OutcomeKeys:
    """Buttons "1  Connected" ... "7  Bad number" and their keys, added to ``owner``.

    The same numbers wherever a call's outcome is asked (the outcome bar, the
    day's review), so the rep's fingers already know them. A key works only
    while ``owner`` has the focus: digits typed elsewhere stay digits.
    """
    grid = QGridLayout()
    buttons: dict[Outcome, QPushButton] = {}
    actions: list[QAction] = []
    for number, outcome in enumerate(CALL_OUTCOMES, start=1):
        label = OUTCOME_LABELS[outcome]
        # No "&" mnemonic: Alt+digit belongs to the time check's quick minutes.
        button = QPushButton(f"{number}  {label}")
        button.setObjectName(f"{name_prefix}{outcome.value}")
        button.setAccessibleName(label)
        button.setToolTip(f"{label} (key {number})")
        button.clicked.connect(lambda _=False, chosen=outcome: pick(chosen))
        grid.addWidget(button, (number - 1) // BUTTONS_PER_ROW, (number - 1) % BUTTONS_PER_ROW)
        buttons[outcome] = button
        action = QAction(f"{action_text}{label}", owner)
        action.setShortcut(QKeySequence(str(number)))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False, chosen=outcome: pick(chosen))
        owner.addAction(action)
        actions.append(action)
    return OutcomeKeys(grid, buttons, actions)


class OutcomeBar(QWidget):
    """Asks how the call ended and logs the attempt."""

    logged = Signal(object)
    """The finished AttemptRecord."""
    back_requested = Signal()
    """The rep pressed Esc: the call goes on."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBar")
        self.setAccessibleName("outcomeBar")
        self._bridge = bridge
        self._attempt_id: int | None = None
        self._script: UsedScript | None = None

        prompt = QLabel(
            "How did the call end? Press its number, type a note, Enter logs it. "
            "Esc goes back to the call."
        )
        prompt.setWordWrap(True)

        keys = outcome_keys(self, self._pick, name_prefix="outcome_", action_text="Outcome: ")
        grid = keys.grid
        grid.setSpacing(6)
        self._buttons = keys.buttons
        self._choose_actions = keys.actions
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        for button in self._buttons.values():
            button.setCheckable(True)
            button.toggled.connect(lambda checked, shown=button: self._mark(shown, checked))
            self._group.addButton(button)

        self._note = QLineEdit()
        self._note.setObjectName("outcomeNote")
        self._note.setAccessibleName("Note for this call")
        self._note.setPlaceholderText("Note (optional): what was said, what to do next")
        # The note is saved as it is typed, so a crash before logging keeps it.
        self._autosaver = AutoSaver(self)
        self._autosaver.watch(self._note, self._save_note)
        # A line edit keeps Return for itself, so the bar's Return shortcut never
        # sees it while the rep is in the note; log from the note directly.
        self._note.returnPressed.connect(self.log)
        note_label = QLabel("Note:")
        note_label.setBuddy(self._note)

        self._script_label = QLabel()
        self._script_label.setObjectName("outcomeScript")
        self._script_label.setWordWrap(True)

        self.log_action = QAction("Log the call with this outcome", self)
        self.log_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.log_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.log_action.triggered.connect(self.log)
        self.addAction(self.log_action)

        self.back_action = QAction("Back to the call (the call is not logged)", self)
        self.back_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.back_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.back_action.triggered.connect(self.back)
        self.addAction(self.back_action)

        log_button = QPushButton("Log call (Enter)")
        log_button.setObjectName("logCallButton")
        log_button.clicked.connect(self.log)
        back_button = QPushButton("Back to call (Esc)")
        back_button.clicked.connect(self.back)

        self._message = QLabel()
        self._message.setObjectName("outcomeMessage")
        self._message.setWordWrap(True)
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message.hide()

        note_row = QHBoxLayout()
        note_row.addWidget(note_label)
        note_row.addWidget(self._note, 1)
        button_row = QHBoxLayout()
        button_row.addWidget(self._script_label, 1)
        button_row.addWidget(back_button)
        button_row.addWidget(log_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(prompt)
        layout.addLayout(grid)
        layout.addLayout(note_row)
        layout.addLayout(button_row)
        layout.addWidget(self._message)

        self._set_active(False)

    # -- what the call panel calls --------------------------------------------

    def begin(
        self,
        attempt_id: int,
        *,
        script: UsedScript | None = None,
        suggested: Outcome | None = None,
    ) -> None:
        """Ask for the outcome of ``attempt_id``; ``suggested`` starts selected."""
        self._attempt_id = attempt_id
        self.set_script(script)
        self._note.clear()
        self._autosaver.loaded(self._note)
        self._message.hide()
        self._group.setExclusive(False)
        for button in self._buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)
        if suggested is not None and suggested in self._buttons:
            self._buttons[suggested].setChecked(True)
        self._set_active(True)
        focus = self._buttons[suggested] if suggested in self._buttons else self._first_button()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_note(self, text: str) -> None:
        attempt_id = self._attempt_id
        if attempt_id is not None:
            self._bridge.attempt(lambda: self._bridge.desk.update_attempt_notes(attempt_id, text))

    def set_script(self, script: UsedScript | None) -> None:
        """The script to log with the attempt (the rep may copy one after ending the call)."""
        self._script = script
        self._script_label.setText(
            f"Logged with the script you used: {script.name}"
            if script
            else "No script noted for this call."
        )

    def end(self) -> None:
        """Put the bar away (the call was logged, or the rep went back to it)."""
        self._attempt_id = None
        self._set_active(False)

    def is_active(self) -> bool:
        return self._attempt_id is not None

    def chosen(self) -> Outcome | None:
        """The outcome currently selected, if any."""
        return next(
            (outcome for outcome, button in self._buttons.items() if button.isChecked()), None
        )

    def note(self) -> str:
        return self._note.text()

    def menu_actions(self) -> list[QAction]:
        return [*self._choose_actions, self.log_action, self.back_action]

    # -- the rep's keys -------------------------------------------------------

    def log(self) -> AttemptRecord | None:
        """Log the attempt with the chosen outcome, the note and the script used."""
        attempt_id = self._attempt_id
        if attempt_id is None:
            return None
        outcome = self.chosen()
        if outcome is None:
            self._show_message(PICK_FIRST)
            self._first_button().setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        script = self._script
        record, problem = attempt_reporting(
            self._bridge,
            lambda: self._bridge.desk.finish_attempt(
                attempt_id,
                outcome,
                notes=self._note.text(),
                script_name=script.name if script else None,
                rendered_text=script.text if script else None,
            ),
        )
        if record is None:
            self._show_message(f"Not logged: {problem}")
            return None
        self.end()
        self.logged.emit(record)
        return record

    def back(self) -> None:
        if self._attempt_id is None:
            return
        self.end()
        self.back_requested.emit()

    # -- inside -----------------------------------------------------------------

    def _pick(self, outcome: Outcome) -> None:
        if self._attempt_id is None:
            return
        self._buttons[outcome].setChecked(True)
        self._message.hide()
        # The note comes next; digits typed there are words, not outcomes.
        self._note.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _mark(button: QPushButton, checked: bool) -> None:
        # The chosen outcome says so in words and weight, not only by a pressed look.
        text = button.text().removeprefix(CHOSEN_MARK)
        button.setText(CHOSEN_MARK + text if checked else text)
        font = button.font()
        font.setBold(checked)
        button.setFont(font)

    def _first_button(self) -> QPushButton:
        return self._buttons[CALL_OUTCOMES[0]]

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()

    def _set_active(self, active: bool) -> None:
        for action in self.menu_actions():
            action.setEnabled(active)
        self.setVisible(active)
