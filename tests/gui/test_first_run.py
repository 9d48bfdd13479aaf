"""The first run: the rep's details, then the demo, a previewed CSV import, or an empty list."""

import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QStackedWidget, QWidget

from callassist.cli import main
from callassist.core import CallDesk
from ui.bridge import DeskBridge
from ui.dialogs.first_run import FirstRunDialog, TextTableModel
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
    mapping = dialog.mapping_model
    rows = [
        (mapping.index(row, 0).data(), mapping.index(row, 1).data())
        for row in range(mapping.rowCount())
    ]
    assert rows == [
        ("First Name", "first name"),
        ("Last Name", "last name"),
        ("Company", "company"),
        ("Mobile", "phone"),
        ("Email", "email"),
        ("Lead Source", "ignored"),
    ]
    rejected = dialog.rejected_model
    assert [
        (rejected.index(row, 0).data(), rejected.index(row, 1).data())
        for row in range(rejected.rowCount())
    ] == [
        ("3", "a prospect needs a first or last name"),
        ("4", "phone: '12' has the wrong number of digits for a phone number"),
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


def test_a_file_without_a_name_column_is_explained(qtbot, bridge, tmp_path):
    path = tmp_path / "no-names.csv"
    path.write_text("Company,Phone\nMesa Dental,(505) 828-1788\n", encoding="utf-8")
    dialog = open_first_run(qtbot, bridge, chosen=path)
    press_enter(qtbot, dialog)

    choose_file(qtbot, dialog)

    assert shown_text(dialog, "firstRunDataError").startswith("No name column: expected First Name")
    assert not dialog.findChild(QWidget, "importPreview").isVisible()
    assert dialog.isVisible()


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


def test_text_table_model_passes_the_model_tester(qtmodeltester):
    model = TextTableModel(("Row", "Why"), [("3", "no name"), ("4", "bad phone")])
    qtmodeltester.check(model)
    model.set_rows([("7", "bad email")])
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "bad email"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Why"
