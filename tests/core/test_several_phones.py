"""Several numbers per prospect, and the files they come from: CRM exports with
direct, mobile and company numbers, extensions, a column map the rep chooses,
and exports that survive a spreadsheet.

The desk fixture's rep is in Chicago.
"""

import codecs
import csv
import io
from pathlib import Path

import pytest

from callassist.cli import main
from callassist.errors import InvalidInputError
from callassist.importer import EXPORT_HEADERS, read_csv
from callassist.vocabulary import Outcome, PhoneKind, ProspectStatus


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def cli(desk_path: Path, clock, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["--db", str(desk_path), *argv], clock=clock, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


# -- on the card and in lookup ------------------------------------------------------------


def test_a_prospect_keeps_direct_mobile_and_office_numbers_with_extensions(desk):
    dana = desk.add_prospect(
        first_name="Dana",
        company="Mesa Dental",
        phone="(505) 828-1788 ext. 12",
        mobile="505-555-0101",
        office="+1 505 555 0199 x 4",
    )
    assert [(line.kind, line.e164, line.extension) for line in dana.phones] == [
        (PhoneKind.DIRECT, "+15058281788", "12"),
        (PhoneKind.MOBILE, "+15055550101", None),
        (PhoneKind.OFFICE, "+15055550199", "4"),
    ]
    # The direct line is dialled unless the rep chose another.
    assert (dana.phone, dana.phone_display) == ("+15058281788", "(505) 828-1788 ext. 12")
    assert [line.written for line in dana.phones][2] == "(505) 555-0199 ext. 4"


def test_the_rep_chooses_the_number_to_dial_and_it_is_kept(desk):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788", mobile="505-555-0101")
    chosen = desk.update_prospect(dana.id, dial="mobile")
    assert (chosen.phone, chosen.dial) == ("+15055550101", PhoneKind.MOBILE)
    assert desk.prospect_detail(dana.id).prospect.phone == "+15055550101"
    # Without a mobile any more, the direct line is dialled again.
    assert desk.update_prospect(dana.id, mobile="").phone == "+15058281788"
    with pytest.raises(InvalidInputError, match="dial: 'fax' is not one of direct"):
        desk.update_prospect(dana.id, dial="fax")


def test_retyping_a_number_without_its_extension_drops_the_extension(desk):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788 ext. 12")
    assert desk.update_prospect(dana.id, notes="Prefers mornings").dialled.extension == "12"
    assert desk.update_prospect(dana.id, phone="(505) 828-1788").dialled.extension is None


@pytest.mark.parametrize("typed", ["505-555-0101", "(505) 555-0199", "+1 505 828 1788"])
def test_lookup_finds_a_prospect_by_any_of_their_numbers(desk, typed):
    dana = desk.add_prospect(
        first_name="Dana", phone="(505) 828-1788", mobile="505-555-0101", office="505-555-0199"
    )
    assert [found.id for found in desk.lookup(typed)] == [dana.id]


def test_lookup_finds_a_mobile_abroad_in_its_national_format(desk):
    harriet = desk.add_prospect(first_name="Harriet", mobile="+44 7911 123456")
    assert [found.id for found in desk.lookup("07911 123456")] == [harriet.id]
    assert [found.id for found in desk.lookup("0044 7911 123456")] == [harriet.id]


def test_a_number_abroad_is_found_right_after_the_first_prospect_of_its_country(desk):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    assert desk.lookup("07911 123456") == []  # nobody in the UK yet: read in the US only
    harriet = desk.add_prospect(first_name="Harriet", mobile="+44 7911 123456")
    assert [found.id for found in desk.lookup("07911 123456")] == [harriet.id]

    desk.update_prospect(dana.id, phone="+61 2 9123 4567")  # Dana moved to Sydney
    assert [found.id for found in desk.lookup("(02) 9123 4567")] == [dana.id]


def test_colleagues_share_a_switchboard_but_not_a_mobile(desk):
    desk.add_prospect(first_name="Dana", company="Mesa", office="505-555-0199")
    lee = desk.add_prospect(first_name="Lee", company="Mesa", office="505-555-0199")
    assert lee.phone == "+15055550199"
    desk.add_prospect(first_name="Ann", mobile="505-555-0101")
    with pytest.raises(InvalidInputError, match="already has this phone number"):
        desk.add_prospect(first_name="Bo", phone="505-555-0101")


def test_an_area_code_with_several_zones_asks_for_the_zone(desk):
    with pytest.raises(
        InvalidInputError, match=r"several time zones \(America/Adak, America/Anchorage\)"
    ):
        desk.add_prospect(first_name="Kim", phone="(907) 555-0143")
    kim = desk.add_prospect(first_name="Kim", phone="(907) 555-0143", timezone="America/Nome")
    assert kim.timezone == "America/Nome"


# -- importing ---------------------------------------------------------------------------

APOLLO = (
    "First Name,Last Name,Title,Company,Email,Work Direct Phone,Mobile Phone,Corporate Phone\n"
    "Jane,Doe,VP Operations,Acme,jane@acme.example,'+1 505-828-1788 ext. 12,,'+1 505-555-0199\n"
    "John,Roe,CFO,Acme,john@acme.example,,'+1 505-555-0102,'+1 505-555-0199\n"
)


def test_an_apollo_export_gives_every_number_and_colleagues_keep_their_switchboard(desk, tmp_path):
    report = desk.import_csv(write(tmp_path / "apollo.csv", APOLLO))
    assert report.created == 2
    jane, john = desk.lookup("(505) 555-0199")
    assert (jane.phone_display, john.phone_display) == ("(505) 828-1788 ext. 12", "(505) 555-0102")
    assert [line.kind for line in john.phones] == [PhoneKind.MOBILE, PhoneKind.OFFICE]
    again = desk.import_csv(write(tmp_path / "apollo.csv", APOLLO), dry_run=True)
    assert again.created == 0
    assert len(again.existing) == 2


def test_an_extension_column_goes_with_the_phone(desk, tmp_path):
    source = write(
        tmp_path / "x.csv",
        "Name,Phone,Extension\nDana Whitfield,(505) 828-1788,204\nLee Park,(312) 555-0199,2b\n",
    )
    report = desk.import_csv(source, skip_invalid=True)
    assert report.created == 1
    assert (
        report.invalid[0].message == "phone extension: '2b' is not an extension (up to 10 digits)"
    )
    (dana,) = desk.lookup("Whitfield")
    assert dana.phone_display == "(505) 828-1788 ext. 204"


def test_numbers_a_spreadsheet_stripped_of_their_plus_import_as_international(desk, tmp_path):
    source = write(
        tmp_path / "resaved.csv",
        "First Name,Last Name,Phone\nHarriet,Cole,442079460123\nBen,Short,61291234567\n",
    )
    assert desk.import_csv(source).created == 2
    assert [p.phone for p in desk.lookup("Cole")] == ["+442079460123"]
    assert [p.phone for p in desk.lookup("Short")] == ["+61291234567"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_and_named(desk, tmp_path, codec):
    source = write(
        tmp_path / "excel.csv",
        "Vorname\tNachname\tFirma\tTelefon\r\nJürgen\tWeiß\tMüller GmbH\t+49 30 901820\r\n",
        codec,
    )
    report = desk.import_csv(source)
    assert report.encoding.startswith("UTF-16")
    assert "no BOM" in report.encoding
    (jurgen,) = desk.lookup("Weiß")
    assert (jurgen.first_name, jurgen.company) == ("Jürgen", "Müller GmbH")


def test_a_known_status_is_read_and_a_crm_status_is_refused_with_the_way_out(desk, tmp_path):
    source = write(
        tmp_path / "s.csv",
        "Name,Email,Status\n"
        "Dana W,d@x.example,not interested\n"
        "Lee P,l@x.example,Open - Contacted\n",
    )
    report = desk.import_csv(source, skip_invalid=True)
    assert report.invalid[0].message.startswith("status: 'Open - Contacted' is not one of new,")
    (dana,) = desk.lookup("Dana")
    assert dana.status is ProspectStatus.NOT_INTERESTED
    # The rep leaves the CRM's own status out.
    left_out = desk.import_csv(source, columns={"Status": None})
    assert left_out.created == 1
    assert not left_out.invalid


def test_rows_whose_area_has_several_zones_are_listed_until_the_file_gives_the_zone(desk, tmp_path):
    source = write(tmp_path / "ak.csv", "Name,Phone\nKim Lee,(907) 555-0143\n")
    report = desk.import_csv(source, dry_run=True, skip_invalid=True)
    assert report.invalid[0].message.startswith(
        "time zone: the area of '(907) 555-0143' spans several time zones"
    )
    with_zone = write(
        tmp_path / "ak2.csv", "Name,Phone,Time Zone\nKim Lee,(907) 555-0143,America/Juneau\n"
    )
    assert desk.import_csv(with_zone).created == 1


# -- the column map ----------------------------------------------------------------------

ODD = "Kontakt,Rufnummer,Arbeitgeber,Farbe\nDana Whitfield,(505) 828-1788,Mesa Dental,blau\n"


def test_the_rep_maps_columns_the_importer_does_not_know_and_it_is_remembered(desk, tmp_path):
    source = write(tmp_path / "odd.csv", ODD)
    with pytest.raises(InvalidInputError, match="no name column"):
        desk.import_csv(source)
    chosen = {"Kontakt": "name", "Rufnummer": "phone", "Arbeitgeber": "company", "Farbe": None}
    preview = desk.preview_import(source, chosen)
    assert preview.columns == (
        ("Kontakt", "name"),
        ("Rufnummer", "phone"),
        ("Arbeitgeber", "company"),
        ("Farbe", None),
    )
    assert preview.ignored_columns == ()
    # A preview remembers nothing; an import does.
    with pytest.raises(InvalidInputError, match="no name column"):
        desk.preview_import(source)
    assert desk.import_csv(source, columns=chosen).created == 1
    (dana,) = desk.lookup("(505) 828-1788")
    assert (dana.first_name, dana.last_name, dana.company) == ("Dana", "Whitfield", "Mesa Dental")

    next_week = write(
        tmp_path / "odd2.csv",
        ODD.replace("Dana Whitfield", "Lee Park").replace("828-1788", "555-0100"),
    )
    report = desk.import_csv(next_week)
    assert report.created == 1
    assert report.remembered_choices


def test_a_map_naming_a_missing_column_or_an_unknown_field_changes_nothing(desk, tmp_path):
    source = write(tmp_path / "odd.csv", ODD)
    with pytest.raises(InvalidInputError, match="no column 'Telefon' in the file"):
        desk.import_csv(source, columns={"Telefon": "phone"})
    with pytest.raises(InvalidInputError, match="'fax' is not a field; use one of name, "):
        desk.import_csv(source, columns={"Kontakt": "name", "Rufnummer": "fax"})
    assert desk.count_prospects() == 0


def test_the_command_line_maps_columns_and_says_how_it_read_the_file(
    desk, db_location, clock, tmp_path
):
    source = tmp_path / "kontakte.csv"
    source.write_bytes(ODD.encode("cp1252").replace(b"Dana", b"D\xe9na"))
    status, out, err = cli(
        db_location,
        clock,
        "import",
        str(source),
        "--map",
        "Kontakt=name",
        "--map",
        "Rufnummer=phone",
        "--map",
        "Arbeitgeber=company",
        "--map",
        "Farbe=",
    )
    assert (status, err) == (0, "")
    assert out.splitlines()[:2] == [
        "Read kontakte.csv as Windows-1252.",
        "Imported 1 new prospect, updated 0.",
    ]
    status, _out, err = cli(db_location, clock, "import", str(source), "--map", "Kontakt")
    assert status == 1
    assert "--map 'Kontakt': use \"COLUMN=FIELD\"" in err


# -- export and back ---------------------------------------------------------------------


def test_export_keeps_every_number_status_and_choice_through_a_fresh_import(desk, clock, tmp_path):
    dana = desk.add_prospect(
        first_name="Dana",
        phone="(505) 828-1788 ext. 12",
        mobile="505-555-0101",
        office="+44 20 7946 0123",
        dial="mobile",
    )
    desk.log_attempt(dana.id, Outcome.NOT_INTERESTED)
    walkin = desk.add_prospect(first_name="Walk-in")
    target = tmp_path / "out.csv"
    desk.export_csv(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    # Spaced, so a spreadsheet keeps the "+" (and marked, so it is never a formula).
    assert rows[0]["Phone"] == "'+1 505 828 1788 ext. 12"
    assert rows[0]["Office Phone"] == "'+44 20 7946 0123"

    from callassist.core import CallDesk

    other = CallDesk.open(tmp_path / "colleague.sqlite", clock=clock)
    try:
        report = other.import_csv(target)
        assert report.created == 2
        assert not report.invalid
        back = other.prospect_detail(dana.id).prospect
        assert back.status is ProspectStatus.NOT_INTERESTED
        assert (back.dial, back.phone, back.dialled.extension) == (
            PhoneKind.MOBILE,
            "+15055550101",
            None,
        )
        assert [line.extension for line in back.phones] == ["12", None, None]
        assert other.prospect_detail(walkin.id).prospect.first_name == "Walk-in"
    finally:
        other.close()


def test_an_export_from_before_several_phones_still_reads_as_ours(desk, tmp_path):
    old = [
        header
        for header in EXPORT_HEADERS
        if header not in ("Mobile Phone", "Office Phone", "Dial")
    ]
    cells = {
        "First Name": "Walk",
        "Last Name": "In",
        "Phone": "'+1 505 828 1788",
        "Status": "working",
    }
    source = write(
        tmp_path / "old.csv",
        ",".join(old) + "\n" + ",".join(cells.get(header, "") for header in old) + "\n"
        "Referral,Only" + "," * (len(old) - 2) + "\n",
    )
    # Our own export may hold a prospect with only a name (a referral added by hand).
    assert desk.import_csv(source).created == 2
    (walk,) = desk.lookup("(505) 828-1788")
    assert walk.status is ProspectStatus.WORKING


def test_utf16_detection_leaves_utf8_alone(tmp_path):
    source = tmp_path / "u.csv"
    source.write_bytes(codecs.BOM_UTF8 + "Name,Email\nZoë,z@x.example\n".encode())
    assert read_csv(source).encoding == "UTF-8 with BOM"


def test_the_trash_gives_back_every_number_and_the_choice(desk):
    dana = desk.add_prospect(
        first_name="Dana", phone="505 828 1788 ext 12", mobile="505 555 0101", dial="mobile"
    )
    desk.delete_prospect(dana.id)
    back = desk.restore_prospect(dana.id)
    assert (back.phones, back.dial) == (dana.phones, PhoneKind.MOBILE)


def test_an_absurd_extension_is_refused_not_stored(desk):
    with pytest.raises(InvalidInputError, match=r"phone: .* is not a phone number"):
        desk.add_prospect(first_name="Dana", phone="(505) 828-1788 ext. 123456789012345678901")
    assert desk.count_prospects() == 0


# The command line's import in a process of its own, which kills itself (SIGKILL, as
# when the laptop dies) right after its Nth statement inserting prospects: always the
# same moment in the middle of writing the rows, however loaded the machine is.
_IMPORT_KILLED_AFTER_INSERTS = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from callassist.cli import main

database, source, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
inserts = 0

@event.listens_for(Engine, "after_cursor_execute")
def die_mid_import(connection, cursor, statement, parameters, context, executemany):
    global inserts
    if statement.startswith("INSERT INTO prospects "):
        inserts += 1
        if inserts == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

sys.exit(main(["--db", database, "import", source]))
"""


def test_an_import_killed_mid_way_leaves_all_or_nothing(tmp_path, clock):
    """SIGKILL, as when the laptop dies: no prospect without the rest of its row or file."""
    import signal
    import sqlite3
    import subprocess
    import sys

    from callassist.core import CallDesk

    database = tmp_path / "killed.sqlite"
    CallDesk.open(database, clock=clock).close()
    rows = 20_000
    source = write(
        tmp_path / "apollo-big.csv",
        "First Name,Last Name,Company,Work Direct Phone,Mobile Phone,Corporate Phone\n"
        + "".join(
            f"Ann{n},Lee,Acme {n},+1 505 {250 + n // 10000} {n % 10000:04d} ext. {n % 90 + 10},"
            f"+44 7911 {n:06d},+1 312 555 {n % 10000:04d}\n"
            for n in range(rows)
        ),
    )
    # The rows go in about twenty statements: the kill comes three quarters of the way.
    killed = subprocess.run(
        [sys.executable, "-c", _IMPORT_KILLED_AFTER_INSERTS, str(database), str(source), "15"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM prospects").fetchone() == (0,)
    connection.close()
    # The rep runs the import again: every number of every row comes in.
    status, _, err = cli(database, clock, "import", str(source))
    assert (status, err) == (0, "")
    desk = CallDesk.open(database, clock=clock)
    try:
        assert desk.check() == []
        assert desk.count_prospects() == rows
        assert len(desk.lookup("+44 7911 000042")[0].phones) == 3
    finally:
        desk.close()
