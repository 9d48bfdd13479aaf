"""Adding a prospect by hand: a referral, or a call-back from a number not on file.

The dialog is opened with ``open()`` (never ``exec()``), so the window keeps
running and tests can type into it. Enter adds; what the core refuses is
shown next to the field it is about, and the dialog stays open with
everything typed still there.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import InvalidInputError
from callassist.records import ProspectRecord
from ui.bridge import DeskBridge
from ui.widgets.labels import field_label
from ui.widgets.notes import as_note

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("first_name", "First name", ""),
    ("last_name", "Last name", ""),
    ("title", "Title", ""),
    ("company", "Company", ""),
    ("email", "Email", "name@company.com"),
    ("phone", "Phone", "any format, e.g. (505) 828-1788"),
    ("timezone", "Time zone", "optional: taken from the phone number when empty"),
    ("notes", "Notes", "e.g. referred by Priya Raman; called back about the voicemail"),
)
"""(field the core takes, label, placeholder), in form order."""

# The start of the core's refusal names the field it is about ("email: ...").
_FIELD_OF_PREFIX = {
    "first name": "first_name",
    "last name": "last_name",
    "title": "title",
    "company": "company",
    "email": "email",
    "phone": "phone",
    "time zone": "timezone",
}


def field_of_error(message: str) -> tuple[str | None, str]:
    """The form field a refusal from the core is about (if it names one), and its reason.

    Next to the field, "email: 'bob@' is not an email address" reads better
    without its "email:".
    """
    prefix, separator, reason = message.partition(":")
    field = _FIELD_OF_PREFIX.get(prefix.strip().lower()) if separator else None
    if field is not None:
        return field, reason.strip()
    if "first or last name" in message:
        return "first_name", message
    if "already has this email" in message:
        return "email", message
    if "already has this phone" in message:
        return "phone", message
    return None, message


class AddProspectDialog(QDialog):
    """A short form; Enter adds the prospect and closes, a refusal keeps it open."""

    added = Signal(ProspectRecord)
    """The prospect as stored."""

    def __init__(self, bridge: DeskBridge, phone: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addProspectDialog")
        self.setAccessibleName("Add prospect")
        self.setWindowTitle("Add prospect")
        self._bridge = bridge
        self.fields: dict[str, QLineEdit] = {}
        self._errors: dict[str, QLabel] = {}

        form = QFormLayout()
        for name, label, placeholder in FIELDS:
            editor = QLineEdit(self)
            editor.setObjectName(f"add_{name}")
            editor.setAccessibleName(label)
            editor.setPlaceholderText(placeholder)
            error = self._error_label(f"addError_{name}")
            holder = QWidget(self)
            stack = QVBoxLayout(holder)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.setSpacing(2)
            stack.addWidget(editor)
            stack.addWidget(error)
            form.addRow(field_label(f"{label}:", editor), holder)
            self.fields[name] = editor
            self._errors[name] = error
        self.fields["phone"].setText(phone)

        # A refusal that names no field (the database said no) goes here.
        self._general_error = self._error_label("addError")

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        add_button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        add_button.setText("Add prospect")
        add_button.setDefault(True)
        self._buttons.accepted.connect(self.add)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if phone:
            layout.addWidget(QLabel("A number that is not on file yet: who is calling?", self))
        layout.addLayout(form)
        layout.addWidget(self._general_error)
        layout.addWidget(self._buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)
        self.fields["first_name"].setFocus(Qt.FocusReason.OtherFocusReason)

    def add(self) -> ProspectRecord | None:
        """Add the prospect as typed; on a refusal say why and stay open."""
        for error in [*self._errors.values(), self._general_error]:
            error.hide()
        typed = {name: editor.text() for name, editor in self.fields.items()}
        desk = self._bridge.desk

        def add() -> ProspectRecord | None:
            try:
                return desk.add_prospect(**typed)
            except InvalidInputError as refused:
                self._show_refusal(str(refused))
                return None

        record = self._bridge.attempt(add)
        if record is not None:
            self.added.emit(record)
            self.accept()
        return record

    def _show_refusal(self, message: str) -> None:
        name, reason = field_of_error(message)
        label = self._errors[name] if name is not None else self._general_error
        label.setText(f"Not added: {reason}")
        label.show()
        # Grow to fit the message: a wrapped label would be clipped otherwise.
        self.adjustSize()
        if name is not None:
            # The cursor goes to the end of the refused text: usually a typo to fix.
            self.fields[name].setFocus(Qt.FocusReason.OtherFocusReason)
            self.fields[name].end(False)

    def _error_label(self, object_name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(object_name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
        as_note(label, margin=4)
        label.hide()
        return label
