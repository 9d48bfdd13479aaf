"""The rep's profile: who the scripts speak for, their hours and the kinds of calls they make.

Saving is one :meth:`CallDesk.update_profile` call with every field, so the
profile never ends up half changed: a bad phone number, email or time zone,
business hours that end before they start, or a call type without a name is
shown in the dialog, the dialog stays open and nothing is saved.
"""

from collections.abc import Sequence
from datetime import time

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    QTime,
)
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import InvalidInputError, StaleEditError
from callassist.phones import display_phone, normalize_phone, region_of, region_zones
from callassist.records import CallTypeRecord, ProfileRecord
from ui.bridge import DeskBridge
from ui.dialogs.script_editor import error_background
from ui.models.table import AnyIndex, HeaderedTableModel
from ui.widgets.labels import field_label

NEW_CALL_TYPE_MINUTES = 30
"""The length a newly added call type starts with, for the rep to change."""
TIME_FORMAT = "HH:mm"


def missing_profile_fields(name: str, company: str, phone: str, email: str) -> str | None:
    """Why the profile is not enough for the scripts, or None when it is."""
    missing = [
        label
        for label, value in (
            ("your name", name),
            ("your company", company),
            ("your phone number", phone),
            ("your email", email),
        )
        if not value.strip()
    ]
    if not missing:
        return None
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"Please enter {listed}: the scripts need {'it' if len(missing) == 1 else 'them'}."


def show_as_error(label: QLabel) -> None:
    """Give an inline message label the error background, derived from the palette."""
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAutoFillBackground(True)
    label.setMargin(4)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.Window, error_background(label.palette()))
    label.setPalette(palette)
    label.hide()


class CallTypesModel(HeaderedTableModel):
    """The rep's call types as an editable table: name and minutes needed."""

    NAME_COLUMN = 0
    MINUTES_COLUMN = 1

    def __init__(
        self, call_types: Sequence[CallTypeRecord] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(("Call type", "Minutes needed"), parent)
        self._rows: list[tuple[str, int]] = [(ct.name, ct.minutes) for ct in call_types]

    def call_types(self) -> list[CallTypeRecord]:
        """The table as typed (the core checks names and minutes on save)."""
        return [CallTypeRecord(name.strip(), minutes) for name, minutes in self._rows]

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        name, minutes = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return name if index.column() == self.NAME_COLUMN else minutes
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.MINUTES_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def setData(  # noqa: N802 - Qt's name
        self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.checkIndex(
            index, QAbstractTableModel.CheckIndexOption.IndexIsValid
        ):
            return False
        name, minutes = self._rows[index.row()]
        if index.column() == self.NAME_COLUMN:
            name = str(value)
        else:
            try:
                minutes = int(str(value))
            except ValueError:
                return False
        self._rows[index.row()] = (name, minutes)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, role])
        return True

    def insertRows(  # noqa: N802 - Qt's name
        self,
        row: int,
        count: int,
        parent: AnyIndex = QModelIndex(),  # noqa: B008 - Qt's API
    ) -> bool:
        if parent.isValid() or not 0 <= row <= len(self._rows) or count < 1:
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        self._rows[row:row] = [("", NEW_CALL_TYPE_MINUTES)] * count
        self.endInsertRows()
        return True

    def removeRows(  # noqa: N802 - Qt's name
        self,
        row: int,
        count: int,
        parent: AnyIndex = QModelIndex(),  # noqa: B008 - Qt's API
    ) -> bool:
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True


class SettingsDialog(QDialog):
    """Edit the rep's profile; Save stores it all at once or shows what to fix."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.setObjectName("settings")
        self.setAccessibleName("Settings")
        self.setWindowTitle("Settings — your profile")
        self.resize(620, 640)
        profile = bridge.desk.profile()
        self._seen_version = profile.version
        """The profile's version the typing here started from (see StaleEditError)."""
        self._build(profile)
        self._build_actions()
        self._name.setFocus()

    # -- building ----------------------------------------------------------------

    def _build(self, profile: ProfileRecord) -> None:
        intro = QLabel(
            "The scripts speak for you with these details: your name, company and phone "
            "number on every call and voicemail, your email and signature in emails.",
            self,
        )
        intro.setWordWrap(True)

        self._name = self._line("profileName", "Your name", profile.name)
        self._company = self._line("profileCompany", "Your company", profile.company)
        self._phone = self._line("profilePhone", "Your phone number", profile.phone_display)
        self._phone.setPlaceholderText("(312) 555-0142 or +44 20 7946 0123")
        self._email = self._line("profileEmail", "Your email", profile.email)

        self._signature = QPlainTextEdit(profile.signature, self)
        self._signature.setObjectName("profileSignature")
        self._signature.setAccessibleName("Email signature")
        self._signature.setPlaceholderText("How your emails end: name, title, phone…")
        # Tab moves on; the signature's lines are typed with Enter.
        self._signature.setTabChangesFocus(True)
        self._signature.setFixedHeight(self._signature.fontMetrics().lineSpacing() * 5 + 12)
        # The signature follows the details typed above it (as the core will on
        # save), so the rep sees what their emails will say before saving.
        self._profile = profile
        self._carried = self._signature.toPlainText()
        for edit in (self._name, self._company, self._phone, self._email):
            edit.textEdited.connect(self._carry_signature)

        self._timezone = QComboBox(self)
        self._timezone.setObjectName("profileTimezone")
        self._timezone.setAccessibleName("Your time zone")
        self._timezone.setEditable(True)
        # The typing field inside is its own stop for a screen reader: named too.
        typed = self._timezone.lineEdit()
        assert typed is not None  # made by setEditable(True)
        typed.setAccessibleName("Your time zone")
        self._timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Places only: "EST" or "Etc/GMT+5" would be refused on Save (no daylight saving).
        self._timezone.addItems(region_zones())
        self._timezone.setCurrentText(profile.timezone)
        # Typing "chicago" or "paris" finds the zone wherever the word is in its name.
        completer = QCompleter(self._timezone.model(), self._timezone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._timezone.setCompleter(completer)
        zone_row = QWidget(self)
        zone_layout = QHBoxLayout(zone_row)
        zone_layout.setContentsMargins(0, 0, 0, 0)
        zone_layout.addWidget(self._timezone, 1)
        if not profile.timezone_is_set:
            zone_layout.addWidget(QLabel("(your computer's; Save keeps it)", self))

        self._start = self._time(
            "profileHoursStart", "Business hours start", profile.business_start
        )
        self._end = self._time("profileHoursEnd", "Business hours end", profile.business_end)
        hours = QWidget(self)
        hours_layout = QHBoxLayout(hours)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self._start)
        hours_layout.addWidget(QLabel("to", self))
        hours_layout.addWidget(self._end)
        hours_layout.addWidget(QLabel("(Monday to Friday, in your time zone)", self))
        hours_layout.addStretch(1)

        self.call_types_model = CallTypesModel(profile.call_types, self)
        self._call_types = QTableView(self)
        self._call_types.setObjectName("profileCallTypes")
        self._call_types.setAccessibleName("Call types")
        self._call_types.setModel(self.call_types_model)
        self._call_types.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._call_types.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._call_types.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._call_types.setTabKeyNavigation(False)
        self._call_types.verticalHeader().hide()
        header = self._call_types.horizontalHeader()
        header.setSectionResizeMode(CallTypesModel.NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            CallTypesModel.MINUTES_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        self._call_types.setCurrentIndex(self.call_types_model.index(0, 0))
        self._add_button = QPushButton("Add call type (Ins)", self)
        self._remove_button = QPushButton("Remove call type (Del)", self)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self._add_button)
        table_buttons.addWidget(self._remove_button)
        table_buttons.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Name:", self._name)
        form.addRow("&Company:", self._company)
        form.addRow("&Phone:", self._phone)
        form.addRow("&Email:", self._email)
        form.addRow("Si&gnature:", self._signature)
        form.addRow(field_label("&Time zone:", self._timezone), zone_row)
        hours_label = QLabel("&Business hours:", self)
        hours_label.setBuddy(self._start)
        form.addRow(hours_label, hours)
        types_label = QLabel("Call t&ypes:", self)
        types_label.setBuddy(self._call_types)
        form.addRow(types_label, self._call_types)
        form.addRow("", table_buttons)

        self._error = QLabel(self)
        self._error.setObjectName("settingsError")
        self._error.setAccessibleName("What to fix")
        show_as_error(self._error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form, 1)
        layout.addWidget(self._error)
        layout.addWidget(buttons)

    def _line(self, name: str, accessible: str, text: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        return edit

    def _time(self, name: str, accessible: str, at: time) -> QTimeEdit:
        edit = QTimeEdit(QTime(at.hour, at.minute), self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setDisplayFormat(TIME_FORMAT)
        return edit

    def _build_actions(self) -> None:
        self.add_call_type_action = QAction("Add a call type", self)
        self.add_call_type_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        self.add_call_type_action.triggered.connect(self.add_call_type)
        self.remove_call_type_action = QAction("Remove the selected call type", self)
        self.remove_call_type_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_call_type_action.triggered.connect(self.remove_call_type)
        for action, button in (
            (self.add_call_type_action, self._add_button),
            (self.remove_call_type_action, self._remove_button),
        ):
            # Ins and Del belong to the table: elsewhere they edit text as usual.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._call_types.addAction(action)
            button.clicked.connect(action.trigger)

    def menu_actions(self) -> list[QAction]:
        """The dialog's actions, with their shortcuts, for menus and the cheat sheet."""
        return [self.add_call_type_action, self.remove_call_type_action]

    # -- actions -------------------------------------------------------------------

    def add_call_type(self) -> None:
        """Add a row at the end and start typing its name."""
        row = self.call_types_model.rowCount()
        self.call_types_model.insertRows(row, 1)
        index = self.call_types_model.index(row, CallTypesModel.NAME_COLUMN)
        self._call_types.setFocus()
        self._call_types.setCurrentIndex(index)
        self._call_types.edit(index)

    def remove_call_type(self) -> None:
        """Remove the selected call type (saving refuses to remove the last one)."""
        index = self._call_types.currentIndex()
        if index.isValid():
            self.call_types_model.removeRows(index.row(), 1)
            self._call_types.setFocus()

    def _carry_signature(self) -> None:
        """Swap the old details in the signature for those typed, until the rep edits it."""
        shown = self._signature.toPlainText()
        if shown != self._carried:
            return  # the rep wrote their own signature: theirs stands
        carried = self._profile.signature_for(
            name=self._name.text().strip(),
            company=self._company.text().strip(),
            phone_display=self._typed_phone(),
            email=self._email.text().strip().lower(),
        )
        self._carried = carried
        if carried != shown:
            self._signature.setPlainText(carried)

    def _typed_phone(self) -> str:
        """The typed number as a signature spells it; the old one while it is not a number yet."""
        try:
            return display_phone(normalize_phone(self._phone.text(), region_of(None)))
        except InvalidInputError:
            return self._profile.phone_display

    def _save(self) -> None:
        name, company = self._name.text(), self._company.text()
        phone, email = self._phone.text(), self._email.text()
        problem = missing_profile_fields(name, company, phone, email)
        if problem is not None:
            self._show_error(problem)
            return
        start, end = self._start.time(), self._end.time()
        hours = (time(start.hour(), start.minute()), time(end.hour(), end.minute()))
        call_types = self.call_types_model.call_types()
        desk = self._bridge.desk

        def save() -> ProfileRecord | None:
            try:
                return desk.update_profile(
                    name=name,
                    company=company,
                    phone=phone,
                    email=email,
                    signature=self._signature.toPlainText(),
                    timezone=self._timezone.currentText(),
                    business_hours=hours,
                    call_types=call_types,
                    seen_version=self._seen_version,
                )
            except InvalidInputError as error:
                # What the rep typed: shown here, next to the field to fix.
                self._show_error(str(error))
                return None
            except StaleEditError as stale:
                # Saved elsewhere since this opened: the rep has read that, so a
                # second Save stores the rep's own on the newer version.
                self._seen_version = stale.version
                self._show_error(f"{stale} Save again to keep yours, or Esc to keep that.")
                return None

        if self._bridge.attempt(save) is not None:
            self.accept()

    def _show_error(self, message: str) -> None:
        self._error.setText(message[:1].upper() + message[1:])
        self._error.show()
