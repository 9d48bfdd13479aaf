"""The rep's own scripts: edit a script's Jinja text with a live preview, save, reset.

Saving stores the rep's own version in the database (Ctrl+Shift+S: the team's
version, which every rep without their own uses) through
:meth:`CallDesk.save_script`, which tells every view that scripts changed; the
bundled file is never touched, so a reset can always bring the team's version
or the original back. A template error is shown under the text with its line,
and that line is highlighted; a broken script is refused on save and nothing
is stored.

The preview is the text rendered for the open prospect with exactly the
context the lookup uses (:meth:`CallDesk.script_context`), a moment after
typing pauses. It is rendered in a worker thread, so a slow script never
freezes the window: typing goes on while it runs, a result for text that has
changed since is dropped, and a script stopped at its time or size limit
(:data:`callassist.templates.RENDER_TIME_LIMIT_SECONDS`) shows its error under
the text like any other template error.

Edits to several scripts can be open at once: switching scripts keeps the
unsaved text, and closing with unsaved edits asks first.

Why this file is past 500 lines: it is one dialog whose parts (the list, the
text, the preview, the unsaved edits of every script) all read and change one
state; split, each part would reach into the others' insides.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontDatabase,
    QKeySequence,
    QPalette,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import KnownError, ScriptError
from callassist.templates import TEXT_SUFFIX, RenderedScript
from ui.background import Outcome as WorkOutcome
from ui.background import WorkerCall, run_in_worker
from ui.bridge import DeskBridge
from ui.dialogs.script_lookup import (
    blend,
    error_html,
    missing_highlight,
    missing_note,
    preview_html,
    speaking_time,
)

PREVIEW_DELAY_MS = 300
"""How long typing must pause before the preview is rendered again."""

EDITOR_ERROR_HINT = "Fix the highlighted line: the preview follows as you type."

FALLBACK_WORDS = {"team": "team's version", "bundled": "bundled version"}
"""What a reset of the rep's own version brings back, in words."""

# The hue says "error"; blending it into the palette's base keeps the
# palette's own text readable on it in light and dark themes.
_ERROR_HUE = QColor(220, 50, 47)


def error_background(palette: QPalette) -> QColor:
    """The background of an error line and message, derived from the palette."""
    return blend(palette.color(QPalette.ColorRole.Base), _ERROR_HUE, 0.3)


class ScriptEditorDialog(QDialog):
    """Edit a script's text, see it filled in for the prospect, save the rep's version."""

    script_changed = Signal(str)
    """The script in effect under this name changed on disk (saved or reset)."""

    preview_updated = Signal()
    """The preview (or the error under the text) now shows the text as it was last rendered."""

    def __init__(
        self,
        bridge: DeskBridge,
        prospect_id: int | None,
        name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._prospect_id = prospect_id
        self._drafts: dict[str, str] = {}
        """Unsaved text of scripts the rep switched away from."""
        self._saved_source = ""
        self._name = ""
        self._confirmation: QMessageBox | None = None
        self._rendering: WorkerCall[RenderedScript] | None = None
        """The render running in the worker, if one runs."""
        self._preview_outdated = False
        """The text or the script changed while rendering: render again, drop that result."""

        self.setObjectName("scriptEditor")
        self.setAccessibleName("Script editor")
        self.setWindowTitle("Edit scripts")
        self.resize(1100, 680)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._refresh_preview)

        self._build()
        self._build_actions()
        self._fill_choices()
        start = self._choice.findData(name) if name is not None else -1
        self._choice.setCurrentIndex(max(start, 0))
        self._load(str(self._choice.currentData()))
        self._choice.currentIndexChanged.connect(self._choice_changed)
        self._source.textChanged.connect(self._source_changed)

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        self._choice = QComboBox(self)
        self._choice.setObjectName("scriptChoice")
        self._choice.setAccessibleName("Script to edit")
        choice_label = QLabel("&Script:", self)
        choice_label.setBuddy(self._choice)

        self._origin = QLabel(self)
        self._origin.setObjectName("scriptOrigin")
        self._origin.setAccessibleName("Whose version")
        self._origin.setWordWrap(True)
        self._origin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._source = QPlainTextEdit(self)
        self._source.setObjectName("scriptSource")
        self._source.setAccessibleName("Script text")
        self._source.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._source.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # Jinja scripts need no tab characters; Tab leaves the editor instead.
        self._source.setTabChangesFocus(True)
        source_label = QLabel("&Text (Jinja):", self)
        source_label.setBuddy(self._source)

        self._error = QLabel(self)
        self._error.setObjectName("scriptError")
        self._error.setAccessibleName("Script error")
        self._error.setWordWrap(True)
        self._error.setTextFormat(Qt.TextFormat.PlainText)
        self._error.setAutoFillBackground(True)
        self._error.setMargin(4)
        palette = self._error.palette()
        palette.setColor(QPalette.ColorRole.Window, error_background(self.palette()))
        self._error.setPalette(palette)
        self._error.hide()

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(source_label)
        left_layout.addWidget(self._source, 1)
        left_layout.addWidget(self._error)

        self._missing = QLabel(self)
        self._missing.setObjectName("scriptEditorMissing")
        self._missing.setWordWrap(True)
        self._missing.setTextFormat(Qt.TextFormat.PlainText)
        self._missing.setAutoFillBackground(True)
        self._missing.setMargin(4)
        missing_palette = self._missing.palette()
        missing_palette.setColor(QPalette.ColorRole.Window, missing_highlight(self.palette()))
        self._missing.setPalette(missing_palette)
        self._subject = QLabel(self)
        self._subject.setObjectName("scriptEditorSubject")
        self._subject.setWordWrap(True)
        self._subject.setTextFormat(Qt.TextFormat.PlainText)
        self._speaking = QLabel(self)
        self._speaking.setObjectName("scriptEditorSpeakingTime")
        self._preview = QTextBrowser(self)
        self._preview.setObjectName("scriptEditorPreview")
        self._preview.setAccessibleName("Preview for the prospect")
        self._preview.setOpenLinks(False)
        self._preview.setTabChangesFocus(True)
        preview_label = QLabel(
            "Preview for this prospect:" if self._prospect_id is not None else "Preview:", self
        )

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(preview_label)
        right_layout.addWidget(self._missing)
        right_layout.addWidget(self._subject)
        right_layout.addWidget(self._speaking)
        right_layout.addWidget(self._preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 540])

        self._status = QLabel(self)
        self._status.setObjectName("scriptEditorStatus")
        self._status.setWordWrap(True)
        self._save_button = QPushButton("Save (Ctrl+S)", self)
        self._team_button = QPushButton("Save for the team (Ctrl+Shift+S)", self)
        self._reset_button = QPushButton("Reset to bundled… (Ctrl+Shift+R)", self)
        close_button = QPushButton("Close (Esc)", self)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self._status, 1)
        for button in (self._save_button, self._team_button, self._reset_button, close_button):
            # Enter belongs to the text editor (new lines), never to a button.
            button.setAutoDefault(False)
            buttons.addWidget(button)

        top = QHBoxLayout()
        top.addWidget(choice_label)
        top.addWidget(self._choice, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._origin)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _build_actions(self) -> None:
        self.save_action = QAction("Save my version of the script", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.triggered.connect(self.save)
        self.save_for_team_action = QAction("Save the script as the team's version", self)
        self.save_for_team_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_for_team_action.triggered.connect(self.save_for_team)
        self.reset_action = QAction("Reset the script to the bundled version…", self)
        self.reset_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.reset_action.triggered.connect(self.ask_reset)
        for action, button in (
            (self.save_action, self._save_button),
            (self.save_for_team_action, self._team_button),
            (self.reset_action, self._reset_button),
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)

    def menu_actions(self) -> list[QAction]:
        """The editor's actions, with their shortcuts, for menus and the cheat sheet."""
        return [self.save_action, self.save_for_team_action, self.reset_action]

    def _fill_choices(self) -> None:
        library = self._bridge.desk.scripts
        entries = [(info.name, info.title) for info in library.list_scripts()]
        # The rep's scripts that cannot be read are listed too, so they can be fixed here.
        for problem in library.problems():
            name = problem.template.removesuffix(TEXT_SUFFIX)
            if problem.template.endswith(TEXT_SUFFIX) and self._readable(name):
                entries.append((name, f"{name} (needs fixing)"))
        for name, title in sorted(entries, key=lambda entry: entry[1].lower()):
            self._choice.addItem(f"{title} — {name}", name)

    def _readable(self, name: str) -> bool:
        try:
            self._bridge.desk.scripts.source(name)
        except KnownError:
            return False
        return True

    # -- reading -------------------------------------------------------------------

    @property
    def current_name(self) -> str:
        return self._name

    @property
    def confirmation(self) -> QMessageBox | None:
        """The question on screen (reset, or discard unsaved edits), if any."""
        return self._confirmation

    def has_unsaved_edits(self) -> bool:
        return bool(self._drafts) or self._current_changed()

    def is_previewing(self) -> bool:
        """True while the preview is being rendered in the background."""
        return self._rendering is not None

    # -- behaviour -----------------------------------------------------------------

    def _choice_changed(self, index: int) -> None:
        name = self._choice.itemData(index)
        if not isinstance(name, str) or name == self._name:
            return
        if self._current_changed():
            self._drafts[self._name] = self._source.toPlainText()
        self._load(name)

    def _load(self, name: str) -> None:
        """Show script ``name``: its unsaved draft if there is one, else the file in effect."""
        self._name = name
        try:
            self._saved_source = self._bridge.desk.scripts.source(name)
        except KnownError as error:
            self._saved_source = ""
            self._status.setText(str(error))
        self._source.blockSignals(True)
        self._source.setPlainText(self._drafts.pop(name, self._saved_source))
        self._source.blockSignals(False)
        self._source.moveCursor(QTextCursor.MoveOperation.Start)
        self._show_origin()
        self._refresh_preview()

    def _bundled_exists(self) -> bool:
        try:
            self._bridge.desk.scripts.bundled_source(self._name)
        except KnownError:
            return False
        return True

    def _is_users(self) -> bool:
        """Whether the text in effect is the rep's own (kept, or still in their folder),
        readable or not."""
        library = self._bridge.desk.scripts
        return (
            library.own_version(self._name) is not None
            or self._name + TEXT_SUFFIX in library.folder_files()
        )

    def _fallback(self) -> str | None:
        """What a reset of the rep's version brings back: "team", "bundled" or None."""
        if self._bridge.desk.scripts.team_version(self._name) is not None:
            return "team"
        return "bundled" if self._bundled_exists() else None

    def _show_origin(self) -> None:
        library = self._bridge.desk.scripts
        team = library.team_version(self._name)
        fallback = self._fallback()
        if self._is_users():
            if library.own_version(self._name) is None:
                folder = library.user_dir or library.bundled_dir
                text = (
                    f"Your own version, read from {folder / (self._name + TEXT_SUFFIX)} until "
                    "callassist next starts and keeps it in the database."
                )
            else:
                text = "Your own version, kept in the database."
            if fallback is not None:
                text += f" Reset brings back the {FALLBACK_WORDS[fallback]}."
        elif team is not None:
            text = (
                f"The team's version, saved by {team.updated_by} on "
                f"{team.updated_at.astimezone():%a %b %d %H:%M}. "
                "Saving keeps your own version; the team's stays as it is."
            )
        else:
            text = (
                "Bundled version. Saving keeps your own version in the database;"
                " the bundled one stays as it is."
            )
        self._origin.setText(text)
        # The reset's words name what it brings back: the team's version, when there is one.
        back = "the team's version" if fallback == "team" else "bundled"
        self._reset_button.setText(f"Reset to {back}… (Ctrl+Shift+R)")
        self.reset_action.setText(
            f"Reset the script to the {FALLBACK_WORDS[fallback or 'bundled']}…"
        )
        self.reset_action.setEnabled(fallback is not None and self._is_users())
        self._update_title()

    def _update_title(self) -> None:
        unsaved = " (unsaved)" if self._current_changed() else ""
        self.setWindowTitle(f"Edit scripts — {self._name}{unsaved}")

    def _source_changed(self) -> None:
        self._status.clear()
        self._update_title()
        self._preview_timer.start()

    def _refresh_preview(self) -> None:
        """Render the preview in the worker; while one runs, only note that it is outdated."""
        self._preview_timer.stop()
        if self._rendering is not None:
            self._preview_outdated = True
            return
        try:
            # Read on this thread: the database is never used from the worker.
            context = self._bridge.desk.script_context(self._prospect_id)
        except KnownError as error:
            self._show_preview(error)
            return
        scripts = self._bridge.desk.scripts
        name = self._name
        text = self._source.toPlainText()
        self._rendering = run_in_worker(
            lambda: scripts.render_source(name, text, context), self._preview_rendered, owner=self
        )

    def _preview_rendered(self, outcome: WorkOutcome[RenderedScript]) -> None:
        self._rendering = None
        if self._preview_outdated:
            self._preview_outdated = False
            self._refresh_preview()
            return
        try:
            result: RenderedScript | KnownError = outcome.get()
        except KnownError as error:  # anything else is a bug: the window's handler reports it
            result = error
        self._show_preview(result)

    def _show_preview(self, result: RenderedScript | KnownError) -> None:
        if isinstance(result, KnownError):
            error = result
            self._show_error(error)
            self._missing.hide()
            self._subject.hide()
            self._speaking.hide()
            self._preview.setHtml(error_html(str(error), EDITOR_ERROR_HINT))
            self.preview_updated.emit()
            return
        rendered = result
        self._show_error(None)
        self._missing.setText(missing_note(rendered.missing_fields))
        self._missing.setVisible(bool(rendered.missing_fields))
        self._subject.setText(f"Subject: {rendered.subject}" if rendered.subject else "")
        self._subject.setVisible(rendered.subject is not None)
        seconds = rendered.speaking_seconds
        self._speaking.setText(f"Speaking time: {speaking_time(seconds)}" if seconds else "")
        self._speaking.setVisible(seconds is not None)
        self._preview.setHtml(preview_html(rendered.text, self._preview.palette()))
        self.preview_updated.emit()

    def _show_error(self, error: KnownError | None) -> None:
        """Show ``error`` under the text and highlight its line (None: clear both)."""
        if error is None:
            self._error.hide()
            self._source.setExtraSelections([])
            return
        line = self._error_line(error)
        if line is not None and isinstance(error, ScriptError):
            self._error.setText(f"Line {line}: {error.detail}")
        else:
            self._error.setText(str(error))
        self._error.show()
        self._source.setExtraSelections(self._line_highlight(line) if line is not None else [])

    def _error_line(self, error: KnownError) -> int | None:
        """The line of the editor's text an error points at, if it is in this text."""
        if not isinstance(error, ScriptError) or error.line is None:
            return None
        # An error in the email's HTML part or elsewhere has a line of another file.
        if error.template != self._name + TEXT_SUFFIX:
            return None
        return error.line

    def _line_highlight(self, line: int) -> list[QTextEdit.ExtraSelection]:
        block = self._source.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return []
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(error_background(self._source.palette()))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(block)
        return [selection]

    def error_line(self) -> int | None:
        """The highlighted line (1-based), if an error is shown."""
        selections = self._source.extraSelections()
        return selections[0].cursor.blockNumber() + 1 if selections else None

    # -- actions -----------------------------------------------------------------

    def save(self) -> None:
        """Save the rep's own version; a broken script is refused with its line, not stored."""
        self._save(team=False)

    def save_for_team(self) -> None:
        """Save the text as the team's version, which every rep without their own uses."""
        self._save(team=True)

    def _save(self, *, team: bool) -> None:
        source = self._source.toPlainText()
        name = self._name
        try:
            saved = self._bridge.desk.save_script(name, source, team=team)
        except ScriptError as error:
            # Shown beside the text, where the rep fixes it, not in a message box.
            self._show_error(error)
            self._status.setText("Not saved: fix the error first.")
            return
        except KnownError as error:
            self._status.setText(f"Not saved: {error}")
            return
        if not saved.team:
            status = "Saved as your own version."
        elif self._is_users():
            # The rep's own version still wins for them: said, never a silent no-op.
            status = "Saved as the team's version. You still use your own; reset it to use theirs."
        else:
            status = "Saved as the team's version: every rep without their own uses it."
        if not saved.team or not self._is_users():
            self._saved_source = source  # the text in effect for the rep now
        self._status.setText(status)
        self._show_origin()
        self._refresh_preview()
        self.script_changed.emit(self._name)

    def ask_reset(self) -> None:
        """Ask before deleting the rep's version; the answer arrives without blocking."""
        fallback = self._fallback()
        if fallback is None or not self._is_users():
            return
        title = self._choice.currentText()
        self._ask(
            f"Reset “{title}” to the {FALLBACK_WORDS[fallback]}?",
            "Your version (and any unsaved edit to it) will be deleted.",
            QMessageBox.StandardButton.Reset,
            self._reset,
        )

    def _reset(self) -> None:
        name = self._name

        if self._bridge.attempt(lambda: self._bridge.desk.reset_script(name)) is None:
            return
        self._drafts.pop(name, None)
        self._load(name)
        origin = self._bridge.desk.scripts.info(name).origin
        self._status.setText(f"Back to the {FALLBACK_WORDS.get(origin, 'bundled version')}.")
        self.script_changed.emit(name)

    def reject(self) -> None:
        """Close; with unsaved edits, ask first."""
        if self._confirmation is not None:
            return
        if not self.has_unsaved_edits():
            super().reject()
            return
        names = sorted({*self._drafts, *([self._name] if self._current_changed() else [])})
        self._ask(
            "Close without saving?",
            f"Unsaved edits to {', '.join(names)} will be lost.",
            QMessageBox.StandardButton.Discard,
            self._discard_and_close,
        )

    def _current_changed(self) -> bool:
        return self._source.toPlainText() != self._saved_source

    def _discard_and_close(self) -> None:
        self._drafts.clear()
        self._load(self._name)
        super().reject()

    def _ask(
        self, question: str, detail: str, yes: QMessageBox.StandardButton, then: Callable[[], None]
    ) -> None:
        """Ask with a window-modal box that does not block (so tests can answer it)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Edit scripts",
            question,
            yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(detail)
        # Enter on the question keeps the rep's work; the risky answer takes a deliberate key.
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("scriptEditorQuestion")
        self._confirmation = box

        def answered(button: QAbstractButton) -> None:
            self._confirmation = None
            if box.standardButton(button) == yes:
                then()

        def closed() -> None:
            self._confirmation = None
            box.deleteLater()

        box.buttonClicked.connect(answered)
        box.finished.connect(closed)
        box.open()
