"""Whether a job title, as a CRM writes it, holds one of a list of roles.

A cadence step skips prospects by role (``skip_if_title``): the bundled
Persistence cadence keeps its "your role may have changed" message from the
owner or CEO, who decides (domain.md section 6). Titles come in many shapes
("Founder & CEO", "Co-Founder/CTO", "Owner-Operator", "President and COO"),
and the same words also name the people around the decider ("Vice President
of Sales", "Executive Assistant to the CEO", "VP, Office of the President",
"Owner's assistant"). So a title is read as words, in parts:

- a title is split into the roles it joins: at "&", "/", ",", ";", "|",
  brackets, " - " and the word "and";
- a role word counts only as the head of its part: not right after "vice",
  "deputy", "assistant", "associate", "former" or "ex" (a vice president is not
  the president), not after "to", "of" or "for" in the same part (an assistant
  to the president, the office of the president), and not followed by "'s"
  (the owner's assistant);
- hyphens join words without making one word of them: "Owner-Operator" holds
  "owner", "Co-Owner" holds "co-owner" and "owner".
"""

import re
from collections.abc import Iterable
from functools import lru_cache

_QUALIFIERS = frozenset({"vice", "deputy", "assistant", "associate", "former", "ex"})
"""Words that, right before a role, make it someone else's: "Vice President"."""

_RELATIONS = frozenset({"to", "of", "for"})
"""Words that, anywhere before a role in its part, make the role the person one works for."""

_POSSESSIVE = "'s"

_PART_BREAKS = re.compile(r"[&/,;|()\[\]]|\s[-\u2013\u2014]\s|\band\b")
_WORDS = re.compile(r"'s\b|[a-z0-9]+")


def _words(text: str) -> tuple[str, ...]:
    normalized = text.lower().replace("\u2019", "'")
    return tuple(_WORDS.findall(normalized))


@lru_cache(maxsize=1024)
def _parts(title: str) -> tuple[tuple[str, ...], ...]:
    """The words of each role a title joins.

    Cached because the queue asks this of thousands of prospects a minute, who
    share a few dozen titles ("Owner", "Office Manager"...).
    """
    return tuple(_words(part) for part in _PART_BREAKS.split(title.lower()))


def _heads(part: tuple[str, ...], role: tuple[str, ...]) -> bool:
    """Whether ``role`` appears in ``part`` as the role its holder has."""
    size = len(role)
    for start in range(len(part) - size + 1):
        if part[start : start + size] != role:
            continue
        before = part[:start]
        after = part[start + size : start + size + 1]
        if before and before[-1] in _QUALIFIERS:
            continue
        if _RELATIONS.intersection(before) or after == (_POSSESSIVE,):
            continue
        return True
    return False


def holds_role(title: str, roles: Iterable[str]) -> bool:
    """True when ``title`` makes its holder one of ``roles`` (words, case ignored)."""
    parts = _parts(title)
    role_words = [words for words in map(_words, roles) if words]
    return any(_heads(part, words) for words in role_words for part in parts)
