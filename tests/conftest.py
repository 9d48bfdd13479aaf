"""Fixtures shared by every test: a fixed or moving clock, private folders, a real database,
and one fully known day of calls for the review."""

import gc
import os
import sys
import warnings

# Must be set before anything imports Qt: with no display, Qt would abort the
# whole run. setdefault lets a run under Xvfb choose xcb instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from callassist.clock import Clock, fixed_clock
from callassist.core import CallDesk
from callassist.records import AttemptRecord, ProspectRecord
from callassist.vocabulary import Outcome, PainKind

# scripts/ is a folder of scripts, not a package: its shared damage helper is
# imported from there so the tests and the hostile inputs damage files alike.
sys.path.append(str(Path(__file__).resolve().parents[1] / "scripts"))
from damaged_database import overwrite_prospects_page

# --database=sqlite|postgresql, the PostgreSQL cluster, and the sqlite_only mark.
pytest_plugins = ["database_choice"]

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
    """The test's SQLite file, for tests about the file itself (marked sqlite_only);
    the others take db_location."""
    return tmp_path / "desk.sqlite"


@pytest.fixture
def db_location(request: pytest.FixtureRequest) -> Iterator[str | Path]:
    """Where the desk's database is: a new SQLite file (db_path), or with
    ``--database=postgresql`` a new PostgreSQL database's URL. A test that is about the
    database, not the file, takes this; ``str(db_location)`` is what ``--db`` takes."""
    # The option itself, not database_choice.on_postgresql: importing the plugin here,
    # before pytest loads it, would keep pytest from rewriting its asserts.
    if request.config.getoption("database") == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        yield url  # postgres_url collects what the test left, at its end
        return
    path: Path = request.getfixturevalue("db_path")
    yield path
    # As postgres_url does: what the test left to the collector goes now, on this
    # thread. Left to the window's collector (once a second, while a later test ran),
    # the SQLite run crashed now and then as a later review test created its dialog;
    # the PostgreSQL run, collecting here, never did.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def desk(db_location: str | Path, clock: Clock, tmp_path: Path) -> Iterator[CallDesk]:
    """A CallDesk on a new database, with a complete rep profile."""
    with CallDesk.open(
        db_location,
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


DANA = {
    "first_name": "Dana",
    "last_name": "Whitfield",
    "title": "Practice Manager",
    "company": "Mesa Dental",
    "email": "dana@mesa.example",
    "phone": "(505) 828-1788",
    "timezone": "America/Denver",
    "tags": "dental",
}
"""The prospect most tests call: a Denver dental practice's manager, reachable by phone
and email."""


JO = "jo@northwind.example"
"""Sam's colleague Jo Park, who joins the database in the team tests."""


@pytest.fixture
def jos_desk(
    desk: CallDesk, db_location: str | Path, clock: Clock, tmp_path: Path
) -> Iterator[CallDesk]:
    """Jo joins Sam's database from a desk of her own; the test's desk stays Sam's."""
    desk.add_rep(name="Jo Park", email=JO)
    desk.use_rep("sam@northwind.example")
    with CallDesk.open(
        db_location,
        clock=clock,
        rep=JO,
        template_dir=tmp_path / "jos-scripts",
        backup_folder=tmp_path / "jos-backups",
    ) as opened:
        yield opened


@pytest.fixture
def colleague(db_location: str | Path, clock: Clock, tmp_path: Path) -> Iterator[CallDesk]:
    """A second desk on the same database: a colleague's window or command."""
    with CallDesk.open(
        db_location, clock=clock, template_dir=tmp_path / "theirs", backup_folder=tmp_path
    ) as opened:
        yield opened


@pytest.fixture
def make_prospect(desk: CallDesk) -> Callable[..., ProspectRecord]:
    """Adds a prospect through the desk, as typed on the card: Dana's fields, except
    those given. A second prospect needs its own email and phone (duplicates are refused)."""

    def add(**fields: str) -> ProspectRecord:
        return desk.add_prospect(**(DANA | fields))

    return add


@pytest.fixture
def dana(make_prospect: Callable[..., ProspectRecord]) -> ProspectRecord:
    return make_prospect()


class MovingClock:
    """The desk's clock, moved on by the test (``moving.at = ...``)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def moving(desk: CallDesk, clock: Clock) -> MovingClock:
    """The desk's clock, starting at NOW, for tests that walk through days."""
    moving = MovingClock(clock())
    desk.clock = moving
    return moving


CHICAGO = ZoneInfo("America/Chicago")


def _chicago(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture
def make_call(desk: CallDesk, moving: MovingClock) -> Callable[..., AttemptRecord]:
    """A call as the window makes it: start, maybe a time check, then (maybe) an outcome."""

    def call(
        prospect: ProspectRecord,
        start: datetime,
        minutes: int,
        outcome: Outcome | None,
        *,
        available: int | None = None,
        asked: bool = False,
    ) -> AttemptRecord:
        moving.at = start
        attempt = desk.start_call(prospect.id)
        if available is not None or asked:
            desk.record_time_check(
                attempt.id,
                asked=asked,
                minutes_available=available,
                call_type="discovery",
                immediate_need=False,
            )
        moving.at = start + timedelta(minutes=minutes)
        if outcome is not None:
            desk.finish_attempt(attempt.id, outcome)
        return attempt

    return call


@pytest.fixture
def seeded(
    desk: CallDesk, moving: MovingClock, make_call: Callable[..., AttemptRecord]
) -> dict[str, object]:
    """Tuesday 10 March 2026 in Chicago, written out by hand so every figure of its review
    is known: six calls by day, one late at night (already Wednesday in UTC), a call
    nobody logged, an email, three pains, and Bo in the three-voicemail cadence so the
    next day's list has his third voicemail. The clock ends at 5:30 PM that day."""
    dana = desk.add_prospect(first_name="Dana", last_name="Whitfield", phone="(505) 828-1788")
    lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="(312) 555-0199")
    ana = desk.add_prospect(first_name="Ana", last_name="Ruiz", phone="(312) 555-0177")
    bo = desk.add_prospect(first_name="Bo", last_name="Chen", phone="(312) 555-0166")
    # 7 dials: 2 connects (one rescheduled), 2 voicemails, 2 no answers, 1 with no outcome.
    first = make_call(dana, _chicago(10, 9, 0), 12, Outcome.CONNECTED, available=10, asked=True)
    make_call(lee, _chicago(10, 9, 30), 3, Outcome.RESCHEDULED, available=5)
    make_call(ana, _chicago(10, 10, 0), 1, Outcome.VOICEMAIL_LEFT)
    make_call(bo, _chicago(10, 10, 30), 1, Outcome.VOICEMAIL_LEFT)
    make_call(bo, _chicago(10, 14, 0), 1, Outcome.NO_ANSWER)
    forgotten = make_call(ana, _chicago(10, 16, 0), 2, None)
    desk.log_attempt(ana.id, Outcome.EMAIL_SENT, at=_chicago(10, 16, 30))
    # Pains: three on Dana's call, one asked and acknowledged, one only asked.
    moving.at = _chicago(10, 9, 5)
    p1 = desk.add_pain(dana.id, PainKind.PAST, "lost a client", attempt_id=first.id)
    desk.add_pain(dana.id, PainKind.PRESENT, "front desk swamped", attempt_id=first.id)
    p3 = desk.add_pain(dana.id, PainKind.PRESENT, "no-shows", attempt_id=first.id)
    desk.update_pain(p1.id, asked=True, acknowledged=True)
    desk.update_pain(p3.id, asked=True)
    # Late at night in Chicago, already Wednesday in UTC: still Tuesday's dial.
    make_call(lee, _chicago(10, 23, 30), 1, Outcome.NO_ANSWER)
    # Wednesday's activity must not leak in.
    make_call(dana, _chicago(11, 0, 30), 1, Outcome.NO_ANSWER)
    # Bo's two calls used up steps 1 and 2; the third voicemail is due Wednesday.
    moving.at = _chicago(10, 8, 0)
    desk.enroll(bo.id, "three_voicemails")
    moving.at = _chicago(10, 17, 30)
    return {"dana": dana, "lee": lee, "ana": ana, "bo": bo, "forgotten": forgotten}


@pytest.fixture
def damage() -> Callable[[Path], bytes]:
    """Damages a database inside, past what opening it reads (see overwrite_prospects_page)."""
    return overwrite_prospects_page
