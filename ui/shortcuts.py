"""The F1 cheat sheet: every key of the window, grouped by where it works.

What the window binds is read live, so the sheet cannot disagree with what
the keys do: every QAction and QShortcut with keys, a window-wide one under
"Anywhere", one that works only inside a pane under that pane's name. The
keys a pane handles itself (a mnemonic, Enter in a list, the arrows of a
chooser) and the keys of the dialogs, which do not exist until they open,
are declared by their own modules beside the code that binds them. This
module only says where each group works and in which order the groups come.
"""

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.bookings import BOOKINGS_KEYS
from ui.dialogs.edit_conflict import EDIT_CONFLICT_KEYS
from ui.dialogs.review import DAY_REVIEW_KEYS
from ui.dialogs.script_lookup import SCRIPT_LOOKUP_KEYS
from ui.dialogs.trash import TRASH_KEYS
from ui.widgets.enrollment import CADENCE_CHOOSER_KEYS
from ui.widgets.prospect_list import PROSPECT_LIST_KEYS
from ui.widgets.queue_pane import QUEUE_KEYS

ANYWHERE = "Anywhere"
PROSPECT_LIST = "Prospect list"
TODAYS_QUEUE = "Today's queue"
PROSPECT_CARD = "Prospect card"
CADENCE_CHOOSER = "Cadence chooser"
CALL_PANEL = "Call panel"
OUTCOME_BAR = "Outcome bar (after F6)"
PAINS = "Pains"
SCRIPT_LOOKUP = "Script lookup"
DAY_REVIEW = "Day review"
TRASH = "Trash"
BOOKINGS = "Booked calls"
EDIT_CONFLICT = "Saved first by someone else"
ELSEWHERE = "Elsewhere"
"""A key bound to a part of the window that has no name here yet: listed all the same."""

GROUP_ORDER = (
    ANYWHERE,
    PROSPECT_LIST,
    TODAYS_QUEUE,
    PROSPECT_CARD,
    CADENCE_CHOOSER,
    CALL_PANEL,
    OUTCOME_BAR,
    PAINS,
    SCRIPT_LOOKUP,
    DAY_REVIEW,
    TRASH,
    BOOKINGS,
    EDIT_CONFLICT,
    ELSEWHERE,
)

PART_NAMES = {
    "prospectList": PROSPECT_LIST,
    "callQueue": TODAYS_QUEUE,
    "prospectCard": PROSPECT_CARD,
    "outcomeBar": OUTCOME_BAR,
    "painPane": PAINS,
    "callPanel": CALL_PANEL,
}
"""Where a pane-only key works, by the objectName of the part of the window bound to it
(the nearest one up from the widget holding the key)."""

DECLARED: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (PROSPECT_LIST, PROSPECT_LIST_KEYS),
    (TODAYS_QUEUE, QUEUE_KEYS),
    (CADENCE_CHOOSER, CADENCE_CHOOSER_KEYS),
    (SCRIPT_LOOKUP, SCRIPT_LOOKUP_KEYS),
    (DAY_REVIEW, DAY_REVIEW_KEYS),
    (TRASH, TRASH_KEYS),
    (BOOKINGS, BOOKINGS_KEYS),
    (EDIT_CONFLICT, EDIT_CONFLICT_KEYS),
)
"""The keys no QAction of the window carries, as their modules declare them."""

WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)


def keys_text(sequences: Sequence[QKeySequence]) -> str:
    """ "Ctrl+F, /": the keys as this platform's menus show them."""
    return ", ".join(
        sequence.toString(QKeySequence.SequenceFormat.NativeText) for sequence in sequences
    )


def without_mnemonic(text: str) -> str:
    """A menu text as read: "&Find prospect" is "Find prospect", "R&&D" is "R&D"."""
    return "&".join(part.replace("&", "") for part in text.split("&&"))


def part_name(widget: QWidget | None) -> str:
    """Where a key bound to ``widget`` works: the name of the part of the window holding it."""
    while widget is not None:
        name = PART_NAMES.get(widget.objectName())
        if name is not None:
            return name
        widget = widget.parentWidget()
    return ELSEWHERE


def _actions(parts: Sequence[QWidget]) -> list[QAction]:
    """Every action of ``parts``, those in menus first and in menu order."""
    found: list[QAction] = []
    for part in parts:
        menus = [part] if isinstance(part, QMenu) else part.findChildren(QMenu)
        for action in [
            *(action for menu in menus for action in menu.actions()),
            *part.actions(),
            *part.findChildren(QAction),
        ]:
            if action not in found:
                found.append(action)
    return found


def _where_action_works(action: QAction) -> list[str]:
    if action.shortcutContext() in WINDOW_WIDE:
        return [ANYWHERE]
    holders = [
        holder
        for holder in action.associatedObjects()
        if isinstance(holder, QWidget) and not isinstance(holder, QMenu)
    ]
    return list(dict.fromkeys(part_name(holder) for holder in holders)) or [ELSEWHERE]


def shortcut_rows(parts: Sequence[QWidget]) -> list[tuple[str, str, str]]:
    """(where, what, keys) for every key of ``parts`` and every declared one, by group.

    ``parts`` are the window (or some of its menus); inside a group, rows keep
    the order of the menus, then of the declarations.
    """
    rows: list[tuple[str, str, str]] = []
    for action in _actions(parts):
        keys = keys_text(action.shortcuts())
        if keys and action.isVisible():
            what = without_mnemonic(action.text())
            rows.extend((where, what, keys) for where in _where_action_works(action))
    for part in parts:
        for shortcut in part.findChildren(QShortcut):
            keys = keys_text(shortcut.keys())
            if keys:
                holder = shortcut.parent()
                where = (
                    ANYWHERE
                    if shortcut.context() in WINDOW_WIDE
                    else part_name(holder if isinstance(holder, QWidget) else None)
                )
                rows.append((where, shortcut.whatsThis() or shortcut.objectName(), keys))
    for where, declared in DECLARED:
        rows.extend((where, what, keys) for keys, what in declared)
    unique = list(dict.fromkeys(rows))
    return sorted(unique, key=lambda row: GROUP_ORDER.index(row[0]))


WHERE_COLUMN = 0
WHAT_COLUMN = 1
KEYS_COLUMN = 2


class CheatSheetDialog(QDialog):
    """A table of every key, grouped by where it works."""

    def __init__(self, parts: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("cheatSheet")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(parts)
        self._rows = rows
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("cheatSheetTable")
        self.table.setAccessibleName("Keys and what they do")
        self.table.setHorizontalHeaderLabels(["Where", "What it does", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        bold = QFont(self.table.font())
        bold.setBold(True)
        previous = ""
        for row, (where, what, keys) in enumerate(rows):
            # The group's name once, at its first row, so the column reads as headings;
            # a screen reader still hears it on every row.
            group = QTableWidgetItem(where if where != previous else "")
            group.setData(Qt.ItemDataRole.AccessibleTextRole, where)
            group.setFont(bold)
            self.table.setItem(row, WHERE_COLUMN, group)
            self.table.setItem(row, WHAT_COLUMN, QTableWidgetItem(what))
            self.table.setItem(row, KEYS_COLUMN, QTableWidgetItem(keys))
            previous = where
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, min(760, 80 + 30 * len(rows)))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[tuple[str, str, str]]:
        """(where, what, keys) of every row, in the order shown."""
        return list(self._rows)
