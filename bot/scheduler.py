"""The clock. APScheduler only wakes the work; what is due lives in the database.

APScheduler 3 keeps its jobs in memory and runs each at most once: if the process dies, its jobs
die with it and nothing is lost, because the next process finds the same due rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Settings
from handlers import jobs
from handlers.dispatcher import Dispatcher
from storage.database import Database

DISPATCH_EVERY_S = 1  # due-to-sent delay is at most this plus the send itself
PLAN_EVERY_S = 300


def build_scheduler(
    db: Database, settings: Settings, dispatcher: Dispatcher, clock: Callable[[], datetime]
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
    )
    scheduler.add_job(
        lambda: jobs.plan_upcoming_reminders(db, settings.reminder_offsets, clock()),
        IntervalTrigger(seconds=PLAN_EVERY_S),
        id="plan-reminders",
        next_run_time=datetime.now(UTC),  # at start-up first: the bot may have been down
    )
    scheduler.add_job(
        lambda: jobs.plan_monthly_topic(
            db, settings.announce_channel, settings.announce_at, settings.timezone, clock()
        ),
        IntervalTrigger(seconds=PLAN_EVERY_S),
        id="plan-monthly-topic",
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        lambda: jobs.plan_miss_digest(db, settings.coordinators, settings.timezone, clock()),
        IntervalTrigger(seconds=PLAN_EVERY_S),
        id="plan-miss-digest",
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        dispatcher.run_once,
        IntervalTrigger(seconds=DISPATCH_EVERY_S),
        id="dispatch-deliveries",
        next_run_time=datetime.now(UTC),
    )
    return scheduler
