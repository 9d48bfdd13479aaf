"""The trash: deleted prospects, kept with their history until undeleted or purged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trash",
        sa.Column("prospect_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("rows_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("prospect_id", name=op.f("pk_trash")),
    )
    with op.batch_alter_table("trash", schema=None) as batch_op:
        batch_op.create_index("ix_trash_deleted_at", ["deleted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trash", schema=None) as batch_op:
        batch_op.drop_index("ix_trash_deleted_at")
    op.drop_table("trash")
