"""The prospect list: ids for the current search, records fetched a page at a time.

A rep may hold 100,000 prospects, so the model keeps only the ids of the
current search (cheap to ask the core for) and asks for the records of the
rows the view actually paints, a page at a time, keeping a few pages around.
The Local time and Hours columns are computed from the desk's clock, so they
move on only when :meth:`ProspectListModel.tick` says a minute has passed.
"""

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.localtime import LocalTime, clock_text, local_time
from callassist.phones import looks_like_phone
from callassist.records import ProfileRecord, ProspectRecord
from ui.bridge import DeskBridge
from ui.plain_text import plain_tooltip
from ui.tints import muted_text

PROSPECT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's prospect id (int), without fetching its record."""
IN_HOURS_ROLE = Qt.ItemDataRole.UserRole + 2
"""True when it is a working hour at the prospect's desk."""
ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        PROSPECT_ID_ROLE,
        IN_HOURS_ROLE,
    }
)
"""The roles :meth:`ProspectListModel.data` has anything for."""

NAME_COLUMN = 0
COMPANY_COLUMN = 1
LOCAL_TIME_COLUMN = 2
HOURS_COLUMN = 3
HEADERS = ("Name", "Company", "Local time", "Hours")

OPEN = "open"
CLOSED = "closed"

PAGE_SIZE = 50
"""Records fetched per query: about one screen of rows, so painting a screen the
rep scrolled to reads no more than it shows."""
CACHED_PAGES = 20
"""Pages kept; the oldest is dropped first, so memory stays flat on any list size."""
SEARCH_LIMIT = 1000
"""Text matches kept: past this the rep keeps typing rather than scrolling."""

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True, slots=True)
class Found:
    """One search's answer: the ids in list order and the records of their first page."""

    text: str
    """The search, stripped ("" for everyone)."""
    phone: bool
    """The search was read as a phone number (exact match)."""
    ids: list[int]
    has_more: bool
    """More than :data:`SEARCH_LIMIT` matched and the rest were cut."""
    first_page: list[ProspectRecord]
    complete: bool = True
    """False for :func:`first_page_of_everyone`: the rest of everyone is still to come."""


def find_prospects(desk: CallDesk, text: str) -> Found:
    """The prospects matching ``text`` (everyone by name when blank), with their first page.

    Only the desk is used, so this runs on a worker as well as on the window's thread.
    """
    search = text.strip()
    phone = looks_like_phone(search)
    has_more = False
    if phone:
        # A call-back: exact match on the number, typed in any format.
        ids = [record.id for record in desk.lookup(search)]
    elif search:
        ids = desk.prospect_ids(search, SEARCH_LIMIT + 1)
        has_more = len(ids) > SEARCH_LIMIT
        ids = ids[:SEARCH_LIMIT]
    else:
        ids = desk.prospect_ids()
    return Found(search, phone, ids, has_more, desk.prospects_by_ids(ids[:PAGE_SIZE]))


def first_page_of_everyone(desk: CallDesk) -> Found:
    """The first page of everyone by name: one indexed read however long the list.

    ``complete`` says whether that was everyone, or the rest is still to be read.
    """
    ids = desk.prospect_ids(limit=PAGE_SIZE + 1)
    complete = len(ids) <= PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    return Found("", False, ids, False, desk.prospects_by_ids(ids), complete)


class ProspectListModel(QAbstractTableModel):
    """Prospects matching the search (all of them by name when it is empty)."""

    def __init__(self, bridge: DeskBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._search = ""
        self._phone_search = False
        self._has_more = False
        self._complete = True
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._pages: OrderedDict[int, dict[int, ProspectRecord]] = OrderedDict()
        self._everyone: Found | None = None
        """Everyone by name, as last read: clearing the search shows it without a query."""
        self._profile: ProfileRecord | None = bridge.attempt(bridge.desk.profile)
        self._now = bridge.desk.clock()
        # The first screen at once; the pane reads the rest of everyone on a worker.
        first = bridge.attempt(lambda: first_page_of_everyone(bridge.desk))
        if first is not None:
            self.show_found(first)

    # -- what the pane asks -------------------------------------------------

    def search_text(self) -> str:
        return self._search

    def is_phone_search(self) -> bool:
        """True when the search was read as a phone number (exact match)."""
        return self._phone_search

    def has_more(self) -> bool:
        """True when the search matched more than :data:`SEARCH_LIMIT` and was cut."""
        return self._has_more

    def is_complete(self) -> bool:
        """False while only the first page of everyone is shown (the rest is on its way)."""
        return self._complete

    def ready_answer(self, text: str) -> Found | None:
        """The answer for ``text`` if it is at hand without a query (everyone, read before)."""
        return self._everyone if not text.strip() else None

    def prospect_id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, prospect_id: int) -> int | None:
        return self._row_of.get(prospect_id)

    def loaded_count(self) -> int:
        """How many records are held in memory now (the rest are ids only)."""
        return sum(len(page) for page in self._pages.values())

    # -- changing what is shown -------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show the prospects matching ``text`` (all prospects when blank), reading them here."""
        desk = self._bridge.desk
        found = self.ready_answer(text) or self._bridge.attempt(lambda: find_prospects(desk, text))
        self.show_found(found or Found(text.strip(), looks_like_phone(text.strip()), [], False, []))

    def show_found(self, found: Found) -> None:
        """Show a search's answer (read here or on a worker by :func:`find_prospects`)."""
        self._search = found.text
        self._phone_search = found.phone
        self._complete = found.complete
        if not found.text and found.complete:
            self._everyone = found
        self._reset_to(found.ids, found.has_more, found.first_page)

    def refresh(self, changes: Changes) -> None:
        """Follow a committed change, reloading only when the list could differ."""
        if changes.profile:
            self._profile = self._bridge.attempt(self._bridge.desk.profile)
            self._time_columns_changed()
        if changes.prospects:
            # Names, companies, zones or who is listed may differ now; research is not shown.
            self._everyone = None
        if not (changes.prospects or changes.research):
            return
        if self._search:
            # Any edit can make a prospect match or stop matching (notes and
            # research are searched), so ask again and compare.
            desk = self._bridge.desk
            found = self._bridge.attempt(lambda: find_prospects(desk, self._search))
            if found is None:
                return
            if found.ids != self._ids or changes.all_prospects:
                self.show_found(found)
            else:
                self._refetch_rows(changes.prospect_ids, keep_order_by_name=False)
        elif not changes.prospects:
            # Research is not shown, and without a search it cannot move a row.
            return
        elif changes.all_prospects or not self._refetch_rows(
            changes.prospect_ids, keep_order_by_name=True
        ):
            self.set_search("")

    def tick(self) -> None:
        """A minute went by: move the prospects' clocks (and open/closed) on."""
        self._now = self._bridge.desk.clock()
        self._time_columns_changed()

    # -- Qt's model interface -------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in ANSWERED_ROLES:
            return None  # most of what the view asks each cell: answered in one look-up
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == PROSPECT_ID_ROLE:
            return self._ids[index.row()]
        record = self._record(index.row())
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(record, column)
            return plain_tooltip(tip) if tip else None
        clock = self._local_time(record)
        if clock is None:
            return None
        if role == IN_HOURS_ROLE:
            return clock.in_business_hours
        if column != HOURS_COLUMN:
            return None
        if role == Qt.ItemDataRole.FontRole and clock.in_business_hours:
            # The word says it; weight makes "open" stand out when scanning the column.
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == Qt.ItemDataRole.ForegroundRole and not clock.in_business_hours:
            return muted_text(QGuiApplication.palette())
        return None

    # -- inside ---------------------------------------------------------------

    def _reset_to(self, ids: list[int], has_more: bool, first_page: list[ProspectRecord]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._has_more = has_more
        self._row_of = {prospect_id: row for row, prospect_id in enumerate(ids)}
        self._pages.clear()
        if ids:
            self._pages[0] = {record.id: record for record in first_page}
        self.endResetModel()

    def _refetch_rows(self, changed: frozenset[int], *, keep_order_by_name: bool) -> bool:
        """Fetch the rows of ``changed`` again in place, without a reset.

        Typing on the card saves at every pause, and a reset would make the
        list jump under the rep. With ``keep_order_by_name`` (the list is in
        name order) this refuses, returning False, when a prospect is new,
        gone, or renamed, since its row would move.
        """
        desk = self._bridge.desk
        shown = sorted(prospect_id for prospect_id in changed if prospect_id in self._row_of)
        if keep_order_by_name and len(shown) != len(changed):
            return False
        # A row out of sight was never read (the list holds everyone's ids only), so
        # its old name is unknown: its neighbours say whether it may stay. Read
        # together with the changed rows, rather than everyone again (100,000 ids
        # sorted on the window's thread after every call logged from the queue).
        neighbours = {
            neighbour
            for prospect_id in shown
            if keep_order_by_name and self._cached(prospect_id) is None
            for neighbour in self._neighbours(prospect_id)
            if neighbour not in changed and self._cached(neighbour) is None
        }
        read = self._bridge.attempt(lambda: desk.prospects_by_ids([*shown, *neighbours]))
        if read is None:
            return False
        fresh = [record for record in read if record.id in changed]
        if len(fresh) != len(shown):
            return False
        if keep_order_by_name:
            known = {record.id: record for record in read}
            for record in fresh:
                if not self._stays_in_place(record, known):
                    return False
        for record in fresh:
            row = self._row_of[record.id]
            page = self._pages.get(row // PAGE_SIZE)
            if page is not None:
                page[record.id] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        return True

    def _neighbours(self, prospect_id: int) -> list[int]:
        """The ids in the rows just above and below this prospect's."""
        row = self._row_of[prospect_id]
        return self._ids[max(row - 1, 0) : row] + self._ids[row + 1 : row + 2]

    def _stays_in_place(self, record: ProspectRecord, known: dict[int, ProspectRecord]) -> bool:
        """Whether ``record``, just read, still sorts where its row is: the same name as
        the row held, or (a row never read) a name between its neighbours'."""
        cached = self._cached(record.id)
        if cached is not None:
            return _name_key(cached) == _name_key(record)
        key = (*_name_key(record), record.id)
        for neighbour_id in self._neighbours(record.id):
            neighbour = known.get(neighbour_id) or self._cached(neighbour_id)
            if neighbour is None:
                return False
            above = self._row_of[neighbour_id] < self._row_of[record.id]
            if ((*_name_key(neighbour), neighbour_id) < key) != above:
                return False
        return True

    def _cached(self, prospect_id: int) -> ProspectRecord | None:
        page = self._pages.get(self._row_of[prospect_id] // PAGE_SIZE)
        return page.get(prospect_id) if page is not None else None

    def _record(self, row: int) -> ProspectRecord | None:
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            ids = self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
            fetched = self._bridge.attempt(lambda: self._bridge.desk.prospects_by_ids(ids))
            # A failed fetch is cached empty: painting must not report the same
            # problem once per row; the next search or refresh tries again.
            page = {record.id: record for record in fetched or []}
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    def _local_time(self, record: ProspectRecord) -> LocalTime | None:
        if self._profile is None:
            return None
        return local_time(
            record.timezone,
            self._now,
            self._profile.business_start,
            self._profile.business_end,
            self._profile.timezone,
            record.phone,
        )

    def _display(self, record: ProspectRecord, column: int) -> str | None:
        if column == NAME_COLUMN:
            return record.full_name
        if column == COMPANY_COLUMN:
            return record.company
        clock = self._local_time(record)
        if clock is None:
            return None
        if column == LOCAL_TIME_COLUMN:
            # "~" marks a guess: no zone on file, so this is the rep's own time.
            return clock.label if clock.zone_known else f"~{clock.label}"
        return OPEN if clock.in_business_hours else CLOSED

    def _tooltip(self, record: ProspectRecord, column: int) -> str | None:
        if column in (NAME_COLUMN, COMPANY_COLUMN):
            parts = [record.title, record.company, record.phone_display]
            return " · ".join(part for part in parts if part) or None
        clock = self._local_time(record)
        if clock is None or self._profile is None:
            return None
        hours = (
            f"{clock_text(self._profile.business_start)}–"
            f"{clock_text(self._profile.business_end)}, Monday to Friday, "
            "their public holidays off"
        )
        where = (
            f"at their desk ({record.timezone})"
            if clock.zone_known
            else f"in your zone ({self._profile.timezone}): no time zone on file for them"
        )
        state = "within" if clock.in_business_hours else "outside"
        return f"{clock.at:%A} {clock_text(clock.at)} {where}; {state} business hours ({hours})"

    def _time_columns_changed(self) -> None:
        # Only the clock columns depend on "now" and on the rep's hours.
        if self._ids:
            self.dataChanged.emit(
                self.index(0, LOCAL_TIME_COLUMN), self.index(len(self._ids) - 1, HOURS_COLUMN)
            )


def _name_key(record: ProspectRecord) -> tuple[str, str]:
    """What the list is sorted by when there is no search (as the core sorts it)."""
    return record.last_name.lower(), record.first_name.lower()
