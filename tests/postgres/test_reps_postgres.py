"""Two reps on one PostgreSQL database, each with their own desk, as on two computers:
their own profile, prospects, queue and review; the team's adds them up."""

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from callassist.core import CallDesk
from callassist.db.engine import database_url, make_engine
from callassist.db.migrate import run_migrations
from callassist.vocabulary import Outcome
from tests.database_choice import SUPERUSER

JO = "jo@northwind.example"


@pytest.fixture
def jos_desk(jos_desk: CallDesk) -> CallDesk:
    """Jo's desk (tests/conftest.py), with her own number and time zone."""
    jos_desk.update_profile(phone="(312) 555-0199", timezone="America/Chicago")
    return jos_desk


def test_two_reps_each_work_their_own_prospects_and_the_team_adds_up(
    desk, db_location, clock, tmp_path, jos_desk
):
    with CallDesk.open(
        db_location, clock=clock, rep="sam@northwind.example", backup_folder=tmp_path / "b"
    ) as sams_desk:
        dana = sams_desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
        evan = jos_desk.add_prospect(first_name="Evan", phone="(505) 828-1799")
        sams_desk.enroll(dana.id, "persistence")
        jos_desk.enroll(evan.id, "persistence")
        assert [item.prospect_id for item in sams_desk.queue()] == [dana.id]
        assert [item.prospect_id for item in jos_desk.queue()] == [evan.id]
        team = {item.prospect_id: item.owner for item in jos_desk.queue(team=True)}
        assert team == {dana.id: "Sam Rivera", evan.id: "Jo Park"}

        sams_desk.log_attempt(dana.id, Outcome.NO_ANSWER)
        sams_desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
        jos_desk.log_attempt(evan.id, Outcome.CONNECTED)
        assert sams_desk.review().dials == 2
        assert jos_desk.review().dials == 1
        review = jos_desk.team_review()
        assert {rep.email: figures.dials for rep, figures in review.by_rep} == {
            "sam@northwind.example": 2,
            JO: 1,
        }
        assert (review.team.dials, review.team.connects) == (3, 1)
        assert sams_desk.profile().name == "Sam Rivera"
        assert jos_desk.profile().phone == "+13125550199"

        before, after = sams_desk.assign_prospect(dana.id, JO)
        assert (before.name, after.name) == ("Sam Rivera", "Jo Park")
        assert sams_desk.queue() == []


@pytest.fixture
def older_database(postgres_socket_dir) -> Iterator[str]:
    """A database of its own at schema 0008, dropped afterwards."""
    with psycopg.connect(
        host=str(postgres_socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute("CREATE DATABASE before_reps")
    try:
        yield f"postgresql+psycopg://{SUPERUSER}@/before_reps?host={postgres_socket_dir}"
    finally:
        with psycopg.connect(
            host=str(postgres_socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        ) as admin:
            admin.execute("DROP DATABASE before_reps WITH (FORCE)")


def test_the_profile_becomes_the_first_rep_on_postgresql_and_back(older_database, clock, tmp_path):
    engine = make_engine(database_url(older_database))
    try:
        run_migrations(engine, "0008")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO rep_profile (id, name, company, email, signature,"
                    " business_start, business_end) VALUES (1, 'Sam Rivera', 'Northwind',"
                    " 'Sam@Northwind.example', '', '09:00', '17:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO call_types (profile_id, name, minutes, position)"
                    " VALUES (1, 'demo', 45, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO prospects (id, first_name, last_name, title, company, website,"
                    " linkedin, status, notes, created_at, updated_at) VALUES (7, 'Dana', '',"
                    " '', '', '', '', 'new', '', now(), now())"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO attempts (prospect_id, at, channel, notes)"
                    " VALUES (7, now(), 'call', '')"
                )
            )
        run_migrations(engine, "head")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, email FROM reps")).all() == [
                (1, "sam@northwind.example")
            ]
            assert connection.execute(text("SELECT rep_id, name FROM call_types")).all() == [
                (1, "demo")
            ]
            assert connection.execute(text("SELECT owner_id FROM prospects")).all() == [(1,)]
            assert connection.execute(text("SELECT rep_id FROM attempts")).all() == [(1,)]
        with CallDesk.open(older_database, clock=clock, backup_folder=tmp_path) as desk:
            assert desk.add_rep(name="Jo Park", email=JO).id == 2
        run_migrations(engine, "0008", downgrade=True)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT email FROM rep_profile")).all() == [
                ("sam@northwind.example",)
            ]
            assert connection.execute(text("SELECT profile_id, name FROM call_types")).all() == [
                (1, "demo")
            ]
    finally:
        engine.dispose()
