"""The banner after a delete: who went to the trash, and the key that brings them back.

It stays a full minute, whatever the rep does meanwhile, and its key works
wherever the keyboard is: in a text field Ctrl+Z undoes typing, so the delete
has a key of its own.
"""

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from callassist.records import TrashedProspect

UNDO_KEY = "Alt+U"
TRASH_KEY = "Ctrl+Shift+T"
SHOWN_MS = 60_000


class UndoBanner(QFrame):
    """Says who was deleted and offers the undo for :data:`SHOWN_MS`."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBanner")
        self.setAccessibleName("Deleted prospect")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self._text = QLabel(self)
        self._text.setObjectName("undoBannerText")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self._button = QPushButton(f"Undo ({UNDO_KEY})", self)
        self._button.setObjectName("undoDeleteButton")
        self._button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the key does it; focus stays put
        self._button.clicked.connect(self.undo_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self._text, 1)
        row.addWidget(self._button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_deleted(self, trashed: TrashedProspect) -> None:
        who = ", ".join(part for part in (trashed.name, trashed.company) if part)
        self._text.setText(
            f"Deleted {who}: moved to the trash for 30 days. "
            f"{UNDO_KEY} brings them back; {TRASH_KEY} lists the trash."
        )
        self.show()
        self._timer.start()

    def text(self) -> str:
        return self._text.text()
