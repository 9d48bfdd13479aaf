"""How long a voicemail takes to say: words said aloud at a calm pace, and its pauses."""

from __future__ import annotations

import re

WORDS_PER_MINUTE = 150
"""A calm speaking pace; voicemails are timed against it."""

PAUSE_SECONDS = 0.5
"""What each "..." adds to a voicemail's speaking time: the pause it asks for."""


def count_words(text: str) -> int:
    """The words said aloud, a simple estimate: each digit is a word of its own.

    A number in a voicemail is read digit by digit ("five oh five"), so
    "1788" is four words, not one; a token without digits is one word, and
    "..." between phone digit groups is a pause, not a word.
    """
    return len(_DIGIT.findall(text)) + len(_WORD_WITHOUT_DIGITS.findall(text))


_DIGIT = re.compile(r"\d")
_WORD_WITHOUT_DIGITS = re.compile(r"(?<!\S)(?=[^\s\d]*[^\W\d_])[^\s\d]++(?!\S)")
"""A whole token (between spaces) with a letter and no digit; possessive, so a long
token of punctuation is passed over in one go."""


def speaking_seconds(text: str, words: int) -> int:
    """Seconds to say ``words`` at WORDS_PER_MINUTE, plus PAUSE_SECONDS at each "..."."""
    pauses = text.count("...") + text.count("\u2026")
    return round(words / WORDS_PER_MINUTE * 60 + pauses * PAUSE_SECONDS)
