"""Who is at this computer, asked once when the database has several reps and none is chosen.

The rep picks themselves from the list (arrows, then Enter) or adds themselves
with a name and an email; the choice is remembered on this computer, so the
window and the command line act as that rep from then on.
"""

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callassist.core import CallDesk
from callassist.errors import KnownError
from callassist.records import RepRecord


class RepList(QListWidget):
    """The reps of the team, one a line, picked by their email.

    A rep without an email cannot be named to the desk (it takes an email):
    shown, but not selectable.
    """

    def __init__(self, reps: Sequence[RepRecord], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for rep in reps:
            item = QListWidgetItem(f"{rep.called} ({rep.email})" if rep.email else rep.called)
            item.setData(Qt.ItemDataRole.UserRole, rep.email)
            if not rep.email:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.addItem(item)

    def chosen_email(self) -> str | None:
        """The email of the rep selected; None when none that can be picked is."""
        item = self.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, email: str | None = None) -> None:
        """Put the cursor on the rep with ``email``, else on the first that can be picked."""
        rows = [
            row for row in range(self.count()) if self.item(row).flags() & Qt.ItemFlag.ItemIsEnabled
        ]
        wanted = [row for row in rows if self.item(row).data(Qt.ItemDataRole.UserRole) == email]
        if wanted or rows:
            self.setCurrentRow((wanted or rows)[0])


class RepChooser(QDialog):
    """Pick yourself from the team, or join it; accepted once the desk acts as you."""

    def __init__(self, desk: CallDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.setWindowTitle("callassist: who are you?")
        # A rep without an email cannot be told apart from a newcomer: not picked.
        self.reps = RepList(desk.reps())
        self.reps.itemActivated.connect(lambda _item: self.pick())
        self.pick_button = QPushButton("&This is me")
        self.pick_button.clicked.connect(self.pick)
        self.name = QLineEdit()
        self.email = QLineEdit(desk.asked_rep or "")
        self.add_button = QPushButton("&Add me")
        self.add_button.clicked.connect(self.add)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()

        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Email:", self.email)
        adding = QHBoxLayout()
        adding.addStretch()
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"Several reps use {desk.describe()}. Pick yourself, or add yourself below.")
        )
        layout.addWidget(self.reps)
        layout.addWidget(self.pick_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addLayout(form)
        layout.addLayout(adding)
        layout.addWidget(self.problem)
        self.reps.select()
        self.reps.setFocus()

    def pick(self) -> None:
        """Act as the rep selected in the list."""
        email = self.reps.chosen_email()
        if email is None:
            self._say("Pick yourself in the list, or add yourself below.")
            return
        self._act(lambda: self._desk.use_rep(email, remember=True))

    def add(self) -> None:
        """Join the team with the name and email typed."""
        self._act(
            lambda: self._desk.add_rep(
                name=self.name.text(), email=self.email.text(), remember=True
            )
        )

    def _act(self, choose: Callable[[], object]) -> None:
        try:
            choose()
        except KnownError as error:
            self._say(str(error))
            return
        self.accept()

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.show()
