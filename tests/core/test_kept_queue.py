"""The queue the desk keeps between looks: brought up to date by what changed, it reads
as the queue worked out from scratch, and only the changes that can move a line cost a look."""

from collections.abc import Callable, Collection, Iterator
from contextlib import suppress
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.desk import kept_queue
from callassist.desk.kept_queue import KEPT_FOR_SECONDS, KEPT_WHILE_HEARING_SECONDS, KeptQueue
from callassist.errors import InvalidInputError, NotFoundError
from callassist.records import ProspectRecord
from callassist.vocabulary import FollowUpKind, Outcome, PainKind
from tests.core.kept_steps import forget_kept_steps, truth

OUTCOMES = [
    Outcome.VOICEMAIL_LEFT,
    Outcome.NO_ANSWER,
    Outcome.CONNECTED,
    Outcome.EMAIL_SENT,
    Outcome.NOT_INTERESTED,
]
TITLES = ["Practice Manager", "Owner", "CEO", "Office Manager"]
ZONES = ["America/Denver", "America/New_York", "Europe/London", "Asia/Tokyo"]


@pytest.fixture
def people(make_prospect: Callable[..., ProspectRecord]) -> list[ProspectRecord]:
    return [
        make_prospect(email=f"p{number}@mesa.example", phone=f"(505) 828-17{number:02d}")
        for number in range(4)
    ]


@pytest.fixture
def scratch(db_location: Path, moving: Any, tmp_path: Path) -> Iterator[CallDesk]:
    """A second desk on the same file, whose every look is worked out from scratch."""
    with CallDesk.open(
        db_location,
        clock=moving,
        template_dir=tmp_path / "my-scripts",
        backup_folder=tmp_path / "backups",
    ) as opened:
        yield opened


def from_scratch(desk: CallDesk, day_offset: int = 0) -> list[object]:
    return list(truth(desk, desk.rep_today() + timedelta(days=day_offset)))


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "enroll",
                "log",
                "pause",
                "resume",
                "remove",
                "book",
                "retitle",
                "rezone",
                "pain",
                "wait",
                "settle",
            ]
        ),
        st.integers(0, 3),
        st.integers(0, 4),
        st.integers(1, 60 * 30),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=12,
    deadline=None,
    # One desk for every example: what the examples before left is just more history.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(actions=ACTIONS)
def test_the_kept_queue_reads_as_the_one_worked_out_from_scratch(
    desk: CallDesk,
    scratch: CallDesk,
    moving: Any,
    people: list[ProspectRecord],
    actions: list[tuple[str, int, int, int]],
) -> None:
    for action, who, choice, minutes in actions:
        prospect_id = people[who].id
        # Paused twice, resumed when running...: refused, and nothing changed.
        with suppress(InvalidInputError, NotFoundError):
            act(desk, moving, action, prospect_id, choice, minutes)
        for day_offset in (0, 1):
            kept = list(desk.queue(desk.rep_today() + timedelta(days=day_offset)))
            assert kept == from_scratch(scratch, day_offset), (action, who, choice)


def act(
    desk: CallDesk, moving: Any, action: str, prospect_id: int, choice: int, minutes: int
) -> None:
    if action == "enroll":
        cadence = ("three_voicemails", "persistence")[choice % 2]
        desk.enroll(prospect_id, cadence, confirmed=True)
    elif action == "log":
        desk.log_attempt(prospect_id, OUTCOMES[choice])
    elif action == "pause":
        desk.pause_cadence(prospect_id)
    elif action == "resume":
        desk.resume_cadence(prospect_id)
    elif action == "remove":
        desk.remove_from_cadence(prospect_id)
    elif action == "book":
        desk.add_follow_up(
            prospect_id,
            due_at=moving.at + timedelta(minutes=minutes),
            minutes=15,
            kind=(FollowUpKind.CALL, FollowUpKind.EMAIL)[choice % 2],
        )
    elif action == "retitle":
        desk.update_prospect(prospect_id, title=TITLES[choice % len(TITLES)])
    elif action == "rezone":
        desk.update_prospect(prospect_id, timezone=ZONES[choice % len(ZONES)])
    elif action == "pain":
        desk.add_pain(prospect_id, PainKind.PRESENT, "Missed calls after hours")
    elif action == "wait":
        moving.at += timedelta(minutes=minutes)
    else:
        # Settling reads the kept lines: it must end every cadence the engine alone
        # would end, so settling again with nothing kept finds nobody left.
        desk.settle_cadences()
        forget_kept_steps(desk)
        desk.forget_queue()
        assert desk.settle_cadences() == Changes()


class CountedLooks:
    """Which prospects each look worked out: None for all of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[frozenset[int] | None] = []
        worked_out = kept_queue.pending_lines

        def counted(
            session: object,
            cadences: object,
            reaches: object,
            prospect_ids: Collection[int] | None = None,
        ) -> object:
            self.asked.append(None if prospect_ids is None else frozenset(prospect_ids))
            return worked_out(session, cadences, reaches, prospect_ids)  # type: ignore[arg-type]

        monkeypatch.setattr(kept_queue, "pending_lines", counted)


@pytest.fixture
def looks(monkeypatch: pytest.MonkeyPatch) -> CountedLooks:
    return CountedLooks(monkeypatch)


def test_a_logged_call_works_out_only_its_prospect(
    desk: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    for person in people:
        desk.enroll(person.id, "three_voicemails")
    desk.queue()
    desk.log_attempt(people[1].id, Outcome.VOICEMAIL_LEFT)
    desk.queue()
    desk.queue(desk.rep_today() + timedelta(days=1))
    assert looks.asked == [None, frozenset({people[1].id})]


def test_a_look_after_a_logged_call_builds_only_that_prospects_line_again(
    desk: CallDesk, people: list[ProspectRecord]
) -> None:
    for person in people:
        desk.enroll(person.id, "three_voicemails")
    before = {item.prospect_id: item for item in desk.queue()}
    desk.log_attempt(people[1].id, Outcome.NO_ANSWER)
    after = {item.prospect_id: item for item in desk.queue()}
    assert after.get(people[1].id) != before[people[1].id]
    # The others' lines are the very items of the look before: nothing was built again.
    assert all(after[person.id] is before[person.id] for person in people if person != people[1])


def test_a_reply_logged_while_paused_ends_the_cadence_at_the_minutes_settling(
    desk: CallDesk, people: list[ProspectRecord]
) -> None:
    person = people[0]
    desk.enroll(person.id, "persistence")
    desk.queue()
    desk.pause_cadence(person.id)
    desk.log_attempt(person.id, Outcome.NOT_INTERESTED)  # paused: nothing is settled
    desk.resume_cadence(person.id)
    settled = desk.settle_cadences()
    assert settled.prospect_ids == frozenset({person.id})
    assert desk.settle_cadences() == Changes()  # a full read finds nobody left
    assert [item.prospect_id for item in desk.queue()] == []


def test_a_pain_or_a_time_check_works_out_nobody(
    desk: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    desk.enroll(people[0].id, "persistence")
    desk.queue()
    desk.add_pain(people[0].id, PainKind.PAST, "Lost a patient to voicemail")
    desk.update_research(people[0].id, company_summary="Three dentists")
    desk.queue()
    assert looks.asked == [None]


def test_a_call_started_noted_and_taken_back_works_out_nobody(
    desk: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    desk.enroll(people[0].id, "persistence")
    desk.queue()
    desk.discard_call(desk.start_call(people[0].id).id)
    call = desk.start_call(people[0].id)
    desk.update_attempt_notes(call.id, "Reception put me through")
    desk.queue()
    assert looks.asked == [None]
    desk.finish_attempt(call.id, Outcome.NO_ANSWER)  # an outcome does move their line
    desk.queue()
    assert looks.asked == [None, frozenset({people[0].id})]


def test_a_change_naming_nobody_works_out_everyone(
    desk: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    desk.enroll(people[0].id, "persistence")
    desk.queue()
    desk.update_profile(business_hours=(time(8), time(17)))
    desk.queue()
    assert looks.asked == [None, None]


def test_another_programs_change_shows_at_the_look_a_minute_on(
    desk: CallDesk, scratch: CallDesk, people: list[ProspectRecord]
) -> None:
    seconds = [0.0]
    desk._kept_queue = KeptQueue(monotonic=lambda: seconds[0])
    desk.enroll(people[0].id, "three_voicemails")
    assert [item.prospect_id for item in desk.queue()] == [people[0].id]
    scratch.enroll(people[2].id, "three_voicemails")  # the command line, say
    seconds[0] += KEPT_FOR_SECONDS
    assert sorted(item.prospect_id for item in desk.queue()) == [people[0].id, people[2].id]


def test_a_desk_that_hears_other_programs_works_everyone_out_only_each_quarter_hour(
    desk: CallDesk, scratch: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    seconds = [0.0]
    desk._kept_queue = KeptQueue(monotonic=lambda: seconds[0])
    desk.watch_others().close()  # the window's watcher: what others commit is noted
    desk.enroll(people[0].id, "three_voicemails")
    desk.queue()
    seconds[0] += KEPT_FOR_SECONDS
    desk.queue()
    assert looks.asked == [None]  # a minute on, nobody is worked out again
    scratch.enroll(people[2].id, "three_voicemails")  # a change that left no record, say
    seconds[0] += KEPT_WHILE_HEARING_SECONDS
    assert sorted(item.prospect_id for item in desk.queue()) == [people[0].id, people[2].id]
    assert looks.asked == [None, None]


def test_an_edited_cadence_file_works_everyone_out_again(
    desk: CallDesk, people: list[ProspectRecord], looks: CountedLooks
) -> None:
    desk.enroll(people[0].id, "three_voicemails")
    desk.log_attempt(people[0].id, Outcome.VOICEMAIL_LEFT)
    before = desk.queue(desk.rep_today() + timedelta(days=1))
    folder = desk.cadence_library.user_dir
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True)
    bundled = desk.cadence_library.bundled_dir / "three_voicemails.toml"
    edited = bundled.read_text(encoding="utf-8").replace('"24 hours"', '"48 hours"', 1)
    (folder / "three_voicemails.toml").write_text(edited, encoding="utf-8")
    after = desk.queue(desk.rep_today() + timedelta(days=1))
    assert looks.asked == [None, None]
    assert [item.due_at for item in after] != [item.due_at for item in before]
