"""Each number's written forms are stored beside it by every path that stores a number,
and records, lists and commands show them exactly as a parse would."""

import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from raw_sql import execute, rows

from callassist.cli.terminal import Terminal, print_streamed_table, print_table
from callassist.phones import (
    calling_prefix,
    parse_phone,
    phone_forms,
    phone_written_for,
    with_extension,
)
from callassist.vocabulary import PhoneKind

TYPED = [
    "(505) 828-1788",
    "505 828 1788 ext. 12",
    "+44 20 7946 0123",
    "+44 7911 123456 x 7",
    "+61 2 5550 4127",
    "+49 30 901820",
    "+33 1 42 68 53 00",
    "+39 06 6982",
    "+81 3-3224-9999",
    "+1 907 555 0101",
]
"""Numbers from several countries, some with an extension, as a rep types them."""

FORMS = ("national", "international")


def stored_forms(db_location, prospect_id):
    """{kind: (e164, national, international)} as stored for a prospect."""
    (row,) = rows(
        db_location,
        "SELECT phone_e164, phone_national, phone_international, mobile_e164,"
        " mobile_national, mobile_international, office_e164, office_national,"
        " office_international FROM prospects WHERE id = ?",
        prospect_id,
    )
    return {kind: row[index * 3 : index * 3 + 3] for index, kind in enumerate(PhoneKind)}


def forms_of(e164):
    if e164 is None:
        return (None, None, None)
    forms = phone_forms(e164)
    return (e164, forms.national, forms.international)


def assert_forms_match_numbers(db_location, prospect_id):
    for e164, national, international in stored_forms(db_location, prospect_id).values():
        assert (e164, national, international) == forms_of(e164)


@pytest.mark.parametrize("typed", TYPED)
def test_a_typed_number_s_forms_are_those_of_its_stored_number(typed):
    parsed = parse_phone(typed)
    assert parsed.forms == phone_forms(parsed.e164)
    for region in (None, "US", "GB", "AU"):
        prefix = calling_prefix(region) if region else None
        assert parsed.forms.written_for(parsed.e164, prefix) == phone_written_for(
            parsed.e164, region
        )


def test_adding_and_editing_a_prospect_stores_the_forms_of_each_number(desk, db_location):
    dana = desk.add_prospect(
        first_name="Dana", phone="(505) 828-1788 ext. 12", office="+44 20 7946 0123"
    )
    assert stored_forms(db_location, dana.id) == {
        PhoneKind.DIRECT: ("+15058281788", "(505) 828-1788", "+1 505 828 1788"),
        PhoneKind.MOBILE: (None, None, None),
        PhoneKind.OFFICE: ("+442079460123", "020 7946 0123", "+44 20 7946 0123"),
    }
    desk.update_prospect(dana.id, mobile="+61 2 5550 4127", office="")
    assert stored_forms(db_location, dana.id) == {
        PhoneKind.DIRECT: ("+15058281788", "(505) 828-1788", "+1 505 828 1788"),
        PhoneKind.MOBILE: ("+61255504127", "(02) 5550 4127", "+61 2 5550 4127"),
        PhoneKind.OFFICE: (None, None, None),
    }
    desk.update_prospect(dana.id, notes="no number changed")
    assert_forms_match_numbers(db_location, dana.id)


def test_an_import_stores_the_forms_of_new_and_updated_prospects(desk, db_location, tmp_path):
    kept = desk.add_prospect(first_name="Kim", email="kim@acme.example", phone="505 555 0199")
    export = tmp_path / "crm.csv"
    export.write_text(
        "First Name,Email,Phone,Mobile\n"
        "Kim,kim@acme.example,,+44 7911 123456\n"
        "Lee,lee@acme.example,+49 30 901820 ext 4,(505) 828-1788\n",
        encoding="utf-8",
    )
    report = desk.import_csv(export, update_existing=True)
    assert (report.created, report.updated) == (1, 1)
    lee = next(record for record in desk.prospects() if record.first_name == "Lee")
    for prospect_id in (kept.id, lee.id):
        assert_forms_match_numbers(db_location, prospect_id)
    assert stored_forms(db_location, kept.id)[PhoneKind.MOBILE][0] == "+447911123456"
    assert stored_forms(db_location, lee.id)[PhoneKind.DIRECT][1] == "030 901820"


def test_a_prospect_back_from_the_trash_has_the_forms_even_if_trashed_before_they_were_kept(
    desk, db_location
):
    dana = desk.add_prospect(first_name="Dana", phone="+44 20 7946 0123", mobile="505 555 0101")
    desk.delete_prospect(dana.id)
    # As an entry trashed by a callassist from before 0007 holds the prospect.
    ((rows_json,),) = rows(db_location, "SELECT rows_json FROM trash")
    trashed = json.loads(rows_json)
    for column in list(trashed["prospects"][0]):
        if column.endswith(FORMS):
            del trashed["prospects"][0][column]
    execute(db_location, "UPDATE trash SET rows_json = ?", json.dumps(trashed))
    back = desk.restore_prospect(dana.id)
    assert_forms_match_numbers(db_location, dana.id)
    assert stored_forms(db_location, dana.id)[PhoneKind.DIRECT][1] == "020 7946 0123"
    assert back.phone_display == "+44 20 7946 0123"


def test_the_demo_stores_the_forms_of_every_number(desk, db_location):
    desk.load_demo()
    for record in desk.prospects():
        assert_forms_match_numbers(db_location, record.id)


def test_a_number_stored_without_its_forms_is_still_shown(desk, db_location):
    dana = desk.add_prospect(first_name="Dana", phone="505 828 1788")
    execute(db_location, "UPDATE prospects SET phone_national = NULL")
    assert desk.prospect(dana.id).phone_display == "(505) 828-1788"


POOL = [
    "+1 505 828 1788",
    "+1 505 828 1789 ext. 12",
    "+44 20 7946 0123",
    "+44 7911 123456 x 7",
    "+61 2 5550 4127",
    "+49 30 901820",
    "+33 1 42 68 53 00",
    "+39 06 6982",
    "+81 3-3224-9999",
    "+1 312 555 0142",
    "+44 20 7946 0777 ext 3",
    "+61 2 5550 4128",
]
"""Numbers with their country code (read alike wherever the rep is), each once."""

people = st.lists(
    st.tuples(
        st.text("AbÉz ", min_size=1, max_size=40).filter(str.strip),
        st.tuples(st.booleans(), st.booleans(), st.booleans()),
        st.sampled_from(["", *(kind.value for kind in PhoneKind)]),
        st.text("Co ", max_size=45),
    ),
    max_size=4,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=people,
    pool=st.permutations(POOL),
    rep_phone=st.sampled_from(["505 555 0100", "+44 20 7946 0999"]),
)
def test_records_and_the_streamed_list_show_numbers_as_a_parse_would(desk, people, pool, rep_phone):
    desk.update_profile(name="Sam", phone=rep_phone)
    for record in desk.prospects():
        desk.delete_prospect(record.id)
    for index, (name, has, dial, company) in enumerate(people):
        direct, mobile, office = (
            number if wanted else ""
            for number, wanted in zip(pool[3 * index : 3 * index + 3], has, strict=True)
        )
        desk.add_prospect(
            first_name=name,
            phone=direct,
            mobile=mobile,
            office=office,
            dial=dial,
            company=company,
            timezone="America/Denver",
        )
    region = "US" if rep_phone.startswith("505") else "GB"
    records = desk.prospects()
    for record in records:
        assert [line.written for line in record.phones] == [
            with_extension(phone_written_for(line.e164, region), line.extension)
            for line in record.phones
        ]
    for limit in (None, 2):
        shown = records if limit is None else records[:limit]
        with desk.listing(limit) as listing:
            assert list(listing) == shown
            longest = listing.longest()
            worded_in_sql = list(listing.cells())
        cells = [
            (
                str(r.id),
                r.full_name,
                r.company,
                r.title,
                r.phone_display,
                r.email or "",
                r.timezone or "",
                r.status.value,
            )
            for r in shown
        ]
        assert worded_in_sql == cells
        assert longest.count == len(shown)
        assert longest.widths == tuple(
            max((len(row[i]) for row in cells), default=0) for i in range(8)
        )


def test_a_number_stored_without_its_forms_is_still_listed_as_dialled(desk, db_location):
    """Forms left out by hand (a row written in SQL): the list words it as the card does."""
    desk.update_profile(name="Sam", phone="505 555 0100")
    abroad = desk.add_prospect(first_name="Ann", phone="+44 20 7946 0123 ext. 4")
    execute(
        db_location,
        "UPDATE prospects SET phone_national = NULL, phone_international = NULL WHERE id = ?",
        abroad.id,
    )
    with desk.listing() as listing:
        (cells,) = listing.cells()
    assert cells[4] == desk.prospect(abroad.id).phone_display == "+44 20 7946 0123 ext. 4"


def table_as_written(headers, rows):
    """The table cell by cell: each column as wide as its longest cell (at most 32, the
    rest cut with …), two spaces between, no space at the end of a line."""
    lines = [headers, *rows]
    widths = [min(max(len(line[i]) for line in lines), 32) for i in range(len(headers))]
    return "".join(
        "  ".join(
            (cell if len(cell) <= width else cell[: width - 1] + "…").ljust(width)
            for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        + "\n"
        for line in lines
    )


cell_text = st.text(st.sampled_from("ab %s%%é…\t "), max_size=40)


@example(rows=[("%s " * 12, "1"), *((f"row {i}", str(i)) for i in range(1200))])
@given(rows=st.lists(st.tuples(cell_text, st.text(max_size=3)), max_size=40))
def test_a_table_is_written_cell_by_cell_streamed_or_at_once(rows):
    headers = ("Name", "ID")
    at_once, streamed = io.StringIO(), io.StringIO()
    print_table(headers, rows, Terminal(at_once, io.StringIO()))
    longest = [max((len(row[i]) for row in rows), default=0) for i in range(2)]
    print_streamed_table(headers, longest, iter(rows), Terminal(streamed, io.StringIO()))
    assert at_once.getvalue() == streamed.getvalue() == table_as_written(headers, rows)


@given(items=st.lists(st.dictionaries(st.text(max_size=5), st.lists(st.integers()) | st.text())))
def test_a_json_array_written_item_by_item_is_the_array_written_at_once(items):
    at_once, streamed = io.StringIO(), io.StringIO()
    Terminal(at_once, io.StringIO()).json(items)
    Terminal(streamed, io.StringIO()).json_array(iter(items))
    assert streamed.getvalue() == at_once.getvalue()
