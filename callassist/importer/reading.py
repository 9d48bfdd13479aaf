"""Reading a CSV file into a header and records, whatever wrote it.

UTF-8 or UTF-16 with or without BOM, or Windows-1252; comma, semicolon or
tab; quoted newlines; our own export's text marks undone; a Salesforce
report's footer left out. Records are numbered the way a spreadsheet shows
them, so "row 5" is the row the rep sees.
"""

import codecs
import csv
import itertools
import re
import stat
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

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


_DELIMITERS = (",", ";", "\t")

MAX_FILE_BYTES = 200 * 1024 * 1024
"""The largest CSV file read (200 MB, about a million prospects with notes)."""
MAX_COLUMNS = 500
"""The most cells a row may have (CRM exports have a few dozen columns)."""

_CHUNK_BYTES = 1024 * 1024
"""How much of the file is decoded at a time while checking its encoding."""


@dataclass(frozen=True, slots=True)
class _Format:
    """How a file is written: what :func:`read_csv` learns before reading any row."""

    path: Path
    codec: str
    delimiter: str


class CsvRows:
    """The records of a CSV file, read again from the file each time they are iterated.

    An import goes through them once, keeping nothing of a row once it is
    written: a file of a million rows needs no more memory than one of ten.
    """

    def __init__(self, file_format: _Format, count: int) -> None:
        self._format = file_format
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[CsvRow]:
        # read_csv counted the rows before a report's footer: the rest is footer.
        return itertools.islice(_records(self._format)[1], self._count)

    @contextmanager
    def reading(self) -> Iterator[Iterator[CsvRow]]:
        """The rows, with the file closed when the block ends, however it ends.

        An import stopped part way leaves the rows untaken: closed here, the
        file does not wait for the garbage collector (which may meet it first).
        """
        records = _records(self._format)[1]
        try:
            yield itertools.islice(records, self._count)
        finally:
            records.close()


@dataclass(frozen=True, slots=True)
class CsvTable:
    """A CSV file: its header and its non-blank records, read from the file as they are used."""

    headers: tuple[str, ...]
    rows: CsvRows
    encoding: str
    """The file's encoding as a rep would name it: "UTF-8 with BOM", "Windows-1252"..."""


def read_csv(path: Path) -> CsvTable:
    """Read a CSV file's header and check every record; raise InvalidInputError naming the file
    when it cannot be read.

    The file must be a regular file of at most :data:`MAX_FILE_BYTES`, with
    cells of at most :data:`MAX_CELL_CHARS` characters and rows of at most
    :data:`MAX_COLUMNS` cells, and every quoted value closed where it should
    be: otherwise one error names the row, and nothing is read. The records
    are read through once here, to check them and count those before a
    report's footer, and kept in the file: :attr:`CsvTable.rows` reads them again.
    """
    _check_file(path)
    codec, encoding, has_text = _encoding(path)
    if not has_text:
        raise InvalidInputError(f"{path} is empty")
    with path.open(encoding=codec, newline="") as handle:
        characters = itertools.chain.from_iterable(iter(lambda: handle.read(4096), ""))
        file_format = _Format(path, codec, _delimiter(characters))
    headers, records = _records(file_format)
    if headers is None:
        raise InvalidInputError(f"{path} has no header row")
    return CsvTable(
        headers=headers, rows=CsvRows(file_format, _count_before_footer(records)), encoding=encoding
    )


def _records(file_format: _Format) -> tuple[tuple[str, ...] | None, Generator[CsvRow]]:
    """The file's header, and its records after it (read as they are taken)."""
    handle = file_format.path.open(encoding=file_format.codec, newline="")
    try:
        records = _parsed(file_format, handle)
        header = next(records, None)
    except BaseException:
        handle.close()
        raise
    if header is None:
        handle.close()
        return None, _no_records()
    return header.values, _closing(handle, records)


def _no_records() -> Generator[CsvRow]:
    yield from ()


def _closing(handle: TextIO, records: Iterator[CsvRow]) -> Generator[CsvRow]:
    """The records, the file closed once they are all taken or no longer wanted."""
    with handle:
        yield from records


def _parsed(file_format: _Format, handle: TextIO) -> Iterator[CsvRow]:
    """The header row (its cells stripped), then every record after it, checked."""
    path, delimiter = file_format.path, file_format.delimiter
    # strict=True makes a quote that closes in the wrong place an error:
    # without it, one missing closing quote silently merges every row up to
    # the next quote into one cell.
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    headers: tuple[str, ...] | None = None
    ours = False
    number = 0
    first_line = 1
    # The limit is process-wide: set while a record is read only, since a
    # generator may wait between records while other code reads CSV.
    previous_cell_limit = csv.field_size_limit()
    try:
        # Numbering records (not lines) keeps a quoted newline from shifting
        # every later row; a blank line still counts, as a spreadsheet shows
        # it as an empty row.
        while True:
            csv.field_size_limit(MAX_CELL_CHARS)
            try:
                record = next(reader, None)
            finally:
                csv.field_size_limit(previous_cell_limit)
            if record is None:
                return
            number += 1
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
                # Our own export quotes every cell it must, so any note it wrote reads back.
                ours = headers in OUR_EXPORT_HEADERS
                yield CsvRow(number, headers)
                continue
            swallowed = 0 if ours else _rows_inside_a_cell(record, delimiter, len(headers))
            if swallowed:
                raise InvalidInputError(
                    f"{path}, row {number}: a quoted value runs from line {starts_at} "
                    f"to line {reader.line_num} and holds {counted(swallowed, 'line')} that "
                    "look like rows of their own: a closing quote is probably missing; "
                    "nothing was imported"
                )
            values = [cell_value(cell) for cell in record]
            yield CsvRow(number, _fit(values, len(headers)))
    except csv.Error as error:
        raise InvalidInputError(
            _malformed(path, number + 1, first_line, reader.line_num, str(error))
        ) from error


def _check_file(path: Path) -> None:
    """Refuse what is not a regular file or is over the size cap."""
    try:
        # Checked before opening: opening a FIFO waits for a writer, and a
        # device such as /dev/zero never ends.
        status = path.stat()
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from error
    if not stat.S_ISREG(status.st_mode):
        raise InvalidInputError(
            f"{path} is not a regular file (a folder, device or pipe); import reads CSV files"
        )
    if status.st_size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the most callassist "
            "imports at once; split it into smaller files"
        )


def _encoding(path: Path) -> tuple[str, str, bool]:
    """The file's codec, the name of its encoding, and whether it holds any text.

    A BOM says UTF-8 or UTF-16 outright (Excel's "Unicode text" and some CRMs
    write UTF-16). UTF-16 without one shows in its zero bytes: header text is
    mostly ASCII, so every other byte is zero. Otherwise, text that reads as
    UTF-8 is UTF-8: other encodings almost never form valid UTF-8 sequences by
    chance. Anything else is taken for Windows-1252, what Excel writes as
    plain "CSV" on a European or American Windows. The whole file is decoded
    a megabyte at a time to tell, and the text thrown away.
    """
    try:
        with path.open("rb") as handle:
            start = handle.read(4096)
            candidates: tuple[tuple[str, str], ...]
            utf16 = _utf16_without_bom(start)
            if start.startswith(codecs.BOM_UTF8):
                candidates = (("utf-8-sig", "UTF-8 with BOM"),)
            elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                candidates = (("utf-16", "UTF-16"),)
            elif utf16 is not None:
                candidates = (utf16,)
            else:
                candidates = (("utf-8", "UTF-8"), ("cp1252", "Windows-1252"))
            for codec, name in candidates:
                handle.seek(0)
                try:
                    return codec, name, _holds_text(handle, codec)
                except _NotDecoded as error:
                    failure = error
    except OSError as error:
        raise InvalidInputError(f"cannot read {path}: {error.strerror or error}") from error
    names = " or ".join(name for _, name in candidates)
    raise InvalidInputError(
        f"{path} is not {names} text (byte 0x{failure.byte:02x} at position "
        f'{failure.position}); save it from your spreadsheet app as "CSV UTF-8" and import it again'
    )


class _NotDecoded(Exception):  # noqa: N818 - a signal between two functions, not an error
    """The file is not text in the codec tried: the first byte that is not, and where."""

    def __init__(self, position: int, byte: int) -> None:
        super().__init__(position, byte)
        self.position = position
        self.byte = byte


def _holds_text(handle: BinaryIO, codec: str) -> bool:
    """Whether the file holds text other than white space; raise :class:`_NotDecoded` when it
    is not ``codec`` text."""
    decoder = codecs.getincrementaldecoder(codec)()
    has_text = False
    offset = 0
    while True:
        chunk = handle.read(_CHUNK_BYTES)
        # The bytes of a character split across chunks wait in the decoder.
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            data = pending + chunk
            raise _NotDecoded(offset - len(pending) + error.start, data[error.start]) from error
        has_text = has_text or bool(text.strip())
        if not chunk:
            return has_text
        offset += len(chunk)


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


def _single_cell(row: CsvRow) -> str | None:
    """The row's only non-blank cell, stripped; None when it has none or several."""
    cells = [cell.strip() for cell in row.values if cell.strip()]
    return cells[0] if len(cells) == 1 else None


def _is_copyright(row: CsvRow) -> bool:
    return bool(_SALESFORCE_COPYRIGHT.match(_single_cell(row) or ""))


def _is_blank_or_totals(row: CsvRow) -> bool:
    return not any(cell.strip() for cell in row.values) or bool(
        _GRAND_TOTALS.match(row.values[0].strip())
    )


def _count_before_footer(rows: Iterator[CsvRow]) -> int:
    """How many rows come before a Salesforce report's footer, reading them all once.

    Only the rows a footer could start at are held, not the file: those from
    the last but one row that is neither blank nor a "Grand Totals" row (the
    report's name sits after a blank line, and the footer's start looks one
    row further back), and, once the copyright line is read, the lines after it.
    """
    before = 0
    held: list[CsvRow] = []
    # Where in ``held`` the last two rows that are neither blank nor totals are.
    solid: list[int] = []
    for row in rows:
        if _is_copyright(row):
            held.append(row)
            break
        if not _is_blank_or_totals(row):
            solid.append(len(held))
            if len(solid) > 2:
                before += solid[-2]
                held = held[solid[-2] :]
                solid = [0, len(held)]
        held.append(row)
    else:
        return before + len(held)
    for row in rows:
        held.append(row)
        if _single_cell(row) is None:
            # Not a footer after all: every row counts (and a later copyright
            # line does not start one either, as in _without_report_footer).
            return before + len(held) + sum(1 for _ in rows)
    return before + len(_without_report_footer(held))


def _without_report_footer(rows: list[CsvRow]) -> list[CsvRow]:
    """The rows before a Salesforce report's footer (all of them when there is none)."""
    copyright_at = next((index for index, row in enumerate(rows) if _is_copyright(row)), None)
    if copyright_at is None or not all(_single_cell(row) for row in rows[copyright_at:]):
        return rows
    end = copyright_at
    # The report's name sits after a blank line; a row with text in only one
    # cell and no blank line before it is a prospect and stays.
    if end > 0 and _single_cell(rows[end - 1]):
        before = rows[end - 2] if end > 1 else None
        if before is None or not any(before.values) or rows[end - 1].number > before.number + 1:
            end -= 1
    while end > 0 and _is_blank_or_totals(rows[end - 1]):
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


def _delimiter(text: Iterable[str]) -> str:
    """The separator used most often on the header line (``text`` is the file's characters),
    outside quotes.

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
