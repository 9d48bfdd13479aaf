"""The ``callassist`` command: the core's command line, plus the window.

The core (callassist/) must not import Qt, so its command line cannot open the
window itself; this entry point hands it the function that does.
"""

import sys


def open_window(location: str | None) -> int:
    """Open the call window on the database at ``location`` (None: the default)."""
    from ui.app import run_window

    return run_window(location, sys.argv[:1])


def main() -> int:
    from callassist.cli import main as command_line

    return command_line(open_window=open_window)
