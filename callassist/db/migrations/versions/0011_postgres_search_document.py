"""PostgreSQL: one search document per prospect, under a GIN index, kept by triggers.

The search on PostgreSQL matched any part of any column with ILIKE: 149-260 ms
a keystroke at 50,000 prospects, and a typed "%" or "_" found everyone. From
here it reads the same words, in the same order, as FTS5 does on SQLite (see
callassist/db/search.py). The documents of the prospects already there are
written here. Nothing changes on SQLite.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from callassist.db.search import POSTGRES_SEARCH_TABLE, create_search_index

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTIONS = (
    "prospect_search_follow_parts()",
    "prospect_search_follow_prospect_edits()",
    "prospect_search_follow_prospects()",
    "prospect_search_refresh(integer[])",
    "prospect_search_query(text[], text)",
    "prospect_search_document(text, text, text, text)",
    "prospect_search_words(text)",
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        create_search_index(connection)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TABLE {POSTGRES_SEARCH_TABLE}")
    op.execute("DROP INDEX ix_prospects_search_by_surname")
    op.execute("DROP INDEX ix_prospects_search_by_first_name")
    # The triggers go with the functions they run.
    for function in _FUNCTIONS:
        op.execute(f"DROP FUNCTION {function} CASCADE")
