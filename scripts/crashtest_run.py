"""The crash test's run loop: start the window in a child, kill it at the planned moment,
and measure each kill on a copy of the database the kill left."""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from crashtest_count import KillResult, measure_field, research_texts, stored_text, typings
from crashtest_plan import RESEARCH, Event, LifePlan, Prospect, plan_life

from callassist.core import CallDesk

CHILD = Path(__file__).resolve().parent / "crashtest_child.py"

READY_TIMEOUT_S = 90.0
"""How long a child may take to open the window and reach the kill moment's event."""


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
