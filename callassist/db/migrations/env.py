"""Alembic environment: always run on the connection callassist hands over."""

from alembic import context
from sqlalchemy import Connection

from callassist.db import models  # noqa: F401  (registers every table on Base.metadata)
from callassist.db.base import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("callassist migrations run through callassist.db.migrate only")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
