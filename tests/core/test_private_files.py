"""What callassist writes about prospects is readable by the rep alone, whatever the umask."""

import io
import os
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callassist import paths
from callassist.cli import main
from callassist.core import CallDesk


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o077], ids=["umask-022", "umask-077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.fixture
def default_desk(umask: int, clock, tmp_path: Path) -> Iterator[CallDesk]:
    """The default database, on a first run: its folders do not exist yet."""
    assert not (tmp_path / "xdg-data").exists()
    with CallDesk.open(None, clock=clock, backup_folder=paths.backup_dir()) as desk:
        desk.update_profile(name="Sam Rivera", timezone="America/Chicago")
        yield desk


def test_the_database_and_its_wal_files_are_private_in_private_folders(default_desk, tmp_path):
    default_desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    database = paths.default_database_path()
    assert default_desk.database_file == database
    for made in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        assert mode_of(made) == 0o600, made
    # Every folder callassist had to make on the way, up to the missing XDG folder.
    for folder in (database.parent, tmp_path / "xdg-data"):
        assert mode_of(folder) == 0o700, folder


def test_a_new_database_in_an_existing_folder_is_private(umask, clock, tmp_path):
    with CallDesk.open(tmp_path / "calls.sqlite", clock=clock, backup_folder=tmp_path / "b"):
        pass
    assert mode_of(tmp_path / "calls.sqlite") == 0o600


def test_invites_are_private_in_a_private_folder(default_desk):
    dana = default_desk.add_prospect(first_name="Dana", email="dana@example.com")
    first = default_desk.reschedule(
        dana.id,
        slot=datetime(2026, 3, 12, 14, 0, tzinfo=ZoneInfo("America/Denver")),
        call_type=default_desk.profile().call_types[0].name,
    ).invite
    second = default_desk.reschedule(
        dana.id,
        slot=datetime(2026, 3, 12, 14, 0, tzinfo=ZoneInfo("America/Denver")),
        call_type=default_desk.profile().call_types[0].name,
    ).invite
    assert first.parent == paths.invites_dir()
    assert second != first  # the same slot twice: a second file, the first kept
    assert b"BEGIN:VCALENDAR" in first.read_bytes()
    assert (mode_of(first), mode_of(second)) == (0o600, 0o600)
    assert mode_of(paths.invites_dir()) == 0o700


def test_exports_are_private(default_desk, tmp_path):
    default_desk.add_prospect(first_name="Dana")
    target = tmp_path / "prospects.csv"
    assert default_desk.export_csv(target) == 1
    assert mode_of(target) == 0o600
    assert "Dana" in target.read_text(encoding="utf-8-sig")


def test_a_review_page_written_by_the_command_line_is_private(default_desk, clock, tmp_path):
    target = tmp_path / "review.html"
    err = io.StringIO()
    status = main(
        ["review", "--format", "html", "--output", str(target)],
        clock=clock,
        out=io.StringIO(),
        err=err,
    )
    assert (status, err.getvalue()) == (0, "")
    assert mode_of(target) == 0o600
    assert "<html" in target.read_text(encoding="utf-8").lower()


def test_a_file_the_rep_chose_to_write_over_keeps_its_mode(umask, tmp_path):
    shared = tmp_path / "shared.html"
    shared.write_text("old")
    shared.chmod(0o644)
    paths.write_private(shared, b"new")
    assert (shared.read_bytes(), mode_of(shared)) == (b"new", 0o644)


def test_existing_folders_keep_their_mode(umask, tmp_path):
    existing = tmp_path / "mine"
    existing.mkdir()
    existing.chmod(0o755)
    paths.private_folder(existing / "a" / "b")
    assert mode_of(existing) == 0o755
    assert (mode_of(existing / "a"), mode_of(existing / "a" / "b")) == (0o700, 0o700)


def test_backups_are_private_in_a_private_folder(default_desk):
    default_desk.add_prospect(first_name="Dana")
    copy = default_desk.backup()
    assert mode_of(copy) == 0o600
    folder = copy.parent
    while folder != paths.data_dir():
        assert mode_of(folder) == 0o700, folder
        folder = folder.parent
