"""Transactions: read-then-write on SQLite takes the write lock at BEGIN, so nothing is lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import select

from storage.database import Database
from storage.models import Meeting, Member


def test_concurrent_read_then_write_loses_no_update(sqlite_db: Database) -> None:
    with sqlite_db.transaction(write=True) as session:
        session.add(Member(user_id="U0COUNTER", tz="0"))

    def bump() -> None:
        for _ in range(25):
            with sqlite_db.transaction(write=True) as session:
                member = session.exec(select(Member).where(Member.user_id == "U0COUNTER")).one()
                member.tz = str(int(member.tz or "0") + 1)
                session.add(member)

    workers = [threading.Thread(target=bump) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with sqlite_db.transaction() as session:
        assert session.exec(select(Member)).one().tz == "100"


def test_a_failed_block_rolls_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction(write=True) as session:
        session.add(Member(user_id="U0GONE"))
        session.flush()
        raise RuntimeError("boom")
    with db.transaction() as session:
        assert session.exec(select(Member)).all() == []


def test_times_come_back_as_aware_utc(db: Database) -> None:
    chicago_ten = datetime(2027, 3, 16, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    with db.transaction(write=True) as session:
        session.add(Meeting(key="wg", starts_at=chicago_ten))
    with db.transaction() as session:
        stored = session.exec(select(Meeting)).one().starts_at
    assert stored == chicago_ten
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 15 and stored.tzinfo == UTC


def test_naive_times_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), db.transaction(write=True) as session:
        session.add(Meeting(key="wg", starts_at=datetime(2027, 1, 1, 10)))
        session.flush()


def test_postgresql_plans_for_the_values_and_keeps_the_operators_own_options(
    postgres_schema: tuple[str, str],
) -> None:
    url, name = postgres_schema
    given = Database(f"{url}?options=-csearch_path%3D{name}%20-cstatement_timeout%3D12345")
    try:
        with given.transaction() as session:
            settings = session.execute(
                text(
                    "SELECT current_schema(), current_setting('statement_timeout'), "
                    "current_setting('plan_cache_mode')"
                )
            ).one()
    finally:
        given.dispose()

    assert tuple(settings) == (name, "12345ms", "force_custom_plan")
