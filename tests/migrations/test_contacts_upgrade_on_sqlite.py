"""Migration 0010 on an SQLite file holding duplicates (see tests/contacts_upgrade.py)."""

import pytest

from tests.contacts_upgrade import *  # noqa: F403 - the shared test, collected here


@pytest.fixture
def new_database(tmp_path):
    return tmp_path / "upgraded.sqlite"
