"""Icons and desktop files shipped with the window."""

from pathlib import Path

RESOURCES = Path(__file__).parent
ICON = RESOURCES / "callassist.svg"
