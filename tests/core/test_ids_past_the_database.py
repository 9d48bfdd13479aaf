"""An id the database cannot hold is a record not found, said in one line, on both
databases; a negative or huge id is refused as it is typed.

PostgreSQL's ids stop at 2**31 - 1 and it refuses even to look further up (its
"integer out of range" names no argument); SQLite's stop at 2**63 - 1.
"""

import pytest
from cli_runs import Run
from raw_sql import contents

from callassist.cli.arguments import ID_MAX, POSTGRES_ID_MAX

PAST_POSTGRES = str(POSTGRES_ID_MAX + 1)
LAST_SQLITE = str(ID_MAX)
AT = "2026-03-12T14:00"


def commands(record_id: str, dana_id: int) -> list[tuple[list[str], str]]:
    """Each command taking an id, given ``record_id``; the start of what it says."""
    prospect, booking, attempt = (
        f"no {record} #{record_id}" for record in ("prospect", "booked call", "attempt")
    )
    return [
        (["log", record_id, "--outcome", "no_answer"], prospect),
        (["book", record_id, "--at", AT], prospect),
        (["enroll", record_id, "persistence"], prospect),
        (["status", record_id, "working"], prospect),
        (["undelete", record_id], prospect),
        (["prospect", "show", record_id], prospect),
        (["prospect", "edit", record_id, "--notes", "gone"], prospect),
        (["prospect", "delete", record_id], prospect),
        (["prospect", "assign", record_id, "sam@northwind.example"], prospect),
        (["render", "voicemail_first", "--prospect", record_id], prospect),
        (["pain", "add", record_id, "--kind", "present", "--words", "slow"], prospect),
        (["move-booking", record_id, "--at", AT], booking),
        (["cancel-booking", record_id], booking),
        (["outcome", record_id, "no_answer"], attempt),
        (
            ["pain", "add", str(dana_id), "--kind", "past", "--words", "x", "--attempt", record_id],
            attempt,
        ),
    ]


def refused(run: Run) -> str:
    assert run.status == 1, run.err
    assert run.out == ""
    return run.problem()


@pytest.mark.parametrize("record_id", [PAST_POSTGRES, LAST_SQLITE])
def test_an_id_past_the_database_is_not_found_and_changes_nothing(
    cli, rep, dana, db_location, record_id
):
    before = contents(db_location)
    for argv, said in commands(record_id, dana.id):
        assert refused(cli(*argv)).startswith(said), argv
    assert contents(db_location) == before


@pytest.mark.parametrize("typed", ["-1", "0", "-2147483649", str(10**30)])
def test_a_negative_or_huge_id_is_refused_as_typed(cli, rep, dana, db_location, typed):
    before = contents(db_location)
    for argv, _ in commands(typed, dana.id):
        assert "is out of range: use 1 to" in refused(cli(*argv)), argv
    assert contents(db_location) == before


def test_the_last_id_postgresql_holds_is_looked_up(cli, rep):
    # No shortcut refuses an id the database can hold: it is looked for, and not found.
    last = str(POSTGRES_ID_MAX)
    assert refused(cli("prospect", "show", last)) == f"no prospect #{last}"
    assert refused(cli("outcome", last, "no_answer")) == f"no attempt #{last}"
