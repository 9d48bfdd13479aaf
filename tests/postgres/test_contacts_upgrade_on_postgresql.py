"""Migration 0010 on a PostgreSQL database holding duplicates (see tests/contacts_upgrade.py)."""

import pytest
from sqlalchemy.engine import make_url

from tests.contacts_upgrade import *  # noqa: F403 - the shared test, collected here


@pytest.fixture
def new_database(postgres_url):
    """A database of its own on the session's server, empty: the session's own database
    is already at the newest schema."""
    import psycopg

    url = make_url(postgres_url)
    server = {"host": url.query["host"], "user": url.username}
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS upgraded")
        admin.execute("CREATE DATABASE upgraded")
    return url.set(database="upgraded").render_as_string(hide_password=False)
