"""A team on one database: each rep their own profile, prospects, queue and review.

Every test here runs the command line on a real SQLite file, as two reps on one
computer would (each naming themselves with --rep, CALLASSIST_REP or `rep use`).
"""

import io
import json
from pathlib import Path

import pytest

from callassist.cli import main
from callassist.desk.rep_choice import chosen_reps_file
from tests.core.cli_runs import Run
from tests.raw_sql import contents

SAM = "sam@northwind.example"
JO = "jo@northwind.example"


@pytest.fixture
def team(cli, rep) -> None:
    """Sam (the database's first rep, set up as a rep alone would be) and Jo, who joins."""
    joined = cli(
        "--rep",
        JO,
        "profile",
        "--name",
        "Jo Park",
        "--company",
        "Northwind Answering",
        "--phone",
        "312-555-0199",
        "--timezone",
        "America/Chicago",
    )
    assert joined.status == 0, joined.err
    assert "Welcome to the team" in joined.out


def add(cli, rep: str, first: str, phone: str) -> int:
    added = cli(
        "--rep", rep, "prospect", "add", "--first-name", first, "--last-name", "Lee",
        "--company", f"{first} Dental", "--phone", phone, "--timezone", "America/Denver",
        "--format", "json",
    )  # fmt: skip
    assert added.status == 0, added.err
    return int(added.json()["id"])


def test_joining_adds_a_rep_with_their_own_profile_and_remembers_them(cli, team):
    # Jo was remembered on this computer: plain commands act as Jo.
    assert cli("profile", "--format", "json").json()["name"] == "Jo Park"
    assert json.loads(chosen_reps_file().read_text())["reps"] != {}
    sam = cli("--rep", SAM, "profile", "--format", "json").json()
    assert (sam["name"], sam["phone"]) == ("Sam Rivera", "+13125550142")
    listed = cli("rep", "list").table()
    assert [(row["Name"], row["Email"], row["You"]) for row in listed] == [
        ("Jo Park", JO, "yes"),
        ("Sam Rivera", SAM, ""),
    ]


def test_each_rep_renders_scripts_with_their_own_name_and_number(cli, team):
    prospect = add(cli, SAM, "Dana", "(505) 828-1788")
    as_sam = cli("--rep", SAM, "render", "voicemail_first", "--prospect", str(prospect))
    as_jo = cli("--rep", JO, "render", "voicemail_first", "--prospect", str(prospect))
    assert as_sam.status == as_jo.status == 0, as_sam.err + as_jo.err
    assert "Sam Rivera" in as_sam.out
    assert "Jo Park" not in as_sam.out
    assert "Jo Park" in as_jo.out
    assert "Sam Rivera" not in as_jo.out
    assert "555 ... 0199" in as_jo.out


def test_each_rep_has_their_own_queue_and_the_team_sees_everyone_with_the_owner(cli, team):
    sams = add(cli, SAM, "Dana", "(505) 828-1788")
    jos = add(cli, JO, "Evan", "(505) 828-1799")
    for who, prospect in ((SAM, sams), (JO, jos)):
        assert cli("--rep", who, "enroll", str(prospect), "persistence").status == 0

    def queued(rep: str, *options: str) -> list[tuple[int, str | None]]:
        run = cli("--rep", rep, "queue", *options, "--format", "json")
        assert run.status == 0, run.err
        return sorted((line["prospect_id"], line.get("owner")) for line in run.json())

    assert queued(SAM) == [(sams, None)]
    assert queued(JO) == [(jos, None)]
    assert queued(JO, "--team") == [(sams, "Sam Rivera"), (jos, "Jo Park")]
    text = cli("--rep", SAM, "queue", "--team").out
    assert "[Sam Rivera]" in text
    assert "[Jo Park]" in text


def test_each_rep_reviews_their_own_calls_and_the_team_review_adds_them_up(cli, team):
    sams = add(cli, SAM, "Dana", "(505) 828-1788")
    jos = add(cli, JO, "Evan", "(505) 828-1799")
    for who, prospect, outcome in (
        (SAM, sams, "no_answer"),
        (SAM, sams, "voicemail_left"),
        (JO, jos, "connected"),
    ):
        logged = cli("--rep", who, "log", str(prospect), "--outcome", outcome)
        assert logged.status == 0, logged.err

    def figures(*argv: str) -> dict:
        run = cli("--rep", *argv, "--format", "json")
        assert run.status == 0, run.err
        return run.json()

    sam = figures(SAM, "review")
    jo = figures(JO, "review")
    assert (sam["dials"], sam["voicemails"], sam["connects"]) == (2, 1, 0)
    assert (jo["dials"], jo["voicemails"], jo["connects"]) == (1, 0, 1)
    team = figures(SAM, "review", "--team")
    by_rep = {rep["email"]: rep for rep in team["reps"]}
    assert (by_rep[SAM]["dials"], by_rep[JO]["dials"]) == (2, 1)
    assert team["team"]["dials"] == 3
    assert team["team"]["connects"] == 1
    table = cli("--rep", JO, "review", "--team").out
    assert "Team" in table
    assert "Jo Park" in table
    assert "Sam Rivera" in table


def test_rep_is_chosen_by_flag_then_variable_then_memory(cli, team, monkeypatch):
    def name(*argv: str) -> str:
        run = cli(*argv, "profile", "--format", "json")
        assert run.status == 0, run.err
        return str(run.json()["name"])

    assert cli("rep", "use", SAM).status == 0
    assert name() == "Sam Rivera"
    monkeypatch.setenv("CALLASSIST_REP", JO)
    assert name() == "Jo Park"
    # --rep, before or after the command name, wins over the variable.
    assert name("--rep", SAM) == "Sam Rivera"
    after = cli("profile", "--rep", SAM.upper(), "--format", "json")
    assert after.json()["name"] == "Sam Rivera"


def test_with_several_reps_and_none_chosen_a_command_says_how_to_choose(
    cli, team, db_location, monkeypatch, tmp_path
):
    # Another computer: nothing remembered there.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    before = contents(db_location)
    refused = cli("queue")
    assert refused.status == 1
    problem = refused.problem()
    assert "--rep EMAIL" in problem
    assert "CALLASSIST_REP" in problem
    assert "callassist rep use EMAIL" in problem
    assert contents(db_location) == before
    # Joining from that computer by --email alone adds the rep and remembers them.
    joined = cli("profile", "--name", "Ana Diaz", "--email", "ana@northwind.example")
    assert joined.status == 0, joined.err
    assert cli("profile", "--format", "json").json()["name"] == "Ana Diaz"


def test_an_unknown_rep_is_one_line_naming_nobody_else(cli, team, db_location):
    before = contents(db_location)
    refused = cli("--rep", "nobody@example.com", "queue")
    assert refused.status == 1
    problem = refused.problem()
    assert "nobody@example.com" in problem
    assert SAM not in problem
    assert JO not in problem
    assert cli("rep", "use", "nobody@example.com").status == 1
    assert contents(db_location) == before


def test_import_gives_the_prospects_to_the_importer_or_the_owner_named(cli, team, tmp_path):
    csv = tmp_path / "leads.csv"
    csv.write_text("First Name,Last Name,Phone\nDana,Lee,505 828 1788\n", encoding="utf-8")
    assert cli("--rep", SAM, "import", str(csv)).status == 0
    other = tmp_path / "more.csv"
    other.write_text("First Name,Last Name,Phone\nEvan,Lee,505 828 1799\n", encoding="utf-8")
    assert cli("--rep", SAM, "import", str(other), "--owner", JO).status == 0
    owners = {p["first_name"]: p["owner"] for p in cli("prospects", "--format", "json").json()}
    assert owners == {"Dana": SAM, "Evan": JO}


def test_assigning_a_prospect_moves_them_to_the_other_reps_queue(cli, team, db_location):
    prospect = add(cli, SAM, "Dana", "(505) 828-1788")
    assert cli("--rep", SAM, "enroll", str(prospect), "persistence").status == 0
    moved = cli("prospect", "assign", str(prospect), JO.upper())
    assert moved.status == 0, moved.err
    assert moved.lines() == [
        f"#{prospect} Dana Lee (Dana Dental) was Sam Rivera's and is now Jo Park's."
    ]
    assert cli("--rep", SAM, "queue", "--format", "json").json() == []
    assert [
        line["prospect_id"] for line in cli("--rep", JO, "queue", "--format", "json").json()
    ] == [prospect]
    before = contents(db_location)
    refused = cli("prospect", "assign", str(prospect), "nobody@example.com")
    assert refused.status == 1
    assert "nobody@example.com" in refused.problem()
    assert contents(db_location) == before


def test_a_rep_cannot_take_a_colleagues_email(cli, team, db_location):
    before = contents(db_location)
    refused = cli("--rep", JO, "profile", "--email", SAM)
    assert refused.status == 1
    assert SAM in refused.problem()
    assert contents(db_location) == before


def test_a_new_database_has_one_rep_and_needs_no_choosing(tmp_path: Path, clock):
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["--db", str(tmp_path / "new.sqlite"), "--rep", SAM, "profile", "--name", "Sam"],
        clock=clock,
        out=out,
        err=err,
    )
    assert status == 0, err.getvalue()
    # The first rep, blank until now, became Sam: still one rep, known by that email.
    out, err = io.StringIO(), io.StringIO()
    main(["--db", str(tmp_path / "new.sqlite"), "rep", "list"], clock=clock, out=out, err=err)
    listed = Run(0, out.getvalue(), err.getvalue())
    assert [(row["Name"], row["Email"], row["You"]) for row in listed.table()] == [
        ("Sam", SAM, "yes")
    ]


def test_changing_your_email_keeps_you_recognised_on_this_computer(cli, team):
    assert cli("profile", "--email", "jo.park@northwind.example").status == 0
    shown = cli("profile", "--format", "json").json()
    assert (shown["name"], shown["email"]) == ("Jo Park", "jo.park@northwind.example")


def test_the_team_review_is_refused_in_a_format_it_does_not_have(cli, team, db_location):
    before = contents(db_location)
    refused = cli("review", "--team", "--format", "html")
    assert refused.status == 1
    assert "--team" in refused.problem()
    assert contents(db_location) == before
