"""The four kinds of pain (domain.md, section 3) and what to say about each.

When pain is heard the rep asks a question about it and acknowledges it, so the
prospect knows they were heard; these are the suggestions the pain pane shows.
The line to say back comes from the rep-editable script
:data:`ACKNOWLEDGEMENT_SCRIPT`; the fixed lines here are what the pane falls
back on when that script cannot be rendered.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from callassist.records import PainRecord
from callassist.vocabulary import PainKind

ACKNOWLEDGEMENT_SCRIPT = "pain_acknowledgement"
"""The script the pain pane renders for its "Say back" line (the rep may have edited it)."""

# What ends a typed sentence; dropped because the words are quoted inside a longer one.
_SENTENCE_END = ".!?…"


@dataclass(frozen=True, slots=True)
class PainGuide:
    """Suggestions for one kind of pain."""

    kind: PainKind
    label: str
    listen_for: str
    probing_question: str
    acknowledgement: str
    """A template with ``{words}`` for what the prospect said (the built-in fallback)."""


GUIDES: dict[PainKind, PainGuide] = {
    PainKind.PAST: PainGuide(
        PainKind.PAST,
        "Past",
        "Something that went wrong before.",
        "What happened then, and what did it cost you?",
        "So before, {words}. That sounds like it hurt; have I got it right?",
    ),
    PainKind.PRESENT: PainGuide(
        PainKind.PRESENT,
        "Present",
        "Something going wrong right now.",
        "How is that affecting you and your team day to day?",
        "So right now, {words}. Is that a fair picture?",
    ),
    PainKind.FUTURE: PainGuide(
        PainKind.FUTURE,
        "Future",
        "Something they fear may go wrong.",
        "If that happened, what would it mean for you?",
        "So you're concerned that {words}. Did I hear that correctly?",
    ),
    PainKind.PEERS: PainGuide(
        PainKind.PEERS,
        "Peers",
        "Something that went wrong for others in a similar spot.",
        "Could the same thing happen to you? What would you do differently?",
        "So you've seen that {words} for others like you. Is that something you worry about?",
    ),
}


def probing_question(kind: PainKind) -> str:
    """The question to ask when a pain of this kind is heard."""
    return GUIDES[kind].probing_question


def said_words(words: str) -> str:
    """The prospect's words as typed, ready to quote inside a sentence said back.

    The rep often ends a note with a full stop; quoted mid-sentence it would
    read "...a client.". That sounds..." on screen.
    """
    return words.strip().rstrip(_SENTENCE_END).rstrip()


def acknowledgement(kind: PainKind, words: str) -> str:
    """The built-in line that tells the prospect this pain was heard."""
    said = said_words(words) or "that's been a problem"
    return GUIDES[kind].acknowledgement.format(words=said)


@dataclass(frozen=True, slots=True)
class UnfinishedPains:
    """Pains of a call still waiting for a question or an acknowledgement."""

    not_asked: tuple[PainRecord, ...]
    not_acknowledged: tuple[PainRecord, ...]

    def __bool__(self) -> bool:
        return bool(self.not_asked or self.not_acknowledged)


def unfinished(pains: Iterable[PainRecord]) -> UnfinishedPains:
    """What to tell the rep before hanging up."""
    listed = tuple(pains)
    return UnfinishedPains(
        not_asked=tuple(pain for pain in listed if not pain.asked),
        not_acknowledged=tuple(pain for pain in listed if not pain.acknowledged),
    )
