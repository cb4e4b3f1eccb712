"""The full-text index's own objects, which live beside the models rather than in them.

Migration 0003 creates them (an FTS5 table per index on SQLite, a tsvector table with a GIN index
on PostgreSQL) with triggers that keep them in step with resources, communities and volunteers.
SQLAlchemy cannot describe an FTS5 virtual table, so they are not models; the schema comparison
(tests, autogenerate) leaves them out through `belongs_to_models`, or it would ask to drop them.
"""

from __future__ import annotations

from typing import Any

RESOURCE_INDEX = "resource_search"  # one row per findable resource, rowid / resource_id = its id
PRACTICE_INDEX = "practice_search"  # one row per practice of a community or a volunteer
INDEXES = (RESOURCE_INDEX, PRACTICE_INDEX)


def belongs_to_models(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's `include_object`: False for the index tables (and FTS5's shadow tables)."""
    if type_ != "table" or name is None:
        table = getattr(obj, "table", None)
        name = getattr(table, "name", None)
        if name is None:
            return True
    return not any(name == index or name.startswith(f"{index}_") for index in INDEXES)
