"""Fixtures shared by every test: real databases, no proxies.

SQLite tests get a fresh file per test. PostgreSQL tests read DEI_TEST_DATABASE_URL; each test
run creates its own schema (dropped at the end) so runs never see each other's rows, and each
test starts from empty tables.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.config import normalise_database_url
from slack_standin import SlackStandIn
from storage import models, schema
from storage.database import Database

# slack_sdk honours HTTP(S)_PROXY and ignores NO_PROXY; the stand-in lives on loopback.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)

PG_URL_VARIABLE = "DEI_TEST_DATABASE_URL"


def postgres_url() -> str | None:
    url = os.environ.get(PG_URL_VARIABLE, "").strip()
    return normalise_database_url(url) if url else None


@contextlib.contextmanager
def own_postgres_schema(prefix: str) -> Iterator[tuple[str, str]]:
    """(url, name) of a PostgreSQL schema of this run's own, empty, dropped at the end; the
    test is skipped when no server is given."""
    url = postgres_url()
    if not url:
        pytest.skip(f"{PG_URL_VARIABLE} is not set: PostgreSQL tests need a server to talk to")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield url, name
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[tuple[str, str]]:
    with own_postgres_schema("dei_test") as (url, name):
        database = Database(url, schema=name)
        schema.upgrade(database)
        database.dispose()
        yield url, name


def empty_tables(database: Database) -> None:
    tables = [table.name for table in models.SQLModel.metadata.sorted_tables]
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'dei-bot.db'}")
    schema.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def postgres_db(postgres_schema: tuple[str, str]) -> Iterator[Database]:
    url, name = postgres_schema
    database = Database(url, schema=name)
    empty_tables(database)
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    """Storage tests that must hold on both back ends take this one."""
    return request.getfixturevalue(f"{request.param}_db")  # type: ignore[no-any-return]


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    """The Slack stand-in on loopback, with the test workspace's people."""
    from tests.payloads import COORDINATOR, MEMBER

    with SlackStandIn() as server:
        server.add_user(MEMBER, name="member", tz="America/Chicago")
        server.add_user(COORDINATOR, name="coordinator", tz="America/New_York")
        yield server
