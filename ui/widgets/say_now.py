"""What to say now: the first words of the call, and the homework behind them.

Under the call's header from F5 to the hang-up: the time-check question until
the prospect says how many minutes they have, then the opener; below them the
company summary and the angle from the research notes, so the rep reads all
of it off the screen instead of hunting behind Ctrl+K or on the card.
"""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from callassist.errors import KnownError
from callassist.records import ResearchRecord
from ui.bridge import DeskBridge
from ui.widgets.call_parts import flag_label

TIME_CHECK_SCRIPT = "time_check_question"
OPENER_SCRIPT = "opener_research"
SAY_NOW_LINES = 2
RESEARCH_CHARS = 160
"""About two lines of a narrow panel: the whole note is on the card; this is a reminder."""


def shortened(text: str, limit: int = RESEARCH_CHARS) -> str:
    """``text`` (one line) cut at a word before ``limit`` characters, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


class SayNow(QWidget):
    """The words to say now, then the company summary and the angle."""

    def __init__(self, bridge: DeskBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sayNowBlock")
        self._bridge = bridge

        self._words = flag_label("sayNow")
        self._words.setAccessibleName("What to say now")
        self._summary = flag_label("sayNowSummary")
        self._summary.setAccessibleName("What the company does")
        self._angle = flag_label("sayNowAngle")
        self._angle.setAccessibleName("Your angle")
        # One block, read top to bottom: no margin between its lines but the labels' own.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for label in (self._words, self._summary, self._angle):
            layout.addWidget(label)
        self.hide()

    def show_for(
        self,
        prospect_id: int,
        research: ResearchRecord,
        call_type: str | None,
        minutes_available: int | None,
    ) -> None:
        """Show what to say to this prospect, given what the time check knows so far."""
        name = TIME_CHECK_SCRIPT if minutes_available is None else OPENER_SCRIPT
        try:
            rendered = self._bridge.desk.render_script(
                name, prospect_id, call_type=call_type, minutes_available=minutes_available
            )
        except KnownError:
            # A broken script is shown, with its mistake, in the script lookup (Ctrl+K).
            rendered = None
        if rendered is None:
            self._words.hide()
        else:
            # Its first two lines: the greeting and the one that matters (the question,
            # or the homework); the rest is in the script lookup, and room here is short.
            lines = [line.strip() for line in rendered.text.splitlines() if line.strip()]
            said = " ".join(lines[:SAY_NOW_LINES])
            self._words.setText(f"Say: {said}")
            self._words.setAccessibleDescription(said)
            self._words.show()
        self._show_note(self._summary, "About them", research.company_summary)
        self._show_note(self._angle, "Angle", research.angle)
        self.setVisible(
            any(label.isVisibleTo(self) for label in (self._words, self._summary, self._angle))
        )

    @staticmethod
    def _show_note(label: QLabel, title: str, note: str) -> None:
        whole = " ".join(note.split())
        text = shortened(whole)
        label.setText(f"{title}: {text}")
        label.setToolTip(whole if text != whole else "")  # the cut part, on a hover
        label.setVisible(bool(text))
