"""The migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage import models, schema
from storage.database import Database
from storage.search import find, index
from tests.conftest import own_postgres_schema


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


@pytest.fixture(params=["sqlite", "postgres"])
def unmigrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no schema at all yet: a file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield database
        database.dispose()
        return
    with own_postgres_schema("dei_old") as (url, name):
        database = Database(url, schema=name)
        yield database
        database.dispose()


def test_resources_from_before_the_tags_text_are_boosted_after_the_upgrade(
    unmigrated: Database,
) -> None:
    schema.upgrade(unmigrated, "0005")
    with unmigrated.transaction(write=True) as session:
        session.add(models.Topic(key="2027-04", month="2027-04", title="Language Access"))
        for key, topics in (("a-other", ["Budgeting"]), ("b-month", ["language access plans"])):
            session.add(models.Resource(key=key, title="Equity Guide", kind="guide", topics=topics))

    schema.upgrade(unmigrated)

    with unmigrated.transaction() as session:
        found = find(session, "equity guide", today=date(2027, 4, 10))
    assert [hit.key for hit in found.hits] == ["b-month", "a-other"]
