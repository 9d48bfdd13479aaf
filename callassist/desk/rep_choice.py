"""Which rep uses this computer, for each database: remembered in the user's config folder.

The window keeps its settings through Qt; this file is read by the command line
too, so it is plain JSON: ``{"reps": {database: email}}``. A database is named as
:meth:`DeskBase.describe` names it (a file's path, or its URL without password).
"""

import json
import os
from pathlib import Path

from callassist import paths

REP_VARIABLE = "CALLASSIST_REP"


def chosen_reps_file() -> Path:
    return paths.config_dir() / "reps.json"


def asked_rep(asked: str | None, database: str) -> str | None:
    """The rep asked for: ``--rep``, else $CALLASSIST_REP, else the one remembered."""
    return asked or os.environ.get(REP_VARIABLE) or remembered_rep(database)


def remembered_rep(database: str) -> str | None:
    """The email remembered for ``database`` on this computer, or None."""
    email = _remembered().get(database)
    return email if isinstance(email, str) and email else None


def remember_rep(database: str, email: str) -> None:
    """Remember ``email`` as the rep using ``database`` on this computer."""
    remembered = _remembered()
    remembered[database] = email
    paths.private_folder(chosen_reps_file().parent)
    paths.write_private(
        chosen_reps_file(),
        json.dumps({"reps": remembered}, indent=2, ensure_ascii=False).encode(),
    )


def _remembered() -> dict[str, object]:
    # A file that cannot be read or is not ours counts as nothing remembered: the
    # rep is then asked again, and the next choice writes it anew.
    try:
        content = json.loads(chosen_reps_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    reps = content.get("reps") if isinstance(content, dict) else None
    return dict(reps) if isinstance(reps, dict) else {}
