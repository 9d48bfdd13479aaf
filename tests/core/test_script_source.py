"""Unsaved script text rendered for a prospect, as the script editor's live preview does."""

import pytest

from callassist.errors import ScriptError
from callassist.templates import BUNDLED_DIR, TEXT_SUFFIX

HEADER = '{#-\ntitle = "Draft"\nchannel = "voicemail"\nused_when = "In tests."\n-#}\n'


@pytest.fixture
def dana(desk, make_prospect):
    prospect = make_prospect()
    desk.update_research(prospect.id, angle="after-hours calls go to voicemail")
    return prospect


def test_unchanged_source_renders_exactly_like_the_saved_script(desk, dana):
    source = (BUNDLED_DIR / ("voicemail_third" + TEXT_SUFFIX)).read_text(encoding="utf-8")

    preview = desk.render_script_source("voicemail_third", source, dana.id)

    assert preview == desk.render_script("voicemail_third", dana.id)
    assert "Dana" in preview.text
    assert "after-hours calls go to voicemail." in preview.text


def test_edited_source_uses_the_prospect_the_rep_and_the_attempt_number(desk, dana):
    source = HEADER + (
        "{{ prospect.first_name }} at {{ prospect.company }}, from {{ rep.name }},"
        " attempt {{ attempt.number }}, {{ call.minutes_needed }} minutes."
    )

    preview = desk.render_script_source("voicemail_third", source, dana.id)

    assert preview.text == "Dana at Mesa Dental, from Sam Rivera, attempt 1, 20 minutes."
    assert preview.speaking_seconds is not None
    assert preview.missing_fields == ()


def test_without_a_prospect_their_fields_show_as_missing(desk):
    preview = desk.render_script_source("draft", HEADER + "Hi {{ prospect.first_name }}.", None)

    assert preview.text == "Hi [missing: prospect.first_name]."
    assert preview.missing_fields == ("prospect.first_name",)


def test_a_broken_source_names_its_line_and_saves_nothing(desk, dana):
    source = HEADER + "line six\n{{ prospect.first_name }\n"

    with pytest.raises(ScriptError) as caught:
        desk.render_script_source("voicemail_third", source, dana.id)

    assert caught.value.line == 7
    assert desk.scripts.source("voicemail_third") != source
