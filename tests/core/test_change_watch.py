"""What another program commits reaches an open desk's watcher (the window's refresh):
a colleague's desk or the command line, on SQLite and on PostgreSQL alike."""

import subprocess
import sys

import pytest
from heard_changes import heard, heard_until
from raw_sql import execute, rows

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.services.change_log import PRUNE_EVERY

LEE = {"first_name": "Lee", "email": "lee@mesa.example", "phone": "(505) 828-1799"}


@pytest.fixture
def watcher(desk):
    watching = desk.watch_others()
    # The desk's own changes since it opened (its profile) are not heard.
    assert watching.wait(0) is None
    yield watching
    watching.close()


def test_a_colleagues_change_is_heard_and_the_desks_own_are_not(
    desk, make_prospect, colleague, watcher
):
    dana, lee = make_prospect(), make_prospect(**LEE)
    desk.update_prospect(dana.id, title="Office Manager")
    colleague.update_research(lee.id, angle="Their night calls go to voicemail")

    wanted = Changes(research=True, prospect_ids=frozenset({lee.id}))
    assert heard_until(watcher, wanted) == wanted


def test_a_desk_hears_what_was_written_since_it_opened_and_nothing_before(
    db_location, clock, tmp_path, desk, make_prospect, colleague
):
    dana = make_prospect()
    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path) as earlier:
        earlier.update_prospect(dana.id, title="Office Manager")
    with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path) as late:
        colleague.update_research(dana.id, angle="Their night calls go to voicemail")
        watching = late.watch_others()
        try:
            wanted = Changes(research=True, prospect_ids=frozenset({dana.id}))
            assert heard_until(watching, wanted) == wanted
        finally:
            watching.close()


def test_several_changes_are_heard_with_every_kind_and_prospect_they_named(
    desk, make_prospect, colleague, watcher
):
    dana = make_prospect()
    lee = colleague.add_prospect(last_name="Lee", company="Mesa Ortho")
    colleague.update_research(dana.id, company_summary="Three dentists, one front desk")
    colleague.start_call(lee.id)

    wanted = Changes(
        prospects=True, research=True, attempts=True, prospect_ids=frozenset({dana.id, lee.id})
    )
    assert heard_until(watcher, wanted) == wanted


def test_an_import_is_heard_as_any_prospect(desk, colleague, watcher, tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text(
        "First Name,Last Name,Company,Phone\nAva,Stone,Stone Dental,(505) 555-0100\n",
        encoding="utf-8",
    )
    colleague.import_csv(csv)

    assert heard(watcher).all_prospects


def test_the_command_line_writing_is_heard(db_location, desk, make_prospect, watcher):
    dana = make_prospect()
    command = [sys.executable, "-m", "callassist", "--db", str(db_location)]
    edited = subprocess.run(
        [*command, "prospect", "edit", str(dana.id), "--title", "Owner"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert edited.returncode == 0, edited.stderr

    wanted = Changes(prospects=True, prospect_ids=frozenset({dana.id}))
    assert heard_until(watcher, wanted) == wanted
    assert desk.prospect(dana.id).title == "Owner"


def test_the_log_keeps_a_day(db_location, desk, make_prospect):
    dana = make_prospect()
    execute(
        db_location,
        "INSERT INTO change_log (writer, kinds, written_at) VALUES ('old', 'prospects', ?)",
        "2000-01-01 00:00:00",
    )
    for number in range(PRUNE_EVERY):
        desk.update_prospect(dana.id, title=f"Manager {number}")
    desk.close()  # which writes the rows still on their way

    writers = {writer for (writer,) in rows(db_location, "SELECT writer FROM change_log")}
    assert "old" not in writers
    assert len(writers) == 1  # the desk's own rows of today stay
