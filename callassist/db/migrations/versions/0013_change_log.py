"""The change log: what each program committed, for the windows of the others to follow.

An open window hears its own changes; with this table it also hears those of a
colleague's window or of the command line on the same database (see
callassist/desk/change_watch.py). It starts empty: nothing to carry over.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("writer", sa.String(length=40), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rep_id"],
            ["reps.id"],
            name=op.f("fk_change_log_rep_id_reps"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )


def downgrade() -> None:
    op.drop_table("change_log")
