"""What the desk reads often and the database seldom changes, kept between reads.

The queue and every logged call read the cadences, every script shown reads the
scripts, and every caller's number is read in the region of each country the
stored numbers are in: reading them from the database each time would slow all
three. They are read once, kept, and read again after a change that may touch
them (see each one's ``stale``, or another rep chosen), and at least once a
minute, as another program (a colleague saving the team's version, an import in
another window) does not always tell this desk.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from callassist.changes import Changes

KEPT_FOR_SECONDS = 55.0
"""How long what was read is trusted with no change record (as the kept queue's lines)."""

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class KeptReads(Generic[Key, Value]):
    """What ``read`` gave for each key, until a change ``stale`` names says it may be out
    of date."""

    def __init__(
        self,
        read: Callable[[Key], Value],
        stale: Callable[[Changes], bool],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._stale = stale
        self._monotonic = monotonic
        self._kept: dict[Key, tuple[Value, float]] = {}
        self._forgotten = 0
        """How many times all was forgotten: a read that started before is not kept."""
        self._lock = threading.Lock()

    def get(self, key: Key) -> Value:
        with self._lock:
            kept = self._kept.get(key)
            forgotten = self._forgotten
        now = self._monotonic()
        if kept is not None and now - kept[1] < KEPT_FOR_SECONDS:
            return kept[0]
        value = self._read(key)
        with self._lock:
            if self._forgotten == forgotten:
                self._kept[key] = (value, now)
        return value

    def note(self, changes: Changes) -> None:
        """Forget what ``changes`` may have made out of date."""
        if self._stale(changes):
            self.forget()

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._forgotten += 1
