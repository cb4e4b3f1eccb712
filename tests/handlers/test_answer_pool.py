"""The pool that answers after the acknowledgement: the reader's language goes with the work,
a full queue says so at once, and a failure is told to the person."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.app import create_app
from bot.config import Secret, Settings
from handlers import i18n, lookup
from handlers import lookup_blocks as lb
from handlers.answer_pool import Acknowledgements, AnswerPool
from slack_standin import SlackStandIn
from storage.database import Database
from tests.payloads import BOT_TOKEN, SIGNING_SECRET, signature_headers, slash_command

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


def test_answers_wait_for_the_requests_in_flight_to_be_acknowledged() -> None:
    acks = Acknowledgements()
    pool, ran = AnswerPool(workers=1, acknowledgements=acks, yield_s=5.0), threading.Event()
    request = acks.pending()
    request.__enter__()  # a request arrived and is not acknowledged yet

    pool.submit(ran.set, body=BODY, respond=Answers(), too_busy=lambda: None)
    assert not ran.wait(0.3)

    request.__exit__(None, None, None)  # acknowledged: the answer goes on at once
    assert ran.wait(1.0)
    pool.shutdown()


def test_under_a_steady_stream_of_requests_answers_still_move_on() -> None:
    acks = Acknowledgements()
    pool = AnswerPool(workers=1, acknowledgements=acks, yield_s=0.2)
    done: list[float] = []
    with acks.pending():  # never quiet while the answers are due
        started = time.monotonic()
        for _ in range(3):
            pool.submit(
                lambda: done.append(time.monotonic() - started),
                body=BODY,
                respond=Answers(),
                too_busy=lambda: None,
            )
        pool.shutdown()

    assert len(done) == 3
    assert 0.15 < done[0] < 1.0 and done[-1] < 2.0  # each waited its 0.2 s, then ran


def test_the_app_counts_a_request_until_its_acknowledgement(
    sqlite_db: Database, standin: SlackStandIn
) -> None:
    settings = Settings(signing_secret=Secret(SIGNING_SECRET), bot_token=Secret(BOT_TOKEN))
    client = WebClient(token=BOT_TOKEN, base_url=standin.api_url)
    app = create_app(settings, sqlite_db, client=client)
    seen: list[int] = []

    def watch(next: Callable[[], BoltResponse]) -> BoltResponse:
        seen.append(app.acknowledgements.in_flight)
        return next()

    app.middleware(watch)
    body = slash_command("help").decode()
    request = BoltRequest(body=body, headers=signature_headers(body.encode()))

    response = app.dispatch(request)

    assert response.status == 200 and "/dei-topic" in response.body  # help, in the ack
    assert seen == [1] and app.acknowledgements.in_flight == 0


def test_the_next_page_of_results_is_answered_by_the_pool_behind_acknowledgements(
    sqlite_db: Database,
) -> None:
    acks = Acknowledgements()
    pool, respond = AnswerPool(workers=1, acknowledgements=acks, yield_s=5.0), Answers()
    body = {"user": {"id": "U0MEMBER01"}, "response_url": "https://x/1", "type": "block_actions"}
    action = {"action_id": lb.MORE_RESULTS, "value": lb.more_value("hiring", 5)}
    request = acks.pending()
    request.__enter__()  # another request, not acknowledged yet
    acked = threading.Event()

    lookup.show_more_results(
        lambda: acked.set(),
        body,
        action,
        respond,
        WebClient(token=BOT_TOKEN),
        db=sqlite_db,
        settings=Settings(),
        clock=lambda: datetime(2027, 4, 15, tzinfo=UTC),
        answers=pool,
    )
    assert acked.is_set() and respond.sent == []  # acknowledged at once; the search waits

    request.__exit__(None, None, None)
    pool.shutdown()
    (page,) = respond.sent
    assert page["replace_original"] is True and page["response_type"] == "ephemeral"
    assert "hiring" in page["text"]
