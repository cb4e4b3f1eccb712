"""One engine per process, one transaction per Slack interaction or job run.

SQLite: WAL so readers never wait for the writer, a busy timeout so writers queue instead of
failing, and `BEGIN IMMEDIATE` for transactions that read then write, so two of them cannot both
read the old row and then collide on the write lock. PostgreSQL: a plain pooled engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlmodel import Session

# SQLite's lock is not first come, first served: under a burst a writer may wait a while.
SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = make_url(url)
        self.schema = schema
        self.engine = _build_engine(url, schema)
        self._immediate = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @contextmanager
    def transaction(self, *, write: bool = False, durable: bool = True) -> Iterator[Session]:
        """Commits when the block ends, rolls back if it raises.

        `write=True` takes SQLite's write lock at BEGIN; PostgreSQL callers lock rows instead.
        `durable=False`: on PostgreSQL the commit does not wait for the WAL flush. Only for
        writes whose loss in a server crash is already recovered from (a lease, a "sent" that
        the history check finds again), never for the record that a call to Slack began.
        """
        bind = self._immediate if write and self.is_sqlite else self.engine
        with Session(bind=bind, expire_on_commit=False) as session:
            if not durable and self.is_postgresql:
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def upsert(session: Session, model: type[Any]) -> Any:
    """INSERT … ON CONFLICT for the session's back end: both speak it, each with its own
    construct (`on_conflict_do_update` / `on_conflict_do_nothing` on what this returns)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


def _build_engine(url: str, schema: str | None) -> Engine:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)
        return engine
    # psycopg prepares a statement run five times on a connection, and PostgreSQL then plans it
    # once for any values. A lookup's best plan depends on its words (a rare word wants the GIN
    # index, a common one the key walked backwards, stopping at 200): one plan for all made
    # lookups for rare words walk the whole index. Planning each time costs well under 1 ms.
    options = ["-cplan_cache_mode=force_custom_plan"]
    given = make_url(url).query.get("options")  # an operator's own, kept: ours only add
    options += [given] if isinstance(given, str) else list(given or ())
    if schema:
        # Tests give each run its own schema so runs never see each other's rows.
        options.append(f"-csearch_path={schema}")
    connect_args: dict[str, Any] = {"options": " ".join(options)}
    # No pre-ping: it costs a round trip per transaction (a sixth of a reminder's time);
    # recycling connections after 30 minutes covers servers that drop idle ones.
    return create_engine(
        url, connect_args=connect_args, pool_size=10, max_overflow=20, pool_recycle=1800
    )


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling would BEGIN lazily and deferred; we BEGIN ourselves.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")
