"""`/dei-topic <words>`'s buttons: the next page of results, and listing or withdrawing oneself
as a contact for what was looked up. (The search itself is answered through
`handlers.commands`, which sends every non-sub-command to `handlers.lookup_work.look_up`.) The
next page is a search too: it runs on the answer pool, as the first page does.

Listeners read ack, parse, do, render, send. Answers go to the clicker only.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers import blocks, lookup_blocks, lookup_peers, lookup_work
from handlers.answer_pool import AnswerPool
from handlers.replies import tell
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings
    from handlers.commands import Clock


def register(
    app: App, *, db: Database, settings: Settings, clock: Clock, answers: AnswerPool
) -> None:
    bound: dict[str, Any] = {"db": db, "settings": settings, "clock": clock}
    app.action(lookup_blocks.MORE_RESULTS)(partial(show_more_results, **bound, answers=answers))
    app.action(lookup_peers.VOLUNTEER)(partial(list_as_contact, **bound))
    app.action(lookup_peers.WITHDRAW)(partial(withdraw_as_contact, **bound))


def show_more_results(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
    answers: AnswerPool,
) -> None:
    ack()  # Slack gives us 3 s; the search happens after
    page = lookup_blocks.parse_more_value(action.get("value"))
    if page is None:
        tell(respond, client, body, lookup_blocks.stale_button())
        return
    words, offset = page
    user = body["user"]["id"]

    def answer() -> None:
        message = lookup_work.look_up(db, settings, user, words, clock(), offset)
        # The next page takes the place of the answer it was asked from.
        respond(response_type="ephemeral", replace_original=True, **message.kwargs())

    def too_busy() -> None:
        respond(response_type="ephemeral", **blocks.too_busy().kwargs())

    answers.submit(answer, body=body, respond=respond, too_busy=too_busy)


def list_as_contact(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    ack()
    practice = lookup_peers.practice_value(str(action.get("value") or ""))
    if not practice:
        tell(respond, client, body, lookup_blocks.stale_button())
        return
    tell(respond, client, body, lookup_work.volunteer(db, body["user"]["id"], practice, clock()))


def withdraw_as_contact(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    ack()
    practice = lookup_peers.practice_value(str(action.get("value") or ""))
    if not practice:
        tell(respond, client, body, lookup_blocks.stale_button())
        return
    tell(respond, client, body, lookup_work.withdraw(db, body["user"]["id"], practice))
