"""Helpers for tests that run the command line in-process: a command's result (what a
database holds is raw_sql.contents).

A module of its own rather than a conftest, so test files can import it.
"""

import json
import re


class Run:
    """One command's exit status and output."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    def json(self):
        return json.loads(self.out)

    def lines(self) -> list[str]:
        return self.out.splitlines()

    def problem(self) -> str:
        """What the command refused or warned about: one line on stderr, named as ours."""
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("callassist: "), self.err
        return lines[0].removeprefix("callassist: ")

    def table(self) -> list[dict[str, str]]:
        """The rows of the table the command printed first, by column heading.

        Columns are two spaces or more apart and start where their heading does; the
        table ends at the first line without such a gap (a sentence after it).
        """
        header, *rest = self.lines()
        starts = [0, *(gap.end() for gap in re.finditer(r" {2,}", header))]
        spans = list(zip(starts, [*starts[1:], None], strict=True))
        names = [header[start:end].strip() for start, end in spans]
        rows = []
        for line in rest:
            if "  " not in line:
                break
            cells = [line[start:end].strip() for start, end in spans]
            rows.append(dict(zip(names, cells, strict=True)))
        return rows
