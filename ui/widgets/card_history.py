"""What was said before, on the prospect card: the last message left word for
word, the pains heard in the prospect's words, and the recent attempts and open
follow-ups. A prospect who calls back days later starts with "you left me a
message about...", and the rep calling back starts from what hurts."""

import html
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QVBoxLayout, QWidget

from callassist.localtime import day_and_time
from callassist.pains import GUIDES
from callassist.records import AttemptRecord, PainRecord, ProspectDetail
from callassist.wording import OUTCOME_WORDS
from ui.models.pains import NO_WORDS
from ui.widgets.card_parts import relative_day

ATTEMPTS_SHOWN = 6
"""Recent attempts on the card; enough to see the cadence without scrolling."""
PAINS_SHOWN = 8
"""Pains on the card, newest first; more than a few calls' worth is rarely read."""
PAIN_MARKS: tuple[tuple[str, str], ...] = (
    ("✓ asked", "✗ not asked"),
    ("✓ acknowledged", "✗ not acknowledged"),
    # Unticked means nobody said we can help yet, not that we can't.
    ("✓ we can help", "✗ no help noted"),
)
"""(yes, no) words for a pain's asked, acknowledged and can-help marks: a glyph and words,
short enough to keep each pain to a few lines on the card."""

ScriptTitle = Callable[[str], str]
"""The title the rep gave a script, from the name an attempt recorded."""


class LastMessage(QGroupBox):
    """The last message left, word for word, and when; hidden when none was left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Last message left", parent)
        self.setObjectName("lastMessage")
        self._when = QLabel(self)
        self._when.setTextFormat(Qt.TextFormat.PlainText)
        self._when.setWordWrap(True)
        self._text = QLabel(self)
        self._text.setObjectName("lastMessageText")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Framed on the text background, like a quote: these are the exact words said.
        self._text.setFrameShape(QFrame.Shape.StyledPanel)
        self._text.setAutoFillBackground(True)
        self._text.setBackgroundRole(QPalette.ColorRole.Base)
        self._text.setMargin(8)
        box = QVBoxLayout(self)
        box.addWidget(self._when)
        box.addWidget(self._text)

    def show_message(
        self, attempt: AttemptRecord | None, zone_name: str, script_title: ScriptTitle
    ) -> None:
        self.setVisible(attempt is not None)
        if attempt is None:
            return
        outcome = OUTCOME_WORDS[attempt.outcome] if attempt.outcome else "Message"
        parts = [f"{outcome} {day_and_time(attempt.at, zone_name)}"]
        if attempt.script_name:
            parts.append(f"script: {script_title(attempt.script_name)}")
        self._when.setText(" · ".join(parts))
        self._text.setText(attempt.rendered_text or "")


class PainsHeard(QGroupBox):
    """The pains heard on every call with the prospect, newest first; hidden when none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pains heard", parent)
        self.setObjectName("painsHeard")
        self._list = QLabel(self)
        self._list.setObjectName("painsHeardList")
        self._list.setTextFormat(Qt.TextFormat.RichText)
        self._list.setWordWrap(True)
        self._list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self)
        box.addWidget(self._list)

    def show_pains(self, pains: Sequence[PainRecord], now: datetime, zone_name: str) -> None:
        # The pains come with the card's one load of the prospect (and again with
        # each change to them, a pain noted on this call included): no query of its own.
        self.setVisible(bool(pains))
        if not pains:
            return
        entries = []
        for pain in sorted(pains, key=lambda p: (p.noted_at, p.id), reverse=True)[:PAINS_SHOWN]:
            said = f"“{html.escape(pain.words)}”" if pain.words else f"<i>{NO_WORDS}</i>"
            # Non-breaking inside a mark: a narrow card wraps between marks, not within one.
            marks = " · ".join(
                (yes if value else no).replace(" ", "&nbsp;")
                for value, (yes, no) in zip(
                    (pain.asked, pain.acknowledged, pain.can_help), PAIN_MARKS, strict=True
                )
            )
            when = html.escape(relative_day(pain.noted_at, now, zone_name))
            entries.append(
                f"<p style='margin-top:0; margin-bottom:6px'><b>{GUIDES[pain.kind].label} pain</b>"
                f" · {when}: {said}<br>{marks}</p>"
            )
        earlier = len(pains) - PAINS_SHOWN
        more = f"<p>…and {earlier} earlier</p>" if earlier > 0 else ""
        self._list.setText("".join(entries) + more)


class History(QGroupBox):
    """The recent attempts and the open follow-ups, in the rep's time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("History", parent)
        self.setObjectName("prospectHistory")
        self._attempts = QLabel(self)
        self._attempts.setObjectName("attemptHistory")
        self._attempts.setTextFormat(Qt.TextFormat.RichText)
        self._attempts.setWordWrap(True)
        self._follow_ups = QLabel(self)
        self._follow_ups.setObjectName("openFollowUps")
        self._follow_ups.setTextFormat(Qt.TextFormat.RichText)
        self._follow_ups.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self._attempts)
        box.addWidget(self._follow_ups)

    def show_history(
        self, detail: ProspectDetail, zone_name: str, script_title: ScriptTitle
    ) -> None:
        if not detail.attempts:
            self._attempts.setText("<p>No calls or emails yet.</p>")
        else:
            # One short paragraph per attempt: a table would wrap the dates in a narrow card.
            entries = []
            for attempt in detail.attempts[:ATTEMPTS_SHOWN]:
                outcome = OUTCOME_WORDS[attempt.outcome] if attempt.outcome else "no outcome logged"
                facts = [f"<b>{html.escape(day_and_time(attempt.at, zone_name))}</b>", outcome]
                if attempt.script_name:
                    facts.append(f"<i>{html.escape(script_title(attempt.script_name))}</i>")
                note = f"<br>{html.escape(attempt.notes)}" if attempt.notes else ""
                entries.append(
                    f"<p style='margin-top:0; margin-bottom:6px'>{' · '.join(facts)}{note}</p>"
                )
            earlier = len(detail.attempts) - ATTEMPTS_SHOWN
            more = f"<p>…and {earlier} earlier</p>" if earlier > 0 else ""
            self._attempts.setText(
                f"<p><b>Last attempts</b> (your time)</p>{''.join(entries)}{more}"
            )
        if not detail.follow_ups:
            self._follow_ups.setText("<p>No open follow-ups.</p>")
        else:
            items = "".join(
                f"<li>{html.escape(day_and_time(follow_up.due_at, zone_name))} · "
                f"{html.escape(follow_up.kind.value)}, {follow_up.minutes} min"
                + (f" · {html.escape(follow_up.reason)}" if follow_up.reason else "")
                + "</li>"
                for follow_up in detail.follow_ups
            )
            self._follow_ups.setText(
                f"<p><b>Open follow-ups</b> (Ctrl+Shift+B moves or calls them off)</p>"
                f"<ul>{items}</ul>"
            )
