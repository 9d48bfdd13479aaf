"""The CSV import's preview: which column fills which field, which rows are left out.

The first-run dialog (and Prospects ▸ Import) shows it once a file is chosen; the
rep can choose the field of any column in it. The words it uses to say what an
import would do are here too.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from callassist.importer import ImportReport, RowNote, cell_value
from callassist.wording import counted
from ui.dialogs.import_columns import LEAVE_OUT, ColumnChoiceModel, ColumnChoiceTable
from ui.models.table import AnyIndex, HeaderedTableModel

ChooseCsv = Callable[[], Path | None]

EXAMPLE_CHARS = 60
"""The most of a column's example value the column table shows: a long note would push the
field column out of sight."""


def choose_csv_file() -> Path | None:
    """Ask for a CSV file with the platform's file dialog; None when cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(
        None,
        "Import prospects from a CSV file",
        str(Path.home()),
        "CSV files (*.csv *.txt);;All files (*)",
    )
    return Path(chosen) if chosen else None


class TextTableModel(HeaderedTableModel):
    """A read-only table of text, for the import preview's small lists."""

    def __init__(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(headers, parent)
        self._rows: list[tuple[str, ...]] = [tuple(row) for row in rows]

    def set_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(row) for row in rows]
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else ""
        return None


def set_up_table(table: QTableView, name: str, accessible: str) -> None:
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    # Rows of one line of text: as many as fit, without scrolling.
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)


class ImportPreviewPane(QWidget):
    """What importing the chosen file would do: its columns' fields, its rejected rows."""

    def __init__(
        self,
        mapping_model: ColumnChoiceModel,
        rejected_model: TextTableModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importPreview")
        self.summary = QLabel(self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.read_as = QLabel(self)
        self.read_as.setObjectName("importReadAs")
        self.read_as.setWordWrap(True)
        self.read_as.setTextFormat(Qt.TextFormat.PlainText)
        self.mapping = ColumnChoiceTable(self)
        set_up_table(self.mapping, "importMapping", "Column mapping")
        self.mapping.setModel(mapping_model)
        mapping_label = QLabel(
            "How the &columns are read (to change one, highlight it and press Enter):",
            self,
        )
        mapping_label.setWordWrap(True)
        mapping_label.setBuddy(self.mapping)
        self.rejected = QTableView(self)
        set_up_table(self.rejected, "importRejected", "Rejected rows")
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected.setModel(rejected_model)
        self.rejected_label = QLabel(
            "Rejected rows: they are left out of the import (fix them in the file and import "
            "it again to add them):",
            self,
        )
        self.rejected_label.setWordWrap(True)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importButton")
        import_row = QHBoxLayout()
        import_row.addStretch(1)
        import_row.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.read_as)
        layout.addWidget(mapping_label)
        # The columns are where the rep works; rejected rows scroll in less room.
        layout.addWidget(self.mapping, 3)
        layout.addWidget(self.rejected_label)
        layout.addWidget(self.rejected, 1)
        layout.addLayout(import_row)

    def show_outcome(self, count: int, invalid: Sequence[RowNote], button_text: str) -> None:
        """Show the preview, its import button saying what importing would do."""
        self.rejected_label.setVisible(bool(invalid))
        self.rejected.setVisible(bool(invalid))
        self.import_button.setText(button_text)
        self.import_button.setEnabled(bool(count))
        self.show()


def import_summary(path: Path, report: ImportReport) -> str:
    """What importing the file would do, in one or two sentences.

    The window imports the valid rows and skips the rejected ones (the command
    line refuses the whole file unless told --skip-invalid): the rep has seen
    the rejected rows listed, so the summary says plainly they will be left out.
    """
    parts = [f"{path.name}: {counted(report.created, 'new prospect')}"]
    if report.existing_count:
        parts.append(f"{report.existing_count} already in your list (skipped)")
    if report.invalid_count:
        shown = len(report.invalid)
        listed = (
            "listed below" if shown == report.invalid_count else f"the first {shown:,} listed below"
        )
        parts.append(f"{counted(report.invalid_count, 'row')} rejected ({listed})")
    text = ", ".join(parts) + "."
    if report.invalid_count and report.created:
        text += (
            f" Importing adds the {counted(report.created, 'new prospect')} and skips the "
            f"{counted(report.invalid_count, 'rejected row')}."
        )
    return text


def rejected_rows(report: ImportReport) -> list[tuple[str, str]]:
    """The rejected rows' table: the rows the report lists, and how many more there are."""
    rows = [(str(note.row), note.message) for note in report.invalid]
    unlisted = report.invalid_count - len(report.invalid)
    if unlisted:
        rows.append(("…", f"and {counted(unlisted, 'more rejected row')}, not listed"))
    return rows


def import_button_text(report: ImportReport) -> str:
    """The import button says what it does, skipped rows included."""
    if not report.created:
        return "Nothing to import"
    text = f"Import {counted(report.created, 'prospect')}"
    if report.invalid_count:
        text += f", skip {counted(report.invalid_count, 'rejected row')}"
    return text


def chosen_field(choices: Mapping[str, str | None], header: str) -> str | None:
    """The field the rep chose for a column, LEAVE_OUT when left out, None when not chosen."""
    if header not in choices:
        return None
    return choices[header] or LEAVE_OUT


def column_examples(columns: int, rows: Iterable[Sequence[str]]) -> tuple[str, ...]:
    """Each column's first value, as import reads it: what tells the rep what the column holds.

    The rows are read only until every column has one (all of them when a column is empty).
    """
    found: dict[int, str] = {}
    for row in rows:
        for position, cell in enumerate(row[:columns]):
            if position not in found and cell.strip():
                found[position] = cell_value(cell).strip()
        if len(found) == columns:
            break
    return tuple(_example(found.get(position, "")) for position in range(columns))


def _example(value: str) -> str:
    line = value.splitlines()[0] if value else ""
    return line if len(line) <= EXAMPLE_CHARS else line[: EXAMPLE_CHARS - 1] + "…"
