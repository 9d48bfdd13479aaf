"""Two reps writing one database at once, and values a column cannot hold.

The database itself keeps each email and personal number to one prospect, so
two imports of one file at the same moment store everyone once; first research
notes and enrollments made at once both land; a NUL character or an over-long
value is refused in one line naming its field, on whichever database.

The tests are collected by tests/core/test_races.py, so they run on each database the
test command runs on.
"""

import io
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callassist.cli import main
from callassist.clock import Clock
from callassist.core import CallDesk
from callassist.db.engine import WRITE_LOCK_FIRST, database_url, make_engine
from callassist.db.models import Prospect, ProspectContact, ResearchNote
from callassist.errors import InvalidInputError
from callassist.importer import apply_import, plan_import, read_csv
from callassist.records import CallTypeRecord
from callassist.services import prospects as prospect_service
from callassist.services.column_checks import refusal_of

ROWS = 300
"""Rows of each file two processes import at once: enough that their imports overlap."""


def write_csv(path: Path, first: int, count: int) -> Path:
    lines = ["First Name,Last Name,Company,Email,Phone,Tags,Angle"]
    lines += [
        f"Pat{n},Lee{n},Firm {n},pat{n}@firm{n}.example,+1 505 555 {n:04d},team,opening for {n}"
        for n in range(first, first + count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def engine(db_location: str | Path, desk: CallDesk) -> Iterator[Engine]:
    """An engine of its own on the desk's database (the desk has made its tables)."""
    opened = make_engine(database_url(db_location))
    yield opened
    opened.dispose()


@pytest.fixture
def second_desk(
    db_location: str | Path, clock: Clock, tmp_path: Path, desk: CallDesk
) -> Iterator[CallDesk]:
    """A colleague's desk: another connection to the same database."""
    with CallDesk.open(
        db_location,
        clock=clock,
        template_dir=tmp_path / "my-scripts",
        backup_folder=tmp_path / "backups",
    ) as opened:
        yield opened


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run each action on its own thread, released together; what each returned or raised."""
    start = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = action()
        except Exception as error:  # the test looks at what each one met
            results[index] = error

    threads = [
        threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def count_rows(engine: Engine, model: type[Prospect] | type[ProspectContact]) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_two_imports_of_the_same_file_at_once_store_each_prospect_once(
    desk, db_location, engine, tmp_path
):
    command = [sys.executable, "-m", "callassist", "--db", str(db_location), "import"]
    for round_number in range(3):
        source = write_csv(tmp_path / f"round{round_number}.csv", round_number * ROWS, ROWS)
        both = [
            subprocess.Popen(
                [*command, str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [process.communicate() for process in both]
        finished = [
            (process.returncode, out, err)
            for process, (out, err) in zip(both, outputs, strict=True)
        ]
        for status, out, err in finished:
            assert (status, err) == (0, ""), out
        created = [int(re.search(r"Imported (\d+) new", out)[1]) for _, out, _ in finished]
        known = [out.count("already known") for _, out, _ in finished]
        # Each prospect was stored by one of them and counted as known by the other.
        assert sum(created) == ROWS
        assert [created[0] + known[0], created[1] + known[1]] == [ROWS, ROWS]
        assert count_rows(engine, Prospect) == ROWS * (round_number + 1)
        assert count_rows(engine, ProspectContact) == 2 * ROWS * (round_number + 1)
    [pat] = desk.lookup("+1 505 555 0007")
    assert pat.email == "pat7@firm7.example"
    assert desk.prospect_detail(pat.id).research.angle == "opening for 7"


def test_an_import_meeting_prospects_stored_since_it_was_planned_counts_them_as_known(
    desk, engine, clock, tmp_path
):
    whole = write_csv(tmp_path / "whole.csv", 0, 10)
    with Session(engine) as planning:
        plan = plan_import(planning, read_csv(whole), "US", update_existing=False)
        planned = list(plan.rows)
    # A colleague imports the first half after this import was planned, before it writes.
    desk.import_csv(write_csv(tmp_path / "half.csv", 0, 5))
    # Taking the write lock first, as the desk's writes do: a read turned write would be
    # refused outright if the colleague's desk wrote in between (its change log, say).
    with Session(engine.execution_options(**WRITE_LOCK_FIRST)) as writing, writing.begin():
        report = apply_import(writing, clock, replace(plan, rows=iter(planned)), skip_invalid=False)
    assert (report.created, report.existing_count) == (5, 5)
    [first] = desk.lookup("+1 505 555 0000")
    assert report.existing[0].prospect_id == first.id
    assert report.existing[0].message == (
        f"same email as #{first.id} Pat0 Lee0 (stored meanwhile by another program)"
    )
    assert desk.count_prospects() == 10
    assert count_rows(engine, ProspectContact) == 20
    # The prospects it took out again left no tags or research behind.
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(ResearchNote)) == 10


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ({"email": "DANA@mesa.example "}, "email"),
        ({"mobile": "505.828.1788"}, "phone number"),
        ({"phone": "505 828 1788", "email": "dana@mesa.example"}, "email"),
    ],
)
def test_a_second_prospect_with_a_known_contact_is_refused_by_the_database_itself(
    desk, dana, monkeypatch, typed, kind
):
    # As when a colleague stores Dana between this rep's check and write.
    monkeypatch.setattr(prospect_service, "find_existing", lambda *_args: None)
    with pytest.raises(InvalidInputError) as refused:
        desk.add_prospect(first_name="Dan", **typed)
    assert str(refused.value) == f"Dana Whitfield (#{dana.id}) already has this {kind}"
    lee = desk.add_prospect(first_name="Lee", email="lee@mesa.example")
    with pytest.raises(InvalidInputError, match=f"Dana Whitfield \\(#{dana.id}\\) already has"):
        desk.update_prospect(lee.id, **typed)
    assert desk.count_prospects() == 2
    assert desk.prospect(lee.id).email == "lee@mesa.example"


def test_two_reps_adding_the_same_prospect_at_once_one_is_told_who_has_them(desk, second_desk):
    for attempt in range(4):
        email = f"jo{attempt}@acme.example"
        results = at_once(
            partial(desk.add_prospect, first_name="Jo", last_name="Rep A", email=email),
            partial(second_desk.add_prospect, first_name="Jo", last_name="Rep B", email=email),
        )
        [stored] = [result for result in results if not isinstance(result, Exception)]
        [refused] = [result for result in results if isinstance(result, Exception)]
        assert isinstance(refused, InvalidInputError)
        assert str(refused) == f"{stored.full_name} (#{stored.id}) already has this email"
    assert desk.count_prospects() == 4


def test_first_research_notes_and_enrollments_made_at_once_both_succeed(
    desk, second_desk, make_prospect
):
    for attempt in range(4):
        prospect = make_prospect(
            first_name=f"Ro{attempt}", email=f"ro{attempt}@x.example", phone=f"505-555-01{attempt}0"
        )
        results = at_once(
            partial(desk.update_research, prospect.id, angle="from rep A"),
            partial(second_desk.update_research, prospect.id, company_summary="from rep B"),
        )
        assert not [result for result in results if isinstance(result, Exception)], results
        research = desk.prospect_detail(prospect.id).research
        assert (research.angle, research.company_summary) == ("from rep A", "from rep B")
        results = at_once(
            partial(desk.enroll, prospect.id, "three_voicemails"),
            partial(second_desk.enroll, prospect.id, "persistence"),
        )
        assert not [result for result in results if isinstance(result, Exception)], results
        enrollment = desk.enrollment(prospect.id)
        assert enrollment is not None
        assert enrollment.cadence in {"three_voicemails", "persistence"}


LONG_OR_NUL = [
    ({"first_name": "Da\x00na"}, "first name: contains a NUL character"),
    ({"company": "M" * 201}, "company: longer than 200 characters"),
    ({"title": "T" * 201}, "title: longer than 200 characters"),
    ({"website": "https://" + "w" * 500}, "website: longer than 500 characters"),
    ({"email": "d" * 310 + "@mesa.example"}, "email: longer than 320 characters"),
    ({"tags": "dental, " + "t" * 61}, "tag: longer than 60 characters"),
    ({"notes": "call \x00 back"}, "notes: contains a NUL character"),
]


@pytest.mark.parametrize(("typed", "named"), LONG_OR_NUL)
def test_a_value_a_column_cannot_hold_is_refused_naming_it_and_nothing_changes(
    desk, dana, typed, named
):
    with pytest.raises(InvalidInputError, match=f"^{re.escape(named)}"):
        desk.add_prospect(**({"first_name": "Lee", "email": "lee@x.example"} | typed))
    with pytest.raises(InvalidInputError, match=f"^{re.escape(named)}"):
        desk.update_prospect(dana.id, **typed)
    assert desk.count_prospects() == 1
    assert desk.prospect(dana.id) == dana


def test_research_profile_and_call_types_refuse_what_their_columns_cannot_hold(desk, dana):
    profile = desk.profile()
    with pytest.raises(InvalidInputError, match=r"^research angle: contains a NUL character"):
        desk.update_research(dana.id, angle="their \x00 angle")
    with pytest.raises(InvalidInputError, match=r"^profile name: longer than 200 characters"):
        desk.update_profile(name="N" * 201)
    with pytest.raises(InvalidInputError, match=r"^profile signature: contains a NUL character"):
        desk.update_profile(signature="Sam\x00")
    with pytest.raises(InvalidInputError, match=r"^call type name: longer than 60 characters"):
        desk.update_profile(call_types=[CallTypeRecord("c" * 61, 20)])
    assert desk.profile() == profile
    assert desk.prospect_detail(dana.id).research.angle == ""


def test_the_command_line_refuses_an_over_long_profile_name_in_one_line(desk, db_location, clock):
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["--db", str(db_location), "profile", "--name", "N" * 201], clock=clock, out=out, err=err
    )
    assert status != 0
    assert err.getvalue().splitlines() == [
        "callassist: profile name: longer than 200 characters (201); shorten it"
    ]
    assert desk.profile().name == "Sam Rivera"


def test_an_import_names_the_field_of_a_nul_or_over_long_cell_and_stores_the_other_rows(
    desk, tmp_path
):
    source = tmp_path / "crm.csv"
    source.write_text(
        "First Name,Company,Email,Tags,Angle\n"
        "Ann,Acme,ann@acme.example,,\n"
        "Bo,Ac\x00me,bo@acme.example,,\n"
        f"Cy,Acme,cy@acme.example,{'t' * 61},\n"
        "Di,Acme,di@acme.example,,their \x00 angle\n"
        f"Ed,{'C' * 201},ed@acme.example,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError, match="nothing was imported"):
        desk.import_csv(source)
    assert desk.count_prospects() == 0
    report = desk.import_csv(source, skip_invalid=True)
    assert report.created == 1
    assert [(note.row, note.message.split(";")[0]) for note in report.invalid] == [
        (3, "company: contains a NUL character (\\0)"),
        (4, "tag: longer than 60 characters (61)"),
        (5, "angle: contains a NUL character (\\0)"),
        (6, "company: longer than 200 characters (201)"),
    ]
    assert [prospect.first_name for prospect in desk.prospects()] == ["Ann"]


def test_a_refusal_that_reaches_the_database_names_its_field(desk, dana, engine):
    with Session(engine) as session:
        session.add(ProspectContact(value="dana@mesa.example", prospect_id=dana.id, kind="email"))
        with pytest.raises(IntegrityError) as refused:
            session.commit()
    assert refusal_of(refused.value) == (
        "refused by the database: email or phone: another prospect already has it"
    )
