"""Each email and personal number belongs to one prospect, enforced by the database.

Until now a duplicate was refused by reading first and writing after, which two
programs writing at once both pass. The table prospect_contacts holds each
prospect's email, direct line and mobile with the contact as primary key, so the
second writer is refused by the database itself.

A database may already hold duplicates (two reps imported the same file at
once). The upgrade neither deletes nor merges anyone: the prospect with the
lowest id holds the contact, the later ones keep their rows without it, and
``check`` names them so the rep decides which to keep.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prospect_contacts",
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.CheckConstraint(
            "kind IN ('email', 'phone')", name=op.f("ck_prospect_contacts_contact_kind")
        ),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_prospect_contacts_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("value", name=op.f("pk_prospect_contacts")),
    )
    op.create_index(
        "ix_prospect_contacts_prospect_id", "prospect_contacts", ["prospect_id"], unique=False
    )
    # Lowest id first, so the first prospect with a contact holds it; "WHERE true"
    # lets SQLite read ON CONFLICT as the INSERT's clause, not the SELECT's.
    op.execute(
        "INSERT INTO prospect_contacts (value, prospect_id, kind) "
        "SELECT value, prospect_id, kind FROM ("
        " SELECT lower(trim(email)) AS value, id AS prospect_id, 'email' AS kind, 0 AS place"
        " FROM prospects WHERE email IS NOT NULL AND trim(email) <> ''"
        " UNION ALL SELECT phone_e164, id, 'phone', 1 FROM prospects"
        " WHERE phone_e164 IS NOT NULL AND phone_e164 <> ''"
        " UNION ALL SELECT mobile_e164, id, 'phone', 2 FROM prospects"
        " WHERE mobile_e164 IS NOT NULL AND mobile_e164 <> ''"
        ") AS contacts WHERE true ORDER BY prospect_id, place "
        "ON CONFLICT (value) DO NOTHING"
    )


def downgrade() -> None:
    op.drop_index("ix_prospect_contacts_prospect_id", table_name="prospect_contacts")
    op.drop_table("prospect_contacts")
