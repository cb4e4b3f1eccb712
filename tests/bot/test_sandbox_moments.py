"""The sandbox's clock and the moments a person types at its prompt."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.moments import SandboxClock, next_step, parse_moment, parse_wait, shown_time

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 09:00 in Chicago


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tomorrow 9:00", datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO)),
        ("Tomorrow  at 9:00", datetime(2026, 11, 24, 9, 0, tzinfo=CHICAGO)),
        ("today 13:30", datetime(2026, 11, 23, 13, 30, tzinfo=CHICAGO)),
        ("2027-01-12 10:00", datetime(2027, 1, 12, 10, 0, tzinfo=CHICAGO)),
        ("2027-01-12", datetime(2027, 1, 12, 0, 0, tzinfo=CHICAGO)),
    ],
)
def test_moments_are_read_in_the_groups_zone(typed: str, expected: datetime) -> None:
    assert parse_moment(typed, NOW, CHICAGO) == expected


@pytest.mark.parametrize("typed", ["next week", "tomorrow 25", "2027-13-01", ""])
def test_other_words_say_what_to_type(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_moment(typed, NOW, CHICAGO)


def test_waits_move_forward_only() -> None:
    assert parse_wait("1h", NOW, CHICAGO) == timedelta(hours=1)
    assert parse_wait("until tomorrow 9:00", NOW, CHICAGO) == timedelta(days=1)
    with pytest.raises(ValueError, match="passed"):
        parse_wait("until today 8:00", NOW, CHICAGO)
    with pytest.raises(ValueError):
        parse_wait("0h", NOW, CHICAGO)


def test_the_clock_starts_where_told_runs_and_moves() -> None:
    clock = SandboxClock(NOW)
    first = clock.now()
    assert timedelta() <= first - NOW < timedelta(seconds=1)
    time.sleep(0.01)
    assert clock.now() > first
    clock.advance(timedelta(days=2))
    assert shown_time(clock.now(), CHICAGO) == "Wednesday November 25, 2026 09:00 CST"


def test_a_wait_stops_when_something_falls_due_and_at_each_midnight() -> None:
    far = NOW + timedelta(days=3)
    due = NOW + timedelta(hours=1)
    assert next_step(NOW, far, due, CHICAGO) == due
    midnight = datetime(2026, 11, 24, 0, 0, tzinfo=CHICAGO)
    assert next_step(NOW, far, None, CHICAGO) == midnight
    assert next_step(NOW, far, NOW + timedelta(days=2), CHICAGO) == midnight
    assert next_step(NOW, NOW + timedelta(minutes=30), due, CHICAGO) is None  # the end is sooner
