"""A table's shape as data, for comparing the schema the migrations build with the models'."""

from typing import Any

from sqlalchemy import Inspector


def table_shape(inspector: Inspector, table: str) -> dict[str, Any]:
    """Columns, primary key, foreign keys, checks and unique constraints of ``table``
    (indexes are compared by their SQL, which each database gives its own way)."""
    return {
        "columns": [
            (column["name"], str(column["type"]), column["nullable"])
            for column in inspector.get_columns(table)
        ],
        "pk": inspector.get_pk_constraint(table)["constrained_columns"],
        "fks": sorted(
            (
                key["name"],
                tuple(key["constrained_columns"]),
                key["referred_table"],
                key["options"].get("ondelete"),
            )
            for key in inspector.get_foreign_keys(table)
        ),
        "checks": sorted(check["name"] for check in inspector.get_check_constraints(table)),
        "unique": sorted(unique["name"] for unique in inspector.get_unique_constraints(table)),
    }
