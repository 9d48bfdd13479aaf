"""Opening databases: new, current, older (backed up and upgraded), newer, foreign."""

import sqlite3
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from schema_shape import table_shape
from sqlalchemy import Connection, Engine, inspect, text

from callassist.core import CallDesk
from callassist.db import migrate
from callassist.db.engine import database_url, make_engine
from callassist.db.migrate import SCHEMA_HEAD, known_revisions, open_database, run_migrations
from callassist.errors import DatabaseTooNewError, KnownError
from callassist.vocabulary import Outcome


def indexes_of(engine: Engine, table: str) -> list[str]:
    """Each index's own CREATE statement, spacing and quoting evened out: the inspector
    skips indexes on expressions such as the list's ``lower(last_name)``."""
    with engine.connect() as connection:
        statements = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        ).scalars()
        return sorted(" ".join(sql.replace('"', "").split()) for sql in statements)


@pytest.fixture(autouse=True)
def _expression_indexes_compared_by_their_sql():
    # indexes_of compares the list-order index; the inspector only warns that it skips it.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        yield


def schema_of(path: Path) -> dict[str, object]:
    """Columns, indexes, foreign keys and checks of every table, comparable as data."""
    engine = make_engine(database_url(path))
    try:
        inspector = inspect(engine)
        schema: dict[str, object] = {}
        for table in sorted(inspector.get_table_names()):
            if table.startswith("prospect_search"):
                continue
            schema[table] = table_shape(inspector, table) | {"indexes": indexes_of(engine, table)}
        with engine.connect() as connection:
            schema["autoincrement"] = sorted(
                name
                for name, sql in connection.exec_driver_sql("SELECT name, sql FROM sqlite_master")
                if sql and "AUTOINCREMENT" in sql
            )
        virtual = inspector.get_table_names()
        schema["search_table"] = "prospect_search" in virtual
        return schema
    finally:
        engine.dispose()


def insert_old_dana(connection: Connection, status: str) -> None:
    """Prospect #7 as every release so far stored her: one phone, no email, no zone."""
    connection.exec_driver_sql(
        "INSERT INTO prospects (id, first_name, last_name, title, company, website, linkedin,"
        " email, phone_e164, timezone, status, notes, created_at, updated_at) VALUES"
        " (7, 'Dana', 'Whitfield', '', 'Mesa Dental', '', '', NULL, '+15058281788', NULL,"
        f" '{status}', '', '2026-03-01 10:00:00', '2026-03-01 10:00:00')"
    )


def test_schema_head_names_the_newest_migration():
    assert SCHEMA_HEAD in known_revisions()
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory(str(Path(migrate.__file__).parent / "migrations")).get_heads()
    assert heads == [SCHEMA_HEAD]


def test_migrations_build_the_same_schema_as_the_models(tmp_path, clock):
    created = tmp_path / "created.sqlite"
    open_database(database_url(created), backup_folder=tmp_path / "b", clock=clock).dispose()
    migrated = tmp_path / "migrated.sqlite"
    engine = make_engine(database_url(migrated))
    run_migrations(engine, "head")
    engine.dispose()
    assert schema_of(migrated) == schema_of(created)
    assert schema_of(created)["search_table"] is True
    assert schema_of(created)["autoincrement"] == ["attempts", "prospects"]


def test_every_constraint_has_a_name(tmp_path, clock):
    path = tmp_path / "named.sqlite"
    open_database(database_url(path), backup_folder=tmp_path / "b", clock=clock).dispose()
    with sqlite3.connect(path) as connection:
        ddl = " ".join(
            row[0]
            for row in connection.execute(
                "SELECT sql FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'prospect_search%'"
            )
        )
    # Unnamed constraints appear as a bare keyword after a comma.
    for keyword in ("CHECK", "FOREIGN KEY", "UNIQUE", "PRIMARY KEY"):
        assert f", {keyword}" not in ddl.replace("\n", " ").replace("\t", " ")


def test_new_file_is_created_and_stamped(tmp_path, clock):
    path = tmp_path / "sub" / "new.sqlite"
    engine = open_database(database_url(path), backup_folder=tmp_path / "b", clock=clock)
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == SCHEMA_HEAD
        )
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert not (tmp_path / "b").exists()  # nothing to back up on a new file


def test_newer_database_is_refused_and_left_alone(tmp_path, clock):
    path = tmp_path / "future.sqlite"
    open_database(database_url(path), backup_folder=tmp_path / "b", clock=clock).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00d'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer callassist"):
        CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b")
    assert path.read_bytes() == before


def test_foreign_database_is_refused(tmp_path, clock):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(KnownError, match="not a callassist database"):
        CallDesk.open(path, clock=clock)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path, clock):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(KnownError, match="cannot open"):
        CallDesk.open(path, clock=clock)


def test_older_database_is_backed_up_then_upgraded_with_data_kept(tmp_path, clock):
    path = tmp_path / "old.sqlite"
    # A database as the first release left it: schema 0001, with data in it.
    engine = make_engine(database_url(path))
    run_migrations(engine, "0001")
    with engine.begin() as connection:
        insert_old_dana(connection, "new")
        connection.exec_driver_sql(
            "INSERT INTO pains (prospect_id, kind, words, asked, acknowledged, can_help, noted_at)"
            " VALUES (7, 'past', 'lost a client', 0, 0, 0, '2026-03-01 10:00:00')"
        )
    engine.dispose()

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        assert desk.lookup("505 828 1788")[0].id == 7
        assert desk.prospect_detail(7).pains[0].words == "lost a client"
        assert desk.check() == []
    with sqlite3.connect(path) as upgraded:
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_HEAD,
        )
        assert upgraded.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a fresh connection

    backups = list((tmp_path / "b").glob("old-*/old-*-before-upgrade-0001.sqlite"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT first_name FROM prospects").fetchone() == ("Dana",)


def test_a_failed_upgrade_changes_nothing(tmp_path, clock, monkeypatch):
    path = tmp_path / "old.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0001")
    engine.dispose()

    def broken(engine, target, *, downgrade=False):
        raise KnownError("the upgrade failed half way")

    monkeypatch.setattr(migrate, "run_migrations", broken)
    with pytest.raises(KnownError, match="half way"):
        CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b")
    assert len(list((tmp_path / "b").glob("*/*.sqlite"))) == 1
    engine = make_engine(database_url(path))
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        )
    engine.dispose()


def test_a_database_from_before_the_trash_upgrades_and_its_prospects_can_go_to_the_trash(
    tmp_path, clock
):
    path = tmp_path / "before-trash.sqlite"
    # A database as release 0002 left it: a prospect with a call, a pain and a cadence.
    engine = make_engine(database_url(path))
    run_migrations(engine, "0002")
    with engine.begin() as connection:
        insert_old_dana(connection, "working")
        connection.exec_driver_sql(
            "INSERT INTO attempts (id, prospect_id, at, channel, outcome, notes)"
            " VALUES (3, 7, '2026-03-02 16:00:00', 'call', 'connected', 'spoke briefly')"
        )
        connection.exec_driver_sql(
            "INSERT INTO pains (prospect_id, attempt_id, kind, words, asked, acknowledged,"
            " can_help, noted_at) VALUES (7, 3, 'past', 'lost a client', 1, 0, 0,"
            " '2026-03-02 16:05:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO enrollments (prospect_id, cadence, enrolled_at)"
            " VALUES (7, 'persistence', '2026-03-01 10:00:00')"
        )
    engine.dispose()

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        before = desk.prospect_detail(7)
        assert desk.trash() == ()
        trashed = desk.delete_prospect(7)
        assert (trashed.name, trashed.attempts, trashed.pains) == ("Dana Whitfield", 1, 1)
        assert desk.trash() == (trashed,)
        assert desk.restore_prospect(7) == before.prospect
        assert desk.prospect_detail(7) == before
        assert desk.enrollment(7) is not None
        assert desk.check() == []


def test_the_trash_migration_goes_back_down(tmp_path):
    path = tmp_path / "down.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "head")
    assert inspect(engine).has_table("trash")
    run_migrations(engine, "0002", downgrade=True)
    assert not inspect(engine).has_table("trash")
    engine.dispose()


def test_the_several_phones_migration_keeps_the_phone_and_history_both_ways(tmp_path, clock):
    path = tmp_path / "phones.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0003")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO prospects (id, first_name, last_name, title, company, website, linkedin,"
            " phone_e164, status, notes, created_at, updated_at) VALUES (5, 'Dana', 'Whitfield',"
            " '', 'Acme', '', '', '+15058281788', 'working', '', '2026-11-30 09:00:00',"
            " '2026-11-30 09:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO attempts (prospect_id, at, channel, outcome, notes)"
            " VALUES (5, '2026-11-30 10:00:00', 'call', 'no_answer', '')"
        )
    run_migrations(engine, "head")
    engine.dispose()
    desk = CallDesk.open(path, clock=clock)
    dana = desk.prospect_detail(5)
    assert dana.prospect.phone == "+15058281788"
    assert [line.kind.value for line in dana.prospect.phones] == ["direct"]
    assert len(dana.attempts) == 1
    desk.close()
    engine = make_engine(database_url(path))
    run_migrations(engine, "0003", downgrade=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT phone_e164, (SELECT count(*) FROM attempts) FROM prospects"
        ).one() == ("+15058281788", 1)
    engine.dispose()


def test_bookings_from_before_0005_get_a_uid_each_and_keep_their_rows(tmp_path, clock):
    path = tmp_path / "before-uids.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0004")
    with engine.begin() as connection:
        insert_old_dana(connection, "working")
        for due in ("2026-03-12 21:00:00", "2026-03-13 21:00:00"):
            connection.exec_driver_sql(
                "INSERT INTO follow_ups (prospect_id, due_at, minutes, kind, reason, done)"
                f" VALUES (7, '{due}', 20, 'meeting', 'discovery call agreed on the phone', 0)"
            )
    engine.dispose()

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        follow_ups = desk.prospect_detail(7).follow_ups
        assert desk.check() == []
    assert len(follow_ups) == 2
    assert len({follow_up.uid for follow_up in follow_ups}) == 2
    assert all(follow_up.uid.endswith("@callassist") for follow_up in follow_ups)
    assert [(f.sequence, f.call_type, f.cancelled_at) for f in follow_ups] == [(0, None, None)] * 2


def test_numbers_from_before_0007_get_their_written_forms_and_keep_them_both_ways(tmp_path, clock):
    path = tmp_path / "before-forms.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0006")
    with engine.begin() as connection:
        insert_old_dana(connection, "working")
        connection.exec_driver_sql(
            "UPDATE prospects SET phone_extension = '12', mobile_e164 = '+442079460123',"
            " office_e164 = '+61255504127', dial = 'mobile' WHERE id = 7"
        )
        connection.exec_driver_sql(
            "INSERT INTO prospects (id, first_name, last_name, title, company, website, linkedin,"
            " status, notes, created_at, updated_at) VALUES (8, 'Noel', 'Number', '', '', '',"
            " '', 'new', '', '2026-03-01 10:00:00', '2026-03-01 10:00:00')"
        )
    engine.dispose()

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        dana, noel = desk.prospects_by_ids([7, 8])
    engine = make_engine(database_url(path))
    with engine.connect() as connection:
        stored = connection.exec_driver_sql(
            "SELECT phone_national, phone_international, mobile_national, mobile_international,"
            " office_national, office_international FROM prospects ORDER BY id"
        ).all()
    assert stored == [
        (
            "(505) 828-1788",
            "+1 505 828 1788",
            "020 7946 0123",
            "+44 20 7946 0123",
            "(02) 5550 4127",
            "+61 2 5550 4127",
        ),
        (None,) * 6,
    ]
    # Shown as before the forms were stored: as the rep (in the US) dials each one.
    assert [line.written for line in dana.phones] == [
        "(505) 828-1788 ext. 12",
        "+44 20 7946 0123",
        "+61 2 5550 4127",
    ]
    assert (dana.phone, dana.phone_display) == ("+442079460123", "+44 20 7946 0123")
    assert noel.phones == ()

    run_migrations(engine, "0006", downgrade=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT phone_e164, phone_extension, mobile_e164, office_e164, dial FROM prospects"
            " ORDER BY id"
        ).all() == [
            ("+15058281788", "12", "+442079460123", "+61255504127", "mobile"),
            (None, None, None, None, None),
        ]
        columns = [row[1] for row in connection.exec_driver_sql("PRAGMA table_info(prospects)")]
    assert not [name for name in columns if name.endswith(("_national", "_international"))]
    engine.dispose()


def test_the_profile_becomes_the_first_rep_and_every_record_theirs_both_ways(tmp_path, clock):
    path = tmp_path / "before-reps.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0008")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO rep_profile (id, name, company, phone_e164, email, signature, timezone,"
            " business_start, business_end) VALUES (1, 'Sam Rivera', 'Northwind', '+13125550142',"
            " 'Sam@Northwind.example', 'Sam', 'America/Chicago', '08:30:00.000000',"
            " '16:00:00.000000')"
        )
        connection.exec_driver_sql(
            "INSERT INTO call_types (profile_id, name, minutes, position) VALUES"
            " (1, 'demo', 45, 0), (1, 'discovery', 25, 1)"
        )
        insert_old_dana(connection, "working")
        connection.exec_driver_sql(
            "INSERT INTO attempts (id, prospect_id, at, channel, outcome, notes)"
            " VALUES (3, 7, '2026-03-09 15:00:00', 'call', 'connected', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO time_checks (attempt_id, asked, minutes_available, call_type,"
            " minutes_needed, immediate_need, decision) VALUES (3, 1, 10, 'demo', 45, 0, 'proceed')"
        )
        connection.exec_driver_sql(
            "INSERT INTO pains (prospect_id, attempt_id, kind, words, asked, acknowledged,"
            " can_help, noted_at) VALUES (7, 3, 'present', 'slow', 1, 1, 0, '2026-03-09 15:05:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO follow_ups (prospect_id, due_at, minutes, kind, reason, done, uid)"
            " VALUES (7, '2026-03-12 21:00:00', 45, 'meeting', 'demo', 0, 'x@callassist')"
        )
        connection.exec_driver_sql(
            "INSERT INTO enrollments (prospect_id, cadence, enrolled_at)"
            " VALUES (7, 'persistence', '2026-03-01 10:00:00')"
        )
    engine.dispose()

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        assert desk.rep is not None
        assert (desk.rep.name, desk.rep.email) == ("Sam Rivera", "sam@northwind.example")
        profile = desk.profile()
        assert [(ct.name, ct.minutes) for ct in profile.call_types] == [
            ("demo", 45),
            ("discovery", 25),
        ]
        assert (profile.phone, profile.timezone) == ("+13125550142", "America/Chicago")
        assert desk.check() == []
    engine = make_engine(database_url(path))
    with engine.connect() as connection:
        (rep_id,) = connection.exec_driver_sql("SELECT id FROM reps").one()
        for table, column in (
            ("prospects", "owner_id"),
            ("attempts", "rep_id"),
            ("time_checks", "rep_id"),
            ("pains", "rep_id"),
            ("follow_ups", "rep_id"),
            ("enrollments", "rep_id"),
        ):
            stored = connection.exec_driver_sql(f"SELECT {column} FROM {table}").scalars().all()
            assert stored == [rep_id], table
        # A prospect id is still never handed out twice, and the list order kept its index.
        assert (
            "AUTOINCREMENT"
            in connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'prospects'"
            ).scalar_one()
        )
        assert (
            connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'ix_prospects_by_name'"
            ).scalar_one()
            == 1
        )

    run_migrations(engine, "0008", downgrade=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT name, email, timezone FROM rep_profile"
        ).all() == [("Sam Rivera", "sam@northwind.example", "America/Chicago")]
        assert connection.exec_driver_sql(
            "SELECT name, minutes FROM call_types ORDER BY position"
        ).all() == [("demo", 45), ("discovery", 25)]
        assert connection.exec_driver_sql("SELECT count(*) FROM attempts").scalar_one() == 1
    engine.dispose()


def test_a_database_that_never_had_a_profile_gets_a_blank_first_rep(tmp_path, clock):
    path = tmp_path / "no-profile.sqlite"
    engine = make_engine(database_url(path))
    run_migrations(engine, "0008")
    with engine.begin() as connection:
        insert_old_dana(connection, "new")
    engine.dispose()
    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        assert desk.rep is not None
        assert desk.rep.email == ""
        assert [ct.name for ct in desk.profile().call_types] == ["discovery", "introduction"]
        assert desk.prospect(7).owner_id == desk.rep.id


def test_the_kept_steps_go_down_with_their_triggers_and_come_back_for_every_enrollment(
    tmp_path, clock
):
    path = tmp_path / "kept.sqlite"
    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
        desk.enroll(dana.id, "persistence")
        desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
        week_on = desk.rep_today() + timedelta(days=7)
        queue = desk.queue(week_on)
    assert [item.step for item in queue] == [2]

    engine = make_engine(database_url(path))
    run_migrations(engine, "0015", downgrade=True)
    engine.dispose()
    with sqlite3.connect(path) as down:
        left = down.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'worked_out_steps%'"
        ).fetchall()
    assert left == []

    with CallDesk.open(path, clock=clock, backup_folder=tmp_path / "b") as desk:
        with sqlite3.connect(path) as up:
            kept = up.execute("SELECT prospect_id, step_index FROM worked_out_steps").fetchall()
        assert kept == [(dana.id, None)]  # her row, with nothing kept yet
        assert desk.check() == []
        assert desk.queue(week_on) == queue
        # Another program's call, after the upgrade, is heard by the triggers.
        with sqlite3.connect(path) as other:
            other.execute(
                "INSERT INTO attempts (prospect_id, at, channel, outcome, notes, rep_id) "
                "SELECT prospect_id, enrolled_at, 'call', 'no_answer', '', rep_id "
                "FROM enrollments"
            )
        desk.forget_queue()
        assert [item.step for item in desk.queue(week_on)] == [3]
