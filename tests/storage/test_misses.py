"""Misses: recorded as typed, counted by their folded words, and a weekly digest planned per
coordinator only for a week that had any."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from storage import misses
from storage.database import Database
from storage.models import Delivery, SearchMiss

CHICAGO = ZoneInfo("America/Chicago")
COORDINATORS = ("U0COORD001", "U0COORD002")


def test_folding_makes_one_miss_of_case_spacing_and_punctuation() -> None:
    assert misses.normalized("  Language   ACCESS! ") == "language access"
    assert misses.normalized("\uff2c\uff25\uff30") == "lep"  # full-width letters are the same word
    assert misses.normalized("???") == "???"  # nothing but punctuation stays as typed
    assert misses.normalized("a\x00b") == "a b"
    assert len(misses.normalized("x" * 3000)) == misses.NORMALIZED_MAX


def test_recorded_words_are_kept_printable_and_cut(db: Database) -> None:
    now = datetime(2026, 11, 25, 15, tzinfo=UTC)
    with db.transaction(write=True) as session:
        misses.record(session, "<!channel>\x00 zoning\n", user_id="U0MEMBER01", now=now)
        misses.record(session, "y" * 3000, user_id=None, now=now)
    with db.transaction() as session:
        rows = list(session.exec(select(SearchMiss).order_by(SearchMiss.id)))  # type: ignore[arg-type]
    assert rows[0].words == "<!channel> zoning" and rows[0].normalized == "channel zoning"
    assert len(rows[1].words) == misses.WORDS_MAX


def test_counts_are_most_frequent_first_with_the_latest_example(db: Database) -> None:
    start = datetime(2026, 11, 23, 12, tzinfo=UTC)
    with db.transaction(write=True) as session:
        for hours, words in enumerate(["zoning", "Zoning!", "snow plows", "ZONING"]):
            misses.record(session, words, user_id="U0MEMBER01", now=start + timedelta(hours=hours))
        misses.record(session, "old", user_id=None, now=start - timedelta(days=30))
    with db.transaction() as session:
        found = misses.counts(session, since=start - timedelta(days=1))
    assert [(m.normalized, m.count, m.example) for m in found] == [
        ("zoning", 3, "ZONING"),
        ("snow plows", 1, "snow plows"),
    ]
    assert found[0].last_seen == start + timedelta(hours=3)


def test_the_digest_week_is_the_last_complete_one_in_the_groups_zone() -> None:
    # Monday 2026-11-30 08:00 in Chicago: week 48 (Nov 23 to 29) is complete, due at 09:00 today.
    week = misses.last_complete_week(datetime(2026, 11, 30, 14, tzinfo=UTC), CHICAGO)
    assert week.label == "2026-W48"
    assert week.starts_at == datetime(2026, 11, 23, tzinfo=CHICAGO)
    assert week.ends_at == datetime(2026, 11, 30, tzinfo=CHICAGO)
    assert week.due_at == datetime(2026, 11, 30, 9, tzinfo=CHICAGO)
    # Sunday night in Chicago is already Monday in UTC: still week 47 complete.
    sunday = misses.last_complete_week(datetime(2026, 11, 30, 3, tzinfo=UTC), CHICAGO)
    assert sunday.label == "2026-W47"
    # across the new year: ISO week 53 of 2026
    assert misses.week_of(date(2026, 12, 28), CHICAGO).label == "2026-W53"


def test_a_week_with_misses_plans_one_digest_per_coordinator_once(db: Database) -> None:
    week = misses.week_of(date(2026, 11, 23), CHICAGO)
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    with db.transaction(write=True) as session:
        assert misses.plan_digests(session, week, COORDINATORS, now) == 0  # no misses: no rows
        misses.record(session, "zoning", user_id="U0MEMBER01", now=week.ends_at)  # next week
        assert misses.plan_digests(session, week, COORDINATORS, now) == 0
        misses.record(session, "zoning", user_id="U0MEMBER01", now=week.starts_at)
        assert misses.plan_digests(session, week, COORDINATORS, now) == 2
        misses.plan_digests(session, week, COORDINATORS, now + timedelta(minutes=5))
    with db.transaction() as session:
        rows = list(session.exec(select(Delivery)))
    assert sorted(row.key for row in rows) == [
        "miss-digest:2026-W48:U0COORD001",
        "miss-digest:2026-W48:U0COORD002",
    ]
    assert {row.due_at for row in rows} == {week.due_at}
    assert rows[0].kind == misses.MISS_DIGEST and rows[0].payload["week"] == "2026-W48"
