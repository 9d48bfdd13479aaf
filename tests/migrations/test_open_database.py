"""Opening databases: new, current, older (backed up and upgraded), newer, foreign."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from callassist.core import CallDesk
from callassist.db import migrate
from callassist.db.engine import database_url, make_engine
from callassist.db.migrate import SCHEMA_HEAD, known_revisions, open_database, run_migrations
from callassist.errors import DatabaseTooNewError, KnownError


def schema_of(path: Path) -> dict[str, object]:
    """Columns, indexes, foreign keys and checks of every table, comparable as data."""
    engine = make_engine(database_url(path))
    try:
        inspector = inspect(engine)
        schema: dict[str, object] = {}
        for table in sorted(inspector.get_table_names()):
            if table.startswith("prospect_search"):
                continue
            schema[table] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
                ],
                "pk": inspector.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "fks": sorted(
                    (
                        f["name"],
                        tuple(f["constrained_columns"]),
                        f["referred_table"],
                        f["options"].get("ondelete"),
                    )
                    for f in inspector.get_foreign_keys(table)
                ),
                "checks": sorted(c["name"] for c in inspector.get_check_constraints(table)),
                "unique": sorted(u["name"] for u in inspector.get_unique_constraints(table)),
            }
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
        connection.exec_driver_sql(
            "INSERT INTO prospects (id, first_name, last_name, title, company, website, linkedin,"
            " email, phone_e164, timezone, status, notes, created_at, updated_at) VALUES"
            " (7, 'Dana', 'Whitfield', '', 'Mesa Dental', '', '', NULL, '+15058281788', NULL,"
            " 'new', '', '2026-03-01 10:00:00', '2026-03-01 10:00:00')"
        )
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

    backups = list((tmp_path / "b").glob("old-*-before-upgrade-0001.sqlite"))
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
    assert len(list((tmp_path / "b").glob("*.sqlite"))) == 1
    engine = make_engine(database_url(path))
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        )
    engine.dispose()
