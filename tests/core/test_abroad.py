"""Prospects abroad: the rep's number said with its country code.

The desk fixture's rep is in Chicago with "(312) 555-0142".
"""

from callassist.phones import phone_spoken_for, phone_written_for

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
