"""The one look of the window's lists: whole rows, read-only, keys that move between rows."""

from PySide6.QtWidgets import QAbstractItemView, QTableView


def as_row_list(
    view: QTableView,
    selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
) -> QTableView:
    """Rows picked whole, never edited in place, one line each, no row numbers.

    Tab leaves the list rather than walking its cells: in a call the rep
    tabs from part to part, and the arrows move within a list.
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(selection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    return view
