"""Schema migrations: `dei-bot db upgrade` applies them; `dei-bot run` refuses a stale schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.database import Database

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaOutOfDate(Exception):
    def __init__(self, current: str | None, head: str) -> None:
        self.current = current
        self.head = head
        where = f"at revision {current}" if current else "empty (no tables yet)"
        super().__init__(
            f"The database schema is {where}, and this version of dei-bot needs {head}. "
            "Run `dei-bot db upgrade` (the Procfile's release step does it on deploy)."
        )


def _config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision(db: Database) -> str:
    head = ScriptDirectory.from_config(_config(db)).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(db: Database, revision: str = "head") -> tuple[str | None, str]:
    """Returns the revisions before and after."""
    before = current_revision(db)
    config = _config(db)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, current_revision(db) or ""


def require_current(db: Database) -> None:
    current, head = current_revision(db), head_revision(db)
    if current != head:
        raise SchemaOutOfDate(current, head)
