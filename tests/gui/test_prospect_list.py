"""Finding the prospect: search as you type, phone numbers in any format, Enter to open."""

import csv
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableView

from callassist.clock import fixed_clock
from ui.mainwindow import MainWindow
from ui.models.prospects import (
    CACHED_PAGES,
    COMPANY_COLUMN,
    HOURS_COLUMN,
    IN_HOURS_ROLE,
    LOCAL_TIME_COLUMN,
    NAME_COLUMN,
    PAGE_SIZE,
    PROSPECT_ID_ROLE,
    ProspectListModel,
)
from ui.tints import contrast
from ui.widgets.prospect_list import NO_NUMBER_HINT, ProspectListPane


def open_pane(qtbot, bridge) -> ProspectListPane:
    pane = ProspectListPane(bridge)
    qtbot.addWidget(pane)
    pane.resize(560, 700)
    pane.show()
    with qtbot.waitActive(pane):
        pane.activateWindow()
    return pane


@pytest.fixture
def pane(qtbot, demo_bridge) -> ProspectListPane:
    return open_pane(qtbot, demo_bridge)


def search_box(pane: ProspectListPane) -> QLineEdit:
    return pane.findChild(QLineEdit, "prospectSearch")


def table(pane: ProspectListPane) -> QTableView:
    return pane.findChild(QTableView, "prospectList")


def status(pane: ProspectListPane) -> str:
    return pane.findChild(QLabel, "prospectCount").text()


def shown_names(pane: ProspectListPane) -> list[str]:
    model = pane.model
    return [model.index(row, NAME_COLUMN).data() for row in range(model.rowCount())]


def type_search(qtbot, pane: ProspectListPane, text: str) -> None:
    """Type ``text`` into the search box as a rep would and wait for the list to follow."""
    box = search_box(pane)
    pane.focus_search()
    with qtbot.waitSignal(pane.searched, check_params_cb=lambda found, _n: found == text.strip()):
        qtbot.keyClicks(box, text)


def id_of(bridge, phone: str) -> int:
    (record,) = bridge.desk.lookup(phone)
    return record.id


def test_the_parts_carry_their_names(pane):
    assert search_box(pane).accessibleName() == "Find a prospect"
    assert table(pane).accessibleName() == "Prospects"
    placeholder = search_box(pane).placeholderText().lower()
    for word in ("name", "company", "notes", "phone"):
        assert word in placeholder


def test_the_empty_search_lists_everyone_by_name(pane):
    assert status(pane) == "28 prospects"
    names = shown_names(pane)
    assert len(names) == 28
    assert names[:2] == ["Chloe Bennett", "Jordan Blake"]
    assert names[-1] == "Jonas Weber"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("lindqvist", "Hannah Lindqvist"),  # last name
        ("Sandia", "Ruth Castillo"),  # company
        ("newsletter", "Aaron Feld"),  # only in the research notes
        ("storm season", "Owen Brandt"),  # only in the notes
    ],
)
def test_search_by_name_company_research_and_notes(qtbot, pane, typed, found):
    type_search(qtbot, pane, typed)

    assert shown_names(pane) == [found]
    assert status(pane) == "1 match"
    assert not pane.findChild(QLabel, "prospectSearchHint").isVisible()


def test_several_matches_are_counted(qtbot, pane):
    type_search(qtbot, pane, "dental")

    names = shown_names(pane)
    assert len(names) > 1
    assert {"Ruth Castillo", "Priya Raman", "Oliver Hart"} <= set(names)
    assert status(pane) == f"{len(names)} matches"


@pytest.mark.parametrize("typed", ["(505) 828-1788", "505.828.1788", "+1 505 828 1788"])
def test_a_call_back_number_in_any_format_finds_the_prospect(qtbot, pane, demo_bridge, typed):
    type_search(qtbot, pane, typed)

    assert shown_names(pane) == ["Ruth Castillo"]
    ruth = demo_bridge.desk.prospects(search="Castillo")[0]
    assert pane.model.index(0, NAME_COLUMN).data(PROSPECT_ID_ROLE) == ruth.id
    assert not pane.findChild(QLabel, "prospectSearchHint").isVisible()
    assert pane.phone_to_add() == ""


def test_a_call_back_from_a_mobile_abroad_finds_the_prospect_not_an_offer_to_add(
    qtbot, pane, demo_bridge
):
    ruth = demo_bridge.desk.prospects(search="Castillo")[0]
    demo_bridge.desk.update_prospect(ruth.id, mobile="+44 7911 123456")
    type_search(qtbot, pane, "07911 123456")

    assert shown_names(pane) == ["Ruth Castillo"]
    assert pane.phone_to_add() == ""


def test_an_unknown_number_offers_to_add_it(qtbot, pane):
    type_search(qtbot, pane, "(505) 828-9999")

    hint = pane.findChild(QLabel, "prospectSearchHint")
    assert hint.isVisible()
    assert hint.text() == NO_NUMBER_HINT
    assert status(pane) == "No matches"
    assert pane.phone_to_add() == "(505) 828-9999"

    # Backspacing to a name makes the hint go away again.
    search_box(pane).clear()
    type_search(qtbot, pane, "Castillo")
    assert not hint.isVisible()


def test_enter_opens_the_first_match(qtbot, pane):
    type_search(qtbot, pane, "dental")
    first = pane.model.index(0, NAME_COLUMN)

    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.keyClick(search_box(pane), Qt.Key.Key_Return)

    assert opened.args == [first.data(PROSPECT_ID_ROLE)]
    assert table(pane).currentIndex().row() == 0  # what Enter opens is highlighted


def test_enter_right_after_typing_searches_the_final_text(qtbot, pane, demo_bridge):
    pane.focus_search()
    qtbot.keyClicks(search_box(pane), "Tanaka")
    # No pause: the rep hits Enter before the list has caught up with the typing.
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.keyClick(search_box(pane), Qt.Key.Key_Return)

    assert opened.args == [id_of(demo_bridge, "(503) 894-2276")]


def test_down_then_enter_opens_the_second_match(qtbot, pane):
    type_search(qtbot, pane, "dental")
    second = pane.model.index(1, NAME_COLUMN).data(PROSPECT_ID_ROLE)

    qtbot.keyClick(search_box(pane), Qt.Key.Key_Down)
    assert QApplication.focusWidget() is table(pane)
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    assert opened.args == [second]


def test_down_from_an_empty_search_starts_at_the_top(qtbot, pane):
    pane.focus_search()

    qtbot.keyClick(search_box(pane), Qt.Key.Key_Down)

    assert QApplication.focusWidget() is table(pane)
    assert table(pane).currentIndex().data() == "Chloe Bennett"


def test_up_from_the_top_row_goes_back_to_the_search(qtbot, pane):
    type_search(qtbot, pane, "dental")
    qtbot.keyClick(search_box(pane), Qt.Key.Key_Down)
    qtbot.keyClick(table(pane), Qt.Key.Key_Up)
    assert table(pane).currentIndex().row() == 0
    assert QApplication.focusWidget() is table(pane)

    qtbot.keyClick(table(pane), Qt.Key.Key_Up)

    assert QApplication.focusWidget() is search_box(pane)
    assert search_box(pane).selectedText() == "dental"  # ready to be typed over


def test_escape_clears_the_search(qtbot, pane):
    type_search(qtbot, pane, "dental")

    with qtbot.waitSignal(pane.searched, check_params_cb=lambda text, n: text == "" and n == 28):
        qtbot.keyClick(search_box(pane), Qt.Key.Key_Escape)

    assert status(pane) == "28 prospects"


def test_double_click_opens_the_row(qtbot, pane):
    view = table(pane)
    index = pane.model.index(2, COMPANY_COLUMN)
    center = view.visualRect(index).center()

    # QTest sends a double click as one event; a real one starts with a press.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)

    assert opened.args == [index.data(PROSPECT_ID_ROLE)]


def test_select_prospect_highlights_the_row(qtbot, pane, demo_bridge):
    hannah = id_of(demo_bridge, "(773) 916-2284")

    assert pane.select_prospect(hannah)
    assert table(pane).currentIndex().data() == "Hannah Lindqvist"

    type_search(qtbot, pane, "Sandia")
    assert not pane.select_prospect(hannah)  # hidden by the search


def test_focus_search_selects_what_was_typed(qtbot, pane):
    type_search(qtbot, pane, "dental")
    table(pane).setFocus()

    pane.focus_search()

    assert QApplication.focusWidget() is search_box(pane)
    assert search_box(pane).selectedText() == "dental"
    assert pane.current_search() == "dental"
    assert pane.menu_actions() == []


def test_the_model_passes_qt_model_checks(qtmodeltester, demo_bridge):
    model = ProspectListModel(demo_bridge)
    qtmodeltester.check(model)

    model.set_search("dental")
    qtmodeltester.check(model)

    model.set_search("(505) 828-1788")
    assert model.rowCount() == 1
    qtmodeltester.check(model)


def test_local_time_and_business_hours_follow_the_prospects_zone(qtbot, bridge):
    desk = bridge.desk
    sydney = desk.add_prospect(first_name="Chloe", company="Harbour", timezone="Australia/Sydney")
    denver = desk.add_prospect(first_name="Owen", company="Summit", timezone="America/Denver")
    no_zone = desk.add_prospect(first_name="Nadia", company="Unknown Co")
    model = ProspectListModel(bridge)

    def cell(prospect_id: int, column: int, role=Qt.ItemDataRole.DisplayRole):
        return model.index(model.row_of(prospect_id), column).data(role)

    # 15:00 UTC on Tuesday 10 March 2026: 2 AM Wednesday in Sydney, 9 AM in Denver.
    assert cell(sydney.id, LOCAL_TIME_COLUMN) == "Wed 2:00 AM AEDT"
    assert cell(sydney.id, HOURS_COLUMN) == "closed"
    assert cell(sydney.id, HOURS_COLUMN, IN_HOURS_ROLE) is False
    # Greyed, yet read at WCAG's 4.5:1 on both row colours.
    grey = cell(sydney.id, HOURS_COLUMN, Qt.ItemDataRole.ForegroundRole)
    palette = QGuiApplication.palette()
    for row in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        assert contrast(grey, palette.color(row)) >= 4.5
    assert cell(denver.id, LOCAL_TIME_COLUMN) == "Tue 9:00 AM MDT"
    assert cell(denver.id, HOURS_COLUMN) == "open"
    assert cell(denver.id, HOURS_COLUMN, IN_HOURS_ROLE) is True
    assert "within business hours" in cell(
        denver.id, LOCAL_TIME_COLUMN, Qt.ItemDataRole.ToolTipRole
    )
    # No zone on file: the rep's own time (Chicago), marked as a guess.
    assert cell(no_zone.id, LOCAL_TIME_COLUMN) == "~Tue 10:00 AM CDT"
    assert "no time zone on file" in cell(
        no_zone.id, LOCAL_TIME_COLUMN, Qt.ItemDataRole.ToolTipRole
    )


def test_each_minute_only_the_clock_columns_change(qtbot, bridge):
    denver = bridge.desk.add_prospect(first_name="Owen", timezone="America/Denver")
    model = ProspectListModel(bridge)
    row = model.row_of(denver.id)
    later = bridge.desk.clock() + timedelta(hours=8)
    bridge.desk.clock = fixed_clock(later)  # 5 PM in Denver: closing time

    with qtbot.waitSignal(model.dataChanged) as changed:
        model.tick()

    top_left, bottom_right = changed.args[0], changed.args[1]
    assert (top_left.column(), bottom_right.column()) == (LOCAL_TIME_COLUMN, HOURS_COLUMN)
    assert model.index(row, LOCAL_TIME_COLUMN).data() == "Tue 5:00 PM MDT"
    assert model.index(row, HOURS_COLUMN).data() == "closed"


def test_a_german_prospect_is_closed_on_german_unity_day(qtbot, bridge):
    anja = bridge.desk.add_prospect(
        first_name="Anja", phone="+49 30 901820", timezone="Europe/Berlin"
    )
    # Friday 3 October 2025, 10 AM in Berlin: a weekday, inside hours, yet a public holiday.
    bridge.desk.clock = fixed_clock(datetime(2025, 10, 3, 8, 0, tzinfo=UTC))
    model = ProspectListModel(bridge)

    assert model.index(model.row_of(anja.id), HOURS_COLUMN).data() == "closed"


def test_an_edit_updates_its_row_without_resetting_the_list(qtbot, pane, demo_bridge):
    ruth = id_of(demo_bridge, "(505) 828-1788")
    pane.select_prospect(ruth)

    with qtbot.assertNotEmitted(pane.model.modelReset):
        demo_bridge.desk.update_prospect(ruth, company="Sandia Smiles Family Dental")

    row = pane.model.row_of(ruth)
    assert pane.model.index(row, COMPANY_COLUMN).data() == "Sandia Smiles Family Dental"
    assert table(pane).currentIndex().row() == row


def test_renames_and_new_prospects_reorder_the_list(qtbot, pane, demo_bridge):
    ruth = id_of(demo_bridge, "(505) 828-1788")
    pane.select_prospect(ruth)

    with qtbot.waitSignal(pane.model.modelReset):
        demo_bridge.desk.update_prospect(ruth, last_name="Aaronson")
    assert shown_names(pane)[0] == "Ruth Aaronson"
    assert table(pane).currentIndex().data() == "Ruth Aaronson"  # still highlighted

    demo_bridge.desk.add_prospect(first_name="Zed", last_name="Zimmer")
    assert shown_names(pane)[-1] == "Zed Zimmer"
    assert status(pane) == "29 prospects"


def test_a_note_edit_changes_what_a_search_finds(qtbot, pane, demo_bridge):
    type_search(qtbot, pane, "trampoline")
    assert status(pane) == "No matches"

    ruth = id_of(demo_bridge, "(505) 828-1788")
    demo_bridge.desk.update_prospect(ruth, notes="Asked about the trampoline park client.")

    assert shown_names(pane) == ["Ruth Castillo"]
    assert status(pane) == "1 match"


def test_a_big_list_loads_only_the_rows_on_screen(qtbot, bridge, tmp_path):
    rows = 2_500
    path = tmp_path / "crm.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Company", "Email"])
        for index in range(rows):
            writer.writerow([f"Pat{index}", f"Lee{index:05d}", f"Firm {index}", f"p{index}@a.test"])
    bridge.desk.import_csv(path, skip_invalid=True)
    total = bridge.desk.count_prospects()
    assert total > 2_000

    pane = open_pane(qtbot, bridge)

    # The first screen is read at once, the rest of the list on a worker.
    qtbot.waitUntil(lambda: pane.model.rowCount() == total)
    assert status(pane) == f"{total:,} prospects"
    qtbot.waitUntil(lambda: pane.model.loaded_count() > 0)  # the view painted its rows
    assert pane.model.loaded_count() == PAGE_SIZE  # one page, not 2,500 records

    # Scrolling to the end fetches the last page; memory stays bounded on the way.
    for row in range(0, total, PAGE_SIZE):
        pane.select_prospect(pane.model.prospect_id_at(row))
        QApplication.processEvents()
    assert pane.model.index(total - 1, NAME_COLUMN).data() is not None
    assert pane.model.loaded_count() <= CACHED_PAGES * PAGE_SIZE


def test_a_narrow_list_gives_the_name_the_room(qtbot, pane):
    view = table(pane)
    assert not view.isColumnHidden(COMPANY_COLUMN)

    pane.resize(330, 700)
    assert view.isColumnHidden(COMPANY_COLUMN)
    # The company is still a hover away.
    assert "Harbour Street Physio" in pane.model.index(0, NAME_COLUMN).data(
        Qt.ItemDataRole.ToolTipRole
    )

    pane.resize(pane.sizeHint().width(), 700)
    assert not view.isColumnHidden(COMPANY_COLUMN)


def test_undo_in_the_search_box_never_brings_back_the_last_prospects_search(
    qtbot, demo_bridge, tmp_path
):
    window = MainWindow(demo_bridge, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    box = window.findChild(QLineEdit, "prospectSearch")

    def search_and_open(text):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
        )
        assert QApplication.focusWidget() is box
        qtbot.keyClicks(box, text)
        with qtbot.waitSignal(window.prospect_list.prospect_activated):
            qtbot.keyClick(box, Qt.Key.Key_Return)

    search_and_open("brightwire")
    search_and_open("tanaka")  # typed over the selected "brightwire"
    assert window.card.current_prospect_id() == demo_bridge.desk.lookup("Tanaka")[0].id

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    seen = []
    for _ in range(3):
        qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        seen.append(box.text())
    assert seen == ["tanaka"] * 3


def test_esc_after_a_search_keeps_the_open_prospect_highlighted(qtbot, pane):
    type_search(qtbot, pane, "harborview")
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.keyClick(search_box(pane), Qt.Key.Key_Return)
    found = opened.args[0]
    pane.select_prospect(found)  # as the window does when it opens them

    qtbot.keyClick(search_box(pane), Qt.Key.Key_Escape)
    assert search_box(pane).text() == ""
    highlighted = table(pane).currentIndex()
    assert highlighted.row() > 0  # not first once everyone is listed: still them
    assert highlighted.data(PROSPECT_ID_ROLE) == found
    # Enter opens the one highlighted, the prospect on the card: never someone else.
    with qtbot.waitSignal(pane.prospect_activated) as again:
        qtbot.keyClick(search_box(pane), Qt.Key.Key_Return)
    assert again.args == [found]


def test_a_change_to_a_row_out_of_sight_is_shown_in_place_without_reading_everyone(
    qtbot, bridge, tmp_path, monkeypatch
):
    path = tmp_path / "crm.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Company", "Email"])
        for index in range(300):
            writer.writerow([f"Pat{index}", f"Lee{index:05d}", f"Firm {index}", f"p{index}@a.test"])
    bridge.desk.import_csv(path, skip_invalid=True)
    pane = open_pane(qtbot, bridge)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 300)
    far = pane.model.prospect_id_at(250)  # never painted: its record was never read
    # Logging a call from the queue changes a prospect the list never showed; at
    # 100,000 prospects reading everyone again took a seventh of a second each time.
    everyone_read: list[int] = []
    read_ids = bridge.desk.prospect_ids

    def counted(search=None, limit=None):
        everyone_read.append(limit)
        return read_ids(search, limit)

    monkeypatch.setattr(bridge.desk, "prospect_ids", counted)

    with qtbot.assertNotEmitted(pane.model.modelReset):
        bridge.desk.update_prospect(far, company="Summit Dental")
        # Renamed, and still between its neighbours (Lee00249, Lee00251): it stays.
        bridge.desk.update_prospect(far, last_name="Lee00250b")
    assert pane.model.row_of(far) == 250
    assert pane.model.index(250, COMPANY_COLUMN).data() == "Summit Dental"
    assert pane.model.index(250, NAME_COLUMN).data() == "Pat250 Lee00250b"
    assert everyone_read == []

    # Renamed past a neighbour: the list is read again and the row moves to its place.
    bridge.desk.update_prospect(far, last_name="Aaronson")
    assert pane.model.row_of(far) == 0
    assert shown_names(pane)[0] == "Pat250 Aaronson"
