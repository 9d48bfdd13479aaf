"""Cadence actions for several prospects at once: every selected row of a list.

Enroll, pause, resume or remove, in a context menu and in the main window's
menu. They use the same keys as the card's cadence box, bound to the list view
alone: in the prospect list they act on the selected rows, everywhere else on
the open prospect.
"""

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu

from callassist.cadence import Cadence
from callassist.vocabulary import ENROLL_WARNING
from callassist.wording import counted
from ui.bridge import DeskBridge
from ui.widgets.cadence_keys import (
    ENROLL_KEY,
    PAUSE_KEY,
    REMOVE_KEY,
    RESUME_KEY,
    cadence_action,
)


class SelectionCadenceActions(QObject):
    """Enroll, pause, resume or remove every selected row of a prospect list."""

    reported = Signal(str)
    """What was done, for the status bar ("Paused the cadence of 2 of 3 selected.")."""

    def __init__(
        self,
        bridge: DeskBridge,
        view: QAbstractItemView,
        selected_ids: Callable[[], list[int]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._view = view
        self._selected_ids = selected_ids
        # Bound to the list view alone: the same keys act on the open prospect elsewhere.
        context = Qt.ShortcutContext.WidgetShortcut
        self.enroll_action = cadence_action(
            view, "E&nroll selected in cadence…", ENROLL_KEY, context
        )
        self.enroll_action.triggered.connect(self.choose_cadence)
        self.pause_action = cadence_action(view, "P&ause cadence of selected", PAUSE_KEY, context)
        self.pause_action.triggered.connect(lambda: self.change("pause"))
        self.resume_action = cadence_action(
            view, "Res&ume cadence of selected", RESUME_KEY, context
        )
        self.resume_action.triggered.connect(lambda: self.change("resume"))
        self.remove_action = cadence_action(
            view, "Remove selected from cadence", REMOVE_KEY, context
        )
        self.remove_action.triggered.connect(lambda: self.change("remove"))

        self.cadence_menu = QMenu("Enroll selected in", view)
        self.cadence_menu.setObjectName("cadenceMenu")
        self.cadence_menu.aboutToShow.connect(self._fill_cadence_menu)
        self._context_menu = QMenu(view)
        self._context_menu.setObjectName("prospectListMenu")
        self._context_menu.addMenu(self.cadence_menu)
        for action in (self.pause_action, self.resume_action, self.remove_action):
            self._context_menu.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._show_context_menu)

    def menu_actions(self) -> list[QAction]:
        return [self.enroll_action, self.pause_action, self.resume_action, self.remove_action]

    def choose_cadence(self) -> None:
        """Pop up the cadences under the current row: a number key or Enter enrolls."""
        if not self._selection():
            return
        self.cadence_menu.popup(self._anchor())

    def enroll(self, cadence: Cadence) -> int | None:
        """Enroll every selected prospect in ``cadence``; return how many.

        Those who said no or were a bad contact are left out and counted: each
        one is a question for the rep, asked on their own card.
        """
        ids = self._selection()
        if not ids:
            return None
        desk = self._bridge.desk
        selected = self._bridge.attempt(lambda: desk.prospects_by_ids(ids))
        if selected is None:
            return None
        held = {p.id for p in selected if p.status in ENROLL_WARNING}
        ready = [prospect_id for prospect_id in ids if prospect_id not in held]
        count = self._bridge.attempt(lambda: desk.enroll_many(ready, cadence.name))
        if count is not None:
            left_out = (
                f" Left out {counted(len(held), 'prospect')} who said no or was a bad contact: "
                "enroll them from their card, which asks first."
                if held
                else ""
            )
            self.reported.emit(
                f"Enrolled {counted(count, 'prospect')} in {cadence.title} from step 1; "
                f"anyone in another cadence was moved out of it.{left_out}"
            )
        return count

    def change(self, change: str) -> int | None:
        """Pause, resume or remove the cadence of every selected prospect; return how many."""
        ids = self._selection()
        if not ids:
            return None
        count = self._bridge.attempt(lambda: self._bridge.desk.change_enrollments(ids, change))
        if count is not None:
            done = {"pause": "Paused", "resume": "Resumed", "remove": "Removed"}[change]
            what = "the cadence of" if change != "remove" else "from their cadence"
            text = (
                f"{done} {what} {count} of {len(ids)} selected"
                if change != "remove"
                else f"{done} {count} of {len(ids)} selected {what}"
            )
            if count < len(ids):
                text += " (the others had no running cadence to change)"
            self.reported.emit(text + ".")
        return count

    def _selection(self) -> list[int]:
        ids = self._selected_ids()
        if not ids:
            self.reported.emit("Select prospects in the list first (Shift+Up/Down, Ctrl+click).")
        return ids

    def _anchor(self) -> QPoint:
        current = self._view.visualRect(self._view.currentIndex())
        corner = current.bottomLeft() if current.isValid() else QPoint(0, 0)
        return self._view.viewport().mapToGlobal(corner)

    def _fill_cadence_menu(self) -> None:
        self.cadence_menu.clear()
        found = self._bridge.attempt(self._bridge.desk.cadences)
        cadences = found[0] if found else []
        for number, cadence in enumerate(cadences, start=1):
            # Numbered so one key picks it, as in the outcome bar.
            choice = self.cadence_menu.addAction(f"&{number} {cadence.title}")
            choice.setToolTip(cadence.description)
            choice.triggered.connect(lambda _checked=False, chosen=cadence: self.enroll(chosen))
        if not cadences:
            self.cadence_menu.addAction("No cadence can be used").setEnabled(False)

    def _show_context_menu(self, position: QPoint) -> None:
        self._context_menu.popup(self._view.viewport().mapToGlobal(position))
