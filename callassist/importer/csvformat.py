"""What callassist's own CSV files hold: the columns export writes, and cells.

Export marks a cell that a spreadsheet app would take for a formula, and
import removes the mark again, so a value survives the round trip exactly.
"""

from collections.abc import Callable

Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) as an import or export goes; raising in it stops
the work, and an import then writes nothing."""

MAX_CELL_CHARS = 1_000_000
"""The longest cell read, in characters; export refuses to write a longer one."""

# OWASP's advice against CSV injection: a cell starting with one of these is
# taken for a formula by spreadsheet apps, so export marks it as text with a
# leading quote, which import removes again.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TEXT_MARK = "'"


def _is_marked(cell: str) -> bool:
    """Whether a cell carries our text mark: a quote before a formula character or a quote.

    A quote followed by anything else is the value's own ("'Tis the season"),
    which is why export also marks a value that starts with the mark itself.
    """
    return cell.startswith(_TEXT_MARK) and cell[1:2] in (*_FORMULA_STARTS, _TEXT_MARK)


def spreadsheet_safe(value: str) -> str:
    """The cell export writes for ``value``: never read as a formula, and read back exactly."""
    if value.startswith(_FORMULA_STARTS) or _is_marked(value):
        return _TEXT_MARK + value
    return value


def cell_value(cell: str) -> str:
    """The value of a cell as import reads it: :func:`spreadsheet_safe` undone."""
    return cell[1:] if _is_marked(cell) else cell


EXPORT_HEADERS = (
    "First Name",
    "Last Name",
    "Title",
    "Company",
    "Website",
    "LinkedIn",
    "Email",
    "Phone",
    "Mobile Phone",
    "Office Phone",
    "Dial",
    "Time Zone",
    "Status",
    "Tags",
    "Notes",
    "Company Summary",
    "Person Profile",
    "Angle",
    "Sources",
    "Researched At",
)
OUR_EXPORT_HEADERS = frozenset(
    {
        EXPORT_HEADERS,
        # What exports wrote before prospects had several numbers.
        tuple(
            header
            for header in EXPORT_HEADERS
            if header not in {"Mobile Phone", "Office Phone", "Dial"}
        ),
    }
)
