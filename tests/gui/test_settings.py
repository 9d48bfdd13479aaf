"""The settings dialog: the rep's profile saved in one go, or kept open with what to fix."""

from datetime import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QTableView, QTimeEdit

from callassist.core import CallDesk
from callassist.records import CallTypeRecord
from ui.bridge import DeskBridge
from ui.dialogs.settings import CallTypesModel, SettingsDialog


def open_settings(qtbot, bridge):
    dialog = SettingsDialog(bridge)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    return dialog


def field(dialog, name):
    return dialog.findChild(QLineEdit, name)


def retype(qtbot, edit, text):
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keySequence(edit, "Ctrl+A")
    qtbot.keyClicks(edit, text)


def error_text(dialog) -> str:
    label = dialog.findChild(QLabel, "settingsError")
    return label.text() if label.isVisible() else ""


def test_shows_the_current_profile(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)

    assert field(dialog, "profileName").text() == "Sam Rivera"
    assert field(dialog, "profileName").hasFocus()
    assert field(dialog, "profilePhone").text() == "(312) 555-0142"
    assert field(dialog, "profileEmail").text() == "sam@northwind.example"
    assert dialog.findChild(QTimeEdit, "profileHoursStart").time().toString("HH:mm") == "09:00"
    assert dialog.call_types_model.call_types() == [
        CallTypeRecord("discovery", 20),
        CallTypeRecord("introduction", 60),
    ]


def test_the_zone_list_offers_places_only(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)
    zone = dialog.findChild(QComboBox, "profileTimezone")
    offered = [zone.itemText(row) for row in range(zone.count())]

    assert {"America/Chicago", "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo"} <= set(offered)
    for fixed in ("EST", "GMT", "UTC", "EST5EDT", "Etc/GMT+5", "US/Eastern"):
        assert fixed not in offered
    assert not [name for name in offered if name.startswith("Etc/") or "/" not in name]
    # What "gmt" typed would offer: no zone, a fixed offset is no place.
    zone.completer().setCompletionPrefix("gmt")
    assert zone.completer().completionCount() == 0


def test_a_bad_phone_is_shown_inline_and_nothing_is_saved(qtbot, bridge):
    before = bridge.desk.profile()
    dialog = open_settings(qtbot, bridge)
    retype(qtbot, field(dialog, "profileName"), "Samantha Rivera")
    retype(qtbot, field(dialog, "profilePhone"), "12")

    with qtbot.assertNotEmitted(bridge.changed):
        qtbot.keyClick(field(dialog, "profilePhone"), Qt.Key.Key_Return)

    assert error_text(dialog) == "'12' has the wrong number of digits for a phone number"
    assert dialog.isVisible()
    assert bridge.desk.profile() == before


def test_a_bad_email_is_shown_inline(qtbot, bridge):
    before = bridge.desk.profile()
    dialog = open_settings(qtbot, bridge)
    retype(qtbot, field(dialog, "profileEmail"), "sam at northwind")

    qtbot.keyClick(field(dialog, "profileEmail"), Qt.Key.Key_Return)

    assert error_text(dialog) == "'sam at northwind' is not an email address"
    assert bridge.desk.profile() == before


def test_a_blank_phone_is_asked_for(qtbot, bridge):
    before = bridge.desk.profile()
    dialog = open_settings(qtbot, bridge)
    retype(qtbot, field(dialog, "profilePhone"), "")
    qtbot.keyClick(field(dialog, "profilePhone"), Qt.Key.Key_Backspace)

    qtbot.keyClick(field(dialog, "profilePhone"), Qt.Key.Key_Return)

    assert error_text(dialog) == ("Please enter your phone number: the scripts need it.")
    assert bridge.desk.profile() == before


def test_business_hours_ending_before_they_start_are_refused(qtbot, bridge):
    before = bridge.desk.profile()
    dialog = open_settings(qtbot, bridge)
    end = dialog.findChild(QTimeEdit, "profileHoursEnd")
    end.setFocus()
    qtbot.waitUntil(end.hasFocus)
    # Focus selects the hours, so typing replaces them.
    qtbot.keyClicks(end, "08")
    assert end.time().toString("HH:mm") == "08:00"

    qtbot.keyClick(end, Qt.Key.Key_Return)

    assert error_text(dialog) == "Business hours must start before they end"
    assert dialog.isVisible()
    assert bridge.desk.profile() == before


# The offscreen platform cannot raise the completer's popup or grab the keyboard for it.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_valid_change_is_saved_in_one_go(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)
    retype(qtbot, field(dialog, "profilePhone"), "+1 (773) 916-2284")
    retype(qtbot, field(dialog, "profileEmail"), "Sam@Lanternline.example")
    signature = dialog.findChild(QPlainTextEdit, "profileSignature")
    signature.setFocus()
    qtbot.waitUntil(signature.hasFocus)
    qtbot.keyClicks(signature, "Sam Rivera")
    qtbot.keyClick(signature, Qt.Key.Key_Return)
    qtbot.keyClicks(signature, "Lanternline Answering")
    zone = dialog.findChild(QComboBox, "profileTimezone")
    retype(qtbot, zone.lineEdit(), "paris")
    popup = zone.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert zone.currentText() == "Europe/Paris"
    start = dialog.findChild(QTimeEdit, "profileHoursStart")
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    qtbot.keyClicks(start, "08")

    with qtbot.waitSignal(bridge.changed, check_params_cb=lambda changes: changes.profile):
        qtbot.keyClick(field(dialog, "profileEmail"), Qt.Key.Key_Return)

    profile = bridge.desk.profile()
    assert profile.phone == "+17739162284"
    assert profile.email == "sam@lanternline.example"
    assert profile.signature == "Sam Rivera\nLanternline Answering"
    assert profile.timezone == "Europe/Paris"
    assert (profile.business_start, profile.business_end) == (time(8), time(17))
    assert profile.name == "Sam Rivera"
    assert not dialog.isVisible()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_call_types_are_added_edited_and_removed_by_keyboard(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)
    table = dialog.findChild(QTableView, "profileCallTypes")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)

    qtbot.keyClick(table, Qt.Key.Key_Insert)
    editor = table.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "follow-up")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    minutes = table.focusWidget()
    qtbot.keySequence(minutes, "Ctrl+A")
    qtbot.keyClicks(minutes, "15")
    qtbot.keyClick(minutes, Qt.Key.Key_Return)
    # The introduction (row 2) is not a kind of call this rep makes.
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert dialog.call_types_model.call_types() == [
        CallTypeRecord("discovery", 20),
        CallTypeRecord("follow-up", 15),
    ]

    qtbot.keyClick(field(dialog, "profileName"), Qt.Key.Key_Return)

    assert not dialog.isVisible()
    assert bridge.desk.profile().call_types == (
        CallTypeRecord("discovery", 20),
        CallTypeRecord("follow-up", 15),
    )


def test_removing_every_call_type_is_refused(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)
    table = dialog.findChild(QTableView, "profileCallTypes")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)

    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert dialog.call_types_model.rowCount() == 0
    qtbot.keyClick(field(dialog, "profileName"), Qt.Key.Key_Return)

    assert error_text(dialog) == "Keep at least one call type"
    assert len(bridge.desk.profile().call_types) == 2


def test_menu_actions_have_shortcuts_and_text(qtbot, bridge):
    dialog = open_settings(qtbot, bridge)

    assert {action.text(): action.shortcut().toString() for action in dialog.menu_actions()} == {
        "Add a call type": "Ins",
        "Remove the selected call type": "Del",
    }


def test_call_types_model_passes_the_model_tester(qtmodeltester):
    model = CallTypesModel([CallTypeRecord("discovery", 20), CallTypeRecord("introduction", 60)])
    qtmodeltester.check(model)
    assert model.insertRows(2, 1)
    assert model.setData(model.index(2, 0), "demo")
    assert model.setData(model.index(2, 1), 45)
    qtmodeltester.check(model)
    assert model.removeRows(0, 1)
    assert model.call_types() == [CallTypeRecord("introduction", 60), CallTypeRecord("demo", 45)]


@pytest.fixture
def demo_rep_bridge(qapp, tmp_path, clock):
    """The demo loaded into a brand-new database: the demo's rep and signature too."""
    del qapp
    with CallDesk.open(tmp_path / "demo.sqlite", clock=clock) as desk:
        desk.load_demo()
        yield DeskBridge(desk)


DEMO_SIGNATURE = (
    "Sam Rivera\nAccount Executive, Lanternline Answering\n(312) 780-4410 · sam@lanternline.example"
)


def test_the_demo_signature_follows_a_new_name_as_it_is_typed(qtbot, demo_rep_bridge):
    assert demo_rep_bridge.desk.profile().signature == DEMO_SIGNATURE
    dialog = open_settings(qtbot, demo_rep_bridge)
    signature = dialog.findChild(QPlainTextEdit, "profileSignature")
    retype(qtbot, field(dialog, "profileName"), "Dana Reyes")
    retype(qtbot, field(dialog, "profileCompany"), "Brightline Systems")
    retype(qtbot, field(dialog, "profilePhone"), "(505) 828-1700")
    retype(qtbot, field(dialog, "profileEmail"), "dana@brightline.example")
    expected = (
        "Dana Reyes\n"
        "Account Executive, Brightline Systems\n"
        "(505) 828-1700 · dana@brightline.example"
    )
    assert signature.toPlainText() == expected

    qtbot.keyClick(field(dialog, "profileEmail"), Qt.Key.Key_Return)

    assert demo_rep_bridge.desk.profile().signature == expected
    ana = demo_rep_bridge.desk.prospect_ids()[0]
    email = demo_rep_bridge.desk.render_script("email_after_voicemails", ana)
    assert "Dana Reyes" in email.text
    assert "Sam Rivera" not in email.text


def test_a_signature_the_rep_edits_is_theirs_whatever_they_type_above(qtbot, demo_bridge):
    dialog = open_settings(qtbot, demo_bridge)
    signature = dialog.findChild(QPlainTextEdit, "profileSignature")
    signature.setFocus()
    qtbot.waitUntil(signature.hasFocus)
    qtbot.keySequence(signature, "Ctrl+A")
    qtbot.keyClicks(signature, "Cheers, Sam")
    retype(qtbot, field(dialog, "profileName"), "Dana Reyes")
    assert signature.toPlainText() == "Cheers, Sam"

    qtbot.keyClick(field(dialog, "profileName"), Qt.Key.Key_Return)

    assert demo_bridge.desk.profile().signature == "Cheers, Sam"


def test_the_core_carries_the_signature_only_when_it_was_left_as_it_was(desk):
    desk.update_profile(signature="Sam Rivera\nNorthwind Answering · (312) 555-0142")
    # Renamed without a signature (the first run, the command line): the old details go.
    renamed = desk.update_profile(name="Sam Rivera-Lopez", company="Northwind Calls")
    assert renamed.signature == "Sam Rivera-Lopez\nNorthwind Calls · (312) 555-0142"
    # The stored signature sent back as it was (the settings dialog) follows too.
    again = desk.update_profile(name="Dana Reyes", signature=renamed.signature)
    assert again.signature == "Dana Reyes\nNorthwind Calls · (312) 555-0142"
    # A new signature in the same save is stored as given.
    mine = desk.update_profile(name="Dana R. Reyes", signature="Dana Reyes, at your service")
    assert mine.signature == "Dana Reyes, at your service"


def test_a_signature_that_names_no_old_detail_is_left_alone(desk):
    desk.update_profile(signature="Cheers,\nSam\nSamantha's team")
    assert desk.update_profile(name="Dana Reyes").signature == "Cheers,\nSam\nSamantha's team"
