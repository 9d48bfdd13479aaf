"""The outcome bar: how the call ended, one number key each, a note, Enter logs it.

It appears when the rep ends a call. Number keys 1 to 7 pick the outcome
and put the cursor in the note; until the rep types in it, another number
changes the outcome (1 then 4 is "rescheduled"), after that digits are text.
Enter logs the attempt with the script shown beside the note, which depends
on the outcome: a voicemail is logged with the voicemail the rep copied, else
with their cadence step's voicemail, never with a call script; any other
outcome with the script the rep copied. Alt+W lets the rep pick another.
Esc goes back to the call, which is still open until an outcome is logged.

The log is written on a worker: it also moves the prospect's cadences and
follow-ups, tens of milliseconds at 20,000 enrolled, which the window would
otherwise stand still for. Meanwhile the bar's keys and its note wait.
"""

from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import KnownError
from callassist.records import AttemptRecord
from callassist.templates import ScriptInfo
from callassist.vocabulary import Outcome
from ui.autosave import AutoSaver, NotSaved
from ui.background import Outcome as Finished
from ui.background import run_in_worker
from ui.bridge import DeskBridge, attempt_reporting
from ui.dialogs.script_sending import text_to_send
from ui.widgets.outcome_keys import BUTTONS_PER_ROW, CALL_OUTCOMES, outcome_keys

# The outcome keys lived here before: their old import path still works.
__all__ = ["BUTTONS_PER_ROW", "CALL_OUTCOMES", "OutcomeBar", "UsedScript", "outcome_keys"]

T = TypeVar("T")

CHOSEN_MARK = "✓ "
PICK_FIRST = "Pick how the call ended first: press a number from 1 to 7."
SCRIPT_KEY = "Alt+W"
"""Puts the cursor in the script choice (Alt+S is the Scripts menu's)."""
NO_SCRIPT = "No script"
EXCERPT_CHARACTERS = 90


@dataclass(frozen=True, slots=True)
class UsedScript:
    """A script and its words for this prospect, as logged with an attempt."""

    name: str
    text: str


class OutcomeBar(QWidget):
    """Asks how the call ended and logs the attempt."""

    logged = Signal(object)
    """The finished AttemptRecord."""
    back_requested = Signal()
    """The rep pressed Esc: the call goes on."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBar")
        self.setAccessibleName("How the call ended")
        self._bridge = bridge
        self._attempt_id: int | None = None
        self._prospect_id: int | None = None
        self._logging = False
        """The log is being written on a worker."""
        # The call the note's text (and its undo history) belongs to.
        self._note_attempt_id: int | None = None
        self._copied: UsedScript | None = None
        self._scripts: dict[str, ScriptInfo] = {}
        self._step_voicemail: str | None = None
        self._step_problem = ""
        # Scripts rendered for this call's prospect, by name, or why one could not be.
        self._filled: dict[str, UsedScript | KnownError] = {}

        prompt = QLabel(
            "How did the call end? Press its number (another number changes it until you "
            "type in the note), type a note, Enter logs it. Esc goes back to the call."
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
        self._group.buttonToggled.connect(self._outcome_toggled)
        self._outcome_key_texts = {action.shortcut().toString() for action in self._choose_actions}

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
        self._note.installEventFilter(self)
        note_label = QLabel("Note:")
        note_label.setBuddy(self._note)

        self._script_choice = QComboBox()
        self._script_choice.setObjectName("outcomeScriptChoice")
        self._script_choice.setAccessibleName("Script logged with the outcome")
        self._script_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._script_choice.currentIndexChanged.connect(self._describe_choice)
        script_label = QLabel(f"Script ({SCRIPT_KEY}):")
        script_label.setBuddy(self._script_choice)
        self.script_action = QAction("Choose the script logged with the outcome", self)
        self.script_action.setShortcut(QKeySequence(SCRIPT_KEY))
        self.script_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.script_action.triggered.connect(
            lambda: self._script_choice.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )
        self.addAction(self.script_action)

        self._script_label = QLabel()
        self._script_label.setObjectName("outcomeScript")
        self._script_label.setWordWrap(True)
        self._script_label.setTextFormat(Qt.TextFormat.PlainText)

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
        script_row = QHBoxLayout()
        script_row.addWidget(script_label)
        script_row.addWidget(self._script_choice)
        script_row.addStretch(1)
        button_row = QHBoxLayout()
        button_row.addWidget(self._script_label, 1)
        button_row.addWidget(back_button)
        button_row.addWidget(log_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(prompt)
        layout.addLayout(grid)
        layout.addLayout(note_row)
        layout.addLayout(script_row)
        layout.addLayout(button_row)
        layout.addWidget(self._message)

        self._set_active(False)

    # -- what the call panel calls --------------------------------------------

    def begin(
        self,
        attempt_id: int,
        prospect_id: int,
        *,
        script: UsedScript | None = None,
        suggested: Outcome | None = None,
    ) -> None:
        """Ask for the outcome of call ``attempt_id`` with ``prospect_id``.

        ``script`` is the one the rep copied on this call, if any; ``suggested``
        starts selected.
        """
        if attempt_id != self._note_attempt_id:
            # setText, unlike clear(), also empties the undo history: Ctrl+Z in
            # this call's note must never bring back the last prospect's note.
            # Back from the call (Esc) and F6 again, the note typed so far stays.
            self._note.setText("")
            self._note_attempt_id = attempt_id
            self._autosaver.loaded(self._note)
        self._attempt_id = attempt_id
        self._prospect_id = prospect_id
        self._copied = script
        self._read_scripts(prospect_id)
        self._message.hide()
        self._group.setExclusive(False)
        for button in self._buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)
        if suggested is not None and suggested in self._buttons:
            self._buttons[suggested].setChecked(True)
        self._offer_scripts()
        self._set_active(True)
        focus = self._buttons[suggested] if suggested in self._buttons else self._first_button()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_note(self, text: str) -> NotSaved | None:
        attempt_id = self._attempt_id
        if attempt_id is None:
            return None
        _saved, problem = attempt_reporting(
            self._bridge, lambda: self._bridge.desk.update_attempt_notes(attempt_id, text)
        )
        return NotSaved(f"Call note: {problem}", retry=True) if problem else None

    def set_script(self, script: UsedScript | None) -> None:
        """The script the rep copied on this call (they may copy one after ending it)."""
        self._copied = script
        if self.is_active():
            self._offer_scripts()

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

    def script_to_log(self) -> UsedScript | None:
        """The script chosen to go with the outcome, in the words said to this prospect.

        The one the rep copied keeps the words copied; any other is rendered for
        the prospect as the script lookup renders it. None: no script, or the
        chosen one could not be filled in.
        """
        name = self._script_choice.currentData()
        if not isinstance(name, str):
            return None
        filled = self._fill(name)
        return filled if isinstance(filled, UsedScript) else None

    def menu_actions(self) -> list[QAction]:
        return [*self._choose_actions, self.script_action, self.log_action, self.back_action]

    # -- the rep's keys -------------------------------------------------------

    def log(self) -> None:
        """Log the attempt with the chosen outcome, the note and the script used.

        :attr:`logged` says when it is stored; a refusal is said on the bar.
        """
        attempt_id = self._attempt_id
        if attempt_id is None or self._logging:
            return
        outcome = self.chosen()
        if outcome is None:
            self._show_message(PICK_FIRST)
            self._first_button().setFocus(Qt.FocusReason.OtherFocusReason)
            return
        script = self.script_to_log()
        notes = self._note.text()
        # The note is stored first, as typing is: a refused log still keeps it. Its
        # save then never waits on the log's write lock.
        self._autosaver.flush()
        self._set_logging(True)
        desk = self._bridge.desk
        run_in_worker(
            lambda: desk.finish_attempt(
                attempt_id,
                outcome,
                notes=notes,
                script_name=script.name if script else None,
                rendered_text=script.text if script else None,
            ),
            self._log_finished,
            owner=self,
        )

    def _log_finished(self, finished: Finished[AttemptRecord]) -> None:
        self._set_logging(False)
        record, problem = attempt_reporting(self._bridge, finished.get)
        if record is None:
            self._show_message(f"Not logged: {problem}")
            return
        self.end()
        self.logged.emit(record)

    def logging(self) -> bool:
        """True while the log is being written (the call is neither open nor logged)."""
        return self._logging

    def back(self) -> None:
        if self._attempt_id is None or self._logging:
            return
        self.end()
        self.back_requested.emit()

    # -- inside -----------------------------------------------------------------

    def _pick(self, outcome: Outcome) -> None:
        if self._attempt_id is None or self._logging:
            return
        self._buttons[outcome].setChecked(True)
        self._message.hide()
        # The note comes next; once it has text, digits typed there are text too.
        self._note.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self._note
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and self._is_outcome_key(event)
            and not self._note.text()
        ):
            # A number before anything is typed in the note is the rep changing their
            # mind about the outcome, not the note's first character: left unaccepted,
            # the key goes to its outcome shortcut instead of into the line edit.
            return True
        return super().eventFilter(watched, event)

    def _is_outcome_key(self, event: QKeyEvent) -> bool:
        held = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        held |= Qt.KeyboardModifier.MetaModifier
        return event.text() in self._outcome_key_texts and not event.modifiers() & held

    def _outcome_toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked and self.is_active():
            self._offer_scripts()

    def _read_scripts(self, prospect_id: int) -> None:
        """The scripts there are, and the voicemail of the prospect's cadence step."""
        self._scripts = {info.name: info for info in self._bridge.desk.list_scripts()}
        self._filled = {}
        try:
            self._step_voicemail = self._bridge.desk.step_message_script(
                prospect_id, Outcome.VOICEMAIL_LEFT
            )
            self._step_problem = ""
        except KnownError as error:
            # Their cadence names a script that is gone or broken: said beside the
            # choice, where the rep picks another, rather than in a message box.
            self._step_voicemail = None
            self._step_problem = f"Their cadence step's voicemail cannot be used: {error}."

    def _offer_scripts(self) -> None:
        """List the scripts that fit the chosen outcome and select the one to log.

        A voicemail is logged with a voicemail: the one the rep copied, else their
        cadence step's. Any other outcome goes with the script the rep copied.
        """
        copied = self._copied
        voicemail = self.chosen() is Outcome.VOICEMAIL_LEFT
        if voicemail:
            names = self._voicemails()
            fitting = copied.name if copied and copied.name in names else self._step_voicemail
        else:
            names = [copied.name] if copied else []
            fitting = copied.name if copied else None
        choice = self._script_choice
        choice.blockSignals(True)
        choice.clear()
        choice.addItem(NO_SCRIPT, None)
        for name in names:
            tags = [
                tag
                for tag, fits in (
                    ("copied", copied is not None and name == copied.name),
                    ("their cadence step's", voicemail and name == self._step_voicemail),
                )
                if fits
            ]
            choice.addItem(self._title(name) + (f" ({', '.join(tags)})" if tags else ""), name)
        choice.setCurrentIndex(names.index(fitting) + 1 if fitting in names else 0)
        choice.blockSignals(False)
        self._describe_choice()

    def _describe_choice(self) -> None:
        """Say which script goes into the log, in which words and why, before Enter."""
        name = self._script_choice.currentData()
        copied = self._copied
        voicemail = self.chosen() is Outcome.VOICEMAIL_LEFT
        said: list[str] = []
        if not isinstance(name, str):
            said.append("Logged with no script.")
            if voicemail and self._step_voicemail is None:
                said.append(self._step_problem or "No cadence step of theirs names a voicemail.")
        else:
            filled = self._fill(name)
            if isinstance(filled, KnownError):
                said.append(
                    f"{self._title(name)} could not be filled in ({filled}), so the call is "
                    "logged with no script: fix it in the script editor, or pick another."
                )
            else:
                why = ""
                if copied is not None and name == copied.name:
                    why = ", the one you copied"
                elif voicemail and name == self._step_voicemail:
                    why = ", their cadence step's voicemail"
                words = " ".join(filled.text.split())
                if len(words) > EXCERPT_CHARACTERS:
                    words = words[:EXCERPT_CHARACTERS].rstrip() + "…"
                said.append(f"Logged with {self._title(name)}{why}: “{words}”")
        if voicemail and copied is not None and copied.name not in self._voicemails():
            said.append(
                f"What you copied, {self._title(copied.name)}, is not a voicemail, "
                "so it is not logged as one."
            )
        if self._script_choice.count() > 1:
            said.append(f"{SCRIPT_KEY} picks {'another' if isinstance(name, str) else 'one'}.")
        text = " ".join(said)
        self._script_label.setText(text)
        self._script_choice.setAccessibleDescription(text)

    def _fill(self, name: str) -> UsedScript | KnownError:
        """Script ``name`` in this prospect's words, or why it cannot be filled in."""
        copied = self._copied
        if copied is not None and name == copied.name:
            return copied
        if name not in self._filled:
            try:
                rendered = self._bridge.desk.render_script(name, self._prospect_id)
            except KnownError as error:
                self._filled[name] = error
            else:
                self._filled[name] = UsedScript(name, text_to_send(rendered))
        return self._filled[name]

    def _voicemails(self) -> list[str]:
        return [name for name, info in self._scripts.items() if info.channel == "voicemail"]

    def _title(self, name: str) -> str:
        info = self._scripts.get(name)
        return info.title if info is not None else name

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

    def _set_logging(self, logging: bool) -> None:
        """While the log is written, nothing on the bar can change what is logged."""
        self._logging = logging
        for action in self.menu_actions():
            action.setEnabled(not logging)
        self._note.setReadOnly(logging)
