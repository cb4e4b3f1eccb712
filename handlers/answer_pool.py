"""Work that follows an acknowledgement (a lookup, the calendar …) runs on a small pool of its
own, so a burst of searches never keeps Bolt's listener threads busy: those threads start the
next listeners, and every acknowledgement waits for one. The answer goes to the response_url,
which Slack accepts for 30 minutes.

Acknowledgements go first: Slack gives each 3 s, an answer has minutes. A lookup is mostly
Python, and two threads of it take the interpreter from the request threads in turns; so a
task waits until no request is between arriving and its acknowledgement, or YIELD_S at most
(under a steady stream of requests, answers still move on).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from handlers import errors, i18n

log = logging.getLogger("dei_bot.answers")

WORKERS = 2  # lookups are mostly CPU under one GIL: more threads only take turns from the acks
# Beyond this, say so at once rather than answer many minutes late (a lookup costs ~10 ms of
# CPU: 10,000 waiting is about two minutes of work on two cores).
MAX_WAITING = 10_000
YIELD_S = 0.5  # the longest a task waits for the requests in flight to be acknowledged


class Acknowledgements:
    """How many requests are being handled, from arrival to acknowledgement (see bot.app)."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.quiet = threading.Condition()

    @contextmanager
    def pending(self) -> Iterator[None]:
        with self.quiet:
            self.in_flight += 1
        try:
            yield
        finally:
            with self.quiet:
                self.in_flight -= 1
                if not self.in_flight:
                    self.quiet.notify_all()

    def wait_until_quiet(self, timeout: float) -> bool:
        """True if none was in flight before `timeout` seconds were up."""
        with self.quiet:
            return self.quiet.wait_for(lambda: not self.in_flight, timeout)


class AnswerPool:
    def __init__(
        self,
        *,
        workers: int = WORKERS,
        max_waiting: int = MAX_WAITING,
        acknowledgements: Acknowledgements | None = None,
        yield_s: float = YIELD_S,
    ) -> None:
        # Each task runs in its submitter's context: the reader's language goes with it.
        self.executor = i18n.ContextExecutor(max_workers=workers, thread_name_prefix="answer")
        self.max_waiting = max_waiting
        self.waiting = 0
        self.lock = threading.Lock()
        self.acknowledgements = acknowledgements
        self.yield_s = yield_s

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
            if self.acknowledgements is not None:
                self.acknowledgements.wait_until_quiet(self.yield_s)
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
