"""A prospect's detail is read once per change, however many views show it."""

import csv

from callassist.vocabulary import PainKind
from ui.bridge import DeskBridge


def count_detail_reads(bridge: DeskBridge, monkeypatch) -> list[int]:
    """The prospects whose detail the desk reads from now on, in order."""
    reads: list[int] = []
    read = bridge.desk.prospect_detail

    def counting(prospect_id: int):
        reads.append(prospect_id)
        return read(prospect_id)

    monkeypatch.setattr(bridge.desk, "prospect_detail", counting)
    return reads


def test_a_detail_is_kept_until_a_change_touches_that_prospect(demo_bridge, monkeypatch, tmp_path):
    desk = demo_bridge.desk
    ruth = desk.prospect_ids("Sandia")[0]
    hannah = desk.prospect_ids("lindqvist")[0]
    reads = count_detail_reads(demo_bridge, monkeypatch)

    first = demo_bridge.prospect_detail(ruth)
    assert demo_bridge.prospect_detail(ruth) is first
    desk.update_research(hannah, angle="Ask about the new site")  # someone else's change
    assert demo_bridge.prospect_detail(ruth) is first
    assert reads == [ruth]

    desk.add_pain(ruth, PainKind.PRESENT, "missed calls")
    after_pain = demo_bridge.prospect_detail(ruth)
    assert "missed calls" in [pain.words for pain in after_pain.pains]
    assert after_pain == desk.prospect_detail(ruth)
    assert reads.count(ruth) == 3  # one read after the change, one asked of the desk here

    path = tmp_path / "more.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["First Name", "Last Name", "Email"])
        writer.writerow(["Pat", "Lee", "pat@lee.test"])
    reads.clear()
    desk.import_csv(path, skip_invalid=True)  # too many to name: everyone is read again
    demo_bridge.prospect_detail(ruth)
    assert reads == [ruth]


def test_opening_a_prospect_reads_their_detail_once_for_card_and_call_panel(window, monkeypatch):
    desk = window.bridge.desk
    ruth = desk.prospect_ids("Sandia")[0]
    reads = count_detail_reads(window.bridge, monkeypatch)

    window.open_prospect(ruth)

    assert window.card.current_prospect_id() == ruth
    assert reads == [ruth]
