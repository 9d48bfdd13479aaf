"""Prospects abroad: the rep's number said with its country code, and zones that are places.

The desk fixture's rep is in Chicago with "(312) 555-0142".
"""

import io

import pytest
from raw_sql import execute, rows

from callassist.cli import main
from callassist.errors import InvalidInputError
from callassist.phones import normalize_timezone, phone_spoken_for, phone_written_for
from callassist.services import profile as profiles

# -- the rep's number, as the prospect dials it ----------------------------------------


def test_a_us_prospect_hears_the_number_as_dialed_at_home(desk):
    denver = desk.add_prospect(first_name="Dana", company="Mesa Dental", phone="(505) 828-1788")

    said = desk.render_script("voicemail_first", denver.id).text

    assert "My number is 312 ... 555 ... 0142." in said
    assert "Again, that's 312 ... 555 ... 0142." in said
    assert "+1" not in said


def test_a_london_prospect_hears_the_country_code_first(desk):
    london = desk.add_prospect(
        first_name="Harriet", company="Thames Lettings", phone="+44 20 7946 0123"
    )

    said = desk.render_script("voicemail_first", london.id).text

    assert "My number is +1 ... 312 ... 555 ... 0142." in said
    assert "Again, that's +1 ... 312 ... 555 ... 0142." in said


def test_the_email_to_a_sydney_prospect_writes_the_number_to_dial_from_there(desk):
    sydney = desk.add_prospect(
        first_name="Liam", company="Harbour Dental", phone="+61 2 9123 4567", email="l@h.example"
    )

    email = desk.render_script("email_after_voicemails", sydney.id)

    assert "call me at +1 312 555 0142." in email.text
    assert "(312) 555-0142" not in email.text


def test_a_prospect_without_a_phone_is_placed_by_their_time_zone(desk):
    berlin = desk.add_prospect(
        first_name="Jonas",
        company="Spree Werk",
        email="jonas@spree.example",
        timezone="Europe/Berlin",
    )
    chicago = desk.add_prospect(
        first_name="Eli",
        company="Moss Plumbing",
        email="eli@moss.example",
        timezone="America/Chicago",
    )

    assert desk.script_context(berlin.id)["rep"].phone == "+1 312 555 0142"
    assert desk.script_context(chicago.id)["rep"].phone == "(312) 555-0142"


def test_a_prospect_placed_nowhere_gets_the_national_form():
    assert phone_written_for("+13125550142", None) == "(312) 555-0142"
    # Canada shares +1: dialed from Toronto as from Denver.
    assert phone_spoken_for("+13125550142", "CA") == "312 ... 555 ... 0142"
    assert phone_written_for("+442079460123", "US") == "+44 20 7946 0123"
    assert phone_spoken_for(None, "GB") == ""


# -- time zones: places only -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "EST",
            "EST is a fixed offset without daylight saving: use a place such as America/New_York",
        ),
        ("UTC+1", "UTC+1 is a fixed offset without daylight saving: use a place such as"),
        ("GMT", "GMT is a fixed offset without daylight saving: use a place such as"),
        ("Etc/GMT-1", "Etc/GMT-1 is a fixed offset without daylight saving: use a place such as"),
        ("Etc/UTC", "Etc/UTC is a fixed offset without daylight saving: use a place such as"),
        ("EST5EDT", "EST5EDT is not a place: use a place such as"),
    ],
)
def test_a_zone_that_is_no_place_is_refused_with_a_place_to_use(typed, message):
    with pytest.raises(InvalidInputError) as refused:
        normalize_timezone(typed)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    "place",
    ["America/New_York", "Europe/London", "Australia/Sydney", "America/Argentina/Buenos_Aires"],
)
def test_a_place_is_accepted_as_it_is_named(place):
    assert normalize_timezone(place) == place
    assert normalize_timezone(place.lower()) == place


def test_the_profile_refuses_a_fixed_zone_and_keeps_its_own(desk, db_location, clock):
    err = io.StringIO()
    status = main(
        ["--db", str(db_location), "profile", "--timezone", "EST"],
        clock=clock,
        out=io.StringIO(),
        err=err,
    )

    assert status == 1
    assert (
        "EST is a fixed offset without daylight saving: use a place such as America/New_York"
        in (err.getvalue())
    )
    with pytest.raises(InvalidInputError, match="UTC\\+1 is a fixed offset"):
        desk.update_profile(name="Someone Else", timezone="UTC+1")
    assert rows(db_location, "SELECT name, timezone FROM reps") == [
        ("Sam Rivera", "America/Chicago")
    ]


def test_a_prospect_typed_or_imported_with_a_fixed_zone_is_refused(desk, db_location, tmp_path):
    with pytest.raises(InvalidInputError, match="GMT is a fixed offset"):
        desk.add_prospect(first_name="Gus", phone="+44 20 7946 0999", timezone="GMT")
    kept = desk.add_prospect(first_name="Ada", phone="(505) 828-1790", timezone="America/Denver")
    with pytest.raises(InvalidInputError, match="EST5EDT is not a place"):
        desk.update_prospect(kept.id, timezone="EST5EDT")
    csv = tmp_path / "crm.csv"
    csv.write_text("First Name,Phone,Time Zone\nHal,(505) 828-1791,Etc/GMT+7\n")

    report = desk.import_csv(csv, skip_invalid=True)

    assert not report.imported
    assert [note.message for note in report.invalid] == [
        "time zone: Etc/GMT+7 is a fixed offset without daylight saving: use a place such as "
        "America/New_York or Europe/London"
    ]
    assert rows(db_location, "SELECT first_name, timezone FROM prospects") == [
        ("Ada", "America/Denver")
    ]


def test_saving_settings_on_a_computer_set_to_utc_keeps_the_zone_unset(
    desk, db_location, monkeypatch
):
    monkeypatch.setattr(profiles, "computer_timezone", lambda: "Etc/UTC")
    execute(db_location, "UPDATE reps SET timezone = NULL")

    # The settings window sends the computer's zone back when the rep chose none.
    desk.update_profile(name="Sam Rivera-Ortiz", timezone="Etc/UTC")

    assert rows(db_location, "SELECT name, timezone FROM reps") == [("Sam Rivera-Ortiz", None)]
    desk.update_profile(timezone="Europe/Dublin")
    with pytest.raises(InvalidInputError, match="Etc/UTC is a fixed offset"):
        desk.update_profile(timezone="Etc/UTC")
    assert rows(db_location, "SELECT timezone FROM reps") == [("Europe/Dublin",)]
