"""Bookings as calendar events: a UID of their own, a SEQUENCE, the call type, and
when they were cancelled.

Invites used ``follow-up-N@callassist``, which repeats across databases and
after a delete, so a calendar replaced one event with another. Every follow-up
now keeps a random UID; the ones already booked get theirs here.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: SQLite appends these in place, where batch mode would copy
    # the whole table into a new one (and drop the old) for nothing.
    op.add_column("follow_ups", sa.Column("uid", sa.String(length=80), nullable=True))
    op.add_column(
        "follow_ups",
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("follow_ups", sa.Column("call_type", sa.String(length=60), nullable=True))
    op.add_column("follow_ups", sa.Column("cancelled_at", sa.DateTime(), nullable=True))
    follow_ups = sa.table("follow_ups", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    connection = op.get_bind()
    for (follow_up_id,) in connection.execute(sa.select(follow_ups.c.id)).all():
        # The models' new_event_uid, written out: a migration must keep doing what
        # it did when it was written, whatever the models become.
        connection.execute(
            follow_ups.update()
            .where(follow_ups.c.id == follow_up_id)
            .values(uid=f"{uuid.uuid4()}@callassist")
        )
    op.create_index("ix_follow_ups_uid", "follow_ups", ["uid"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_follow_ups_uid", table_name="follow_ups")
    # SQLite drops a column in place (3.35+): no table rebuild.
    for column in ("cancelled_at", "call_type", "sequence", "uid"):
        op.drop_column("follow_ups", column)
