"""Both cadences of domain.md walked day by day with a moving clock, through the CLI.

Past 500 lines: both cadences' step-by-step walks share one moving clock and one set of
helpers, and a change to a wait shows up here.
"""

import io
import itertools
import json
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic, sleep
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from callassist.cadence import CadenceLibrary, parse_wait, work_out
from callassist.changes import Changes
from callassist.cli import main
from callassist.db.models import Prospect
from callassist.desk import cadences as cadences_desk
from callassist.errors import InvalidInputError
from callassist.services import cadences as cadence_service
from callassist.vocabulary import FollowUpKind, Outcome, ProspectStatus
from callassist.wording import DueGroup, due_group
from callassist.workdays import BusinessHours, Office, PartOfDay, Reach

DENVER = ZoneInfo("America/Denver")
CHICAGO = ZoneInfo("America/Chicago")
QUEUE_KEYS = [
    "prospect_id", "name", "company", "due_at", "local_time", "action",
    "leave_message", "script", "cadence", "step", "attempt", "within_your_hours",
    "late_after",
]  # fmt: skip


@pytest.fixture
def cli(db_location, moving, tmp_path):
    def run(*argv: str):
        out, err = io.StringIO(), io.StringIO()
        status = main(["--db", str(db_location), *argv], clock=moving, out=out, err=err)
        assert status == 0, err.getvalue()
        return out.getvalue()

    return run


def denver(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=DENVER)


def queue_line(cli, prospect_id, day=None):
    args = ["queue", "--format", "json"] + (["--date", day] if day else [])
    lines = [line for line in json.loads(cli(*args)) if line["prospect_id"] == prospect_id]
    assert len(lines) <= 1
    return lines[0] if lines else None


def test_bundled_cadences_are_the_two_of_the_method(cli):
    listed = json.loads(cli("cadences", "--format", "json"))
    assert [(c["name"], c["title"]) for c in listed] == [
        ("persistence", "Persistence"),
        ("three_voicemails", "Three voicemails, then email"),
    ]
    assert all(list(c) == ["name", "title", "steps"] for c in listed)
    three = listed[1]["steps"]
    assert [(s["action"], s["wait"], s["leave_message"], s["script"]) for s in three] == [
        ("call", "none", True, "voicemail_first"),
        ("call", "24 hours", True, "voicemail_missed_again"),
        ("call", "24 hours", True, "voicemail_third"),
        ("email", "none", True, "email_after_voicemails"),
        ("move_on", "3 business days", False, None),
    ]


def test_three_voicemails_then_email_then_moved_on(cli, desk, moving, dana):
    moving.at = denver(2026, 3, 10, 9, 0)  # a Tuesday morning in Denver
    cli("enroll", str(dana.id), "three_voicemails")
    expected = [
        (denver(2026, 3, 10, 9, 0), "call", True, "voicemail_first", 1, "voicemail_left"),
        (denver(2026, 3, 11, 9, 0), "call", True, "voicemail_missed_again", 2, "voicemail_left"),
        (denver(2026, 3, 12, 9, 0), "call", True, "voicemail_third", 3, "voicemail_left"),
        (denver(2026, 3, 12, 9, 0), "email", True, "email_after_voicemails", 4, "email_sent"),
    ]
    for due, action, message, script, step, outcome in expected:
        moving.at = due
        line = queue_line(cli, dana.id)
        assert line is not None, f"nothing due for step {step}"
        assert datetime.fromisoformat(line["due_at"]) == due
        assert (line["action"], line["leave_message"], line["script"]) == (action, message, script)
        assert (line["cadence"], line["step"], line["attempt"]) == ("three_voicemails", step, step)
        assert datetime.fromisoformat(line["local_time"]).utcoffset() == timedelta(hours=-6)
        cli("log", str(dana.id), "--outcome", outcome, "--at", due.isoformat())

    # The email went Thursday; three business days later it is time to move on.
    moving.at = denver(2026, 3, 16, 17, 0)
    assert queue_line(cli, dana.id) is None  # Monday: nothing to do yet
    assert queue_line(cli, dana.id, "2026-03-17")["action"] == "move_on"
    assert desk.prospect(dana.id).status is ProspectStatus.WORKING
    moving.at = denver(2026, 3, 17, 9, 0)
    assert queue_line(cli, dana.id) is None
    assert desk.prospect(dana.id).status is ProspectStatus.MOVED_ON
    assert desk.enrollment(dana.id).state == "moved_on"
    assert "ended (moved on)" in cli("enroll", str(dana.id))


def parts_of_day(times):
    # Dana's day (Denver) meets the rep's (Chicago, an hour ahead) from 9 to 4
    # on her clock: three parts of 2 hours 20 minutes.
    parts = (PartOfDay.MORNING, PartOfDay.MIDDAY, PartOfDay.LATE_AFTERNOON)
    return [parts[((t.hour - 9) * 60 + t.minute) // 140] for t in times]


@pytest.mark.parametrize(("title", "steps"), [("Practice Manager", 13), ("Owner", 12)])
def test_persistence_walk(cli, desk, moving, dana, title, steps):
    desk.update_prospect(dana.id, title=title)
    moving.at = denver(2026, 3, 10, 15, 0)  # Tuesday, late afternoon
    cli("enroll", str(dana.id), "persistence")
    seen = []
    for number in range(1, steps):
        line = queue_line(cli, dana.id, (moving.at + timedelta(days=5)).date().isoformat())
        due = datetime.fromisoformat(line["due_at"]).astimezone(DENVER)
        assert (line["step"], line["attempt"], line["action"]) == (number, number, "call")
        assert due.weekday() < 5, f"step {number} falls on a weekend"
        assert 9 <= due.hour < 16, f"step {number} outside her hours and the rep's"
        assert line["within_your_hours"] is True
        if seen:
            gap = due - seen[-1]
            if number == 6:
                assert gap.days <= 3  # "I'll call you tomorrow": the next working day
                assert due.date() == seen[-1].date() + timedelta(
                    days=1 if seen[-1].weekday() < 4 else 3
                )
            else:
                # "2-3 days" on the calendar: Tuesday 4 p.m. to Thursday morning is 2 days.
                days = (due.date() - seen[-1].date()).days
                assert days >= 2, f"step {number} comes too soon"
                weekend_days = 2 if due.weekday() < seen[-1].weekday() else 0
                assert days <= 3 + weekend_days, f"step {number} comes too late"
        expected_script = {
            1: "voicemail_first",
            5: "voicemail_commitment_test",
            12: "voicemail_role_changed",
        }
        assert line["script"] == expected_script.get(number)
        assert line["leave_message"] == (number in expected_script)
        seen.append(due)
        moving.at = due
        outcome = "voicemail_left" if line["leave_message"] else "no_answer"
        cli("log", str(dana.id), "--outcome", outcome, "--at", due.isoformat())

    parts = parts_of_day(seen)
    assert all(a != b for a, b in itertools.pairwise(parts)), parts
    assert queue_line(cli, dana.id) is None
    assert desk.prospect(dana.id).status is ProspectStatus.MOVED_ON


@pytest.mark.parametrize("reply_at_step", [1, 2, 3, 4])
def test_a_reply_at_any_step_ends_the_cadence(cli, desk, moving, dana, reply_at_step):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    week_ahead = "2026-03-20"
    for _ in range(reply_at_step - 1):
        line = queue_line(cli, dana.id, week_ahead)
        moving.at = datetime.fromisoformat(line["due_at"])
        outcome = "email_sent" if line["action"] == "email" else "voicemail_left"
        cli("log", str(dana.id), "--outcome", outcome, "--at", moving.at.isoformat())
    line = queue_line(cli, dana.id, week_ahead)
    assert line["step"] == reply_at_step
    moving.at = datetime.fromisoformat(line["due_at"]) + timedelta(hours=2)
    cli("log", str(dana.id), "--outcome", "connected", "--note", "called me back")
    assert queue_line(cli, dana.id, week_ahead) is None
    assert desk.enrollment(dana.id).state == "replied"
    assert desk.prospect(dana.id).status is ProspectStatus.ENGAGED


@pytest.mark.parametrize("outcome", ["not_interested", "wrong_person", "bad_number"])
def test_final_outcomes_stop_the_cadence(cli, desk, moving, dana, outcome):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "persistence")
    cli("log", str(dana.id), "--outcome", outcome)
    assert queue_line(cli, dana.id) is None
    assert desk.enrollment(dana.id).state == "stopped"


def test_far_away_prospect_is_called_in_their_own_hours(cli, desk, moving):
    sydney = desk.add_prospect(
        first_name="Chloe", phone="+61 2 5550 4127", timezone="Australia/Sydney"
    )
    moving.at = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 2 a.m. Wednesday in Sydney
    cli("enroll", str(sydney.id), "three_voicemails")
    line = queue_line(cli, sydney.id, "2026-03-11")
    local = datetime.fromisoformat(line["local_time"])
    assert (local.date(), local.hour, local.minute) == (date(2026, 3, 11), 9, 0)
    assert local.utcoffset() == timedelta(hours=11)
    # For the rep in Chicago that is Tuesday evening.
    assert datetime.fromisoformat(line["due_at"]).astimezone(CHICAGO).hour == 17


def test_a_friday_evening_enrollment_waits_for_monday(cli, moving, dana):
    moving.at = denver(2026, 3, 13, 18, 30)  # Friday after hours
    cli("enroll", str(dana.id), "three_voicemails")
    line = queue_line(cli, dana.id, "2026-03-16")
    assert datetime.fromisoformat(line["due_at"]).astimezone(DENVER) == denver(2026, 3, 16, 9, 0)
    assert queue_line(cli, dana.id) is None  # nothing for Friday night


def test_24_hours_after_a_thursday_call_is_friday_but_a_friday_call_waits_for_monday(
    cli, moving, dana
):
    moving.at = denver(2026, 3, 13, 10, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    cli("log", str(dana.id), "--outcome", "voicemail_left")
    line = queue_line(cli, dana.id, "2026-03-16")
    assert datetime.fromisoformat(line["due_at"]).astimezone(DENVER) == denver(2026, 3, 16, 9, 0)


def test_a_reschedule_becomes_the_next_step_at_its_time(cli, desk, moving, dana, tmp_path):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    call = desk.start_call(dana.id)
    slot = denver(2026, 3, 12, 14, 0)
    desk.reschedule(
        dana.id, slot=slot, call_type="discovery", attempt_id=call.id, invites_folder=tmp_path
    )
    desk.finish_attempt(call.id, Outcome.RESCHEDULED)
    assert queue_line(cli, dana.id) is None
    line = queue_line(cli, dana.id, "2026-03-12")
    assert (line["action"], line["script"], line["cadence"]) == (
        "meeting",
        "time_check_question",
        None,
    )
    assert datetime.fromisoformat(line["due_at"]) == slot
    moving.at = slot
    cli("log", str(dana.id), "--outcome", "connected")
    assert queue_line(cli, dana.id, "2026-03-12") is None


def test_a_booked_call_that_rings_out_stays_in_the_queue(cli, desk, moving, dana, tmp_path):
    moving.at = denver(2026, 3, 10, 9, 0)
    call = desk.start_call(dana.id)
    slot = denver(2026, 3, 10, 15, 0)  # later the same day
    desk.reschedule(
        dana.id, slot=slot, call_type="discovery", attempt_id=call.id, invites_folder=tmp_path
    )
    desk.finish_attempt(call.id, Outcome.RESCHEDULED)
    # The call that booked it does not tick it off.
    assert queue_line(cli, dana.id)["action"] == "meeting"

    moving.at = slot
    cli("log", str(dana.id), "--outcome", "no_answer")
    cli("log", str(dana.id), "--outcome", "email_sent")
    line = queue_line(cli, dana.id, "2026-03-11")
    assert (line["action"], datetime.fromisoformat(line["due_at"])) == ("meeting", slot)

    cli("log", str(dana.id), "--outcome", "connected")
    assert queue_line(cli, dana.id, "2026-03-11") is None


def test_pause_resume_and_remove(cli, desk, moving, dana):
    cli("enroll", str(dana.id), "three_voicemails")
    assert "paused" in cli("enroll", str(dana.id), "--pause")
    assert queue_line(cli, dana.id) is None
    assert "step 1 of 5" in cli("enroll", str(dana.id), "--resume")
    assert queue_line(cli, dana.id)["step"] == 1
    assert "in no cadence now" in cli("enroll", str(dana.id), "--remove")
    assert desk.enrollment(dana.id) is None


def test_a_call_logged_at_the_due_time_shown_counts_as_the_first_step(cli, moving, dana):
    # Enrolled 51 seconds into the minute; the queue shows the minute, and the
    # rep logs the call at exactly that time.
    moving.at = denver(2026, 3, 10, 9, 0) + timedelta(seconds=51, microseconds=7)
    cli("enroll", str(dana.id), "three_voicemails")
    first = queue_line(cli, dana.id)
    assert datetime.fromisoformat(first["due_at"]) == denver(2026, 3, 10, 9, 0)

    cli("log", str(dana.id), "--outcome", "voicemail_left", "--at", first["due_at"])

    second = queue_line(cli, dana.id, "2026-03-11")
    assert (second["step"], second["script"]) == (2, "voicemail_missed_again")


def test_enrolling_again_replaces_the_cadence(cli, desk, dana):
    cli("enroll", str(dana.id), "three_voicemails")
    cli("enroll", str(dana.id), "persistence")
    assert desk.enrollment(dana.id).cadence == "persistence"


def test_unknown_cadence_is_a_clear_error(db_location, clock, dana):
    err = io.StringIO()
    status = main(
        ["--db", str(db_location), "enroll", str(dana.id), "weekly"],
        clock=clock,
        out=io.StringIO(),
        err=err,
    )
    assert status == 1
    assert "no cadence named 'weekly'" in err.getvalue()
    assert "persistence" in err.getvalue()


def user_cadence(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rep_cadence_is_listed_and_a_broken_one_is_named_without_hiding_the_rest(tmp_path):
    mine = tmp_path / "cadences"
    user_cadence(mine, "quick", 'title = "Quick"\n[[steps]]\naction = "call"\nwait = "none"\n')
    broken = 'title = "Broken"\n[[steps]]\naction = "call"\n[[steps]]\nwait = "soonish"\n'
    user_cadence(
        mine, "broken", broken.replace("[[steps]]\nwait", '[[steps]]\naction = "call"\nwait')
    )
    cadences, problems = CadenceLibrary(mine).load()
    assert sorted(cadences) == ["persistence", "quick", "three_voicemails"]
    assert cadences["quick"].origin == "user"
    assert [str(p) for p in problems] == [
        "cadence broken.toml, step 2: wait 'soonish' is not like "
        "'24 hours', '2-3 days' or '3 business days'"
    ]


def test_cli_reports_a_broken_rep_cadence_and_still_lists(
    db_location, clock, tmp_path, monkeypatch
):
    user_cadence(tmp_path / "xdg-config" / "callassist" / "cadences", "oops", "title = \n")
    out, err = io.StringIO(), io.StringIO()
    assert (
        main(
            ["--db", str(db_location), "cadences", "--format", "json"],
            clock=clock,
            out=out,
            err=err,
        )
        == 0
    )
    assert "cadence oops.toml: not valid TOML" in err.getvalue()
    assert len(json.loads(out.getvalue())) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[steps]]\naction = "call"\n', "needs a title"),
        ('title = "T"\n', "needs at least one"),
        ('title = "T"\n[[steps]]\naction = "fax"\n', "step 1: action 'fax'"),
        ('title = "T"\n[[steps]]\naction = "email"\n', "step 1: an email step needs a script"),
        (
            'title = "T"\n[[steps]]\naction = "move_on"\n[[steps]]\naction = "call"\n',
            "only the last step",
        ),
        (
            'title = "T"\n[[steps]]\naction = "call"\nmessage = true\n',
            "step 1: unknown setting(s) message",
        ),
    ],
)
def test_malformed_cadence_files_name_the_file_and_step(tmp_path, text, message):
    user_cadence(tmp_path, "bad", text)
    _, problems = CadenceLibrary(tmp_path).load()
    assert len(problems) == 1
    assert str(problems[0]).startswith("cadence bad.toml")
    assert message in str(problems[0])


def test_waits_read_like_a_person_writes_them():
    assert str(parse_wait("24 hours")) == "24 hours"
    assert str(parse_wait("2-3 days")) == "2-3 days"
    assert str(parse_wait("1 Business Day")) == "1 business day"
    assert str(parse_wait("none")) == "none"
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_wait("3-2 days")


def test_queue_orders_due_first_then_later_today(cli, desk, moving, dana):
    lee = desk.add_prospect(first_name="Lee", phone="(312) 555-0199", timezone="America/Chicago")
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    desk.add_follow_up(
        lee.id,
        due_at=denver(2026, 3, 10, 15, 0),
        minutes=20,
        kind=FollowUpKind.CALL,
    )
    lines = json.loads(cli("queue", "--format", "json"))
    assert [line["prospect_id"] for line in lines] == [dana.id, lee.id]
    assert list(lines[0]) == QUEUE_KEYS
    text = cli("queue").splitlines()
    assert text[0] == "Queue for Tuesday, 2026-03-10 (times yours, then theirs):"
    assert text[1].startswith("due    10:00 (09:00 MDT theirs)  ")
    assert text[1].endswith("call, voicemail_first; leave a message")
    assert text[2].startswith("later  16:00 (16:00 CDT theirs)  ")

    # Seen from Thursday, Tuesday's call is dated and said to be overdue.
    moving.at = denver(2026, 3, 12, 9, 0)
    text = cli("queue").splitlines()
    assert text[1].startswith("due    Tue 2026-03-10 10:00 (09:00 MDT theirs, overdue)  ")


def test_several_prospects_at_once(desk, dana):
    lee = desk.add_prospect(first_name="Lee", phone="(312) 555-0199")
    ana = desk.add_prospect(first_name="Ana", phone="(312) 555-0177")
    assert desk.enroll_many([dana.id, lee.id], "persistence") == 2
    assert desk.change_enrollments([dana.id, lee.id, ana.id], "pause") == 2
    assert desk.enrollment(dana.id).paused
    assert desk.enrollment(ana.id) is None
    assert desk.change_enrollments([dana.id, lee.id], "pause") == 0
    assert desk.change_enrollments([dana.id], "resume") == 1
    assert desk.change_enrollments([dana.id, lee.id, ana.id], "remove") == 2
    assert desk.enrollment(lee.id) is None


MOVE_ON_PROMPT = "Find another contact at the same company."
ONE_CALL = f"""title = "One call"
[[steps]]
action = "call"
[[steps]]
action = "move_on"
wait = "1 days"
prompt = "{MOVE_ON_PROMPT}"
"""


@pytest.fixture
def one_call(tmp_path):
    """A cadence of the rep's: one call, then moving on a day later."""
    return user_cadence(tmp_path / "xdg-config" / "callassist" / "cadences", "one_call", ONE_CALL)


def called_once(desk, moving, dana):
    """Dana enrolled in one_call on Tuesday at 9:00 and called at once: moving on is Wednesday's."""
    moving.at = denver(2026, 3, 10, 9, 0)
    desk.enroll(dana.id, "one_call")
    desk.log_attempt(dana.id, Outcome.NO_ANSWER, at=moving.at)


def all_called_once(desk, moving, count):
    """``count`` prospects enrolled in one_call on Tuesday at 9:00 and called at once:
    all of them move on Wednesday."""
    moving.at = denver(2026, 3, 10, 9, 0)
    people = [
        desk.add_prospect(first_name=f"P{n}", phone=f"(312) 555-{n:04d}", title="Owner")
        for n in range(count)
    ]
    for person in people:
        desk.enroll(person.id, "one_call")
        desk.log_attempt(person.id, Outcome.NO_ANSWER, at=moving.at)
    return people


def test_the_queue_takes_the_same_few_queries_for_3_or_30_enrolled(desk, moving):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    people = [
        desk.add_prospect(first_name=f"P{n}", phone=f"(312) 555-{n:04d}", title="Owner")
        for n in range(30)
    ]
    desk.enroll_many([p.id for p in people[:3]], "persistence")
    event.listen(desk._engine, "before_cursor_execute", count)
    desk.queue()
    few = len(statements)
    desk.enroll_many([p.id for p in people[3:]], "three_voicemails")
    for person in people[::2]:
        desk.log_attempt(person.id, Outcome.NO_ANSWER)
    desk.add_follow_up(
        people[1].id, due_at=moving() + timedelta(hours=1), minutes=20, kind=FollowUpKind.CALL
    )
    statements.clear()
    lines = desk.queue()
    event.remove(desk._engine, "before_cursor_execute", count)
    assert len(lines) > 10  # those not called yet, and the follow-up
    assert len(statements) == few, statements


def test_queue_lines_carry_the_cadence_title_and_the_prospects_number_of_steps(desk, dana):
    owen = desk.add_prospect(first_name="Owen", title="Owner", phone="(720) 858-3302")
    desk.enroll_many([dana.id, owen.id], "persistence")
    lines = {line.prospect_id: line for line in desk.queue()}
    manager, owner = lines[dana.id], lines[owen.id]
    assert (manager.cadence_title, owner.cadence_title) == ("Persistence", "Persistence")
    assert manager.steps == desk.enrollment(dana.id).steps
    assert owner.steps == desk.enrollment(owen.id).steps == manager.steps - 1  # no role change
    assert (manager.job_title, owner.job_title) == ("Practice Manager", "Owner")


def test_a_follow_up_line_has_no_cadence_title_or_steps(desk, dana, moving):
    desk.add_follow_up(
        dana.id, due_at=moving() + timedelta(hours=1), minutes=20, kind=FollowUpKind.CALL
    )
    [line] = desk.queue()
    assert (line.cadence, line.cadence_title, line.step, line.steps) == (None, None, None, None)


def test_settling_tells_listeners_when_it_moves_someone_on_and_only_then(
    desk, moving, dana, one_call
):
    called_once(desk, moving, dana)
    heard: list[Changes] = []
    desk.subscribe(heard.append)
    moving.at = denver(2026, 3, 10, 17, 0)
    assert desk.settle_cadences() == Changes()
    assert heard == []  # moving on is not due yet: nothing changed, nothing said
    moving.at = denver(2026, 3, 11, 9, 30)
    assert desk.queue() == []
    assert heard == []  # looking at the queue only reads
    settled = desk.settle_cadences()
    assert heard == [settled]
    assert settled.prospect_ids == frozenset({dana.id})
    assert settled.cadences
    assert settled.prospects
    assert desk.prospect(dana.id).status is ProspectStatus.MOVED_ON
    desk.settle_cadences()
    assert len(heard) == 1  # settled once: a second look changes nothing


def test_many_cadences_ending_at_once_are_stored_in_short_writes_and_told_once(
    desk, moving, one_call, monkeypatch
):
    # After a week away hundreds end at once: each write holds the lock for a few.
    monkeypatch.setattr(cadences_desk, "SETTLE_BATCH", 2)
    people = all_called_once(desk, moving, 5)
    writes: list[str] = []
    take_turn = desk._write_turns.turn

    def counted_turn():
        writes.append("write")
        return take_turn()

    monkeypatch.setattr(desk._write_turns, "turn", counted_turn)
    heard: list[Changes] = []
    desk.subscribe(heard.append)
    moving.at = denver(2026, 3, 11, 9, 30)

    settled = desk.settle_cadences()

    assert heard == [settled]
    assert settled.prospect_ids == frozenset(person.id for person in people)
    assert {desk.prospect(p.id).status for p in people} == {ProspectStatus.MOVED_ON}
    assert len(writes) == 3  # write transactions of 2 + 2 + 1


def test_a_cadence_begun_again_since_the_read_is_not_ended(
    desk, moving, dana, one_call, monkeypatch
):
    called_once(desk, moving, dana)
    moving.at = denver(2026, 3, 11, 9, 30)
    with desk._transaction(writes=False) as session:
        stale_read = desk._kept_queue.lines(session, desk._cadences())
    assert [line.prospect_id for line in stale_read.lines if line.moves_on] == [dana.id]
    desk.enroll(dana.id, "one_call")  # between the read and the write
    monkeypatch.setattr(desk._kept_queue, "lines", lambda *_: stale_read)

    assert desk.settle_cadences() == Changes()
    assert desk.enrollment(dana.id).state == "active"
    assert desk.prospect(dana.id).status is not ProspectStatus.MOVED_ON


def test_the_enrollment_says_the_move_on_prompt(desk, moving, dana, one_call):
    moving.at = denver(2026, 3, 10, 9, 0)
    assert desk.enroll(dana.id, "one_call").prompt == ""  # a call: nothing to say
    called_once(desk, moving, dana)
    moving.at = denver(2026, 3, 10, 17, 0)
    ahead = desk.enrollment(dana.id)
    assert (ahead.next_action, ahead.prompt) == ("move_on", MOVE_ON_PROMPT)
    moving.at = denver(2026, 3, 11, 9, 30)
    desk.queue()
    ended = desk.enrollment(dana.id)
    assert (ended.state, ended.prompt) == ("moved_on", MOVE_ON_PROMPT)


@dataclass(frozen=True)
class Dial:
    at: datetime
    outcome: Outcome


def persistence_after(calls: list[datetime], now: datetime):
    cadence = CadenceLibrary(None).get("persistence")
    office = Office(DENVER, BusinessHours(time(9, 0), time(17, 0)), "US")
    return work_out(
        cadence,
        title="Practice Manager",
        enrolled_at=calls[0],
        attempts=[
            Dial(at, Outcome.VOICEMAIL_LEFT if n in (0, 4) else Outcome.NO_ANSWER)
            for n, at in enumerate(calls)
        ],
        reach=Reach(office, office),
        now=now,
    )


def test_the_promised_call_after_a_friday_afternoon_message_is_on_monday():
    # Calls on Mon, Wed, Fri of one week, Tue, then the commitment message Friday 3:50 PM.
    calls = [denver(2026, 3, d, h) for d, h in ((2, 15), (4, 10), (6, 13), (10, 10), (13, 15))]
    calls[-1] = calls[-1].replace(minute=50)
    progress = persistence_after(calls, now=calls[-1])
    step = progress.next_step
    assert step is not None
    assert step.step_index == 6
    # "I'll call you tomorrow" on a Friday: Monday, and in the morning (the rotation).
    assert step.due_at.date() == date(2026, 3, 16)
    assert step.due_at.hour < 12


def test_moving_on_falls_due_in_working_hours(cli, moving, dana):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    for _ in range(3):
        line = queue_line(cli, dana.id, "2026-03-20")
        cli("log", str(dana.id), "--outcome", "voicemail_left", "--at", line["due_at"])
    email_sent = denver(2026, 3, 12, 14, 0)
    cli("log", str(dana.id), "--outcome", "email_sent", "--at", email_sent.isoformat())
    line = queue_line(cli, dana.id, "2026-03-17")
    assert line["action"] == "move_on"
    # Three business days after Thursday's email: Tuesday, from the start of their day.
    assert datetime.fromisoformat(line["due_at"]) == denver(2026, 3, 17, 9, 0)


def test_a_voicemail_logged_without_a_script_keeps_the_cadence_steps_words(cli, desk, moving, dana):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    said = cli("log", str(dana.id), "--outcome", "voicemail_left")
    assert said.rstrip().endswith("with the words of the cadence step's voicemail_first.")
    [attempt] = desk.prospect_detail(dana.id).attempts
    assert attempt.script_name == "voicemail_first"
    assert attempt.rendered_text == desk.render_script("voicemail_first", dana.id).text
    # A no-answer leaves no words, and neither does a call out of step with the cadence.
    cli("log", str(dana.id), "--outcome", "no_answer")
    cli("log", str(dana.id), "--outcome", "email_sent")
    assert [a.script_name for a in desk.prospect_detail(dana.id).attempts] == [
        None,
        None,
        "voicemail_first",
    ]


def test_enrolling_on_the_command_line_says_what_it_replaces(cli, moving, dana):
    moving.at = denver(2026, 3, 10, 9, 0)
    first = cli("enroll", str(dana.id), "three_voicemails")
    assert not first.startswith(("Switched", "Restarted"))
    cli("log", str(dana.id), "--outcome", "voicemail_left")
    moving.at = denver(2026, 3, 10, 11, 0)

    switched = cli("enroll", str(dana.id), "persistence").splitlines()
    assert (
        switched[0] == "Switched from Three voicemails, then email (was at step 2) to Persistence."
    )
    again = cli("enroll", str(dana.id), "persistence").splitlines()
    assert again[0] == "Restarted Persistence from step 1 (was at step 1)."


def test_the_core_refuses_an_unconfirmed_enrollment_of_someone_who_said_no(desk, dana):
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    with pytest.raises(InvalidInputError, match="said they are not interested: enroll them only"):
        desk.enroll(dana.id, "persistence")
    assert desk.enrollment(dana.id) is None
    with pytest.raises(InvalidInputError, match="not interested"):
        desk.enroll_many([dana.id], "persistence")
    assert desk.enrollment(dana.id) is None
    assert desk.enroll(dana.id, "persistence", confirmed=True).cadence == "persistence"
    assert desk.prospect(dana.id).status is ProspectStatus.NOT_INTERESTED


@pytest.mark.parametrize("standing", [ProspectStatus.ENGAGED, ProspectStatus.NOT_INTERESTED])
def test_running_out_of_steps_leaves_a_stronger_status_standing(cli, desk, moving, dana, standing):
    moving.at = denver(2026, 3, 10, 9, 0)
    cli("enroll", str(dana.id), "three_voicemails")
    with desk._transaction() as session:  # as the rep would set it by hand
        session.get(Prospect, dana.id).status = standing
    while (line := queue_line(cli, dana.id, "2026-03-31"))["action"] != "move_on":
        moving.at = datetime.fromisoformat(line["due_at"])
        outcome = "email_sent" if line["action"] == "email" else "voicemail_left"
        cli("log", str(dana.id), "--outcome", outcome, "--at", moving.at.isoformat())
    moving.at = datetime.fromisoformat(line["due_at"]) + timedelta(hours=1)
    assert queue_line(cli, dana.id) is None
    assert desk.enrollment(dana.id).state == "moved_on"
    assert desk.prospect(dana.id).status is standing


def test_every_2_to_3_days_is_due_on_the_second_day_and_late_after_the_third():
    # domain.md: "After 2-3 days: call again". Monday's first call: the second is due
    # Wednesday morning, and only once Thursday is over has the rhythm been missed.
    first_call = denver(2026, 3, 2, 15)
    step = persistence_after([first_call], now=first_call).next_step
    assert step is not None
    assert step.step_index == 2
    assert step.due_at.date() == date(2026, 3, 4)
    assert step.late_after == denver(2026, 3, 6, 0, 0)
    assert step.due_at < step.late_after


def test_a_range_that_falls_on_a_weekend_is_late_after_the_monday_it_moves_to():
    # Thursday's call: Saturday and Sunday are the 2-3 days, so the call waits for
    # Monday's hours and is late once Monday is over, not before it can be made.
    thursday = denver(2026, 3, 5, 15)
    step = persistence_after([thursday], now=thursday).next_step
    assert step is not None
    assert step.due_at.date() == date(2026, 3, 9)
    assert step.late_after == denver(2026, 3, 10, 0, 0)


DECIDERS = [
    "Owner", "Co-Owner", "Founder", "Co-founder", "CEO", "Founder & CEO",
    "Chief Executive Officer", "President",
]  # fmt: skip
NOT_DECIDERS = ["Vice President", "Assistant to the CEO", "Office Manager", "Executive Assistant"]


@pytest.mark.parametrize("title", DECIDERS)
def test_the_person_who_decides_never_hears_that_their_role_may_have_changed(title):
    scripts = [step.script for step in CadenceLibrary(None).get("persistence").steps_for(title)]
    assert "voicemail_role_changed" not in scripts
    assert "voicemail_commitment_test" in scripts


@pytest.mark.parametrize("title", NOT_DECIDERS)
def test_anyone_else_hears_the_role_changed_message_before_we_move_on(title):
    steps = CadenceLibrary(None).get("persistence").steps_for(title)
    assert [step.script for step in steps[-2:]] == ["voicemail_role_changed", None]


def test_a_2_to_3_day_call_is_due_now_through_its_third_day_and_overdue_after(desk, dana, moving):
    # Monday's voicemail starts Persistence; the next call is due Wednesday and still
    # on time all Thursday, so the window words it "Due now" until Friday.
    moving.at = denver(2026, 3, 2, 10)
    desk.enroll(dana.id, "persistence")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, at=denver(2026, 3, 2, 10))
    rep_zone = ZoneInfo(desk.profile().timezone)

    def group_at(now: datetime) -> DueGroup:
        moving.at = now
        (item,) = [item for item in desk.queue(now.date()) if item.prospect_id == dana.id]
        return due_group(
            item.due_at, late_after=item.late_after, day=now.date(), now=now, rep_zone=rep_zone
        )

    assert group_at(denver(2026, 3, 4, 16)) is DueGroup.DUE_NOW
    assert group_at(denver(2026, 3, 5, 16)) is DueGroup.DUE_NOW
    assert group_at(denver(2026, 3, 6, 10)) is DueGroup.OVERDUE


def test_the_scripts_offered_first_follow_the_reps_own_three_voicemails(desk, dana, tmp_path):
    assert desk.scripts_to_offer(dana.id, on_a_call=False)[0] == "voicemail_first"
    # The rep's own "three voicemails" opens with other words: Ctrl+K offers those.
    user_cadence(
        tmp_path / "xdg-config" / "callassist" / "cadences",
        "three_voicemails",
        'title = "Mine"\n[[steps]]\naction = "call"\nwait = "none"\n'
        'leave_message = true\nscript = "voicemail_third"\n',
    )
    assert desk.scripts_to_offer(dana.id, on_a_call=False)[0] == "voicemail_third"


def test_a_save_during_a_long_settle_waits_for_one_batch_not_for_all(
    desk, moving, one_call, monkeypatch
):
    # A week away: many cadences end at the window's first look, on a worker. A
    # note the rep saves meanwhile goes in after the batch under way.
    monkeypatch.setattr(cadences_desk, "SETTLE_BATCH", 1)
    people = all_called_once(desk, moving, 4)
    moving.at = denver(2026, 3, 11, 9, 30)
    order: list[str] = []
    first_batch_holds = threading.Event()
    settle_batch = cadence_service.settle

    def batch_that_waits_for_the_save(session, clock, cadences, prospect_ids):
        order.append(f"batch {list(prospect_ids)}")
        if len(order) == 1:
            first_batch_holds.set()
            # Hold the write until the rep's save has asked for its turn.
            deadline = monotonic() + 10
            while desk._write_turns._next_ticket < 2 and monotonic() < deadline:
                sleep(0.001)
        return settle_batch(session, clock, cadences, prospect_ids)

    monkeypatch.setattr(cadence_service, "settle", batch_that_waits_for_the_save)
    worker = threading.Thread(target=desk.settle_cadences)
    worker.start()
    assert first_batch_holds.wait(10)
    desk.update_prospect(people[0].id, notes="call back after lunch")
    order.append("the rep's note")
    worker.join(10)

    assert order[:2] == [f"batch {[people[0].id]}", "the rep's note"]
    assert len(order) == 5
    assert desk.prospect(people[0].id).notes == "call back after lunch"
    assert {desk.prospect(p.id).status for p in people} == {ProspectStatus.MOVED_ON}
