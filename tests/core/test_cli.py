"""The command line, run in-process on real files, as a rep would type it."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from callassist import __version__
from callassist.cli import PROSPECT_JSON_KEYS, main
from callassist.core import CallDesk


class Run:
    """One command's exit status and output."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(db_path, clock):
    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_path), *argv], clock=clock, out=out, err=err)
        return Run(status, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def rep(cli):
    assert (
        cli(
            "profile",
            "--name",
            "Sam Rivera",
            "--company",
            "Northwind Answering",
            "--phone",
            "312-555-0142",
            "--email",
            "sam@northwind.example",
            "--timezone",
            "America/Chicago",
        ).status
        == 0
    )


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
    assert result.json()["call_types"] == [
        {"name": "demo", "minutes": 45},
        {"name": "check-in", "minutes": 10},
    ]
    assert result.json()["business_hours"] == ["08:30", "16:00"]
    assert cli("profile", "--hours", "17:00-09:00").status == 1
    assert cli("profile", "--call-type", "demo=soon").status == 1


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
    assert "row 3" in result.err
    assert "email" in result.err
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
    assert "Dry run" in dry.out
    assert "row 3" in dry.out
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
def test_lookup_answers_in_the_prospects_shape(cli, rep, db_path, clock, typed):
    with CallDesk.open(db_path, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="505 828 1788")
    found = cli("lookup", typed, "--format", "json").json()
    assert [p["id"] for p in found] == [dana.id]
    assert list(found[0]) == list(PROSPECT_JSON_KEYS)


def test_search_option_filters(cli, db_path, clock):
    with CallDesk.open(db_path, clock=clock) as desk:
        desk.add_prospect(first_name="Dana", company="Mesa Dental")
        desk.add_prospect(first_name="Lee", company="Harbor Legal")
    assert [
        p["first_name"] for p in cli("prospects", "--search", "harbor", "--format", "json").json()
    ] == ["Lee"]
    assert cli("prospects", "--search", "nobody-like-this").out.strip() == "No prospects found."


def test_log_with_a_local_time_and_a_note(cli, rep, db_path, clock):
    with CallDesk.open(db_path, clock=clock) as desk:
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
    assert "2026-03-09 16:30 CDT" in result.out
    with CallDesk.open(db_path, clock=clock) as desk:
        attempt = desk.prospect_detail(dana.id).attempts[0]
    assert attempt.at.isoformat() == "2026-03-09T21:30:00+00:00"
    assert attempt.notes == "left VM 1"
    assert attempt.script_name == "voicemail_first"
    assert attempt.rendered_text is not None
    assert "Dana" in attempt.rendered_text


def test_log_errors_are_one_line_and_change_nothing(cli, rep, db_path, clock):
    with CallDesk.open(db_path, clock=clock) as desk:
        dana = desk.add_prospect(first_name="Dana")
    missing = cli("log", "999", "--outcome", "no_answer")
    assert missing.status == 1
    assert missing.err == "callassist: no prospect #999\n"
    bad_time = cli("log", str(dana.id), "--outcome", "no_answer", "--at", "yesterday")
    assert bad_time.status == 1
    assert "ISO 8601" in bad_time.err
    with CallDesk.open(db_path, clock=clock) as desk:
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


def test_backup_and_check(cli, tmp_path):
    cli("demo")
    backup = cli("backup")
    assert backup.status == 0
    copy = Path(backup.out.strip().removeprefix("Backed up to "))
    assert copy.exists()
    assert copy.parent == tmp_path / "xdg-data" / "callassist" / "backups"
    assert cli("check").out.strip().endswith(": ok")


def test_no_command_opens_the_window_on_the_chosen_database(db_path):
    opened = []
    status = main(["--db", str(db_path)], open_window=lambda location: opened.append(location) or 0)
    assert status == 0
    assert opened == [str(db_path)]


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
