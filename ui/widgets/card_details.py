"""The prospect card's details: name, company, the phone numbers and which one to
dial, email, links, time zone, tags and notes, each edited in place.

A value the core refuses (a bad email, a phone number with a digit missing)
is shown under its field, which keeps what was typed so it can be fixed.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import InvalidInputError
from callassist.phones import region_zones
from callassist.records import ProspectRecord
from callassist.vocabulary import PhoneKind
from ui.autosave import AutoSaver, Editor, NotSaved, Save
from ui.bridge import DeskBridge, attempt_reporting
from ui.tints import DANGER_HUE
from ui.widgets.card_parts import ChoiceBox, attention, fill, lines_high
from ui.widgets.edit_versions import EditVersions
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

PHONE_KIND_WORDS: dict[PhoneKind, str] = {
    PhoneKind.DIRECT: "Direct",
    PhoneKind.MOBILE: "Mobile",
    PhoneKind.OFFICE: "Office",
}


def _written(prospect: ProspectRecord, kind: PhoneKind) -> str:
    """A number as the rep dials it, extension included, or "" when there is none."""
    line = prospect.phone_line(kind)
    return line.written if line else ""


class ProspectDetails(QGroupBox):
    """The prospect's own fields, each saved as it is typed, with the number to dial."""

    def __init__(
        self,
        bridge: DeskBridge,
        saver: AutoSaver,
        prospect_id: Callable[[], int | None],
        ask: Callable[[QDialog], None],
        parent: QWidget | None = None,
    ) -> None:
        """``ask`` opens the dialog that asks which text to keep after a colleague's save."""
        super().__init__("Details", parent)
        self.setObjectName("prospectDetails")
        self._bridge = bridge
        self._saver = saver
        self._prospect_id = prospect_id
        self._versions = EditVersions(saver, ask)
        self.editors: dict[str, Editor] = {}
        """The field boxes by the field the core takes, in form order, notes last."""
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, str] = {}
        form = QFormLayout(self)
        zones = list(region_zones())
        for name, label, placeholder in PROSPECT_FIELDS:
            editor = QLineEdit(self)
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
                self._dial = ChoiceBox(self)
                self._dial.setObjectName("dialChoice")
                self._dial.setAccessibleName("Number to dial")
                self._dial.activated.connect(self._choose_dial)
                self._dial_label = QLabel("Dial:", self)
                self._dial_label.setBuddy(self._dial)
                form.addRow(self._dial_label, self._dial)
        notes = QPlainTextEdit(self)
        notes.setPlaceholderText("Anything worth remembering before the next call")
        lines_high(notes, 4)
        form.addRow(field_label("Notes:", notes), self._with_error("notes", "Notes", notes))

    def show_prospect(self, prospect: ProspectRecord, *, overwrite: bool) -> None:
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
            if fill(self._saver, self.editors[name], value, overwrite=overwrite):
                self._versions.loaded(self.editors[name], prospect.version)
        self._show_dial(prospect)

    def hide_errors(self) -> None:
        for error in self._errors.values():
            error.hide()

    def _with_error(self, name: str, label: str, editor: Editor) -> QWidget:
        """The editor with a hidden line under it for what the core refused."""
        editor.setObjectName(f"field_{name}")
        editor.setAccessibleName(label)
        error = attention(QLabel(editor.parentWidget()), DANGER_HUE)
        error.setObjectName(f"error_{name}")
        error.setTextFormat(Qt.TextFormat.PlainText)  # the reason may quote what was typed
        error.hide()
        holder = QWidget(editor.parentWidget())
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(editor)
        stack.addWidget(error)
        self.editors[name] = editor
        self._errors[name] = error
        self._labels[name] = label
        self._saver.watch(editor, self._field_saver(name))
        return holder

    def _field_saver(self, name: str) -> Save:
        return lambda text: self._save_field(name, text)

    def _save_field(self, name: str, text: str) -> NotSaved | None:
        prospect_id = self._prospect_id()
        if prospect_id is None:
            return None
        desk = self._bridge.desk
        error = self._errors[name]
        # Hidden before the call: a successful save reloads the card, and a field
        # still marked wrong would keep its typed text instead of the stored one.
        error.hide()
        refusal = ""
        not_saved: NotSaved | None = None

        def store(typed: str, seen: int) -> int:
            # Any: a field's name is only known here, and none is called seen_version.
            field: dict[str, Any] = {name: typed}
            return desk.update_prospect(prospect_id, seen_version=seen, **field).version

        def save() -> bool:
            nonlocal refusal, not_saved
            try:
                editor = self.editors[name]
                not_saved = self._versions.save(editor, self._labels[name], name, text, store)
                return True
            except InvalidInputError as refused:
                # "email: 'bob@' is not an email address" reads better without "email:".
                reason = str(refused)
                for prefix in (f"{self._labels[name].lower()}:", f"{name}:"):
                    if reason.lower().startswith(prefix):
                        reason = reason[len(prefix) :].strip()
                refusal = reason
                error.setText(f"Not saved: {reason}")
                error.show()
                return False

        tried, problem = attempt_reporting(self._bridge, save)
        if tried:
            return not_saved
        if refusal:
            return NotSaved(f"{self._labels[name]}: {refusal}", retry=False)
        return NotSaved(f"{self._labels[name]}: {problem}", retry=True)

    def _choose_dial(self, index: int) -> None:
        prospect_id = self._prospect_id()
        # Item data comes back from Qt as a plain string.
        kind = str(self._dial.itemData(index) or "")
        if prospect_id is None or not kind:
            return
        self._bridge.attempt(lambda: self._bridge.desk.update_prospect(prospect_id, dial=kind))

    def _show_dial(self, prospect: ProspectRecord) -> None:
        self._dial.clear()
        for line in prospect.phones:
            self._dial.addItem(f"{PHONE_KIND_WORDS[line.kind]} · {line.written}", line.kind.value)
        dialled = prospect.dialled
        if dialled is not None:
            self._dial.setCurrentIndex(self._dial.findData(dialled.kind.value))
        several = len(prospect.phones) > 1
        self._dial.setVisible(several)
        self._dial_label.setVisible(several)
