"""Logging with secrets scrubbed from every record, whatever library wrote it."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

TOKEN_PATTERN = re.compile(r"\b(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)")
REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        cleaned = self.redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


def configure_logging(secrets: Iterable[str] = (), level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # A queue of more requests than threads is normal under a burst; one line each is noise.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # The clock ticks every second; its "job executed" lines say nothing the dispatcher doesn't.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # A long fan-out overlaps the next tick, which APScheduler skips and reports each second.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    # Alembic announces its dialect on every schema check; `dei-bot db upgrade` says what it did.
    logging.getLogger("alembic").setLevel(logging.WARNING)
