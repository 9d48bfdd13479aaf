"""What to say now: the first words of the call, and the homework behind them.

Under the call's header from F5 to the hang-up: the time-check question until
the prospect says how many minutes they have, then the opener, or instead the
reschedule proposal when the time check says to reschedule; below them the
company summary and the angle from the research notes, so the rep reads all
of it off the screen instead of hunting behind Ctrl+K or on the card.
"""

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.errors import KnownError
from callassist.records import ResearchRecord
from ui.background import Outcome, run_in_worker
from ui.bridge import DeskBridge
from ui.widgets.call_parts import plain_label, scaled_font

TIME_CHECK_SCRIPT = "time_check_question"
OPENER_SCRIPT = "opener_research"
SAY_NOW_LINES = 2
RESEARCH_CHARS = 160
"""About two lines of a narrow panel: the whole note is on the card; this is a reminder."""

Asked = tuple[int, str | None, int | None]
"""What the words are rendered for: the prospect, the call type and their minutes."""


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
    """The words to say now, then the company summary and the angle.

    The words are rendered on a worker (the script's context is a few reads
    and a render: tens of milliseconds at F5, when the rep is already talking);
    the notes show at once and the words join them when rendered.
    """

    def __init__(self, bridge: DeskBridge, proposal: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sayNowBlock")
        self._bridge = bridge
        self._research: ResearchRecord | None = None
        self._wanted: Asked | None = None
        """What the words on screen are for; None while the proposal is what to say."""
        self._rendered: tuple[Asked, str] | None = None
        """The last script rendered, by what it was rendered for: starting a call asks
        again for the same words as the call type and the time check settle in."""
        self._rendering_for: Asked | None = None
        """What the render under way is for; None when none is."""
        self._words_for: int | None = None
        """The prospect whose words are on screen."""
        self._data_changes = 0
        """Counts the changes to what the words come from: a render started before
        one is out of date when it arrives."""
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
        self._research = research
        self._wanted = None if proposing else (prospect_id, call_type, minutes_available)
        self._show()

    def clear(self) -> None:
        """Nothing to say (no call, or hung up): hidden, and a render under way stays so."""
        self._wanted = None
        self.hide()

    def _show(self) -> None:
        words = ""
        if self._wanted is not None:
            if self._rendered is not None and self._rendered[0] == self._wanted:
                said = self._rendered[1]
                lines = [line.strip() for line in said.splitlines() if line.strip()]
                # Its first two lines: the greeting and the one that matters (the
                # question, or the homework); the rest is in the script lookup, and
                # room here is short.
                words = " ".join(lines[:SAY_NOW_LINES])
            else:
                self._render()
                if self._words_for == self._wanted[0]:
                    # The same prospect's last words stay until the new ones are
                    # rendered, rather than the panel jumping twice.
                    words = self._words.accessibleDescription()
        self._words_for = self._wanted[0] if self._wanted is not None and words else None
        self._words.setText(f"Say: {words}")
        self._words.setAccessibleDescription(words)
        self._words.setVisible(bool(words))
        research = self._research
        self._show_note(self._summary, "About them", research.company_summary if research else "")
        # An opener built on the angle already says it: once on the screen is enough.
        angle = " ".join(research.angle.split()) if research else ""
        self._show_note(self._angle, "Angle", "" if angle and angle in words else angle)
        self.setVisible(
            any(
                label.isVisibleTo(self)
                for label in (self._words, self._proposal, self._summary, self._angle)
            )
        )

    def _render(self) -> None:
        """Render the words for what is wanted now; one render at a time, the newest wins."""
        if self._rendering_for is not None or self._wanted is None:
            return  # the render under way shows again when it arrives, and so renders anew
        asked, changes_seen = self._wanted, self._data_changes
        desk = self._bridge.desk
        self._rendering_for = asked
        run_in_worker(
            lambda: _script(desk, asked),
            lambda outcome: self._arrived(asked, changes_seen, outcome),
            owner=self,
        )

    def _arrived(self, asked: Asked, changes_seen: int, outcome: Outcome[str]) -> None:
        self._rendering_for = None
        text = self._bridge.attempt(outcome.get)
        if text is not None and changes_seen == self._data_changes:
            self._rendered = (asked, text)
        if self._wanted is not None:
            self._show()

    def _forget_rendered(self, changes: Changes) -> None:
        # The words come from the scripts, the rep's profile and the prospect's data.
        def stale(asked: Asked) -> bool:
            return changes.scripts or changes.profile or changes.touches(asked[0])

        if self._rendering_for is not None and stale(self._rendering_for):
            self._data_changes += 1  # the render under way may have read the old data
        if self._rendered is not None and stale(self._rendered[0]):
            self._rendered = None

    @staticmethod
    def _show_note(label: QLabel, title: str, note: str) -> None:
        whole = " ".join(note.split())
        text = shortened(whole)
        label.setText(f"{title}: {text}")
        label.setToolTip(whole if text != whole else "")  # the cut part, on a hover
        label.setVisible(bool(text))


def _script(desk: CallDesk, asked: Asked) -> str:
    """The time-check question until their minutes are known, then the opener (on a worker)."""
    prospect_id, call_type, minutes = asked
    name = TIME_CHECK_SCRIPT if minutes is None else OPENER_SCRIPT
    try:
        return desk.render_script(
            name, prospect_id, call_type=call_type, minutes_available=minutes
        ).text
    except KnownError:
        # A broken script is shown, with its mistake, in the script lookup (Ctrl+K).
        return ""
