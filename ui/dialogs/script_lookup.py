"""Scripts at a keystroke: filter every script as you type, read it filled in, copy it.

The lookup opens over the call window (Ctrl+K there) with the filter focused
and the script for the prospect's next step on top. Up and Down move through
the list without leaving the filter, so the rep types a word, glances at the
preview and presses Enter: the text is on the clipboard and the dialog is
gone; an email goes on the clipboard both as plain text and as its HTML in
larger type, so it pastes into a mail with that type size. For an email,
"Open in mail app" writes a draft .eml (both versions, addressed to the
prospect) and opens it, or falls back to a mailto: link (plain text only);
Dial hands the prospect's number to a softphone through a tel: link.

The preview (ui.dialogs.script_preview) is the script rendered for this
prospect with the rep's profile, its missing fields marked.

Rendering reads the prospect from the database and runs the script, a tenth of
a second on a busy machine and up to the render time limit for a rep's own
script that loops: so it runs in a worker, and typing in the filter or moving
through the list never waits for it. One render runs at a time; when it ends
on a script that is no longer highlighted, the highlighted one is rendered
instead, and copying waits for the preview of the script the rep is on.
"""

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import KnownError
from callassist.records import ProspectRecord
from callassist.templates import RenderedScript, ScriptInfo
from ui.background import Outcome, WorkerCall, run_in_worker
from ui.bridge import DeskBridge, attempt_reporting
from ui.dialogs.script_filter import LIST_KEYS_TEXT, FilterKeysToList
from ui.dialogs.script_preview import (
    ScriptPreviewPane,
    blend,
    error_html,
    missing_highlight,
    missing_note,
    preview_html,
    speaking_time,
)
from ui.dialogs.script_sending import mailto_url, tel_url, text_to_send
from ui.models.scripts import (
    SCRIPT_INFO_ROLE,
    SCRIPT_NAME_ROLE,
    ScriptFilterProxy,
    ScriptListModel,
)

# The preview and sending helpers lived here before: their old import path still works.
__all__ = [
    "SCRIPT_LOOKUP_KEYS",
    "ScriptLookupDialog",
    "blend",
    "error_html",
    "mailto_url",
    "missing_highlight",
    "missing_note",
    "preview_html",
    "speaking_time",
    "tel_url",
    "text_to_send",
]

OpenUrl = Callable[[QUrl], bool]

SCRIPT_LOOKUP_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter, Ctrl+C", "Copy the script (an email with its subject) and close"),
    ("Ctrl+M", "Write the email as a draft and open it in your mail app"),
    ("Ctrl+D", "Dial the prospect with your softphone"),
    (LIST_KEYS_TEXT, "Move through the list while you type"),
    ("Esc", "Close without using a script"),
)
"""(keys, what they do) for F1: the dialog's actions (``_build_actions``) and its list keys."""


class ScriptLookupDialog(QDialog):
    """Find a script by typing, read it filled in for the prospect, copy or send it."""

    script_used = Signal(str, str)
    """(script name, text copied or sent): the rep used this script."""
    preview_updated = Signal()
    """The preview shows the highlighted script, rendered (or why it cannot be)."""

    def __init__(
        self,
        bridge: DeskBridge,
        prospect_id: int | None,
        first: Sequence[str] = (),
        parent: QWidget | None = None,
        open_url: OpenUrl = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._open_url = open_url
        self._rendered: RenderedScript | None = None
        self._rendering: WorkerCall[RenderedScript] | None = None
        """The render running in the worker, if one runs."""
        self._use_when_previewed: Callable[[], None] | None = None
        """Copy or mail asked for before the highlighted script's preview arrived."""
        self._prospect: ProspectRecord | None = None
        if prospect_id is not None:
            self._prospect = bridge.attempt(lambda: bridge.desk.prospect(prospect_id))
        self._prospect_id = self._prospect.id if self._prospect is not None else None

        self.setObjectName("scriptLookup")
        self.setAccessibleName("Script lookup")
        self.setWindowTitle(
            f"Scripts — {self._prospect.full_name}" if self._prospect is not None else "Scripts"
        )
        self.resize(980, 620)

        self._model = ScriptListModel(self)
        self._model.set_scripts(bridge.desk.list_scripts(), first)
        self._proxy = ScriptFilterProxy(self)
        self._proxy.setSourceModel(self._model)

        self._build()
        self._build_actions()
        self._filter.textChanged.connect(self._filter_changed)
        selection = self._list.selectionModel()
        selection.currentChanged.connect(self._current_changed)
        self._select_row(0)

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        who = QLabel(self)
        who.setObjectName("scriptProspect")
        # Rich for the bold name; everything the rep typed goes in escaped.
        who.setTextFormat(Qt.TextFormat.RichText)
        if self._prospect is not None:
            company = self._prospect.company
            after_name = f" · {html.escape(company)}" if company else ""
            who.setText(f"Filled in for <b>{html.escape(self._prospect.full_name)}</b>{after_name}")
        else:
            who.setText("No prospect open: fields about the prospect show as missing.")

        self._filter = QLineEdit(self)
        self._filter.setObjectName("scriptFilter")
        self._filter.setAccessibleName("Filter scripts")
        self._filter.setPlaceholderText(
            "Type to filter: title, channel or moment (↑ ↓ to pick, Enter to copy)"
        )
        self._filter.setClearButtonEnabled(True)

        self._list = QListView(self)
        self._list.setObjectName("scriptList")
        self._list.setAccessibleName("Scripts")
        self._list.setModel(self._proxy)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._list.setUniformItemSizes(True)
        self._list.setWordWrap(False)
        self._list.setSpacing(2)
        self._filter_keys = FilterKeysToList(self._filter, self._list)

        problems = self._bridge.desk.scripts.problems()
        self._problems = QLabel(self)
        self._problems.setObjectName("scriptProblems")
        self._problems.setTextFormat(Qt.TextFormat.PlainText)
        self._problems.setWordWrap(True)
        self._problems.setVisible(bool(problems))
        if problems:
            count = len(problems)
            self._problems.setText(
                f"{count} of your scripts could not be read and {'is' if count == 1 else 'are'}"
                " not listed:\n" + "\n".join(str(problem) for problem in problems)
            )

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._list, 1)
        left_layout.addWidget(self._problems)

        self._pane = ScriptPreviewPane(self)
        self._preview = self._pane.text_view

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self._pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 650])

        self._status = QLabel(self)
        self._status.setObjectName("scriptStatus")
        # Plain: it names the number dialled and the draft's path.
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setWordWrap(True)
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Hidden while it says nothing (a screen reader would land on an empty,
        # unnamed stop), its room kept so the buttons beside it stay put.
        policy = self._status.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self._status.setSizePolicy(policy)
        self._status.hide()

        self._copy_button = QPushButton("Copy (Enter)", self)
        self._mail_button = QPushButton("Open in mail app (Ctrl+M)", self)
        self._dial_button = QPushButton("Dial (Ctrl+D)", self)
        close_button = QPushButton("Close (Esc)", self)
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self._status, 1)
        for button in (self._copy_button, self._mail_button, self._dial_button, close_button):
            # Enter always copies (the rep's one keystroke), whatever has focus.
            button.setAutoDefault(False)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(self._filter)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _build_actions(self) -> None:
        self.copy_action = QAction("Copy script", self)
        self.copy_action.setShortcuts(
            [
                QKeySequence(QKeySequence.StandardKey.Copy),
                QKeySequence(Qt.Key.Key_Return),
                QKeySequence(Qt.Key.Key_Enter),
            ]
        )
        self.copy_action.setToolTip("Put the filled-in script on the clipboard and close")
        self.copy_action.triggered.connect(self.copy_script)

        self.mail_action = QAction("Open email in mail app", self)
        self.mail_action.setToolTip("Write the email as a draft .eml and open it in your mail app")
        self.mail_action.setShortcut(QKeySequence("Ctrl+M"))
        self.mail_action.triggered.connect(self.open_in_mail_app)

        self.dial_action = QAction("Dial the prospect", self)
        self.dial_action.setShortcut(QKeySequence("Ctrl+D"))
        self.dial_action.triggered.connect(self.dial)

        for action, button in (
            (self.copy_action, self._copy_button),
            (self.mail_action, self._mail_button),
            (self.dial_action, self._dial_button),
        ):
            # The dialog is its own window: its shortcuts work wherever focus is in it.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
        has_phone = self._prospect is not None and bool(self._prospect.phone)
        self.dial_action.setEnabled(has_phone)
        self._dial_button.setEnabled(has_phone)
        if not has_phone:
            self._dial_button.setToolTip("The prospect has no phone number on the card")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # The rep opened the lookup to type: the filter has the cursor.
        self._filter.setFocus()

    def menu_actions(self) -> list[QAction]:
        """The dialog's actions, with their shortcuts, for menus and the cheat sheet."""
        return [self.copy_action, self.mail_action, self.dial_action]

    # -- reading -------------------------------------------------------------------

    @property
    def rendered(self) -> RenderedScript | None:
        """The script as previewed, or None when nothing renders."""
        return self._rendered

    def preview_pending(self) -> bool:
        """The highlighted script is still being rendered."""
        return self._rendering is not None

    def current_name(self) -> str | None:
        """The name of the highlighted script."""
        name = self._list.currentIndex().data(SCRIPT_NAME_ROLE)
        return name if isinstance(name, str) else None

    # -- behaviour -----------------------------------------------------------------

    def _filter_changed(self, text: str) -> None:
        self._proxy.set_query(text)
        # Typing means "find this": the best match becomes the current script.
        self._select_row(0)

    def _select_row(self, row: int) -> None:
        index = self._proxy.index(row, 0)
        if index.isValid():
            self._list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        else:
            self._show_nothing()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        info = current.data(SCRIPT_INFO_ROLE)
        if isinstance(info, ScriptInfo):
            self._render(info)
        else:
            self._show_nothing()

    def _show_nothing(self) -> None:
        self._rendered = None
        self._pane.show_nothing()
        self._update_actions()

    def _render(self, info: ScriptInfo) -> None:
        self._say("")
        self._pane.show_title(info)
        # What is on screen is the script left behind until this one arrives: not to copy.
        self._rendered = None
        # A render running ends by starting this one (see _preview_arrived).
        if self._rendering is None:
            desk, prospect_id, name = self._bridge.desk, self._prospect_id, info.name
            self._rendering = run_in_worker(
                lambda: desk.render_script(name, prospect_id),
                lambda outcome: self._preview_arrived(name, outcome),
                self,
            )
        self._update_actions()

    def _preview_arrived(self, name: str, outcome: Outcome[RenderedScript]) -> None:
        self._rendering = None
        info = self._list.currentIndex().data(SCRIPT_INFO_ROLE)
        if not isinstance(info, ScriptInfo):
            self._use_when_previewed = None
            return  # no script matches the filter any more, and the preview says so
        if info.name != name:
            self._render(info)
            return
        use, self._use_when_previewed = self._use_when_previewed, None
        try:
            rendered = outcome.get()
        except KnownError as error:
            self._update_actions()
            self._pane.show_error(str(error))
            self.preview_updated.emit()
            return
        self._rendered = rendered
        self._pane.show_rendered(rendered)
        self._update_actions()
        self.preview_updated.emit()
        if use is not None:
            use()

    def _say(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))

    def _update_actions(self) -> None:
        """Copy and mail work on the script previewed, or the one about to be (they wait)."""
        if self._rendering is not None:
            info = self._list.currentIndex().data(SCRIPT_INFO_ROLE)
            channel = info.channel if isinstance(info, ScriptInfo) else None
            self.copy_action.setEnabled(channel is not None)
            self.mail_action.setEnabled(channel == "email")
            return
        rendered = self._rendered
        self.copy_action.setEnabled(rendered is not None)
        self.mail_action.setEnabled(rendered is not None and rendered.channel == "email")

    # -- actions -----------------------------------------------------------------

    def copy_script(self) -> None:
        """Put the script on the clipboard, report it used and close.

        Ctrl+C on a selection in the preview or the filter copies just that,
        as everywhere else.
        """
        if self._preview.hasFocus() and self._preview.textCursor().hasSelection():
            self._preview.copy()
            return
        if self._filter.hasFocus() and self._filter.hasSelectedText():
            self._filter.copy()
            return
        if self._rendering is not None:
            self._use_when_previewed = self.copy_script
            return
        rendered = self._rendered
        if rendered is None:
            return
        text = text_to_send(rendered)
        copied = QMimeData()
        copied.setText(text)
        if rendered.html is not None:
            # A mail or word processor pastes the HTML, in the type size it was written in.
            copied.setHtml(rendered.html)
        QApplication.clipboard().setMimeData(copied)
        self.script_used.emit(rendered.name, text)
        self.accept()

    def open_in_mail_app(self) -> None:
        """Write the email as a draft .eml to the prospect and open it in the mail program.

        Only a file carries the HTML version in larger type; a mailto: link (plain
        text) is the way left when no app takes the file or it cannot be written.
        The dialog stays open so the rep can read where the draft is.
        """
        if self._rendering is not None:
            self._use_when_previewed = self.open_in_mail_app
            return
        rendered = self._rendered
        if rendered is None or rendered.channel != "email":
            return
        desk = self._bridge.desk
        draft, problem = attempt_reporting(
            self._bridge, lambda: desk.write_email_draft(rendered, self._prospect_id)
        )
        if draft is not None and self._open_url(QUrl.fromLocalFile(str(draft))):
            self._say(f"Draft opened in your mail app; it is saved as {draft}")
        else:
            written = (
                f"No app opened the draft saved as {draft}."
                if draft is not None
                else f"The draft was not written: {problem}"
            )
            address = (self._prospect.email or "") if self._prospect is not None else ""
            if not self._open_url(mailto_url(address, rendered.subject or "", rendered.text)):
                self._say(f"{written} No mail app took a mailto: link either: copy it with Enter.")
                return
            self._say(f"{written} Your mail app has it as plain text instead.")
        self.script_used.emit(rendered.name, text_to_send(rendered))

    def dial(self) -> None:
        """Hand the prospect's number to the softphone; the script stays open to read."""
        if self._prospect is None or not self._prospect.phone:
            return
        dialled = self._prospect.dialled
        if self._open_url(tel_url(self._prospect.phone, dialled.extension if dialled else None)):
            self._say(f"Dialing {self._prospect.phone_display}…")
        else:
            self._say("No softphone took the tel: link; dial by hand.")
