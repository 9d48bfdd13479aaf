"""Edits carry a version: who changed a prospect, their research or a profile, and when.

Each of these rows gets a counter of its edits, the rep who made the latest and
(where the row had no such time) when. An edit saved on an older version than
the stored one is refused rather than written over a colleague's. The rows
already there start at version 0, edited by nobody yet.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERSIONED = ("prospects", "research_notes", "reps")
_TIMED = ("research_notes", "reps")
"""Prospects had their updated_at already."""


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite appends these in place, where batch mode would
    # rebuild prospects and cascade into their history.
    for table in _VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        op.add_column(table, sa.Column("updated_by", sa.Integer(), nullable=True))
    for table in _TIMED:
        op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column in place (3.35+): no table rebuild.
    for table in _TIMED:
        op.drop_column(table, "updated_at")
    for table in _VERSIONED:
        op.drop_column(table, "updated_by")
        op.drop_column(table, "version")
