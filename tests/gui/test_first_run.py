"""The first run: the rep's details, then the demo, a previewed CSV import, or an empty list.

Past 500 lines: the first run is one dialog with four ways out, each tested by keys on
its own file.
"""

import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QWidget,
)

from callassist.cli import main
from callassist.core import CallDesk
from callassist.importer import IMPORT_FIELDS, reporting
from callassist.vocabulary import PhoneKind
from ui.bridge import DeskBridge
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.import_columns import FIELD_LABELS, LEAVE_OUT, ColumnChoiceModel
from ui.dialogs.import_preview import TextTableModel, column_examples
from ui.launcher import open_window

CSV = (
    "First Name,Last Name,Company,Mobile,Email,Lead Source\n"
    "Dana,Whitfield,Mesa Dental,(505) 828-1788,dana@mesa.example,web\n"
    ",,Nameless Inc,(505) 828-1789,nobody@nameless.example,web\n"
    "Lee,Park,Park HVAC,12,lee@park.example,referral\n"
    "Ruth,Castillo,Sandia Smiles,(505) 828-1790,ruth@sandia.example,web\n"
)


@pytest.fixture
def fresh_bridge(tmp_path, clock, qapp):
    """A brand-new database: no profile, no prospects."""
    del qapp
    with CallDesk.open(
        tmp_path / "fresh.sqlite",
        clock=clock,
        template_dir=tmp_path / "fresh-scripts",
        backup_folder=tmp_path / "fresh-backups",
    ) as desk:
        yield DeskBridge(desk)


@pytest.fixture
def crm_csv(tmp_path) -> Path:
    path = tmp_path / "crm-export.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def open_first_run(qtbot, bridge, chosen=None, import_only=False):
    asked = []

    def choose_csv():
        asked.append(True)
        return chosen

    dialog = FirstRunDialog(bridge, choose_csv=choose_csv, import_only=import_only)
    dialog.asked = asked
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.open()
        dialog.activateWindow()
    return dialog


def page(dialog) -> str:
    return dialog.findChild(QStackedWidget, "firstRunPages").currentWidget().objectName()


def field(dialog, name) -> QLineEdit:
    return dialog.findChild(QLineEdit, name)


def shown_text(dialog, name) -> str:
    label = dialog.findChild(QLabel, name)
    return label.text() if label.isVisible() else ""


def fill_profile(qtbot, dialog, phone="(312) 555-0142"):
    for name, text in (
        ("firstRunName", "Sam Rivera"),
        ("firstRunCompany", "Northwind Answering"),
        ("firstRunPhone", phone),
        ("firstRunEmail", "sam@northwind.example"),
    ):
        qtbot.keyClicks(field(dialog, name), text)


def press_enter(qtbot, dialog):
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)


def alt(qtbot, dialog, letter):
    qtbot.keyClick(dialog.focusWidget(), letter, Qt.KeyboardModifier.AltModifier)


def choose_file(qtbot, dialog):
    """Alt+I: "Import a CSV…" (a mnemonic clicks its button a moment later, animated)."""
    alt(qtbot, dialog, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)


def wait_for_preview(qtbot, dialog):
    """The file is read for the preview in a worker: wait until the preview shows it."""
    qtbot.waitUntil(lambda: not dialog.preview_pending())


# The list of fields is a popup; the offscreen platform says it cannot raise it or grab keys.
FIELD_LIST = pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing the keyboard"
)


def mapping_rows(dialog) -> list[tuple[str, str, str]]:
    """The column table as shown: header, example value, field."""
    mapping = dialog.mapping_model
    return [
        tuple(mapping.index(row, column).data() for column in range(3))
        for row in range(mapping.rowCount())
    ]


def open_field_list(qtbot, dialog, header, key=Qt.Key.Key_Return) -> QComboBox:
    """Alt+C to the column table, arrows to the column, ``key``: the list of its fields."""
    table = dialog.findChild(QTableView, "importMapping")
    # The list from an earlier edit is deleted once the event loop gets to it.
    qtbot.waitUntil(lambda: not table.findChildren(QComboBox))
    alt(qtbot, dialog, Qt.Key.Key_C)
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range([row[0] for row in mapping_rows(dialog)].index(header)):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, key)
    editor = table.findChild(QComboBox, "importFieldChoice")
    assert editor.accessibleName() == f"Field for the column {header}"
    qtbot.waitUntil(editor.view().isVisible)
    return editor


def editing(dialog) -> bool:
    return dialog.findChild(QTableView, "importMapping").state() == QTableView.State.EditingState


def choose_field(qtbot, dialog, header, typed):
    """Open the column's list of fields, type the start of one, Enter."""
    editor = open_field_list(qtbot, dialog, header)
    qtbot.keyClicks(editor.view(), typed)
    qtbot.keyClick(editor.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not editing(dialog))
    wait_for_preview(qtbot, dialog)


def import_button(dialog) -> QPushButton:
    return dialog.findChild(QPushButton, "importButton")


def test_the_four_details_are_required_and_saved(qtbot, fresh_bridge):
    dialog = open_first_run(qtbot, fresh_bridge)
    assert page(dialog) == "firstRunProfile"
    assert field(dialog, "firstRunName").hasFocus()

    press_enter(qtbot, dialog)

    assert shown_text(dialog, "firstRunProfileError") == (
        "Please enter your name, your company, your phone number and your email: "
        "the scripts need them."
    )
    assert not fresh_bridge.desk.profile().is_complete

    fill_profile(qtbot, dialog)
    press_enter(qtbot, dialog)

    profile = fresh_bridge.desk.profile()
    assert (profile.name, profile.company, profile.phone, profile.email) == (
        "Sam Rivera",
        "Northwind Answering",
        "+13125550142",
        "sam@northwind.example",
    )
    assert page(dialog) == "firstRunData"


def test_a_bad_phone_keeps_the_rep_on_the_first_page(qtbot, fresh_bridge):
    dialog = open_first_run(qtbot, fresh_bridge)
    fill_profile(qtbot, dialog, phone="12")

    press_enter(qtbot, dialog)

    assert shown_text(dialog, "firstRunProfileError") == (
        "'12' has the wrong number of digits for a phone number"
    )
    assert page(dialog) == "firstRunProfile"
    assert fresh_bridge.desk.profile().name == ""


def test_load_the_demo(qtbot, fresh_bridge):
    dialog = open_first_run(qtbot, fresh_bridge)
    fill_profile(qtbot, dialog)
    press_enter(qtbot, dialog)

    with qtbot.waitSignal(dialog.finished_setup):
        alt(qtbot, dialog, Qt.Key.Key_D)

    assert fresh_bridge.desk.count_prospects() == 28
    assert not dialog.isVisible()


def test_enter_on_the_second_page_loads_the_demo(qtbot, bridge):
    dialog = open_first_run(qtbot, bridge)
    # The profile is already complete: Enter goes straight on.
    press_enter(qtbot, dialog)
    assert page(dialog) == "firstRunData"

    with qtbot.waitSignal(dialog.finished_setup):
        press_enter(qtbot, dialog)

    assert bridge.desk.count_prospects() == 28


def test_with_prospects_already_there_the_second_page_is_skipped(qtbot, demo_bridge):
    dialog = open_first_run(qtbot, demo_bridge)

    with qtbot.waitSignal(dialog.finished_setup):
        press_enter(qtbot, dialog)

    assert not dialog.isVisible()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted


def test_start_empty(qtbot, bridge):
    dialog = open_first_run(qtbot, bridge)
    press_enter(qtbot, dialog)

    with qtbot.waitSignal(dialog.finished_setup):
        alt(qtbot, dialog, Qt.Key.Key_E)

    assert bridge.desk.count_prospects() == 0


def test_csv_preview_shows_mapping_and_rejected_rows_then_imports_the_valid_ones(
    qtbot, bridge, crm_csv
):
    dialog = open_first_run(qtbot, bridge, chosen=crm_csv)
    press_enter(qtbot, dialog)

    choose_file(qtbot, dialog)

    assert dialog.findChild(QWidget, "importPreview").isVisible()
    assert mapping_rows(dialog) == [
        ("First Name", "Dana", "First name"),
        ("Last Name", "Whitfield", "Last name"),
        ("Company", "Mesa Dental", "Company"),
        ("Mobile", "(505) 828-1788", "Mobile phone"),
        ("Email", "dana@mesa.example", "Email"),
        ("Lead Source", "web", "Leave out"),
    ]
    assert shown_text(dialog, "importReadAs") == "Read as UTF-8."
    rejected = dialog.rejected_model
    assert [
        (rejected.index(row, 0).data(), rejected.index(row, 1).data())
        for row in range(rejected.rowCount())
    ] == [
        ("3", "a prospect needs a first or last name"),
        ("4", "mobile: '12' has the wrong number of digits for a phone number"),
    ]
    assert shown_text(dialog, "importSummary") == (
        "crm-export.csv: 2 new prospects, 2 rows rejected (listed below). "
        "Importing adds the 2 new prospects and skips the 2 rejected rows."
    )
    import_button = dialog.findChild(QPushButton, "importButton")
    assert import_button.text() == "Import 2 prospects, skip 2 rejected rows"
    assert bridge.desk.count_prospects() == 0

    with qtbot.waitSignal(dialog.finished_setup):
        press_enter(qtbot, dialog)

    assert [p.full_name for p in bridge.desk.prospects()] == ["Ruth Castillo", "Dana Whitfield"]


def test_a_preview_lists_the_first_rejected_rows_and_counts_the_rest(
    qtbot, bridge, crm_csv, monkeypatch
):
    monkeypatch.setattr(reporting, "NOTES_KEPT", 1)
    dialog = open_first_run(qtbot, bridge, chosen=crm_csv)
    press_enter(qtbot, dialog)

    choose_file(qtbot, dialog)

    rejected = dialog.rejected_model
    assert [
        (rejected.index(row, 0).data(), rejected.index(row, 1).data())
        for row in range(rejected.rowCount())
    ] == [
        ("3", "a prospect needs a first or last name"),
        ("…", "and 1 more rejected row, not listed"),
    ]
    assert shown_text(dialog, "importSummary") == (
        "crm-export.csv: 2 new prospects, 2 rows rejected (the first 1 listed below). "
        "Importing adds the 2 new prospects and skips the 2 rejected rows."
    )


def test_column_examples_read_rows_only_until_every_column_has_one():
    def rows():
        yield ("Dana", "")
        yield ("Ruth", "dana@mesa.example")
        raise AssertionError("read past the row that gave the last example")

    assert column_examples(2, rows()) == ("Dana", "dana@mesa.example")
    assert column_examples(2, iter([("", ""), ("'=1+2", "")])) == ("=1+2", "")


def test_a_file_that_cannot_be_read_is_explained(qtbot, bridge, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("\n\n", encoding="utf-8")
    dialog = open_first_run(qtbot, bridge, chosen=path)
    press_enter(qtbot, dialog)

    choose_file(qtbot, dialog)

    assert shown_text(dialog, "firstRunDataError") == f"{path} is empty"
    assert not dialog.findChild(QWidget, "importPreview").isVisible()
    assert dialog.isVisible()


KONTAKTE = (
    "Kontakt,Firma,Telefon,E-Mail\n"
    "Maria Lopez,Acme GmbH,+49 30 901820,maria@acme.example\n"
    "Jon Berg,Berg & Sohn,+49 40 428380,jon@berg.example\n"
)


@FIELD_LIST
def test_the_rep_chooses_the_name_column_the_importer_does_not_know(qtbot, bridge, tmp_path):
    path = tmp_path / "kontakte.csv"
    path.write_text(KONTAKTE, encoding="utf-8")
    dialog = open_first_run(qtbot, bridge, chosen=path, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    # No dead end: every column, waiting for the rep to say which holds the name.
    assert shown_text(dialog, "importSummary") == (
        'kontakte.csv: which column holds the prospect\'s name? Choose "Full name (split)" '
        'for a column with the whole name, or "First name" and "Last name", in the table '
        "below; the other columns are then read by their headers."
    )
    assert mapping_rows(dialog) == [
        ("Kontakt", "Maria Lopez", "Not read yet"),
        ("Firma", "Acme GmbH", "Not read yet"),
        ("Telefon", "+49 30 901820", "Not read yet"),
        ("E-Mail", "maria@acme.example", "Not read yet"),
    ]
    assert not import_button(dialog).isEnabled()
    assert dialog.findChild(QTableView, "importMapping").hasFocus()

    choose_field(qtbot, dialog, "Kontakt", "Full")

    assert mapping_rows(dialog) == [
        ("Kontakt", "Maria Lopez", "Full name (split)"),
        ("Firma", "Acme GmbH", "Company"),
        ("Telefon", "+49 30 901820", "Direct phone"),
        ("E-Mail", "maria@acme.example", "Email"),
    ]
    assert shown_text(dialog, "importSummary") == "kontakte.csv: 2 new prospects."
    assert import_button(dialog).text() == "Import 2 prospects"
    assert bridge.desk.count_prospects() == 0

    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert import_button(dialog).hasFocus()
    with qtbot.waitSignal(dialog.finished_setup):
        press_enter(qtbot, dialog)

    assert [(p.first_name, p.last_name, p.company) for p in bridge.desk.prospects()] == [
        ("Jon", "Berg", "Berg & Sohn"),
        ("Maria", "Lopez", "Acme GmbH"),
    ]

    # The next export with the same columns is read the same way, and says so.
    later = tmp_path / "kontakte-mai.csv"
    later.write_text(
        "Kontakt,Firma,Telefon,E-Mail\nEva Brandt,Brandt KG,+49 89 233000,eva@brandt.example\n",
        encoding="utf-8",
    )
    again = open_first_run(qtbot, bridge, chosen=later, import_only=True)
    press_enter(qtbot, again)
    qtbot.waitUntil(lambda: again.asked == [True])
    wait_for_preview(qtbot, again)

    assert shown_text(again, "importReadAs") == (
        "Read as UTF-8. Your column choices for these columns were used."
    )
    assert mapping_rows(again)[0] == ("Kontakt", "Eva Brandt", "Full name (split)")
    assert shown_text(again, "importSummary") == "kontakte-mai.csv: 1 new prospect."

    # Changing one column keeps the remembered name column.
    choose_field(qtbot, again, "Telefon", "Mobile phone")
    assert [row[2] for row in mapping_rows(again)] == [
        "Full name (split)",
        "Company",
        "Mobile phone",
        "Email",
    ]
    assert shown_text(again, "importReadAs") == "Read as UTF-8."
    qtbot.keyClick(again.focusWidget(), Qt.Key.Key_Tab)
    with qtbot.waitSignal(again.finished_setup):
        press_enter(qtbot, again)
    (eva,) = [p for p in bridge.desk.prospects() if p.full_name == "Eva Brandt"]
    assert [(line.kind, line.e164) for line in eva.phones] == [(PhoneKind.MOBILE, "+4989233000")]


@FIELD_LIST
def test_leaving_out_a_crms_own_status_column_lets_its_rows_in(qtbot, bridge, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        "First Name,Last Name,Email,Status\n"
        "Dana,Whitfield,dana@mesa.example,Hot lead\n"
        "Lee,Park,lee@park.example,Customer\n"
        "Ruth,Castillo,ruth@sandia.example,new\n",
        encoding="utf-8",
    )
    dialog = open_first_run(qtbot, bridge, chosen=path, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)
    assert import_button(dialog).text() == "Import 1 prospect, skip 2 rejected rows"
    assert dialog.rejected_model.rowCount() == 2

    choose_field(qtbot, dialog, "Status", "Leave")

    # Enter took the choice; it did not also press Import.
    assert bridge.desk.count_prospects() == 0
    assert mapping_rows(dialog)[3] == ("Status", "Hot lead", "Leave out")
    assert shown_text(dialog, "importSummary") == "leads.csv: 3 new prospects."
    assert import_button(dialog).text() == "Import 3 prospects"
    assert not dialog.findChild(QWidget, "importRejected").isVisible()

    with qtbot.waitSignal(dialog.finished_setup):
        qtbot.mouseClick(import_button(dialog), Qt.MouseButton.LeftButton)
    assert bridge.desk.count_prospects() == 3


@FIELD_LIST
def test_escape_keeps_the_field_a_column_had_and_enter_does_not_import(qtbot, bridge, crm_csv):
    dialog = open_first_run(qtbot, bridge, chosen=crm_csv, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    editor = open_field_list(qtbot, dialog, "First Name", Qt.Key.Key_F2)
    qtbot.keyClick(editor.view(), Qt.Key.Key_Down)
    qtbot.keyClick(editor.view(), Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)

    qtbot.waitUntil(lambda: not editing(dialog))
    assert mapping_rows(dialog)[0] == ("First Name", "Dana", "First name")
    assert shown_text(dialog, "importSummary").startswith("crm-export.csv: 2 new prospects")

    # With the list closed, Enter ends the edit; Import stays a separate step.
    editor = open_field_list(qtbot, dialog, "Email", Qt.Key.Key_Space)
    qtbot.keyClick(editor.view(), Qt.Key.Key_Escape)
    with qtbot.assertNotEmitted(dialog.finished_setup):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not editing(dialog))
    assert bridge.desk.count_prospects() == 0
    assert dialog.isVisible()


def test_each_column_shows_the_first_line_of_its_first_value(qtbot, bridge, tmp_path):
    path = tmp_path / "notes.csv"
    long_note = "Asked for a call back after the quarter closes; " * 3
    path.write_text(
        f'First Name,Email,Notes\nDana,,\nLee,lee@park.example,"{long_note}\nsecond line"\n',
        encoding="utf-8",
    )
    dialog = open_first_run(qtbot, bridge, chosen=path, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    assert mapping_rows(dialog) == [
        ("First Name", "Dana", "First name"),
        ("Email", "lee@park.example", "Email"),
        ("Notes", long_note[:59] + "…", "Notes"),
    ]


def test_the_preview_names_the_encoding_it_read(qtbot, bridge, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "Vorname;Nachname;Firma;Telefon\nJürgen;Müller;Bäckerei Süß;+49 30 901820\n".encode(
            "cp1252"
        )
    )
    dialog = open_first_run(qtbot, bridge, chosen=path, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    assert shown_text(dialog, "importReadAs") == "Read as Windows-1252."
    assert mapping_rows(dialog)[:3] == [
        ("Vorname", "Jürgen", "First name"),
        ("Nachname", "Müller", "Last name"),
        ("Firma", "Bäckerei Süß", "Company"),
    ]


def test_cancelling_the_file_chooser_changes_nothing(qtbot, bridge):
    dialog = open_first_run(qtbot, bridge, chosen=None)
    press_enter(qtbot, dialog)

    with qtbot.assertNotEmitted(dialog.finished_setup):
        choose_file(qtbot, dialog)

    assert not dialog.findChild(QWidget, "importPreview").isVisible()
    assert page(dialog) == "firstRunData"


def test_import_only_previews_then_skips_prospects_already_there(qtbot, demo_bridge, crm_csv):
    # Ruth Castillo's demo number is (505) 828-1788, the same as Dana's row here.
    dialog = open_first_run(qtbot, demo_bridge, chosen=crm_csv, import_only=True)
    assert page(dialog) == "firstRunData"
    assert dialog.windowTitle() == "Import prospects"
    assert not dialog.findChild(QPushButton, "firstRunDemo").isVisible()
    assert not dialog.findChild(QPushButton, "firstRunEmpty").isVisible()

    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    assert shown_text(dialog, "importSummary") == (
        "crm-export.csv: 1 new prospect, 1 already in your list (skipped), "
        "2 rows rejected (listed below). "
        "Importing adds the 1 new prospect and skips the 2 rejected rows."
    )
    assert dialog.findChild(QPushButton, "importButton").text() == (
        "Import 1 prospect, skip 2 rejected rows"
    )
    with qtbot.waitSignal(dialog.finished_setup):
        press_enter(qtbot, dialog)
    assert demo_bridge.desk.count_prospects() == 29
    imported = demo_bridge.desk.lookup("(505) 828-1790")
    assert [(p.full_name, p.company) for p in imported] == [("Ruth Castillo", "Sandia Smiles")]
    assert not demo_bridge.desk.prospect_ids(search="Whitfield")


def test_a_clean_file_just_says_how_many_come_in(qtbot, bridge, tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("First Name,Email\nDana,dana@mesa.example\n", encoding="utf-8")
    dialog = open_first_run(qtbot, bridge, chosen=path, import_only=True)
    press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.asked == [True])
    wait_for_preview(qtbot, dialog)

    assert shown_text(dialog, "importSummary") == "clean.csv: 1 new prospect."
    assert dialog.findChild(QPushButton, "importButton").text() == "Import 1 prospect"
    assert not dialog.findChild(QWidget, "importRejected").isVisible()


# -- opening the window on a database it cannot use -----------------------------------


def open_the_window(location: str, capsys) -> tuple[int, str]:
    """``callassist --db LOCATION`` as the installed command runs it (offscreen here)."""
    status = main(["--db", location], open_window=open_window)
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    "where",
    ["foo://bar", "a folder", "a missing folder", "a text file"],
)
def test_the_window_refuses_what_the_commands_refuse_with_the_same_words(
    qapp, tmp_path, capsys, where
):
    del qapp
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("not a database\n", encoding="utf-8")
    location = {
        "foo://bar": "foo://bar",
        "a folder": str(tmp_path),
        "a missing folder": str(tmp_path / "Dcouments" / "calls.sqlite"),
        "a text file": str(text_file),
    }[where]
    out, err = io.StringIO(), io.StringIO()
    command_status = main(["--db", location, "check"], out=out, err=err)

    window_status, window_err = open_the_window(location, capsys)

    assert (window_status, command_status) == (1, 1)
    assert window_err == err.getvalue()
    assert window_err.startswith("callassist: ")
    assert not (tmp_path / "Dcouments").exists()
    assert text_file.read_text(encoding="utf-8") == "not a database\n"


def test_every_field_a_column_can_fill_has_a_label():
    assert set(FIELD_LABELS) == {LEAVE_OUT, *IMPORT_FIELDS}
    assert len(set(FIELD_LABELS.values())) == len(FIELD_LABELS)


def test_column_choice_model_passes_the_model_tester(qtbot, qtmodeltester):
    model = ColumnChoiceModel()
    model.show_columns([("Kontakt", None), ("Firma", "company")], ["Maria Lopez", "Acme"])
    qtmodeltester.check(model)
    assert model.index(0, ColumnChoiceModel.FIELD_COLUMN).data() == "Not read yet"
    with qtbot.waitSignal(model.field_chosen) as chosen:
        assert model.setData(model.index(0, ColumnChoiceModel.FIELD_COLUMN), "name")
    assert chosen.args == ["Kontakt", "name"]
    assert not model.setData(model.index(0, ColumnChoiceModel.HEADER_COLUMN), "name")
    assert not model.setData(model.index(1, ColumnChoiceModel.FIELD_COLUMN), "shoe size")
    qtmodeltester.check(model)
    assert model.index(0, ColumnChoiceModel.FIELD_COLUMN).data() == "Full name (split)"
    assert model.index(1, ColumnChoiceModel.FIELD_COLUMN).data() == "Company"


def test_text_table_model_passes_the_model_tester(qtmodeltester):
    model = TextTableModel(("Row", "Why"), [("3", "no name"), ("4", "bad phone")])
    qtmodeltester.check(model)
    model.set_rows([("7", "bad email")])
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "bad email"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Why"
