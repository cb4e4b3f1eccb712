"""What the clock calls. Each job takes `now`; `bot/scheduler.py` is the one place saying when."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage import announcements, misses, reminder_plans
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import MonthlySchedule

log = logging.getLogger("dei_bot.jobs")


def plan_upcoming_reminders(db: Database, offsets: Sequence[timedelta], now: datetime) -> int:
    """Reconciles the ledger with every session and meeting ahead (start-up, then every few
    minutes): covers imports made while the bot was down and a changed DEI_REMINDER_OFFSETS."""
    with db.transaction(write=True) as session:
        changed = reminder_plans.plan_upcoming(session, offsets, now)
    if changed:
        log.info("planned or updated %d reminder(s)", changed)
    return changed


def plan_monthly_topic(
    db: Database, channel: str | None, schedule: MonthlySchedule, zone: ZoneInfo, now: datetime
) -> None:
    """This month's and next month's topic announcement, each a ledger row with the month in
    its key: posted once however many processes plan it, and whenever they restart."""
    if not channel:
        return
    local = now.astimezone(zone)
    following = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    with db.transaction(write=True) as session:
        for year, month in ((local.year, local.month), following):
            at = schedule.occurrence(year, month, zone).astimezone(UTC)
            announcements.plan_topic_announcement(session, f"{year}-{month:02d}", channel, at, now)


def plan_miss_digest(
    db: Database, coordinators: Sequence[str], zone: ZoneInfo, now: datetime
) -> int:
    """Last week's digest of lookups that found nothing, one ledger row per coordinator (the
    ISO week and the coordinator in its key), due Monday 09:00 in the group's zone. A week
    without misses plans nothing; a digest already sent is never planned again."""
    week = misses.last_complete_week(now, zone)
    with db.transaction(write=True) as session:
        return misses.plan_digests(session, week, coordinators, now)
