"""Writing each change a desk announces to the change log, off the thread that made it.

The row is for other programs' windows (callassist/desk/change_watch.py); the
rep who made the change must not wait for it. Written in the action's own
transaction, it could not name what the action changed (the areas say that once
their transaction committed); written after it, on the same thread, it waited
for the write turn again, behind every write queued meanwhile (a long settle's
batches), and for one more sync to disk. So a thread of the desk's own writes
the rows, on a connection of its own, in the order the changes were announced,
and :meth:`ChangeRecorder.close` writes what is left before the desk closes.
"""

import queue
import sqlite3
import threading
from contextlib import suppress

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from callassist.changes import Changes
from callassist.db.engine import WRITE_LOCK_FIRST, is_sqlite, make_engine
from callassist.services import change_log

_Entry = tuple[Changes, int | None]
"""A change to write down, and the rep who made it."""


class ChangeRecorder:
    """Writes a desk's announced changes to the change log on a thread of its own."""

    def __init__(self, url: URL, writer: str) -> None:
        self._url = url
        self._writer = writer
        self._pending: queue.SimpleQueue[_Entry | None] = queue.SimpleQueue()
        """What is left to write; None asks the thread to finish."""
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def record(self, changes: Changes, rep_id: int | None) -> None:
        """Write ``changes`` down soon (started on the first change: a desk that only
        reads never opens the connection)."""
        with self._starting:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._write_all, name="callassist-change-log", daemon=True
                )
                self._thread.start()
        self._pending.put((changes, rep_id))

    def close(self) -> None:
        """Write what is left, then stop the thread."""
        with self._starting:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._pending.put(None)
            thread.join()

    def _write_all(self) -> None:
        engine = _unsynced_engine(self._url)
        sessions = sessionmaker(engine.execution_options(**WRITE_LOCK_FIRST))
        try:
            finished = False
            while not finished:
                # Whatever piled up meanwhile goes in one transaction.
                waiting = [self._pending.get()]
                with suppress(queue.Empty):
                    while True:
                        waiting.append(self._pending.get_nowait())
                entries = [entry for entry in waiting if entry is not None]
                finished = len(entries) < len(waiting)
                if not entries:
                    continue
                # Refused (the database busy past the wait, the disk full): the
                # changes themselves stand; other windows miss these refreshes.
                with suppress(DBAPIError), sessions.begin() as session:
                    for changes, rep_id in entries:
                        change_log.record(session, changes, writer=self._writer, rep_id=rep_id)
        finally:
            engine.dispose()


CHECKPOINT_PAGES = 1000
"""The log's size, in pages, past which a record's commit copies the log into the
database file (SQLite's own default mark)."""


def _unsynced_engine(url: URL) -> Engine:
    """An engine like the desk's, whose SQLite commits do not wait for the disk: a row
    lost to a power cut costs another window one refresh (PostgreSQL's transaction
    says the same in change_log.record).

    Its commits are the ones that copy SQLite's log into the file once it is long
    (the desk's own never do: see make_engine). Every change the desk commits is
    followed by a record here, so the log stays short, and the copy runs on this
    thread, never in the middle of the rep's keystroke.
    """
    engine = make_engine(url)
    if is_sqlite(url):

        @event.listens_for(engine, "connect")
        def _unsynced(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            finally:
                cursor.close()

    return engine
