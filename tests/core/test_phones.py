import pytest

from callassist.errors import InvalidInputError
from callassist.phones import (
    display_phone,
    looks_like_phone,
    normalize_phone,
    normalize_timezone,
    parse_phone,
    phone_candidates,
    region_zones,
    with_extension,
)


@pytest.mark.parametrize(
    "typed", ["(505) 828-1788", "+1 505-828-1788", "5058281788", "505.828.1788"]
)
def test_one_number_typed_many_ways_is_stored_once(typed):
    assert normalize_phone(typed, "US") == "+15058281788"


def test_stored_number_is_shown_in_national_format():
    assert display_phone("+15058281788") == "(505) 828-1788"
    assert display_phone(None) == ""


def test_foreign_number_keeps_its_country():
    assert normalize_phone("+44 20 7946 0958", "US") == "+442079460958"


@pytest.mark.parametrize("typed", ["12", "hello", "+1 000 000 0000"])
def test_not_a_number_is_refused_with_the_text(typed):
    with pytest.raises(InvalidInputError, match="phone number"):
        normalize_phone(typed, "US")


def test_phone_looking_text_is_told_from_words():
    assert looks_like_phone("(505) 828-1788")
    assert looks_like_phone("+1 505 828 1788 ext 12")
    assert not looks_like_phone("Acme 505")
    assert not looks_like_phone("828")


def test_zone_names_crms_use_become_iana_names():
    assert normalize_timezone("America/Denver") == "America/Denver"
    assert normalize_timezone("pst") == "America/Los_Angeles"
    assert normalize_timezone("europe/berlin") == "Europe/Berlin"
    with pytest.raises(InvalidInputError, match="not a time zone"):
        normalize_timezone("Mars/Olympus")


def test_area_code_gives_the_zone_when_it_has_one():
    assert parse_phone("+15058281788").zone == "America/Denver"


def test_a_number_whose_zones_keep_one_clock_gets_its_countrys_zone():
    assert parse_phone("+44 7911 123456").zone == "Europe/London"


def test_an_area_code_with_several_zones_names_them_all_and_picks_none():
    alaska = parse_phone("(907) 555-0143")
    assert alaska.zone is None
    assert "America/Anchorage" in alaska.zones
    assert len(alaska.zones) > 1


@pytest.mark.parametrize(
    ("typed", "region", "e164", "extension"),
    [
        ("020 7946 0123 ext. 12", "GB", "+442079460123", "12"),
        ("(505) 828-1788 x 204", "US", "+15058281788", "204"),
        ("505-828-1788 #12", "US", "+15058281788", "12"),
        ("+1 505 828 1788 Ext.7", "DE", "+15058281788", "7"),
        ("(505) 828-1788", "US", "+15058281788", None),
    ],
)
def test_an_extension_is_kept_not_dropped(typed, region, e164, extension):
    parsed = parse_phone(typed, region)
    assert (parsed.e164, parsed.extension) == (e164, extension)
    assert looks_like_phone(typed)


@pytest.mark.parametrize(
    ("cell", "e164"),
    [("442079460123", "+442079460123"), ("61291234567", "+61291234567"), ("4930901820", None)],
)
def test_a_number_a_spreadsheet_stripped_of_its_plus_reads_as_international(cell, e164):
    if e164 is None:
        with pytest.raises(InvalidInputError):
            parse_phone(cell, "US")
    else:
        assert parse_phone(cell, "US").e164 == e164


def test_a_us_number_is_still_read_at_home_first():
    assert parse_phone("15058281788", "US").e164 == "+15058281788"


def test_an_extension_is_written_after_the_number():
    assert with_extension("020 7946 0123", "12") == "020 7946 0123 ext. 12"
    assert with_extension("020 7946 0123", None) == "020 7946 0123"
    assert with_extension("", "12") == ""


@pytest.mark.parametrize(
    ("typed", "regions", "expected"),
    [
        ("020 7946 0123", ["US", "GB"], {"+442079460123"}),
        ("020 7946 0123", ["US"], set()),
        ("0044 20 7946 0123", ["US"], {"+442079460123"}),
        ("011 44 20 7946 0123", ["US"], {"+442079460123"}),
        ("(02) 5550 4127", ["US", "AU"], {"+61255504127"}),
        ("030 23125000", ["US", "DE"], {"+493023125000"}),
        ("(505) 828-1788", ["US", "GB", "AU"], {"+15058281788"}),
        ("00 12", ["US", "GB"], set()),
    ],
)
def test_a_typed_number_is_read_in_every_region_it_may_be_from(typed, regions, expected):
    assert phone_candidates(typed, regions) == expected


def test_every_zone_offered_is_a_place_that_is_accepted_as_typed():
    offered = region_zones()

    assert "America/Chicago" in offered
    assert "Asia/Tokyo" in offered
    assert not {"EST", "GMT", "UTC", "EST5EDT", "Etc/GMT+5", "US/Eastern"} & set(offered)
    assert all(normalize_timezone(name) == name for name in offered)
