"""What the clock calls. Each job takes `now`; `bot/scheduler.py` is the one place saying when."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from storage import reminder_plans
from storage.database import Database

log = logging.getLogger("dei_bot.jobs")


def plan_upcoming_reminders(db: Database, offsets: Sequence[timedelta], now: datetime) -> int:
    """Reconciles the ledger with every session and meeting ahead (start-up, then every few
    minutes): covers imports made while the bot was down and a changed DEI_REMINDER_OFFSETS."""
    with db.transaction(write=True) as session:
        changed = reminder_plans.plan_upcoming(session, offsets, now)
    if changed:
        log.info("planned or updated %d reminder(s)", changed)
    return changed
