"""Damage inside a SQLite file, as a disk error would leave it.

Shared by the hostile inputs (scripts/hostile_cases.py) and the tests
(tests/conftest.py's ``damage`` fixture), so both damage the same way.
"""

import sqlite3
from pathlib import Path


def overwrite_prospects_page(database: Path) -> bytes:
    """Overwrite the prospects table's first page with noise; return the damaged bytes.

    The file still opens (its schema is intact); reading the prospects fails, as
    after a disk error inside the file.
    """
    connection = sqlite3.connect(database)
    with connection:
        # Into the file itself: pages still in the write-ahead log would hide the damage.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'prospects'"
        ).fetchone()
    connection.close()
    data = bytearray(database.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size
    database.write_bytes(bytes(data))
    return bytes(data)
