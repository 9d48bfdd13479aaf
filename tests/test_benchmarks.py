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
