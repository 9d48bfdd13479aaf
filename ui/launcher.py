"""The ``callassist`` command: the core's command line, plus the window.

The core (callassist/) must not import Qt, so its command line cannot open the
window itself; this entry point hands it the function that does.
"""

import os
import sys
from collections.abc import Mapping

NO_DISPLAY = (
    "callassist: no display found: the window needs a desktop session. "
    "To try it on a server, use xvfb-run -a callassist; "
    "the commands (callassist --help) need no display"
)

_X11 = "xcb"
_WAYLAND = "wayland"


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """Why the window cannot open here, or None when it can (as far as we can tell).

    Without a display Qt aborts (exit 134) with a message about plugins that
    leads nowhere, so the launcher checks first. Only Linux and the BSDs use
    DISPLAY and WAYLAND_DISPLAY; other systems always have their own display.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    has_x11 = bool(environ.get("DISPLAY"))
    has_wayland = bool(environ.get("WAYLAND_DISPLAY"))
    # QT_QPA_PLATFORM is a list of fallbacks ("wayland;xcb"), each with options after ":".
    asked = [
        part.split(":", 1)[0].strip().lower()
        for part in environ.get("QT_QPA_PLATFORM", "").split(";")
        if part.strip()
    ]
    if not asked:
        return None if has_x11 or has_wayland else NO_DISPLAY
    for name in asked:
        if name == _X11:
            if has_x11:
                return None
        elif name.startswith(_WAYLAND):
            if has_wayland:
                return None
        else:
            # offscreen, minimal, vnc, eglfs, linuxfb...: they draw without an X or
            # Wayland server, and whoever asks for one knows what they are doing.
            return None
    return NO_DISPLAY


def open_window(location: str | None, rep: str | None) -> int:
    """Open the call window on the database at ``location`` (None: the default), as the
    rep with the email ``rep`` (None: see :meth:`CallDesk.open`)."""
    problem = display_problem(os.environ, sys.platform)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1

    from ui.app import run_window

    return run_window(location, sys.argv[:1], rep=rep)


def main() -> int:
    from callassist.cli import main as command_line

    return command_line(open_window=open_window)
