"""A team of reps: the one-row profile becomes a table of reps, and every record says whose.

The profile (or, where none was ever saved, a blank one) becomes the first rep
with its call types; every attempt, time check, pain, follow-up and enrollment
is recorded by that rep, and every prospect is theirs. Going back keeps the
first rep as the profile and drops the others.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import time

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROFILE_COLUMNS = (
    "id, name, company, phone_e164, email, signature, timezone, business_start, business_end"
)

_RECORDED_BY_A_REP = ("attempts", "time_checks", "pains", "follow_ups", "enrollments")

_FIRST_REP = "(SELECT min(id) FROM reps)"

_DEFAULT_CALL_TYPES = (("discovery", 20), ("introduction", 60))
"""What a blank profile offered (services.profile.DEFAULT_CALL_TYPES when this was written)."""


def upgrade() -> None:
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), nullable=False),
        sa.Column("phone_e164", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("business_start", sa.Time(), nullable=False),
        sa.Column("business_end", sa.Time(), nullable=False),
        sa.CheckConstraint("business_start < business_end", name=op.f("ck_reps_business_hours")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reps")),
    )
    op.create_index("ix_reps_email", "reps", [sa.text("lower(email)")], unique=True)
    op.execute(
        f"INSERT INTO reps ({_PROFILE_COLUMNS}) SELECT id, name, company, phone_e164, "
        "NULLIF(lower(trim(email)), ''), signature, timezone, business_start, business_end "
        "FROM rep_profile"
    )
    bind = op.get_bind()
    call_types: Sequence[Sequence[object]] = bind.execute(
        sa.text("SELECT profile_id, name, minutes, position FROM call_types")
    ).all()
    if bind.execute(sa.text("SELECT count(*) FROM reps")).scalar() == 0:
        # Never saved a profile: the records made meanwhile are still someone's.
        reps = sa.table(
            "reps",
            *(sa.column(name) for name in ("id", "name", "company", "signature")),
            sa.column("business_start", sa.Time()),
            sa.column("business_end", sa.Time()),
        )
        bind.execute(
            sa.insert(reps).values(
                id=1,
                name="",
                company="",
                signature="",
                business_start=time(9, 0),
                business_end=time(17, 0),
            )
        )
        call_types = [
            (1, name, minutes, position)
            for position, (name, minutes) in enumerate(_DEFAULT_CALL_TYPES)
        ]
    if bind.dialect.name == "postgresql":
        # The first rep came with its id: the next one added must not be given it too.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('reps', 'id'), (SELECT max(id) FROM reps))"
        )
    op.drop_table("call_types")
    op.drop_table("rep_profile")
    _create_call_types("rep_id", "reps")
    _insert_call_types("rep_id", call_types)

    for table in (*_RECORDED_BY_A_REP, "prospects"):
        column = "owner_id" if table == "prospects" else "rep_id"
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET {column} = {_FIRST_REP}")
        with _rebuilt(table) as batch:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(op.f(f"fk_{table}_{column}_reps"), "reps", [column], ["id"])
    op.create_index("ix_attempts_rep_id_at", "attempts", ["rep_id", "at"])
    op.create_index(op.f("ix_follow_ups_rep_id"), "follow_ups", ["rep_id"])
    op.create_index(op.f("ix_prospects_owner_id"), "prospects", ["owner_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_prospects_owner_id"), table_name="prospects")
    op.drop_index(op.f("ix_follow_ups_rep_id"), table_name="follow_ups")
    op.drop_index("ix_attempts_rep_id_at", table_name="attempts")
    for table in (*_RECORDED_BY_A_REP, "prospects"):
        column = "owner_id" if table == "prospects" else "rep_id"
        with _rebuilt(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_{column}_reps"), type_="foreignkey")
            batch.drop_column(column)

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
    # The first rep is the one profile there was; the others have no place to go.
    op.execute(
        f"INSERT INTO rep_profile ({_PROFILE_COLUMNS}) SELECT 1, name, company, phone_e164, "
        "coalesce(email, ''), signature, timezone, business_start, business_end "
        f"FROM reps WHERE id = {_FIRST_REP}"
    )
    bind = op.get_bind()
    call_types = bind.execute(
        sa.text(f"SELECT 1, name, minutes, position FROM call_types WHERE rep_id = {_FIRST_REP}")
    ).all()
    op.drop_table("call_types")
    op.drop_index("ix_reps_email", table_name="reps")
    op.drop_table("reps")
    _create_call_types("profile_id", "rep_profile")
    _insert_call_types("profile_id", call_types)


def _create_call_types(owner_column: str, owner_table: str) -> None:
    op.create_table(
        "call_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(owner_column, sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes > 0", name=op.f("ck_call_types_minutes")),
        sa.ForeignKeyConstraint(
            [owner_column],
            [f"{owner_table}.id"],
            name=op.f(f"fk_call_types_{owner_column}_{owner_table}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_types")),
        sa.UniqueConstraint(owner_column, "name", name=op.f(f"uq_call_types_{owner_column}_name")),
    )


def _insert_call_types(owner_column: str, rows: Sequence[Sequence[object]]) -> None:
    if rows:
        op.get_bind().execute(
            sa.text(
                f"INSERT INTO call_types ({owner_column}, name, minutes, position) "
                "VALUES (:owner, :name, :minutes, :position)"
            ),
            [
                {"owner": owner, "name": name, "minutes": minutes, "position": position}
                for owner, name, minutes, position in rows
            ],
        )


_AUTOINCREMENT_TABLES = frozenset({"prospects", "attempts"})
"""Tables that never hand an id out twice (sqlite_autoincrement in the models)."""


@contextmanager
def _rebuilt(table: str) -> Iterator[BatchOperations]:
    """A batch alteration of ``table``. On SQLite the table is copied into a new one:
    AUTOINCREMENT is kept, and the indexes on expressions, which the copy leaves out
    (SQLite's reflection cannot read them), are made again."""
    autoincrement = table in _AUTOINCREMENT_TABLES
    with warnings.catch_warnings():
        # SQLAlchemy warns that it cannot read those indexes: they are made again below.
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", sa.exc.SAWarning
        )
        with op.batch_alter_table(
            table, table_kwargs={"sqlite_autoincrement": autoincrement}
        ) as batch:
            yield batch
    if table == "prospects" and op.get_bind().dialect.name == "sqlite":
        _recreate_name_indexes()


def _recreate_name_indexes() -> None:
    """The list-order and first-name indexes (0006, 0008), lost when SQLite copies prospects."""
    for name, columns in (
        ("ix_prospects_by_name", ("last_name", "first_name")),
        ("ix_prospects_by_first_name", ("first_name", "last_name")),
    ):
        op.create_index(
            name,
            "prospects",
            [sa.text(f"lower({columns[0]})"), sa.text(f"lower({columns[1]})"), "id"],
            if_not_exists=True,
        )
