"""What to say now: the first words of the call, and the homework behind them.

Under the call's header from F5 to the hang-up: the time-check question until
the prospect says how many minutes they have, then the opener, or instead the
reschedule proposal when the time check says to reschedule; below them the
company summary and the angle from the research notes, so the rep reads all
of it off the screen instead of hunting behind Ctrl+K or on the card.
"""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from callassist.changes import Changes
from callassist.errors import KnownError
from callassist.records import ResearchRecord
from ui.bridge import DeskBridge
from ui.widgets.call_parts import plain_label, scaled_font

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


def _wrapped_label(object_name: str, accessible_name: str) -> QLabel:
    label = plain_label(object_name)
    label.setAccessibleName(accessible_name)
    label.setWordWrap(True)
    return label


class SayNow(QWidget):
    """The words to say now, then the company summary and the angle."""

    def __init__(self, bridge: DeskBridge, proposal: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sayNowBlock")
        self._bridge = bridge
        self._rendered: tuple[tuple[int, str | None, int | None], str] | None = None
        """The last script rendered, by what it was rendered for: starting a call asks
        again for the same words as the call type and the time check settle in."""
        bridge.changed.connect(self._forget_rendered)

        self._words = _wrapped_label("sayNow", "What to say now")
        # A notch above the notes: the eye lands on the words to say first.
        self._words.setFont(scaled_font(self._words, 1.1, bold=False))
        self._summary = _wrapped_label("sayNowSummary", "What the company does")
        self._angle = _wrapped_label("sayNowAngle", "Your angle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The reschedule panel fills in and shows the proposal; its place is here.
        self._proposal = proposal
        for label in (self._words, proposal, self._summary, self._angle):
            layout.addWidget(label)
        self.hide()

    def show_for(
        self,
        prospect_id: int,
        research: ResearchRecord,
        call_type: str | None,
        minutes_available: int | None,
        proposing: bool,
    ) -> None:
        """Show what to say to this prospect, given what the time check knows and says.

        ``proposing``: the time check says to reschedule; its proposal is what to say.
        """
        words = ""
        if not proposing:
            said = self._script(prospect_id, call_type, minutes_available)
            lines = [line.strip() for line in said.splitlines() if line.strip()]
            # Its first two lines: the greeting and the one that matters (the question,
            # or the homework); the rest is in the script lookup, and room here is short.
            words = " ".join(lines[:SAY_NOW_LINES])
        self._words.setText(f"Say: {words}")
        self._words.setAccessibleDescription(words)
        self._words.setVisible(bool(words))
        self._show_note(self._summary, "About them", research.company_summary)
        # An opener built on the angle already says it: once on the screen is enough.
        angle = " ".join(research.angle.split())
        self._show_note(self._angle, "Angle", "" if angle and angle in words else angle)
        self.setVisible(
            any(
                label.isVisibleTo(self)
                for label in (self._words, self._proposal, self._summary, self._angle)
            )
        )

    def _script(self, prospect_id: int, call_type: str | None, minutes: int | None) -> str:
        """The time-check question until their minutes are known, then the opener."""
        asked = (prospect_id, call_type, minutes)
        if self._rendered is not None and self._rendered[0] == asked:
            return self._rendered[1]
        name = TIME_CHECK_SCRIPT if minutes is None else OPENER_SCRIPT
        try:
            text = self._bridge.desk.render_script(
                name, prospect_id, call_type=call_type, minutes_available=minutes
            ).text
        except KnownError:
            # A broken script is shown, with its mistake, in the script lookup (Ctrl+K).
            text = ""
        self._rendered = (asked, text)
        return text

    def _forget_rendered(self, changes: Changes) -> None:
        # The words come from the scripts, the rep's profile and the prospect's data.
        if self._rendered is None:
            return
        if changes.scripts or changes.profile or changes.touches(self._rendered[0][0]):
            self._rendered = None

    @staticmethod
    def _show_note(label: QLabel, title: str, note: str) -> None:
        whole = " ".join(note.split())
        text = shortened(whole)
        label.setText(f"{title}: {text}")
        label.setToolTip(whole if text != whole else "")  # the cut part, on a hover
        label.setVisible(bool(text))
