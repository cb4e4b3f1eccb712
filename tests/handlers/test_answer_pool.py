"""The pool that answers after the acknowledgement: the reader's language goes with the work,
a full queue says so at once, and a failure is told to the person."""

from __future__ import annotations

import threading
from typing import Any

from handlers import i18n
from handlers.answer_pool import AnswerPool

BODY = {"user_id": "U0MEMBER01", "command": "/dei-topic", "response_url": "https://x/1"}


class Answers:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.sent.append(kwargs)


def test_work_runs_in_the_submitters_language() -> None:
    pool, seen, done = AnswerPool(workers=1), [], threading.Event()

    def work() -> None:
        seen.append(i18n.current())
        done.set()

    with i18n.speaking("es"):
        pool.submit(work, body=BODY, respond=Answers(), too_busy=lambda: None)
    assert done.wait(5) and seen == ["es"]
    pool.shutdown()


def test_a_full_queue_answers_too_busy_at_once_and_runs_nothing_more() -> None:
    pool, release, ran, busy = AnswerPool(workers=1, max_waiting=2), threading.Event(), [], []
    for number in range(3):
        pool.submit(
            lambda n=number: (release.wait(5), ran.append(n)),
            body=BODY,
            respond=Answers(),
            too_busy=lambda n=number: busy.append(n),
        )
    assert busy == [2]
    release.set()
    pool.shutdown()
    assert ran == [0, 1]
    # Once the queue drained, work is taken again.
    pool = AnswerPool(workers=1, max_waiting=2)
    pool.submit(lambda: ran.append(3), body=BODY, respond=Answers(), too_busy=lambda: None)
    pool.shutdown()
    assert ran == [0, 1, 3]


def test_a_failure_is_told_to_the_person() -> None:
    pool, respond = AnswerPool(workers=1), Answers()

    def broken() -> None:
        raise RuntimeError("the database went away")

    pool.submit(broken, body=BODY, respond=respond, too_busy=lambda: None)
    pool.shutdown()
    (told,) = respond.sent
    assert told["response_type"] == "ephemeral" and told["text"].startswith("Sorry, something")
