"""The day review's header: which day, what is left to do, and the buttons that page days."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from callassist.review import DayReview
from callassist.wording import counted


def summary_words(review: DayReview, due: int) -> str:
    """What is left to do, in one line: the first thing the rep reads."""
    open_calls = len(review.missing_outcomes)
    first = (
        f"{counted(open_calls, 'call still needs', 'calls still need')} an outcome: fix below."
        if open_calls
        else "Nothing left open."
    )
    if not due:
        return f"{first} Nobody is on tomorrow's list."
    return f"{first} {counted(due, 'prospect')} on tomorrow's list."


class DayHeader(QWidget):
    """The day in words over its one-line summary, then the date and the paging buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setObjectName("reviewHeadline")
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.headline.setFont(font)
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.headline)
        titles.addWidget(self.summary)

        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("reviewDate")
        self.date_edit.setAccessibleName("Day to review")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setToolTip("The day to review: type it, or use Alt+Left and Alt+Right")
        self.previous = QPushButton("◀ Previous (Alt+Left)")
        self.previous.setObjectName("reviewPreviousDay")
        self.following = QPushButton("Next (Alt+Right) ▶")
        self.following.setObjectName("reviewNextDay")
        self.today = QPushButton("Today (Ctrl+T)")
        self.today.setObjectName("reviewToday")
        for button in (self.previous, self.following, self.today):
            # The date edit and the lists are where Enter means something.
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(titles, 1)
        row.addWidget(self.previous)
        row.addWidget(self.date_edit)
        row.addWidget(self.following)
        row.addWidget(self.today)
