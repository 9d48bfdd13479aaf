"""The first schema: prospects, research, attempts, time checks, pains,
follow-ups and the rep's profile, with the SQLite full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prospects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("linkedin", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone_e164", sa.String(length=20), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "working",
                "engaged",
                "not_interested",
                "bad_contact",
                "moved_on",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "email IS NULL OR email LIKE '%_@_%'", name=op.f("ck_prospects_email_shape")
        ),
        sa.CheckConstraint(
            "first_name <> '' OR last_name <> ''", name=op.f("ck_prospects_has_name")
        ),
        sa.CheckConstraint(
            "phone_e164 IS NULL OR phone_e164 LIKE '+%'", name=op.f("ck_prospects_phone_e164")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospects")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prospects_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_prospects_phone_e164"), ["phone_e164"], unique=False)

    op.create_table(
        "rep_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("business_start", sa.Time(), nullable=False),
        sa.Column("business_end", sa.Time(), nullable=False),
        sa.CheckConstraint(
            "business_start < business_end", name=op.f("ck_rep_profile_business_hours")
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_rep_profile_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rep_profile")),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum("call", "email", name="channel", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "connected",
                "voicemail_left",
                "no_answer",
                "email_sent",
                "rescheduled",
                "not_interested",
                "wrong_person",
                "bad_number",
                name="outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("script_name", sa.String(length=100), nullable=True),
        sa.Column("rendered_text", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "ended_at IS NULL OR ended_at >= at", name=op.f("ck_attempts_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_attempts_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_at", ["at"], unique=False)
        batch_op.create_index("ix_attempts_prospect_id_at", ["prospect_id", "at"], unique=False)

    op.create_table(
        "call_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_call_types_minutes")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["rep_profile.id"],
            name=op.f("fk_call_types_profile_id_rep_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_types")),
        sa.UniqueConstraint("profile_id", "name", name="uq_call_types_profile_id_name"),
    )
    op.create_table(
        "prospect_tags",
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_prospect_tags_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("prospect_id", "tag", name=op.f("pk_prospect_tags")),
    )
    with op.batch_alter_table("prospect_tags", schema=None) as batch_op:
        batch_op.create_index("ix_prospect_tags_tag", ["tag"], unique=False)

    op.create_table(
        "research_notes",
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("company_summary", sa.Text(), nullable=False),
        sa.Column("person_profile", sa.Text(), nullable=False),
        sa.Column("angle", sa.Text(), nullable=False),
        sa.Column("source_links", sa.Text(), nullable=False),
        sa.Column("researched_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_research_notes_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("prospect_id", name=op.f("pk_research_notes")),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "call", "email", "meeting", name="kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_follow_ups_minutes")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_follow_ups_attempt_id_attempts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_follow_ups_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_due_at", ["done", "due_at"], unique=False)
        batch_op.create_index("ix_follow_ups_prospect_id", ["prospect_id"], unique=False)

    op.create_table(
        "pains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "past",
                "present",
                "future",
                "peers",
                name="kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("acknowledged", sa.Boolean(), nullable=False),
        sa.Column("can_help", sa.Boolean(), nullable=False),
        sa.Column("noted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_pains_attempt_id_attempts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_pains_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pains")),
    )
    with op.batch_alter_table("pains", schema=None) as batch_op:
        batch_op.create_index("ix_pains_attempt_id", ["attempt_id"], unique=False)
        batch_op.create_index("ix_pains_noted_at", ["noted_at"], unique=False)
        batch_op.create_index("ix_pains_prospect_id", ["prospect_id"], unique=False)

    op.create_table(
        "time_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("minutes_available", sa.Integer(), nullable=True),
        sa.Column("call_type", sa.String(length=60), nullable=False),
        sa.Column("minutes_needed", sa.Integer(), nullable=False),
        sa.Column("immediate_need", sa.Boolean(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "proceed", "reschedule", name="decision", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "minutes_available IS NULL OR minutes_available >= 0",
            name=op.f("ck_time_checks_minutes_available"),
        ),
        sa.CheckConstraint("minutes_needed > 0", name=op.f("ck_time_checks_minutes_needed")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_time_checks_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_checks")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_time_checks_attempt_id")),
    )
    if op.get_context().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE prospect_search USING fts5("
            "name, company, research, notes, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE prospect_search")
    op.drop_table("time_checks")
    with op.batch_alter_table("pains", schema=None) as batch_op:
        batch_op.drop_index("ix_pains_prospect_id")
        batch_op.drop_index("ix_pains_noted_at")
        batch_op.drop_index("ix_pains_attempt_id")

    op.drop_table("pains")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_ups_prospect_id")
        batch_op.drop_index("ix_follow_ups_due_at")

    op.drop_table("follow_ups")
    op.drop_table("research_notes")
    with op.batch_alter_table("prospect_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_prospect_tags_tag")

    op.drop_table("prospect_tags")
    op.drop_table("call_types")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_prospect_id_at")
        batch_op.drop_index("ix_attempts_at")

    op.drop_table("attempts")
    op.drop_table("rep_profile")
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prospects_phone_e164"))
        batch_op.drop_index(batch_op.f("ix_prospects_email"))

    op.drop_table("prospects")
