"""The next step of each cadence, kept in the database once worked out: the day's first
look reads it instead of working every cadence out again, and whatever any program
changes makes the database itself drop the trust in it."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from callassist.clock import Clock
from callassist.core import CallDesk
from callassist.desk import cadences as cadences_desk
from callassist.desk import kept_queue
from callassist.records import ProspectRecord
from callassist.services import cadences as cadence_service
from callassist.vocabulary import Outcome
from tests.core.kept_steps import engine_runs, forget_kept_steps, location, truth
from tests.raw_sql import execute, rows


def week_on(desk: CallDesk) -> date:
    """A day everyone enrolled is due by."""
    return desk.rep_today() + timedelta(days=7)


@contextmanager
def reopened(desk: CallDesk, clock: Clock, tmp_path: Path) -> Iterator[CallDesk]:
    """The same database opened by a new program: the next morning's window, a command."""
    with CallDesk.open(
        location(desk),
        clock=clock,
        template_dir=tmp_path / "my-scripts",
        backup_folder=tmp_path / "backups",
    ) as opened:
        yield opened


@pytest.fixture(autouse=True)
def keep_even_a_few(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests' looks keep the steps of three prospects, as a look of a hundred would."""
    monkeypatch.setattr(cadences_desk, "KEEP_FROM", 1)


@pytest.fixture
def enrolled(desk: CallDesk, make_prospect: Callable[..., ProspectRecord]) -> list[ProspectRecord]:
    """Three prospects in Persistence, the first two with a voicemail left; looked at
    once, so every step is kept."""
    people = [
        make_prospect(email=f"p{number}@mesa.example", phone=f"(505) 828-17{number:02d}")
        for number in range(3)
    ]
    for person in people:
        desk.enroll(person.id, "persistence")
    for person in people[:2]:
        desk.log_attempt(person.id, Outcome.VOICEMAIL_LEFT)
    desk.queue()
    return people


def test_a_new_program_reads_every_kept_step_and_works_no_cadence_out(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        seen = morning.queue(week_on(desk))
    assert worked == []
    assert sorted(item.prospect_id for item in seen) == [person.id for person in enrolled]
    assert seen == truth(desk, week_on(desk))


# What another program (an older callassist, a tool, a colleague) may change, past this
# desk: each is something a step is worked out from.
CHANGES = {
    "a call logged": (
        "INSERT INTO attempts (prospect_id, at, ended_at, channel, outcome, notes, rep_id) "
        "SELECT prospect_id, enrolled_at, enrolled_at, 'call', 'no_answer', '', rep_id "
        "FROM enrollments WHERE prospect_id = ?"
    ),
    "its outcome changed to a no": (
        "UPDATE attempts SET outcome = 'not_interested' WHERE prospect_id = ?"
    ),
    "the call taken back": "DELETE FROM attempts WHERE prospect_id = ?",
    "their title": "UPDATE prospects SET title = 'Owner' WHERE id = ?",
    "their time zone": "UPDATE prospects SET timezone = 'Asia/Tokyo' WHERE id = ?",
    "their cadence": "UPDATE enrollments SET cadence = 'three_voicemails' WHERE prospect_id = ?",
    "their enrollment removed": "DELETE FROM enrollments WHERE prospect_id = ?",
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_made_by_another_program_is_worked_out_again_alone(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    changed = enrolled[0]
    before = desk.queue(week_on(desk))
    execute(location(desk), CHANGES[change], changed.id)
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        seen = morning.queue(week_on(desk))
    removed = change == "their enrollment removed"
    # Only the prospect changed is worked out again; the enrollment removed, nobody.
    assert len(worked) == (0 if removed else 1)
    assert seen != before
    assert seen == truth(desk, week_on(desk))


def test_new_hours_or_an_edited_cadence_work_every_step_out_again(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = desk.queue()
    desk.update_profile(business_hours=(time(11), time(15)))
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        after_hours = morning.queue()
    assert len(worked) == len(enrolled)
    assert after_hours != before
    assert after_hours == truth(desk)

    source = (desk.cadence_library.bundled_dir / "persistence.toml").read_text(encoding="utf-8")
    desk.save_cadence("persistence", source.replace('"2-3 days"', '"4-5 days"'))
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        edited = morning.queue(desk.rep_today() + timedelta(days=9))
    assert len(worked) == len(enrolled)
    assert edited == truth(desk, desk.rep_today() + timedelta(days=9))


def test_a_step_worked_out_before_a_change_is_never_trusted_after_it(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program logs a call between a look's reads and its keeping what it worked
    out: what it keeps was worked out without that call, so it must not be read as
    current."""
    called = enrolled[2]
    truth(desk)  # every step stale: the next look works them all out and keeps them
    read = kept_queue.pending_lines

    def read_then_another_program_logs(*args: object, **kwargs: object) -> object:
        found = read(*args, **kwargs)  # type: ignore[arg-type]
        execute(location(desk), CHANGES["a call logged"], called.id)
        return found

    monkeypatch.setattr(kept_queue, "pending_lines", read_then_another_program_logs)
    desk.forget_queue()
    desk.queue()
    monkeypatch.undo()
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        seen = morning.queue(desk.rep_today() + timedelta(days=3))
    assert len(worked) == 1
    line = next(item for item in seen if item.prospect_id == called.id)
    assert line.step == 2  # the call another program logged was the first step


@pytest.mark.parametrize(
    "written",
    [
        "step_index = 99",
        "step_index = 0",
        "due_at_us = NULL",
        "attempt = NULL, late_after_us = NULL",
    ],
)
def test_a_kept_step_callassist_did_not_write_is_worked_out_again(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    written: str,
) -> None:
    expected = desk.queue()
    execute(
        location(desk),
        f"UPDATE worked_out_steps SET {written} WHERE prospect_id = ?",
        enrolled[0].id,
    )
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        assert morning.queue() == expected
    assert len(worked) == 1


def test_a_look_whose_keeping_is_refused_still_shows_the_queue(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = truth(desk)
    forget_kept_steps(desk)

    def locked(*args: object) -> None:
        raise OperationalError("UPDATE worked_out_steps", {}, sqlite3.OperationalError("locked"))

    monkeypatch.setattr(cadence_service, "keep_worked_out", locked)
    desk.forget_queue()
    assert desk.queue() == expected
    kept = "SELECT count(*) FROM worked_out_steps WHERE worked_out_at_change IS NOT NULL"
    assert rows(location(desk), kept) == [(0,)]
    monkeypatch.undo()
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        assert morning.queue() == expected
    assert len(worked) == len(enrolled)


def drop_trigger(desk: CallDesk, sqlite_name: str, postgres_name: str, table: str) -> None:
    if desk.url.get_backend_name() == "postgresql":
        execute(location(desk), f"DROP TRIGGER {postgres_name} ON {table}")
    else:
        execute(location(desk), f"DROP TRIGGER {sqlite_name}")


def test_while_a_trigger_is_missing_nothing_kept_is_trusted_and_opening_puts_it_back(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drop_trigger(desk, "worked_out_steps_attempt_added", "worked_out_steps_attempts", "attempts")
    assert any("worked_out_steps_attempt" in problem for problem in desk.check())
    # Unheard by the database: the step kept for the first prospect is stale.
    execute(location(desk), CHANGES["a call logged"], enrolled[0].id)
    desk.forget_queue()
    with engine_runs(monkeypatch) as worked:
        seen = desk.queue(week_on(desk))
    assert len(worked) == len(enrolled)
    with reopened(desk, clock, tmp_path) as morning:
        assert morning.check() == []
        with engine_runs(monkeypatch) as worked:
            assert morning.queue(week_on(desk)) == seen
        # Nothing kept from before the trigger was back is trusted: all worked out once.
        assert len(worked) == len(enrolled)
    assert seen == truth(desk, week_on(desk))


def test_a_prospect_enrolled_while_its_trigger_was_missing_gets_a_row_when_it_is_back(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    make_prospect: Callable[..., ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drop_trigger(
        desk, "worked_out_steps_enrollment_added", "worked_out_steps_enrollments", "enrollments"
    )
    late = make_prospect(email="late@mesa.example", phone="(505) 828-1799")
    desk.enroll(late.id, "persistence")
    assert rows(location(desk), SELECT_ROW, late.id) == []
    with reopened(desk, clock, tmp_path) as morning:
        morning.queue()
        with reopened(desk, clock, tmp_path) as next_morning, engine_runs(monkeypatch) as worked:
            next_morning.queue()
    assert worked == []  # her step, kept at the first look, is read at the next
    [(kept_at, changes)] = rows(location(desk), SELECT_ROW, late.id)
    assert kept_at == changes


SELECT_ROW = "SELECT worked_out_at_change, changes FROM worked_out_steps WHERE prospect_id = ?"


def test_a_kept_step_of_a_prospect_whose_zone_is_not_one_is_left_out_not_a_failed_look(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
) -> None:
    """A zone another machine's time zone data knows and this one's does not: the step
    kept there still holds by its count, and the queue leaves the prospect out, as it
    does a zone that is none, rather than failing for everyone."""
    broken, other = enrolled[0], enrolled[1]
    execute(
        location(desk), "UPDATE prospects SET timezone = 'Mars/Olympus' WHERE id = ?", broken.id
    )
    # Kept as if worked out after the change: the other prospect's step, trusted.
    execute(
        location(desk),
        "UPDATE worked_out_steps SET worked_out_at_change = changes, step_index = 2, attempt = 2, "
        + ", ".join(
            f"{column} = (SELECT {column} FROM worked_out_steps WHERE prospect_id = ?)"
            for column in ("basis", "due_at_us", "late_after_us")
        )
        + " WHERE prospect_id = ?",
        other.id,
        other.id,
        other.id,
        broken.id,
    )
    with reopened(desk, clock, tmp_path) as morning:
        seen = morning.queue(week_on(desk))
    assert broken.id not in [item.prospect_id for item in seen]
    assert other.id in [item.prospect_id for item in seen]


def test_the_look_after_a_call_stores_nothing_and_the_next_first_look_stores_the_day(
    desk: CallDesk,
    enrolled: list[ProspectRecord],
    clock: Clock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A look that works out fewer than KEEP_FROM steps (the window's, after each call)
    writes nothing; the next first look works the day's calls out and stores them."""
    monkeypatch.setattr(cadences_desk, "KEEP_FROM", 2)
    first, second = enrolled[0], enrolled[1]
    desk.log_attempt(first.id, Outcome.NO_ANSWER)
    desk.queue()
    [(kept_at, changes)] = rows(location(desk), SELECT_ROW, first.id)
    assert kept_at != changes
    desk.log_attempt(second.id, Outcome.NO_ANSWER)
    with reopened(desk, clock, tmp_path) as morning, engine_runs(monkeypatch) as worked:
        seen = morning.queue(week_on(desk))
    assert len(worked) == 2
    for person in (first, second):
        [(kept_at, changes)] = rows(location(desk), SELECT_ROW, person.id)
        assert kept_at == changes
    assert seen == truth(desk, week_on(desk))
