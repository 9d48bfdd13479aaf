"""Give the open prospect to another rep: the team in a list, the owner now selected.

The arrows move to a rep and Enter gives them the prospect; Esc leaves the
owner as they are. The prospect leaves one rep's queue for the other's.
"""

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from callassist.records import ProspectRecord, RepRecord
from ui.bridge import DeskBridge, attempt_reporting
from ui.dialogs.rep_chooser import RepList

ASSIGN_KEY = "Ctrl+Shift+A"


class AssignOwnerDialog(QDialog):
    """Pick the rep whose prospect this is from now on."""

    assigned = Signal(object, object)
    """The prospect was given away: the owner before and the owner now (RepRecords)."""

    def __init__(
        self,
        bridge: DeskBridge,
        prospect: ProspectRecord,
        reps: Sequence[RepRecord],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignOwner")
        self._bridge = bridge
        self._prospect = prospect
        owner = next((rep for rep in reps if rep.id == prospect.owner_id), None)
        self.setWindowTitle(f"Give {prospect.full_name} to another rep")
        heading = QLabel(
            f"{prospect.full_name} is {owner.called}'s prospect. Who takes them?"
            if owner is not None
            else f"Who takes {prospect.full_name}?",
            self,
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.reps = RepList(reps, self)
        self.reps.setAccessibleName("Reps")
        self.reps.select(owner.email if owner is not None else None)
        self.problem = QLabel(self)
        self.problem.setObjectName("assignProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(self)
        give = buttons.addButton("&Give them", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter in the list reaches the dialog, which presses its default button.
        give.setDefault(True)
        give.clicked.connect(self.assign)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.reps)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.reps.setFocus()

    def assign(self) -> None:
        """Give the prospect to the rep selected; a refusal stays in the dialog, in words."""
        email = self.reps.chosen_email()
        if email is None:
            self._say("Pick a rep with an email: the desk knows each rep by theirs.")
            return
        prospect_id = self._prospect.id
        desk = self._bridge.desk
        owners, problem = attempt_reporting(
            self._bridge, lambda: desk.assign_prospect(prospect_id, email)
        )
        if owners is None:
            self._say(f"Not given: {problem}")
            return
        self.accept()
        self.assigned.emit(*owners)

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.show()
