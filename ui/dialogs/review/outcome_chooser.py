"""The day review's outcome chooser: one number key logs a call left without an outcome."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from callassist.review import MissingOutcome
from callassist.vocabulary import Outcome
from ui.widgets.outcome_bar import BUTTONS_PER_ROW, CALL_OUTCOMES, outcome_keys


class OutcomeChooser(QWidget):
    """Asks the outcome of one call left open; one number key logs it, Esc backs out."""

    chosen = Signal(int, object)
    """(attempt id, Outcome) the rep picked."""
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewOutcomeChooser")
        self.setAccessibleName("Outcome for the open call")
        self._attempt_id: int | None = None
        self._prompt = QLabel()
        self._prompt.setObjectName("reviewOutcomePrompt")
        self._prompt.setTextFormat(Qt.TextFormat.PlainText)  # it names the prospect
        self._prompt.setWordWrap(True)
        self._problem = QLabel()
        self._problem.setObjectName("reviewOutcomeProblem")
        self._problem.setTextFormat(Qt.TextFormat.PlainText)
        self._problem.setWordWrap(True)
        self._problem.hide()

        keys = outcome_keys(
            self, self._choose, name_prefix="fixOutcome_", action_text="Log the open call as: "
        )
        grid = keys.grid
        grid.setSpacing(4)
        self._buttons = keys.buttons
        self._actions = keys.actions
        for button in self._buttons.values():
            button.setAutoDefault(False)  # Enter belongs to the list of calls to fix
        cancel = QPushButton("Esc  Not now")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.cancel)
        grid.addWidget(cancel, 1, BUTTONS_PER_ROW - 1)
        self.cancel_action = QAction("Leave the call without an outcome for now", self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        # Esc backs out of the chooser first; only a second Esc closes the review.
        self.cancel_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_action.triggered.connect(self.cancel)
        self.addAction(self.cancel_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self._prompt)
        layout.addLayout(grid)
        layout.addWidget(self._problem)
        self.end()

    def begin(self, item: MissingOutcome, description: str) -> None:
        """Ask the outcome of ``item`` (``description`` names it for the rep)."""
        self._attempt_id = item.attempt_id
        self._prompt.setText(f"How did {description} end? Press its number.")
        self._problem.hide()
        for action in self.menu_actions():
            action.setEnabled(True)
        self.show()
        self._buttons[CALL_OUTCOMES[0]].setFocus(Qt.FocusReason.OtherFocusReason)

    def end(self) -> None:
        self._attempt_id = None
        for action in self.menu_actions():
            action.setEnabled(False)
        self.hide()

    def attempt_id(self) -> int | None:
        """The call being fixed, or None when the chooser is away."""
        return self._attempt_id

    def show_problem(self, text: str) -> None:
        self._problem.setText(text)
        self._problem.show()

    def cancel(self) -> None:
        if self._attempt_id is None:
            return
        self.end()
        self.cancelled.emit()

    def menu_actions(self) -> list[QAction]:
        return [*self._actions, self.cancel_action]

    def _choose(self, outcome: Outcome) -> None:
        if self._attempt_id is not None:
            self.chosen.emit(self._attempt_id, outcome)
