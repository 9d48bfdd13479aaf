"""Frozen records the core hands out. No ORM object leaves the core.

The window and the command line read these; to change data they call a
service with plain values and get fresh records back.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from callassist.cadence import CadenceState, StepAction
from callassist.errors import InvalidInputError
from callassist.vocabulary import (
    Channel,
    Decision,
    FollowUpKind,
    Outcome,
    PainKind,
    PhoneKind,
    ProspectStatus,
    QueueAction,
)


@dataclass(frozen=True, slots=True)
class PhoneLine:
    """One of a prospect's numbers."""

    kind: PhoneKind
    e164: str
    extension: str | None
    written: str
    """As the rep dials it, extension included: "020 7946 0123 ext. 12"."""


@dataclass(frozen=True, slots=True)
class ProspectRecord:
    """A prospect as the rep sees it in a list or on a card."""

    id: int
    first_name: str
    last_name: str
    title: str
    company: str
    website: str
    linkedin: str
    email: str | None
    phone: str | None
    """The number to dial, in E.164 ("+15058281788"); see :attr:`phones`."""
    phone_display: str
    """The number to dial as the rep dials it ("(505) 828-1788 ext. 12"), or ""."""
    timezone: str | None
    status: ProspectStatus
    tags: tuple[str, ...]
    notes: str
    created_at: datetime
    updated_at: datetime
    phones: tuple[PhoneLine, ...] = ()
    """Every number, direct first, then mobile, then office."""
    dial: PhoneKind | None = None
    """The number the rep chose to dial; None: the first of :attr:`phones`."""
    owner_id: int | None = None
    """The id of the rep whose prospect this is; None only in a record made without a
    database (a script's preview)."""
    version: int = 0
    """Which edit of the fields and notes this is: what an edit of them is made on."""

    def phone_line(self, kind: PhoneKind) -> PhoneLine | None:
        """The prospect's number of ``kind``, or None."""
        return next((line for line in self.phones if line.kind is kind), None)

    @property
    def dialled(self) -> PhoneLine | None:
        """The number to dial, as a line (None without any number)."""
        return dialled_line(self.phones, self.dial)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def dialled_line(phones: tuple[PhoneLine, ...], dial: PhoneKind | None) -> PhoneLine | None:
    """The rep's chosen number while the prospect has it, else the first (direct first)."""
    chosen = next((line for line in phones if line.kind is dial), None)
    return chosen or (phones[0] if phones else None)


@dataclass(frozen=True, slots=True)
class ListedLengths:
    """How many prospects a list holds, and the length of the longest value of each
    field it shows, in characters: enough to lay a table out before reading its rows."""

    count: int
    id: int
    name: int
    company: int
    title: int
    phone: int
    """Of the number to dial as the rep dials it (:attr:`ProspectRecord.phone_display`)."""
    email: int
    timezone: int
    status: int

    @property
    def widths(self) -> tuple[int, ...]:
        """The longest of each shown field, in the list's column order."""
        return (
            self.id,
            self.name,
            self.company,
            self.title,
            self.phone,
            self.email,
            self.timezone,
            self.status,
        )


@dataclass(frozen=True, slots=True)
class ResearchRecord:
    """The homework on one prospect."""

    prospect_id: int
    company_summary: str = ""
    person_profile: str = ""
    angle: str = ""
    source_links: tuple[str, ...] = ()
    researched_at: datetime | None = None
    version: int = 0
    """Which edit of these notes this is (0: never edited): what an edit is made on."""

    @property
    def has_homework(self) -> bool:
        """True when there is something to say beyond the prospect's name."""
        return bool(
            self.company_summary.strip() or self.person_profile.strip() or self.angle.strip()
        )


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One dial or email and what came of it."""

    id: int
    prospect_id: int
    at: datetime
    ended_at: datetime | None
    channel: Channel
    outcome: Outcome | None
    script_name: str | None
    rendered_text: str | None
    notes: str


@dataclass(frozen=True, slots=True)
class TimeCheckRecord:
    """The time check of one connected call."""

    id: int
    attempt_id: int
    asked: bool
    minutes_available: int | None
    call_type: str
    minutes_needed: int
    immediate_need: bool
    decision: Decision


@dataclass(frozen=True, slots=True)
class PainRecord:
    """One pain the prospect mentioned."""

    id: int
    prospect_id: int
    attempt_id: int | None
    kind: PainKind
    words: str
    asked: bool
    acknowledged: bool
    can_help: bool
    noted_at: datetime


@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    """Something due for a prospect."""

    id: int
    prospect_id: int
    attempt_id: int | None
    due_at: datetime
    minutes: int
    kind: FollowUpKind
    reason: str
    done: bool
    uid: str
    """The calendar event's UID, kept for every invite about this booking."""
    sequence: int
    """0 for the first invite; one more for each change or the cancellation."""
    call_type: str | None
    """The kind of call booked (None for a booking from before callassist kept it)."""
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True)
class CallTypeRecord:
    """A kind of call and the minutes it needs."""

    name: str
    minutes: int


def call_type_list(call_types: Sequence[CallTypeRecord]) -> str:
    """The call types as a rep reads them: "discovery (20 min), demo (45 min)"."""
    return ", ".join(f"{ct.name} ({ct.minutes} min)" for ct in call_types) or "none"


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """The rep's own details."""

    name: str
    company: str
    phone: str | None
    phone_display: str
    email: str
    signature: str
    timezone: str
    """The zone in effect: the one set, or else the computer's."""
    timezone_is_set: bool
    """False when ``timezone`` is only the computer's zone."""
    business_start: time
    business_end: time
    call_types: tuple[CallTypeRecord, ...]
    version: int = 0
    """Which edit of the profile this is: what an edit of it is made on."""

    def call_type(self, typed: str) -> CallTypeRecord:
        """The call type named ``typed``, in any case; InvalidInputError lists the rep's."""
        key = typed.strip().lower()
        found = next((known for known in self.call_types if known.name == key), None)
        if found is None:
            raise InvalidInputError(
                f"no call type {typed!r}; the call types are {call_type_list(self.call_types)}"
            )
        return found

    @property
    def is_complete(self) -> bool:
        """True when the scripts have everything they say about the rep."""
        return bool(self.name and self.company and self.phone and self.email)

    def signature_for(self, *, name: str, company: str, phone_display: str, email: str) -> str:
        """The signature once the rep's details become these: the old ones in it swapped.

        A signature spells out the rep's name, company, phone and email (the
        demo's signs as Sam Rivera of Lanternline Answering); when they change,
        emails must not go out signed with the old ones. Only whole occurrences
        of an old detail are swapped, all in one pass; everything else the rep
        wrote stays, and a signature that names no old detail is left as it is.
        A detail cleared is left in: there is nothing to put in its place.
        """
        swaps = {
            old: new
            for old, new in (
                (self.name, name),
                (self.company, company),
                (self.phone_display, phone_display),
                (self.email, email),
            )
            if old.strip() and new.strip() and old != new
        }
        if not swaps:
            return self.signature
        # Longest first, so a detail is never swapped piecemeal by a shorter one inside it.
        pattern = "|".join(_whole(old) for old in sorted(swaps, key=len, reverse=True))
        return re.sub(pattern, lambda found: swaps[found.group(0)], self.signature)


def _whole(text: str) -> str:
    """A pattern for ``text`` not glued to a longer word ("Sam" is not in "Samantha")."""
    before = r"(?<!\w)" if re.match(r"\w", text) else ""
    after = r"(?!\w)" if re.search(r"\w$", text) else ""
    return before + re.escape(text) + after


@dataclass(frozen=True, slots=True)
class ProspectDetail:
    """Everything the card shows about one prospect."""

    prospect: ProspectRecord
    research: ResearchRecord
    attempts: tuple[AttemptRecord, ...] = field(default=())
    """Newest first."""
    pains: tuple[PainRecord, ...] = field(default=())
    follow_ups: tuple[FollowUpRecord, ...] = field(default=())
    time_checks: tuple[TimeCheckRecord, ...] = field(default=())

    @property
    def last_message(self) -> AttemptRecord | None:
        """The latest attempt that left words with the prospect (voicemail or email)."""
        for attempt in self.attempts:
            if attempt.rendered_text and attempt.outcome in (
                Outcome.VOICEMAIL_LEFT,
                Outcome.EMAIL_SENT,
            ):
                return attempt
        return None


@dataclass(frozen=True, slots=True)
class TrashedProspect:
    """A deleted prospect as the trash lists them: enough to recognise and undelete."""

    prospect_id: int
    name: str
    company: str
    deleted_at: datetime
    kept_until: datetime
    """When the trash lets go of them for good."""
    attempts: int
    pains: int


@dataclass(frozen=True, slots=True)
class EnrollmentRecord:
    """A prospect's cadence and where they are in it."""

    prospect_id: int
    cadence: str
    cadence_title: str
    enrolled_at: datetime
    paused: bool
    state: CadenceState
    ended_at: datetime | None
    next_action: StepAction | None
    """None once the cadence ended."""
    next_due_at: datetime | None
    next_script: str | None
    leave_message: bool
    step: int | None
    steps: int
    attempt: int | None
    prompt: str
    """What the cadence tells the rep now: the next step's words or, once the prospect
    is moved on, the move-on step's ("Find another contact at the same company.")."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One line of the day's call queue."""

    prospect_id: int
    name: str
    company: str
    job_title: str
    """The prospect's title: it decides which steps they skip, and so ``steps``."""
    due_at: datetime
    local_time: datetime
    """``due_at`` in the prospect's zone."""
    action: QueueAction
    leave_message: bool
    script: str | None
    cadence: str | None
    cadence_title: str | None
    """The cadence's title as the rep reads it ("Persistence"); None for a follow-up."""
    step: int | None
    steps: int | None
    """How many steps this prospect goes through (owners and CEOs skip one of Persistence)."""
    attempt: int | None
    overdue: bool
    """Due before now (or, for another day, before that day began)."""
    late_after: datetime
    """When the line turns late: a cadence step once its wait's window is over (a
    "2-3 days" wait is due on the second day, late after the third), a booked call
    at its time."""
    within_your_hours: bool
    """False when due outside the rep's business hours: a prospect whose working day
    never meets the rep's (the step is then at the edge of the rep's day), or a
    call booked at such a time."""
    their_zone_known: bool
    """False when the prospect has no time zone: :attr:`local_time` is then the
    rep's clock, a guess, and is shown as one."""
    prompt: str = ""
    owner: str = ""
    """The name of the rep whose prospect it is, in the team's queue; "" in a rep's own."""


@dataclass(frozen=True, slots=True)
class RepRecord:
    """A rep on the team, as others see them."""

    id: int
    name: str
    email: str
    """Lower-cased; "" when the rep has not given one (a rep alone may never)."""

    @property
    def called(self) -> str:
        """How the rep is named to others: their name, else their email."""
        return self.name or self.email or "a rep with no name yet"
