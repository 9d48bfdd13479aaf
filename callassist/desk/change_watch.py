"""Hearing what other programs changed on the database, to refresh an open window.

Each desk writes its changes to the change log (callassist/services/change_log.py).
A :class:`ChangeWatcher` keeps its own connection, waits for other programs'
commits and hands back their changes merged into one :class:`Changes`, leaving
out the rows its own desk wrote (those were announced already).

How the waiting is done differs, not what is heard:

- SQLite: ``PRAGMA data_version`` on the watcher's own connection changes when
  any other connection commits; asking costs microseconds, so it is asked a few
  times a second, and the log is read only after it changed.
- PostgreSQL: the connection LISTENs on the log's channel and sleeps on its
  socket until a notification comes.

A lost connection (the server restarted, the file moved away) is opened again at
the next wait, and the rows written meanwhile are read then: nothing is missed
that the log still holds.
"""

import select
import socket
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import URL

from callassist.changes import Changes
from callassist.db.engine import sqlite_file
from callassist.services.change_log import CHANNEL, merged

if TYPE_CHECKING:
    import psycopg

POLL_SECONDS = 0.25
"""How often SQLite's data version is asked: well within the two seconds a rep may wait."""

RETRY_SECONDS = 1.0
"""How long a watcher whose PostgreSQL connection failed waits before opening another."""

APPLICATION_NAME = "callassist: hearing others' changes"
"""How a watcher's PostgreSQL connection is named in ``pg_stat_activity``."""

_SINCE = "SELECT id, writer, kinds, prospect_id FROM change_log WHERE id > {} ORDER BY id"

_Row = tuple[int, str, str, int | None]


class ChangeWatcher(ABC):
    """Waits for other programs' changes; made by ``CallDesk.watch_others``.

    :meth:`wait` is called from one thread at a time (a window's watching
    thread); :meth:`wake` from any other, to end a wait at once.
    """

    def __init__(self, own_writer: str, after: int) -> None:
        self._own_writer = own_writer
        self._last_id = after
        """The newest log row read."""

    @abstractmethod
    def wait(self, timeout: float) -> Changes | None:
        """Others' changes committed since the last look, as soon as there are some;
        None when ``timeout`` seconds pass without any, or when woken."""

    @abstractmethod
    def wake(self) -> None:
        """End the current wait (or the next one) at once: the watching is stopping."""

    @abstractmethod
    def close(self) -> None:
        """Let go of the connection; call once the waiting thread has stopped."""

    def _others(self, rows: Sequence[_Row]) -> Changes | None:
        """Moves past ``rows`` (read in order) and merges those of other desks."""
        if rows:
            self._last_id = rows[-1][0]
        return merged(
            (kinds, prospect_id)
            for _id, writer, kinds, prospect_id in rows
            if writer != self._own_writer
        )


class SqliteWatcher(ChangeWatcher):
    """Polls the file's data version on a connection of its own."""

    def __init__(self, database_file: Path, own_writer: str, after: int) -> None:
        super().__init__(own_writer, after)
        self._database_file = database_file
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None
        self._woken = threading.Event()

    def others_wrote(self) -> bool:
        """Whether another connection committed since the last look (microseconds)."""
        connection = self._connected()
        version = connection.execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return False
        self._version = version
        return True

    def wait(self, timeout: float) -> Changes | None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.others_wrote():
                    connection = self._connected()
                    changes = self._others(
                        connection.execute(_SINCE.format("?"), (self._last_id,)).fetchall()
                    )
                    if changes is not None:
                        return changes
            except sqlite3.Error:
                # Opened again at the next look; meanwhile there is nothing to hear.
                self.close()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if self._woken.wait(min(POLL_SECONDS, remaining)):
                self._woken.clear()
                return None

    def wake(self) -> None:
        self._woken.set()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._version = None

    def _connected(self) -> sqlite3.Connection:
        if self._connection is None:
            # It only reads, outside any transaction: in WAL mode it never waits
            # for a writer, and each read sees the newest commit. "rw": a file
            # moved away meanwhile is not created again, empty.
            self._connection = sqlite3.connect(
                f"{self._database_file.as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
        return self._connection


class PostgresWatcher(ChangeWatcher):
    """LISTENs for the log's notifications on a connection of its own."""

    def __init__(self, conninfo: str, own_writer: str, after: int) -> None:
        super().__init__(own_writer, after)
        self._conninfo = conninfo
        self._connection: psycopg.Connection[Any] | None = None
        self._wake_reader, self._wake_writer = socket.socketpair()

    def wait(self, timeout: float) -> Changes | None:
        import psycopg

        try:
            return self._wait(timeout)
        except psycopg.Error:
            # Opened again at the next wait, which reads what was written meanwhile.
            self._drop_connection()
            # Not at once: a server that is down would be asked again and again.
            pause = min(timeout, RETRY_SECONDS)
            if select.select([self._wake_reader], [], [], pause)[0]:
                self._wake_reader.recv(64)
            return None

    def _wait(self, timeout: float) -> Changes | None:
        import psycopg

        connection = self._connection
        if connection is None:
            # Named, so whoever looks at the server's connections knows what it is.
            connection = psycopg.connect(
                self._conninfo, autocommit=True, application_name=APPLICATION_NAME
            )
            self._connection = connection
            # Listening first: a row committed after the read below is notified.
            connection.execute(f"LISTEN {CHANNEL}")
            changes = self._others(self._rows_since_last(connection))
            if changes is not None:
                return changes
        woken = self._wake_reader.fileno()
        ready, _, _ = select.select([connection.pgconn.socket, woken], [], [], timeout)
        if woken in ready:
            self._wake_reader.recv(64)
            return None
        rows: list[_Row] = []
        # A notification that arrives during the read is kept by psycopg, not left
        # on the socket: read again until none is waiting.
        while _notified(connection):
            rows.extend(self._rows_since_last(connection))
        return self._others(rows)

    def wake(self) -> None:
        self._wake_writer.send(b"x")

    def close(self) -> None:
        self._drop_connection()
        self._wake_reader.close()
        self._wake_writer.close()

    def _drop_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _rows_since_last(self, connection: "psycopg.Connection[Any]") -> list[_Row]:
        rows = connection.execute(_SINCE.format("%s"), (self._last_id,)).fetchall()
        if rows:
            self._last_id = rows[-1][0]
        return rows


def _notified(connection: "psycopg.Connection[Any]") -> bool:
    """Whether any notification is waiting (all taken off; never waits for one)."""
    return bool(list(connection.notifies(timeout=0)))


def watcher_for(url: URL, own_writer: str, after: int) -> ChangeWatcher:
    """A watcher on the database at ``url`` of the log rows above ``after``, leaving out
    ``own_writer``'s."""
    database_file = sqlite_file(url)
    if database_file is not None:
        return SqliteWatcher(database_file, own_writer, after)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresWatcher(conninfo, own_writer, after)
