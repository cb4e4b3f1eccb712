"""The composition root: one Bolt App, every handler module registered on it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack_client import build_client
from handlers import (
    agenda,
    coaching,
    commands,
    errors,
    home,
    i18n,
    lookup,
    resource_curation,
    rsvp,
    speakers,
)
from handlers.answer_pool import Acknowledgements, AnswerPool
from handlers.commands import Clock
from handlers.home_refresh import HomeRefresher
from storage.database import Database


def utc_clock() -> datetime:
    return datetime.now(UTC)


LISTENER_THREADS = 16  # Bolt's default is 5; acks wait on these under a burst of clicks


class NotTheTokenWarning(logging.Filter):
    """Bolt falls back to SLACK_BOT_TOKEN from the environment, then warns that our client's
    token wins: it is the same token, so the warning is only noise at every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def bolt_logger() -> logging.Logger:
    # Bolt checks `logger.level <= DEBUG` (not isEnabledFor): NOTSET would build every debug line.
    logger = logging.getLogger("dei_bot.bolt")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    if not any(isinstance(f, NotTheTokenWarning) for f in logger.filters):
        logger.addFilter(NotTheTokenWarning())
    return logger


class DeiBotApp(App):
    """Bolt's App, counting the requests on their way to an acknowledgement: the answer pool
    lets them go first. Both HTTP and Socket Mode hand every request to `dispatch`, which
    returns once the listener has acknowledged."""

    def __init__(self, *, acknowledgements: Acknowledgements, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.acknowledgements = acknowledgements

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with self.acknowledgements.pending():
            return super().dispatch(req)


def create_app(
    settings: Settings,
    db: Database,
    *,
    client: WebClient | None = None,
    clock: Clock = utc_clock,
    home_refresher: HomeRefresher | None = None,
) -> App:
    acknowledgements = Acknowledgements()
    # Bolt takes the token from the client, and copies its base_url and retry handlers.
    app = DeiBotApp(
        acknowledgements=acknowledgements,
        signing_secret=settings.signing_secret.value or None,
        client=client or build_client(settings),
        logger=bolt_logger(),
        # Listeners run in the request's context: the language the middleware chose reaches them.
        listener_executor=i18n.ContextExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="bolt-listener"
        ),
    )
    app.middleware(partial(speakers.speak_their_language, speakers=speakers.Speakers(db)))
    errors.register(app)
    # Searches (a lookup and its next pages) and the other answers that follow an acknowledgement.
    answers = AnswerPool(acknowledgements=acknowledgements)
    commands.register(app, db=db, settings=settings, clock=clock, answers=answers)
    coaching.register(app, db=db, settings=settings, clock=clock)
    agenda.register(app, db=db, settings=settings, clock=clock)
    rsvp.register(app, db=db, settings=settings, clock=clock)
    lookup.register(app, db=db, settings=settings, clock=clock, answers=answers)
    resource_curation.register(app, db=db, settings=settings, clock=clock)
    # The sandbox and the tests pass their own refresher, to watch it or to change its pace.
    home.register(app, db=db, settings=settings, clock=clock, refresher=home_refresher)
    return app
