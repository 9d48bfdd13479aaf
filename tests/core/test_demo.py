"""The demo sample, judged by what a rep would notice after loading it."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import sessionmaker

from callassist.clock import fixed_clock
from callassist.db.engine import database_url
from callassist.db.migrate import open_database
from callassist.demo import DemoSummary, seed_demo
from callassist.phones import normalize_phone, region_of
from callassist.records import CallTypeRecord, ProfileRecord, ProspectDetail
from callassist.services import profile, prospects
from callassist.vocabulary import (
    Decision,
    FollowUpKind,
    Outcome,
    PainKind,
    ProspectStatus,
)

# A Tuesday afternoon (UTC), the rep's Chicago morning.
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
# Two weeks later, also a Tuesday: the same weekdays, so the same local times.
LATER = NOW + timedelta(days=14)
REP_ZONE = ZoneInfo("America/Chicago")


@dataclass(frozen=True)
class Loaded:
    summary: DemoSummary
    details: list[ProspectDetail]
    rep: ProfileRecord


def load(folder, now):
    clock = fixed_clock(now)
    engine = open_database(
        database_url(folder / "demo.sqlite"), backup_folder=folder / "b", clock=clock
    )
    try:
        session_factory = sessionmaker(engine)
        with session_factory() as session, session.begin():
            summary = seed_demo(session, clock)
        with session_factory() as session:
            details = [
                prospects.get_detail(session, record.id, recent=100)
                for record in prospects.list_prospects(session)
            ]
            rep = profile.get_profile(session)
    finally:
        engine.dispose()
    return Loaded(summary, details, rep)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return load(tmp_path_factory.mktemp("now"), NOW)


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    return load(tmp_path_factory.mktemp("later"), LATER)


def attempts(demo):
    return [(detail, attempt) for detail in demo.details for attempt in detail.attempts]


def local(moment, detail):
    return moment.astimezone(ZoneInfo(detail.prospect.timezone))


def test_summary_reads_as_a_sentence():
    assert str(DemoSummary(28, 61, 19, 4)) == "28 prospects, 61 attempts, 19 pains, 4 follow-ups"
    assert str(DemoSummary(1, 1, 1, 1)) == "1 prospect, 1 attempt, 1 pain, 1 follow-up"


def test_summary_counts_what_was_stored(demo):
    details = demo.details
    assert demo.summary == DemoSummary(
        prospects=len(details),
        attempts=sum(len(detail.attempts) for detail in details),
        pains=sum(len(detail.pains) for detail in details),
        follow_ups=sum(len(detail.follow_ups) for detail in details),
    )


def test_the_caller_owns_the_transaction(tmp_path):
    clock = fixed_clock(NOW)
    engine = open_database(
        database_url(tmp_path / "demo.sqlite"), backup_folder=tmp_path / "b", clock=clock
    )
    try:
        with sessionmaker(engine)() as session:
            seed_demo(session, clock)
            session.rollback()
            assert prospects.count_prospects(session) == 0
            assert not profile.get_profile(session).is_complete
    finally:
        engine.dispose()


def test_profile_is_complete(demo):
    rep = demo.rep
    assert rep.is_complete
    assert rep.timezone == "America/Chicago"
    assert rep.timezone_is_set
    assert (rep.business_start.hour, rep.business_end.hour) == (9, 17)
    assert [(ct.name, ct.minutes) for ct in rep.call_types] == [
        ("discovery", 20),
        ("introduction", 60),
    ]
    assert 2 <= len(rep.signature.splitlines()) <= 3


def test_many_prospects_reachable_and_spread_over_zones(demo):
    records = [detail.prospect for detail in demo.details]
    assert len(records) >= 25
    assert len({record.timezone for record in records}) >= 4
    for record in records:
        assert record.email
        assert "@" in record.email
        assert record.phone
        assert normalize_phone(record.phone, region_of(record.phone)) == record.phone
        assert record.phone_display
        assert record.company
        assert record.title
        assert record.tags
    assert len({record.email for record in records}) == len(records)
    titles = " ".join(record.title for record in records)
    assert "Owner" in titles
    assert "CEO" in titles
    assert "Manager" in titles


def test_most_have_homework_and_some_have_none(demo):
    with_homework = [d for d in demo.details if d.research.has_homework]
    without = [d for d in demo.details if not d.research.has_homework]
    assert len(with_homework) > len(demo.details) * 3 / 4
    assert len(without) >= 3
    for detail in with_homework:
        research = detail.research
        assert research.angle
        assert research.source_links
        assert research.researched_at is not None
        assert research.researched_at < NOW
        assert research.researched_at > NOW - timedelta(days=30)
        # Homework comes before dialing.
        assert all(research.researched_at < attempt.at for attempt in detail.attempts)


def test_most_prospects_have_not_been_called(demo):
    untouched = [d for d in demo.details if not d.attempts]
    assert len(untouched) > len(demo.details) / 2
    assert all(d.prospect.status is ProspectStatus.NEW for d in untouched)


def test_history_covers_every_outcome(demo):
    outcomes = {attempt.outcome for _, attempt in attempts(demo)}
    assert outcomes == set(Outcome)
    statuses = {detail.prospect.status for detail in demo.details}
    assert {
        ProspectStatus.NEW,
        ProspectStatus.WORKING,
        ProspectStatus.ENGAGED,
        ProspectStatus.NOT_INTERESTED,
        ProspectStatus.BAD_CONTACT,
    } <= statuses


def test_history_is_past_and_in_business_hours(demo):
    for detail, attempt in attempts(demo):
        assert attempt.at < NOW
        assert attempt.ended_at is None or attempt.at <= attempt.ended_at < NOW
        when = local(attempt.at, detail)
        assert when.weekday() < 5
        assert 7 <= when.hour < 18
        assert attempt.at > NOW - timedelta(days=21)
    for detail in demo.details:
        for pain in detail.pains:
            assert pain.noted_at < NOW


def test_voicemails_carry_what_the_rep_said(demo):
    voicemails = [
        (detail, attempt)
        for detail, attempt in attempts(demo)
        if attempt.outcome is Outcome.VOICEMAIL_LEFT
    ]
    assert len(voicemails) >= 5
    for detail, attempt in voicemails:
        assert attempt.script_name
        assert attempt.script_name.startswith("voicemail_")
        assert attempt.rendered_text
        assert detail.prospect.first_name in attempt.rendered_text
        # The number said twice, slowly.
        assert attempt.rendered_text.count("312 ... 780 ... 4410") == 2
    scripts = Counter(attempt.script_name for _, attempt in voicemails)
    assert {"voicemail_first", "voicemail_missed_again", "voicemail_third"} <= set(scripts)


def test_an_email_follows_three_voicemails(demo):
    emails = [
        (detail, attempt)
        for detail, attempt in attempts(demo)
        if attempt.outcome is Outcome.EMAIL_SENT
    ]
    assert emails
    for detail, email in emails:
        assert email.script_name == "email_after_voicemails"
        assert email.rendered_text
        assert email.rendered_text.startswith("Subject: ")
        before = [a for a in detail.attempts if a.at < email.at]
        assert [a.outcome for a in before] == [Outcome.VOICEMAIL_LEFT] * 3
        assert detail.last_message == email


def test_reschedules_book_the_needed_length(demo):
    reschedules = [
        (detail, check)
        for detail in demo.details
        for check in detail.time_checks
        if check.decision is Decision.RESCHEDULE
    ]
    assert len(reschedules) >= 2
    for detail, check in reschedules:
        assert check.minutes_available is not None
        assert check.minutes_available < check.minutes_needed
        attempt = next(a for a in detail.attempts if a.id == check.attempt_id)
        assert attempt.outcome is Outcome.RESCHEDULED
        booked = [f for f in detail.follow_ups if f.attempt_id == check.attempt_id]
        assert len(booked) == 1
        assert booked[0].minutes == check.minutes_needed
        assert booked[0].kind in (FollowUpKind.MEETING, FollowUpKind.CALL)
        assert NOW < booked[0].due_at < NOW + timedelta(days=10)
    assert {check.minutes_needed for _, check in reschedules} == {20, 60}


def test_time_checks_show_asked_and_not_asked(demo):
    checks = [check for detail in demo.details for check in detail.time_checks]
    assert {check.asked for check in checks} == {True, False}
    assert any(check.immediate_need and check.decision is Decision.PROCEED for check in checks)


def test_pains_of_all_four_kinds_and_how_they_were_handled(demo):
    pains = [pain for detail in demo.details for pain in detail.pains]
    assert {pain.kind for pain in pains} == set(PainKind)
    assert all(pain.words for pain in pains)
    assert all(pain.attempt_id is not None for pain in pains)
    for flag in ("asked", "acknowledged", "can_help"):
        assert {getattr(pain, flag) for pain in pains} == {True, False}, flag


def test_some_follow_ups_are_due_tomorrow(demo):
    tomorrow = NOW.astimezone(REP_ZONE).date() + timedelta(days=1)
    due = [
        follow_up
        for detail in demo.details
        for follow_up in detail.follow_ups
        if follow_up.due_at.astimezone(REP_ZONE).date() == tomorrow
    ]
    assert len(due) >= 2


def test_same_sample_whatever_the_day_it_is_loaded(demo, later):
    def people(loaded):
        return [
            (d.prospect.full_name, d.prospect.email, d.prospect.phone, d.prospect.tags)
            for d in loaded.details
        ]

    assert people(later) == people(demo)
    assert later.summary == demo.summary
    assert later.rep == demo.rep
    for before, after in zip(demo.details, later.details, strict=True):
        assert before.prospect.status is after.prospect.status
        assert [a.rendered_text for a in before.attempts] == [
            a.rendered_text for a in after.attempts
        ]
        for old, new in zip(before.attempts, after.attempts, strict=True):
            assert (old.outcome, old.script_name, old.notes) == (
                new.outcome,
                new.script_name,
                new.notes,
            )
            # Same wall-clock time in the prospect's zone, two weeks on.
            old_local, new_local = local(old.at, before), local(new.at, after)
            assert old_local.time() == new_local.time()
            assert new_local.date() - old_local.date() == timedelta(days=14)
        for old, new in zip(before.follow_ups, after.follow_ups, strict=True):
            assert local(new.due_at, after).date() - local(old.due_at, before).date() == (
                timedelta(days=14)
            )
    assert all(a.at < LATER for _, a in attempts(later))
    assert any(a.at > NOW for _, a in attempts(later))


def test_weekends_are_skipped(tmp_path):
    # Loaded on a Monday, "yesterday's" calls fall on Friday, not Sunday.
    monday = load(tmp_path, datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    for detail, attempt in attempts(monday):
        assert local(attempt.at, detail).weekday() < 5
    for detail in monday.details:
        for follow_up in detail.follow_ups:
            assert local(follow_up.due_at, detail).weekday() < 5


def test_loaded_demo_has_work_in_todays_queue(desk):
    desk.load_demo()
    queue = desk.queue()
    cadences = {item.cadence for item in queue if item.cadence}
    assert cadences == {"three_voicemails", "persistence"}
    assert sum(1 for item in queue if item.step == 1) >= 6
    assert all(item.action in ("call", "email", "meeting", "move_on") for item in queue)


def test_a_rep_who_typed_their_details_first_keeps_them(desk):
    # The first run asks for the rep before it offers the demo.
    desk.update_profile(call_types=[CallTypeRecord("demo call", 45)])
    desk.load_demo()

    rep = desk.profile()
    assert (rep.name, rep.company) == ("Sam Rivera", "Northwind Answering")
    # Their own call type stays; the ones the sample's history uses are added.
    assert [ct.name for ct in rep.call_types] == ["demo call", "discovery", "introduction"]
    [elena] = desk.prospect_ids("brightwire")
    voicemail = next(a for a in desk.prospect_detail(elena).attempts if a.rendered_text)
    assert "Northwind Answering" in voicemail.rendered_text
    assert "Lanternline" not in voicemail.rendered_text


def test_the_commitment_voicemail_names_the_day_of_the_promised_call(tmp_path):
    # Loaded on a Monday, the message was left on Friday: the call it promises,
    # due today, is "Monday", not "tomorrow".
    monday = load(tmp_path, datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    [(detail, message)] = [
        (detail, attempt)
        for detail, attempt in attempts(monday)
        if attempt.script_name == "voicemail_commitment_test"
    ]
    assert local(message.at, detail).weekday() == 4
    assert "I'll try you again Monday." in message.rendered_text
    assert "tomorrow" not in message.rendered_text
    [promised] = detail.follow_ups
    assert local(promised.due_at, detail).date() == local(NOW + timedelta(days=6), detail).date()


def test_the_email_tells_when_the_voicemails_were_left(demo):
    emails = [a for _, a in attempts(demo) if a.script_name == "email_after_voicemails"]
    assert emails
    for email in emails:
        assert "I left you a few voicemails last week" in email.rendered_text
