"""Two reps on one database, each in their own process at the same moment: their queues,
and the same cadence step logged by both. Runs on SQLite, and on PostgreSQL with
``--database=postgresql``.

The processes run on the computer's clock; the prospects were enrolled on the
test's (March 2026), so every first step is long due when they look.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from callassist.core import CallDesk

SAM = "sam@northwind.example"
JO = "jo@northwind.example"


@pytest.fixture
def team(desk: CallDesk) -> CallDesk:
    """Sam's desk, with Jo on the team: a profile of her own, enough for her voicemails."""
    desk.add_rep(name="Jo Park", email=JO)
    desk.update_profile(
        company="Northwind Answering", phone="(312) 555-0199", timezone="America/Chicago"
    )
    desk.use_rep(SAM)
    return desk


def at_once(db_location: str | Path, *commands: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """Each command line started in its own process before any is waited for."""
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "callassist", "--db", str(db_location), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    finished = [(process, *process.communicate()) for process in started]
    return [(process.returncode, out, err) for process, out, err in finished]


def test_each_rep_queues_their_own_and_the_team_queue_names_both_owners(
    team, make_prospect, db_location
):
    sams = make_prospect()
    jos = make_prospect(first_name="Owen", email="owen@mesa.example", phone="505-555-0123")
    team.assign_prospect(jos.id, JO)
    for prospect in (sams, jos):
        team.enroll(prospect.id, "three_voicemails")

    runs = at_once(
        db_location,
        ("--rep", SAM, "queue", "--format", "json"),
        ("--rep", JO, "queue", "--format", "json"),
        ("--rep", SAM, "queue", "--team", "--format", "json"),
        ("--rep", JO, "queue", "--team", "--format", "json"),
    )
    for status, _out, err in runs:
        assert (status, err) == (0, "")
    own_sam, own_jo, team_sam, team_jo = (
        [(line["prospect_id"], line.get("owner")) for line in json.loads(out)]
        for _status, out, _err in runs
    )
    assert own_sam == [(sams.id, None)]
    assert own_jo == [(jos.id, None)]
    both = {(sams.id, "Sam Rivera"), (jos.id, "Jo Park")}
    assert set(team_sam) == set(team_jo) == both
    assert len(team_sam) == len(team_jo) == 2


def test_the_same_step_logged_by_two_reps_at_once_is_logged_once(team, make_prospect, db_location):
    for round_number in range(3):
        prospect = make_prospect(
            first_name=f"Ro{round_number}",
            email=f"ro{round_number}@mesa.example",
            phone=f"505-555-01{round_number}0",
        )
        team.enroll(prospect.id, "three_voicemails")
        log = ("log", str(prospect.id), "--outcome", "voicemail_left")
        runs = at_once(db_location, ("--rep", SAM, *log), ("--rep", JO, *log))

        [logged] = [run for run in runs if run[0] == 0]
        [refused] = [run for run in runs if run[0] != 0]
        assert logged[2] == ""
        assert logged[1].startswith(f"Logged call 1 with #{prospect.id} ")
        who = "Sam Rivera" if runs[0] is logged else "Jo Park"
        assert refused[1] == ""
        assert re.fullmatch(
            f"callassist: {who} already left voicemail 1 for this prospect at \\d\\d:\\d\\d; "
            "not logged again, so the cadence does not skip a step\n",
            refused[2],
        ), refused[2]
        detail = team.prospect_detail(prospect.id)
        assert len(detail.attempts) == 1
        enrollment = team.enrollment(prospect.id)
        assert enrollment is not None
        assert (enrollment.step, enrollment.attempt) == (2, 2)  # voicemail 2, not 3
