"""CSV import and export at the session level, on a real SQLite file.

Past 500 lines: one test per kind of real-world file (CRM layouts, encodings, footers,
duplicates, hostile cells), sharing the file writers.
"""

import csv
import io
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from callassist.cli import main
from callassist.clock import fixed_clock
from callassist.db.engine import database_url
from callassist.db.migrate import open_database
from callassist.db.models import Prospect, ProspectTag, ResearchNote
from callassist.db.search import search_prospect_ids
from callassist.errors import InvalidInputError, KnownError
from callassist.importer import (
    EXPORT_HEADERS,
    ImportRejected,
    RowAction,
    csvformat,
    export_csv,
    exporting,
    import_csv,
    map_headers,
    plan_import,
    read_csv,
    reading,
)
from callassist.services.prospects import (
    add_prospect,
    list_prospects,
    update_research,
    validate_prospect,
)

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
CLOCK = fixed_clock(NOW)


def open_engine(folder: Path) -> Engine:
    return open_database(database_url(folder / "t.sqlite"), backup_folder=folder / "b", clock=CLOCK)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine)


def write(folder: Path, text: str, *, name: str = "in.csv", bom: bool = False) -> Path:
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def imported_into_a_new_database(tmp_path: Path, path: Path) -> list[dict[str, object]]:
    """Import ``path`` into a database of its own (as a colleague would); what it stored."""
    folder = tmp_path / "fresh"
    folder.mkdir()
    fresh = open_engine(folder)
    try:
        run_import(sessionmaker(fresh), path)
        return stored(sessionmaker(fresh))
    finally:
        fresh.dispose()


def run_import(sessions: sessionmaker[Session], path: Path, **options: bool):
    # The facade's transaction: commit on success, roll back on error.
    with sessions.begin() as session:
        return import_csv(session, CLOCK, path, "US", **options)


def stored(sessions: sessionmaker[Session]) -> list[dict[str, object]]:
    """Every prospect with its tags and research, in id order, without ids and times."""
    with sessions() as session:
        rows = session.scalars(
            select(Prospect)
            .options(selectinload(Prospect.tags), selectinload(Prospect.research))
            .order_by(Prospect.id)
        )
        result = []
        for row in rows:
            research = row.research
            result.append(
                {
                    "first_name": row.first_name,
                    "last_name": row.last_name,
                    "title": row.title,
                    "company": row.company,
                    "website": row.website,
                    "linkedin": row.linkedin,
                    "email": row.email,
                    "phone": row.phone_e164,
                    "mobile": row.mobile_e164,
                    "office": row.office_e164,
                    "timezone": row.timezone,
                    "notes": row.notes,
                    "tags": [tag.tag for tag in row.tags],
                    "research": None
                    if research is None
                    else (
                        research.company_summary,
                        research.person_profile,
                        research.angle,
                        research.source_links,
                        research.researched_at,
                    ),
                }
            )
        return result


def count(sessions: sessionmaker[Session], model: type[object] = Prospect) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def dump(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def add_dana(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as session:
        values = validate_prospect(
            {
                "first_name": "Dana",
                "last_name": "Whitfield",
                "company": "Mesa Dental Group",
                "title": "Practice Manager",
                "email": "dana@mesadental.example",
                "phone": "(505) 828-1788",
                "tags": "dental",
                "notes": "Met at the ADA booth.",
            },
            "US",
        )
        return add_prospect(session, CLOCK, values).id


GOOD_THREE = (
    "First Name,Last Name,Company,Email,Phone\n"
    "Jane,Doe,Acme Robotics,jane@acme.example,(505) 828-1788\n"
    "John,Roe,Globex,john@globex,212-555-0199\n"
    "Ann,Lee,Initech,ann@initech.example,\n"
)


# -- reading ------------------------------------------------------------------


def test_crm_header_variants_in_mixed_case_map_to_fields(tmp_path, sessions):
    path = write(
        tmp_path,
        "FIRST NAME,last_name,  company name ,Job Title,Mobile,Email Address,Linked-In URL,"
        "Favourite Color\n"
        "Jane,Doe,Acme Robotics,VP Operations,(505) 828-1788,Jane@Acme.example,"
        "https://linkedin.com/in/janedoe,teal\n",
    )
    report = run_import(sessions, path)
    assert report.created == 1
    assert report.imported
    assert report.ignored_columns == ("Favourite Color",)
    (jane,) = stored(sessions)
    assert jane["first_name"] == "Jane"
    assert jane["last_name"] == "Doe"
    assert jane["company"] == "Acme Robotics"
    assert jane["title"] == "VP Operations"
    assert jane["mobile"] == "+15058281788"
    assert jane["email"] == "jane@acme.example"
    assert jane["linkedin"] == "https://linkedin.com/in/janedoe"


def test_map_headers_ignores_case_spaces_underscores_and_dashes():
    mapping = map_headers(
        ["first_name", "LAST-NAME", "Account Name", "Title", "Work Email", "TimeZone", "Niche"]
    )
    assert dict(mapping.columns) == {
        "first_name": (0,),
        "last_name": (1,),
        "company": (2,),
        "title": (3,),
        "email": (4,),
        "timezone": (5,),
        "tags": (6,),
    }
    assert mapping.ignored == ()


def test_phone_takes_the_first_non_empty_column_other_fields_the_first_column(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Work Direct Phone,Phone,Mobile Phone,Company,Account Name\n"
        "Jane,,(505) 828-1788,(505) 555-0101,Acme,Globex\n",
    )
    report = run_import(sessions, path)
    (jane,) = stored(sessions)
    assert (jane["phone"], jane["mobile"]) == ("+15058281788", "+15055550101")
    assert jane["company"] == "Acme"
    assert report.ignored_columns == ("Account Name",)


@pytest.mark.parametrize("bom", [True, False])
def test_reads_utf8_with_or_without_bom(tmp_path, sessions, bom):
    path = write(
        tmp_path,
        "First Name,Last Name,Company,Email\nZoë,Brontë,Café Società,z@cafe.example\n",
        bom=bom,
    )
    assert read_csv(path).headers == ("First Name", "Last Name", "Company", "Email")
    run_import(sessions, path)
    (zoe,) = stored(sessions)
    assert (zoe["first_name"], zoe["last_name"], zoe["company"]) == (
        "Zoë",
        "Brontë",
        "Café Società",
    )


def test_semicolon_file_keeps_commas_inside_values(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name;Last Name;Company;Notes;Email\r\n"
        "Jane;Doe;Acme, Inc.;likes commas, really;jane@acme.example\r\n"
        'John;Roe;"Globex; Europe";;john@globex.example\r\n',
    )
    report = run_import(sessions, path)
    assert report.created == 2
    jane, john = stored(sessions)
    assert jane["company"] == "Acme, Inc."
    assert jane["notes"] == "likes commas, really"
    assert john["company"] == "Globex; Europe"


def test_quoted_newline_does_not_shift_later_row_numbers(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Last Name,Email,Notes\n"
        'Jane,Doe,jane@acme.example,"first line\nsecond line\nthird line"\n'
        "John,Roe,not-an-email,\n"
        "\n"
        "Ann,Lee,ann@initech.example,\n",
    )
    table = read_csv(path)
    # A blank line is an empty row in a spreadsheet: it keeps its number.
    assert [row.number for row in table.rows] == [2, 3, 5]
    report = run_import(sessions, path, skip_invalid=True)
    assert [(note.row, note.message) for note in report.invalid] == [
        (3, "email: 'not-an-email' is not an email address")
    ]
    jane, ann = stored(sessions)
    assert jane["notes"] == "first line\nsecond line\nthird line"
    assert ann["first_name"] == "Ann"


def test_short_rows_are_padded_and_rows_with_extra_values_are_invalid(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Email,Company\nJane,jane@acme.example\n"
        "John,john@globex.example,Globex,surprise\n"
        "Ann,ann@initech.example,Initech,,\n",
    )
    table = read_csv(path)
    assert next(iter(table.rows)).values == ("Jane", "jane@acme.example", "")
    report = run_import(sessions, path, skip_invalid=True)
    assert report.created == 2  # trailing empty cells are only a trailing separator
    assert [note.row for note in report.invalid] == [3]
    assert "4 cells but the header has 3 columns" in report.invalid[0].message


def test_neither_utf8_nor_windows_1252_gives_a_clear_error(tmp_path, sessions):
    # 0x81 is no character in Windows-1252 and cannot start a UTF-8 sequence.
    path = tmp_path / "binary.csv"
    path.write_bytes(b"First Name,Email\nZo\x81,zoe@acme.example\n")
    with pytest.raises(InvalidInputError, match="is not UTF-8 or Windows-1252 text") as raised:
        run_import(sessions, path)
    assert str(path) in str(raised.value)
    assert "byte 0x81 at position 19" in str(raised.value)
    assert "CSV UTF-8" in str(raised.value)
    assert stored(sessions) == []


EUROPEAN_EXCEL = (
    "Vorname;Nachname;Firma;Position;Telefon;E-Mail\r\n"
    "Jürgen;Müller;Bäckerei Größ GmbH;Geschäftsführer;+49 30 901820;jm@baeckerei.example\r\n"
    "Zoë;Brontë;Café Società;Gérante;+33 1 42 68 53 00;zoe@cafe.example\r\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (EUROPEAN_EXCEL.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + EUROPEAN_EXCEL.encode("utf-8"), "UTF-8 with BOM"),
        (EUROPEAN_EXCEL.encode("cp1252"), "Windows-1252"),
        (EUROPEAN_EXCEL.encode("utf-16"), "UTF-16"),  # Python writes the BOM
        (b"\xfe\xff" + EUROPEAN_EXCEL.replace(";", "\t").encode("utf-16-be"), "UTF-16"),
    ],
)
def test_european_excel_files_are_read_in_their_encoding(tmp_path, sessions, data, encoding):
    path = tmp_path / "kontakte.csv"
    path.write_bytes(data)
    assert read_csv(path).encoding == encoding
    with sessions.begin() as session:
        report = import_csv(session, CLOCK, path, "DE")
    assert report.encoding == encoding
    assert report.created == 2
    jurgen, zoe = stored(sessions)
    assert (jurgen["first_name"], jurgen["last_name"], jurgen["company"]) == (
        "Jürgen",
        "Müller",
        "Bäckerei Größ GmbH",
    )
    assert jurgen["title"] == "Geschäftsführer"
    assert jurgen["phone"] == "+4930901820"
    assert (zoe["first_name"], zoe["company"]) == ("Zoë", "Café Società")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("  \n\n", "is empty"),
        ("\n,,\n", "has no header row"),
    ],
)
def test_empty_file_or_no_header_is_refused(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(InvalidInputError, match=message) as raised:
        read_csv(path)
    assert str(path) in str(raised.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInputError, match="cannot read"):
        read_csv(tmp_path / "nowhere.csv")


def test_no_name_column_names_the_expected_headers(tmp_path, sessions):
    path = write(tmp_path, "Company,Email\nAcme,jane@acme.example\n")
    with pytest.raises(InvalidInputError, match="First Name") as raised:
        run_import(sessions, path)
    assert "Full Name" in str(raised.value)
    assert str(path) in str(raised.value)


def test_name_column_is_split_into_first_word_and_rest(tmp_path, sessions):
    path = write(
        tmp_path,
        "Full Name,Company,Email\nMary Ann  Smith,Acme,mary@acme.example\n"
        "Cher,Solo Inc,cher@solo.example\n",
    )
    run_import(sessions, path)
    mary, cher = stored(sessions)
    assert (mary["first_name"], mary["last_name"]) == ("Mary", "Ann Smith")
    assert (cher["first_name"], cher["last_name"]) == ("Cher", "")


def test_name_column_is_ignored_when_first_or_last_name_exist(tmp_path, sessions):
    path = write(tmp_path, "Name,Last Name,Email\nMary Smith,Smith-Jones,mary@acme.example\n")
    report = run_import(sessions, path)
    assert report.ignored_columns == ("Name",)
    (mary,) = stored(sessions)
    assert (mary["first_name"], mary["last_name"]) == ("", "Smith-Jones")


def test_entirely_empty_rows_are_skipped_silently(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Company,Email\nJane,Acme,jane@acme.example\n , \n,\n"
        "John,Globex,j@globex.example\n",
    )
    report = run_import(sessions, path)
    assert report.created == 2
    assert report.invalid == ()
    assert report.existing == ()


# -- all or nothing -------------------------------------------------------------


def test_one_bad_row_rejects_the_whole_file(tmp_path, sessions):
    path = write(tmp_path, GOOD_THREE)
    with pytest.raises(ImportRejected) as raised:
        run_import(sessions, path)
    assert "nothing was imported: 1 invalid row(s)" in str(raised.value)
    assert "row 3" in str(raised.value)
    assert isinstance(raised.value, InvalidInputError)
    report = raised.value.report
    assert [(note.row, note.message) for note in report.invalid] == [
        (3, "email: 'john@globex' is not an email address")
    ]
    assert not report.imported
    assert count(sessions) == 0
    # What skipping the bad row would do, for the message that offers it.
    would = raised.value.if_skipped
    assert (would.created, would.updated, would.dry_run) == (2, 0, True)
    assert [note.row for note in would.invalid] == [3]


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(tmp_path, sessions):
    path = write(tmp_path, GOOD_THREE.replace("212-555-0199", "12"))
    report = run_import(sessions, path, skip_invalid=True)
    assert report.created == 2
    assert report.imported
    assert [note.row for note in report.invalid] == [3]
    assert report.invalid[0].message.startswith("email:")
    assert [row["first_name"] for row in stored(sessions)] == ["Jane", "Ann"]


def test_bad_phone_reason_names_the_field(tmp_path, sessions):
    path = write(tmp_path, "First Name,Phone\nJane,12\n")
    report = run_import(sessions, path, skip_invalid=True)
    (note,) = report.invalid
    assert note.row == 2
    assert note.message.startswith("phone: '12' has the wrong number of digits")


def test_research_columns_are_validated_and_stored(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Company Summary,Angle,Sources,Researched At,Email\n"
        'Jane,Makes robots,Faster booking,"https://a.example; https://b.example\n'
        'https://c.example",2026-02-01T09:30:00,jane@acme.example\n'
        "John,,,,2026-02-01T09:30:00+01:00,john@globex.example\n"
        "Ann,Runs clinics,,,,ann@initech.example\n"
        "Bob,Bad date,,,last tuesday,bob@acme.example\n",
    )
    report = run_import(sessions, path, skip_invalid=True)
    # Jane's quoted newline keeps her one record: Bob is row 5.
    assert [note.row for note in report.invalid] == [5]
    assert report.invalid[0].message.startswith("researched at: 'last tuesday' is not a date")
    jane, john, ann = stored(sessions)
    assert jane["research"] == (
        "Makes robots",
        "",
        "Faster booking",
        "https://a.example\nhttps://b.example\nhttps://c.example",
        datetime(2026, 2, 1, 9, 30, tzinfo=UTC),  # naive means UTC
    )
    assert john["research"] == ("", "", "", "", datetime(2026, 2, 1, 8, 30, tzinfo=UTC))
    assert ann["research"] == ("Runs clinics", "", "", "", NOW)  # undated: done by now


# -- dry run -------------------------------------------------------------------------


def test_dry_run_writes_nothing_but_reports_what_would_happen(tmp_path, sessions):
    add_dana(sessions)
    before = dump(tmp_path / "t.sqlite")
    path = write(
        tmp_path,
        "First Name,Email,Phone,Notes,Company Summary,Tags\n"
        "Jane,jane@acme.example,,hello,Robots,new\n"
        "Dana,,+1 505-828-1788,,,\n"
        "Bad,,12,,,\n",
    )
    report = run_import(sessions, path, dry_run=True, skip_invalid=True)
    assert report.dry_run
    assert not report.imported
    assert report.created == 1
    assert [note.row for note in report.existing] == [3]
    assert [note.row for note in report.invalid] == [4]
    assert dump(tmp_path / "t.sqlite") == before

    # A dry run refuses exactly when the real import would, and still writes nothing.
    with pytest.raises(ImportRejected) as raised:
        run_import(sessions, path, dry_run=True)
    assert raised.value.report.dry_run
    # ...and still says what the good rows would do, for the dry run's report.
    would = raised.value.if_skipped
    assert would.created == 1
    assert [note.row for note in would.existing] == [3]
    assert [note.row for note in would.invalid] == [4]
    assert dump(tmp_path / "t.sqlite") == before


# -- known prospects and duplicates ------------------------------------------------------


def test_existing_prospect_by_email_or_phone_in_another_format_is_skipped(tmp_path, sessions):
    dana_id = add_dana(sessions)
    path = write(
        tmp_path,
        "First Name,Last Name,Email,Phone,Title\n"
        "Dana,W,DANA@mesadental.example,,Owner\n"
        "D.,Whitfield,other@mesadental.example,+1 505-828-1788,Owner\n"
        "Jane,Doe,jane@acme.example,,\n",
    )
    report = run_import(sessions, path)
    assert report.created == 1
    assert report.updated == 0
    assert [(note.row, note.prospect_id, note.message) for note in report.existing] == [
        (2, dana_id, f"same email as #{dana_id} Dana Whitfield"),
        (3, dana_id, f"same phone as #{dana_id} Dana Whitfield"),
    ]
    dana, _jane = stored(sessions)
    assert dana["title"] == "Practice Manager"  # untouched


def test_update_existing_changes_only_the_cells_with_values(tmp_path, sessions):
    dana_id = add_dana(sessions)
    path = write(
        tmp_path,
        "First Name,Last Name,Phone,Title,Company,Tags,Notes,Angle\n"
        "Dana,Whitfield,+1 505-828-1788,Owner,,referral,Prefers mornings.,Fewer no-shows\n",
    )
    report = run_import(sessions, path, update_existing=True)
    assert (report.created, report.updated, report.existing) == (0, 1, ())
    assert report.imported
    (dana,) = stored(sessions)
    assert dana["title"] == "Owner"
    assert dana["company"] == "Mesa Dental Group"  # empty cell keeps it
    assert dana["email"] == "dana@mesadental.example"
    assert dana["tags"] == ["dental", "referral"]  # added, not replaced
    assert dana["notes"] == "Met at the ADA booth.\n\nPrefers mornings."
    assert dana["research"] == ("", "", "Fewer no-shows", "", NOW)
    with sessions() as session:
        assert search_prospect_ids(session, "mornings") == [dana_id]
        assert session.get(Prospect, dana_id).updated_at == NOW


def test_update_refuses_a_row_matching_two_different_prospects(tmp_path, sessions):
    dana_id = add_dana(sessions)
    with sessions.begin() as session:
        other = add_prospect(
            session, CLOCK, validate_prospect({"first_name": "Eve", "phone": "212-555-0199"}, "US")
        )
    path = write(tmp_path, "First Name,Email,Phone\nDana,dana@mesadental.example,212 555 0199\n")
    report = run_import(sessions, path, update_existing=True)
    assert report.updated == 0
    assert report.existing[0].message == (
        f"same email as #{dana_id} Dana Whitfield and same phone as #{other.id} Eve"
    )


def test_duplicate_within_the_same_file_is_reported(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Last Name,Email,Phone\n"
        "Jane,Doe,jane@acme.example,\n"
        "John,Roe,,(505) 828-1788\n"
        "Janet,Doe,JANE@acme.example,\n"
        "Jon,Roe,,505.828.1788\n",
    )
    report = run_import(sessions, path, update_existing=True)
    assert report.created == 2
    assert [(note.row, note.prospect_id, note.message) for note in report.existing] == [
        (4, None, "same email as row 2 (Jane Doe)"),
        (5, None, "same phone as row 3 (John Roe)"),
    ]


def test_two_rows_updating_one_prospect_update_it_once(tmp_path, sessions):
    dana_id = add_dana(sessions)
    path = write(
        tmp_path,
        "First Name,Email,Title\n"
        "Dana,dana@mesadental.example,Owner\n"
        "Dana,dana@mesadental.example,Janitor\n",
    )
    report = run_import(sessions, path, update_existing=True)
    assert report.updated == 1
    assert [(note.row, note.prospect_id) for note in report.existing] == [(3, dana_id)]
    assert report.existing[0].message == "same email as row 2 (Dana)"
    assert stored(sessions)[0]["title"] == "Owner"


# -- derived values and search ----------------------------------------------------------


def test_time_zone_comes_from_the_phone_when_absent(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Phone,Time Zone,Email\nJane,(505) 828-1788,,\nJohn,(505) 828-1789,Eastern,\n"
        "Ann,,,ann@initech.example\n",
    )
    run_import(sessions, path)
    jane, john, ann = stored(sessions)
    assert jane["timezone"] == "America/Denver"
    assert john["timezone"] == "America/New_York"
    assert ann["timezone"] is None


def test_imported_prospects_are_found_by_full_text_search(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Company,Notes,Person Profile,Email\n"
        "Jane,Acme Robotics,asked about pricing,,jane@acme.example\n"
        "John,Globex,,Former hygienist,john@globex.example\n",
    )
    run_import(sessions, path)
    with sessions() as session:
        ids = list(session.scalars(select(Prospect.id).order_by(Prospect.id)))
        assert search_prospect_ids(session, "acme") == [ids[0]]
        assert search_prospect_ids(session, "pricing") == [ids[0]]
        assert search_prospect_ids(session, "hygienist") == [ids[1]]


def test_a_large_import_uses_a_handful_of_statements(tmp_path, engine, sessions):
    lines = ["First Name,Last Name,Email,Tags,Company Summary"]
    lines += [f"P{i},L{i},p{i}@example.com,a;b,Summary {i}" for i in range(1200)]
    path = write(tmp_path, "\n".join(lines) + "\n")
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        report = run_import(sessions, path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert report.created == 1200
    # One lookup, a few batched inserts, the search index in chunks of 500:
    # nothing per row.
    assert len(statements) < 25
    assert count(sessions, ProspectTag) == 2400
    assert count(sessions, ResearchNote) == 1200


def test_plan_import_sorts_rows_without_writing(tmp_path, sessions):
    add_dana(sessions)
    table = read_csv(write(tmp_path, GOOD_THREE))
    with sessions() as session:
        plan = plan_import(session, table, "US", update_existing=True)
        assert [row.action for row in plan.rows] == [
            RowAction.UPDATE,
            RowAction.INVALID,
            RowAction.NEW,
        ]
        assert not session.new
        assert not session.dirty


# -- export -----------------------------------------------------------------------------


def seed_for_export(sessions: sessionmaker[Session]) -> None:
    dana_id = add_dana(sessions)
    with sessions.begin() as session:
        update_research(
            session,
            CLOCK,
            dana_id,
            company_summary="Six dental clinics in Albuquerque; “growing” fast.",
            person_profile="Runs the front desk,\nformerly a hygienist.",
            angle="Missed calls cost them bookings",
            source_links=["https://mesadental.example", "https://linkedin.com/in/dana"],
            researched_at=datetime(2026, 2, 27, 18, 45, tzinfo=UTC),
        )
        add_prospect(
            session,
            CLOCK,
            validate_prospect(
                {
                    "first_name": "Zoë",
                    "last_name": "O'Brien",
                    "company": 'Café "Società", Ltd',
                    "website": "https://cafe.example",
                    "linkedin": "https://linkedin.com/in/zoe",
                    "phone": "+44 20 7946 0958",
                    "timezone": "Europe/London",
                    "tags": "agency, uk",
                    "notes": "Line one;\nline two, with comma",
                },
                "US",
            ),
        )


def test_export_then_import_into_a_fresh_database_reproduces_everything(tmp_path, sessions):
    seed_for_export(sessions)
    target = tmp_path / "out" / "prospects.csv"
    target.parent.mkdir()
    with sessions() as session:
        assert export_csv(session, target) == 2
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(target).headers == EXPORT_HEADERS
    assert "+1 505 828 1788" in data.decode("utf-8-sig")
    assert "2026-02-27T18:45:00+00:00" in data.decode("utf-8-sig")
    assert sorted(p.name for p in target.parent.iterdir()) == ["prospects.csv"]  # no temp left

    fresh_folder = tmp_path / "fresh"
    fresh_folder.mkdir()
    fresh = open_engine(fresh_folder)
    try:
        fresh_sessions = sessionmaker(fresh)
        report = run_import(fresh_sessions, target)
        assert report.created == 2
        assert report.ignored_columns == ()  # Status is known, just not imported
        assert stored(fresh_sessions) == stored(sessions)
    finally:
        fresh.dispose()


def test_export_of_an_empty_database_writes_only_the_header(tmp_path, sessions):
    target = tmp_path / "empty.csv"
    with sessions() as session:
        assert export_csv(session, target) == 0
    assert target.read_bytes().decode("utf-8-sig") == ",".join(EXPORT_HEADERS) + "\r\n"


def test_a_failed_export_leaves_the_previous_file_alone(tmp_path, sessions, monkeypatch):
    seed_for_export(sessions)
    target = tmp_path / "prospects.csv"
    target.write_text("the previous export\n")

    def broken(*_args: object) -> dict[int, list[str]]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exporting, "_tags_of", broken)
    with sessions() as session, pytest.raises(KnownError, match="No space left"):
        export_csv(session, target)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".prospects")] == []


def test_export_into_a_missing_folder_is_a_clear_error(tmp_path, sessions):
    with sessions() as session, pytest.raises(KnownError, match="cannot write"):
        export_csv(session, tmp_path / "missing" / "out.csv")


# Any text a rep can type in Notes comes back from an export (trimmed, as on entry),
# including text a spreadsheet would take for a formula and text starting with a quote.
# A NUL is the one character refused on entry (tests/contact_races.py says so), so none
# is typed here.
notes_text = st.tuples(
    st.sampled_from(["", "=", "+44 20 7946 0123 ", "-", "@", "'", "''", "'=", "'+", "'a"]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        max_size=200,
    ),
).map("".join)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(notes=notes_text)
def test_any_notes_survive_an_export_import_round_trip(notes):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        first, second = open_engine(folder / "a"), open_engine(folder / "b")
        try:
            with sessionmaker(first).begin() as session:
                add_prospect(
                    session,
                    CLOCK,
                    validate_prospect(
                        {"first_name": "Jane", "email": "jane@acme.example", "notes": notes}, "US"
                    ),
                )
            with sessionmaker(first)() as session:
                export_csv(session, folder / "x.csv")
            run_import(sessionmaker(second), folder / "x.csv")
            (jane,) = stored(sessionmaker(second))
            assert jane["notes"] == notes.strip()
        finally:
            first.dispose()
            second.dispose()


# -- spreadsheet-safe cells (OWASP CSV injection) ----------------------------------


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


FORMULAS = {
    "first_name": "@Jane",
    "last_name": "-Doe",
    "title": "+cmd|' /C calc'!A0",
    "company": '=HYPERLINK("http://x","click")',
    "phone": "+44 20 7946 0123",
    "notes": "=1+1\n'Tis the season\n-- call back",
    "tags": "=bad",
}


def test_export_marks_formula_cells_as_text_and_import_gives_back_the_values(tmp_path, sessions):
    with sessions.begin() as session:
        add_prospect(session, CLOCK, validate_prospect(FORMULAS, "US"))
        add_prospect(
            session,
            CLOCK,
            validate_prospect(
                {"first_name": "'Tis", "email": "tis@acme.example", "notes": "''=x"}, "US"
            ),
        )
    target = tmp_path / "out.csv"
    with sessions() as session:
        export_csv(session, target)

    header, first, second = csv_cells(target)
    assert header == list(EXPORT_HEADERS)
    for cell in first + second:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    row = dict(zip(header, first, strict=True))
    assert row["Company"] == "'" + FORMULAS["company"]
    assert row["Phone"] == "'+44 20 7946 0123"
    assert row["Notes"] == "'" + FORMULAS["notes"]
    # A value starting with a quote of its own: marked only where import would
    # otherwise take its quote for ours.
    assert dict(zip(header, second, strict=True))["First Name"] == "'Tis"
    assert dict(zip(header, second, strict=True))["Notes"] == "'''=x"

    copied = imported_into_a_new_database(tmp_path, target)
    assert copied == stored(sessions)
    assert copied[0]["phone"] == "+442079460123"
    assert copied[0]["timezone"] == "Europe/London"  # still read as a UK number
    assert copied[1]["first_name"] == "'Tis"


any_cell = st.tuples(
    st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'+", "'a", "\n"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
).map("".join)


@given(value=any_cell)
def test_any_cell_is_spreadsheet_safe_and_reads_back_exactly(value):
    cell = csvformat.spreadsheet_safe(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csvformat.cell_value(cell) == value


def test_a_crm_file_keeps_values_that_start_with_their_own_quote(tmp_path, sessions):
    # As Excel writes it; the second row comes from a tool that escapes formulas as we do.
    text = crm_file(
        [
            ["First Name", "Company", "Phone", "Notes"],
            ["Jane", "'Tis Bakery", "(505) 828-1788", "'quoted' on purpose"],
            ["John", "Globex", "'+44 20 7946 0123", "'=SUM(A1)"],
        ]
    )
    run_import(sessions, write(tmp_path, text, bom=True))
    jane, john = stored(sessions)
    assert (jane["company"], jane["notes"]) == ("'Tis Bakery", "'quoted' on purpose")
    assert (john["phone"], john["notes"]) == ("+442079460123", "=SUM(A1)")


# -- export targets -----------------------------------------------------------------


def refused_export(sessions: sessionmaker[Session], target: Path, message: str) -> None:
    with sessions() as session, pytest.raises(InvalidInputError, match=message) as raised:
        export_csv(session, target)
    assert str(target) in str(raised.value)
    assert "\n" not in str(raised.value)
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_export_never_follows_or_replaces_a_symlink(tmp_path, sessions):
    seed_for_export(sessions)
    real = tmp_path / "real.csv"
    real.write_text("kept\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    refused_export(sessions, link, "is a symbolic link")
    assert link.is_symlink()
    assert real.read_text() == "kept\n"
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    refused_export(sessions, dangling, "is a symbolic link")
    assert not (tmp_path / "nowhere.csv").exists()


def test_export_refuses_a_folder_a_fifo_and_a_device(tmp_path, sessions):
    seed_for_export(sessions)
    folder = tmp_path / "folder"
    folder.mkdir()
    refused_export(sessions, folder, "is a folder")
    assert list(folder.iterdir()) == []
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    refused_export(sessions, fifo, "is not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    device = tmp_path / "null"
    try:
        # A private copy of /dev/null: a broken export must not replace the real one.
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")
    refused_export(sessions, device, "is not a regular file")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_export_replaces_a_regular_file(tmp_path, sessions):
    seed_for_export(sessions)
    target = tmp_path / "prospects.csv"
    target.write_text("the previous export\n")
    with sessions() as session:
        assert export_csv(session, target) == 2
    assert csv_cells(target)[0] == list(EXPORT_HEADERS)


def test_a_link_put_in_place_during_the_export_is_not_replaced(tmp_path, sessions, monkeypatch):
    seed_for_export(sessions)
    target = tmp_path / "prospects.csv"
    real = tmp_path / "real.csv"
    real.write_text("kept\n")
    tags_of = exporting._tags_of

    def link_meanwhile(session: Session, ids: list[int]) -> dict[int, list[str]]:
        if not target.is_symlink():
            target.symlink_to(real)
        return tags_of(session, ids)

    monkeypatch.setattr(exporting, "_tags_of", link_meanwhile)
    refused_export(sessions, target, "is a symbolic link")
    assert target.is_symlink()
    assert real.read_text() == "kept\n"


# -- notes of any length ----------------------------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        ("A long call log, line after line. " * 9000).strip(),  # over 300,000 characters
        # Pasted from a spreadsheet: lines with a whole row's worth of commas.
        "Their price list:\n" + "\n".join(",".join(["x"] * 30) for _ in range(5)),
    ],
    ids=["long", "rows-of-commas"],
)
def test_notes_our_export_writes_come_back(tmp_path, sessions, note):
    with sessions.begin() as session:
        add_prospect(
            session,
            CLOCK,
            validate_prospect(
                {"first_name": "Jane", "email": "jane@acme.example", "notes": note}, "US"
            ),
        )
    target = tmp_path / "out.csv"
    with sessions() as session:
        export_csv(session, target)
    (jane,) = imported_into_a_new_database(tmp_path, target)
    assert jane["notes"] == note


def test_export_refuses_a_note_import_could_not_read_back(tmp_path, sessions):
    # At the cap once marked as text: the mark counts, as import reads the cell.
    note = "=" + "x" * (csvformat.MAX_CELL_CHARS - 1)
    with sessions.begin() as session:
        jane = add_prospect(
            session,
            CLOCK,
            validate_prospect({"first_name": "Jane", "last_name": "Doe", "notes": note}, "US"),
        )
    target = tmp_path / "out.csv"
    target.write_text("the previous export\n")
    with sessions() as session, pytest.raises(InvalidInputError) as raised:
        export_csv(session, target)
    assert f"Notes of #{jane.id} Jane Doe is 1,000,001 characters" in str(raised.value)
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# -- CSV that cannot fool the import --------------------------------------------------------


def crm_file(
    rows: list[list[str]], *, delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> str:
    """A CSV file as spreadsheet apps and CRMs write it (CRLF line ends, quoted as needed)."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def sixty_prospects() -> list[list[str]]:
    return [["First Name", "Last Name", "Email", "Notes"]] + [
        [f"P{n}", "Doe", f"p{n}@acme.example", f"met at booth {n}, keen"] for n in range(60)
    ]


def refused_import(sessions: sessionmaker[Session], path: Path, message: str) -> str:
    for skip_invalid in (False, True):
        with pytest.raises(InvalidInputError, match=message) as raised:
            run_import(sessions, path, skip_invalid=skip_invalid)
    assert count(sessions) == 0
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)
    return str(raised.value)


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
def test_a_missing_closing_quote_is_one_clear_error_not_a_merge(tmp_path, sessions, quoting):
    text = crm_file(sixty_prospects(), quoting=quoting)
    # Row 3's note loses its closing quote; rows after it are quoted again further on.
    broken = text.replace('"met at booth 1, keen"', '"met at booth 1, keen', 1)
    assert broken != text
    message = refused_import(sessions, write(tmp_path, broken), "row 3: a quoted value")
    assert "is not closed where it should be" in message


def test_a_quote_left_open_to_the_end_of_the_file_is_one_clear_error(tmp_path, sessions):
    text = crm_file(sixty_prospects()[:5]) + 'Ann,Lee,ann@initech.example,"first line\r\n'
    text += "Bob,Ray,bob@ray.example,no quotes here\r\n" * 50
    message = refused_import(sessions, write(tmp_path, text), "row 6: a quoted value")
    assert "from line 6 to the end of the file" in message


def test_a_quote_closed_by_chance_rows_later_is_one_clear_error_not_a_merge(tmp_path, sessions):
    # An unquoted file (notes without commas) where one note opens a quote it never
    # closes; ten rows on, a value ending in a quote before the comma closes it,
    # swallowing the nine rows between (P3 to P11) into her note.
    rows = [["First Name", "Last Name", "Email", "Notes"]] + [
        [f"P{n}", "Doe", f"p{n}@acme.example", f"met at booth {n}"] for n in range(20)
    ]
    text = crm_file(rows)
    broken = text.replace("met at booth 2", '"met at booth 2', 1).replace("P12,Doe", 'P12",Doe', 1)
    message = refused_import(sessions, write(tmp_path, broken), "row 4: a quoted value")
    assert "from line 4 to line 14 and holds 9 lines that look like rows of their own" in message


def test_a_note_with_line_breaks_and_a_comma_or_two_is_still_read(tmp_path, sessions):
    note = "Called twice, no answer.\nAsked for Tuesday, 10am.\nSends a brochure."
    path = write(
        tmp_path,
        crm_file(
            [
                ["First Name", "Last Name", "Email", "Notes"],
                ["Jane", "Doe", "jane@acme.example", note],
            ]
        ),
    )
    run_import(sessions, path)
    assert stored(sessions)[0]["notes"] == note


def test_a_quote_inside_an_unquoted_value_is_still_read(tmp_path, sessions):
    path = write(
        tmp_path, 'First Name,Email,Notes\r\nJane,jane@acme.example,wants a 27" screen\r\n'
    )
    run_import(sessions, path)
    assert stored(sessions)[0]["notes"] == 'wants a 27" screen'


def test_a_row_with_more_cells_than_the_header_is_invalid_not_merged(tmp_path, sessions):
    rows = sixty_prospects()[:4]
    rows[2] = [*rows[2], "surprise"]
    path = write(tmp_path, crm_file(rows, delimiter=";"))
    report = run_import(sessions, path, skip_invalid=True)
    assert report.created == 2
    assert [note.row for note in report.invalid] == [3]
    assert "5 cells but the header has 4 columns" in report.invalid[0].message


def test_a_cell_over_the_cap_is_one_clear_error(tmp_path, sessions):
    rows = sixty_prospects()[:3]
    rows[2][3] = "x" * (csvformat.MAX_CELL_CHARS + 1)
    message = refused_import(sessions, write(tmp_path, crm_file(rows)), "row 3: a cell is longer")
    assert "1,000,000 characters" in message
    # The csv module's limit is process-wide: it is put back after the read.
    assert csv.field_size_limit() == 131_072


def test_too_many_columns_is_one_clear_error(tmp_path, sessions):
    header = ["First Name", *(f"Extra {n}" for n in range(reading.MAX_COLUMNS))]
    message = refused_import(
        sessions, write(tmp_path, crm_file([header, ["Jane"]])), "row 1: 501 cells"
    )
    assert "more than the 500 columns" in message
    wide_row = crm_file([["First Name", "Notes"], ["Jane", *[""] * 600]])
    refused_import(sessions, write(tmp_path, wide_row), "row 2: 601 cells")


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, sessions, monkeypatch):
    path = write(tmp_path, crm_file(sixty_prospects()))
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size - 1)
    refused_import(sessions, path, "is larger than")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size)
    assert run_import(sessions, path).created == 60


def test_import_refuses_endless_and_non_regular_files(tmp_path, sessions):
    refused_import(sessions, Path("/dev/zero"), "is not a regular file")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    refused_import(sessions, fifo, "is not a regular file")
    refused_import(sessions, tmp_path, "is not a regular file")


def test_command_line_says_one_line_for_a_bad_target_or_source(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    database = tmp_path / "cli.sqlite"
    for argv, message in (
        (["export", str(fifo)], "is not a regular file"),
        (["import", "/dev/zero"], "is not a regular file"),
    ):
        out, err = io.StringIO(), io.StringIO()
        assert main(["--db", str(database), *argv], clock=CLOCK, out=out, err=err) == 1
        assert err.getvalue().startswith("callassist: ")
        assert message in err.getvalue()
        assert err.getvalue().count("\n") == 1


# -- real CRM layouts -----------------------------------------------------------

# Headers and cells as each product writes them (Pipedrive's "Person - ..."
# columns, Close's snake_case lead export, Apollo's several phone columns).
CRM_FILES = {
    "pipedrive": (
        '"Person - ID","Person - Name","Person - Organization","Person - Job title",'
        '"Person - Email - Work","Person - Phone - Work","Person - Phone - Mobile",'
        '"Person - Owner"\r\n'
        '"17","Jane Doe","Acme Robotics","VP Operations","jane@acme.example",'
        '"+1 505-828-1788","","Sam Rep"\r\n'
    ),
    "pipedrive-organization": (
        "Person - Name,Person - Phone,Person - Email,Organization - Name\n"
        "Jane Doe,(505) 828-1788,jane@acme.example,Acme Robotics\n"
    ),
    "close": (
        "id,display_name,status_label,url,primary_contact_name,primary_contact_title,"
        "primary_contact_primary_phone,primary_contact_primary_email\n"
        "lead_8aQ3,Acme Robotics,Potential,https://acme.example,Jane Doe,VP Operations,"
        "+15058281788,jane@acme.example\n"
    ),
    "hubspot": (
        "Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,"
        "Job Title,Website URL,Contact owner\n"
        "51,Jane,Doe,jane@acme.example,,505-828-1788,Acme Robotics,VP Operations,"
        "https://acme.example,Sam Rep\n"
    ),
    "zoho": (
        "Record Id,First Name,Last Name,Account Name,Title,Email,Phone,Mobile,Website\n"
        "zcrm_1,Jane,Doe,Acme Robotics,VP Operations,jane@acme.example,505.828.1788,,"
        "https://acme.example\n"
    ),
    "german": (
        "Vorname;Nachname;Firma;Position;Telefon;E-Mail;Webseite\r\n"
        "Jane;Doe;Acme Robotics;VP Operations;(505) 828-1788;jane@acme.example;"
        "https://acme.example\r\n"
    ),
    "french": (
        "Prénom;Nom;Société;Fonction;Téléphone;Courriel;Site web\r\n"
        "Jane;Doe;Acme Robotics;VP Operations;(505) 828-1788;jane@acme.example;"
        "https://acme.example\r\n"
    ),
    "spanish": (
        "Nombre;Apellidos;Empresa;Cargo;Teléfono;Correo electrónico;Sitio web\r\n"
        "Jane;Doe;Acme Robotics;VP Operations;(505) 828-1788;jane@acme.example;"
        "https://acme.example\r\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(CRM_FILES))
def test_real_crm_layouts_import_name_company_phone_and_email(tmp_path, sessions, layout):
    path = write(tmp_path, CRM_FILES[layout], bom=True)
    report = run_import(sessions, path)
    assert report.created == 1
    (jane,) = stored(sessions)
    assert (jane["first_name"], jane["last_name"]) == ("Jane", "Doe")
    assert jane["company"] == "Acme Robotics"
    # HubSpot's only number here is the mobile; the others call theirs the phone.
    assert jane["mobile" if layout == "hubspot" else "phone"] == "+15058281788"
    assert jane["email"] == "jane@acme.example"
    if layout not in ("pipedrive", "pipedrive-organization", "close"):
        assert jane["title"] == "VP Operations"


def test_apollo_phone_columns_give_direct_then_mobile_then_corporate(tmp_path, sessions):
    path = write(
        tmp_path,
        "First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,"
        "Work Direct Phone,Home Phone,Mobile Phone,Corporate Phone,Other Phone,"
        "Person Linkedin Url,Website\n"
        "Jane,Doe,VP Operations,Acme Robotics,Acme,jane@acme.example,Verified,"
        "'+1 505-828-1788,,'+1 505-555-0101,'+1 505-555-0199,,"
        "http://www.linkedin.com/in/janedoe,http://www.acme.example\n"
        "John,Roe,CFO,Globex,Globex,john@globex.example,Verified,"
        ",,'+1 505-555-0102,'+1 505-555-0198,,,http://www.globex.example\n"
        "Ann,Lee,CEO,Initech,Initech,ann@initech.example,Verified,"
        ",,,'+1 505-555-0197,,,http://www.initech.example\n",
    )
    report = run_import(sessions, path)
    assert report.created == 3
    # A B2B rep does not ring a prospect at home.
    assert "Home Phone" in report.ignored_columns
    jane, john, ann = stored(sessions)
    assert [
        (person["phone"], person["mobile"], person["office"]) for person in (jane, john, ann)
    ] == [
        ("+15058281788", "+15055550101", "+15055550199"),
        (None, "+15055550102", "+15055550198"),
        (None, None, "+15055550197"),
    ]
    with sessions() as session:
        dialled = [record.phone for record in list_prospects(session)]
    # Direct first, then mobile, then the switchboard.
    assert sorted(dialled) == sorted(["+15058281788", "+15055550102", "+15055550197"])
    assert jane["linkedin"] == "http://www.linkedin.com/in/janedoe"
    assert jane["website"] == "http://www.acme.example"


def test_a_person_name_column_wins_over_a_lead_name(tmp_path, sessions):
    mapping = map_headers(["name", "primary_contact_name", "display_name"])
    assert mapping.full_name == 1
    assert mapping.ignored == ("name",)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Lopez, Maria", "Maria", "Lopez"),
        ("Lopez Garcia, Maria José", "Maria José", "Lopez Garcia"),
        ("Maria Lopez", "Maria", "Lopez"),
        ("Maria Lopez, Jr.", "Maria", "Lopez, Jr."),
        ("Maria Lopez, PhD", "Maria", "Lopez, PhD"),
        ("Madonna", "Madonna", ""),
    ],
)
def test_a_single_name_column_in_last_comma_first_order_is_split_right(
    tmp_path, sessions, name, first, last
):
    path = write(tmp_path, f'Name,Email\n"{name}",maria@acme.example\n')
    run_import(sessions, path)
    (maria,) = stored(sessions)
    assert (maria["first_name"], maria["last_name"]) == (first, last)


SALESFORCE_REPORT = (
    '"First Name","Last Name","Title","Account Name","Phone","Mobile","Email"\n'
    '"Jane","Doe","VP Operations","Acme Robotics","(505) 828-1788","","jane@acme.example"\n'
    '"John","Roe","CFO","Globex","","(505) 555-0102","john@globex.example"\n'
    '"Grand Totals (2 records)","","","","","",""\n'
    "\n"
    '"Prospects - New Mexico"\n'
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
    '"Confidential Information - Do Not Distribute"\n'
    '"Generated By:  Sam Rep  3/10/2026 9:12 AM"\n'
    '"Acme Sales Inc."\n'
)


def test_a_salesforce_report_footer_is_not_read_as_prospects(tmp_path, sessions):
    path = write(tmp_path, SALESFORCE_REPORT)
    assert [row.number for row in read_csv(path).rows] == [2, 3]
    report = run_import(sessions, path)
    assert report.created == 2
    assert report.invalid == ()
    assert [person["last_name"] for person in stored(sessions)] == ["Doe", "Roe"]


def test_a_one_cell_row_before_a_copyright_line_without_a_blank_is_kept(tmp_path):
    # Only a footer is dropped: the name of a prospect right above it stays a row.
    text = SALESFORCE_REPORT.replace('"Grand Totals (2 records)","","","","","",""\n\n', "")
    path = write(tmp_path, text)
    assert [row.number for row in read_csv(path).rows] == [2, 3, 4]


def test_a_copyright_cell_inside_the_data_is_not_a_footer(tmp_path):
    path = write(
        tmp_path,
        "Name,Notes\n"
        'Jane Doe,"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'
        "John Roe,\n",
    )
    assert [row.number for row in read_csv(path).rows] == [2, 3]


def test_a_row_with_no_phone_and_no_email_is_invalid_and_a_second_import_adds_nothing(
    tmp_path, sessions
):
    path = write(
        tmp_path,
        "First Name,Last Name,Company,Phone,Email\n"
        "Jane,Doe,Acme,(505) 828-1788,\n"
        "John,Roe,Globex,,\n"
        "Ann,Lee,Initech,,ann@initech.example\n",
    )
    with pytest.raises(ImportRejected) as raised:
        run_import(sessions, path)
    assert [(note.row, note.message) for note in raised.value.report.invalid] == [
        (3, "nothing to call or email: the row has no phone and no email")
    ]
    assert stored(sessions) == []
    report = run_import(sessions, path, skip_invalid=True)
    assert report.created == 2
    again = run_import(sessions, path, skip_invalid=True)
    assert again.created == 0
    assert [note.row for note in again.existing] == [2, 4]
    assert [person["first_name"] for person in stored(sessions)] == ["Jane", "Ann"]


def test_a_referral_with_only_a_name_comes_back_from_our_own_export(tmp_path, sessions):
    with sessions.begin() as session:
        add_prospect(session, CLOCK, validate_prospect({"first_name": "Referral Only"}, "US"))
    target = tmp_path / "out.csv"
    with sessions() as session:
        export_csv(session, target)
    copied = imported_into_a_new_database(tmp_path, target)
    assert [person["first_name"] for person in copied] == ["Referral Only"]


def test_phone_columns_are_tried_direct_main_mobile_office_whatever_their_order(tmp_path, sessions):
    headers = ["Corporate Phone", "Mobile Phone", "Other Phone", "Phone", "Work Direct Phone"]
    columns = map_headers(["Name", *headers]).columns
    assert (columns["phone"], columns["mobile"], columns["office"]) == ((5, 4, 3), (2,), (1,))
    path = write(
        tmp_path,
        "Name,Corporate Phone,Mobile Phone,Other Phone,Phone,Work Direct Phone\n"
        "Jane Doe,505-555-0101,505-555-0102,505-555-0105,505-555-0103,505-555-0104\n"
        "John Roe,505-555-0201,505-555-0202,505-555-0205,,\n"
        "Ann Lee,505-555-0301,,,,\n",
    )
    run_import(sessions, path)
    assert [
        (person["phone"], person["mobile"], person["office"]) for person in stored(sessions)
    ] == [
        ("+15055550104", "+15055550102", "+15055550101"),
        ("+15055550205", "+15055550202", "+15055550201"),
        (None, None, "+15055550301"),
    ]
