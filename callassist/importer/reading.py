"""Reading a CSV file into a header and records, whatever wrote it.

UTF-8 or UTF-16 with or without BOM, or Windows-1252; comma, semicolon or
tab; quoted newlines; our own export's text marks undone; a Salesforce
report's footer left out. Records are numbered the way a spreadsheet shows
them, so "row 5" is the row the rep sees.
"""

import codecs
import csv
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from callassist.errors import InvalidInputError
from callassist.importer.csvformat import MAX_CELL_CHARS, OUR_EXPORT_HEADERS, cell_value
from callassist.wording import counted


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One record of a CSV file."""

    number: int
    """The row number a spreadsheet shows: the header is row 1, the first record row 2."""
    values: tuple[str, ...]
    """The cells, padded with "" to the header's width (longer when the row has extra cells)."""


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file: its header and its non-blank records."""

    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    encoding: str
    """The file's encoding as a rep would name it: "UTF-8 with BOM", "Windows-1252"..."""


_DELIMITERS = (",", ";", "\t")

MAX_FILE_BYTES = 200 * 1024 * 1024
"""The largest CSV file read (200 MB, about a million prospects with notes)."""
MAX_COLUMNS = 500
"""The most cells a row may have (CRM exports have a few dozen columns)."""


def read_csv(path: Path) -> CsvTable:
    """Read a CSV file; raise InvalidInputError naming the file when it cannot be read.

    The file must be a regular file of at most :data:`MAX_FILE_BYTES`, with
    cells of at most :data:`MAX_CELL_CHARS` characters and rows of at most
    :data:`MAX_COLUMNS` cells, and every quoted value closed where it should
    be: otherwise one error names the row, and nothing is read.
    """
    text, encoding = _decode(path, _read_bytes(path))
    if not text.strip():
        raise InvalidInputError(f"{path} is empty")

    # strict=True makes a quote that closes in the wrong place an error:
    # without it, one missing closing quote silently merges every row up to
    # the next quote into one cell.
    delimiter = _delimiter(text)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    headers: tuple[str, ...] | None = None
    rows: list[CsvRow] = []
    number = 0
    first_line = 1
    # The limit is process-wide: set for this read only.
    previous_cell_limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        # Numbering records (not lines) keeps a quoted newline from shifting
        # every later row; a blank line still counts, as a spreadsheet shows
        # it as an empty row.
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                raise InvalidInputError(
                    f"{path}, row {number}: {len(record):,} cells, more than the "
                    f"{MAX_COLUMNS} columns callassist reads"
                )
            starts_at, first_line = first_line, reader.line_num + 1
            blank = not any(cell.strip() for cell in record)
            if blank and (headers is None or not record):
                continue
            if headers is None:
                headers = tuple(cell.strip() for cell in record)
                continue
            # Our own export quotes every cell it must, so any note it wrote reads back.
            ours = headers in OUR_EXPORT_HEADERS
            swallowed = 0 if ours else _rows_inside_a_cell(record, delimiter, len(headers))
            if swallowed:
                raise InvalidInputError(
                    f"{path}, row {number}: a quoted value runs from line {starts_at} "
                    f"to line {reader.line_num} and holds {counted(swallowed, 'line')} that "
                    "look like rows of their own: a closing quote is probably missing; "
                    "nothing was imported"
                )
            values = [cell_value(cell) for cell in record]
            rows.append(CsvRow(number, _fit(values, len(headers))))
    except csv.Error as error:
        raise InvalidInputError(
            _malformed(path, number + 1, first_line, reader.line_num, str(error))
        ) from error
    finally:
        csv.field_size_limit(previous_cell_limit)
    if headers is None:
        raise InvalidInputError(f"{path} has no header row")
    return CsvTable(headers=headers, rows=tuple(_without_report_footer(rows)), encoding=encoding)


# A line and its end as a file opened with newline="" reads it: "\r\n", "\r"
# or "\n" kept, so a newline inside quotes stays part of its cell.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time.

    What io.StringIO(text, newline="") gives, without its copy of the whole
    file: StringIO keeps four bytes a character, 100 MB for a 100,000-row file.
    """
    return (line.group() for line in _LINE.finditer(text))


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    """The file's text and the name of its encoding.

    A BOM says UTF-8 or UTF-16 outright (Excel's "Unicode text" and some CRMs
    write UTF-16). UTF-16 without one shows in its zero bytes: header text is
    mostly ASCII, so every other byte is zero. Otherwise, text that reads as
    UTF-8 is UTF-8: other encodings almost never form valid UTF-8 sequences by
    chance. Anything else is taken for Windows-1252, what Excel writes as
    plain "CSV" on a European or American Windows.
    """
    candidates: tuple[tuple[str, str], ...]
    utf16 = _utf16_without_bom(data)
    if data.startswith(codecs.BOM_UTF8):
        candidates = (("utf-8-sig", "UTF-8 with BOM"),)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = (("utf-16", "UTF-16"),)
    elif utf16 is not None:
        candidates = (utf16,)
    else:
        candidates = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError as error:
            failure = error
    names = " or ".join(name for _, name in candidates)
    raise InvalidInputError(
        f"{path} is not {names} text (byte 0x{data[failure.start]:02x} at position "
        f'{failure.start}); save it from your spreadsheet app as "CSV UTF-8" and import it again'
    ) from failure


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The UTF-16 byte order of ``data`` when its start is UTF-16 text without a BOM."""
    start = data[:4096]
    pairs = len(start) // 2
    if pairs < 4:
        return None
    # Nearly every character of a header row is ASCII: its high byte is zero.
    zeros_even = sum(1 for index in range(0, pairs * 2, 2) if start[index] == 0)
    zeros_odd = sum(1 for index in range(1, pairs * 2, 2) if start[index] == 0)
    if zeros_odd >= pairs * 0.9 and zeros_even <= pairs * 0.05:
        return "utf-16-le", "UTF-16 (little-endian, no BOM)"
    if zeros_even >= pairs * 0.9 and zeros_odd <= pairs * 0.05:
        return "utf-16-be", "UTF-16 (big-endian, no BOM)"
    return None


# A Salesforce report exported as CSV ends with lines about the report, each
# in the first cell: a blank line, the report's name, then the copyright,
# "Confidential Information - Do Not Distribute", "Generated By: ..." and the
# company; a summary report also has a "Grand Totals (12 records)" row.
_SALESFORCE_COPYRIGHT = re.compile(r"copyright \(c\) \d{4}-\d{4} salesforce\.com", re.IGNORECASE)
_GRAND_TOTALS = re.compile(r"grand totals? \([\d,.]+ records?\)", re.IGNORECASE)


def _without_report_footer(rows: list[CsvRow]) -> list[CsvRow]:
    """The rows before a Salesforce report's footer (all of them when there is none)."""

    def single_cell(row: CsvRow) -> str | None:
        cells = [cell.strip() for cell in row.values if cell.strip()]
        return cells[0] if len(cells) == 1 else None

    copyright_at = next(
        (
            index
            for index, row in enumerate(rows)
            if _SALESFORCE_COPYRIGHT.match(single_cell(row) or "")
        ),
        None,
    )
    if copyright_at is None or not all(single_cell(row) for row in rows[copyright_at:]):
        return rows
    end = copyright_at
    # The report's name sits after a blank line; a row with text in only one
    # cell and no blank line before it is a prospect and stays.
    if end > 0 and single_cell(rows[end - 1]):
        before = rows[end - 2] if end > 1 else None
        if before is None or not any(before.values) or rows[end - 1].number > before.number + 1:
            end -= 1
    while end > 0 and (
        not any(cell.strip() for cell in rows[end - 1].values)
        or _GRAND_TOTALS.match(rows[end - 1].values[0].strip())
    ):
        end -= 1
    return rows[:end]


def _rows_inside_a_cell(record: Sequence[str], delimiter: str, columns: int) -> int:
    """How many lines inside this record's cells have a whole row's worth of separators.

    A note may hold a line break and a comma or two; a line with as many
    separators as the header is a row swallowed by a quote that was never
    closed (until a later quote happened to close it).
    """
    if columns < 3:
        return 0
    return sum(
        1
        for cell in record
        if "\n" in cell
        for line in cell.splitlines()[1:]
        if line.count(delimiter) >= columns - 1
    )


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file or is over the size cap."""
    try:
        # Checked before opening: opening a FIFO waits for a writer, and a
        # device such as /dev/zero never ends.
        if not stat.S_ISREG(path.stat().st_mode):
            raise InvalidInputError(
                f"{path} is not a regular file (a folder, device or pipe); import reads CSV files"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most callassist "
            "imports at once; split it into smaller files"
        )
    return data


def _malformed(path: Path, row: int, first_line: int, last_line: int, error: str) -> str:
    """The message for a record the csv module could not read (strict quotes, cell size)."""
    if error.startswith("field larger than field limit"):
        return (
            f"{path}, row {row}: a cell is longer than {MAX_CELL_CHARS:,} characters, the most "
            "callassist reads (or a closing quote is missing and the cell runs on)"
        )
    if error == "unexpected end of data":
        where = f"from line {first_line} to the end of the file"
    else:
        where = f"from line {first_line} to line {last_line}"
    return (
        f"{path}, row {row}: a quoted value is not closed where it should be (it runs {where}); "
        "check the quotes in that row, nothing was imported"
    )


def _fit(record: list[str], width: int) -> tuple[str, ...]:
    if len(record) < width:
        return (*record, *([""] * (width - len(record))))
    # Empty cells past the header are a trailing separator, common in
    # spreadsheet exports; only a real value out there makes the row invalid.
    while len(record) > width and not record[-1].strip():
        record.pop()
    return tuple(record)


def _delimiter(text: str) -> str:
    """The separator used most often on the header line, outside quotes.

    csv.Sniffer guesses from a sample of the whole file and is often fooled by
    commas inside notes; the header line has no such free text.
    """
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    seen_text = False
    for character in text:
        if character == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif character in "\r\n":
            if seen_text:
                break
        elif character in counts:
            counts[character] += 1
            seen_text = True
        elif not character.isspace():
            seen_text = True
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
