"""One rep's process in a race to save the same research notes (see
tests/core/test_edit_versions.py): it reads the notes, says "ready" with their
version, waits for "go" on its input, then saves its text on that version and
says "saved" or the refusal it met.

Run as ``python tests/edit_race_worker.py DATABASE REP_EMAIL PROSPECT_ID ANGLE``.
"""

import sys

from callassist.core import CallDesk
from callassist.errors import StaleEditError


def race(database: str, rep: str, prospect_id: int, angle: str) -> None:
    with CallDesk.open(database, rep=rep) as desk:
        seen = desk.prospect_detail(prospect_id).research.version
        print(f"ready {seen}", flush=True)
        sys.stdin.readline()
        try:
            desk.update_research(prospect_id, angle=angle, seen_version=seen)
        except StaleEditError as refused:
            print(f"refused: {refused}", flush=True)
        else:
            print("saved", flush=True)


if __name__ == "__main__":
    database, rep, prospect_id, angle = sys.argv[1:]
    race(database, rep, int(prospect_id), angle)
