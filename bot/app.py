"""The composition root: one Bolt App, every handler module registered on it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack_client import build_client
from handlers import commands, errors, events
from handlers.commands import Clock
from storage.database import Database


def utc_clock() -> datetime:
    return datetime.now(UTC)


def bolt_logger() -> logging.Logger:
    # Bolt checks `logger.level <= DEBUG` (not isEnabledFor): NOTSET would build every debug line.
    logger = logging.getLogger("dei_bot.bolt")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    return logger


def create_app(
    settings: Settings,
    db: Database,
    *,
    client: WebClient | None = None,
    clock: Clock = utc_clock,
) -> App:
    # Bolt takes the token from the client, and copies its base_url and retry handlers.
    app = App(
        signing_secret=settings.signing_secret.value or None,
        client=client or build_client(settings),
        logger=bolt_logger(),
    )
    errors.register(app)
    commands.register(app, db=db, settings=settings, clock=clock)
    events.register(app)
    return app
