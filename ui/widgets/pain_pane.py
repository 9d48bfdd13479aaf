"""The pain pane: note each pain the prospect mentions in one keystroke, while listening.

Ctrl+1 to Ctrl+4 add a past, present, future or peers pain to the current
call and put the cursor in its words; what is typed is saved as it is typed.
Alt+A, Alt+K and Alt+H toggle whether a question was asked about it, whether
it was acknowledged back and whether we can help; each is saved at once.
Beside the current pain the pane shows the probing question for its kind and
the line to say back with the prospect's words, so the rep can read them out
while the prospect is still talking. The say-back line is the rep-editable
script ``pain_acknowledgement`` rendered for this prospect and this pain; when
that script cannot be rendered the pane shows the built-in line and says why.
Both lines wrap, carry their full text as a tooltip, and stay in sight while
the rep types, so nothing is cut off at the bottom of a scrolling call panel.
"""

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence, QMoveEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callassist.pains import (
    GUIDES,
    probing_question,
)
from callassist.records import PainRecord
from callassist.vocabulary import PainKind
from ui.autosave import QUIET_MS, AutoSaver, NotSaved
from ui.background import Outcome, WorkerCall, run_in_worker
from ui.bridge import DeskBridge, attempt_reporting
from ui.models.pains import WORDS_COLUMN, PainTableModel
from ui.plain_text import plain_tooltip
from ui.style import sized_check_box
from ui.widgets.pain_words import (
    ACKNOWLEDGED_KEY,
    ADD_KEYS,
    ASKED_KEY,
    CAN_HELP_KEY,
    NEXT_KEY,
    NO_CALL_HINT,
    NO_PAIN_HINT,
    PREVIOUS_KEY,
    WAITING_FOR_WORDS,
    SayBack,
    say_back_line,
    shortcut_text,
)
from ui.widgets.rows import as_row_list

# The keys and hints lived here before: their old import path still works.
__all__ = ["WAITING_FOR_WORDS", "PainPane", "SayBack", "shortcut_text"]

VISIBLE_ROWS = 4
"""The pains table grows with each pain up to this many of the newest, then scrolls;
with none it gives way to the hint: empty rows would take the room the time check
and the words need."""
SAY_BACK_DELAY_MS = 150
"""Typing pause before the say-back line is rendered again.

Each rendering reads the prospect and the script file, on a worker; once per
pause rather than once per key keeps that work small, and 150 ms is too short
for the rep to notice the line catching up.
"""


class PainPane(QWidget):
    """The pains of the current call, and what to say about the current one."""

    def __init__(
        self, bridge: DeskBridge, parent: QWidget | None = None, *, quiet_ms: int = QUIET_MS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("painPane")
        self.setAccessibleName("Pains heard")
        self._bridge = bridge
        self._prospect_id: int | None = None
        self._attempt_id: int | None = None
        self._current_id: int | None = None

        self._model = PainTableModel(self)
        self._table = QTableView()
        self._table.setObjectName("painTable")
        self._table.setAccessibleName("Pains heard on this call")
        self._table.setModel(self._model)
        # Tab leaves the table for the pain's words and on to the outcome; the arrow
        # keys and Alt+Up/Down move between pains.
        as_row_list(self._table)
        # The prospect's words whole, on as many lines as they take: at a 16 pt font
        # the flag columns leave the words a narrow column, and a cut pain is lost.
        self._table.setWordWrap(True)
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A pain taller than the table scrolls by lines of text, not by whole pains.
        self._table.setVerticalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WORDS_COLUMN, QHeaderView.ResizeMode.Stretch)
        # Rows grow and shrink as words are typed and as the window narrows or widens
        # the words column.
        for signal in (
            self._model.rowsInserted,
            self._model.rowsRemoved,
            self._model.modelReset,
            self._model.dataChanged,
            header.sectionResized,
            self._table.verticalHeader().sectionResized,
        ):
            signal.connect(self._fit_table)
        self._fit_table()
        self._table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

        # Rendering waits for a pause in typing; see SAY_BACK_DELAY_MS.
        self._say_back_timer = QTimer(self)
        self._say_back_timer.setSingleShot(True)
        self._say_back_timer.setInterval(SAY_BACK_DELAY_MS)
        self._say_back_timer.timeout.connect(self._show_say_back)
        # Rendered on a worker, one at a time: only the newest asked for is shown.
        self._say_back_asked = 0
        self._say_back_shown = 0
        self._rendering: WorkerCall[SayBack] | None = None

        self._kind_label = QLabel()
        self._kind_label.setObjectName("painKind")
        self._words = QLineEdit()
        self._words.setObjectName("painWords")
        self._words.setAccessibleName("What the prospect said about this pain")
        self._words.setPlaceholderText("Type what they said, in their words")
        self._words.textChanged.connect(lambda _text: self._say_back_timer.start())
        self._kind_label.setBuddy(self._words)

        self._asked = sized_check_box(f"Asked ({shortcut_text(ASKED_KEY)})")
        self._asked.setObjectName("painAsked")
        self._acknowledged = sized_check_box(f"Acknowledged ({shortcut_text(ACKNOWLEDGED_KEY)})")
        self._acknowledged.setObjectName("painAcknowledged")
        self._can_help = sized_check_box(f"Can help ({shortcut_text(CAN_HELP_KEY)})")
        self._can_help.setObjectName("painCanHelp")
        self._asked.clicked.connect(lambda checked: self._set_flag(asked=checked))
        self._acknowledged.clicked.connect(lambda checked: self._set_flag(acknowledged=checked))
        self._can_help.clicked.connect(lambda checked: self._set_flag(can_help=checked))

        self._question = QLabel()
        self._question.setObjectName("painQuestion")
        self._question.setAccessibleName("Question to ask about this pain")
        self._acknowledgement = QLabel()
        self._acknowledgement.setObjectName("painAcknowledgement")
        self._acknowledgement.setAccessibleName("Line to say back about this pain")
        for label in (self._question, self._acknowledgement):
            # Wrapped, never cut: the rep reads these aloud, so every word must show.
            label.setWordWrap(True)
            # The prospect's words are in the line: a "<" typed there is text, not markup.
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = QFont(label.font())
            font.setPointSizeF(font.pointSizeF() * 1.1)
            label.setFont(font)
        self._script_problem = QLabel()
        self._script_problem.setObjectName("painScriptProblem")
        self._script_problem.setWordWrap(True)
        self._script_problem.setTextFormat(Qt.TextFormat.PlainText)
        self._script_problem.hide()

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
        editor_layout.addWidget(self._script_problem)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self._table)
        layout.addWidget(self._hint)
        layout.addWidget(self._editor)
        layout.addStretch(1)

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

    def say_back(self) -> str:
        """The "Say back:" line as shown once typing pauses (rendered now if still pending)."""
        if self._say_back_timer.isActive() or self._say_back_shown != self._say_back_asked:
            self._say_back_timer.stop()
            self._say_back_asked += 1
            self._show_line(self._say_back_asked, self._say_back_line_now())
        return self._acknowledgement.text()

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

    def _fit_table(self) -> None:
        """As high as the pains noted, each on all its lines, up to the newest VISIBLE_ROWS."""
        count = self._model.rowCount()
        self._table.setVisible(count > 0)
        newest = range(max(count - VISIBLE_ROWS, 0), count)
        # What the rows will take once laid out (the header resizes them a moment later):
        # their words, or the header's smallest row when the words take a single line.
        rows_header = self._table.verticalHeader()
        rows = sum(
            max(self._table.sizeHintForRow(row), rows_header.sectionSizeHint(row)) for row in newest
        )
        header = self._table.horizontalHeader().sizeHint().height()
        sideways = self._table.horizontalScrollBar()
        scroll_bar = sideways.sizeHint().height() if sideways.isVisible() else 0
        self._table.setFixedHeight(header + rows + scroll_bar + 2 * self._table.frameWidth())

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

    def _save_words(self, text: str) -> NotSaved | None:
        pain_id = self._current_id
        if pain_id is None:
            return None
        record, problem = attempt_reporting(
            self._bridge, lambda: self._bridge.desk.update_pain(pain_id, words=text)
        )
        if record is None:
            return NotSaved(f"Pain words: {problem}", retry=True)
        self._model.replace(record)
        return None

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
        else:
            self._kind_label.setText(f"{GUIDES[pain.kind].label} pain:")
        self._show_flags(pain)
        self._show_suggestions()

    def _show_flags(self, pain: PainRecord | None) -> None:
        self._asked.setChecked(bool(pain and pain.asked))
        self._acknowledged.setChecked(bool(pain and pain.acknowledged))
        self._can_help.setChecked(bool(pain and pain.can_help))

    def _show_suggestions(self) -> None:
        """Show the question for the current pain now, and its say-back line once rendered."""
        pain = self.current_pain()
        self._set_line(self._question, probing_question(pain.kind) if pain else "")
        # Another pain: the last one's line must not stay up while this one's renders.
        self._set_line(self._acknowledgement, "")
        self._script_problem.setVisible(False)
        self._show_say_back()

    def _show_say_back(self) -> None:
        self._say_back_timer.stop()
        self._say_back_asked += 1
        if self._rendering is None:
            self._render_say_back()

    def _say_back_line_now(self) -> SayBack:
        """The say-back line for what is on screen, rendered here."""
        return self._say_back_rendering()()

    def _say_back_rendering(self) -> Callable[[], SayBack]:
        """Renders the line for what is on screen now: only the desk is read, so on a worker too."""
        pain, prospect_id, words = self.current_pain(), self._prospect_id, self._words.text()
        if pain is None or prospect_id is None:
            return lambda: SayBack("")
        desk = self._bridge.desk
        return lambda: say_back_line(desk, prospect_id, pain, words)

    def _render_say_back(self) -> None:
        asked = self._say_back_asked
        self._rendering = run_in_worker(
            self._say_back_rendering(),
            lambda outcome: self._rendered(asked, outcome),
            owner=self,
        )

    def _rendered(self, asked: int, outcome: Outcome[SayBack]) -> None:
        self._rendering = None
        if asked != self._say_back_asked:
            # The words or the pain changed meanwhile: render the newest instead.
            if self._say_back_shown != self._say_back_asked:
                self._render_say_back()
            return
        self._show_line(asked, outcome.get())

    def _show_line(self, asked: int, line: SayBack) -> None:
        self._say_back_shown = asked
        self._set_line(self._acknowledgement, line.text)
        self._script_problem.setText(line.problem or "")
        self._script_problem.setToolTip(plain_tooltip(line.problem or ""))
        self._script_problem.setVisible(line.problem is not None)

    def _set_line(self, label: QLabel, text: str) -> None:
        label.setText(text)
        # The whole line on hover too, wherever a narrow window wraps or clips it.
        label.setToolTip(plain_tooltip(text))

    # -- keeping what to say in sight ------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        # The pane grows as the say-back line wraps onto more lines while the rep
        # types; in a scrolling panel its last lines would end up below the fold.
        self._keep_suggestions_in_sight()

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 - Qt's name
        super().moveEvent(event)
        # Whatever sits above the pane (the time check) can grow while the rep
        # types here, pushing the say-back line down out of sight the same way.
        self._keep_suggestions_in_sight()

    def _keep_suggestions_in_sight(self) -> None:
        focus = QApplication.focusWidget()
        if self._current_id is not None and focus is not None and self.isAncestorOf(focus):
            # After the scroll area has updated its range for the new layout.
            QTimer.singleShot(0, self, self._bring_suggestions_into_sight)

    def _bring_suggestions_into_sight(self) -> None:
        area = self._scroll_area()
        if area is not None and self._editor.isVisible():
            # The words being typed down to the last line to say back, with a small margin.
            area.ensureWidgetVisible(self._editor, 0, 6)

    def _scroll_area(self) -> QScrollArea | None:
        """Whatever scrolls this pane (the call panel's middle part), if anything."""
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                return parent
            parent = parent.parentWidget()
        return None
