"""Migration 0010 on a database that already holds duplicates (two reps imported one file
at once before the database enforced contacts): nobody is deleted or merged, the first
prospect keeps each contact, the later ones are named, and new duplicates are refused.

Collected by tests/migrations/test_contacts_upgrade_on_sqlite.py and
tests/postgres/test_contacts_upgrade_on_postgresql.py, which give ``new_database``.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from callassist.core import CallDesk
from callassist.db.engine import database_url, make_engine
from callassist.db.migrate import run_migrations
from callassist.errors import InvalidInputError
from callassist.services.contacts import unclaimed_duplicates

# id, first and last name, email, direct line, mobile: #2 has #1's email in other
# letters and spacing, #3 has #1's direct line as a mobile, #4 is nobody's duplicate.
STORED = [
    (1, "Dana", "Whitfield", "dana@mesa.example", "+15058281788", None),
    (2, "Dana", "W.", " DANA@Mesa.example", None, None),
    (3, "Lee", "Park", "lee@park.example", None, "+15058281788"),
    (4, "Ann", "Ruiz", None, "+15055550101", None),
]


def test_an_upgrade_keeps_duplicates_already_stored_and_names_them(new_database, clock, tmp_path):
    engine = make_engine(database_url(new_database))
    run_migrations(engine, "0008")
    now = datetime(2026, 3, 10, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as connection:
        for prospect_id, first, last, email, phone, mobile in STORED:
            connection.execute(
                text(
                    "INSERT INTO prospects (id, first_name, last_name, title, company, website, "
                    "linkedin, email, phone_e164, mobile_e164, status, notes, created_at, "
                    "updated_at) VALUES (:id, :first, :last, '', '', '', '', :email, :phone, "
                    ":mobile, 'new', '', :now, :now)"
                ),
                {
                    "id": prospect_id,
                    "first": first,
                    "last": last,
                    "email": email,
                    "phone": phone,
                    "mobile": mobile,
                    "now": now,
                },
            )
    engine.dispose()

    with CallDesk.open(new_database, clock=clock, backup_folder=tmp_path / "backups") as desk:
        assert desk.count_prospects() == 4
        engine = make_engine(database_url(new_database))
        with Session(engine) as session:
            assert unclaimed_duplicates(session) == [
                "prospect #2 Dana W. has the email dana@mesa.example of prospect #1: "
                "keep one of them (a duplicate from before 0010)",
                "prospect #3 Lee Park has the phone +15058281788 of prospect #1: "
                "keep one of them (a duplicate from before 0010)",
            ]
            held = session.execute(
                text("SELECT value, prospect_id FROM prospect_contacts ORDER BY value")
            ).all()
        assert held == [
            ("+15055550101", 4),
            ("+15058281788", 1),
            ("dana@mesa.example", 1),
            ("lee@park.example", 3),
        ]
        with pytest.raises(InvalidInputError, match=r"^Dana Whitfield \(#1\) already has this"):
            desk.add_prospect(first_name="Dan", email="dana@mesa.example")
        # Once the rep deletes the duplicate, nothing is left to name.
        desk.delete_prospect(2)
        with engine.connect() as connection:  # as check reads it
            assert len(unclaimed_duplicates(connection)) == 1

    run_migrations(engine, "0008", downgrade=True)
    assert not inspect(engine).has_table("prospect_contacts")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM prospects")).scalar() == 3
    engine.dispose()
