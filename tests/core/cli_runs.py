"""A command's result, for tests that run the command line in-process.

A module of its own rather than the conftest, so test files can import it.
"""

import json


class Run:
    """One command's exit status and output."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self):
        return json.loads(self.out)
