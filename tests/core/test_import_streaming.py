"""An import streams its file a batch at a time: what it plans and writes does not depend on
where the batches start, a refusal or a stop in a later batch still keeps nothing, and the
report counts every row while listing only the first ones."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from test_importer import add_dana, count, crm_file, open_engine, run_import, stored, write

from callassist.errors import InvalidInputError
from callassist.importer import (
    ImportRejected,
    plan_import,
    read_csv,
    reading,
    reporting,
    storing,
    validating,
)
from callassist.importer.reading import CsvRow


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A database of the test's own, as test_importer's tests have."""
    engine = open_engine(tmp_path)
    yield sessionmaker(engine)
    engine.dispose()


HEADER = ["First Name", "Last Name", "Email", "Phone", "Tags"]
EMAILS = ["", "a@acme.example", "b@acme.example", "dana@mesadental.example", "not an email"]
PHONES = ["", "(505) 828-1701", "(505) 828-1702", "(505) 828-1788"]

rows_of_a_file = st.lists(
    st.tuples(st.sampled_from(EMAILS), st.sampled_from(PHONES), st.sampled_from(["", "x", "y"])),
    min_size=1,
    max_size=12,
)


def file_of(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    body = [[f"P{n}", "Doe", email, phone, tag] for n, (email, phone, tag) in enumerate(rows)]
    return write(folder, crm_file([HEADER, *body]))


def planned(sessions: sessionmaker[Session], path: Path, update_existing: bool) -> list[object]:
    with sessions() as session:
        plan = plan_import(session, read_csv(path), "US", update_existing=update_existing)
        return [(row.row, row.action, row.message, row.prospect_id) for row in plan.rows]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_of_a_file, update_existing=st.booleans(), batch=st.integers(1, 4))
def test_rows_are_planned_alike_whatever_the_batch_size(
    tmp_path_factory, sessions_with_dana, monkeypatch, rows, update_existing, batch
):
    path = file_of(tmp_path_factory.mktemp("file"), rows)
    whole = planned(sessions_with_dana, path, update_existing)
    # Batches of one look every email and phone up in the key store, none in a batch's dict.
    with monkeypatch.context() as patched:
        patched.setattr(validating, "_BATCH_ROWS", batch)
        assert planned(sessions_with_dana, path, update_existing) == whole


@pytest.fixture
def sessions_with_dana(sessions):
    add_dana(sessions)
    return sessions


def test_an_import_written_in_small_batches_stores_what_one_batch_does(tmp_path, monkeypatch):
    rows = [
        ("a@acme.example", "(505) 828-1701", "x"),
        ("dana@mesadental.example", "", "y"),
        ("b@acme.example", "(505) 828-1701", ""),
        ("", "(505) 828-1702", "x"),
        ("not an email", "", ""),
        ("b@acme.example", "", "y"),
        ("", "(505) 828-1788", ""),
    ]
    path = file_of(tmp_path, rows)

    def imported(folder: Path) -> tuple[object, ...]:
        folder.mkdir()
        engine = open_engine(folder)
        try:
            sessions = sessionmaker(engine)
            add_dana(sessions)
            report = run_import(sessions, path, skip_invalid=True, update_existing=True)
            return stored(sessions), replace(report, columns=())
        finally:
            engine.dispose()

    whole = imported(tmp_path / "whole")
    monkeypatch.setattr(storing, "_BATCH_ROWS", 2)
    monkeypatch.setattr(validating, "_BATCH_ROWS", 3)
    assert imported(tmp_path / "batched") == whole


def test_an_invalid_row_in_a_later_batch_keeps_nothing(tmp_path, sessions, monkeypatch):
    monkeypatch.setattr(storing, "_BATCH_ROWS", 2)
    monkeypatch.setattr(validating, "_BATCH_ROWS", 2)
    rows = [(f"p{n}@acme.example", "", "") for n in range(6)] + [("", "", "")]
    with pytest.raises(ImportRejected) as rejected:
        run_import(sessions, file_of(tmp_path, rows))
    assert count(sessions) == 0
    assert rejected.value.if_skipped.created == 6


def test_a_stop_in_a_later_batch_keeps_nothing(tmp_path, sessions, monkeypatch):
    monkeypatch.setattr(storing, "_BATCH_ROWS", 2)
    monkeypatch.setattr(validating, "_BATCH_ROWS", 2)
    path = file_of(tmp_path, [(f"p{n}@acme.example", "", "") for n in range(8)])
    told: list[int] = []

    def progress(done: int, _total: int) -> None:
        told.append(done)
        if done == 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(sessions, path, progress=progress)
    assert count(sessions) == 0
    assert told == [0, 1, 2, 3, 4, 5, 6]


def test_a_report_counts_every_row_and_lists_the_first(tmp_path, sessions, monkeypatch, cli):
    monkeypatch.setattr(reporting, "NOTES_KEPT", 2)
    rows = [("", "", "") for _ in range(5)] + [("a@acme.example", "", "")] * 4
    path = file_of(tmp_path, rows)
    report = run_import(sessions, path, skip_invalid=True)
    assert (report.created, report.invalid_count, report.existing_count) == (1, 5, 3)
    assert [note.row for note in report.invalid] == [2, 3]
    assert [note.row for note in report.existing] == [8, 9]
    with pytest.raises(ImportRejected, match=r"5 invalid row\(s\) \(row 2: .*, and 4 more\)"):
        run_import(sessions, path)

    printed = cli("import", "--dry-run", "--skip-invalid", str(path))
    assert "... and 3 more rows like these, not listed" in printed.out
    assert "... and 1 more row like these, not listed" in printed.out


def footer_rows(cells: list[list[str]]) -> list[CsvRow]:
    return [CsvRow(number, tuple(row)) for number, row in enumerate(cells, start=2)]


LINES = st.sampled_from(
    [
        ["Jane", "jane@acme.example"],
        ["Report name", ""],
        ["", ""],
        ["Grand Totals (12 records)", "12"],
        ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.", ""],
        ["Confidential Information - Do Not Distribute", ""],
        ["Generated By: Jane", ""],
    ]
)


@given(st.lists(LINES, max_size=14))
def test_the_footer_is_found_holding_few_rows_as_from_all_of_them(cells):
    rows = footer_rows(cells)
    assert reading._count_before_footer(iter(rows)) == len(reading._without_report_footer(rows))


def test_an_encoding_error_names_its_place_in_the_whole_file(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "_CHUNK_BYTES", 7)
    path = tmp_path / "bad.csv"
    # "é" straddles the first chunks; 0x81 is neither UTF-8 nor Windows-1252.
    text = "First Name,Email\nRené,r@acme.example\n".encode()
    path.write_bytes(text + b"Zo\x81,z@acme.example\n")
    with pytest.raises(InvalidInputError, match=f"byte 0x81 at position {len(text) + 2}"):
        read_csv(path)
    monkeypatch.setattr(reading, "_CHUNK_BYTES", 1)
    path.write_bytes(text)
    assert read_csv(path).encoding == "UTF-8"
    assert [row.values for row in read_csv(path).rows] == [("René", "r@acme.example")]
