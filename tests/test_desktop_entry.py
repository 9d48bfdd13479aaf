"""The menu entry that setup installs."""

import configparser
import subprocess
from pathlib import Path

from ui.resources import ICON, RESOURCES

ROOT = Path(__file__).parent.parent


def test_desktop_entry_launches_callassist_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(RESOURCES / "callassist.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "callassist"
    assert section["Icon"] == ICON.stem
    assert section["Terminal"] == "false"
    assert ICON.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_setup_installs_the_entry_pointing_at_this_checkout(tmp_path):
    # Run only the desktop-entry part of setup: it is the script's tail.
    script = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    tail = script[script.index("# A menu entry and icon") :]
    subprocess.run(
        ["bash", "-euc", tail],
        cwd=ROOT,
        env={"XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    installed = (tmp_path / "applications" / "callassist.desktop").read_text(encoding="utf-8")
    assert f"Exec={ROOT}/.venv/bin/callassist\n" in installed
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "callassist.svg").exists()
