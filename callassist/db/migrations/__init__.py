"""Alembic migrations of the callassist schema, run by :mod:`callassist.db.migrate`."""
