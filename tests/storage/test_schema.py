"""The migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage import models, schema
from storage.database import Database
from storage.search import index


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        # The full-text index is not a model (FTS5 has no SQLAlchemy type): left out on purpose.
        context = MigrationContext.configure(
            connection, opts={"include_object": index.belongs_to_models}
        )
        differences = compare_metadata(context, models.SQLModel.metadata)
    assert differences == []
    assert schema.current_revision(db) == schema.head_revision(db)


def test_an_empty_database_is_refused_with_the_fix(tmp_path: Path) -> None:
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(schema.SchemaOutOfDate, match="Run `dei-bot db upgrade`"):
        schema.require_current(empty)
    before, after = schema.upgrade(empty)
    assert (before, after) == (None, schema.head_revision(empty))
    schema.require_current(empty)
    assert schema.upgrade(empty) == (after, after)


def test_sqlite_is_in_wal_mode_with_a_busy_timeout(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
