"""The status bar's word on saving: whether everything the rep typed is stored."""

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from ui.autosave import AutoSaver, SaveState


class SaveStatusLabel(QLabel):
    """ "✓ All saved", "Saving…", or what is not saved and why, across every autosaved field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveStatus")
        self.setAccessibleName("Save status")
        self._savers: tuple[AutoSaver, ...] = ()

    def watch(self, savers: Sequence[AutoSaver]) -> None:
        """Follow these savers from now on."""
        self._savers = tuple(savers)
        for saver in self._savers:
            saver.state_changed.connect(self._show_state)
        self._show_state()

    def _show_state(self) -> None:
        states = {saver.state() for saver in self._savers}
        problems = [problem for saver in self._savers for problem in saver.problems()]
        if SaveState.FAILING in states:
            text = f"⚠ Not saved, retrying: {'; '.join(problems)}"
        elif SaveState.COLLEAGUE_FIRST in states:
            text = f"⚠ Not saved, yours kept on screen: {'; '.join(problems)}"
        elif SaveState.REFUSED in states:
            text = f"⚠ Not saved until fixed: {'; '.join(problems)}"
        elif SaveState.PENDING in states:
            text = "Saving…"
        else:
            text = "✓ All saved"
        self.setText(text)
