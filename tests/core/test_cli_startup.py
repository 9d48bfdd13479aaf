"""`callassist --help` and `--version` answer without loading the database layer, the
templates or the window: a rep who types them waits for Python and little else."""

import subprocess
import sys

import pytest

from callassist import __version__
from callassist.cli import main
from callassist.cli.parser import COMMANDS
from callassist.cli.running import RUNNERS
from callassist.importer import IMPORT_FIELDS
from callassist.services.prospects import EDITABLE_FIELDS

HEAVY = {"sqlalchemy", "alembic", "jinja2", "PySide6", "phonenumbers", "holidays", "icalendar"}
"""Libraries that take a good part of a second to import, none of which --help needs."""


def run_imports(*argv: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -m callassist ARGV``; its result and the top-level packages it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "callassist", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    return result, imported


def test_version_imports_no_heavy_library():
    result, imported = run_imports("--version")
    assert result.returncode == 0
    assert result.stdout == f"callassist {__version__}\n"
    assert "callassist" in imported
    assert imported & HEAVY == set()


def test_help_lists_every_command_and_imports_no_heavy_library():
    result, imported = run_imports("--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed
    assert imported & HEAVY == set()


def test_a_command_that_reads_the_database_does_import_it(tmp_path):
    """The check above can fail: a real command brings the database layer in."""
    result, imported = run_imports("--db", str(tmp_path / "a.sqlite"), "prospects")
    assert result.returncode == 0, result.stderr
    assert "No prospects found." in result.stdout
    assert "sqlalchemy" in imported


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        (["prospect", "add"], ["--" + name.replace("_", "-") for name in EDITABLE_FIELDS]),
        (["prospect", "edit"], ["--" + name.replace("_", "-") for name in EDITABLE_FIELDS]),
        (["import"], ["--dry-run", "--skip-invalid", "--update-existing", "--map"]),
        (["log"], ["--outcome", "--at", "--note", "--script", "--slot", "--call-type"]),
        (["review"], ["--date", "--format", "--output"]),
    ],
)
def test_a_command_s_help_shows_its_options(capsys, argv, options):
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: callassist {' '.join(argv)} ")
    for option in ["--db", *options]:
        assert option in shown


def test_import_help_names_every_field_a_column_can_fill(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "Fields: " + ", ".join(IMPORT_FIELDS) in shown


def test_options_of_a_command_not_chosen_are_refused(capsys):
    """Each command has its own options, even though only the chosen one's are built."""
    with pytest.raises(SystemExit) as exit_info:
        main(["queue", "--outcome", "connected"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --outcome connected" in capsys.readouterr().err


def test_every_command_in_the_help_has_something_to_run_it():
    # restore runs on the file, before the database is opened.
    assert set(RUNNERS) | {"restore"} == set(COMMANDS)
