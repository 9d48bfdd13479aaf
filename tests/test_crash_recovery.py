"""The crash test, short: the real window killed five times while typed into.

The full run (``./scripts/crashtest``, figures in docs/reliability.md) kills it
54 times. This one aims one kill at each kind of moment that matters, with
short texts to stay inside the CI budget, and checks the promises.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

CRASH_TEST = Path(__file__).resolve().parents[1] / "scripts" / "crashtest.py"
KILLS = 5
SEED = 84
"""Its two kills during continuous typing land more than a second into it, where only
the save that comes at least once a second keeps the loss inside the promise."""


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    written = tmp_path_factory.mktemp("crashtest") / "figures.json"
    run = subprocess.run(
        [
            sys.executable,
            str(CRASH_TEST),
            *("--kills", str(KILLS), "--seed", str(SEED), "--max-chars", "24"),
            *("--json", str(written)),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    # 1 is a broken promise, which the tests below name; anything else is the harness.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    return json.loads(written.read_text())


def test_the_kills_land_while_typing_each_field_and_after_leaving_one(figures):
    fields = [field for kill in figures["kills"] for field in kill["fields"]]
    typing = [field for field in fields if field["being_typed"]]
    assert {field["kind"] for field in typing} == {"research notes", "pain", "outcome note"}
    assert {field["left_by"] for field in fields} >= {"field change", "prospect switch"}
    # Typing that began over a second before the kill; if this fails after a change to
    # the demo or the plans, pick a seed that brings it back.
    assert any(field["typed"] > field["typed_in_last_second"] for field in typing)


def test_the_database_passes_its_integrity_check_after_every_kill(figures):
    assert [kill["problems"] for kill in figures["kills"]] == [[]] * KILLS


def test_nothing_typed_before_a_field_change_or_a_prospect_switch_is_lost(figures):
    summary = figures["summary"]
    assert summary["lost_after_leaving"] == {"field change": 0, "prospect switch": 0}
    assert summary["wrong_texts"] == []


def test_a_kill_while_typing_loses_at_most_the_last_second_of_typing(figures):
    over = [
        (kill["number"], field)
        for kill in figures["kills"]
        for field in kill["fields"]
        if field["lost_beyond_allowance"]
    ]
    assert over == []
