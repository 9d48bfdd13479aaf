"""Hostile inputs: feed the command line what issue 10 found, check it holds.

Run it as ``./scripts/hostile`` (``--help`` lists the options). It loads the
demo into a temporary database once; each input then gets a folder of its own
with a copy of that database and its own XDG folders (so a cadence file or a
script written for one input reaches no other), and runs ``callassist`` as a
real subprocess, each with a time limit. For each input it records the exit
status, the first line of stderr, whether a traceback appeared, and what became
of the data: the SQL dump of every table before and after (or the rows, files
and modes that input is about). An input holds when the status is the one
expected, no traceback appeared and nothing was lost or changed beyond what the
command was asked to do; the script exits with 0 only when every input held.

The inputs are written in hostile_inputs_data.py and hostile_inputs_commands.py,
the folder each runs in in hostile_bench.py, the report in hostile_report.py.
"""

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import hostile_inputs_commands
import hostile_inputs_data
from hostile_bench import (
    COMMAND,
    TIME_LIMIT_S,
    Bench,
    CannotRunHereError,
    Case,
    HarnessError,
)
from hostile_report import REPORT_BEGIN, REPORT_END, Result, describe, report_markdown
from report_section import write_section

CASES = [*hostile_inputs_data.CATALOGUE.cases, *hostile_inputs_commands.CATALOGUE.cases]
"""Every input, in the order they run and are reported."""
TRACEBACK = "Traceback (most recent call last)"


# -- running them ----------------------------------------------------------------------


def make_demo(root: Path) -> Path:
    """The demo, with the rep in Chicago (daylight saving time), made once."""
    demo = root / "demo.sqlite"
    bench_env = {
        **{name: value for name, value in os.environ.items() if name != "CALLASSIST_DB"},
        "XDG_DATA_HOME": str(root / "xdg-data"),
        "XDG_CONFIG_HOME": str(root / "xdg-config"),
    }
    for argv in (["demo"], ["profile", "--timezone", "America/Chicago"]):
        made = subprocess.run(
            [str(COMMAND), "--db", str(demo), *argv],
            capture_output=True,
            text=True,
            env=bench_env,
            timeout=TIME_LIMIT_S,
        )
        if made.returncode != 0:
            raise HarnessError(f"callassist {shlex.join(argv)}: {made.stderr.strip()}")
    connection = sqlite3.connect(demo)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # one file to copy
    connection.close()
    return demo


def judge(one: Case, root: Path, demo: Path, number: int) -> Result:
    bench = Bench(root / f"{number:02d}-{one.key}", demo)
    result = Result(one.key, one.group, one.name, "", one.expected_status)
    try:
        outcome = one.run(bench)
    except CannotRunHereError as reason:
        result.skipped = str(reason)
        return result
    ran = outcome.ran
    result.command = ran.shown
    result.status = ran.status
    result.first_line = bench.short(ran.err.splitlines()[0]) if ran.err.strip() else ""
    result.traceback = TRACEBACK in ran.err
    result.kept = outcome.kept
    result.data = outcome.data
    if ran.status is None:
        result.problems.append(f"still running after {TIME_LIMIT_S} s")
    elif ran.status != one.expected_status:
        result.problems.append(f"status {ran.status}, not {one.expected_status}")
    if result.traceback:
        result.problems.append("a traceback")
    if not outcome.kept:
        result.problems.append("data lost or changed")
    if one.words is not None and one.words not in ran.err:
        result.problems.append(f"stderr does not say {one.words!r}")
    return result


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/hostile",
        description="Run issue 10's hostile inputs against the command line; report each.",
    )
    parser.add_argument("--report", type=Path, help="write the Markdown section here")
    parser.add_argument("--json", type=Path, help="write every result here, as JSON")
    parser.add_argument(
        "--only", nargs="+", metavar="KEY", help="run these inputs only (see --list)"
    )
    parser.add_argument("--list", action="store_true", help="list the inputs' keys and stop")
    parser.add_argument("--keep", action="store_true", help="keep the inputs' folders")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    arguments = parse_arguments(argv)
    if arguments.list:
        for one in CASES:
            print(f"{one.key:24} {one.group}: {one.name}")
        return 0
    chosen = CASES
    if arguments.only:
        unknown = set(arguments.only) - {one.key for one in CASES}
        if unknown:
            print(f"hostile: no input {', '.join(sorted(unknown))} (--list)", file=sys.stderr)
            return 2
        chosen = [one for one in CASES if one.key in arguments.only]
    root = Path(tempfile.mkdtemp(prefix="callassist-hostile-"))
    started = time.monotonic()
    results: list[Result] = []
    try:
        demo = make_demo(root)
        for number, one in enumerate(chosen, start=1):
            results.append(judge(one, root, demo, number))
            print(describe(results[-1]), flush=True)
    except HarnessError as error:
        print(f"hostile: {error}", file=sys.stderr)
        print(f"hostile: the run's files are kept in {root}", file=sys.stderr)
        return 3
    failed = [result for result in results if not result.held]
    if arguments.report:
        command = shlex.join(["./scripts/hostile", *argv])
        body = report_markdown(results, command, time.monotonic() - started)
        write_section(arguments.report, REPORT_BEGIN, REPORT_END, body)
        print(f"wrote {arguments.report}")
    if arguments.json:
        figures = [{**asdict(result), "held": result.held} for result in results]
        arguments.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if arguments.keep or failed:
        print(f"the inputs' folders are in {root}")
    else:
        shutil.rmtree(root)
    print(f"{len(results)} inputs; held {len(results) - len(failed)}; failed {len(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
