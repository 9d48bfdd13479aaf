"""The search runs on a worker as the rep types: newest text wins, everyone is kept at hand."""

import threading

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from callassist.core import CallDesk
from ui.bridge import DeskBridge
from ui.models.prospects import NAME_COLUMN, PAGE_SIZE
from ui.widgets.prospect_list import ProspectListPane


class SearchGate:
    """Holds every search made on a worker until the test opens the gate."""

    def __init__(self, desk: CallDesk, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = threading.Event()
        self.searched: list[str | None] = []
        """The searches the desk was asked for ("None": everyone), on any thread."""
        read_ids = desk.prospect_ids

        def held(search: str | None = None, limit: int | None = None) -> list[int]:
            self.searched.append(search)
            if threading.current_thread() is not threading.main_thread():
                self.opened.wait(timeout=30)
            return read_ids(search, limit)

        monkeypatch.setattr(desk, "prospect_ids", held)


def open_pane(qtbot, bridge: DeskBridge) -> ProspectListPane:
    pane = ProspectListPane(bridge)
    qtbot.addWidget(pane)
    pane.resize(560, 700)
    pane.show()
    return pane


def shown_names(pane: ProspectListPane) -> list[str]:
    model = pane.model
    return [model.index(row, NAME_COLUMN).data() for row in range(model.rowCount())]


def status(pane: ProspectListPane) -> str:
    return pane.findChild(QLabel, "prospectCount").text()


def test_what_is_typed_during_a_search_is_searched_next_and_older_answers_dropped(
    qtbot, demo_bridge, monkeypatch
):
    pane = open_pane(qtbot, demo_bridge)
    gate = SearchGate(demo_bridge.desk, monkeypatch)
    box = pane.findChild(QLineEdit, "prospectSearch")
    answers: list[str] = []
    pane.searched.connect(lambda text, _count: answers.append(text))

    qtbot.keyClicks(box, "l")
    qtbot.waitUntil(lambda: gate.searched == ["l"])  # held on the worker
    qtbot.keyClicks(box, "indqvist")
    # The window kept answering keys, and the list still shows everyone meanwhile.
    assert box.text() == "lindqvist"
    assert len(shown_names(pane)) == 28

    with qtbot.waitSignal(pane.searched, check_params_cb=lambda text, _n: text == "lindqvist"):
        gate.opened.set()

    assert shown_names(pane) == ["Hannah Lindqvist"]
    assert answers == ["lindqvist"]  # "l"'s answer came back stale: never shown
    assert gate.searched == ["l", "lindqvist"]  # one search at a time, not one per key


def test_enter_during_a_search_opens_the_match_for_the_final_text(qtbot, demo_bridge, monkeypatch):
    pane = open_pane(qtbot, demo_bridge)
    gate = SearchGate(demo_bridge.desk, monkeypatch)
    box = pane.findChild(QLineEdit, "prospectSearch")
    hannah = demo_bridge.desk.prospect_ids("lindqvist")[0]

    qtbot.keyClicks(box, "lindqvist")
    with qtbot.waitSignal(pane.prospect_activated) as opened:
        qtbot.keyClick(box, "\r")
    gate.opened.set()

    assert opened.args == [hannah]  # read here, not left waiting for the worker
    assert shown_names(pane) == ["Hannah Lindqvist"]


def test_clearing_the_search_reads_everyone_again_only_after_a_prospect_changed(
    qtbot, demo_bridge, monkeypatch
):
    pane = open_pane(qtbot, demo_bridge)
    gate = SearchGate(demo_bridge.desk, monkeypatch)
    gate.opened.set()
    box = pane.findChild(QLineEdit, "prospectSearch")
    ruth = demo_bridge.desk.prospect_ids("Sandia")[0]

    def search_then_clear() -> None:
        with qtbot.waitSignal(pane.searched, check_params_cb=lambda text, _n: text == "sandia"):
            qtbot.keyClicks(box, "sandia")
        with qtbot.waitSignal(pane.searched, check_params_cb=lambda text, _n: text == ""):
            box.clear()

    search_then_clear()
    demo_bridge.desk.update_research(ruth, angle="Asks about recall reminders")
    search_then_clear()
    assert None not in gate.searched  # research is not on the list: everyone was at hand

    demo_bridge.desk.update_prospect(ruth, company="Sandia Smiles Family Dental")
    search_then_clear()
    assert gate.searched.count(None) == 1
    row = pane.model.row_of(ruth)
    assert row is not None
    assert pane.model.index(row, 1).data() == "Sandia Smiles Family Dental"
    assert status(pane) == "28 prospects"


def test_a_long_list_shows_its_first_screen_then_everyone_in_the_same_order(
    qtbot, bridge, make_prospect, monkeypatch
):
    for number in range(PAGE_SIZE + 10):
        make_prospect(
            last_name=f"Lee{number:03d}",
            email=f"lee{number}@a.test",
            phone=f"+1 303 555 {1000 + number}",
        )
    gate = SearchGate(bridge.desk, monkeypatch)
    pane = open_pane(qtbot, bridge)

    # Held: the first screen is listed, and the status says the rest is coming.
    assert pane.model.rowCount() == PAGE_SIZE
    assert status(pane) == "Listing everyone…"
    first_screen = shown_names(pane)

    gate.opened.set()
    qtbot.waitUntil(lambda: pane.model.rowCount() == PAGE_SIZE + 10)
    everyone = bridge.desk.prospects_by_ids(bridge.desk.prospect_ids())
    assert shown_names(pane) == [record.full_name for record in everyone]
    assert shown_names(pane)[:PAGE_SIZE] == first_screen
    assert status(pane) == f"{PAGE_SIZE + 10} prospects"
