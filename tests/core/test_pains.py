from datetime import UTC, datetime

from callassist.pains import GUIDES, acknowledgement, probing_question, unfinished
from callassist.records import PainRecord
from callassist.vocabulary import PainKind


def pain(pain_id: int, *, asked: bool, acknowledged: bool) -> PainRecord:
    return PainRecord(
        id=pain_id,
        prospect_id=1,
        attempt_id=1,
        kind=PainKind.PRESENT,
        words="calls go to voicemail after five",
        asked=asked,
        acknowledged=acknowledged,
        can_help=True,
        noted_at=datetime(2026, 3, 10, tzinfo=UTC),
    )


def test_every_kind_has_its_own_question_and_acknowledgement():
    assert set(GUIDES) == set(PainKind)
    questions = {probing_question(kind) for kind in PainKind}
    lines = {acknowledgement(kind, "x") for kind in PainKind}
    assert len(questions) == 4
    assert len(lines) == 4


def test_acknowledgement_gives_the_prospects_words_back():
    line = acknowledgement(PainKind.PAST, "we lost two big clients over missed calls.")
    assert "we lost two big clients over missed calls" in line
    assert ".." not in line


def test_acknowledgement_without_words_is_still_a_sentence():
    line = acknowledgement(PainKind.FUTURE, "   ")
    assert "{words}" not in line
    assert line.strip()


def test_hang_up_warning_lists_pains_not_asked_and_not_acknowledged():
    done = pain(1, asked=True, acknowledged=True)
    not_asked = pain(2, asked=False, acknowledged=True)
    neither = pain(3, asked=False, acknowledged=False)
    result = unfinished([done, not_asked, neither])
    assert result
    assert [p.id for p in result.not_asked] == [2, 3]
    assert [p.id for p in result.not_acknowledged] == [3]


def test_no_warning_when_every_pain_was_handled():
    assert not unfinished([pain(1, asked=True, acknowledged=True)])
