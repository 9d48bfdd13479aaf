"""The first run: who is calling, then (with an empty list) whom to call.

Page one asks for the four details every script says: the rep's name,
company, phone number and email. Page two appears only when the database has
no prospects yet and offers three ways on: load the demo sample, import a CSV
export (after a preview of which column fills which field, how many rows
would come in and which rows are rejected and why), or start empty.

In the preview the rep can choose the field of any column (a file whose name
column is not recognised opens there, asking for it); the choices are passed to
the import, which remembers them for the next file with the same columns.

Nothing here blocks in ``exec()``: the dialog is opened with ``open()`` or
``show()``, the file chooser is injected, and :attr:`FirstRunDialog.finished_setup`
says when the rep is ready to call.
"""

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from callassist.errors import InvalidInputError
from callassist.importer import ImportReport, RowNote, map_headers, read_csv
from callassist.records import ProfileRecord
from ui.background import Outcome, Progress, WorkerCall, run_in_worker
from ui.bridge import DeskBridge
from ui.dialogs.import_columns import LEAVE_OUT, ColumnChoiceModel
from ui.dialogs.import_preview import (
    ChooseCsv,
    ImportPreviewPane,
    TextTableModel,
    choose_csv_file,
    chosen_field,
    column_examples,
    import_button_text,
    import_summary,
    rejected_rows,
)
from ui.dialogs.settings import missing_profile_fields, show_as_error


class FirstRunDialog(QDialog):
    """Set up the rep's profile, then fill an empty list (demo, CSV import or nothing)."""

    finished_setup = Signal()
    """The profile is saved and the list is ready (loaded, imported or left empty)."""

    def __init__(
        self,
        bridge: DeskBridge,
        parent: QWidget | None = None,
        choose_csv: ChooseCsv = choose_csv_file,
        *,
        import_only: bool = False,
    ) -> None:
        """``import_only``: just the CSV import with its preview (File ▸ Import, any time)."""
        super().__init__(parent)
        self._bridge = bridge
        self._choose_csv = choose_csv
        self._csv: Path | None = None
        self._headers: tuple[str, ...] = ()
        self._encoding = ""
        self._examples: tuple[str, ...] = ()
        # The rep's field for each column they chose one for, by header: what the
        # preview is read with and what the import remembers for the next such file.
        self._choices: dict[str, str | None] = {}
        self._import_only = import_only
        self._deleted_on_close = False
        """Whether closing deleted the dialog before an import set that aside."""
        self._previewing: WorkerCall[ImportReport] | None = None
        """The preview being read in the worker, if one is."""
        self._preview_outdated = False
        """The rep chose a field while the preview was read: read it again."""
        self._preview_new_file = False
        """The preview being read is of a file just chosen."""
        self.setObjectName("firstRun")
        self.setAccessibleName("First run")
        self.setWindowTitle("Import prospects" if import_only else "Welcome to callassist")
        self.resize(760, 620)

        self._pages = QStackedWidget(self)
        self._pages.setObjectName("firstRunPages")
        self._pages.addWidget(self._profile_page(bridge.desk.profile()))
        self._pages.addWidget(self._data_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self._pages)
        if import_only:
            self._show_data_page()
        else:
            self._show_profile_page()

    # -- page one: the rep -----------------------------------------------------------

    def _profile_page(self, profile: ProfileRecord) -> QWidget:
        page = QWidget(self)
        page.setObjectName("firstRunProfile")
        heading = QLabel("<h2>Welcome! First, who is calling?</h2>", page)
        intro = QLabel(
            "The scripts speak for you: they say your name, your company and your phone "
            "number on every call and voicemail, and emails come from your address. "
            "All four are needed; you can change them later in Settings.",
            page,
        )
        intro.setWordWrap(True)
        self._name = self._line(page, "firstRunName", "Your name", profile.name)
        self._company = self._line(page, "firstRunCompany", "Your company", profile.company)
        self._phone = self._line(page, "firstRunPhone", "Your phone number", profile.phone_display)
        self._phone.setPlaceholderText("(312) 555-0142 or +44 20 7946 0123")
        self._email = self._line(page, "firstRunEmail", "Your email", profile.email)
        self._email.setPlaceholderText("you@company.com")
        form = QFormLayout()
        form.addRow("&Name:", self._name)
        form.addRow("&Company:", self._company)
        form.addRow("&Phone:", self._phone)
        form.addRow("&Email:", self._email)

        self._profile_error = QLabel(page)
        self._profile_error.setObjectName("firstRunProfileError")
        show_as_error(self._profile_error)
        self._next_button = QPushButton("&Next", page)
        self._next_button.setObjectName("firstRunNext")
        self._next_button.clicked.connect(self._next)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._next_button)

        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self._profile_error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _line(self, page: QWidget, name: str, accessible: str, text: str) -> QLineEdit:
        edit = QLineEdit(text, page)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        return edit

    def _show_profile_page(self) -> None:
        self._pages.setCurrentIndex(0)
        self._next_button.setDefault(True)
        # The cursor waits where typing starts: the first field still empty.
        fields = (self._name, self._company, self._phone, self._email)
        next((edit for edit in fields if not edit.text()), self._name).setFocus()

    def _next(self) -> None:
        name, company = self._name.text(), self._company.text()
        phone, email = self._phone.text(), self._email.text()
        problem = missing_profile_fields(name, company, phone, email)
        if problem is not None:
            self._show_error(self._profile_error, problem)
            return
        desk = self._bridge.desk

        def save() -> ProfileRecord | None:
            try:
                return desk.update_profile(name=name, company=company, phone=phone, email=email)
            except InvalidInputError as error:
                self._show_error(self._profile_error, str(error))
                return None

        if self._bridge.attempt(save) is None:
            return
        self._profile_error.hide()
        count = self._bridge.attempt(desk.count_prospects)
        if count is None:
            return
        if count:
            self._finish()
        else:
            self._show_data_page()

    # -- page two: the prospects -----------------------------------------------------

    def _data_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("firstRunData")
        if self._import_only:
            heading = QLabel("<h2>Import prospects from a CSV file</h2>", page)
            intro = QLabel(
                "Pick a CSV export of your CRM or spreadsheet. Before anything is imported you "
                "see which column fills which field and which rows are left out, and why. "
                "Prospects already in your list (same email or phone) are skipped.",
                page,
            )
        else:
            heading = QLabel("<h2>Whom will you call?</h2>", page)
            intro = QLabel(
                "Your list is empty. Try callassist on the demo's sample prospects, bring your "
                "own from a CSV export of your CRM or spreadsheet, or start with an empty list "
                "and add prospects as you go.",
                page,
            )
        intro.setWordWrap(True)
        self._demo_button = QPushButton("Load the &demo", page)
        self._demo_button.setObjectName("firstRunDemo")
        self._demo_button.clicked.connect(self._load_demo)
        self._csv_button = QPushButton("&Import a CSV…", page)
        self._csv_button.setObjectName("firstRunImportCsv")
        self._csv_button.clicked.connect(self._pick_csv)
        self._empty_button = QPushButton("Start &empty", page)
        self._empty_button.setObjectName("firstRunEmpty")
        self._empty_button.clicked.connect(self._finish)
        choices = QHBoxLayout()
        for button in (self._demo_button, self._csv_button, self._empty_button):
            choices.addWidget(button)
        choices.addStretch(1)
        # The demo only goes into an empty list, and "start empty" means nothing later on.
        self._demo_button.setVisible(not self._import_only)
        self._empty_button.setVisible(not self._import_only)

        self._data_error = QLabel(page)
        self._data_error.setObjectName("firstRunDataError")
        show_as_error(self._data_error)

        self.mapping_model = ColumnChoiceModel(self)
        self.mapping_model.field_chosen.connect(self._choose_field)
        self.rejected_model = TextTableModel(("Row", "Why it is left out"), parent=self)
        self._preview = ImportPreviewPane(self.mapping_model, self.rejected_model, page)
        self._preview.import_button.clicked.connect(self._import)
        self._preview.hide()

        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(choices)
        layout.addWidget(self._data_error)
        layout.addWidget(self._preview, 1)
        layout.addStretch(0)
        return page

    def _show_data_page(self) -> None:
        self._pages.setCurrentIndex(1)
        self._next_button.setDefault(False)
        first_choice = self._csv_button if self._import_only else self._demo_button
        first_choice.setDefault(True)
        first_choice.setFocus()

    def _load_demo(self) -> None:
        if self._bridge.attempt(self._bridge.desk.load_demo) is not None:
            self._finish()

    def _pick_csv(self) -> None:
        path = self._choose_csv()
        if path is None:
            return

        def read() -> tuple[str, ...] | None:
            try:
                table = read_csv(path)
            except InvalidInputError as error:
                self._show_error(self._data_error, str(error))
                return None
            self._encoding = table.encoding
            self._examples = column_examples(len(table.headers), (row.values for row in table.rows))
            return table.headers

        headers = self._bridge.attempt(read)
        if headers is None:
            self._preview.hide()
            return
        self._csv, self._headers, self._choices = path, headers, {}
        self._data_error.hide()
        self._refresh_preview(new_file=True)

    def _choose_field(self, header: str, field: str) -> None:
        """The rep chose the field of a column: read the file again with it."""
        self._choices[header] = field or None
        self._refresh_preview()

    def preview_pending(self) -> bool:
        """The chosen file is still being read for the preview."""
        return self._previewing is not None

    def _refresh_preview(self, *, new_file: bool = False) -> None:
        """Preview the chosen file with the rep's choices, reading it in a worker.

        Planning every row takes seconds for a large file: the dialog keeps
        answering meanwhile, and the import waits for the preview of the
        choices last made (a choice made meanwhile reads the file again).
        """
        path = self._csv
        if path is None:
            return
        self._preview.import_button.setEnabled(False)
        if self._previewing is not None:
            self._preview_outdated = True
            self._preview_new_file |= new_file
            return
        desk = self._bridge.desk
        choices = dict(self._choices) or None
        self._preview_outdated, self._preview_new_file = False, new_file
        self._previewing = run_in_worker(
            lambda: desk.preview_import(path, choices),
            lambda outcome: self._preview_arrived(path, outcome),
            self,
        )

    def _preview_arrived(self, path: Path, outcome: Outcome[ImportReport]) -> None:
        self._previewing = None
        if self._preview_outdated:
            self._refresh_preview(new_file=self._preview_new_file)
            return
        if self._show_preview_outcome(path, outcome) and self._preview_new_file:
            # A new file: the keyboard goes where the rep acts next, importing
            # when there is something to import, choosing fields when not.
            (
                self._preview.import_button
                if self._preview.import_button.isEnabled()
                else self._preview.mapping
            ).setFocus()
            self._preview.mapping.setCurrentIndex(self.mapping_model.index(0, 0))

    def _show_preview_outcome(self, path: Path, outcome: Outcome[ImportReport]) -> bool:
        """Show what importing would do; False when the file cannot be read."""
        choices = dict(self._choices) or None

        def preview() -> ImportReport | str | None:
            try:
                return outcome.get()
            except InvalidInputError as error:
                return str(error)

        shown = self._bridge.attempt(preview)
        if shown is None:
            return False
        if isinstance(shown, ImportReport):
            self._show_preview(path, shown)
            return True
        try:
            # Whether the file has a name column to go by, with the rep's choices.
            map_headers(self._headers, choices)
        except InvalidInputError:
            self._show_unnamed_preview(path)
            return True
        self._show_error(self._data_error, shown)
        self._preview.hide()
        return False

    def _show_preview(self, path: Path, report: ImportReport) -> None:
        if report.remembered_choices:
            # Changing one column keeps the others as they were remembered.
            self._choices = dict(report.columns)
        self.mapping_model.show_columns(
            [(header, field or LEAVE_OUT) for header, field in report.columns], self._examples
        )
        self.rejected_model.set_rows(rejected_rows(report))
        self._preview.summary.setText(import_summary(path, report))
        read_as = f"Read as {report.encoding}."
        if report.remembered_choices:
            read_as += " Your column choices for these columns were used."
        self._preview.read_as.setText(read_as)
        self._show_outcome(report.created, report.invalid, import_button_text(report))

    def _show_unnamed_preview(self, path: Path) -> None:
        """A file whose name column is not known yet: every column, to choose it from."""
        self.mapping_model.show_columns(
            [(header, chosen_field(self._choices, header)) for header in self._headers],
            self._examples,
        )
        self.rejected_model.set_rows([])
        self._preview.summary.setText(
            f"{path.name}: which column holds the prospect's name? Choose "
            '"Full name (split)" for a column with the whole name, or "First name" and '
            '"Last name", in the table below; the other columns are then read by their headers.'
        )
        self._preview.read_as.setText(f"Read as {self._encoding}.")
        self._show_outcome(0, (), "Nothing to import")

    def _show_outcome(self, count: int, invalid: Sequence[RowNote], button_text: str) -> None:
        self._preview.show_outcome(count, invalid, button_text)
        self._demo_button.setDefault(False)
        self._csv_button.setDefault(not count)
        self._preview.import_button.setDefault(bool(count))

    def _import(self) -> None:
        """Import in a worker: the dialog steps aside and the rep works on meanwhile.

        The window's status bar shows the rows done and can stop the import.
        The dialog comes back if the import fails or is stopped (nothing is
        then imported), with the reason where it always showed.
        """
        path = self._csv
        if path is None:
            return
        desk = self._bridge.desk
        choices = dict(self._choices) or None

        def run(progress: Progress) -> ImportReport:
            return desk.import_csv(path, skip_invalid=True, columns=choices, progress=progress)

        if not self._bridge.jobs.start(f"Importing {path.name}", run, self._imported):
            return
        # Kept until the import ends, to come back with its outcome.
        self._deleted_on_close = self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.accept()

    def _imported(self, outcome: Outcome[ImportReport]) -> None:
        if outcome.stopped:
            self._come_back("The import was stopped: nothing was imported.")
            return

        def report() -> ImportReport | str:
            try:
                return outcome.get()
            except InvalidInputError as error:
                return str(error)

        shown = self._bridge.attempt(report)
        if isinstance(shown, ImportReport):
            self.finished_setup.emit()
            if self._deleted_on_close:
                self.deleteLater()
        else:
            self._come_back(shown)

    def _come_back(self, problem: str | None) -> None:
        """Open again after a failed or stopped import, saying why when there is a reason."""
        if problem is not None:
            self._show_error(self._data_error, problem)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, self._deleted_on_close)
        self.open()

    # -- both ------------------------------------------------------------------------

    def _show_error(self, label: QLabel, message: str) -> None:
        label.setText(message[:1].upper() + message[1:])
        label.show()

    def _finish(self) -> None:
        self.finished_setup.emit()
        self.accept()
