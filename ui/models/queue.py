"""Today's call queue as a table: who is due, when, what to do and which script.

The core works the queue out (:meth:`CallDesk.queue`, due and overdue first,
then later today); this model only words it for the rep. The due time is
shown in the rep's own time with its group written out ("Overdue",
"Due now", "Later today") so the grouping never rests on colour alone, and
the prospect's own clock beside it. At 20,000 enrolled a queue holds
thousands of rows: where each stands is found on the pane's worker
(:func:`look_at_queue`), the model is reset on each reload, and a row is worded
when the table or the pane first asks for it.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, tzinfo

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from callassist.core import CallDesk
from callassist.localtime import clock_text
from callassist.phones import zone
from callassist.records import ProspectRecord, QueueItem
from callassist.vocabulary import QueueAction
from callassist.wording import GROUP_WORDS, THEIR_ZONE_UNKNOWN, DueGroup, DueGrouping
from ui.bridge import DeskBridge
from ui.models.table import AnyIndex, HeaderedTableModel
from ui.plain_text import plain_tooltip

PROSPECT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's prospect id (int)."""
QUEUE_ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's QueueItem, as the core gave it."""
DUE_GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
"""The value of the row's :class:`DueGroup` ("overdue", "due_now"...)."""
ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        PROSPECT_ID_ROLE,
        QUEUE_ITEM_ROLE,
        DUE_GROUP_ROLE,
    }
)
"""The roles :meth:`QueueModel.data` has anything for."""

DUE_COLUMN = 0
NAME_COLUMN = 1
COMPANY_COLUMN = 2
THEIR_TIME_COLUMN = 3
ACTION_COLUMN = 4
MESSAGE_COLUMN = 5
SCRIPT_COLUMN = 6
CADENCE_COLUMN = 7
ATTEMPT_COLUMN = 8
HEADERS = (
    "Due",
    "Name",
    "Company",
    "Their time",
    "Action",
    "Message",
    "Script",
    "Cadence",
    "Attempt",
)

ACTION_WORDS = {
    QueueAction.CALL: "Call",
    QueueAction.EMAIL: "Email",
    QueueAction.MEETING: "Meeting",
    QueueAction.MOVE_ON: "Move on",
}
LEAVE_MESSAGE = "Leave a message"
NO_MESSAGE = "No message"
NOT_A_CALL = "—"
"""The message column for emails, meetings and moving on: there is no voicemail to decide."""
NO_SCRIPT = "—"
OUTSIDE_YOUR_HOURS = "outside your hours"
"""Said of a line due outside the rep's business hours: a prospect whose working day
never meets theirs (due at the edge of the rep's day), or a call booked then."""
FOLLOW_UP = "Booked follow-up"
"""The cadence column of a follow-up (a reschedule, a promised call), which is in none."""


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One queue line and the words the table shows for it."""

    item: QueueItem
    group: DueGroup
    due: str
    """The due column: the group in words and the time ("Due now · 10:00 AM"), and
    "outside your hours" when it is."""
    due_time: str
    """The rep's time alone ("10:00 AM", or "Mon 10:00 AM" on another day)."""
    their_time: str
    action: str
    message: str
    script: str
    cadence: str
    attempt: str

    def cells(self) -> tuple[str, ...]:
        """The display text of each column, in column order."""
        return (
            self.due,
            self.item.name,
            self.item.company,
            self.their_time,
            self.action,
            self.message,
            self.script,
            self.cadence,
            self.attempt,
        )

    def summary(self) -> str:
        """The whole line in one sentence, for a tooltip or the pane's detail line."""
        who = " · ".join(part for part in (self.item.name, self.item.company) if part)
        what = self.action
        if self.item.action is QueueAction.CALL:
            what += ", leave a message" if self.item.leave_message else ", no message"
        if self.item.script is not None:
            what += f" (script: {self.script})"
        when = f"{self.due_time} your time, {self.their_time} theirs"
        if not self.item.within_your_hours:
            when += f", {OUTSIDE_YOUR_HOURS}"
        if self.group in GROUP_WORDS:
            when = f"{GROUP_WORDS[self.group].lower()}: {when}"
        facts = [what, when, self.cadence]
        if self.attempt:
            facts.append(f"attempt {self.attempt}")
        return f"{who} — " + " · ".join(facts)


def word_row(
    item: QueueItem, group: DueGroup, *, day: date, rep: tzinfo, script_titles: Mapping[str, str]
) -> QueueRow:
    """Word a core's queue line of ``day``, whose group was found at the look, for the table."""
    due_here = item.due_at.astimezone(rep)
    due_time = clock_text(due_here)
    if group is DueGroup.ANOTHER_DAY or due_here.date() != day:
        due_time = f"{due_here:%a} {due_time}"
    due = f"{GROUP_WORDS[group]} · {due_time}" if group in GROUP_WORDS else due_time
    if not item.within_your_hours:
        due += f" · {OUTSIDE_YOUR_HOURS}"
    local = item.local_time
    their_time = f"{clock_text(local)} {local.tzname()}"
    if local.date() != due_here.date():
        their_time = f"{local:%a} {their_time}"
    if not item.their_zone_known:
        their_time = THEIR_ZONE_UNKNOWN
    return QueueRow(
        item=item,
        group=group,
        due=due,
        due_time=due_time,
        their_time=their_time,
        action=ACTION_WORDS[item.action],
        message=_message(item),
        script=script_titles.get(item.script, item.script) if item.script else NO_SCRIPT,
        cadence=_cadence(item),
        attempt=str(item.attempt) if item.attempt is not None else "",
    )


@dataclass(frozen=True, slots=True)
class QueueLook:
    """A day's queue as one look found it: the core's lines, where each stood at the look,
    and what wording them takes (the rep's zone, the scripts' titles).

    The lines are worded as the table shows them (:func:`word_row`): thousands of
    lines, of which a screen shows thirty.
    """

    items: Sequence[QueueItem]
    groups: Sequence[DueGroup]
    day: date
    rep_zone: str
    script_titles: Mapping[str, str]
    problems: Sequence[str] = ()
    rep_today: date | None = None
    """The rep's own day at the look (None: not looked yet)."""
    group_counts: Mapping[DueGroup, int] = field(default_factory=dict)
    carried_over: int = 0
    """Lines that fell due before ``day`` began (counted here, off the window's thread)."""


def look_at_queue(
    desk: CallDesk, items: Sequence[QueueItem], day: date, problems: Sequence[str] = ()
) -> QueueLook:
    """Where each of ``items`` of ``day`` stands now, as the rep's profile and scripts say:
    reads the desk only, so the queue pane does it on its worker with the queue itself."""
    profile = desk.profile()
    now, rep_zone = desk.clock(), zone(profile.timezone)
    grouping = DueGrouping(day=day, now=now, rep_zone=rep_zone)
    groups = [grouping.of(item.due_at, late_after=item.late_after) for item in items]
    titles = {script.name: script.title for script in desk.list_scripts()}
    return QueueLook(
        items,
        groups,
        day,
        profile.timezone,
        titles,
        problems,
        rep_today=now.astimezone(rep_zone).date(),
        group_counts=Counter(groups),
        carried_over=sum(1 for item in items if item.overdue),
    )


def _message(item: QueueItem) -> str:
    if item.action is not QueueAction.CALL:
        return NOT_A_CALL
    return LEAVE_MESSAGE if item.leave_message else NO_MESSAGE


def _cadence(item: QueueItem) -> str:
    """ "Persistence 5/13": the cadence's title, the step and how many this prospect has."""
    if item.cadence is None:
        return FOLLOW_UP
    title = item.cadence_title or item.cadence
    if item.step is None or item.steps is None:
        return title
    return f"{title} {item.step}/{item.steps}"


class QueueModel(HeaderedTableModel):
    """The queue of one day, reloaded from the core on demand."""

    def __init__(self, bridge: DeskBridge, parent: QObject | None = None) -> None:
        super().__init__(HEADERS, parent)
        self._bridge = bridge
        self._look = QueueLook([], [], date.min, "UTC", {})
        self._items: list[QueueItem] = []
        self._worded: dict[int, QueueRow] = {}
        """Rows worded so far, by row: those the table showed or the pane asked for."""

    # -- what the pane asks -------------------------------------------------

    def queue_row(self, row: int) -> QueueRow:
        worded = self._worded.get(row)
        if worded is None:
            look = self._look
            worded = word_row(
                self._items[row],
                look.groups[row],
                day=look.day,
                rep=zone(look.rep_zone),
                script_titles=look.script_titles,
            )
            self._worded[row] = worded
        return worded

    def row_of(self, prospect_id: int) -> int | None:
        """The first row of this prospect (a prospect may have a step and a follow-up)."""
        return next(
            (row for row, item in enumerate(self._items) if item.prospect_id == prospect_id),
            None,
        )

    def cadence_problems(self) -> list[str]:
        """The cadence files left out at the last load, each naming the file and step."""
        return list(self._look.problems)

    def count(self, *groups: DueGroup) -> int:
        return sum(self._look.group_counts.get(group, 0) for group in groups)

    def carried_over(self) -> int:
        """Lines of another day's list that fell due before that day began.

        Whether they are late is the group's business: some may still be
        later today.
        """
        return self._look.carried_over

    def rep_today(self) -> date | None:
        """The rep's own day when the lines shown were looked at (None before any look)."""
        return self._look.rep_today

    # -- loading --------------------------------------------------------------

    def show(self, items: Sequence[QueueItem], day: date, *, problems: Sequence[str] = ()) -> bool:
        """Show ``items``, a queue of ``day`` the core already gave (the review's tomorrow).

        ``problems`` are the cadence files left out, for :meth:`cadence_problems`.
        False (rows kept) when the core could not say the rep's time zone.
        """
        look = self._bridge.attempt(lambda: look_at_queue(self._bridge.desk, items, day, problems))
        if look is None:
            return False
        self.show_look(look)
        return True

    def show_look(self, look: QueueLook) -> None:
        """Show the lines of a look (worked out on a worker: thousands take a while)."""
        self.beginResetModel()
        self._look = look
        self._items = list(look.items)
        self._worded = {}
        self.endResetModel()

    def rename(self, records: Sequence[ProspectRecord]) -> bool:
        """Show new names and companies of prospects in the queue, in place.

        Working out the queue means working out the step of every enrolled
        prospect, too much to repeat at every typing pause on the card. A name
        or a company only changes words; a new title or time zone can change
        the step, the number of steps or the due time, so then this returns
        False and nothing changes: the caller asks the core again.
        """
        fresh = {record.id: record for record in records}
        for item in self._items:
            record = fresh.get(item.prospect_id)
            if record is None:
                continue
            zone_name = record.timezone or self._look.rep_zone
            if record.title != item.job_title or zone_name != str(item.local_time.tzinfo):
                return False
        for row, item in enumerate(self._items):
            record = fresh.get(item.prospect_id)
            if record is None:
                continue
            self._items[row] = replace(item, name=record.full_name, company=record.company)
            self._worded.pop(row, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        return True

    # -- Qt's model interface -------------------------------------------------

    def row_count(self) -> int:
        return len(self._items)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in ANSWERED_ROLES:
            return None  # most of what the view asks each cell: answered in one look-up
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        line = self.queue_row(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return line.cells()[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            prompt = f"\n{line.item.prompt}" if line.item.prompt else ""
            return plain_tooltip(line.summary() + prompt)
        if role == Qt.ItemDataRole.FontRole and column == DUE_COLUMN and line.group.is_due:
            # The words say it; weight lets the due rows stand out when scanning.
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == PROSPECT_ID_ROLE:
            return line.item.prospect_id
        if role == QUEUE_ITEM_ROLE:
            return line.item
        if role == DUE_GROUP_ROLE:
            return line.group.value
        return None
