"""The prospect card's status box: how the rep moves a status by hand.

Outcomes only move a status forward; this box is how the rep moves it back
(a "no" who calls to talk after all), or anywhere else.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from callassist.vocabulary import ProspectStatus
from ui.bridge import DeskBridge
from ui.widgets.card_parts import ChoiceBox
from ui.widgets.enrollment import key_text

STATUS_WORDS: dict[ProspectStatus, str] = {
    ProspectStatus.NEW: "New",
    ProspectStatus.WORKING: "Working",
    ProspectStatus.ENGAGED: "Engaged",
    ProspectStatus.NOT_INTERESTED: "Not interested",
    ProspectStatus.BAD_CONTACT: "Bad contact",
    ProspectStatus.MOVED_ON: "Moved on",
}
"""The statuses the rep can pick by hand, in the words of the card's status box."""
STATUS_KEY = "Ctrl+Shift+U"
"""Puts the cursor in the status box (U for "update")."""


class StatusChoice(ChoiceBox):
    """The open prospect's status, saved as soon as the rep picks another."""

    def __init__(
        self,
        bridge: DeskBridge,
        prospect_id: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._prospect_id = prospect_id
        # Not focused by the wheel itself (a combo box's default), or every wheel
        # turn over it would first take the cursor and then change the status.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setObjectName("prospectStatus")
        self.setAccessibleName("Status")
        self.setToolTip(f"Choose with the arrow keys; it is saved at once ({key_text(STATUS_KEY)})")
        for status, words in STATUS_WORDS.items():
            self.addItem(words, status.value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Activated, not index-changed: only the rep's choice is saved, never a reload.
        self.activated.connect(self._save_status)

    def show_status(self, status: ProspectStatus) -> None:
        self.setCurrentIndex(self.findData(status.value))

    def _save_status(self, index: int) -> None:
        prospect_id = self._prospect_id()
        if prospect_id is None:
            return
        chosen = ProspectStatus(self.itemData(index))
        desk = self._bridge.desk
        saved = self._bridge.attempt(lambda: desk.set_status(prospect_id, chosen))
        if saved is None:
            # Not stored (the bridge says why in the status bar): show what is.
            stored = self._bridge.attempt(lambda: desk.prospect(prospect_id))
            if stored is not None:
                self.show_status(stored.status)
