"""The cadences and scripts the database holds for the desk's rep, kept between looks.

The queue and every logged call read the cadences, and every script shown reads
the scripts: reading them from the database each time would slow both. They are
read once, kept, and read again after a change that may touch them (a Changes with
cadences or scripts set, or another rep chosen), and at least once a minute, as
another program (a colleague saving the team's version) does not tell this desk.
"""

import threading
import time
from collections.abc import Callable

from callassist.changes import Changes
from callassist.stored_versions import StoredVersions, VersionKind

KEPT_FOR_SECONDS = 55.0
"""How long what was read is trusted with no change record (as the kept queue's lines)."""


class KeptVersions:
    """What ``read`` gave for each kind, until a change says it may be out of date."""

    def __init__(
        self,
        read: Callable[[VersionKind], StoredVersions],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._monotonic = monotonic
        self._kept: dict[VersionKind, tuple[StoredVersions, float]] = {}
        self._forgotten = 0
        """How many times all was forgotten: a read that started before is not kept."""
        self._lock = threading.Lock()

    def get(self, kind: VersionKind) -> StoredVersions:
        with self._lock:
            kept = self._kept.get(kind)
            forgotten = self._forgotten
        now = self._monotonic()
        if kept is not None and now - kept[1] < KEPT_FOR_SECONDS:
            return kept[0]
        versions = self._read(kind)
        with self._lock:
            if self._forgotten == forgotten:
                self._kept[kind] = (versions, now)
        return versions

    def note(self, changes: Changes) -> None:
        """Forget what ``changes`` may have made out of date."""
        if changes.scripts or changes.cadences:
            self.forget()

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._forgotten += 1
