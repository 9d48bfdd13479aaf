"""Helpers for tests that run the command line in-process: a command's result, and
what a database holds, to show a refused command left it as it was.

A module of its own rather than a conftest, so test files can import it.
"""

import json
import sqlite3
from pathlib import Path


class Run:
    """One command's exit status and output."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self):
        return json.loads(self.out)


def contents(db_path: Path) -> list[str]:
    """Every table's rows as SQL, to compare before and after."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        return list(connection.iterdump())
