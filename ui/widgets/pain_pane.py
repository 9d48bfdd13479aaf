"""The pain pane: note each pain the prospect mentions in one keystroke, while listening.

Ctrl+1 to Ctrl+4 add a past, present, future or peers pain to the current
call and put the cursor in its words; what is typed is saved as it is typed.
Alt+A, Alt+K and Alt+H toggle whether a question was asked about it, whether
it was acknowledged back and whether we can help; each is saved at once.
Beside the current pain the pane shows the probing question for its kind and
the acknowledgement line with the prospect's words, so the rep can read them
out while the prospect is still talking.
"""

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callassist.pains import GUIDES, acknowledgement, probing_question
from callassist.records import PainRecord
from callassist.vocabulary import PainKind
from ui.autosave import QUIET_MS, AutoSaver
from ui.bridge import DeskBridge
from ui.models.pains import WORDS_COLUMN, PainTableModel

ADD_KEYS: dict[PainKind, str] = {
    PainKind.PAST: "Ctrl+1",
    PainKind.PRESENT: "Ctrl+2",
    PainKind.FUTURE: "Ctrl+3",
    PainKind.PEERS: "Ctrl+4",
}
ASKED_KEY = "Alt+A"
ACKNOWLEDGED_KEY = "Alt+K"
CAN_HELP_KEY = "Alt+H"
PREVIOUS_KEY = "Alt+Up"
NEXT_KEY = "Alt+Down"

NO_CALL_HINT = "Pains are noted during a call: start one with F5."
NO_PAIN_HINT = (
    "Heard a pain? Ctrl+1 past, Ctrl+2 present, Ctrl+3 future, Ctrl+4 peers: "
    "the cursor goes straight to its words."
)
VISIBLE_ROWS = 4


def shortcut_text(key: str) -> str:
    """A shortcut as this platform's menus show it ("Ctrl+1", or "⌘1" on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class PainPane(QWidget):
    """The pains of the current call, and what to say about the current one."""

    def __init__(
        self, bridge: DeskBridge, parent: QWidget | None = None, *, quiet_ms: int = QUIET_MS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("painPane")
        self.setAccessibleName("painPane")
        self._bridge = bridge
        self._prospect_id: int | None = None
        self._attempt_id: int | None = None
        self._current_id: int | None = None

        self._model = PainTableModel(self)
        self._table = QTableView()
        self._table.setObjectName("painTable")
        self._table.setAccessibleName("Pains heard on this call")
        self._table.setModel(self._model)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setAlternatingRowColors(True)
        self._table.verticalHeader().hide()
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WORDS_COLUMN, QHeaderView.ResizeMode.Stretch)
        row_height = self._table.verticalHeader().defaultSectionSize()
        self._table.setMinimumHeight(header.sizeHint().height() + row_height * VISIBLE_ROWS + 4)
        self._table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        self._kind_label = QLabel()
        self._kind_label.setObjectName("painKind")
        self._words = QLineEdit()
        self._words.setObjectName("painWords")
        self._words.setAccessibleName("What the prospect said about this pain")
        self._words.setPlaceholderText("Type what they said, in their words")
        self._words.textChanged.connect(self._show_suggestions)
        self._kind_label.setBuddy(self._words)

        self._asked = QCheckBox(f"Asked ({shortcut_text(ASKED_KEY)})")
        self._asked.setObjectName("painAsked")
        self._acknowledged = QCheckBox(f"Acknowledged ({shortcut_text(ACKNOWLEDGED_KEY)})")
        self._acknowledged.setObjectName("painAcknowledged")
        self._can_help = QCheckBox(f"Can help ({shortcut_text(CAN_HELP_KEY)})")
        self._can_help.setObjectName("painCanHelp")
        self._asked.clicked.connect(lambda checked: self._set_flag(asked=checked))
        self._acknowledged.clicked.connect(lambda checked: self._set_flag(acknowledged=checked))
        self._can_help.clicked.connect(lambda checked: self._set_flag(can_help=checked))

        self._question = QLabel()
        self._question.setObjectName("painQuestion")
        self._acknowledgement = QLabel()
        self._acknowledgement.setObjectName("painAcknowledgement")
        for label in (self._question, self._acknowledgement):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() * 1.1)
            label.setFont(font)

        self._hint = QLabel(NO_CALL_HINT)
        self._hint.setObjectName("painHint")
        self._hint.setWordWrap(True)

        self._saver = AutoSaver(self, quiet_ms=quiet_ms)
        self._saver.watch(self._words, self._save_words)

        self._add_actions: dict[PainKind, QAction] = {}
        for kind, key in ADD_KEYS.items():
            action = QAction(f"Note a {GUIDES[kind].label.lower()} pain", self)
            action.setShortcut(QKeySequence(key))
            # Anywhere in the window: the pain may come while the rep reads the card.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, chosen=kind: self.add_pain(chosen))
            self.addAction(action)
            self._add_actions[kind] = action
        # The toggles act on the pain being typed, so they live with the pane's focus.
        self._asked_action = self._pane_action(
            "Toggle: asked a question about this pain", ASKED_KEY, self.toggle_asked
        )
        self._acknowledged_action = self._pane_action(
            "Toggle: acknowledged this pain back", ACKNOWLEDGED_KEY, self.toggle_acknowledged
        )
        self._can_help_action = self._pane_action(
            "Toggle: we can help with this pain", CAN_HELP_KEY, self.toggle_can_help
        )
        self._previous_action = self._pane_action(
            "Previous pain", PREVIOUS_KEY, lambda: self._move(-1)
        )
        self._next_action = self._pane_action("Next pain", NEXT_KEY, lambda: self._move(1))

        title = QLabel("Pains heard")
        title_font = QFont(title.font())
        title_font.setBold(True)
        title.setFont(title_font)

        flags = QHBoxLayout()
        flags.addWidget(self._asked)
        flags.addWidget(self._acknowledged)
        flags.addWidget(self._can_help)
        flags.addStretch(1)

        words_row = QHBoxLayout()
        words_row.addWidget(self._kind_label)
        words_row.addWidget(self._words, 1)

        suggestions = QFormLayout()
        suggestions.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        suggestions.addRow("<b>Ask:</b>", self._question)
        suggestions.addRow("<b>Say back:</b>", self._acknowledgement)

        self._editor = QWidget()
        editor_layout = QVBoxLayout(self._editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(words_row)
        editor_layout.addLayout(flags)
        editor_layout.addLayout(suggestions)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self._table, 1)
        layout.addWidget(self._hint)
        layout.addWidget(self._editor)

        self._show_current(None)

    # -- what the call panel calls --------------------------------------------

    def start(self, prospect_id: int, attempt_id: int) -> None:
        """A call began: note its pains from now on."""
        self._saver.flush()
        self._prospect_id = prospect_id
        self._attempt_id = attempt_id
        self._model.reset(())
        self._show_current(None)

    def stop(self) -> None:
        """The call was logged: save what is typed and clear the pane."""
        self._saver.flush()
        self._prospect_id = None
        self._attempt_id = None
        self._model.reset(())
        self._show_current(None)

    def flush(self) -> None:
        """Save the words being typed now (before ending the call, closing...)."""
        self._saver.flush()

    def pains(self) -> tuple[PainRecord, ...]:
        """The pains of the current call as stored, in the order they were noted."""
        return self._model.pains()

    def current_pain(self) -> PainRecord | None:
        if self._current_id is None:
            return None
        row = self._model.row_of(self._current_id)
        return self._model.pain(row) if row is not None else None

    def menu_actions(self) -> list[QAction]:
        return [
            *self._add_actions.values(),
            self._asked_action,
            self._acknowledged_action,
            self._can_help_action,
            self._previous_action,
            self._next_action,
        ]

    # -- the rep's keys -------------------------------------------------------

    def add_pain(self, kind: PainKind) -> PainRecord | None:
        """Note a new pain of ``kind`` on the call and put the cursor in its words."""
        prospect_id, attempt_id = self._prospect_id, self._attempt_id
        if prospect_id is None or attempt_id is None:
            return None
        self._saver.flush()
        record = self._bridge.attempt(
            lambda: self._bridge.desk.add_pain(prospect_id, kind, attempt_id=attempt_id)
        )
        if record is None:
            return None
        row = self._model.append(record)
        self._table.setCurrentIndex(self._model.index(row, WORDS_COLUMN))
        self._words.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return record

    def toggle_asked(self) -> None:
        pain = self._flushed_current()
        if pain is not None:
            self._set_flag(asked=not pain.asked)

    def toggle_acknowledged(self) -> None:
        pain = self._flushed_current()
        if pain is not None:
            self._set_flag(acknowledged=not pain.acknowledged)

    def toggle_can_help(self) -> None:
        pain = self._flushed_current()
        if pain is not None:
            self._set_flag(can_help=not pain.can_help)

    # -- inside -----------------------------------------------------------------

    def _pane_action(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _flushed_current(self) -> PainRecord | None:
        # Typed words first, so the flag's update returns a record with them.
        self._saver.flush()
        return self.current_pain()

    def _set_flag(
        self,
        *,
        asked: bool | None = None,
        acknowledged: bool | None = None,
        can_help: bool | None = None,
    ) -> None:
        pain = self._flushed_current()
        if pain is None:
            return
        record = self._bridge.attempt(
            lambda: self._bridge.desk.update_pain(
                pain.id, asked=asked, acknowledged=acknowledged, can_help=can_help
            )
        )
        if record is not None:
            self._model.replace(record)
        self._show_flags(record or pain)

    def _save_words(self, text: str) -> None:
        pain_id = self._current_id
        if pain_id is None:
            return
        record = self._bridge.attempt(lambda: self._bridge.desk.update_pain(pain_id, words=text))
        if record is not None:
            self._model.replace(record)

    def _move(self, step: int) -> None:
        count = self._model.rowCount()
        if not count:
            return
        current = self._table.currentIndex().row()
        row = min(max(current + step, 0), count - 1) if current >= 0 else count - 1
        self._table.setCurrentIndex(self._model.index(row, WORDS_COLUMN))
        self._words.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        # Save the pain being left before the editor shows another one.
        self._saver.flush()
        pain = self._model.pain(current.row()) if current.isValid() else None
        self._show_current(pain)

    def _show_current(self, pain: PainRecord | None) -> None:
        self._current_id = pain.id if pain else None
        in_call = self._attempt_id is not None
        for action in self._add_actions.values():
            action.setEnabled(in_call)
        for action in (self._asked_action, self._acknowledged_action, self._can_help_action):
            action.setEnabled(pain is not None)
        has_pains = self._model.rowCount() > 0
        self._previous_action.setEnabled(has_pains)
        self._next_action.setEnabled(has_pains)
        self._editor.setEnabled(pain is not None)
        self._hint.setText(NO_PAIN_HINT if in_call else NO_CALL_HINT)
        self._hint.setVisible(pain is None)
        self._words.setText(pain.words if pain else "")
        self._saver.loaded(self._words)
        if pain is None:
            self._kind_label.setText("Pain:")
            self._show_flags(None)
            self._question.setText("")
            self._acknowledgement.setText("")
            return
        self._kind_label.setText(f"{GUIDES[pain.kind].label} pain:")
        self._show_flags(pain)
        self._show_suggestions(pain.words)

    def _show_flags(self, pain: PainRecord | None) -> None:
        self._asked.setChecked(bool(pain and pain.asked))
        self._acknowledged.setChecked(bool(pain and pain.acknowledged))
        self._can_help.setChecked(bool(pain and pain.can_help))

    def _show_suggestions(self, words: str) -> None:
        pain = self.current_pain()
        if pain is None:
            return
        self._question.setText(probing_question(pain.kind))
        self._acknowledgement.setText(f"“{acknowledgement(pain.kind, words)}”")
