"""A colleague saved a field first: their text beside the rep's, to keep one or merge.

Opened when a save is refused because the stored text changed since the rep
began typing. Their text is read-only; the rep's own is editable, so a merge is
written right there. Alt+M keeps the rep's, Alt+T takes theirs, Alt+S (or
Ctrl+Enter) saves the text as edited; Esc closes and leaves the rep's text
unsaved in the field.
"""

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import StaleEditError

EDIT_CONFLICT_KEYS: tuple[tuple[str, str], ...] = (
    ("Alt+M", "Keep your text, saved over theirs"),
    ("Alt+T", "Keep theirs; your text goes"),
    ("Alt+Y, Alt+F", "Go to your text (edit it into a merge), or to theirs"),
    ("Ctrl+Enter, Alt+S", "Save your text as you edited it"),
    ("Esc", "Decide later: yours stays in the field, unsaved"),
)
"""(keys, what they do) for F1."""


class Choice(Enum):
    MINE = "mine"
    THEIRS = "theirs"
    MERGED = "merged"


class EditConflictDialog(QDialog):
    """Theirs beside yours; :attr:`chosen` carries the choice and the text to keep."""

    chosen = Signal(Choice, str)

    def __init__(
        self,
        field: str,
        stale: StaleEditError,
        theirs: str,
        yours: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editConflict")
        self.setWindowTitle(f"{field}: saved by someone else first")
        self._yours_as_typed = yours
        said = QLabel(
            f"{stale}\nKeep yours, take theirs, or edit yours into one text and save that.",
            self,
        )
        said.setObjectName("conflictMessage")
        said.setTextFormat(Qt.TextFormat.PlainText)  # the texts quoted may hold anything
        said.setWordWrap(True)
        self.theirs = QPlainTextEdit(theirs, self)
        self.theirs.setObjectName("theirs")
        self.theirs.setAccessibleName(f"{field} as {stale.changed_by} saved it")
        self.theirs.setReadOnly(True)
        self.theirs.setTabChangesFocus(True)
        self.yours = QPlainTextEdit(yours, self)
        self.yours.setObjectName("yours")
        self.yours.setAccessibleName(f"{field} as you typed it, to edit into a merge")
        self.yours.setTabChangesFocus(True)
        texts = QGridLayout()
        texts.addWidget(_buddy("Saved &first (theirs):", self.theirs), 0, 0)
        texts.addWidget(_buddy("&Yours (edit to merge):", self.yours), 0, 1)
        texts.addWidget(self.theirs, 1, 0)
        texts.addWidget(self.yours, 1, 1)

        keep_mine = QPushButton("Keep &mine", self)
        keep_mine.setObjectName("keepMine")
        keep_mine.clicked.connect(lambda: self._choose(Choice.MINE, self._yours_as_typed))
        keep_theirs = QPushButton("Keep &theirs", self)
        keep_theirs.setObjectName("keepTheirs")
        keep_theirs.clicked.connect(lambda: self._choose(Choice.THEIRS, self.theirs.toPlainText()))
        save_merged = QPushButton("&Save as edited", self)
        save_merged.setObjectName("saveMerged")
        save_merged.setToolTip("Ctrl+Enter")
        save_merged.clicked.connect(self._save_merged)
        for button in (keep_mine, keep_theirs, save_merged):
            # Enter in a text box is a new line, never one of these choices.
            button.setAutoDefault(False)
        merged_key = QShortcut(QKeySequence("Ctrl+Return"), self)
        merged_key.activated.connect(self._save_merged)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (keep_mine, keep_theirs, save_merged):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(said)
        layout.addLayout(texts)
        layout.addLayout(buttons)
        self.resize(720, 360)
        self.yours.setFocus()

    def _save_merged(self) -> None:
        self._choose(Choice.MERGED, self.yours.toPlainText())

    def _choose(self, choice: Choice, text: str) -> None:
        self.chosen.emit(choice, text)
        self.accept()


def _buddy(text: str, editor: QPlainTextEdit) -> QLabel:
    label = QLabel(text, editor.parentWidget())
    label.setBuddy(editor)
    return label
