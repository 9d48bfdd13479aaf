"""A few of issue 10's hostile inputs, through the real command line, with the other tests.

The full list (``./scripts/hostile``, results in docs/reliability.md) takes about
two minutes; these stand for its kinds: a file export must not replace, a broken
cadence file, a bad value stored behind callassist's back, a CSV that would
fool the import, an endless file, a time that does not exist, a closed stdout.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parents[1] / "scripts" / "hostile.py"
QUICK = [
    "export-symlink",
    "wait-enroll",
    "profile-zone-log",
    "csv-unclosed-quote",
    "import-dev-zero",
    "at-dst-gap",
    "limit-64-bits",
    "closed-stdout",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    written = tmp_path_factory.mktemp("hostile") / "results.json"
    run = subprocess.run(
        [sys.executable, str(HOSTILE), "--only", *QUICK, "--json", str(written)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    # 1 is an input that did not hold, which the tests below name; anything else is the harness.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    return {result["key"]: result for result in json.loads(written.read_text())}


def test_every_chosen_input_ran(results):
    assert sorted(results) == sorted(QUICK)
    assert [key for key, result in results.items() if result["skipped"]] == []


@pytest.mark.parametrize("key", QUICK)
def test_the_input_gets_one_line_no_traceback_and_loses_nothing(results, key):
    result = results[key]
    assert not result["traceback"], result
    assert result["kept"], result["data"]
    assert result["status"] == result["expected_status"], result
    assert result["problems"] == []
    assert result["held"]
    if result["status"] != 0:
        assert result["first_line"].startswith("callassist: "), result["first_line"]
