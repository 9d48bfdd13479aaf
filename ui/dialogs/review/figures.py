"""The day review's figures: big numbers in tiles, the calls' and the pains heard."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from callassist.review import DayReview
from callassist.vocabulary import PainKind

NO_RATE = "—"
"""The connect rate of a day without dials."""

# (objectName, caption, what it counts): the day's figures, in reading order.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("reviewDials", "Dials", "Every call attempt of the day."),
    ("reviewConnects", "Connects", "Calls that reached the prospect: connected or rescheduled."),
    ("reviewConnectRate", "Connect rate", "Connects per dial."),
    ("reviewVoicemails", "Voicemails left", "Calls that ended with a voicemail."),
    ("reviewEmails", "Emails sent", "Emails logged that day."),
    ("reviewReschedules", "Reschedules won", "Calls moved to a time with room for them."),
    (
        "reviewTimeChecks",
        "Time check asked",
        "Connects on which you asked whether it was a good time, of all connects.",
    ),
    (
        "reviewOverran",
        "Ran past their time",
        "Connects that went on longer than the minutes the prospect said they had.",
    ),
    ("reviewMovedOn", "Moved on", "Prospects whose cadence ended that day with no reply."),
)
PAIN_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("reviewPains", "Pains heard", "Pains noted that day, of every kind."),
    ("reviewPainsAsked", "Asked about", "Pains you asked a question about, of all heard."),
    ("reviewPainsAcknowledged", "Acknowledged", "Pains you said back to the prospect."),
)
PAIN_KIND_FIGURES: dict[PainKind, tuple[str, str]] = {
    PainKind.PAST: ("reviewPainsPast", "Past"),
    PainKind.PRESENT: ("reviewPainsPresent", "Present"),
    PainKind.FUTURE: ("reviewPainsFuture", "Future"),
    PainKind.PEERS: ("reviewPainsPeers", "Peers"),
}


def rate_text(review: DayReview) -> str:
    """The connect rate as the command line words it ("29%"), or a dash with no dials."""
    rate = review.connect_rate
    return f"{rate:.0%}" if rate is not None else NO_RATE


class FigureTile(QFrame):
    """One figure: a big number over what it counts."""

    def __init__(
        self, name: str, caption: str, hint: str, *, big: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setToolTip(hint)
        self.value = QLabel("…")  # until the day's figures are read
        self.value.setObjectName(name)
        self.value.setAccessibleName(caption)
        self.value.setAccessibleDescription(hint)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * (1.7 if big else 1.3))
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label = QLabel(caption)
        label.setWordWrap(True)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(label)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class DayFigures(QWidget):
    """Every figure of one day: the calls' in one box, the pains heard in another."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[str, FigureTile] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_calls())
        layout.addWidget(self._build_pains())

    def _build_calls(self) -> QGroupBox:
        box = QGroupBox("The day's calls")
        grid = QGridLayout(box)
        grid.setSpacing(6)
        for position, (name, caption, hint) in enumerate(FIGURES):
            tile = FigureTile(name, caption, hint)
            grid.addWidget(tile, position // 3, position % 3)
            self._tiles[name] = tile
        return box

    def _build_pains(self) -> QGroupBox:
        box = QGroupBox("Pains heard")
        grid = QGridLayout(box)
        grid.setSpacing(6)
        for column, (name, caption, hint) in enumerate(PAIN_FIGURES):
            tile = FigureTile(name, caption, hint)
            grid.addWidget(tile, 0, column * 4, 1, 4)
            self._tiles[name] = tile
        for column, (name, caption) in enumerate(PAIN_KIND_FIGURES.values()):
            tile = FigureTile(name, caption, f"{caption} pains heard.", big=False)
            grid.addWidget(tile, 1, column * 3, 1, 3)
            self._tiles[name] = tile
        return box

    def show_review(self, review: DayReview) -> None:
        pains = review.pains
        values = {
            "reviewDials": str(review.dials),
            "reviewConnects": str(review.connects),
            "reviewConnectRate": rate_text(review),
            "reviewVoicemails": str(review.voicemails),
            "reviewEmails": str(review.emails),
            "reviewReschedules": str(review.reschedules),
            "reviewTimeChecks": f"{review.time_checks_asked} of {review.connects}",
            "reviewOverran": str(review.overran),
            "reviewMovedOn": str(review.moved_on),
            "reviewPains": str(pains.total),
            "reviewPainsAsked": f"{pains.asked} of {pains.total}",
            "reviewPainsAcknowledged": f"{pains.acknowledged} of {pains.total}",
        }
        for kind, (name, _caption) in PAIN_KIND_FIGURES.items():
            values[name] = str(pains.by_kind.get(kind.value, 0))
        for name, text in values.items():
            self._tiles[name].set_value(text)
