"""What survived each kill, field by field, and the figures over the whole run."""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from crashtest_plan import (
    FIELD_CHANGE,
    PAIN,
    PROSPECT_SWITCH,
    RESEARCH,
    RHYTHMS,
    TYPED_FIELDS,
    Event,
    Prospect,
)

from callassist.core import CallDesk

ALLOWANCE_S = 1.0
"""The promise: a crash loses at most the last second of typing."""


# -- measuring one kill ------------------------------------------------------------


@dataclass
class Typing:
    """One field as the child typed it in one life."""

    field: str
    kind: str
    prospect: int
    record: int
    """The prospect (research notes), pain or attempt (outcome note) it is stored on."""
    rhythm: str
    text: str = ""
    key_times: list[float] = field(default_factory=list)
    typed_before_leaving: int = 0
    left_by: str = ""


@dataclass(frozen=True, slots=True)
class FieldResult:
    """What one typed field lost in one kill."""

    field: str
    kind: str
    rhythm: str
    typed: int
    saved: int
    lost: int
    typed_in_last_second: int
    lost_beyond_allowance: int
    oldest_lost_s: float
    """How long before the kill the oldest lost key was typed (0 when nothing was lost)."""
    being_typed: bool
    """The kill came while this field was being typed (not after the rep left it)."""
    left_by: str
    lost_after_leaving: int
    wrong_text: str
    """What the database holds when it is not a beginning of what was typed ("" when it is)."""


@dataclass(frozen=True, slots=True)
class KillResult:
    number: int
    moment: str
    delay_s: float
    start_s: float
    """From starting the child to its window being ready for keys."""
    alive_s: float
    """From the window being ready to the kill."""
    fields: list[FieldResult]
    problems: list[str]
    """The integrity check's findings on the crashed database ([] when it passed)."""


def typings(events: list[Event]) -> dict[str, Typing]:
    """Each field typed in, from the child's events, in the order they were entered."""
    typed: dict[str, Typing] = {}
    for event in events:
        kind = event["event"]
        if kind == "enter":
            name = event["field"]
            typed.setdefault(
                name,
                Typing(name, event["kind"], event["prospect"], event["record"], event["rhythm"]),
            )
        elif kind == "key":
            typing = typed[event["field"]]
            typing.text += event["char"]
            typing.key_times.append(event["t"])
        elif kind == "leave":
            typing = typed[event["field"]]
            typing.typed_before_leaving = len(typing.text)
            typing.left_by = event["reason"]
    return typed


def stored_text(desk: CallDesk, typing: Typing) -> str | None:
    """What the database holds for the field (None: its pain or call is gone)."""
    detail = desk.prospect_detail(typing.prospect)
    if typing.kind == RESEARCH:
        return detail.research.company_summary
    if typing.kind == PAIN:
        return next((pain.words for pain in detail.pains if pain.id == typing.record), None)
    return next((attempt.notes for attempt in detail.attempts if attempt.id == typing.record), None)


def characters_stored(before: str, typed: str, stored: str) -> int | None:
    """How many of the ``typed`` characters ``stored`` holds (None: it holds something else).

    The core trims spaces at both ends of what it stores, so the stored text is
    compared with the text on screen trimmed the same way; spaces typed last count
    as stored.
    """
    for count in range(len(typed), -1, -1):
        if (before + typed[:count]).strip() == stored:
            return count
    return None


def measure_field(typing: Typing, before: str, stored: str | None, killed_at: float) -> FieldResult:
    counted_in = characters_stored(before, typing.text, stored) if stored is not None else None
    wrong = "" if counted_in is not None else stored or "(its record is gone)"
    saved = counted_in or 0
    typed = len(typing.text)
    lost = typed - saved
    recent = sum(1 for moment in typing.key_times if moment > killed_at - ALLOWANCE_S)
    being_typed = typed > typing.typed_before_leaving
    return FieldResult(
        field=typing.field,
        kind=typing.kind,
        rhythm=typing.rhythm,
        typed=typed,
        saved=saved,
        lost=lost,
        typed_in_last_second=recent,
        lost_beyond_allowance=max(0, lost - recent),
        oldest_lost_s=round(killed_at - typing.key_times[saved], 3) if lost else 0.0,
        being_typed=being_typed,
        left_by=typing.left_by,
        lost_after_leaving=max(0, typing.typed_before_leaving - saved),
        wrong_text=wrong,
    )


def research_texts(desk: CallDesk, prospects: Sequence[Prospect]) -> dict[int, str]:
    return {
        prospect.id: desk.prospect_detail(prospect.id).research.company_summary
        for prospect in prospects
    }


def describe_kill(kill: KillResult, total: int) -> str:
    typing = [result for result in kill.fields if result.being_typed]
    what = ", ".join(
        f"{r.kind} ({r.rhythm}) typed {r.typed}, lost {r.lost}, "
        f"typed in the last second {r.typed_in_last_second}"
        for r in typing
    )
    after = sum(result.lost_after_leaving for result in kill.fields)
    return (
        f"kill {kill.number}/{total} {kill.moment}, {kill.alive_s:.1f} s after a "
        f"{kill.start_s:.1f} s start: "
        f"{what or 'no field being typed'}; lost after leaving a field: {after}; "
        f"integrity: {'ok' if not kill.problems else '; '.join(kill.problems)}"
    )


# -- the figures over the whole run ----------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldFigures:
    kind: str
    rhythm: str
    kills: int
    worst_lost: int
    worst_beyond_allowance: int
    median_lost: float
    oldest_lost_s: float


@dataclass(frozen=True, slots=True)
class Summary:
    kills: int
    integrity_passed: int
    while_typing: list[FieldFigures]
    fields_left_before_a_kill: dict[str, int]
    lost_after_leaving: dict[str, int]
    wrong_texts: list[str]

    @property
    def promises_kept(self) -> bool:
        return (
            self.integrity_passed == self.kills
            and not any(self.lost_after_leaving.values())
            and not self.wrong_texts
            and all(figures.worst_beyond_allowance == 0 for figures in self.while_typing)
        )


def summarize(kills: Sequence[KillResult]) -> Summary:
    results = [result for kill in kills for result in kill.fields]
    while_typing = []
    for kind in TYPED_FIELDS:
        for rhythm in RHYTHMS:
            hit = [r for r in results if r.being_typed and r.kind == kind and r.rhythm == rhythm]
            if hit:
                while_typing.append(
                    FieldFigures(
                        kind,
                        rhythm,
                        len(hit),
                        max(r.lost for r in hit),
                        max(r.lost_beyond_allowance for r in hit),
                        statistics.median(r.lost for r in hit),
                        max(r.oldest_lost_s for r in hit),
                    )
                )
    left = [r for r in results if r.left_by]
    reasons = (FIELD_CHANGE, PROSPECT_SWITCH)
    return Summary(
        kills=len(kills),
        integrity_passed=sum(1 for kill in kills if not kill.problems),
        while_typing=while_typing,
        fields_left_before_a_kill={
            reason: sum(1 for r in left if r.left_by == reason) for reason in reasons
        },
        lost_after_leaving={
            reason: sum(r.lost_after_leaving for r in left if r.left_by == reason)
            for reason in reasons
        },
        wrong_texts=[
            f"kill {kill.number}, {r.field}: {r.wrong_text!r}"
            for kill in kills
            for r in kill.fields
            if r.wrong_text
        ],
    )
