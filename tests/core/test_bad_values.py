"""Bad values are refused when written and contained when found already stored.

A cadence file with a wait of millions of days, an unknown action or a script
that does not exist is left out and named with its step; a time zone that is
not one, typed or imported, is refused; one already in the database (put there
with raw SQL, as an old database or another tool would) affects only its owner.
Every other cadence and prospect keeps working, and no command commits and
then fails.
"""

import io
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from raw_sql import execute, rows

from callassist.cadence import CadenceError, parse_wait
from callassist.cli import main
from callassist.core import CallDesk
from callassist.errors import InvalidInputError
from callassist.localtime import local_time
from callassist.records import ProspectRecord
from callassist.services.profile import computer_timezone, update_profile
from callassist.vocabulary import Outcome

BUNDLED = Path(__file__).parents[2] / "callassist" / "cadences"


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    err: str


@pytest.fixture
def cli(db_location, desk, clock):
    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
        return Run(status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def cadence_folder(tmp_path) -> Path:
    """The rep's own cadences folder, as the desk fixture finds it."""
    folder = tmp_path / "xdg-config" / "callassist" / "cadences"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def people(desk) -> dict[str, ProspectRecord]:
    """Three prospects, each due for the first call of a cadence."""
    added = {
        "dana": desk.add_prospect(
            first_name="Dana", last_name="Whitfield", company="Mesa Dental",
            phone="(505) 828-1788", timezone="America/Denver",
        ),
        "eli": desk.add_prospect(
            first_name="Eli", last_name="Moss", company="Moss Plumbing",
            phone="(312) 555-0187", timezone="America/Chicago",
        ),
        "fay": desk.add_prospect(
            first_name="Fay", last_name="Lund", company="Lund Law",
            phone="(206) 555-0133", timezone="America/Los_Angeles",
        ),
    }  # fmt: skip
    desk.enroll(added["dana"].id, "three_voicemails")
    desk.enroll(added["eli"].id, "persistence")
    desk.enroll(added["fay"].id, "three_voicemails")
    return added


def queued(desk: CallDesk) -> set[str]:
    return {item.name for item in desk.queue()}


# -- cadence files ----------------------------------------------------------------


@pytest.mark.parametrize(
    "wait",
    [
        "999999999 days",
        "366 days",
        "8761 hours",
        "262 business days",
        "1-400 days",
        "9" * 5000 + " days",  # more digits than Python turns into an int
    ],
)
def test_a_wait_longer_than_a_year_is_refused_with_the_limit(wait):
    with pytest.raises(ValueError, match="is longer than a year"):
        parse_wait(wait)


def test_a_year_is_still_a_wait():
    assert str(parse_wait("365 days")) == "365 days"
    assert str(parse_wait("8760 hours")) == "8760 hours"
    assert str(parse_wait("261 business days")) == "261 business days"


def three_voicemails_with(old: str, new: str) -> str:
    text = (BUNDLED / "three_voicemails.toml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


BROKEN_STEPS = [
    pytest.param(
        'wait = "24 hours"',
        'wait = "999999999 days"',
        "step 2: wait '999999999 days' is longer than a year (at most 365 days)",
        id="huge-wait",
    ),
    pytest.param(
        'action = "email"',
        'action = "fax"',
        "step 4: action 'fax' is not one of call, email, move_on",
        id="unknown-action",
    ),
    pytest.param(
        'script = "voicemail_third"',
        'script = "voicemail_fourth"',
        "step 3: there is no script 'voicemail_fourth'",
        id="missing-script",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN_STEPS)
def test_a_broken_cadence_file_is_named_and_the_rest_keeps_working(
    desk, cli, db_location, people, cadence_folder, old, new, message
):
    # Dana has had her first voicemail, so her next step is the broken one.
    desk.log_attempt(people["dana"].id, Outcome.VOICEMAIL_LEFT)
    (cadence_folder / "slow.toml").write_text(three_voicemails_with(old, new), encoding="utf-8")
    execute(
        db_location,
        "UPDATE enrollments SET cadence = 'slow' WHERE prospect_id = ?",
        people["dana"].id,
    )

    cadences, problems = desk.cadences()
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"cadence slow.toml, {message}")
    assert [cadence.name for cadence in cadences] == ["persistence", "three_voicemails"]
    # The others are still due; Dana waits for her file to be fixed.
    assert queued(desk) == {"Eli Moss", "Fay Lund"}
    assert {item.name for item in desk.review().tomorrow} <= {"Eli Moss", "Fay Lund"}
    for command in ("queue", "review"):
        listing = cli(command)
        assert listing.status == 0
        # Dana is missing from the list: the command says which file left her out.
        assert f"callassist: warning: cadence slow.toml, {message}" in listing.err
        assert "the prospects in it are left out until it is fixed" in listing.err

    listed = cli("cadences")
    assert listed.status == 0
    assert f"callassist: cadence slow.toml, {message}" in listed.err

    # Enrolling someone in it says what is wrong and changes nothing.
    before = rows(db_location, "SELECT prospect_id, cadence, enrolled_at FROM enrollments")
    refused = cli("enroll", str(people["eli"].id), "slow")
    assert refused.status == 1
    assert refused.err.startswith(f"callassist: cadence slow.toml, {message}")
    assert rows(db_location, "SELECT prospect_id, cadence, enrolled_at FROM enrollments") == before

    # Her card names the cadence; her calls are still logged, once each.
    with pytest.raises(CadenceError, match=r"Dana Whitfield \(#\d+\) is in cadence 'slow'"):
        desk.enrollment(people["dana"].id)
    logged = cli("log", str(people["dana"].id), "--outcome", "no_answer")
    assert logged.status == 0, logged.err
    assert rows(db_location, "SELECT count(*) FROM attempts") == [(2,)]


# -- time zones, as written ---------------------------------------------------------


def test_a_profile_zone_that_is_none_is_refused_and_the_profile_stays(desk, cli, db_location):
    with pytest.raises(InvalidInputError, match="'Mars/Olympus' is not a time zone"):
        desk.update_profile(name="Someone Else", timezone="Mars/Olympus")
    refused = cli("profile", "--timezone", "America")
    assert refused.status == 1
    assert "'America' is not a time zone" in refused.err
    assert rows(db_location, "SELECT name, timezone FROM reps") == [
        ("Sam Rivera", "America/Chicago")
    ]


def test_the_profile_service_checks_the_zone_whoever_calls_it(desk, db_location):
    with desk._transaction() as session, pytest.raises(InvalidInputError, match="not a time zone"):
        update_profile(session, timezone="Mars/Olympus")
    assert rows(db_location, "SELECT timezone FROM reps") == [("America/Chicago",)]


def test_a_prospect_zone_that_is_none_is_refused_typed_or_imported(
    desk, people, db_location, tmp_path
):
    with pytest.raises(InvalidInputError, match="time zone: 'Mars/Olympus' is not a time zone"):
        desk.add_prospect(first_name="Gus", timezone="Mars/Olympus")
    with pytest.raises(InvalidInputError, match="time zone: 'America' is not a time zone"):
        desk.update_prospect(people["dana"].id, timezone="America")
    csv = tmp_path / "crm.csv"
    csv.write_text("First Name,Phone,Time Zone\nGus,(505) 828-1790,Mars/Olympus\n")
    report = desk.import_csv(csv, skip_invalid=True)
    assert not report.imported
    assert [note.message for note in report.invalid] == [
        "time zone: 'Mars/Olympus' is not a time zone (use a name like America/Chicago or "
        "Europe/Paris)"
    ]
    assert rows(db_location, "SELECT first_name, timezone FROM prospects ORDER BY id") == [
        ("Dana", "America/Denver"),
        ("Eli", "America/Chicago"),
        ("Fay", "America/Los_Angeles"),
    ]


# -- time zones, as found stored --------------------------------------------------------


def test_a_stored_profile_zone_that_is_none_falls_back_with_a_message(
    desk, cli, db_location, people
):
    execute(db_location, "UPDATE reps SET timezone = 'Mars/Olympus'")

    profile = desk.profile()
    assert not profile.timezone_is_set
    assert profile.timezone == computer_timezone()
    [problem] = desk.stored_value_problems()
    assert problem.startswith("the time zone in your profile, 'Mars/Olympus', is not a time zone")
    assert queued(desk) == {"Dana Whitfield", "Eli Moss", "Fay Lund"}

    warning = f"callassist: warning: {problem}\n"
    for command in (("queue",), ("review",), ("profile",)):
        shown = cli(*command)
        assert shown.status == 0, shown.err
        assert shown.err == warning
    # Neither commits and then fails: each succeeds, once.
    logged = cli("log", str(people["dana"].id), "--outcome", "no_answer")
    assert (logged.status, logged.err) == (0, warning)
    assert rows(db_location, "SELECT count(*) FROM attempts") == [(1,)]
    enrolled = cli("enroll", str(people["dana"].id), "persistence")
    assert (enrolled.status, enrolled.err) == (0, warning)
    assert rows(
        db_location, f"SELECT cadence FROM enrollments WHERE prospect_id = {people['dana'].id}"
    ) == [("persistence",)]

    # Setting a zone again mends it.
    assert cli("profile", "--timezone", "America/Chicago").status == 0
    assert desk.stored_value_problems() == []


def test_a_stored_prospect_zone_that_is_none_affects_only_them(desk, cli, db_location, people):
    dana = people["dana"]
    execute(db_location, "UPDATE prospects SET timezone = 'America' WHERE id = ?", dana.id)
    problem = (
        f"Dana Whitfield (#{dana.id}) has 'America' as time zone, which is not one: they are "
        "left out of the queue until it is fixed (set theirs on their card)"
    )

    assert desk.stored_value_problems() == [problem]
    assert queued(desk) == {"Eli Moss", "Fay Lund"}
    desk.review()
    for command in ("queue", "review"):
        shown = cli(command)
        assert shown.status == 0, shown.err
        assert shown.err == f"callassist: warning: {problem}\n"
        assert "Eli Moss" in shown.out
        assert "Dana" not in shown.out

    # Her card names her; enrolling her again changes nothing.
    with pytest.raises(InvalidInputError, match=r"Dana Whitfield \(#\d+\) has 'America'"):
        desk.enrollment(dana.id)
    before = rows(db_location, "SELECT prospect_id, cadence, enrolled_at FROM enrollments")
    refused = cli("enroll", str(dana.id), "persistence")
    assert refused.status == 1
    assert refused.err.endswith(f"callassist: {problem}\n")
    assert rows(db_location, "SELECT prospect_id, cadence, enrolled_at FROM enrollments") == before

    # Her call is logged, once.
    logged = cli("log", str(dana.id), "--outcome", "no_answer")
    assert logged.status == 0, logged.err
    assert rows(db_location, "SELECT count(*) FROM attempts") == [(1,)]

    # Fixing her zone brings her back, with that call counted as her first step.
    desk.update_prospect(dana.id, timezone="America/Denver")
    assert desk.stored_value_problems() == []
    enrollment = desk.enrollment(dana.id)
    assert enrollment is not None
    assert enrollment.step == 2


def test_a_follow_up_of_a_prospect_with_a_stored_zone_that_is_none_waits_with_them(
    desk, db_location, people, tmp_path
):
    for person in people.values():
        desk.remove_from_cadence(person.id)
        desk.reschedule(
            person.id,
            slot=datetime(2026, 3, 10, 20, 0, tzinfo=UTC),
            call_type="discovery",
            invites_folder=tmp_path / "invites",
        )
    execute(
        db_location, "UPDATE prospects SET timezone = 'Nowhere/Land' WHERE id = ?", people["fay"].id
    )
    assert queued(desk) == {"Dana Whitfield", "Eli Moss"}


def test_the_list_shows_a_stored_zone_that_is_none_as_no_zone():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    shown = local_time("America", now, time(9), time(17), "America/Chicago")
    assert not shown.zone_known
    assert (
        shown.at.utcoffset()
        == local_time(None, now, time(9), time(17), "America/Chicago").at.utcoffset()
    )
