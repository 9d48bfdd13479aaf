"""The call desk's own actions and its menus.

Every action is in a menu with its shortcut (F1 lists them all); the panes
bring their own actions, which go in the same menus. The window connects the
actions to what they do.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from ui.dialogs.assign_owner import ASSIGN_KEY
from ui.dialogs.bookings import BOOKINGS_KEY
from ui.widgets.call_panel import CallPanel
from ui.widgets.prospect_card import ProspectCard
from ui.widgets.prospect_list import ProspectListPane
from ui.widgets.queue_pane import QueuePane
from ui.widgets.undo_banner import TRASH_KEY, UNDO_KEY


def make_action(
    parent: QWidget, text: str, shortcut: str | QKeySequence.StandardKey, tip: str = ""
) -> QAction:
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
    return action


class DeskMenus(QMainWindow):
    """A main window with the call desk's menus; the call desk itself builds on it."""

    def _build_menus(
        self,
        card: ProspectCard,
        call_panel: CallPanel,
        queue_pane: QueuePane,
        prospect_list: ProspectListPane,
    ) -> None:
        """Make the window's actions and put every action, the panes' too, in a menu."""
        menus = self.menuBar()
        prospects = menus.addMenu("&Prospects")
        self.find_action = make_action(
            self,
            "&Find prospect",
            QKeySequence.StandardKey.Find,
            "Search by name, company, notes or phone",
        )
        self.find_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("/")]
        )
        self.new_action = make_action(
            self, "&New prospect…", "Ctrl+N", "Add a referral or an unknown caller"
        )
        self.delete_action = make_action(
            self, "&Delete prospect (to the trash)", "Ctrl+Delete", "Not from a text field"
        )
        self.undo_action = make_action(self, "&Undo delete", UNDO_KEY)
        self.undo_action.setEnabled(False)
        self.trash_action = make_action(
            self, "&Trash…", TRASH_KEY, "Prospects deleted in the last 30 days"
        )
        self.bookings_action = make_action(
            self,
            "&Booked calls…",
            BOOKINGS_KEY,
            "Move or call off the open prospect's booked calls",
        )
        self.assign_action = make_action(
            self,
            "&Give to another rep…",
            ASSIGN_KEY,
            "Make the open prospect another rep's: their queue from now on",
        )
        self.import_action = make_action(self, "&Import CSV…", "Ctrl+I")
        self.export_action = make_action(self, "&Export CSV…", "Ctrl+Shift+S")
        self.settings_action = make_action(
            self, "&Settings…", "Ctrl+,", "Your name, company, phone, signature and call types"
        )
        self.quit_action = make_action(self, "&Quit", "Ctrl+Q")
        self.quit_action.triggered.connect(self.close)
        for action in (
            self.find_action,
            self.new_action,
            self.delete_action,
            self.undo_action,
            self.trash_action,
            self.bookings_action,
            self.assign_action,
        ):
            prospects.addAction(action)
        prospects.addActions(card.menu_actions())
        prospects.addSeparator()
        for action in (self.import_action, self.export_action, self.settings_action):
            prospects.addAction(action)
        prospects.addSeparator()
        prospects.addAction(self.quit_action)

        call = menus.addMenu("&Call")
        for action in call_panel.menu_actions():
            call.addAction(action)

        queue = menus.addMenu("&Queue")
        self.queue_action = make_action(
            self, "&Today's queue", "Ctrl+T", "Who is due now, with the message and the script"
        )
        queue.addAction(self.queue_action)
        queue.addSeparator()
        enrollment = card.enrollment.menu_actions()
        queue.addActions(enrollment)
        # The open prospect's cadence keys work wherever that prospect is in view;
        # in the prospect list the same keys act on the selected rows instead.
        for part in (queue_pane, call_panel):
            part.addActions(enrollment)
        queue.addSeparator()
        queue.addActions(prospect_list.cadence_actions.menu_actions())
        queue.addSeparator()
        self.review_action = make_action(
            self,
            "End-of-day &review…",
            "Ctrl+R",
            "What happened today, calls left without an outcome, and tomorrow's list",
        )
        queue.addAction(self.review_action)

        scripts = menus.addMenu("&Scripts")
        self.lookup_action = make_action(
            self, "&Find script…", "Ctrl+K", "The right script for this prospect, rendered"
        )
        self.editor_action = make_action(self, "&Edit scripts…", "Ctrl+Shift+E")
        scripts.addAction(self.lookup_action)
        scripts.addAction(self.editor_action)

        # Alt+H belongs to the pain pane ("can help"), hence H&elp.
        help_menu = menus.addMenu("H&elp")
        self.shortcuts_action = make_action(self, "&Keyboard shortcuts", "F1")
        help_menu.addAction(self.shortcuts_action)
        self._menus = (prospects, call, queue, scripts, help_menu)

    def menus(self) -> list[QMenu]:
        return list(self._menus)
