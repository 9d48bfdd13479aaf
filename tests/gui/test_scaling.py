"""The window fits and reads on a high-density screen and with a large font."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCALED_CALL = Path(__file__).with_name("scaled_call.py")
FULL_HD = {"name": "1080p", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96}
"""A 1920x1080 screen, in the offscreen platform's words (its configfile option)."""
RUN_LIMIT_S = 600
"""Only so that a window that hangs fails the run instead of stopping it; a call
takes well under a minute even on a loaded machine."""


@pytest.mark.parametrize("scale", ["1.5", "2"])
def test_at_150_and_200_percent_a_call_fits_a_1080p_screen(tmp_path, scale):
    # Qt reads the scale factor and the screens once, as it starts: hence a Qt of its own.
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [FULL_HD]}))
    scaled = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": scale,
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(SCALED_CALL),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'scaled'}",
        ],
        cwd=ROOT,
        env=scaled,
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT_S,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
