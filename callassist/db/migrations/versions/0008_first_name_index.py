"""An index by first name (case folded, then surname and id) for the search.

A search for one word lists the prospects whose first name starts with it
right after those whose surname does; with this index SQLite reads the first
page of them as one range instead of walking every prospect (0.35 s at a
million when no first name matches).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_prospects_by_first_name",
        "prospects",
        [sa.text("lower(first_name)"), sa.text("lower(last_name)"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_prospects_by_first_name", table_name="prospects")
