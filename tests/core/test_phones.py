import pytest

from callassist.errors import InvalidInputError
from callassist.phones import (
    display_phone,
    looks_like_phone,
    normalize_phone,
    normalize_timezone,
    phone_candidates,
    region_zones,
    timezone_for_phone,
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
    assert timezone_for_phone("+15058281788") == "America/Denver"


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
