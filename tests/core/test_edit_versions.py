"""No silent overwrites: an edit made on a version a colleague has saved past is refused.

Sam (the test's desk) and Jo (a desk of her own on the same database, as on
another computer) edit the same prospect, research notes and profile; run on
SQLite and, with --database=postgresql, on PostgreSQL.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from callassist.core import CallDesk
from callassist.desk.prospects import ProspectsDesk
from callassist.errors import StaleEditError
from callassist.records import ProspectRecord
from callassist.vocabulary import ProspectStatus

JO = "jo@northwind.example"
SAM = "sam@northwind.example"
AT_NOW = "at 10:00"
"""The tests' NOW (15:00 UTC on March 10, 2026) on Sam's Chicago clock, daylight time."""


@pytest.fixture
def sams_desk(desk: CallDesk, jos_desk: CallDesk) -> CallDesk:
    """The test's desk, back to acting as Sam once Jo has joined."""
    desk.use_rep(SAM)
    return desk


def test_research_edited_on_a_stale_version_is_refused_naming_who_and_when(
    sams_desk, jos_desk, dana
):
    seen = sams_desk.prospect_detail(dana.id).research.version
    jos = jos_desk.update_research(dana.id, angle="Jo's angle", seen_version=seen)
    assert jos.version == seen + 1

    with pytest.raises(StaleEditError) as refused:
        sams_desk.update_research(dana.id, angle="Sam's angle", seen_version=seen)
    assert str(refused.value) == (
        f"Jo Park changed the research notes on Dana Whitfield {AT_NOW}; yours were not saved."
    )
    assert refused.value.theirs == {"angle": "Jo's angle"}
    assert refused.value.version == jos.version
    assert sams_desk.prospect_detail(dana.id).research == jos

    # Sam chose to keep his, on Jo's version: stored, and the version moves on.
    kept = sams_desk.update_research(dana.id, angle="Sam's angle", seen_version=jos.version)
    assert (kept.angle, kept.version) == ("Sam's angle", jos.version + 1)


def test_an_edit_on_the_stored_version_is_saved_and_counts_as_the_next(sams_desk, dana):
    first = sams_desk.update_research(dana.id, company_summary="Dental chain", seen_version=0)
    second = sams_desk.update_research(dana.id, person_profile="Runs it", seen_version=1)
    assert (first.version, second.version) == (1, 2)
    assert (second.company_summary, second.person_profile) == ("Dental chain", "Runs it")
    edited = sams_desk.update_prospect(dana.id, notes="Call after 3", seen_version=dana.version)
    assert edited.version == dana.version + 1


def test_the_same_rep_in_two_places_is_told_it_was_them(
    sams_desk, dana, db_location, clock, tmp_path
):
    with CallDesk.open(db_location, clock=clock, rep=SAM, backup_folder=tmp_path / "b") as other:
        other.update_prospect(dana.id, notes="From the laptop", seen_version=dana.version)
    with pytest.raises(
        StaleEditError, match=f"^You, elsewhere, changed Dana Whitfield's details {AT_NOW};"
    ):
        sams_desk.update_prospect(dana.id, notes="From the desk", seen_version=dana.version)


def test_prospect_notes_on_a_stale_version_are_refused_and_left_as_the_colleague_saved(
    sams_desk, jos_desk, dana
):
    jos = jos_desk.update_prospect(dana.id, notes="Prefers email", seen_version=dana.version)
    with pytest.raises(StaleEditError) as refused:
        sams_desk.update_prospect(
            dana.id, notes="Call mornings", title="Owner", seen_version=dana.version
        )
    assert str(refused.value) == (
        f"Jo Park changed Dana Whitfield's details {AT_NOW}; yours were not saved."
    )
    assert refused.value.theirs == {"notes": "Prefers email", "title": "Practice Manager"}
    assert sams_desk.prospect(dana.id) == jos


def test_a_status_set_or_a_new_owner_is_not_an_edit_that_makes_typing_stale(
    sams_desk, jos_desk, dana
):
    jos_desk.set_status(dana.id, ProspectStatus.ENGAGED)
    jos_desk.assign_prospect(dana.id, JO)
    saved = sams_desk.update_prospect(
        dana.id, notes="Still mine to type", seen_version=dana.version
    )
    assert saved.notes == "Still mine to type"


def test_a_profile_saved_on_a_stale_version_is_refused(sams_desk, db_location, clock, tmp_path):
    seen = sams_desk.profile()
    with CallDesk.open(db_location, clock=clock, rep=SAM, backup_folder=tmp_path / "b") as other:
        other.update_profile(company="Northwind Calls", seen_version=seen.version)
    with pytest.raises(StaleEditError, match=f"^You, elsewhere, changed this profile {AT_NOW};"):
        sams_desk.update_profile(company="Northwind Ltd", seen_version=seen.version)
    assert sams_desk.profile().company == "Northwind Calls"


def test_the_command_line_edits_on_the_version_it_reads(
    cli, sams_desk, jos_desk, dana, monkeypatch
):
    edited = cli("--rep", SAM, "prospect", "edit", str(dana.id), "--notes", "Typed in a terminal")
    assert edited.status == 0, edited.err
    stored = sams_desk.prospect(dana.id)
    assert (stored.notes, stored.version) == ("Typed in a terminal", dana.version + 1)

    # Jo saves between the command's read and its write.
    read = ProspectsDesk.prospect

    def read_then_jo_saves(desk: ProspectsDesk, prospect_id: int) -> ProspectRecord:
        record = read(desk, prospect_id)
        jos_desk.update_prospect(prospect_id, notes="Jo's note")
        return record

    monkeypatch.setattr(ProspectsDesk, "prospect", read_then_jo_saves)
    refused = cli("--rep", SAM, "prospect", "edit", str(dana.id), "--notes", "Sam's note")
    assert refused.status != 0
    assert refused.err.splitlines() == [
        f"callassist: Jo Park changed Dana Whitfield's details {AT_NOW}; yours were not saved."
    ]
    assert sams_desk.prospect(dana.id).notes == "Jo's note"


def test_two_processes_saving_the_same_notes_from_one_version_one_wins_the_other_is_told(
    sams_desk, jos_desk, dana, db_location
):
    worker = Path(__file__).resolve().parents[1] / "edit_race_worker.py"
    for round_number in range(3):
        racers = {
            email: subprocess.Popen(
                [
                    sys.executable,
                    str(worker),
                    str(db_location),
                    email,
                    str(dana.id),
                    f"{name} {round_number}",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for email, name in ((SAM, "Sam"), (JO, "Jo"))
        }
        seen = sams_desk.prospect_detail(dana.id).research.version
        for process in racers.values():
            assert process.stdout is not None
            assert process.stdout.readline() == f"ready {seen}\n"
        for process in racers.values():  # both released before either is waited for
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        said = {}
        for email, process in racers.items():
            out, err = process.communicate()
            assert (process.returncode, err) == (0, ""), out
            said[email] = out.strip()
        [winner] = [email for email, words in said.items() if words == "saved"]
        [loser] = [email for email, words in said.items() if words != "saved"]
        winner_name = "Sam Rivera" if winner == SAM else "Jo Park"
        assert said[loser].startswith(
            f"refused: {winner_name} changed the research notes on Dana Whitfield at "
        )
        stored = sams_desk.prospect_detail(dana.id).research
        assert stored.angle == f"{winner_name.split()[0]} {round_number}"
        assert stored.version == seen + 1


def test_an_import_merging_into_a_prospect_makes_an_edit_begun_before_it_stale(
    sams_desk, jos_desk, dana, tmp_path
):
    research = sams_desk.prospect_detail(dana.id).research
    crm = tmp_path / "crm.csv"
    crm.write_text("First Name,Email,Notes,Angle\nDana,dana@mesa.example,From the CRM,CRM angle\n")
    report = jos_desk.import_csv(crm, update_existing=True)
    assert report.updated == 1
    with pytest.raises(StaleEditError, match=r"^Jo Park changed Dana Whitfield's details"):
        sams_desk.update_prospect(dana.id, notes="Typed before", seen_version=dana.version)
    with pytest.raises(StaleEditError, match=r"^Jo Park changed the research notes on Dana"):
        sams_desk.update_research(dana.id, angle="Typed before", seen_version=research.version)
    stored = sams_desk.prospect_detail(dana.id)
    assert (stored.prospect.notes, stored.research.angle) == ("From the CRM", "CRM angle")
