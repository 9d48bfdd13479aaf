"""Crash test: type into the real window, kill it with SIGKILL, count what was lost.

Run it as ``./scripts/crashtest`` (``--help`` lists the options). The parent
loads the demo into a temporary database. For each kill it starts the window
on that database in a child process (``scripts/crashtest_child.py``, which runs
``callassist --db PATH`` offscreen) and the child types with the rep's keys:
it opens a prospect from the search box, writes in the research notes, starts a
call, notes pains, ends the call and types the outcome note. The child writes
every keystroke to a pipe as it happens; what is in a pipe survives the
writer's death, so the parent knows exactly what was typed and when. At a
seeded random moment the parent kills the child with SIGKILL, copies the
database files, runs the core's integrity check on the copy and reads back
every field typed in. The next child opens the crashed original: recovering
from the kill is part of the test.

Two promises are measured. While typing, a kill loses at most what was typed
in the last second before it. Whatever was typed in a field before the rep
left it (another field, the next pain, logging the call, another prospect) is
never lost.
"""

import argparse
import json
import os
import platform
import random
import select
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from hashlib import sha256
from pathlib import Path
from typing import Any

from callassist.core import CallDesk
from callassist.wording import counted

REPOSITORY = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "crashtest_child.py"

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

# -- the measurement ---------------------------------------------------------------

ALLOWANCE_S = 1.0
"""The promise: a crash loses at most the last second of typing."""
JUST_AFTER_LEAVING_S = 0.3
"""Kills aimed at a field change land this soon after it: before a quiet-time save
could store the text anyway and hide a leave that saved nothing."""
READY_TIMEOUT_S = 90.0
"""How long a child may take to open the window and reach the kill moment's event."""
DEFAULT_KILLS = 54
DEFAULT_MAX_CHARS = 120


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


# -- one life: start, wait for the moment, kill --------------------------------------


class CrashTestError(Exception):
    """The harness could not do its job (not a finding about callassist)."""


@dataclass
class RunFolder:
    """The throwaway folder of a run: the database, the child's settings, plans, logs."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "desk.sqlite"

    @property
    def snapshot(self) -> Path:
        return self.root / "after-kill" / "desk.sqlite"

    def child_environment(self, qt_platform: str) -> dict[str, str]:
        environment = dict(os.environ)
        # Settings (window.ini), backups, scripts and cadences of the rep: all in here.
        environment["XDG_CONFIG_HOME"] = str(self.root / "config")
        environment["XDG_DATA_HOME"] = str(self.root / "data")
        environment["QT_QPA_PLATFORM"] = qt_platform
        environment.pop("CALLASSIST_DB", None)
        return environment

    def open_desk(self, database: Path) -> CallDesk:
        return CallDesk.open(
            database,
            backup_folder=self.root / "data" / "parent-backups",
            template_dir=self.root / "config" / "scripts",
            cadence_dir=self.root / "config" / "cadences",
        )


@dataclass(frozen=True, slots=True)
class Life:
    """What a child reported before it was killed, and when it was killed."""

    events: list[Event]
    started_at: float
    killed_at: float
    """time.monotonic() of the kill: the same clock as the child's event times."""


def live_and_kill(number: int, plan: LifePlan, run: RunFolder, qt_platform: str) -> Life:
    """Start child ``number``, kill it at the plan's moment, return what it reported."""
    plan_file = run.root / "plans" / f"life-{number:03}.json"
    plan_file.parent.mkdir(exist_ok=True)
    plan_file.write_text(
        json.dumps({"database": str(run.database), "steps": [asdict(step) for step in plan.steps]})
    )
    log_file = run.root / "logs" / f"life-{number:03}.log"
    log_file.parent.mkdir(exist_ok=True)
    reading, writing = os.pipe()
    started_at = time.monotonic()
    with log_file.open("wb") as log:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(plan_file), str(writing)],
            pass_fds=(writing,),
            env=run.child_environment(qt_platform),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=run.root,
        )
    os.close(writing)
    events: list[Event] = []
    pending = b""
    kill_at: float | None = None
    seen = 0
    give_up = time.monotonic() + READY_TIMEOUT_S
    try:
        while True:
            now = time.monotonic()
            until = kill_at if kill_at is not None else give_up
            if now >= until:
                if kill_at is None:
                    raise CrashTestError(
                        f"child {number} did not reach '{plan.moment.label}' in "
                        f"{READY_TIMEOUT_S:.0f} s; its output: {log_file}"
                    )
                break
            readable, _, _ = select.select([reading], [], [], until - now)
            if not readable:
                continue
            chunk = os.read(reading, 65536)
            if not chunk:
                child.wait()
                raise CrashTestError(
                    f"child {number} stopped by itself (status {child.returncode}) before "
                    f"the kill: {last_lines(log_file)} (plan {plan_file}, output {log_file})"
                )
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                event = json.loads(line)
                events.append(event)
                if event["event"] == "error":
                    raise CrashTestError(f"child {number}: {event['message']}")
                if kill_at is None and plan.moment.matches(event):
                    seen += 1
                    if seen == plan.occurrence:
                        kill_at = event["t"] + plan.delay_s
        killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    # Whatever the child wrote before it died is still in the pipe.
    while chunk := os.read(reading, 65536):
        pending += chunk
    os.close(reading)
    events.extend(json.loads(line) for line in pending.split(b"\n") if line)
    log_file.with_suffix(".events").write_text("".join(json.dumps(e) + "\n" for e in events))
    # An event stamped between our clock reading and the signal counts as before the kill.
    latest = max((event["t"] for event in events), default=killed_at)
    return Life(events, started_at, max(killed_at, latest))


def last_lines(path: Path, count: int = 5) -> str:
    return " | ".join(path.read_text(errors="replace").strip().splitlines()[-count:])


# -- measuring one kill ------------------------------------------------------------


@dataclass
class Typing:
    """One field as the child typed it in one life."""

    field: str
    kind: str
    prospect: int
    record: int
    """The prospect (research notes), pain or attempt (outcome note) it is stored on."""
    rhythm: str
    text: str = ""
    key_times: list[float] = field(default_factory=list)
    typed_before_leaving: int = 0
    left_by: str = ""


@dataclass(frozen=True, slots=True)
class FieldResult:
    """What one typed field lost in one kill."""

    field: str
    kind: str
    rhythm: str
    typed: int
    saved: int
    lost: int
    typed_in_last_second: int
    lost_beyond_allowance: int
    oldest_lost_s: float
    """How long before the kill the oldest lost key was typed (0 when nothing was lost)."""
    being_typed: bool
    """The kill came while this field was being typed (not after the rep left it)."""
    left_by: str
    lost_after_leaving: int
    wrong_text: str
    """What the database holds when it is not a beginning of what was typed ("" when it is)."""


@dataclass(frozen=True, slots=True)
class KillResult:
    number: int
    moment: str
    delay_s: float
    start_s: float
    """From starting the child to its window being ready for keys."""
    alive_s: float
    """From the window being ready to the kill."""
    fields: list[FieldResult]
    problems: list[str]
    """The integrity check's findings on the crashed database ([] when it passed)."""


def typings(events: list[Event]) -> dict[str, Typing]:
    """Each field typed in, from the child's events, in the order they were entered."""
    typed: dict[str, Typing] = {}
    for event in events:
        kind = event["event"]
        if kind == "enter":
            name = event["field"]
            typed.setdefault(
                name,
                Typing(name, event["kind"], event["prospect"], event["record"], event["rhythm"]),
            )
        elif kind == "key":
            typing = typed[event["field"]]
            typing.text += event["char"]
            typing.key_times.append(event["t"])
        elif kind == "leave":
            typing = typed[event["field"]]
            typing.typed_before_leaving = len(typing.text)
            typing.left_by = event["reason"]
    return typed


def stored_text(desk: CallDesk, typing: Typing) -> str | None:
    """What the database holds for the field (None: its pain or call is gone)."""
    detail = desk.prospect_detail(typing.prospect)
    if typing.kind == RESEARCH:
        return detail.research.company_summary
    if typing.kind == PAIN:
        return next((pain.words for pain in detail.pains if pain.id == typing.record), None)
    return next((attempt.notes for attempt in detail.attempts if attempt.id == typing.record), None)


def characters_stored(before: str, typed: str, stored: str) -> int | None:
    """How many of the ``typed`` characters ``stored`` holds (None: it holds something else).

    The core trims spaces at both ends of what it stores, so the stored text is
    compared with the text on screen trimmed the same way; spaces typed last count
    as stored.
    """
    for count in range(len(typed), -1, -1):
        if (before + typed[:count]).strip() == stored:
            return count
    return None


def measure_field(typing: Typing, before: str, stored: str | None, killed_at: float) -> FieldResult:
    counted_in = characters_stored(before, typing.text, stored) if stored is not None else None
    wrong = "" if counted_in is not None else stored or "(its record is gone)"
    saved = counted_in or 0
    typed = len(typing.text)
    lost = typed - saved
    recent = sum(1 for moment in typing.key_times if moment > killed_at - ALLOWANCE_S)
    being_typed = typed > typing.typed_before_leaving
    return FieldResult(
        field=typing.field,
        kind=typing.kind,
        rhythm=typing.rhythm,
        typed=typed,
        saved=saved,
        lost=lost,
        typed_in_last_second=recent,
        lost_beyond_allowance=max(0, lost - recent),
        oldest_lost_s=round(killed_at - typing.key_times[saved], 3) if lost else 0.0,
        being_typed=being_typed,
        left_by=typing.left_by,
        lost_after_leaving=max(0, typing.typed_before_leaving - saved),
        wrong_text=wrong,
    )


def research_texts(desk: CallDesk, prospects: Sequence[Prospect]) -> dict[int, str]:
    return {
        prospect.id: desk.prospect_detail(prospect.id).research.company_summary
        for prospect in prospects
    }


def snapshot(run: RunFolder) -> Path:
    """A copy of the crashed database files, so the next child recovers the original."""
    copy = run.snapshot
    shutil.rmtree(copy.parent, ignore_errors=True)
    copy.parent.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        original = Path(f"{run.database}{suffix}")
        if original.exists():
            shutil.copyfile(original, f"{copy}{suffix}")
    return copy


# -- the whole run -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    kills: int
    seed: int
    max_chars: int
    qt_platform: str
    command: str


def seed_database(run: RunFolder) -> list[Prospect]:
    """The demo sample, and the prospects the children open (names typed plainly)."""
    with run.open_desk(run.database) as desk:
        desk.load_demo()
        return [
            Prospect(record.id, record.full_name)
            for record in desk.prospects()
            if record.full_name.isascii()
        ]


def crash_test(settings: Settings, run: RunFolder) -> Iterator[KillResult]:
    """Kill the window ``settings.kills`` times; yield what each kill cost."""
    prospects = seed_database(run)
    with run.open_desk(run.database) as desk:
        research_before = research_texts(desk, prospects)
    for number in range(1, settings.kills + 1):
        plan = plan_life(number, settings.seed, prospects, settings.max_chars)
        life = live_and_kill(number, plan, run, settings.qt_platform)
        with run.open_desk(snapshot(run)) as desk:
            problems = desk.check()
            results = [
                measure_field(
                    typing,
                    research_before.get(typing.prospect, "") if typing.kind == RESEARCH else "",
                    stored_text(desk, typing),
                    life.killed_at,
                )
                for typing in typings(life.events).values()
            ]
            research_before = research_texts(desk, prospects)
        ready = next(e["t"] for e in life.events if e["event"] == "ready")
        yield KillResult(
            number,
            plan.moment.label,
            round(plan.delay_s, 3),
            round(ready - life.started_at, 3),
            round(life.killed_at - ready, 3),
            results,
            problems,
        )


def describe_kill(kill: KillResult, total: int) -> str:
    typing = [result for result in kill.fields if result.being_typed]
    what = ", ".join(
        f"{r.kind} ({r.rhythm}) typed {r.typed}, lost {r.lost}, "
        f"typed in the last second {r.typed_in_last_second}"
        for r in typing
    )
    after = sum(result.lost_after_leaving for result in kill.fields)
    return (
        f"kill {kill.number}/{total} {kill.moment}, {kill.alive_s:.1f} s after a "
        f"{kill.start_s:.1f} s start: "
        f"{what or 'no field being typed'}; lost after leaving a field: {after}; "
        f"integrity: {'ok' if not kill.problems else '; '.join(kill.problems)}"
    )


# -- figures and the report --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldFigures:
    kind: str
    rhythm: str
    kills: int
    worst_lost: int
    worst_beyond_allowance: int
    median_lost: float
    oldest_lost_s: float


@dataclass(frozen=True, slots=True)
class Summary:
    kills: int
    integrity_passed: int
    while_typing: list[FieldFigures]
    fields_left_before_a_kill: dict[str, int]
    lost_after_leaving: dict[str, int]
    wrong_texts: list[str]

    @property
    def promises_kept(self) -> bool:
        return (
            self.integrity_passed == self.kills
            and not any(self.lost_after_leaving.values())
            and not self.wrong_texts
            and all(figures.worst_beyond_allowance == 0 for figures in self.while_typing)
        )


def summarize(kills: Sequence[KillResult]) -> Summary:
    results = [result for kill in kills for result in kill.fields]
    while_typing = []
    for kind in TYPED_FIELDS:
        for rhythm in RHYTHMS:
            hit = [r for r in results if r.being_typed and r.kind == kind and r.rhythm == rhythm]
            if hit:
                while_typing.append(
                    FieldFigures(
                        kind,
                        rhythm,
                        len(hit),
                        max(r.lost for r in hit),
                        max(r.lost_beyond_allowance for r in hit),
                        statistics.median(r.lost for r in hit),
                        max(r.oldest_lost_s for r in hit),
                    )
                )
    left = [r for r in results if r.left_by]
    reasons = (FIELD_CHANGE, PROSPECT_SWITCH)
    return Summary(
        kills=len(kills),
        integrity_passed=sum(1 for kill in kills if not kill.problems),
        while_typing=while_typing,
        fields_left_before_a_kill={
            reason: sum(1 for r in left if r.left_by == reason) for reason in reasons
        },
        lost_after_leaving={
            reason: sum(r.lost_after_leaving for r in left if r.left_by == reason)
            for reason in reasons
        },
        wrong_texts=[
            f"kill {kill.number}, {r.field}: {r.wrong_text!r}"
            for kill in kills
            for r in kill.fields
            if r.wrong_text
        ],
    )


def git_output(*arguments: str) -> str:
    done = subprocess.run(
        ["git", *arguments], cwd=REPOSITORY, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def code_measured() -> str:
    """The commit, how far the working tree had moved on from it, and the autosave."""
    return f"{tree_version()}; ui/autosave.py at {autosave_version()}"


def tree_version() -> str:
    """The commit, and how far the working tree had moved on from it."""
    changed = git_output("status", "--short", "--", "callassist", "ui").splitlines()
    edits = f", with {counted(len(changed), 'changed file')} in callassist/ and ui/"
    return f"commit {git_output('rev-parse', '--short', 'HEAD')}{edits if changed else ''}"


def autosave_version() -> str:
    """Which ui/autosave.py was measured: its commit, local changes, and its timings."""
    from ui import autosave

    source = REPOSITORY / "ui" / "autosave.py"
    commit = git_output("log", "-1", "--format=%h", "--", str(source)) or "unknown"
    changed = " with uncommitted changes" if git_output("status", "--short", str(source)) else ""
    timings = ", ".join(
        f"{name} = {value}"
        for name, value in vars(autosave).items()
        if name.endswith("_MS") and isinstance(value, int)
    )
    digest = sha256(source.read_bytes()).hexdigest()[:12]
    return f"commit {commit}{changed} (sha256 {digest}): {timings}"


def machine() -> str:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (load average {load} at the end of the run), "
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"PySide6 {pyside_version} (Qt {qVersion()}), SQLite {sqlite3.sqlite_version}"
    )


def report_markdown(
    settings: Settings, kills: Sequence[KillResult], summary: Summary, took_s: float, code: str
) -> str:
    lines = [
        "# Crash test: what a kill costs",
        "",
        "Generated by `scripts/crashtest.py`; do not edit by hand. To regenerate:",
        "",
        "```sh",
        settings.command,
        "```",
        "",
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, "
        f"{took_s / 60:.1f} minutes for the run",
        f"- Machine: {machine()}",
        f"- Code: {code}",
        f"- Qt platform of the window: {settings.qt_platform}",
        f"- Kills: {summary.kills} (SIGKILL), seed {settings.seed}, "
        f"texts up to {settings.max_chars} characters a field",
        f"- Integrity check (`callassist check`) passed after {summary.integrity_passed} "
        f"of {summary.kills} kills",
        f"- Reopened: the window opened the database the last kill left, "
        f"{counted(summary.kills - 1, 'time')} (a window that cannot stops the run); "
        "the check opens it after each kill too",
        *(
            f"- Lost after a {reason}: "
            f"{counted(summary.lost_after_leaving[reason], 'character')} "
            f"(in {counted(summary.fields_left_before_a_kill[reason], 'field')} left "
            "before a kill)"
            for reason in (FIELD_CHANGE, PROSPECT_SWITCH)
        ),
        f"- Text in the database that is not what was typed: {len(summary.wrong_texts)}",
        "- Worst loss while typing: "
        f"{counted(max((f.worst_lost for f in summary.while_typing), default=0), 'character')}"
        ", beyond the last second of typing: "
        f"{max((f.worst_beyond_allowance for f in summary.while_typing), default=0)}",
        f"- All promises kept: {'yes' if summary.promises_kept else 'NO'}",
        "",
        "## Killed while typing",
        "",
        "Characters lost in the field being typed when the kill came. The allowance is",
        "what was typed in the last second before the kill; beyond it the promise is broken.",
        "",
        "| field | rhythm | kills | worst lost | worst lost beyond the last second "
        "| median lost | oldest lost key (s before the kill) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {f.kind} | {f.rhythm} | {f.kills} | {f.worst_lost} | {f.worst_beyond_allowance} "
        f"| {f.median_lost:g} | {f.oldest_lost_s:.2f} |"
        for f in summary.while_typing
    ]
    lines += ["", *(f"- Wrong text: {wrong}" for wrong in summary.wrong_texts)]
    if summary.wrong_texts:
        lines.append("")
    lines += [
        "## Method",
        "",
        "Each kill starts the real window (`callassist --db PATH`, built by `ui/app.py`) in a",
        "child process on the same temporary database, seeded once with the demo, with its",
        "own settings file. The child drives it only with keys sent through Qt's test",
        "functions to the focused widget, on timers, so the event loop (and the autosave's",
        "timers) runs between keys as it does for a rep: Ctrl+F and a name and Enter to open",
        "a prospect, Ctrl+Shift+R and Ctrl+End to type at the end of the research notes, F5,",
        "Ctrl+2 (and sometimes Ctrl+3) to type pains, F6, a number key and the outcome",
        "note, Enter to log. Typing is continuous (a key every 60 to 120 ms, no pause) or in",
        "bursts (3 to 12 keys, then 0.6 to 2 s of pause). The key after a field (F5, F6,",
        "Ctrl+3, Enter, Ctrl+F) comes at typing pace, so only the save on leaving can have",
        "stored the last words. The child writes each keystroke and each field change to a",
        "pipe as it happens, stamped with the system's monotonic clock; the parent reads it",
        "and stamps the kill on the same clock.",
        "",
        "Kill moments are taken in turn from: typing each field, continuously and in",
        f"bursts (a random moment within the planned typing), within {JUST_AFTER_LEAVING_S:g} s of",
        "leaving a field or of switching prospect (before a quiet-time save could store the",
        "text anyway), and a random moment anywhere in the first call. After each kill the",
        "parent copies the database files, runs the integrity check on the copy and reads",
        "back every field the child typed in; the next child opens the crashed original, so",
        "each recovery from a kill is exercised by the window itself.",
        "",
        "A field's loss is the characters typed minus those stored; the stored text must be",
        "the text before plus a beginning of what was typed, or it is counted as wrong.",
        "The outcome note is saved as it is typed to the open call (the same autosave as",
        "the other fields); a kill before Enter leaves that call without an outcome, which",
        "the day's review lists. That is not counted as a loss: the note is measured like",
        "any other field, and Enter counts as leaving it. The core trims spaces at both ends",
        "of what it stores, so trailing spaces count as stored.",
        "",
        "Limits. The keys come from timers in the window's own event loop, so when the",
        "window is slow the typing slows with it; a rep's keys would queue up instead. Runs",
        "share a 2-core machine with other work (the load is given above), which stretches",
        "timings both ways. A window that asks for F5 twice (a call to the same prospect",
        "logged minutes ago) gets it twice, as a rep would.",
        "",
        "## Every kill",
        "",
        "| # | moment | alive | field being typed | typed | stored | lost "
        "| in last second | lost after leaving | integrity |",
        "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kill in kills:
        typing = next((r for r in kill.fields if r.being_typed), None)
        figures: list[object] = (
            [
                f"{typing.kind} ({typing.rhythm})",
                typing.typed,
                typing.saved,
                typing.lost,
                typing.typed_in_last_second,
            ]
            if typing
            else ["none", "", "", "", ""]
        )
        cells = [
            kill.number,
            f"{kill.moment} (+{kill.delay_s:.2f} s)",
            f"{kill.alive_s:.1f} s",
            *figures,
            sum(r.lost_after_leaving for r in kill.fields),
            "; ".join(kill.problems) or "ok",
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/crashtest",
        description="Kill the real window with SIGKILL while it is typed into; count the loss.",
    )
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS, help="how many kills")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same run")
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help="longest text typed in a field (a third of it at least)",
    )
    parser.add_argument("--report", type=Path, help="write the Markdown report here")
    parser.add_argument("--json", type=Path, help="write every figure here, as JSON")
    parser.add_argument(
        "--platform",
        default="offscreen",
        help="Qt platform of the window: offscreen, or xcb under xvfb-run",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, plans and logs of the run"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    settings = Settings(
        arguments.kills,
        arguments.seed,
        arguments.max_chars,
        arguments.platform,
        shlex.join(["./scripts/crashtest", *argv]),
    )
    run = RunFolder(Path(tempfile.mkdtemp(prefix="callassist-crashtest-")))
    started = time.monotonic()
    # Others may commit or edit while the run goes on: the code is named as it started.
    code = code_measured()
    kills: list[KillResult] = []
    try:
        for kill in crash_test(settings, run):
            kills.append(kill)
            print(describe_kill(kill, settings.kills), flush=True)
    except CrashTestError as error:
        print(f"crashtest: {error}", file=sys.stderr)
        print(f"crashtest: the run's files are kept in {run.root}", file=sys.stderr)
        return 3
    summary = summarize(kills)
    if arguments.report:
        took = time.monotonic() - started
        now = code_measured()
        if now != code:
            code += f" (by the end of the run: {now})"
        arguments.report.write_text(report_markdown(settings, kills, summary, took, code))
        print(f"wrote {arguments.report}")
    if arguments.json:
        figures = {
            "summary": asdict(summary),
            "promises_kept": summary.promises_kept,
            "kills": [asdict(kill) for kill in kills],
        }
        arguments.json.write_text(json.dumps(figures, indent=1))
    if arguments.keep or not summary.promises_kept:
        print(f"the run's files are in {run.root}")
    else:
        shutil.rmtree(run.root)
    print(
        f"{counted(summary.kills, 'kill')}; "
        f"integrity ok {summary.integrity_passed}/{summary.kills}; "
        f"lost after leaving a field: {sum(summary.lost_after_leaving.values())}; "
        f"promises kept: {'yes' if summary.promises_kept else 'NO'}"
    )
    return 0 if summary.promises_kept else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
