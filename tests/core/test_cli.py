"""The command line, run in-process on real files, as a rep would type it.

Past 500 lines: one test per command and refusal, sharing the in-process runner; the
prospect, trash and startup commands have their own files.
"""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from cli_runs import Run
from icalendar import Calendar

from callassist import __version__
from callassist.cli import main
from callassist.cli.prospects import PROSPECT_JSON_KEYS
from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.vocabulary import STATUS_AFTER_OUTCOME, FollowUpKind, Outcome, ProspectStatus
from ui.launcher import NO_DISPLAY, display_problem


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"callassist {__version__}"


def test_profile_shows_defaults_then_what_was_set(cli, rep):
    shown = cli("profile", "--format", "json").json()
    assert shown["name"] == "Sam Rivera"
    assert shown["phone"] == "+13125550142"
    assert shown["timezone"] == "America/Chicago"
    assert shown["call_types"] == [
        {"name": "discovery", "minutes": 20},
        {"name": "introduction", "minutes": 60},
    ]
    text = cli("profile").out
    assert "(312) 555-0142" in text
    assert "discovery 20 min" in text


def test_profile_rejects_a_bad_phone_and_keeps_the_old_one(cli, rep):
    result = cli("profile", "--phone", "12", "--name", "Someone Else")
    assert result.status == 1
    assert result.err.count("\n") == 1
    assert result.err.startswith("callassist: ")
    assert cli("profile", "--format", "json").json()["name"] == "Sam Rivera"


def test_profile_call_types_and_hours(cli):
    result = cli(
        "profile",
        "--call-type",
        "demo=45",
        "--call-type",
        "check-in=10",
        "--hours",
        "08:30-16:00",
        "--format",
        "json",
    )
    # Added to the two every profile starts with, not in their place.
    assert result.json()["call_types"] == [
        {"name": "discovery", "minutes": 20},
        {"name": "introduction", "minutes": 60},
        {"name": "demo", "minutes": 45},
        {"name": "check-in", "minutes": 10},
    ]
    assert result.json()["business_hours"] == ["08:30", "16:00"]
    assert cli("profile", "--hours", "17:00-09:00").status == 1
    assert cli("profile", "--call-type", "demo=soon").status == 1


def test_profile_call_type_changes_one_type_and_says_what_changed(cli):
    changed = cli("profile", "--call-type", "Discovery=30", "--call-type", "demo=45")
    assert changed.status == 0, changed.err
    assert changed.lines()[:2] == [
        "Call type discovery now needs 30 min (was 20).",
        "Added call type demo (45 min).",
    ]
    assert "Call types:     discovery 30 min, introduction 60 min, demo 45 min" in changed.out

    removed = cli("profile", "--remove-call-type", "introduction")
    assert removed.out.startswith("Removed call type introduction.\n")
    assert "Call types:     discovery 30 min, demo 45 min" in removed.out

    unknown = cli("profile", "--remove-call-type", "webinar")
    assert unknown.status == 1
    refusal = unknown.problem()
    assert "no call type 'webinar' to remove" in refusal
    assert "discovery (30 min), demo (45 min)" in refusal
    assert [ct["name"] for ct in cli("profile", "--format", "json").json()["call_types"]] == [
        "discovery",
        "demo",
    ]


def test_render_with_an_unknown_call_type_lists_the_known_ones(cli):
    cli("demo")
    first = cli("prospects", "--format", "json").json()[0]
    args = ("render", "reschedule_proposal", "--prospect", str(first["id"]))
    slot = ("--slot", "2026-03-12T10:00")
    unknown = cli(*args, *slot, "--call-type", "webinar")
    assert unknown.status == 1
    refusal = unknown.problem()
    assert "no call type 'webinar'" in refusal
    assert "discovery (20 min), introduction (60 min)" in refusal
    assert "callassist profile --call-type NAME=MINUTES" in refusal
    typed_in_capitals = cli(*args, *slot, "--call-type", "INTRODUCTION")
    assert typed_in_capitals.status == 0, typed_in_capitals.err
    assert "60 minutes" in typed_in_capitals.out


def test_demo_then_prospects_lists_it(cli):
    assert cli("demo").status == 0
    listed = cli("prospects", "--format", "json").json()
    assert len(listed) >= 25
    assert list(listed[0]) == list(PROSPECT_JSON_KEYS)
    assert len({p["timezone"] for p in listed}) >= 4
    table = cli("prospects").out.splitlines()
    assert table[0].split()[:3] == ["ID", "Name", "Company"]
    assert len(table) == len(listed) + 1


def test_demo_refuses_a_database_with_prospects(cli):
    cli("demo")
    again = cli("demo")
    assert again.status == 1
    assert "already has" in again.err


def test_import_with_one_bad_row_imports_nothing_and_names_the_row(cli, tmp_path):
    csv_file = write_csv(
        tmp_path / "leads.csv",
        "First Name,Last Name,Company,Email Address,Phone\n"
        "Dana,Whitfield,Mesa Dental,dana@mesa.example,(505) 828-1788\n"
        "Lee,Park,Harbor Legal,lee-at-harbor,312-555-0199\n",
    )
    result = cli("import", str(csv_file))
    assert result.status == 1
    rows, summary = result.err.splitlines()
    assert rows == "row 3: email: 'lee-at-harbor' is not an email address"
    assert summary.startswith("callassist: nothing was imported: 1 invalid row")
    assert "--skip-invalid to import 1 new prospect" in summary
    assert cli("prospects", "--format", "json").json() == []


def test_dry_run_with_invalid_rows_still_reports_everything(cli, tmp_path):
    csv_file = write_csv(
        tmp_path / "leads.csv",
        "First Name,Last Name,Email,Phone,Lead Source\n"
        "Dana,Whitfield,dana@mesa.example,(505) 828-1788,web\n"
        "Lee,Park,lee-at-harbor,312-555-0199,web\n"
        "Ann,Lopez,ann@lopez.example,,referral\n"
        "Bo,,bo@bo.example,12,web\n",
    )
    dry = cli("import", str(csv_file), "--dry-run")
    assert dry.status == 1
    report = dry.lines()
    assert "Read leads.csv as UTF-8." in report
    verdict = next(line for line in report if line.startswith("Dry run, nothing changed."))
    assert "2 invalid rows" in verdict
    assert "the import would stop and import nothing" in verdict
    assert "With --skip-invalid it would import 2 new prospects." in verdict
    assert [line for line in report if line.startswith("row ")] == [
        "row 3: invalid, email: 'lee-at-harbor' is not an email address",
        "row 5: invalid, phone: '12' has the wrong number of digits for a phone number",
    ]
    assert "Ignored columns: Lead Source" in report
    refusal = dry.problem()
    assert refusal.startswith("2 invalid rows")
    assert "--skip-invalid to import 2 new prospects" in refusal
    assert cli("prospects", "--format", "json").json() == []


def test_import_skip_invalid_and_dry_run(cli, tmp_path):
    csv_file = write_csv(
        tmp_path / "leads.csv",
        "first name;last name;company name;email;mobile\n"
        "Dana;Whitfield;Mesa Dental;dana@mesa.example;(505) 828-1788\n"
        "Lee;Park;Harbor Legal;lee-at-harbor;312-555-0199\n",
    )
    dry = cli("import", str(csv_file), "--dry-run", "--skip-invalid")
    assert dry.status == 0
    report = dry.lines()
    assert "Dry run, nothing changed. Would import 1 new prospect." in report
    assert [line for line in report if line.startswith("row ")] == [
        "row 3: skipped, email: 'lee-at-harbor' is not an email address"
    ]
    assert cli("prospects", "--format", "json").json() == []
    assert cli("import", str(csv_file), "--skip-invalid").status == 0
    assert [p["last_name"] for p in cli("prospects", "--format", "json").json()] == ["Whitfield"]
    again = cli("import", str(csv_file), "--skip-invalid")
    assert "row 2: already known" in again.out


def test_export_writes_everything_back_out(cli, tmp_path):
    cli("demo")
    target = tmp_path / "out.csv"
    result = cli("export", str(target))
    assert result.status == 0
    count = len(cli("prospects", "--format", "json").json())
    assert f"Wrote {count} prospects" in result.out
    assert target.read_text(encoding="utf-8-sig").startswith("First Name,Last Name")


@pytest.mark.parametrize("typed", ["(505) 828-1788", "+1 505-828-1788", "5058281788"])
def test_lookup_answers_in_the_prospects_shape(cli, rep, db_location, clock, typed):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
    found = cli("lookup", typed, "--format", "json").json()
    assert [p["id"] for p in found] == [dana.id]
    assert list(found[0]) == list(PROSPECT_JSON_KEYS)


def test_search_option_filters(cli, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        desk.add_prospect(first_name="Dana", company="Mesa Dental")
        desk.add_prospect(first_name="Lee", company="Harbor Legal")
    assert [
        p["first_name"] for p in cli("prospects", "--search", "harbor", "--format", "json").json()
    ] == ["Lee"]
    assert cli("prospects", "--search", "nobody-like-this").out.strip() == "No prospects found."


def test_log_with_a_local_time_and_a_note(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield")
    result = cli(
        "log",
        str(dana.id),
        "--outcome",
        "voicemail_left",
        "--at",
        "2026-03-09T16:30",
        "--note",
        "left VM 1",
        "--script",
        "voicemail_first",
    )
    assert result.status == 0, result.err
    with CallDesk.open(db_location, clock=clock) as desk:
        attempt = desk.prospect_detail(dana.id).attempts[0]
    [logged] = result.lines()
    assert logged.startswith(f"Logged call 1 with #{dana.id} Dana Whitfield: voicemail left, ")
    assert "2026-03-09 16:30 CDT" in logged
    assert f"(attempt id {attempt.id})" in logged
    assert result.err == ""
    assert attempt.at.isoformat() == "2026-03-09T21:30:00+00:00"
    assert attempt.notes == "left VM 1"
    assert attempt.script_name == "voicemail_first"
    assert attempt.rendered_text is not None
    assert "Dana" in attempt.rendered_text


def test_log_counts_calls_to_this_prospect_and_warns_about_a_future_time(
    cli, rep, db_location, clock
):
    with CallDesk.open(db_location, clock=clock) as desk:
        other = desk.add_prospect(first_name="Lee", last_name="Park")
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield")
        for _ in range(3):
            desk.log_attempt(other.id, Outcome.NO_ANSWER)
    first = cli("log", str(dana.id), "--outcome", "no_answer", "--at", "2026-03-09T11:00")
    assert first.out.startswith(f"Logged call 1 with #{dana.id} Dana Whitfield: no answer, ")
    email = cli("log", str(dana.id), "--outcome", "email_sent", "--at", "2026-03-09T12:00")
    assert email.out.startswith(f"Logged email 1 to #{dana.id} Dana Whitfield: email sent, ")

    # The clock says 2026-03-10 10:00 in Chicago: tomorrow morning has not happened yet.
    future = cli("log", str(dana.id), "--outcome", "voicemail_left", "--at", "2026-03-11T09:00")
    assert future.status == 0
    assert future.out.startswith(
        f"Logged call 2 with #{dana.id} Dana Whitfield: voicemail left, 2026-03-11 09:00 CDT "
    )
    warning = future.problem()
    assert warning.startswith("warning: --at 2026-03-11 09:00 CDT is in the future")
    assert "(it is 2026-03-10 10:00 CDT now)" in warning
    assert warning.endswith("logged as given")
    with CallDesk.open(db_location, clock=clock) as desk:
        assert len(desk.prospect_detail(dana.id).attempts) == 3


def test_log_errors_are_one_line_and_change_nothing(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana")
    missing = cli("log", "999", "--outcome", "no_answer")
    assert missing.status == 1
    assert missing.problem() == "no prospect #999"
    bad_time = cli("log", str(dana.id), "--outcome", "no_answer", "--at", "yesterday")
    assert bad_time.status == 1
    assert "ISO 8601" in bad_time.err
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.prospect_detail(dana.id).attempts == ()


def test_unknown_outcome_is_a_usage_error(cli, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli("log", "1", "--outcome", "maybe")
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_render_prints_a_voicemail_for_a_demo_prospect(cli):
    cli("demo")
    first = cli("prospects", "--format", "json").json()[0]
    result = cli("render", "voicemail_first", "--prospect", str(first["id"]))
    assert result.status == 0, result.err
    assert first["first_name"] in result.out
    assert "seconds to say" in result.err
    assert "[missing" not in result.out


def test_render_email_as_html_and_a_missing_script(cli):
    cli("demo")
    first = cli("prospects", "--format", "json").json()[0]
    html = cli(
        "render", "email_after_voicemails", "--prospect", str(first["id"]), "--format", "html"
    )
    assert html.status == 0
    assert "<p" in html.out
    text = cli("render", "email_after_voicemails", "--prospect", str(first["id"]))
    assert text.out.startswith("Subject: ")
    missing = cli("render", "no_such_script", "--prospect", str(first["id"]))
    assert missing.status == 1
    assert "no_such_script" in missing.err


def test_scripts_lists_every_moment(cli):
    listed = cli("scripts", "--format", "json").json()
    assert {s["name"] for s in listed} >= {
        "opener_research",
        "time_check_question",
        "reschedule_proposal",
        "voicemail_first",
        "voicemail_missed_again",
        "voicemail_third",
        "email_after_voicemails",
        "voicemail_commitment_test",
        "voicemail_role_changed",
        "pain_acknowledgement",
    }
    assert all(list(s) == ["name", "title", "channel"] for s in listed)


@pytest.mark.sqlite_only("backup copies the SQLite file")
def test_backup_and_check(cli, tmp_path):
    cli("demo")
    backup = cli("backup")
    assert backup.status == 0
    copy = Path(backup.out.strip().removeprefix("Backed up to "))
    assert copy.exists()
    assert copy.parent.parent == tmp_path / "xdg-data" / "callassist" / "backups"
    assert cli("check").out.strip().endswith(": ok")


def test_no_command_opens_the_window_on_the_chosen_database_as_the_chosen_rep(db_location):
    opened = []

    def open_window(location: str | None, rep: str | None) -> int:
        opened.append((location, rep))
        return 0

    assert main(["--db", str(db_location)], open_window=open_window) == 0
    assert main(["--db", str(db_location), "--rep", "jo@x.example"], open_window=open_window) == 0
    assert opened == [(str(db_location), None), (str(db_location), "jo@x.example")]


def test_no_command_without_a_window_says_so(cli):
    result = cli()
    assert result.status == 1
    assert "no window" in result.err


def test_installed_command_uses_the_environment_variable(tmp_path):
    env = os.environ | {
        "CALLASSIST_DB": str(tmp_path / "env.sqlite"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }
    command = Path(sys.executable).parent / "callassist"
    result = subprocess.run(
        [command, "prospects", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "env.sqlite").exists()


# -- where the database is ---------------------------------------------------------


def run_main(*argv: str) -> Run:
    """A command as typed, with no --db added."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return Run(status, out.getvalue(), err.getvalue())


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 16, b"Name,Phone\nDana,505 828 1788\n"],
    ids=["random bytes", "a text file"],
)
@pytest.mark.parametrize("command", ["check", "prospects", "demo"])
def test_a_file_that_is_not_a_database_is_named_and_left_alone(tmp_path, content, command):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    result = run_main("--db", str(path), command)
    assert result.status == 1
    refusal = result.problem()
    assert refusal.startswith(f"cannot open {path}: it is not a callassist database")
    assert refusal.endswith("nothing was changed")
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


@pytest.mark.sqlite_only("damages the pages of the SQLite file")
def test_a_database_damaged_inside_is_reported_without_a_traceback(cli, tmp_path, db_path, damage):
    cli("demo")
    damage(db_path)

    listed = cli("prospects")
    assert listed.status == 1
    refusal = listed.problem()
    assert refusal.startswith(f"cannot read {db_path}: it is damaged")
    assert "nothing was changed" in refusal
    assert "`callassist restore` puts the newest good backup back" in refusal
    assert str(tmp_path / "xdg-data" / "callassist" / "backups") in refusal
    checked = cli("check")
    assert checked.status == 1
    assert checked.err.startswith("callassist: ")
    assert "Traceback" not in checked.err


def test_an_unknown_kind_of_url_says_what_is_accepted():
    result = run_main("--db", "foo://bar", "check")
    assert result.status == 1
    refusal = result.problem()
    assert refusal.startswith("foo://bar: 'foo' is not a kind of database callassist knows")
    assert "the path of a database file" in refusal
    assert "SQLAlchemy URL" in refusal


def test_a_folder_is_not_a_database(tmp_path):
    result = run_main("--db", str(tmp_path), "prospects")
    assert result.status == 1
    refusal = result.problem()
    assert refusal.startswith(f"{tmp_path} is a folder")
    assert f"(e.g. {tmp_path / 'callassist.sqlite'})" in refusal


def test_a_mistyped_folder_is_not_created(tmp_path, monkeypatch):
    typo = tmp_path / "Dcouments" / "calls.sqlite"
    result = run_main("--db", str(typo), "prospects")
    assert result.status == 1
    refusal = result.problem()
    assert refusal.startswith(f"cannot open {typo}: the folder {typo.parent} does not exist")
    assert "check the path" in refusal
    assert not typo.parent.exists()
    # The same from the environment variable.
    monkeypatch.setenv("CALLASSIST_DB", str(typo))
    assert run_main("prospects").err == result.err
    assert not typo.parent.exists()


def test_a_new_file_in_an_existing_folder_starts_a_database(tmp_path):
    path = tmp_path / "second-desk.sqlite"
    result = run_main("--db", str(path), "check")
    assert result.status == 0, result.err
    assert result.lines() == [f"{path}: ok"]


def test_the_default_database_folder_is_created_on_a_first_run(tmp_path):
    result = run_main("check")
    assert result.status == 0, result.err
    assert (tmp_path / "xdg-data" / "callassist" / "callassist.sqlite").is_file()


# -- no display --------------------------------------------------------------------


def test_the_window_without_a_display_says_so_instead_of_crashing(tmp_path):
    hidden = {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    env = {key: value for key, value in os.environ.items() if key not in hidden} | {
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }
    command = Path(sys.executable).parent / "callassist"
    database = tmp_path / "desk.sqlite"
    result = subprocess.run(
        [command, "--db", str(database)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [NO_DISPLAY]
    assert "xvfb-run -a callassist" in NO_DISPLAY
    assert not database.exists()


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        ({}, NO_DISPLAY),
        ({"DISPLAY": ":0"}, None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None),
        ({"QT_QPA_PLATFORM": "offscreen"}, None),
        ({"QT_QPA_PLATFORM": "minimal"}, None),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, None),
        ({"QT_QPA_PLATFORM": "xcb"}, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "wayland"}, NO_DISPLAY),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":1"}, None),
        ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":1"}, NO_DISPLAY),
    ],
)
def test_display_problem_on_linux(environ, problem):
    assert display_problem(environ, "linux") == problem


def test_other_systems_always_have_a_display():
    assert display_problem({}, "darwin") is None
    assert display_problem({}, "win32") is None


def test_trash_lists_what_was_deleted_and_undelete_brings_it_back(cli, rep, db_location, clock):
    assert cli("trash").lines() == ["The trash is empty."]
    ten_days_ago = fixed_clock(clock() - timedelta(days=10))
    with CallDesk.open(db_location, clock=ten_days_ago) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", company="Mesa Dental")
        lee = desk.add_prospect(first_name="Lee", last_name="Park", company="Harbor Legal")
        desk.log_attempt(dana.id, Outcome.NO_ANSWER)
        desk.delete_prospect(lee.id)
    with CallDesk.open(db_location, clock=clock) as desk:
        desk.delete_prospect(dana.id)

    listed = cli("trash")
    assert listed.status == 0, listed.err
    assert listed.table() == [
        {
            "ID": str(dana.id),
            "Name": "Dana Whitfield",
            "Company": "Mesa Dental",
            "Deleted": "2026-03-10 10:00",
            "Purged in": "30 days",
        },
        {
            "ID": str(lee.id),
            "Name": "Lee Park",
            "Company": "Harbor Legal",
            "Deleted": "2026-02-28 09:00",
            "Purged in": "20 days",
        },
    ]
    assert listed.lines()[-1] == "Bring one back with `callassist undelete ID`."

    back = cli("undelete", str(dana.id))
    assert back.status == 0, back.err
    [said] = back.lines()
    assert said.startswith(f"#{dana.id} Dana Whitfield (Mesa Dental) is back")
    assert [p["id"] for p in cli("prospects", "--format", "json").json()] == [dana.id]
    with CallDesk.open(db_location, clock=clock) as desk:
        assert len(desk.prospect_detail(dana.id).attempts) == 1
    assert [row["Name"] for row in cli("trash").table()] == ["Lee Park"]


def test_undelete_errors_are_one_line_and_change_nothing(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
        desk.delete_prospect(dana.id)
        lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="(505) 828-1788")

    unknown = cli("undelete", "999")
    assert (unknown.status, unknown.out) == (1, "")
    assert unknown.problem().startswith("no prospect #999 in the trash")
    clash = cli("undelete", str(dana.id))
    assert clash.status == 1
    refusal = clash.problem()
    assert f"Lee Park (#{lee.id})" in refusal
    assert f"same phone number as Dana Whitfield (#{dana.id})" in refusal
    assert refusal.endswith("Dana Whitfield stays in the trash")
    assert [row["ID"] for row in cli("trash").table()] == [str(dana.id)]
    assert [p["id"] for p in cli("prospects", "--format", "json").json()] == [lee.id]


@pytest.mark.parametrize(
    ("outcome", "why"),
    [
        (Outcome.NOT_INTERESTED, "said they are not interested"),
        (Outcome.BAD_NUMBER, "was the wrong person or a bad number"),
    ],
)
def test_enrolling_someone_who_said_no_needs_force(cli, rep, db_location, clock, outcome, why):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
        desk.log_attempt(dana.id, outcome, at=clock() - timedelta(days=30))
    refused = cli("enroll", str(dana.id), "persistence")
    assert refused.status == 1
    refusal = refused.problem()
    assert refusal.startswith(f"#{dana.id} Dana Whitfield {why}")
    assert "add --force to enroll them anyway" in refusal
    assert refused.out == ""
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.enrollment(dana.id) is None
    forced = cli("enroll", str(dana.id), "persistence", "--force")
    assert forced.status == 0, forced.err
    with CallDesk.open(db_location, clock=clock) as desk:
        assert (desk.enrollment(dana.id).cadence, desk.enrollment(dana.id).state) == (
            "persistence",
            "active",
        )
        assert desk.prospect(dana.id).status is STATUS_AFTER_OUTCOME[outcome]


def test_status_sets_it_by_hand_and_says_what_it_was(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
        desk.log_attempt(dana.id, Outcome.NOT_INTERESTED, at=clock() - timedelta(days=30))
    changed = cli("status", str(dana.id), "working")
    assert (changed.status, changed.err) == (0, "")
    assert changed.lines() == [f"#{dana.id} Dana Whitfield is now working (was not interested)."]
    again = cli("status", str(dana.id), "working")
    assert again.lines() == [f"#{dana.id} Dana Whitfield is already working."]
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.prospect(dana.id).status is ProspectStatus.WORKING


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("1", "interested"),
            "STATUS 'interested' is not a status: use one of new, working, "
            "engaged, not_interested, bad_contact, moved_on",
        ),
        (("2", "working"), "no prospect #2"),
        (("x", "working"), "PROSPECT_ID 'x': use a whole number"),
    ],
)
def test_status_refuses_an_unknown_status_or_prospect_and_changes_nothing(
    cli, rep, db_location, clock, argv, message
):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
        desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    refused = cli("status", *argv)
    assert (refused.status, refused.out) == (1, "")
    assert refused.problem() == message
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.prospect(dana.id).status is ProspectStatus.NOT_INTERESTED


def test_log_rescheduled_books_the_time_agreed(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
    logged = cli(
        "log", str(dana.id), "--outcome", "rescheduled", "--slot", "2026-03-12T14:00",
        "--call-type", "Discovery",
    )  # fmt: skip
    assert logged.status == 0, logged.err
    assert "Booked 20 min for 2026-03-12 14:00 CDT; the invite is " in logged.out
    with CallDesk.open(db_location, clock=clock) as desk:
        detail = desk.prospect_detail(dana.id)
        (attempt,) = detail.attempts
        assert attempt.outcome is Outcome.RESCHEDULED
        (booked,) = [f for f in detail.follow_ups if f.kind is FollowUpKind.MEETING]
        assert booked.attempt_id == attempt.id
        assert booked.due_at.isoformat() == "2026-03-12T19:00:00+00:00"
        invite = Path(logged.out.split("the invite is ")[1].strip())
        assert invite.read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--outcome", "rescheduled"],
            "--outcome rescheduled needs --slot ISO_TIME, the time agreed for the call",
        ),
        (
            ["--outcome", "no_answer", "--slot", "2026-03-12T14:00"],
            "--slot and --call-type go with --outcome rescheduled only",
        ),
        (
            ["--outcome", "rescheduled", "--slot", "2026-03-09T14:00"],
            "pick a time in the future for the call",
        ),
        (
            ["--outcome", "rescheduled", "--slot", "2026-03-12T14:00", "--call-type", "lunch"],
            "no call type 'lunch'",
        ),
    ],
    ids=["no slot", "slot without reschedule", "slot in the past", "unknown call type"],
)
def test_log_rescheduled_refusals_leave_nothing_behind(cli, rep, db_location, clock, argv, message):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
    refused = cli("log", str(dana.id), *argv)
    assert refused.status == 1
    assert refused.problem().startswith(message)
    with CallDesk.open(db_location, clock=clock) as desk:
        detail = desk.prospect_detail(dana.id)
        assert (detail.attempts, detail.follow_ups) == ((), ())


def test_book_writes_the_invite_and_prints_its_path_on_the_last_line(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(
            first_name="Dana", last_name="Whitfield", email="dana@mesa.example"
        )
    booked = cli("book", str(dana.id), "--at", "2026-03-12T14:00", "--call-type", "Discovery")
    assert booked.status == 0, booked.err
    said, path = booked.out.splitlines()
    assert said.startswith(f"Booked discovery call #1 with #{dana.id} Dana Whitfield: ")
    assert "2026-03-12 14:00 CDT, 20 min." in said
    calendar = Calendar.from_ical(Path(path).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2026-03-12T14:00:00-05:00"
    assert str(calendar["method"]) == "REQUEST"
    with CallDesk.open(db_location, clock=clock) as desk:
        (follow_up,) = desk.prospect_detail(dana.id).follow_ups
    assert (follow_up.kind, follow_up.minutes, follow_up.attempt_id) == (
        FollowUpKind.MEETING,
        20,
        None,
    )
    assert str(event["uid"]) == follow_up.uid


def test_book_takes_minutes_and_an_offset_and_defaults_to_the_first_call_type(
    cli, rep, db_location, clock
):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield")
    booked = cli("book", str(dana.id), "--at", "2026-03-12T14:00-07:00", "--minutes", "45")
    assert booked.status == 0, booked.err
    assert "discovery call #1" in booked.out
    assert "2026-03-12 16:00 CDT, 45 min." in booked.out


def test_a_booking_moves_and_is_cancelled_from_the_command_line(cli, rep, db_location, clock):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(
            first_name="Dana", last_name="Whitfield", email="dana@mesa.example"
        )
    first = Path(cli("book", str(dana.id), "--at", "2026-03-12T14:00").out.splitlines()[-1])
    moved = cli("move-booking", "1", "--at", "2026-03-13T09:30")
    assert moved.status == 0, moved.err
    assert moved.out.startswith("Moved discovery call #1 with #1 Dana Whitfield: 2026-03-13 09:30")
    cancelled = cli("cancel-booking", "1")
    assert cancelled.status == 0, cancelled.err
    events = [
        next(iter(Calendar.from_ical(Path(run).read_bytes()).walk("VEVENT")))
        for run in (first, moved.out.splitlines()[-1], cancelled.out.splitlines()[-1])
    ]
    assert len({str(event["uid"]) for event in events}) == 1
    assert [event["sequence"] for event in events] == [0, 1, 2]
    assert [str(event["status"]) for event in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    again = cli("cancel-booking", "1")
    assert again.status == 1
    assert again.problem() == "booking #1 is already cancelled"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["1", "--at", "2026-03-09T14:00"], "pick a time in the future for the call"),
        (["99", "--at", "2026-03-12T14:00"], "no prospect #99"),
        (["1", "--at", "2026-03-12T14:00", "--call-type", "lunch"], "no call type 'lunch'"),
        (["1", "--at", "next tuesday"], "--at 'next tuesday': use ISO 8601"),
        (["1", "--at", "2026-11-01T01:30"], "--at 2026-11-01 01:30 happens twice"),
        (["1", "--at", "2026-03-12T14:00", "--minutes", "0"], "--minutes '0' is out of range"),
    ],
    ids=["past", "unknown prospect", "unknown call type", "not a time", "twice", "no minutes"],
)
def test_book_refusals_are_one_line_and_book_nothing(cli, rep, db_location, clock, argv, message):
    with CallDesk.open(db_location, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield")
    refused = cli("book", *argv)
    assert refused.status == 1
    assert refused.problem().startswith(message)
    assert refused.out == ""
    with CallDesk.open(db_location, clock=clock) as desk:
        assert desk.prospect_detail(dana.id).follow_ups == ()
