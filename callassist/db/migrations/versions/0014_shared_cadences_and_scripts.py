"""The team's cadences and scripts, and each rep's own versions, kept in the database.

Until now they were files in each rep's folders: on a shared database a prospect
in a cadence only rep A had vanished from rep B's queue. A row with no rep is the
team's version, a row with a rep that rep's own; folder_imports remembers which
files of a rep's folders were brought in, so each is brought in once. The files
themselves are brought in by the program when it opens, not here: a migration
does not know whose folder it runs on.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from callassist.db.base import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table, extra in (
        ("cadence_versions", []),
        ("script_versions", [sa.Column("html_source", sa.Text(), nullable=True)]),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=100), nullable=False),
            sa.Column("rep_id", sa.Integer(), nullable=True),
            sa.Column("source", sa.Text(), nullable=False),
            *extra,
            sa.Column("updated_by", sa.Integer(), nullable=False),
            sa.Column("updated_at", UTCDateTime(), nullable=False),
            sa.ForeignKeyConstraint(
                ["rep_id"], ["reps.id"], name=op.f(f"fk_{table}_rep_id_reps"), ondelete="CASCADE"
            ),
            sa.ForeignKeyConstraint(
                ["updated_by"], ["reps.id"], name=op.f(f"fk_{table}_updated_by_reps")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(
            f"ix_{table}_name_owner",
            table,
            [sa.column("name"), sa.func.coalesce(sa.column("rep_id"), 0)],
            unique=True,
        )
    op.create_table(
        "folder_imports",
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('cadence', 'script')", name=op.f("ck_folder_imports_import_kind")
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"], ["reps.id"], name=op.f("fk_folder_imports_rep_id_reps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("rep_id", "kind", "file_name", name=op.f("pk_folder_imports")),
    )


def downgrade() -> None:
    op.drop_table("folder_imports")
    for table in ("script_versions", "cadence_versions"):
        op.drop_index(f"ix_{table}_name_owner", table_name=table)
        op.drop_table(table)
