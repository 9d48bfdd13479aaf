"""The script list of the lookup: every script, the next step's first, filtered as typed.

:class:`ScriptListModel` holds the :class:`~callassist.templates.ScriptInfo`
records (a dozen or so, so all of them) and which names the prospect's next
step calls for. :class:`ScriptFilterProxy` keeps the scripts matching every
typed word and orders them: scripts whose title, name or channel match come
before those that match only by the moment they are used for, so typing
"third" puts "Third voicemail" ahead of an email that merely mentions the
third voicemail; within that, next-step scripts first, then by title.
"""

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from callassist.templates import ScriptInfo

SCRIPT_INFO_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's ScriptInfo."""
SCRIPT_NAME_ROLE = Qt.ItemDataRole.UserRole + 2
"""The script's name, as render_script takes it."""
NEXT_STEP_RANK_ROLE = Qt.ItemDataRole.UserRole + 3
"""0 for the best script for the next step, 1 for the next...; None for the others."""
HEADLINE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 4
"""Title, name and channel in lower case: what a typed word matches first."""
MOMENT_TEXT_ROLE = Qt.ItemDataRole.UserRole + 5
"""When the script is used, in lower case: what a typed word matches second."""

NEXT_STEP_LABEL = "Next step"
CHANNEL_LABELS = {"call": "on the call", "voicemail": "voicemail", "email": "email"}

AnyIndex = QModelIndex | QPersistentModelIndex


class ScriptListModel(QAbstractListModel):
    """The scripts, with the next step's names marked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scripts: list[ScriptInfo] = []
        self._ranks: dict[str, int] = {}

    def set_scripts(self, scripts: Sequence[ScriptInfo], first: Sequence[str] = ()) -> None:
        """Show ``scripts``; the names in ``first`` (best first) are the next step's."""
        self.beginResetModel()
        self._scripts = list(scripts)
        self._ranks = {}
        for name in first:
            self._ranks.setdefault(name, len(self._ranks))
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's API
        return 0 if parent.isValid() else len(self._scripts)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._scripts):
            return None
        info = self._scripts[index.row()]
        rank = self._ranks.get(info.name)
        if role == Qt.ItemDataRole.DisplayRole:
            # Two lines, so a long title is never cut short by what it is.
            details = [CHANNEL_LABELS.get(info.channel, info.channel)]
            if rank is not None:
                details.insert(0, NEXT_STEP_LABEL)
            if info.origin == "user":
                details.append("your version")
            elif info.origin == "team":
                details.append("the team's version")
            return f"{info.title}\n{' · '.join(details)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return info.used_when
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return info.used_when
        if role == Qt.ItemDataRole.FontRole and rank is not None:
            # The next step stands out by weight, which every palette shows.
            font = QFont()
            font.setBold(True)
            return font
        if role == SCRIPT_INFO_ROLE:
            return info
        if role == SCRIPT_NAME_ROLE:
            return info.name
        if role == NEXT_STEP_RANK_ROLE:
            return rank
        if role == HEADLINE_TEXT_ROLE:
            # "voicemail_third" also as "voicemail third", so a typed word finds it.
            return " ".join(
                (info.title, info.name, info.name.replace("_", " "), info.channel)
            ).lower()
        if role == MOMENT_TEXT_ROLE:
            return info.used_when.lower()
        return None


class ScriptFilterProxy(QSortFilterProxyModel):
    """Scripts matching every typed word, best match first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self.setDynamicSortFilter(True)
        self.sort(0)

    @property
    def query(self) -> str:
        return " ".join(self._words)

    def set_query(self, text: str) -> None:
        """Filter by the words of ``text`` (any order, any case)."""
        words = tuple(text.lower().split())
        if words == self._words:
            return
        self._words = words
        # The order depends on the words too (headline matches first), so
        # both the filter and the sort are redone.
        self.invalidate()

    def _match_quality(self, source_row: int) -> int | None:
        """0: every word in the headline; 1: some only in the moment; None: no match."""
        model = self.sourceModel()
        index = model.index(source_row, 0)
        headline = str(model.data(index, HEADLINE_TEXT_ROLE) or "")
        if all(word in headline for word in self._words):
            return 0
        everything = headline + " " + str(model.data(index, MOMENT_TEXT_ROLE) or "")
        if all(word in everything for word in self._words):
            return 1
        return None

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        return self._match_quality(source_row) is not None

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802 - Qt's name
        return self._sort_key(left) < self._sort_key(right)

    def _sort_key(self, index: AnyIndex) -> tuple[int, bool, int, str]:
        rank = index.data(NEXT_STEP_RANK_ROLE)
        info = index.data(SCRIPT_INFO_ROLE)
        return (
            self._match_quality(index.row()) or 0,
            not isinstance(rank, int),
            rank if isinstance(rank, int) else 0,
            info.title.lower() if isinstance(info, ScriptInfo) else "",
        )
