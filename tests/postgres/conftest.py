"""The PostgreSQL path, whatever ``--database`` says: these tests are about what only
PostgreSQL does, so their ``db_location`` is always a new database of the session's
throwaway cluster (tests/database_choice.py starts it).

Every fixture of tests/conftest.py (desk, make_prospect, dana...) then works on
PostgreSQL.
"""

import pytest


@pytest.fixture
def db_location(postgres_url: str) -> str:
    return postgres_url
