"""Follow-up cadences as data, and the engine that works out each prospect's next step.

A cadence is a TOML file: a title and a list of steps. Each step has an
``action`` (call, email or move_on), a ``wait`` before it, counted from the
previous attempt ("none", "24 hours", "1 day", "2-3 days", "3 business days",
a year at most), ``leave_message`` and the ``script`` to use (one that exists,
when the library is told which do), and an optional ``skip_if_title``
list of roles (the step is skipped for a prospect whose title holds one of
them, read as callassist.titles reads titles: "Vice President" is not a
president). ``rotate_time_of_day = true`` moves each call to another part of the day
than the one before.

The bundled cadences live in callassist/cadences/; the rep's own in their config
folder (a file of the same name replaces the bundled one). A broken file is
reported with its name and step and left out; the others keep working.

The engine is plain functions of the history: every attempt since enrollment
without a reply uses up one step, a reply or a final outcome ends the cadence,
and a due move-on step means the prospect is moved on.

A wait given as a range ("2-3 days", as the method says it) is a window: the
step falls due on its lower bound, in the first working hours from then, and
is late once the last day of its upper bound has ended (:attr:`NextStep.late_after`).
So "every 2-3 days" calls as soon as the method allows, and a call put off to
the fourth day has missed the rhythm the method asks for.
"""

import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple, Protocol

from callassist.errors import KnownError
from callassist.stored_versions import StoredVersion, StoredVersions
from callassist.titles import holds_role
from callassist.vocabulary import Outcome
from callassist.workdays import ROTATION, Office, PartOfDay, Reach, working_days_from

BUNDLED_CADENCES = Path(str(files("callassist.cadences")))


class StepAction(StrEnum):
    """What a step asks the rep to do."""

    CALL = "call"
    EMAIL = "email"
    MOVE_ON = "move_on"


ENDING_OUTCOMES = frozenset(
    {
        Outcome.CONNECTED,
        Outcome.RESCHEDULED,
        Outcome.NOT_INTERESTED,
        Outcome.WRONG_PERSON,
        Outcome.BAD_NUMBER,
    }
)
"""Outcomes that end a cadence: a real reply, or a reason to stop."""

STEP_OUTCOMES = frozenset({Outcome.VOICEMAIL_LEFT, Outcome.NO_ANSWER, Outcome.EMAIL_SENT})
"""Outcomes that use up a step without a reply."""

_WAIT = re.compile(
    r"^\s*(?P<low>\d+)\s*(?:-\s*(?P<high>\d+)\s*)?(?P<unit>hours?|days?|business\s+days?)\s*$",
    re.IGNORECASE,
)
_LONGEST_WAIT = {"hours": 365 * 24, "days": 365, "business days": 261}
"""A year in each unit a wait can be counted in (52 weeks of 5 working days, and one)."""
_STEP_KEYS = {"action", "wait", "leave_message", "script", "skip_if_title", "prompt"}
_CADENCE_KEYS = {"title", "description", "rotate_time_of_day", "steps"}


class CadenceError(KnownError):
    """A cadence file that cannot be used, with the file and step to fix."""


@dataclass(frozen=True, slots=True)
class Wait:
    """How long to wait before a step: a fixed span or a range (``2-3 days``)."""

    low: int = 0
    high: int = 0
    unit: str = "hours"
    """"hours", "days" or "business days"."""

    def __str__(self) -> str:
        if self.low == self.high == 0:
            return "none"
        amount = f"{self.low}" if self.low == self.high else f"{self.low}-{self.high}"
        unit = self.unit if self.high != 1 else self.unit.removesuffix("s")
        return f"{amount} {unit}"

    def earliest(self, after: datetime, office: Office) -> datetime:
        """The first moment the step may be done, ``after`` the previous attempt.

        Hours are counted on the clock; days on the calendar of the prospect's
        office, from the start of the day (business days skip their weekends
        and public holidays). "Call tomorrow" after a 4 p.m. call means any
        time tomorrow, not after 4 p.m., so the time-of-day rotation can still
        move the call to the morning without losing a day.
        """
        if self.unit == "hours":
            return after + timedelta(hours=self.low)
        return datetime.combine(self._day(self.low, after, office), time.min, office.zone)

    def latest(self, after: datetime, office: Office) -> datetime:
        """When the wait's upper bound has passed: the end of its last day, or its last hour."""
        if self.unit == "hours":
            return after + timedelta(hours=self.high)
        last_day = self._day(self.high, after, office)
        return datetime.combine(last_day + timedelta(days=1), time.min, office.zone)

    def _day(self, count: int, after: datetime, office: Office) -> date:
        """The day ``count`` days (or business days) after the day of ``after``."""
        day = after.astimezone(office.zone).date()
        if self.unit == "days":
            return day + timedelta(days=count)
        return working_days_from(day, count, office.country)


def parse_wait(text: str) -> Wait:
    """Read "none", "24 hours", "2-3 days" or "3 business days"; ValueError otherwise."""
    if text.strip().lower() in ("none", "0", ""):
        return Wait()
    match = _WAIT.match(text)
    if match is None:
        raise ValueError(f"wait {text!r} is not like '24 hours', '2-3 days' or '3 business days'")
    unit = " ".join(match["unit"].lower().split())
    unit = unit if unit.endswith("s") else unit + "s"
    longest = _LONGEST_WAIT[unit]
    # Compared as text first: a number of thousands of digits is no int to build.
    if any(len(digits) > len(str(longest)) for digits in (match["low"], match["high"] or "")):
        raise ValueError(f"wait {text!r} is longer than a year (at most {longest} {unit})")
    low = int(match["low"])
    high = int(match["high"] or low)
    if high < low:
        raise ValueError(f"wait {text!r} ends before it starts")
    if high > longest:
        raise ValueError(f"wait {text!r} is longer than a year (at most {longest} {unit})")
    return Wait(low, high, unit)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a cadence."""

    number: int
    """1-based position in the file."""
    action: StepAction
    wait: Wait
    leave_message: bool
    script: str | None
    skip_if_title: tuple[str, ...] = ()
    prompt: str = ""

    def applies_to(self, title: str) -> bool:
        """False when the prospect's title holds one of the skip roles (owner, CEO...)."""
        if not self.skip_if_title:
            return True  # most steps: no need to read the title
        return not holds_role(title, self.skip_if_title)


@dataclass(frozen=True, slots=True)
class Cadence:
    """A named list of steps."""

    name: str
    title: str
    description: str
    steps: tuple[Step, ...]
    rotate_time_of_day: bool = False
    origin: str = "bundled"
    """"bundled", "team" (the team's version) or "user" (the rep's own)."""
    source: str = field(default="", compare=False, repr=False)
    """The TOML it was read from."""
    _steps_by_title: dict[str, tuple[Step, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """:meth:`steps_for` of each title met: a queue asks for thousands of prospects
    sharing a few titles, and reading a title for its roles is the costly part."""

    def steps_for(self, title: str) -> tuple[Step, ...]:
        """The steps this prospect goes through (skipped ones left out)."""
        steps = self._steps_by_title.get(title)
        if steps is None:
            steps = tuple(step for step in self.steps if step.applies_to(title))
            self._steps_by_title[title] = steps
        return steps


class FollowedCadences(dict[str, Cadence]):
    """The cadences a rep follows, by name, and the cadences enrollments made by other reps
    in versions of their own follow (see :meth:`of_enrollment`)."""

    def __init__(
        self,
        by_name: Mapping[str, Cadence] | None = None,
        enrollers: Mapping[tuple[int, str], Cadence] | None = None,
    ) -> None:
        super().__init__(by_name or {})
        self.enrollers: Mapping[tuple[int, str], Cadence] = enrollers or {}
        """Other reps' own versions, by (rep id, name)."""

    def of_enrollment(self, name: str, enrolled_by: int | None) -> Cadence | None:
        """The cadence an enrollment in ``name`` made by the rep ``enrolled_by`` follows: the
        rep's own lookup first; a name it does not know is the enrolling rep's own version,
        so a colleague's prospect never drops out of the queue. None when neither has it."""
        found = self.get(name)
        if found is None and enrolled_by is not None:
            return self.enrollers.get((enrolled_by, name))
        return found

    def __eq__(self, other: object) -> bool:
        # The kept queue compares what its lines were worked out with.
        return (
            isinstance(other, FollowedCadences)
            and dict.__eq__(self, other) is True
            and self.enrollers == other.enrollers
        )

    __hash__ = None


def load_cadence(
    path: Path, origin: str = "bundled", scripts: Collection[str] | None = None
) -> Cadence:
    """Read one cadence file; CadenceError names the file and the step on any problem.

    ``scripts``: the names of the scripts that exist; a step naming another is a
    problem. None skips the check.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CadenceError(f"cadence {path.name}: cannot be read ({error})") from error
    return read_cadence(path.name.removesuffix(".toml"), text, origin, scripts)


def read_cadence(
    name: str, text: str, origin: str = "bundled", scripts: Collection[str] | None = None
) -> Cadence:
    """The cadence ``name`` from its TOML ``text`` (a file's, or one kept in the database);
    CadenceError names it as the file ``name``.toml and the step on any problem."""
    where = f"{name}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CadenceError(f"cadence {where}: not valid TOML ({error})") from error
    unknown = set(data) - _CADENCE_KEYS
    if unknown:
        raise CadenceError(f"cadence {where}: unknown setting(s) {', '.join(sorted(unknown))}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CadenceError(f"cadence {where}: needs a title")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise CadenceError(f"cadence {where}: needs at least one [[steps]]")
    steps = tuple(
        _read_step(where, number, raw, scripts) for number, raw in enumerate(raw_steps, start=1)
    )
    if any(step.action is StepAction.MOVE_ON for step in steps[:-1]):
        raise CadenceError(f"cadence {where}: only the last step can be move_on")
    return Cadence(
        name=name,
        title=title.strip(),
        description=str(data.get("description", "")).strip(),
        steps=steps,
        rotate_time_of_day=bool(data.get("rotate_time_of_day", False)),
        origin=origin,
        source=text,
    )


def _read_step(where: str, number: int, raw: object, scripts: Collection[str] | None) -> Step:
    def problem(text: str) -> CadenceError:
        return CadenceError(f"cadence {where}, step {number}: {text}")

    if not isinstance(raw, dict):
        raise problem("is not a table of settings")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise problem(f"unknown setting(s) {', '.join(sorted(unknown))}")
    try:
        action = StepAction(raw.get("action", ""))
    except ValueError:
        raise problem(
            f"action {raw.get('action')!r} is not one of {', '.join(a.value for a in StepAction)}"
        ) from None
    try:
        wait = parse_wait(str(raw.get("wait", "none")))
    except ValueError as error:
        raise problem(str(error)) from None
    leave_message = raw.get("leave_message", action is StepAction.EMAIL)
    if not isinstance(leave_message, bool):
        raise problem("leave_message must be true or false")
    script = raw.get("script")
    if script is not None and (not isinstance(script, str) or not script.strip()):
        raise problem("script must be a script name")
    if script is not None and scripts is not None and script.strip() not in scripts:
        raise problem(f"there is no script {script.strip()!r} (see `callassist scripts`)")
    if action is StepAction.EMAIL and script is None:
        raise problem("an email step needs a script")
    if leave_message and action is StepAction.CALL and script is None:
        raise problem("a call that leaves a message needs a script")
    skip = raw.get("skip_if_title", [])
    if not isinstance(skip, list) or not all(isinstance(word, str) for word in skip):
        raise problem("skip_if_title must be a list of words")
    return Step(
        number=number,
        action=action,
        wait=wait,
        leave_message=leave_message,
        script=script.strip() if script else None,
        skip_if_title=tuple(word.strip().lower() for word in skip if word.strip()),
        prompt=str(raw.get("prompt", "")).strip(),
    )


class _FileState(NamedTuple):
    """What a cadence's reading depends on: its text as it is, where it comes from, and the
    scripts that exist."""

    path: Path
    origin: str
    content: bytes
    scripts: frozenset[str] | None


class CadenceLibrary:
    """The bundled cadences, the team's, and the rep's own (theirs win by name).

    ``script_names`` gives the scripts a step may name, read again at each load
    since the rep adds and removes scripts while the app runs; None skips the check.
    ``stored`` gives what the database holds (see :mod:`callassist.stored_versions`):
    a name is looked up in the rep's own version, then in a file of ``user_dir`` not
    brought into the database yet, then in the team's, then in the bundled file.
    """

    def __init__(
        self,
        user_dir: Path | None,
        bundled_dir: Path = BUNDLED_CADENCES,
        script_names: Callable[[], Collection[str]] | None = None,
        stored: Callable[[], StoredVersions] | None = None,
    ) -> None:
        self.user_dir = user_dir
        self.bundled_dir = bundled_dir
        self.script_names = script_names
        self.stored = stored
        self._read: dict[_FileState, Cadence | CadenceError] = {}
        """Each cadence as last read, by its state: the queue loads the library every minute,
        and a text parsed again only when it changed keeps its :meth:`Cadence.steps_for`."""
        self._read_enrollers: dict[tuple[int, str, str], Cadence | CadenceError] = {}
        """Other reps' own versions as last read (see :meth:`followed`), by rep, name and text."""

    def load(self) -> tuple[dict[str, Cadence], list[CadenceError]]:
        """Every usable cadence by name, and the problems of the files left out."""
        cadences, problems = self._load_named()
        return cadences, [error for _, error in problems]

    def folder_files(self) -> list[Path]:
        """The cadence files of the rep's folder not brought into the database yet."""
        if self.user_dir is None or not self.user_dir.is_dir():
            return []
        imported = self.stored().imported_files if self.stored is not None else frozenset()
        return [path for path in sorted(self.user_dir.glob("*.toml")) if path.name not in imported]

    def _load_named(self) -> tuple[dict[str, Cadence], list[tuple[str, CadenceError]]]:
        """:meth:`load`, each problem with the name of the cadence its file holds."""
        cadences: dict[str, Cadence] = {}
        problems: list[tuple[str, CadenceError]] = []
        scripts = self.script_names() if self.script_names is not None else None
        stored = self.stored() if self.stored is not None else StoredVersions()
        known_scripts = frozenset(scripts) if scripts is not None else None
        read: dict[_FileState, Cadence | CadenceError] = {}
        # Later texts win by name: bundled, the team's, the folder's, the rep's own.
        texts = [
            *_file_texts(sorted(self.bundled_dir.glob("*.toml")), "bundled"),
            *_stored_texts(stored.team.values(), "team"),
            *_file_texts(self.folder_files(), "user"),
            *_stored_texts(stored.own.values(), "user"),
        ]
        for path, origin, content, in_database in texts:
            state = (
                _FileState(path, origin, content, known_scripts) if content is not None else None
            )
            found = self._read.get(state) if state is not None else None
            if found is None:
                try:
                    found = (
                        read_cadence(path.stem, content.decode("utf-8"), origin, scripts)
                        if in_database and content is not None
                        else load_cadence(path, origin, scripts)
                    )
                except CadenceError as error:
                    found = error
            if state is not None:
                read[state] = found
            if isinstance(found, CadenceError):
                problems.append((path.name.removesuffix(".toml"), found))
                continue
            cadences[found.name] = found
        # Only the texts of this load are kept: an edited one's old state is dropped.
        self._read = read
        return cadences, problems

    def followed(self) -> FollowedCadences:
        """Every usable cadence by name (as :meth:`load`), and the other reps' own versions
        their enrollments follow."""
        by_name, _ = self._load_named()
        stored = self.stored() if self.stored is not None else StoredVersions()
        enrollers: dict[tuple[int, str], Cadence] = {}
        read: dict[tuple[int, str, str], Cadence | CadenceError] = {}
        for (rep_id, name), version in stored.enrollers.items():
            key = (rep_id, name, version.source)
            found = self._read_enrollers.get(key)
            if found is None:
                try:
                    # Their own version may name their own scripts: not checked here.
                    found = read_cadence(name, version.source, "user")
                except CadenceError as error:
                    found = error
            read[key] = found
            if isinstance(found, Cadence):
                enrollers[(rep_id, name)] = found
        self._read_enrollers = read
        return FollowedCadences(by_name, enrollers)

    def get(self, name: str) -> Cadence:
        """The cadence called ``name``; CadenceError says why it cannot be used."""
        cadences, problems = self._load_named()
        broken = [error for broken_name, error in problems if broken_name == name]
        if name not in cadences and broken:
            raise broken[-1]
        if name not in cadences:
            known = ", ".join(sorted(cadences)) or "none"
            raise CadenceError(f"no cadence named {name!r} (there are: {known})")
        return cadences[name]


_Text = tuple[Path, str, bytes | None, bool]
"""A cadence's file (a bare name for one kept in the database), origin, text (None when
the file cannot be read) and whether it is kept in the database."""


def _file_texts(paths: Iterable[Path], origin: str) -> list[_Text]:
    texts: list[_Text] = []
    for path in paths:
        try:
            # Its bytes, not its time stamp: two saves within the file
            # system's clock tick must not pass for one.
            texts.append((path, origin, path.read_bytes(), False))
        except OSError:
            texts.append((path, origin, None, False))  # unreadable: load_cadence says why
    return texts


def _stored_texts(versions: Iterable[StoredVersion], origin: str) -> list[_Text]:
    return [(Path(f"{v.name}.toml"), origin, v.source.encode("utf-8"), True) for v in versions]


# -- the engine ----------------------------------------------------------------


class CadenceState(StrEnum):
    """Where a prospect stands in their cadence."""

    ACTIVE = "active"
    REPLIED = "replied"
    STOPPED = "stopped"
    """Not interested, wrong person or bad number."""
    MOVED_ON = "moved_on"


@dataclass(frozen=True, slots=True)
class NextStep:
    """What to do next for a prospect in a cadence, and when."""

    step: Step
    step_index: int
    """1-based position among the steps this prospect goes through."""
    due_at: datetime
    attempt: int
    """The number this attempt will have (calls and emails since enrollment, plus one)."""
    late_after: datetime
    """When the step is late: once the last day its wait allows is over ("2-3 days" after
    a Tuesday call: the end of Friday), and never before the end of the day it is due."""


class Dialled(Protocol):
    """What the engine reads of an attempt: when it was, and what came of it.

    An :class:`~callassist.records.AttemptRecord` is one; the queue passes
    lighter rows, since it reads the attempts of thousands of prospects.
    """

    @property
    def at(self) -> datetime: ...

    @property
    def outcome(self) -> Outcome | None: ...


@dataclass(frozen=True, slots=True)
class Progress:
    """The engine's answer for one prospect."""

    state: CadenceState
    next_step: NextStep | None
    """None once the cadence has ended."""
    ended_at: datetime | None = None


def work_out(
    cadence: Cadence,
    *,
    title: str,
    enrolled_at: datetime,
    attempts: Sequence[Dialled],
    reach: Reach,
    now: datetime,
) -> Progress:
    """The prospect's progress through ``cadence`` from their attempts since enrollment.

    ``attempts`` may be in any order and may include older ones; only those at or
    after ``enrolled_at`` with an outcome count. A due move-on step means the
    prospect is moved on at its due time. Steps fall due in the windows of
    ``reach``: where the prospect's working hours and the rep's meet.
    """
    history = sorted(
        (a for a in attempts if a.at >= enrolled_at and a.outcome is not None), key=lambda a: a.at
    )
    steps = cadence.steps_for(title)
    done = 0
    previous_at = enrolled_at
    previous_call_at: datetime | None = None
    for attempt in history:
        assert attempt.outcome is not None
        if attempt.outcome in ENDING_OUTCOMES:
            state = (
                CadenceState.REPLIED if attempt.outcome.is_conversation else CadenceState.STOPPED
            )
            return Progress(state, None, ended_at=attempt.at)
        if attempt.outcome in STEP_OUTCOMES:
            done += 1
            previous_at = attempt.at
            if attempt.outcome is not Outcome.EMAIL_SENT:
                previous_call_at = attempt.at
    if done >= len(steps):
        # Every step was worked (more attempts than steps): nothing left but to move on.
        return Progress(CadenceState.MOVED_ON, None, ended_at=previous_at)
    step = steps[done]
    earliest = step.wait.earliest(previous_at, reach.prospect)
    latest = step.wait.latest(previous_at, reach.prospect)
    if step.action is StepAction.MOVE_ON:
        # Moving on is decided in working hours too: not at midnight on a Sunday.
        due = _within_hours(earliest, reach)
        if due <= now:
            return Progress(CadenceState.MOVED_ON, None, ended_at=due)
    elif (
        cadence.rotate_time_of_day
        and step.action is StepAction.CALL
        and previous_call_at is not None
    ):
        # Only the last call's part of the day rotates the next: worked out once, here.
        due = _rotated(earliest, reach.part_of_day(previous_call_at), reach)
    else:
        due = _within_hours(earliest, reach)
    # Days off can push the call past its window: it is then late after the day it falls on.
    due_day_over = datetime.combine(
        due.astimezone(reach.prospect.zone).date() + timedelta(days=1),
        time.min,
        reach.prospect.zone,
    )
    return Progress(
        CadenceState.ACTIVE,
        NextStep(step, done + 1, due, attempt=done + 1, late_after=max(latest, due_day_over)),
    )


@dataclass(frozen=True, slots=True)
class _MessageLeft:
    """A voicemail about to be left: the attempt :func:`next_call_after_message` imagines."""

    at: datetime
    outcome: Outcome | None = Outcome.VOICEMAIL_LEFT


def next_call_after_message(
    cadence: Cadence,
    *,
    title: str,
    enrolled_at: datetime,
    attempts: Sequence[Dialled],
    reach: Reach,
    left_at: datetime,
) -> datetime | None:
    """When the cadence's next call falls if a voicemail is left at ``left_at``.

    A message that promises the next call ("I'll try you again Monday") must
    name the day the engine will really put it on, so the engine is asked, with
    the message counted as logged. None when no call follows it.
    """
    progress = work_out(
        cadence,
        title=title,
        enrolled_at=enrolled_at,
        attempts=[*attempts, _MessageLeft(left_at)],
        reach=reach,
        now=left_at,
    )
    step = progress.next_step
    if step is None or step.step.action is not StepAction.CALL:
        return None
    return step.due_at


def next_working_day(after: date, office: Office) -> date:
    """The first working day after ``after``: when a promised call falls with no cadence to say."""
    return working_days_from(after, 1, office.country)


def _within_hours(moment: datetime, reach: Reach) -> datetime:
    """``moment`` (to the minute), or the start of the first window after it."""
    window = next(reach.windows_after(moment))
    return max(window.start, moment.replace(second=0, microsecond=0)).astimezone(
        reach.prospect.zone
    )


def _rotated(earliest: datetime, previous: PartOfDay, reach: Reach) -> datetime:
    """The next part of the day after ``previous``, in the first window it fits."""
    part = ROTATION[(ROTATION.index(previous) + 1) % len(ROTATION)]
    slots = (window.slot(part) for window in reach.windows_after(earliest))
    return next(slot for slot in slots if slot >= earliest)
