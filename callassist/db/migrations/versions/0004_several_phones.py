"""Several phones per prospect (direct, mobile, office, each with an extension), the
number to dial, and the rep's column choices for imported files.

The single phone of earlier versions stays where it was, as the direct line.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: batch mode would rebuild the prospects table, and with
    # it the AUTOINCREMENT that keeps deleted prospects' ids from coming back.
    op.add_column("prospects", sa.Column("phone_extension", sa.String(length=20), nullable=True))
    op.add_column("prospects", sa.Column("mobile_e164", sa.String(length=20), nullable=True))
    op.add_column("prospects", sa.Column("mobile_extension", sa.String(length=20), nullable=True))
    op.add_column("prospects", sa.Column("office_e164", sa.String(length=20), nullable=True))
    op.add_column("prospects", sa.Column("office_extension", sa.String(length=20), nullable=True))
    op.add_column("prospects", sa.Column("dial", sa.String(length=6), nullable=True))
    op.create_index("ix_prospects_mobile_e164", "prospects", ["mobile_e164"], unique=False)
    op.create_index("ix_prospects_office_e164", "prospects", ["office_e164"], unique=False)
    op.create_table(
        "import_mappings",
        sa.Column("headers_key", sa.String(length=64), nullable=False),
        sa.Column("headers_json", sa.Text(), nullable=False),
        sa.Column("choices_json", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("headers_key", name=op.f("pk_import_mappings")),
    )


def downgrade() -> None:
    op.drop_table("import_mappings")
    op.drop_index("ix_prospects_office_e164", table_name="prospects")
    op.drop_index("ix_prospects_mobile_e164", table_name="prospects")
    # SQLite drops a column in place (3.35+): no table rebuild, so no cascade.
    for column in (
        "dial",
        "office_extension",
        "office_e164",
        "mobile_extension",
        "mobile_e164",
        "phone_extension",
    ):
        op.drop_column("prospects", column)
