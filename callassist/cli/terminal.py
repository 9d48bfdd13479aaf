"""Where a command writes, and the exit statuses it ends with."""

import codecs
import io
import json
from collections.abc import Sequence
from typing import TextIO

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, what shells report for a program stopped by it."""


class Terminal:
    """Where a command writes: stdout for results, stderr for problems."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out = out
        self.err = err

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def warn(self, text: str) -> None:
        print(text, file=self.err)

    def json(self, value: object) -> None:
        self.out.write(json.dumps(value, indent=2, ensure_ascii=not self.unicode) + "\n")

    @property
    def unicode(self) -> bool:
        """Whether stdout takes any character; if not, JSON escapes them (\\u00e9)."""
        encoding = getattr(self.out, "encoding", None) or "utf-8"
        return codecs.lookup(encoding).name.startswith("utf")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], terminal: Terminal) -> None:
    """Columns as wide as their longest cell (at most 32 characters, the rest cut with …)."""
    table = io.StringIO()
    widths = [min(max(len(row[i]) for row in [headers, *rows]), 32) for i in range(len(headers))]
    for row in [headers, *rows]:
        cells = [
            cell if len(cell) <= width else cell[: width - 1] + "…"
            for cell, width in zip(row, widths, strict=True)
        ]
        table.write(
            "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
            + "\n"
        )
    terminal.out.write(table.getvalue())
