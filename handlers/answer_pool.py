"""Work that follows an acknowledgement (a lookup, the calendar …) runs on a small pool of its
own, so a burst of searches never keeps Bolt's listener threads busy: those threads start the
next listeners, and every acknowledgement waits for one. The answer goes to the response_url,
which Slack accepts for 30 minutes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from handlers import errors, i18n

log = logging.getLogger("dei_bot.answers")

WORKERS = 2  # lookups are mostly CPU under one GIL: more threads only take turns from the acks
# Beyond this, say so at once rather than answer many minutes late (a lookup costs ~10 ms of
# CPU: 10,000 waiting is about two minutes of work on two cores).
MAX_WAITING = 10_000


class AnswerPool:
    def __init__(self, *, workers: int = WORKERS, max_waiting: int = MAX_WAITING) -> None:
        # Each task runs in its submitter's context: the reader's language goes with it.
        self.executor = i18n.ContextExecutor(max_workers=workers, thread_name_prefix="answer")
        self.max_waiting = max_waiting
        self.waiting = 0
        self.lock = threading.Lock()

    def submit(
        self,
        work: Callable[[], None],
        *,
        body: dict[str, Any],
        respond: Any,
        too_busy: Callable[[], None],
    ) -> None:
        """Runs `work` soon; if too much is queued, `too_busy` tells the person now instead.
        A failure is logged and the person told, as a listener's would be (handlers/errors.py)."""
        with self.lock:
            full = self.waiting >= self.max_waiting
            if not full:
                self.waiting += 1
        if full:
            too_busy()
            return

        def run() -> None:
            try:
                work()
            except Exception as error:
                errors.tell_the_person(error, body, respond)
            finally:
                with self.lock:
                    self.waiting -= 1

        self.executor.submit(run)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)
