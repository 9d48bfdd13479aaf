"""Where a command writes, and the exit statuses it ends with."""

import codecs
import itertools
import json
from collections.abc import Iterable, Sequence
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

    def json_array(self, items: Iterable[object]) -> None:
        """A JSON array written item by item, as :meth:`json` writes the whole list."""
        opening = "[\n"
        for item in items:
            text = json.dumps(item, indent=2, ensure_ascii=not self.unicode)
            # JSON text has no raw newline inside a string: each line is a line of the item.
            self.out.write(opening + "\n".join("  " + line for line in text.split("\n")))
            opening = ",\n"
        self.out.write("[]\n" if opening == "[\n" else "\n]\n")

    @property
    def unicode(self) -> bool:
        """Whether stdout takes any character; if not, JSON escapes them (\\u00e9)."""
        encoding = getattr(self.out, "encoding", None) or "utf-8"
        return codecs.lookup(encoding).name.startswith("utf")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], terminal: Terminal) -> None:
    """Columns as wide as their longest cell (at most 32 characters, the rest cut with …)."""
    longest = [max(len(row[i]) for row in rows) if rows else 0 for i in range(len(headers))]
    print_streamed_table(headers, longest, rows, terminal)


def print_streamed_table(
    headers: Sequence[str],
    longest: Sequence[int],
    rows: Iterable[Sequence[str]],
    terminal: Terminal,
) -> None:
    """:func:`print_table` for rows printed as they come, the longest cell of each column
    known beforehand."""
    widths = [
        min(max(len(header), most), _WIDEST) for header, most in zip(headers, longest, strict=True)
    ]
    # One padding of every cell at once; a line longer than the columns together has a
    # cell to cut, which is rare and done cell by cell.
    padded = "  ".join(f"%-{width}s" for width in widths)
    line_length = sum(widths) + 2 * (len(widths) - 1)
    unprinted = iter(rows)
    lines: list[str] = [_line(headers, widths, padded, line_length)]
    while True:
        lines.extend(
            _line(row, widths, padded, line_length) for row in itertools.islice(unprinted, _LINES)
        )
        if not lines:
            return
        lines.append("")
        terminal.out.write("\n".join(lines))
        lines.clear()


def _line(row: Sequence[str], widths: Sequence[int], padded: str, line_length: int) -> str:
    line = padded % tuple(row)
    if len(line) > line_length:
        line = padded % tuple(
            cell if len(cell) <= width else cell[: width - 1] + "…"
            for cell, width in zip(row, widths, strict=True)
        )
    return line.rstrip()


_LINES = 500
"""Lines written at a time: each write is a system call, and the first still shows at once."""

_WIDEST = 32
