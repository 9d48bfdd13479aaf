"""Each step of a running cadence is used up by one attempt, enforced by the database.

Two reps who both took the top of the queue both left the first voicemail,
and the cadence counted two steps: the second call came days early. An
attempt now records the step it used up and the start of the enrollment it
counted in, under a unique index, so the second of two attempts logged for
the same step at once is refused by the database itself. Attempts logged
before this revision record none; the steps they used up are still counted
from the history.

Revision ID: 0015
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("cadence_step", sa.Integer(), nullable=True))
    op.add_column("attempts", sa.Column("cadence_since", sa.DateTime(), nullable=True))
    op.create_index(
        "uq_attempts_cadence_step",
        "attempts",
        ["prospect_id", "cadence_since", "cadence_step"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_attempts_cadence_step", table_name="attempts")
    op.drop_column("attempts", "cadence_since")
    op.drop_column("attempts", "cadence_step")
