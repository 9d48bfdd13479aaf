"""Two reps at once and values a column cannot hold, on PostgreSQL (see tests/contact_races.py)."""

import pytest
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from callassist.db.models import ProspectTag
from callassist.services.column_checks import refusal_of
from tests.contact_races import *  # noqa: F403 - the shared tests, collected here


def test_a_value_too_long_that_reaches_postgresql_is_refused_in_one_line(dana, engine):
    # Written past the desk's own checks, as another tool on the same database might.
    with Session(engine) as session:
        session.add(ProspectTag(prospect_id=dana.id, tag="t" * 61))
        with pytest.raises(DataError) as refused:
            session.commit()
    assert refusal_of(refused.value) == (
        "refused by the database: a value is longer than its field allows "
        "(value too long for type character varying(60))"
    )
