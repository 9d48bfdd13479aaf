"""A value a column cannot hold that reaches PostgreSQL itself (the shared tests of
tests/contact_races.py run on both databases from tests/core/test_races.py)."""

import pytest
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from callassist.db.engine import database_url, make_engine
from callassist.db.models import ProspectTag
from callassist.services.column_checks import refusal_of


def test_a_value_too_long_that_reaches_postgresql_is_refused_in_one_line(dana, db_location):
    # Written past the desk's own checks, as another tool on the same database might.
    engine = make_engine(database_url(db_location))
    try:
        with Session(engine) as session:
            session.add(ProspectTag(prospect_id=dana.id, tag="t" * 61))
            with pytest.raises(DataError) as refused:
                session.commit()
    finally:
        engine.dispose()
    assert refusal_of(refused.value) == (
        "refused by the database: a value is longer than its field allows "
        "(value too long for type character varying(60))"
    )
