from datetime import UTC, datetime

import pytest

from callassist.errors import NotFoundError
from callassist.pains import (
    ACKNOWLEDGEMENT_SCRIPT,
    GUIDES,
    acknowledgement,
    probing_question,
    said_words,
    unfinished,
)
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


# The say-back line: the rep's pain_acknowledgement script ------------------------

REP_VERSION = (
    '{#-\ntitle = "Acknowledge"\nchannel = "call"\nused_when = "After a pain."\n-#}\n'
    "{{ pain.kind }}: {{ pain.words }}, for {{ prospect.first_name }}."
)


def test_said_words_drop_the_closing_full_stop_and_spaces():
    assert said_words("  we lost a client.  ") == "we lost a client"
    assert said_words("why does it keep breaking?!") == "why does it keep breaking"
    assert said_words("U.S. offices") == "U.S. offices"
    assert said_words("   ") == ""


def test_the_bundled_say_back_script_gets_the_kind_words_and_company(desk):
    dana = desk.add_prospect(first_name="Dana", company="Mesa Dental")

    lines = {
        kind: desk.render_pain_script(ACKNOWLEDGEMENT_SCRIPT, dana.id, kind, "the vendor went dark")
        for kind in PainKind
    }

    assert "back then" in lines[PainKind.PAST].text
    assert "right now" in lines[PainKind.PRESENT].text
    assert "the worry for later" in lines[PainKind.FUTURE].text
    assert "rather Mesa Dental didn't go through" in lines[PainKind.PEERS].text
    for rendered in lines.values():
        assert '"the vendor went dark"' in rendered.text
        assert rendered.missing_fields == ()


def test_the_bundled_peers_line_reads_well_without_a_company(desk):
    referral = desk.add_prospect(first_name="Sol", last_name="Park")

    rendered = desk.render_pain_script(
        ACKNOWLEDGEMENT_SCRIPT, referral.id, PainKind.PEERS, "a rival lost its payer"
    )

    assert "rather your business didn't go through" in rendered.text
    assert rendered.missing_fields == ()


def test_blank_words_show_as_missing_rather_than_a_silent_gap(desk):
    dana = desk.add_prospect(first_name="Dana", company="Mesa Dental")

    rendered = desk.render_pain_script(ACKNOWLEDGEMENT_SCRIPT, dana.id, PainKind.FUTURE, "")

    assert rendered.missing_fields == ("pain.words",)


def test_the_reps_own_say_back_script_is_the_one_rendered(desk):
    dana = desk.add_prospect(first_name="Dana", company="Mesa Dental")
    desk.save_script(ACKNOWLEDGEMENT_SCRIPT, REP_VERSION)

    rendered = desk.render_pain_script(
        ACKNOWLEDGEMENT_SCRIPT, dana.id, PainKind.PRESENT, "calls go unanswered"
    )

    assert rendered.text == "present: calls go unanswered, for Dana."


def test_say_back_for_an_unknown_prospect_is_a_known_error(desk):
    with pytest.raises(NotFoundError):
        desk.render_pain_script(ACKNOWLEDGEMENT_SCRIPT, 999, PainKind.PAST, "x")
