"""Fixtures shared by every test: a fixed clock, private folders, a real database."""

import os

# Must be set before anything imports Qt: with no display, Qt would abort the
# whole run. setdefault lets a run under Xvfb choose xcb instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from callassist.clock import Clock, fixed_clock
from callassist.core import CallDesk

# A Tuesday afternoon in the rep's Chicago morning: inside business hours.
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point platformdirs at the test's folder so no test touches the real data."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("CALLASSIST_DB", raising=False)


@pytest.fixture
def clock() -> Clock:
    return fixed_clock(NOW)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.sqlite"


@pytest.fixture
def desk(db_path: Path, clock: Clock, tmp_path: Path) -> Iterator[CallDesk]:
    """A CallDesk on a new SQLite file, with a complete rep profile."""
    with CallDesk.open(
        db_path,
        clock=clock,
        template_dir=tmp_path / "my-scripts",
        backup_folder=tmp_path / "backups",
    ) as opened:
        opened.update_profile(
            name="Sam Rivera",
            company="Northwind Answering",
            phone="(312) 555-0142",
            email="sam@northwind.example",
            timezone="America/Chicago",
        )
        yield opened
