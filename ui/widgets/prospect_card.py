"""The prospect card: who they are, the homework, and what was said last.

Every field is edited in place and saved as the rep types (no Save button):
one core call per field save. A value the core refuses (a bad email, a
phone number with a digit missing) is shown next to the field, the field
keeps what was typed so it can be fixed, and the database keeps the old
value. The last message left is shown word for word, because a prospect
who calls back days later starts with "you left me a message about...".
The pains heard on every call with them are listed too, in their words, so
the rep calling back can start from what hurts ("last time you told me...").
"""

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callassist.changes import Changes
from callassist.errors import InvalidInputError, NotFoundError
from callassist.localtime import day_and_time
from callassist.pains import GUIDES
from callassist.phones import region_zones, zone
from callassist.records import (
    AttemptRecord,
    PainRecord,
    ProfileRecord,
    ProspectDetail,
    ProspectRecord,
    ResearchRecord,
    TrashedProspect,
)
from callassist.vocabulary import PhoneKind, ProspectStatus
from callassist.wording import OUTCOME_WORDS
from ui.autosave import AutoSaver, Editor, NotSaved, Save, editor_text
from ui.bridge import DeskBridge, attempt_reporting
from ui.models.pains import NO_WORDS
from ui.tints import DANGER_HUE, WARNING_HUE, follow_theme, tint
from ui.widgets.enrollment import EnrollmentBox, key_text
from ui.widgets.labels import field_label

PROSPECT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("first_name", "First name", ""),
    ("last_name", "Last name", ""),
    ("title", "Title", ""),
    ("company", "Company", ""),
    ("phone", "Direct phone", "their own line, e.g. (505) 828-1788 ext. 12"),
    ("mobile", "Mobile", "any format, e.g. 505-555-0101 or +44 7911 123456"),
    ("office", "Office phone", "the company's number, e.g. +44 20 7946 0123"),
    ("email", "Email", "name@company.com"),
    ("website", "Website", ""),
    ("linkedin", "LinkedIn", ""),
    ("timezone", "Time zone", "e.g. America/Denver or MST; empty: from the phone number"),
    ("tags", "Tags", "comma separated, e.g. dental, referral"),
)
"""(field the core takes, label, placeholder) of the one-line fields, in form order."""

RESEARCH_FIELDS: tuple[tuple[str, str, int, str], ...] = (
    ("company_summary", "Company summary", 3, "What they do, who their clients are"),
    ("person_profile", "Person profile", 3, "Their role, background, public profile"),
    ("angle", "Angle", 3, "How what we sell could help them or their clients"),
    ("source_links", "Sources", 3, "Links, one per line"),
)
"""(field, label, lines shown, placeholder) of the research notes."""

PHONE_KIND_WORDS: dict[PhoneKind, str] = {
    PhoneKind.DIRECT: "Direct",
    PhoneKind.MOBILE: "Mobile",
    PhoneKind.OFFICE: "Office",
}

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

NO_HOMEWORK = "No homework yet: research before you dial"
EMPTY_STATE = (
    "No prospect open.\n\n"
    "Press Ctrl+F or / to find one by name, company, notes or phone number, "
    "then Enter to open it.\n\n"
    "Press Ctrl+N to add a prospect by hand: a referral, or a call-back from a new number."
)
ATTEMPTS_SHOWN = 6
"""Recent attempts on the card; enough to see the cadence without scrolling."""
PAINS_SHOWN = 8
"""Pains on the card, newest first; more than a few calls' worth is rarely read."""
PAIN_MARKS: tuple[tuple[str, str], ...] = (
    ("✓ asked", "✗ not asked"),
    ("✓ acknowledged", "✗ not acknowledged"),
    # Unticked means nobody said we can help yet, not that we can't.
    ("✓ we can help", "✗ no help noted"),
)
"""(yes, no) words for a pain's asked, acknowledged and can-help marks: a glyph and words,
short enough to keep each pain to a few lines on the card."""


def relative_day(moment: datetime, now: datetime, zone_name: str) -> str:
    """When, in words: "today", "yesterday" or "3 days ago (Thu Mar 5)", in the rep's zone."""
    where = zone(zone_name)
    days = (now.astimezone(where).date() - moment.astimezone(where).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago ({moment.astimezone(where):%a %b} {moment.astimezone(where).day})"


class _ChoiceBox(QComboBox):
    """A combo box the mouse wheel changes only once the rep has put the cursor in it.

    A choice here is saved at once, and the card scrolls under the mouse: a
    wheel turned to scroll past the box must scroll the card, not change the choice.
    """

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # passed on to the card's scroll area


def _written(prospect: ProspectRecord, kind: PhoneKind) -> str:
    """A number as the rep dials it, extension included, or "" when there is none."""
    line = prospect.phone_line(kind)
    return line.written if line else ""


def _attention(label: QLabel, hue: int) -> QLabel:
    """Make ``label`` stand out as a note to act on, in the warning look of the whole window."""
    label.setWordWrap(True)
    label.setMargin(6)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    tint(label, hue)
    return label


def _lines_high(editor: QPlainTextEdit, lines: int) -> None:
    """Size a text box to show ``lines`` lines: enough to read, small enough to fit."""
    editor.setTabChangesFocus(True)
    margins = editor.contentsMargins()
    document_margin = int(editor.document().documentMargin())
    editor.setFixedHeight(
        editor.fontMetrics().lineSpacing() * lines
        + 2 * document_margin
        + margins.top()
        + margins.bottom()
    )


class ProspectCard(QWidget):
    """One prospect, editable in place, with their research and history."""

    deleted = Signal(object)
    """A prospect was moved to the trash; carries their TrashedProspect."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("prospectCard")
        self.setAccessibleName("Prospect card")
        self._bridge = bridge
        self._saver = AutoSaver(self)
        self._prospect_id: int | None = None
        self._profile: ProfileRecord | None = None
        self._script_titles: dict[str, str] = {}
        self._editors: dict[str, Editor] = {}
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, str] = {}
        self._research_editors: dict[str, QPlainTextEdit] = {}

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
        column.addWidget(self._build_research())
        column.addWidget(self._build_last_message())
        column.addWidget(self._build_pains())
        column.addWidget(self.enrollment)
        column.addWidget(self._build_details())
        column.addWidget(self._build_history())
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
            "Go to research notes", "Ctrl+Shift+R", self._research_editors["company_summary"]
        )
        self._go_details = self._action(
            "Edit prospect details", "Ctrl+Shift+D", self._editors["first_name"]
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
        detail = self._bridge.attempt(lambda: desk.prospect_detail(prospect_id))
        if detail is None:
            self._show_empty()
            return
        self._profile = self._bridge.attempt(desk.profile)
        scripts = self._bridge.attempt(desk.list_scripts) or []
        self._script_titles = {script.name: script.title for script in scripts}
        if prospect_id != self._prospect_id:
            self._forget_typing()
        self._prospect_id = prospect_id
        for error in self._errors.values():
            error.hide()
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
        # Outcomes only move a status forward; this box is how the rep moves it
        # back (a "no" who calls to talk after all), or anywhere else by hand.
        self._status = _ChoiceBox(self)
        # Not focused by the wheel itself (a combo box's default), or every wheel
        # turn over it would first take the cursor and then change the status.
        self._status.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._status.setObjectName("prospectStatus")
        self._status.setAccessibleName("Status")
        self._status.setToolTip(
            f"Choose with the arrow keys; it is saved at once ({key_text(STATUS_KEY)})"
        )
        for status, words in STATUS_WORDS.items():
            self._status.addItem(words, status.value)
        self._status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Activated, not index-changed: only the rep's choice is saved, never a reload.
        self._status.activated.connect(self._save_status)
        label = QLabel("Status:", self)
        label.setBuddy(self._status)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self._status)
        row.addStretch(1)
        return row

    def _build_last_message(self) -> QGroupBox:
        self._last_message_box = QGroupBox("Last message left", self)
        self._last_message_box.setObjectName("lastMessage")
        self._last_message_when = QLabel(self._last_message_box)
        self._last_message_when.setTextFormat(Qt.TextFormat.PlainText)
        self._last_message_when.setWordWrap(True)
        self._last_message_text = QLabel(self._last_message_box)
        self._last_message_text.setObjectName("lastMessageText")
        self._last_message_text.setTextFormat(Qt.TextFormat.PlainText)
        self._last_message_text.setWordWrap(True)
        self._last_message_text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Framed on the text background, like a quote: these are the exact words said.
        self._last_message_text.setFrameShape(QFrame.Shape.StyledPanel)
        self._last_message_text.setAutoFillBackground(True)
        self._last_message_text.setBackgroundRole(QPalette.ColorRole.Base)
        self._last_message_text.setMargin(8)
        box = QVBoxLayout(self._last_message_box)
        box.addWidget(self._last_message_when)
        box.addWidget(self._last_message_text)
        return self._last_message_box

    def _build_pains(self) -> QGroupBox:
        self._pains_box = QGroupBox("Pains heard", self)
        self._pains_box.setObjectName("painsHeard")
        self._pains_list = QLabel(self._pains_box)
        self._pains_list.setObjectName("painsHeardList")
        self._pains_list.setTextFormat(Qt.TextFormat.RichText)
        self._pains_list.setWordWrap(True)
        self._pains_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self._pains_box)
        box.addWidget(self._pains_list)
        return self._pains_box

    def _build_research(self) -> QGroupBox:
        group = QGroupBox("Research notes", self)
        group.setObjectName("researchNotes")
        self._homework_flag = _attention(QLabel(NO_HOMEWORK, group), WARNING_HUE)
        self._homework_flag.setObjectName("noHomework")
        self._research_stamp = QLabel(group)
        self._research_stamp.setObjectName("researchedWhen")
        form = QFormLayout()
        # Labels above the boxes: the text gets the card's full width, so fewer lines wrap.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name, label, lines, placeholder in RESEARCH_FIELDS:
            editor = QPlainTextEdit(group)
            editor.setObjectName(f"research_{name}")
            editor.setAccessibleName(f"Research: {label}")
            editor.setPlaceholderText(placeholder)
            _lines_high(editor, lines)
            self._research_editors[name] = editor
            self._saver.watch(editor, self._research_saver(name))
            form.addRow(f"{label}:", editor)
        box = QVBoxLayout(group)
        box.addWidget(self._homework_flag)
        box.addWidget(self._research_stamp)
        box.addLayout(form)
        return group

    def _build_details(self) -> QGroupBox:
        group = QGroupBox("Details", self)
        group.setObjectName("prospectDetails")
        form = QFormLayout(group)
        zones = list(region_zones())
        for name, label, placeholder in PROSPECT_FIELDS:
            editor = QLineEdit(group)
            editor.setPlaceholderText(placeholder)
            if name == "timezone":
                completer = QCompleter(zones, editor)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                editor.setCompleter(completer)
            form.addRow(field_label(f"{label}:", editor), self._with_error(name, label, editor))
            if name == "office":
                # Which of several numbers to call, under them; shown once there is a
                # choice. Made here, so Tab reaches it after the numbers.
                self._dial = _ChoiceBox(group)
                self._dial.setObjectName("dialChoice")
                self._dial.setAccessibleName("Number to dial")
                self._dial.activated.connect(self._choose_dial)
                self._dial_label = QLabel("Dial:", group)
                self._dial_label.setBuddy(self._dial)
                form.addRow(self._dial_label, self._dial)
        notes = QPlainTextEdit(group)
        notes.setPlaceholderText("Anything worth remembering before the next call")
        _lines_high(notes, 4)
        form.addRow(field_label("Notes:", notes), self._with_error("notes", "Notes", notes))
        return group

    def _with_error(self, name: str, label: str, editor: Editor) -> QWidget:
        """The editor with a hidden line under it for what the core refused."""
        editor.setObjectName(f"field_{name}")
        editor.setAccessibleName(label)
        error = _attention(QLabel(editor.parentWidget()), DANGER_HUE)
        error.setObjectName(f"error_{name}")
        error.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote what was typed
        error.hide()
        holder = QWidget(editor.parentWidget())
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(editor)
        stack.addWidget(error)
        self._editors[name] = editor
        self._errors[name] = error
        self._labels[name] = label
        self._saver.watch(editor, self._field_saver(name))
        return holder

    def _build_history(self) -> QGroupBox:
        group = QGroupBox("History", self)
        group.setObjectName("prospectHistory")
        self._attempts = QLabel(group)
        self._attempts.setObjectName("attemptHistory")
        self._attempts.setTextFormat(Qt.TextFormat.RichText)
        self._attempts.setWordWrap(True)
        self._follow_ups = QLabel(group)
        self._follow_ups.setObjectName("openFollowUps")
        self._follow_ups.setTextFormat(Qt.TextFormat.RichText)
        self._follow_ups.setWordWrap(True)
        box = QVBoxLayout(group)
        box.addWidget(self._attempts)
        box.addWidget(self._follow_ups)
        return group

    # -- saving -----------------------------------------------------------------------

    def _field_saver(self, name: str) -> Save:
        return lambda text: self._save_field(name, text)

    def _save_status(self, index: int) -> None:
        prospect_id = self._prospect_id
        if prospect_id is None:
            return
        chosen = ProspectStatus(self._status.itemData(index))
        desk = self._bridge.desk
        saved = self._bridge.attempt(lambda: desk.set_status(prospect_id, chosen))
        if saved is None:
            # Not stored (the bridge says why in the status bar): show what is.
            stored = self._bridge.attempt(lambda: desk.prospect(prospect_id))
            if stored is not None:
                self._show_status(stored.status)

    def _show_status(self, status: ProspectStatus) -> None:
        self._status.setCurrentIndex(self._status.findData(status.value))

    def _focus_status(self) -> None:
        self._status.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(self._status)

    def _research_saver(self, name: str) -> Save:
        return lambda text: self._save_research(name, text)

    def _save_field(self, name: str, text: str) -> NotSaved | None:
        prospect_id = self._prospect_id
        if prospect_id is None:
            return None
        desk = self._bridge.desk
        error = self._errors[name]
        # Hidden before the call: a successful save reloads the card, and a field
        # still marked wrong would keep its typed text instead of the stored one.
        error.hide()
        refusal = ""

        def save() -> ProspectRecord | None:
            nonlocal refusal
            try:
                return desk.update_prospect(prospect_id, **{name: text})
            except InvalidInputError as refused:
                # "email: 'bob@' is not an email address" reads better without "email:".
                reason = str(refused)
                for prefix in (f"{self._labels[name].lower()}:", f"{name}:"):
                    if reason.lower().startswith(prefix):
                        reason = reason[len(prefix) :].strip()
                refusal = reason
                error.setText(f"Not saved: {reason}")
                error.show()
                return None

        record, problem = attempt_reporting(self._bridge, save)
        if record is not None:
            return None
        if refusal:
            return NotSaved(f"{self._labels[name]}: {refusal}", retry=False)
        return NotSaved(f"{self._labels[name]}: {problem}", retry=True)

    def _save_research(self, name: str, text: str) -> NotSaved | None:
        prospect_id = self._prospect_id
        if prospect_id is None:
            return None
        desk = self._bridge.desk
        save: Callable[[], ResearchRecord]
        if name == "source_links":
            save = partial(desk.update_research, prospect_id, source_links=text.splitlines())
        else:
            save = partial(desk.update_research, prospect_id, **{name: text})
        record, problem = attempt_reporting(self._bridge, save)
        if record is not None:
            return None
        return NotSaved(f"Research notes: {problem}", retry=True)

    def _choose_dial(self, index: int) -> None:
        prospect_id = self._prospect_id
        # Item data comes back from Qt as a plain string.
        kind = str(self._dial.itemData(index) or "")
        if prospect_id is None or not kind:
            return
        self._bridge.attempt(lambda: self._bridge.desk.update_prospect(prospect_id, dial=kind))

    # -- showing -----------------------------------------------------------------------

    def _follow_change(self, changes: Changes) -> None:
        prospect_id = self._prospect_id
        if prospect_id is None:
            return
        desk = self._bridge.desk
        if changes.profile:
            self._profile = self._bridge.attempt(desk.profile)
        if changes.scripts:
            scripts = self._bridge.attempt(desk.list_scripts) or []
            self._script_titles = {script.name: script.title for script in scripts}
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
        gone = False

        def load() -> ProspectDetail | None:
            nonlocal gone
            try:
                return desk.prospect_detail(prospect_id)
            except NotFoundError:
                gone = True
                return None

        detail = self._bridge.attempt(load)
        if gone:
            # Deleted by another part of the window: nothing left to show or save.
            self._show_empty()
        elif detail is not None:
            self._render(detail, overwrite=False)

    def _show_empty(self) -> None:
        self._prospect_id = None
        self.enrollment.set_prospect(None)
        for editor in [*self._editors.values(), *self._research_editors.values()]:
            self._fill(editor, "", overwrite=True)
        for error in self._errors.values():
            error.hide()
        self._pages.setCurrentWidget(self._empty)
        self._set_actions_enabled(False)

    def _forget_typing(self) -> None:
        """Empty every editor's undo history before another prospect fills them.

        A field whose text stays the same is not refilled, and would otherwise
        let Ctrl+Z bring back (and save) what was typed for the last prospect.
        """
        for editor in [*self._editors.values(), *self._research_editors.values()]:
            if isinstance(editor, QLineEdit):
                editor.setText(editor.text())  # a line edit's only way to forget its history
            else:
                editor.document().clearUndoRedoStacks()

    def _set_actions_enabled(self, enabled: bool) -> None:
        self._go_research.setEnabled(enabled)
        self._go_details.setEnabled(enabled)
        self._go_status.setEnabled(enabled)

    def _focus_editor(self, editor: Editor) -> None:
        editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(editor)

    def _fill(self, editor: Editor, text: str, *, overwrite: bool) -> None:
        """Show stored ``text`` in ``editor``, unless the rep is working in it.

        A reload never clobbers the field with the cursor in it, nor one whose
        typed text is not stored yet (refused, or waiting for a retry).
        """
        if not overwrite and (editor.hasFocus() or self._saver.unsaved(editor)):
            return
        if editor_text(editor) != text:
            if isinstance(editor, QLineEdit):
                editor.setText(text)
                editor.setCursorPosition(0)
            else:
                editor.setPlainText(text)
        self._saver.loaded(editor)

    def _render(self, detail: ProspectDetail, *, overwrite: bool) -> None:
        prospect = detail.prospect
        self._name.setText(prospect.full_name)
        # The status has its own box under this line.
        facts = [prospect.title, prospect.company, prospect.phone_display]
        self._subtitle.setText(" · ".join(fact for fact in facts if fact))
        self._show_status(prospect.status)
        values = {
            "first_name": prospect.first_name,
            "last_name": prospect.last_name,
            "title": prospect.title,
            "company": prospect.company,
            "phone": _written(prospect, PhoneKind.DIRECT),
            "mobile": _written(prospect, PhoneKind.MOBILE),
            "office": _written(prospect, PhoneKind.OFFICE),
            "email": prospect.email or "",
            "website": prospect.website,
            "linkedin": prospect.linkedin,
            "timezone": prospect.timezone or "",
            "tags": ", ".join(prospect.tags),
            "notes": prospect.notes,
        }
        for name, value in values.items():
            self._fill(self._editors[name], value, overwrite=overwrite)
        self._render_dial(prospect)
        self._render_research(detail.research, overwrite=overwrite)
        self._render_last_message(detail.last_message)
        self._render_pains(detail.pains)
        self._render_history(detail)

    def _render_dial(self, prospect: ProspectRecord) -> None:
        self._dial.clear()
        for line in prospect.phones:
            self._dial.addItem(f"{PHONE_KIND_WORDS[line.kind]} · {line.written}", line.kind.value)
        dialled = prospect.dialled
        if dialled is not None:
            self._dial.setCurrentIndex(self._dial.findData(dialled.kind.value))
        several = len(prospect.phones) > 1
        self._dial.setVisible(several)
        self._dial_label.setVisible(several)

    def _render_research(self, research: ResearchRecord, *, overwrite: bool) -> None:
        values = {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
            "source_links": "\n".join(research.source_links),
        }
        for name, value in values.items():
            self._fill(self._research_editors[name], value, overwrite=overwrite)
        self._homework_flag.setVisible(not research.has_homework)
        if research.researched_at is None:
            self._research_stamp.setText("Never researched")
        else:
            when = relative_day(research.researched_at, self._now(), self._zone_name())
            self._research_stamp.setText(f"Researched {when}")

    def _render_last_message(self, attempt: AttemptRecord | None) -> None:
        self._last_message_box.setVisible(attempt is not None)
        if attempt is None:
            return
        outcome = OUTCOME_WORDS[attempt.outcome] if attempt.outcome else "Message"
        parts = [f"{outcome} {day_and_time(attempt.at, self._zone_name())}"]
        if attempt.script_name:
            parts.append(f"script: {self._script_title(attempt.script_name)}")
        self._last_message_when.setText(" · ".join(parts))
        self._last_message_text.setText(attempt.rendered_text or "")

    def _render_pains(self, pains: Sequence[PainRecord]) -> None:
        # The pains come with the card's one load of the prospect (and again with
        # each change to them, a pain noted on this call included): no query of its own.
        self._pains_box.setVisible(bool(pains))
        if not pains:
            return
        now, zone_name = self._now(), self._zone_name()
        entries = []
        for pain in sorted(pains, key=lambda p: (p.noted_at, p.id), reverse=True)[:PAINS_SHOWN]:
            said = f"“{html.escape(pain.words)}”" if pain.words else f"<i>{NO_WORDS}</i>"
            # Non-breaking inside a mark: a narrow card wraps between marks, not within one.
            marks = " · ".join(
                (yes if value else no).replace(" ", "&nbsp;")
                for value, (yes, no) in zip(
                    (pain.asked, pain.acknowledged, pain.can_help), PAIN_MARKS, strict=True
                )
            )
            when = html.escape(relative_day(pain.noted_at, now, zone_name))
            entries.append(
                f"<p style='margin-top:0; margin-bottom:6px'><b>{GUIDES[pain.kind].label} pain</b>"
                f" · {when}: {said}<br>{marks}</p>"
            )
        earlier = len(pains) - PAINS_SHOWN
        more = f"<p>…and {earlier} earlier</p>" if earlier > 0 else ""
        self._pains_list.setText("".join(entries) + more)

    def _render_history(self, detail: ProspectDetail) -> None:
        zone_name = self._zone_name()
        if not detail.attempts:
            self._attempts.setText("<p>No calls or emails yet.</p>")
        else:
            # One short paragraph per attempt: a table would wrap the dates in a narrow card.
            entries = []
            for attempt in detail.attempts[:ATTEMPTS_SHOWN]:
                outcome = OUTCOME_WORDS[attempt.outcome] if attempt.outcome else "no outcome logged"
                facts = [f"<b>{html.escape(day_and_time(attempt.at, zone_name))}</b>", outcome]
                if attempt.script_name:
                    facts.append(f"<i>{html.escape(self._script_title(attempt.script_name))}</i>")
                note = f"<br>{html.escape(attempt.notes)}" if attempt.notes else ""
                entries.append(
                    f"<p style='margin-top:0; margin-bottom:6px'>{' · '.join(facts)}{note}</p>"
                )
            earlier = len(detail.attempts) - ATTEMPTS_SHOWN
            more = f"<p>…and {earlier} earlier</p>" if earlier > 0 else ""
            self._attempts.setText(
                f"<p><b>Last attempts</b> (your time)</p>{''.join(entries)}{more}"
            )
        if not detail.follow_ups:
            self._follow_ups.setText("<p>No open follow-ups.</p>")
        else:
            items = "".join(
                f"<li>{html.escape(day_and_time(follow_up.due_at, zone_name))} · "
                f"{html.escape(follow_up.kind.value)}, {follow_up.minutes} min"
                + (f" · {html.escape(follow_up.reason)}" if follow_up.reason else "")
                + "</li>"
                for follow_up in detail.follow_ups
            )
            self._follow_ups.setText(
                f"<p><b>Open follow-ups</b> (Ctrl+Shift+B moves or calls them off)</p>"
                f"<ul>{items}</ul>"
            )

    def _script_title(self, name: str) -> str:
        return self._script_titles.get(name, name)

    def _zone_name(self) -> str:
        # The rep reads history in their own time; their zone is always known
        # (set, or the computer's), so this falls back only if the profile failed.
        return self._profile.timezone if self._profile is not None else "UTC"

    def _now(self) -> datetime:
        return self._bridge.desk.clock()
