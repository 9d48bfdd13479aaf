"""What the window says about pains: the pain pane's keys and hints, and the pains left open.

The pain pane notes pains with these keys and reads out the line to say back;
the call panel warns before hanging up about pains not yet asked about or
acknowledged back.
"""

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

from callassist.core import CallDesk
from callassist.errors import KnownError
from callassist.pains import (
    ACKNOWLEDGEMENT_SCRIPT,
    GUIDES,
    acknowledgement,
    said_words,
    unfinished,
)
from callassist.records import PainRecord
from callassist.vocabulary import PainKind

ADD_KEYS: dict[PainKind, str] = {
    PainKind.PAST: "Ctrl+1",
    PainKind.PRESENT: "Ctrl+2",
    PainKind.FUTURE: "Ctrl+3",
    PainKind.PEERS: "Ctrl+4",
}
ASKED_KEY = "Alt+A"
ACKNOWLEDGED_KEY = "Alt+K"
CAN_HELP_KEY = "Alt+H"
PREVIOUS_KEY = "Alt+Up"
NEXT_KEY = "Alt+Down"

NO_CALL_HINT = "Pains are noted during a call: start one with F5."
NO_PAIN_HINT = (
    "Heard a pain? Ctrl+1 past, Ctrl+2 present, Ctrl+3 future, Ctrl+4 peers: "
    "the cursor goes straight to its words."
)
WAITING_FOR_WORDS = "Type what they said: the line to say back uses their words."
SCRIPT_PROBLEM = (
    "Showing the built-in line: your “Acknowledge what you heard” script could not be "
    "used ({error}). Fix it with Scripts > Edit scripts."
)


@functools.cache
def shortcut_text(key: str) -> str:
    """A shortcut as this platform's menus show it ("Ctrl+1", or "⌘1" on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _pain_list(pains: Sequence[PainRecord]) -> str:
    return ", ".join(
        f"'{pain.words}' ({pain.kind.value})"
        if pain.words
        else f"a {GUIDES[pain.kind].label.lower()} pain with no words"
        for pain in pains
    )


def unfinished_pains_text(pains: Sequence[PainRecord]) -> str:
    """What to tell the rep before hanging up, or "" when every pain was handled."""
    left = unfinished(pains)
    parts = []
    if left.not_asked:
        parts.append(f"Not asked about: {_pain_list(left.not_asked)}.")
    if left.not_acknowledged:
        parts.append(f"Not acknowledged: {_pain_list(left.not_acknowledged)}.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class SayBack:
    """What the pane shows on its "Say back:" line."""

    text: str
    problem: str | None = None
    """Why the built-in line is shown instead of the rep's script, in words."""


def say_back_line(desk: CallDesk, prospect_id: int, pain: PainRecord, words: str) -> SayBack:
    """The rep's say-back script for this pain, or the built-in line and why."""
    said = said_words(words)
    try:
        rendered = desk.render_pain_script(ACKNOWLEDGEMENT_SCRIPT, prospect_id, pain.kind, said)
    except KnownError as error:
        # Not through the bridge: it would pop a message up at every pause in
        # typing. The problem is shown once, under the line, until it is fixed.
        return SayBack(f"“{acknowledgement(pain.kind, words)}”", SCRIPT_PROBLEM.format(error=error))
    if not said and "pain.words" in rendered.missing_fields:
        # Nothing typed yet: a "[missing: pain.words]" marker is no line to read out.
        return SayBack(WAITING_FOR_WORDS)
    return SayBack(f"“{rendered.text}”")
