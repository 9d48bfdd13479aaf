"""The prospect card: who they are, the homework, and what was said last.

Every field is edited in place and saved as the rep types (no Save button):
one core call per field save. This module assembles the card from its
sections (research notes, last message and pains, enrollment, details,
history) and keeps them on the open prospect; each section lives in its own
``card_*`` module.
"""

from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.records import ProfileRecord, ProspectDetail, RepRecord, TrashedProspect
from ui.autosave import AutoSaver, Editor
from ui.background import NewestOnly, Outcome
from ui.bridge import DeskBridge
from ui.tints import follow_theme
from ui.widgets.card_details import ProspectDetails
from ui.widgets.card_history import History, LastMessage, PainsHeard
from ui.widgets.card_parts import fill
from ui.widgets.card_research import ResearchNotes
from ui.widgets.card_status import STATUS_KEY, StatusChoice
from ui.widgets.enrollment import EnrollmentBox

EMPTY_STATE = (
    "No prospect open.\n\n"
    "Press Ctrl+F or / to find one by name, company, notes or phone number, "
    "then Enter to open it.\n\n"
    "Press Ctrl+N to add a prospect by hand: a referral, or a call-back from a new number."
)


class ProspectCard(QWidget):
    """One prospect, editable in place, with their research and history."""

    deleted = Signal(object)
    """A prospect was moved to the trash; carries their TrashedProspect."""
    dialog_wanted = Signal(QDialog)
    """A dialog to open over the window: which text to keep after a colleague saved first."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prospectCard")
        self.setAccessibleName("Prospect card")
        self._bridge = bridge
        self._saver = AutoSaver(self)
        self._prospect_id: int | None = None
        self._profile: ProfileRecord | None = None
        self._reps: dict[int, RepRecord] = {}
        self._script_titles: dict[str, str] = {}
        self._reads: NewestOnly[ProspectDetail] = NewestOnly(self, after_drawing=True)

        self._empty = QLabel(EMPTY_STATE, self)
        self._empty.setObjectName("prospectCardEmpty")
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)

        self.enrollment = EnrollmentBox(bridge, self)
        # Its keys work anywhere on the card, not only inside the box.
        self.addActions(self.enrollment.menu_actions())

        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(self._build_header())
        # Homework first, before dialing and on the call alike: the angle and the
        # research are what the rep reads as the phone rings. Then what was said
        # last time (the message left, the pains heard), then the cadence.
        self._research = ResearchNotes(
            bridge, self._saver, self.current_prospect_id, self.dialog_wanted.emit, self
        )
        column.addWidget(self._research)
        self._last_message = LastMessage(self)
        column.addWidget(self._last_message)
        self._pains = PainsHeard(self)
        column.addWidget(self._pains)
        column.addWidget(self.enrollment)
        self._details = ProspectDetails(
            bridge, self._saver, self.current_prospect_id, self.dialog_wanted.emit, self
        )
        column.addWidget(self._details)
        self._history = History(self)
        column.addWidget(self._history)
        column.addStretch(1)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        # A tab stop of its own (Page Down scrolls the card), so it needs a name too.
        self._scroll.setAccessibleName("Prospect card, scrolls")
        self._scroll.setWidget(content)

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self._go_research = self._action(
            "Go to research notes", "Ctrl+Shift+R", self._research.editors["company_summary"]
        )
        self._go_details = self._action(
            "Edit prospect details", "Ctrl+Shift+D", self._details.editors["first_name"]
        )
        self._go_status = QAction("Change the status", self)
        self._go_status.setShortcut(QKeySequence(STATUS_KEY))
        self._go_status.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._go_status.triggered.connect(self._focus_status)
        self.addAction(self._go_status)
        bridge.changed.connect(self._follow_change)
        self._show_empty()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        follow_theme(self, event)

    # -- what the main window calls ---------------------------------------------

    def current_prospect_id(self) -> int | None:
        return self._prospect_id

    def is_reading(self) -> bool:
        """True until the prospect's details asked for last have arrived."""
        return self._reads.waiting

    def show_prospect(self, prospect_id: int | None) -> None:
        """Open this prospect (None: the empty state), saving pending edits first.

        While some typing on the open prospect cannot be stored, they stay open:
        the text on screen is the only copy.
        """
        if not self.flush() and prospect_id != self._prospect_id:
            return
        if prospect_id is None:
            self._show_empty()
            return
        desk = self._bridge.desk
        detail = self._bridge.attempt(lambda: self._bridge.prospect_detail(prospect_id))
        if detail is None:
            self._show_empty()
            return
        if self._profile is None:
            # Read once: the change records keep all three up to date from then on.
            self._profile = self._bridge.attempt(desk.profile)
            self._read_script_titles()
            self._read_reps()
        if prospect_id != self._prospect_id:
            self._forget_typing()
        self._prospect_id = prospect_id
        self._details.hide_errors()
        self._render(detail, overwrite=True)
        self.enrollment.set_prospect(prospect_id)
        self._pages.setCurrentWidget(self._scroll)
        self._scroll.verticalScrollBar().setValue(0)
        self._set_actions_enabled(True)

    def set_in_call(self, in_call: bool) -> None:
        """A call starts with the card at its top: the research notes, right under the name."""
        if in_call:
            self._scroll.verticalScrollBar().setValue(0)

    def flush(self) -> bool:
        """Save every edit still waiting for a typing pause.

        False when some typing could not be stored yet (the database busy, the
        disk full): it stays on screen and is retried, and the caller must not
        replace it with another prospect.
        """
        return self._saver.flush()

    def delete_current(self) -> TrashedProspect | None:
        """Move the open prospect and their history to the trash; emits :attr:`deleted`."""
        prospect_id = self._prospect_id
        if prospect_id is None:
            return None
        # What was typed last must be in the trash that undo brings back.
        self.flush()
        desk = self._bridge.desk
        deleted = self._bridge.attempt(lambda: desk.delete_prospect(prospect_id))
        if deleted is not None:
            self._show_empty()
            self.deleted.emit(deleted)
        return deleted

    def menu_actions(self) -> list[QAction]:
        return [self._go_research, self._go_details, self._go_status]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # About 64 characters wide: long texts wrap rather than claim the width
        # the list and the call panel need beside the card.
        width = self.fontMetrics().averageCharWidth() * 64
        return QSize(width, super().sizeHint().height())

    # -- building -------------------------------------------------------------------

    def _action(self, text: str, keys: str, target: Editor) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        # From anywhere in the window: the rep jumps here from the list or a call.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self._focus_editor(target))
        self.addAction(action)
        return action

    def _build_header(self) -> QVBoxLayout:
        self._name = QLabel(self)
        self._name.setObjectName("prospectName")
        # Names, companies and typed values show as typed: "<b>" is text, not markup.
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self._name.setFont(font)
        self._name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._subtitle = QLabel(self)
        self._subtitle.setObjectName("prospectSubtitle")
        self._subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self._subtitle.setWordWrap(True)
        self._subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(self._name)
        header.addWidget(self._subtitle)
        header.addLayout(self._build_status())
        return header

    def _build_status(self) -> QHBoxLayout:
        self._status = StatusChoice(self._bridge, self.current_prospect_id, self)
        label = QLabel("Status:", self)
        label.setBuddy(self._status)
        # Whose prospect this is, on a team's database (alone, every prospect is the rep's).
        self._owner = QLabel(self)
        self._owner.setObjectName("prospectOwner")
        self._owner.setTextFormat(Qt.TextFormat.PlainText)
        self._owner.hide()
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self._status)
        row.addSpacing(12)
        row.addWidget(self._owner)
        row.addStretch(1)
        return row

    def _focus_status(self) -> None:
        self._status.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(self._status)

    # -- showing -----------------------------------------------------------------------

    def _read_script_titles(self) -> None:
        scripts = self._bridge.attempt(self._bridge.desk.list_scripts) or []
        self._script_titles = {script.name: script.title for script in scripts}

    def _follow_change(self, changes: Changes) -> None:
        desk = self._bridge.desk
        if changes.profile:
            self._profile = self._bridge.attempt(desk.profile)
            self._read_reps()
        if changes.scripts:
            self._read_script_titles()
        prospect_id = self._prospect_id
        if prospect_id is None:
            return
        # Time checks and cadences are not on the card (its enrollment box follows
        # cadences itself): a key press in the time check reloads nothing here.
        shown = (
            changes.prospects
            or changes.research
            or changes.attempts
            or changes.pains
            or changes.follow_ups
            or changes.trash
        )
        if not (changes.profile or changes.scripts or (shown and changes.touches(prospect_id))):
            return

        # Read on a worker: the change came from the rep's own key (F5, a logged
        # call, a saved note) and the card shows the last read until this one arrives.
        def arrived(outcome: Outcome[ProspectDetail]) -> None:
            if prospect_id != self._prospect_id:
                return  # another prospect is open
            detail, gone = self._bridge.arrived_detail(outcome)
            if gone:
                # Deleted by another part of the window: nothing left to show or save.
                self._show_empty()
            elif detail is not None:
                self._render(detail, overwrite=False)

        self._bridge.read_detail_in_worker(prospect_id, arrived, self._reads)

    def _read_reps(self) -> None:
        reps = self._bridge.attempt(self._bridge.desk.reps) or []
        self._reps = {rep.id: rep for rep in reps}

    def _show_owner(self, owner_id: int | None) -> None:
        if owner_id is not None and owner_id not in self._reps:
            self._read_reps()  # a rep who joined from another computer since
        owner = self._reps.get(owner_id) if owner_id is not None else None
        self._owner.setText(f"Owner: {owner.called}" if owner is not None else "")
        self._owner.setVisible(owner is not None and len(self._reps) > 1)

    def _show_empty(self) -> None:
        self._prospect_id = None
        self.enrollment.set_prospect(None)
        for editor in self._editors():
            fill(self._saver, editor, "", overwrite=True)
        self._details.hide_errors()
        self._pages.setCurrentWidget(self._empty)
        self._set_actions_enabled(False)

    def _forget_typing(self) -> None:
        """Empty every editor's undo history before another prospect fills them.

        A field whose text stays the same is not refilled, and would otherwise
        let Ctrl+Z bring back (and save) what was typed for the last prospect.
        """
        for editor in self._editors():
            if isinstance(editor, QLineEdit):
                editor.setText(editor.text())  # a line edit's only way to forget its history
            else:
                editor.document().clearUndoRedoStacks()

    def _editors(self) -> list[Editor]:
        return [*self._details.editors.values(), *self._research.editors.values()]

    def _set_actions_enabled(self, enabled: bool) -> None:
        self._go_research.setEnabled(enabled)
        self._go_details.setEnabled(enabled)
        self._go_status.setEnabled(enabled)

    def _focus_editor(self, editor: Editor) -> None:
        editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(editor)

    def _render(self, detail: ProspectDetail, *, overwrite: bool) -> None:
        prospect = detail.prospect
        self._name.setText(prospect.full_name)
        # The status has its own box under this line.
        facts = [prospect.title, prospect.company, prospect.phone_display]
        self._subtitle.setText(" · ".join(fact for fact in facts if fact))
        self._status.show_status(prospect.status)
        self._show_owner(prospect.owner_id)
        self._details.show_prospect(prospect, overwrite=overwrite)
        now, zone_name = self._now(), self._zone_name()
        self._research.show_research(detail.research, now, zone_name, overwrite=overwrite)
        self._last_message.show_message(detail.last_message, zone_name, self._script_title)
        self._pains.show_pains(detail.pains, now, zone_name)
        self._history.show_history(detail, zone_name, self._script_title)

    def _script_title(self, name: str) -> str:
        return self._script_titles.get(name, name)

    def _zone_name(self) -> str:
        # The rep reads history in their own time; their zone is always known
        # (set, or the computer's), so this falls back only if the profile failed.
        return self._profile.timezone if self._profile is not None else "UTC"

    def _now(self) -> datetime:
        return self._bridge.desk.clock()
