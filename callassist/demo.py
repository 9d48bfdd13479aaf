"""A realistic sample to try callassist on: a rep, prospects, two weeks of calls.

The sample itself is data, in ``demo.toml`` next to this module; this module
plays it in. Everything goes through the services, exactly as if the rep had
typed it, so the sample obeys the same rules (validation, statuses, time-check
decisions) as real data, and every message left is the bundled script filled in
for the prospect at that moment, as the window would have shown it. Every time
is placed relative to the clock, in business hours of the prospect's own zone,
so the sample looks fresh whenever it is loaded; the content itself is fixed,
so two loads differ only by when they happened.
"""

import random
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cache
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from callassist.cadence import Cadence, FollowedCadences
from callassist.clock import Clock, fixed_clock
from callassist.db.models import Prospect
from callassist.phones import normalize_phone, region_of_zone
from callassist.records import ProfileRecord
from callassist.services import activity, profile, prospects
from callassist.services import cadences as cadence_service
from callassist.templates import ScriptLibrary, build_context
from callassist.vocabulary import FollowUpKind, Outcome, PainKind, ProspectStatus
from callassist.wording import counted
from callassist.workdays import working_days_from

_SEED = 20260310
"""Seeds the only randomness (the minute research was done), so loads are identical."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How much the demo put into the database."""

    prospects: int
    attempts: int
    pains: int
    follow_ups: int

    def __str__(self) -> str:
        return ", ".join(
            counted(number, noun)
            for number, noun in (
                (self.prospects, "prospect"),
                (self.attempts, "attempt"),
                (self.pains, "pain"),
                (self.follow_ups, "follow-up"),
            )
        )


# -- the sample, read from demo.toml ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Research:
    company: str
    person: str
    angle: str
    """Written to be said aloud: the voicemails quote it after "The reason for my call:"."""
    sources: tuple[str, ...]
    business_days_ago: int


@dataclass(frozen=True, slots=True)
class _Pain:
    kind: PainKind
    words: str
    asked: bool = False
    acknowledged: bool = False
    can_help: bool = False


@dataclass(frozen=True, slots=True)
class _TimeCheck:
    asked: bool
    call_type: str
    minutes_available: int | None = None
    immediate_need: bool = False


@dataclass(frozen=True, slots=True)
class _FollowUp:
    business_days_ahead: int
    """0 is today, 1 the next weekday."""
    at: str
    """Local time in the prospect's zone, "HH:MM"."""
    minutes: int
    kind: FollowUpKind
    reason: str


@dataclass(frozen=True, slots=True)
class _Step:
    """One attempt of a prospect's history; steps are listed oldest first."""

    business_days_ago: int
    at: str
    """Local time in the prospect's zone, "HH:MM"."""
    outcome: Outcome
    script: str | None = None
    """The message left: the script, filled in for the prospect then, is what the rep said."""
    notes: str = ""
    minutes: int = 1
    """How long the call lasted (ignored for outcomes logged afterwards)."""
    time_check: _TimeCheck | None = None
    pains: tuple[_Pain, ...] = ()
    follow_up: _FollowUp | None = None


@dataclass(frozen=True, slots=True)
class _Person:
    first_name: str
    last_name: str
    title: str
    company: str
    domain: str
    phone: str
    """As a rep would type it, read in ``region``."""
    region: str
    timezone: str
    tags: str
    notes: str
    research: _Research | None
    history: tuple[_Step, ...] = field(default=())

    @property
    def email(self) -> str:
        # "Tomás" mails as "tomas": most mail systems still choke on accents.
        plain = unicodedata.normalize("NFKD", self.first_name).encode("ascii", "ignore")
        return f"{plain.decode().lower()}@{self.domain}"


@dataclass(frozen=True, slots=True)
class _Sample:
    """The rep the sample speaks as (unless the rep typed in their own) and their prospects."""

    rep: Mapping[str, str]
    """name, company, phone (as typed in the US), email, timezone and signature."""
    people: tuple[_Person, ...]


@cache
def _sample() -> _Sample:
    """The sample in demo.toml, read once: it ships with callassist and never changes."""
    data = tomllib.loads(files("callassist").joinpath("demo.toml").read_text(encoding="utf-8"))
    return _Sample(rep=data["rep"], people=tuple(_person(raw) for raw in data["people"]))


def _person(raw: dict[str, Any]) -> _Person:
    research = raw.get("research")
    return _Person(
        **{key: value for key, value in raw.items() if key not in ("research", "history")},
        research=_Research(**{**research, "sources": tuple(research["sources"])})
        if research is not None
        else None,
        history=tuple(_step(step) for step in raw.get("history", ())),
    )


def _step(raw: dict[str, Any]) -> _Step:
    check = raw.get("time_check")
    follow_up = raw.get("follow_up")
    return _Step(
        **{
            key: value
            for key, value in raw.items()
            if key not in ("outcome", "time_check", "pains", "follow_up")
        },
        outcome=Outcome(raw["outcome"]),
        time_check=_TimeCheck(**check) if check is not None else None,
        pains=tuple(
            _Pain(**{**pain, "kind": PainKind(pain["kind"])}) for pain in raw.get("pains", ())
        ),
        follow_up=_FollowUp(**{**follow_up, "kind": FollowUpKind(follow_up["kind"])})
        if follow_up is not None
        else None,
    )


# Outcomes logged in one go after the fact: nobody was on the line, so there
# is no call to time. Everything else runs as a call that starts and ends.
_LOGGED_AFTERWARDS = frozenset({Outcome.NO_ANSWER, Outcome.EMAIL_SENT, Outcome.BAD_NUMBER})


# -- placing events in time ---------------------------------------------------


def _local(now: datetime, zone_name: str, business_days: int, clock_time: str) -> datetime:
    """``clock_time`` in ``zone_name``, ``business_days`` working days from today there."""
    # Reps do not dial on days off, so a sample with calls on a Saturday or on
    # Christmas Day would look wrong.
    zone = ZoneInfo(zone_name)
    day = working_days_from(now.astimezone(zone).date(), business_days, region_of_zone(zone_name))
    return datetime.combine(day, time.fromisoformat(clock_time), tzinfo=zone)


# -- seeding ------------------------------------------------------------------


@dataclass(slots=True)
class _Seeder:
    session: Session
    now: datetime
    rep: ProfileRecord
    research_zone: str
    """Where the research was done: the sample rep's desk."""
    scripts: ScriptLibrary
    rng: random.Random
    attempts: int = 0
    pains: int = 0
    follow_ups: int = 0

    def person(self, index: int, person: _Person) -> None:
        raw = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "company": person.company,
            "website": f"https://{person.domain}",
            "email": person.email,
            "phone": person.phone,
            "timezone": person.timezone,
            "tags": person.tags,
            "notes": person.notes,
        }
        values = prospects.validate_prospect(raw, person.region)
        # Imported as one list three weeks ago, a minute apart: before any
        # research or call, whatever the rest of the sample says.
        created = self.now - timedelta(days=21) + timedelta(minutes=index)
        prospect_id = prospects.add_prospect(self.session, fixed_clock(created), values).id
        if person.research is not None:
            self.research(prospect_id, person)
        calls = 0
        for step in person.history:
            self.step(prospect_id, person, step, calls)
            if step.outcome is not Outcome.EMAIL_SENT:
                calls += 1

    def research(self, prospect_id: int, person: _Person) -> None:
        assert person.research is not None
        research = person.research
        minute = self.rng.randrange(8 * 60, 16 * 60, 5)
        done = _local(self.now, self.research_zone, -research.business_days_ago, "00:00")
        done += timedelta(minutes=minute)
        if person.history:
            # Homework comes before the first dial, whatever the data says.
            first = _local(
                self.now,
                person.timezone,
                -person.history[0].business_days_ago,
                person.history[0].at,
            )
            done = min(done, first - timedelta(minutes=25))
        prospects.update_research(
            self.session,
            fixed_clock(done),
            prospect_id,
            company_summary=research.company,
            person_profile=research.person,
            angle=research.angle,
            source_links=research.sources,
            researched_at=done,
        )

    def step(self, prospect_id: int, person: _Person, step: _Step, calls_before: int) -> None:
        at = _local(self.now, person.timezone, -step.business_days_ago, step.at)
        text = self.message(prospect_id, step.script, at, calls_before) if step.script else None
        self.attempts += 1
        if step.outcome in _LOGGED_AFTERWARDS:
            attempt_id = activity.log_attempt(
                self.session,
                fixed_clock(at),
                prospect_id,
                step.outcome,
                at=at,
                notes=step.notes,
                script_name=step.script,
                rendered_text=text,
            ).id
        else:
            attempt_id = self.call(prospect_id, step, at, text)
        if step.follow_up is not None:
            follow_up = step.follow_up
            activity.add_follow_up(
                self.session,
                prospect_id,
                due_at=_local(
                    self.now, person.timezone, follow_up.business_days_ahead, follow_up.at
                ),
                minutes=follow_up.minutes,
                kind=follow_up.kind,
                reason=follow_up.reason,
                attempt_id=attempt_id,
            )
            self.follow_ups += 1

    def message(self, prospect_id: int, script: str, at: datetime, calls_before: int) -> str:
        """The words of a voicemail or email: the script as the window filled it in at ``at``."""
        detail = prospects.get_detail(self.session, prospect_id)
        # The prospect is in no cadence yet: "tomorrow" is their next working day.
        said = cadence_service.said_days(
            self.session, fixed_clock(at), prospect_id, FollowedCadences()
        )
        context = build_context(
            profile=self.rep,
            prospect=detail.prospect,
            research=detail.research,
            attempt_number=calls_before + 1,
            today=said.today,
            next_call_day=said.next_call,
            first_voicemail_day=said.first_voicemail,
        )
        rendered = self.scripts.render(script, context)
        # An email is kept with its subject, as it was copied to be sent.
        if rendered.subject is not None:
            return f"Subject: {rendered.subject}\n\n{rendered.text}"
        return rendered.text

    def call(self, prospect_id: int, step: _Step, at: datetime, text: str | None) -> int:
        """Play a call as the window would: start, time check, pains, finish."""
        attempt_id = activity.start_call(self.session, fixed_clock(at), prospect_id).id
        if step.time_check is not None:
            check = step.time_check
            activity.record_time_check(
                self.session,
                attempt_id,
                asked=check.asked,
                minutes_available=check.minutes_available,
                call_type=self.rep.call_type(check.call_type),
                immediate_need=check.immediate_need,
            )
        for number, pain in enumerate(step.pains, start=1):
            # Spread the notes over the call so they read in the order heard.
            heard = at + timedelta(minutes=step.minutes) * number / (len(step.pains) + 1)
            noted = activity.add_pain(
                self.session,
                fixed_clock(heard),
                prospect_id,
                pain.kind,
                pain.words,
                attempt_id=attempt_id,
            )
            if pain.asked or pain.acknowledged or pain.can_help:
                activity.update_pain(
                    self.session,
                    noted.id,
                    asked=pain.asked,
                    acknowledged=pain.acknowledged,
                    can_help=pain.can_help,
                )
            self.pains += 1
        activity.finish_attempt(
            self.session,
            fixed_clock(at + timedelta(minutes=step.minutes)),
            attempt_id,
            step.outcome,
            notes=step.notes,
            script_name=step.script,
            rendered_text=text,
        )
        return attempt_id


def seed_demo(session: Session, clock: Clock) -> DemoSummary:
    """Fill an empty database with the sample; the caller owns the transaction.

    Deterministic: the same prospects, words and histories every time, with
    every date placed relative to ``clock()``.
    """
    sample = _sample()
    current = profile.get_profile(session)
    # The sample's histories name the call types it was made with.
    call_types = current.call_types + tuple(
        default
        for default in profile.DEFAULT_CALL_TYPES
        if default.name not in {known.name for known in current.call_types}
    )
    if current.is_complete:
        # A rep who has just typed in their details (the first run asks before it
        # offers the demo) keeps them: the sample's messages are then in their name.
        rep = profile.update_profile(session, call_types=call_types)
    else:
        rep = profile.update_profile(
            session,
            name=sample.rep["name"],
            company=sample.rep["company"],
            phone_e164=normalize_phone(sample.rep["phone"], "US"),
            email=sample.rep["email"],
            signature=sample.rep["signature"],
            timezone=sample.rep["timezone"],
            business_hours=(time(9, 0), time(17, 0)),
            call_types=call_types,
        )
    seeder = _Seeder(
        session,
        clock(),
        rep,
        research_zone=sample.rep["timezone"],
        # The sample speaks in our words, not in the rep's own versions of the scripts.
        scripts=ScriptLibrary(None),
        rng=random.Random(_SEED),
    )
    for index, person in enumerate(sample.people):
        seeder.person(index, person)
    return DemoSummary(
        prospects=len(sample.people),
        attempts=seeder.attempts,
        pains=seeder.pains,
        follow_ups=seeder.follow_ups,
    )


DEMO_ENROLLMENTS = 8
"""How many untouched demo prospects start a cadence, so today's queue has work in it."""


def enroll_demo(session: Session, clock: Clock, cadences: Mapping[str, Cadence]) -> None:
    """Put the first untouched prospects in the bundled cadences, alternating them."""
    names = [name for name in ("three_voicemails", "persistence") if name in cadences]
    if not names:
        return
    fresh = session.scalars(
        select(Prospect.id)
        .where(Prospect.status == ProspectStatus.NEW)
        .order_by(Prospect.id)
        .limit(DEMO_ENROLLMENTS)
    )
    for index, prospect_id in enumerate(fresh):
        cadence_service.enroll(session, clock, prospect_id, cadences[names[index % len(names)]])
