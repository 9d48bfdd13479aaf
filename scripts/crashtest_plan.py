"""The crash test's plan for one life of the window: what the child types, at the rep's
pace, and the moment it is killed. The child reads the same names (crashtest_child.py)."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# -- what the child does, as the plan names it -------------------------------------

OPEN = "open"
"""Ctrl+F, the prospect's name, Enter."""
RESEARCH = "research notes"
"""Ctrl+Shift+R, Ctrl+End, then typing at the end of the company summary."""
CALL = "call"
"""F5."""
PAIN = "pain"
"""Ctrl+2 (present) or Ctrl+3 (future), then typing the prospect's words."""
END_CALL = "end call"
"""F6."""
NOTE = "outcome note"
"""A number key picks the outcome, then typing the note."""
LOG = "log"
"""Enter logs the call with its note."""

TYPED_FIELDS = (RESEARCH, PAIN, NOTE)

CONTINUOUS = "continuous"
"""A key every 60 to 120 ms: never a pause long enough for a quiet-time save."""
BURSTS = "bursts"
"""A few words at that pace, then a pause of 0.6 to 2 s, and again."""
RHYTHMS = (CONTINUOUS, BURSTS)

FIELD_CHANGE = "field change"
PROSPECT_SWITCH = "prospect switch"

# -- the rep's pace ----------------------------------------------------------------

KEY_GAP_MS = (60, 120)
BURST_LENGTH = (3, 12)
BURST_PAUSE_MS = (600, 2000)
THINK_MS = (200, 500)
"""Between one action and the next when the rep was not typing (reading, listening)."""
FIRST_KEY_MARGIN_MS = 50
"""A kill aimed at typing comes this long after the first key is due, at the earliest."""
SHORTCUT_GAP_MS = 80
"""Between two keys of one action (Ctrl+Shift+R, then Ctrl+End); the child waits it too."""
OUTCOME_KEYS = (1, 2, 3)
"""Connected, voicemail left, no answer: outcomes with nothing else to do after them."""
CYCLES_PER_LIFE = 3
"""More than any kill moment needs, so a child never runs out of things to type."""

PHRASES = (
    "front desk misses calls after six",
    "owner wants fewer voicemails",
    "two sites, a third in spring",
    "new patients book online",
    "ads run on weekends",
    "receptionist left in may",
    "budget review next quarter",
    "asked about overflow",
    "they use a paging service",
    "slow replies cost them leads",
    "the manager is the buyer",
    "partner signs off",
    "phones ring during lunch",
    "lost a big account last year",
    "wants a trial first",
    "call back on tuesday",
)
"""What the child types: a rep's notes, joined with commas."""

Event = dict[str, Any]
"""One line the child wrote: "event" (its kind), "t" (time.monotonic()) and details."""

JUST_AFTER_LEAVING_S = 0.3
"""Kills aimed at a field change land this soon after it: before a quiet-time save
could store the text anyway and hide a leave that saved nothing."""


@dataclass(frozen=True, slots=True)
class Step:
    """One action of the child, and the keys it types."""

    action: str
    wait_ms: int
    """Before its first key."""
    keys: tuple[tuple[int, str], ...] = ()
    """(wait before the key in ms, character) typed by the action."""
    rhythm: str = ""
    prospect: int = 0
    """OPEN: who should open."""
    number: int = 0
    """PAIN: the digit after Ctrl; NOTE: the outcome key."""


@dataclass(frozen=True, slots=True)
class KillMoment:
    """A kind of moment to kill at: some time after the nth event of a kind."""

    label: str
    event: str
    """"enter" (a field gets its first key), "leave" (the rep left a field), "ready"."""
    field_kind: str = ""
    rhythm: str = ""
    reason: str = ""

    def matches(self, event: Event) -> bool:
        return (
            event["event"] == self.event
            and self.field_kind in ("", event.get("kind"))
            and self.rhythm in ("", event.get("rhythm"))
            and self.reason in ("", event.get("reason"))
        )


KILL_MOMENTS = (
    KillMoment("typing the research notes, continuously", "enter", RESEARCH, CONTINUOUS),
    KillMoment("just after a field change", "leave", reason=FIELD_CHANGE),
    KillMoment("typing the outcome note, continuously", "enter", NOTE, CONTINUOUS),
    KillMoment("just after a prospect switch", "leave", reason=PROSPECT_SWITCH),
    KillMoment("typing a pain, in bursts", "enter", PAIN, BURSTS),
    KillMoment("typing the research notes, in bursts", "enter", RESEARCH, BURSTS),
    KillMoment("typing a pain, continuously", "enter", PAIN, CONTINUOUS),
    KillMoment("typing the outcome note, in bursts", "enter", NOTE, BURSTS),
    KillMoment("anywhere in the child's life", "ready"),
)
"""Taken in turn, so that any five kills cover both promises and every field."""


@dataclass(frozen=True, slots=True)
class LifePlan:
    """What one child types, and when the parent kills it."""

    steps: tuple[Step, ...]
    moment: KillMoment
    occurrence: int
    """Kill after the nth event that matches ``moment`` (1: the first)."""
    delay_s: float


@dataclass(frozen=True, slots=True)
class Prospect:
    id: int
    name: str


class PlanWriter:
    """Builds a child's steps, keeping track of the time they are planned to take."""

    def __init__(self, rng: random.Random, prospects: Sequence[Prospect], max_chars: int) -> None:
        self.rng = rng
        self.prospects = prospects
        self.max_chars = max_chars
        self.steps: list[Step] = []
        self.elapsed_ms = 0
        self.typing_ms: dict[str, tuple[int, int]] = {}
        """When the first and the last key of the first field of each kind are planned,
        counted from the moment the field is entered."""
        self._after_typing = False
        self._open_prospect = 0

    def _between(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(*bounds)

    def _add(self, step: Step, extra_ms: int = 0) -> None:
        self.steps.append(step)
        typing_ms = sum(wait for wait, _ in step.keys)
        self.elapsed_ms += step.wait_ms + extra_ms + typing_ms
        if step.action in TYPED_FIELDS:
            self.typing_ms.setdefault(step.action, (step.keys[0][0], typing_ms))
        self._after_typing = step.action in TYPED_FIELDS

    def _wait(self) -> int:
        """Right after typing the rep goes on at typing pace (the text is not saved yet)."""
        return self._between(KEY_GAP_MS if self._after_typing else THINK_MS)

    def _text(self, lead: str = "") -> str:
        length = self._between((max(1, self.max_chars // 3), self.max_chars))
        text = lead + self.rng.choice(PHRASES)
        while len(text) < length:
            text += ", " + self.rng.choice(PHRASES)
        return text[:length]

    def _keys(self, text: str, rhythm: str) -> tuple[tuple[int, str], ...]:
        keys: list[tuple[int, str]] = []
        left_in_burst = self._between(BURST_LENGTH)
        for char in text:
            wait = self._between(KEY_GAP_MS)
            if rhythm == BURSTS and keys and left_in_burst == 0:
                wait = self._between(BURST_PAUSE_MS)
                left_in_burst = self._between(BURST_LENGTH)
            left_in_burst -= 1
            keys.append((wait, char))
        return tuple(keys)

    def open_someone(self) -> None:
        prospect = self.rng.choice(
            [each for each in self.prospects if each.id != self._open_prospect]
        )
        self._open_prospect = prospect.id
        search = self._keys(prospect.name.lower(), CONTINUOUS)
        self._add(Step(OPEN, self._wait(), search, prospect=prospect.id), 2 * SHORTCUT_GAP_MS)

    def research(self, rhythm: str) -> None:
        # A space first: the notes usually hold text already.
        keys = self._keys(self._text(lead=" "), rhythm)
        self._add(Step(RESEARCH, self._wait(), keys, rhythm), 2 * SHORTCUT_GAP_MS)

    def homework_cycle(self, rhythm: str) -> None:
        """Open someone and write research notes; the next action switches prospect."""
        self.open_someone()
        self.research(rhythm)

    def call_cycle(self, rhythms: dict[str, str]) -> None:
        """Open someone, research, call, one or two pains, end, outcome note, log."""
        self.open_someone()
        self.research(rhythms[RESEARCH])
        self._add(Step(CALL, self._wait()))
        pain = self._keys(self._text(), rhythms[PAIN])
        self._add(Step(PAIN, self._wait(), pain, rhythms[PAIN], number=2))
        if self.rng.random() < 0.5:
            rhythm = self.rng.choice(RHYTHMS)
            self._add(Step(PAIN, self._wait(), self._keys(self._text(), rhythm), rhythm, number=3))
        self._add(Step(END_CALL, self._wait()))
        outcome = self.rng.choice(OUTCOME_KEYS)
        note = self._keys(self._text(), rhythms[NOTE])
        self._add(Step(NOTE, self._wait(), note, rhythms[NOTE], number=outcome))
        self._add(Step(LOG, self._wait()))

    def random_rhythms(self) -> dict[str, str]:
        return {kind: self.rng.choice(RHYTHMS) for kind in TYPED_FIELDS}

    def random_cycle(self) -> None:
        if self.rng.random() < 0.3:
            self.homework_cycle(self.rng.choice(RHYTHMS))
        else:
            self.call_cycle(self.random_rhythms())


def plan_life(number: int, seed: int, prospects: Sequence[Prospect], max_chars: int) -> LifePlan:
    """The steps of child ``number`` and its kill moment, the same for the same seed."""
    rng = random.Random(f"{seed}/{number}")
    moment = KILL_MOMENTS[(number - 1) % len(KILL_MOMENTS)]
    writer = PlanWriter(rng, prospects, max_chars)
    # The first cycle holds the event the kill is aimed at.
    if moment.reason == PROSPECT_SWITCH:
        writer.homework_cycle(rng.choice(RHYTHMS))
    else:
        rhythms = writer.random_rhythms()
        if moment.field_kind:
            rhythms[moment.field_kind] = moment.rhythm
        writer.call_cycle(rhythms)
    first_cycle_ms = writer.elapsed_ms
    for _ in range(CYCLES_PER_LIFE - 1):
        writer.random_cycle()
    occurrence = 1
    if moment.event == "enter":
        # From just after the first key (a kill before it measures no typing) to the last.
        first_ms, last_ms = writer.typing_ms[moment.field_kind]
        delay_s = rng.uniform(min(first_ms + FIRST_KEY_MARGIN_MS, last_ms), last_ms) / 1000
    elif moment.event == "leave":
        # A call cycle leaves the research notes, a pain and the note, in that order.
        occurrence = rng.randint(1, 3) if moment.reason == FIELD_CHANGE else 1
        delay_s = rng.uniform(0, JUST_AFTER_LEAVING_S)
    else:
        delay_s = rng.uniform(0, first_cycle_ms / 1000)
    return LifePlan(tuple(writer.steps), moment, occurrence, delay_s)
