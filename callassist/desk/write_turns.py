"""The writes of one process taken in the order they were asked for.

SQLite lets one writer in at a time and a waiting writer only looks again
after a growing pause (up to 100 ms). A worker writing in short batches (the
cadences that ended while the rep was away) would take the lock back before the
window's save ever saw it free, and the rep's typing waited seconds. Queuing the
process's own writes first hands the lock over in turn: the window waits for
one batch at most. Other programs still wait on the database's own lock.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class WriteTurns:
    """A first-come, first-served turn for each write transaction of this process.

    A thread already holding the turn passes straight through, so a write made
    from inside another (a listener reacting to a change) does not wait for itself.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._holder: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._changed:
            if self._holder == me:
                self._depth += 1
            else:
                ticket = self._next_ticket
                self._next_ticket += 1
                self._changed.wait_for(lambda: self._serving == ticket)
                self._holder, self._depth = me, 1
        try:
            yield
        finally:
            with self._changed:
                self._depth -= 1
                if self._depth == 0:
                    self._holder = None
                    self._serving += 1
                    self._changed.notify_all()
