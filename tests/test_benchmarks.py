"""The benchmark command still runs end to end: CI's smoke run at the smallest size.

No timing is asserted (timings belong in docs/performance.md, not in tests);
what is checked is that every row was measured and reported.
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROWS = (
    "`callassist --version`",
    "`callassist --help`",
    "window first paint",
    "keystroke in the search box -> list updated",
    "longest window stall during a call by keys",
    "`callassist prospects`: first line",
    "`callassist prospects`: all",
    "import of 10,000 CSV rows",
    "phone lookup",
    "search as typed",
    "today's queue, 2,000 in a cadence",
    "review of one day",
    "open a prospect with 5,000 attempts",
    "render a voicemail",
)


def test_the_benchmarks_measure_every_row_at_the_smallest_size(tmp_path: Path) -> None:
    output = tmp_path / "performance.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.run",
            "--sizes",
            "10k",
            "--pairs",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    table = [line for line in output.read_text().splitlines() if line.startswith("| ")]
    for name in ROWS:
        (row,) = [line for line in table if line.startswith(f"| {name}")]
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(r"[\d.]+ m?s", cells[1]), row
        assert re.fullmatch(r"[\d.]+x", cells[5]), row
        assert cells[7] in {"yes", "**no**"}, row


def test_a_row_that_misses_its_budget_is_reported_with_its_reason_or_as_unexplained(
    monkeypatch, tmp_path: Path
) -> None:
    from benchmarks import run
    from benchmarks.pairs import Pairs

    reasons = tmp_path / "why_not_held.toml"
    reasons.write_text('"render a voicemail" = "the sandbox checks every attribute."\n')
    monkeypatch.setattr(run, "WHY_NOT_HELD", reasons)
    twice = run.Budget("at most 2x the floor", max_ratio=2)
    slow, quick = Pairs((3.0,), (1.0,)), Pairs((1.0,), (1.0,))
    results = {
        "10k": [
            run.Row("render a voicemail (its context given)", "plain", twice, slow),
            run.Row("phone lookup", "plain", twice, slow),
            run.Row("today's queue", "plain", twice, quick),
        ],
        "100k": [run.Row("render a voicemail (its context given)", "plain", twice, slow)],
    }

    text = run.report(results, pairs=1, took=60)

    why = text.split("## Budgets not met, and why")[1].split("##")[0]
    assert (
        "- **render a voicemail (its context given)** (10k, 100k): "
        "the sandbox checks every attribute." in why
    )
    assert "- **phone lookup** (10k): not explained yet" in why
    assert "today's queue" not in why
