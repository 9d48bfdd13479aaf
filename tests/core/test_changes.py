"""What each action says it changed: exactly whose data, which kinds, which view acted."""

from datetime import timedelta

import pytest

from callassist.changes import Changes
from callassist.templates import BUNDLED_DIR
from callassist.vocabulary import Outcome, PainKind

THIRD = "voicemail_third"
BUNDLED_THIRD = BUNDLED_DIR / "voicemail_third.txt.j2"


@pytest.fixture
def heard(desk) -> list[Changes]:
    told: list[Changes] = []
    desk.subscribe(told.append)
    return told


@pytest.fixture
def lee(desk):
    return desk.add_prospect(first_name="Lee", last_name="Park", phone="(312) 555-0142")


def test_a_time_check_names_its_prospect_and_only_the_time_check(desk, dana, lee, heard):
    call = desk.start_call(dana.id)
    heard.clear()

    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )

    [changes] = heard
    assert changes == Changes(time_checks=True, prospect_ids=frozenset({dana.id}))
    assert changes.touches(dana.id)
    assert not changes.touches(lee.id)


def test_a_logged_outcome_names_its_prospect_and_all_it_moves(desk, dana, lee, heard):
    desk.log_attempt(dana.id, Outcome.NO_ANSWER)

    [changes] = heard
    assert (changes.attempts, changes.prospects, changes.follow_ups, changes.cadences) == (
        True,
        True,
        True,
        True,
    )
    assert not changes.time_checks
    assert changes.prospect_ids == frozenset({dana.id})
    assert not changes.all_prospects


def test_an_import_says_it_may_have_changed_anyone(desk, heard, tmp_path):
    export = tmp_path / "crm.csv"
    export.write_text(
        "First Name,Last Name,Phone\nAva,Stone,(312) 555-0101\nBen,Ruiz,(312) 555-0102\n",
        encoding="utf-8",
    )

    desk.import_csv(export)

    [changes] = heard
    assert changes.all_prospects
    assert changes.prospects
    assert changes.touches(desk.prospect_ids()[0])


def test_reading_never_announces_a_change(desk, dana, heard, tmp_path, clock):
    desk.enroll(dana.id, "persistence")
    call = desk.start_call(dana.id)
    desk.add_pain(dana.id, PainKind.PRESENT, "missed calls", attempt_id=call.id)
    heard.clear()

    desk.queue()
    desk.queue(desk.rep_today() + timedelta(days=1))
    desk.review()
    desk.review_html(desk.review())
    desk.prospect_detail(dana.id)
    desk.prospects()
    desk.prospect_ids(search="dana")
    desk.lookup("505-828-1788")
    desk.enrollment(dana.id)
    desk.cadences()
    desk.trash()
    desk.profile()
    desk.stored_value_problems()
    desk.proposed_slot(dana.id)
    desk.render_script(THIRD, dana.id)
    desk.script_context(dana.id)
    desk.export_csv(tmp_path / "out.csv")
    desk.check()

    assert heard == []


def test_saving_and_resetting_a_script_say_scripts_changed(desk, dana, heard):
    mine = BUNDLED_THIRD.read_text(encoding="utf-8") + "\nP.S. {{ prospect.company }}"
    saved = desk.save_script(THIRD, mine)

    assert saved.changes == Changes(scripts=True)
    assert heard == [saved.changes]
    assert not saved.team
    assert desk.scripts.own_version(THIRD).source == mine
    assert desk.render_script(THIRD, dana.id).text.endswith("P.S. Mesa Dental")

    reset = desk.reset_script(THIRD)

    assert reset == Changes(scripts=True)
    assert heard == [saved.changes, reset]
    assert desk.scripts.own_version(THIRD) is None
    assert "P.S." not in desk.render_script(THIRD, dana.id).text


def test_a_change_names_the_view_that_acted_only_inside_acting_for(desk, dana, heard):
    card = object()

    with desk.acting_for(card):
        desk.update_prospect(dana.id, company="Mesa Dental Group")
    desk.update_prospect(dana.id, company="Mesa Dental")

    assert [changes.source for changes in heard] == [card, None]
    # Who acted is not what changed: the two records are alike otherwise.
    assert heard[0] == heard[1]
