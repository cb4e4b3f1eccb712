"""The App Home tab: published when a person opens it, refreshed when something on it changes
for them, and the Home's own controls (resource search, reminders, language, exports).

The Home also carries the RSVP, coaching and "New meeting" buttons; their own listeners
(`handlers.rsvp`, `handlers.coaching`, `handlers.agenda`) answer those clicks, and ask for a
refresh through `handlers.home_refresh`. Listeners read ack, parse, do, render, send; the doing
is in `handlers.home_work`.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import blocks, home_blocks, home_tool_blocks, home_work
from handlers.coaching_forms import field_text
from handlers.home_blocks import (
    LANGUAGE,
    REMINDERS,
    SEARCH_BLOCK,
    SEARCH_FORM,
    SEARCH_INPUT,
    SEARCH_RESOURCES,
)
from handlers.home_refresh import CONTEXT_KEY, HomeRefresher
from handlers.home_tool_blocks import EXPORT
from handlers.i18n import N_, _
from handlers.replies import tell
from handlers.speakers import forget_language
from storage.database import Database

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.config import Settings

EXPORTING = N_("exporting data")


def register(
    app: App,
    *,
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
    refresher: HomeRefresher | None = None,
) -> HomeRefresher:
    refresher = refresher or HomeRefresher()
    bound: dict[str, Any] = {"db": db, "settings": settings, "clock": clock}
    refresher.serve(partial(publish_home, client=app.client, **bound))
    app.middleware(partial(lend_refresher, refresher=refresher))
    app.event("app_home_opened")(partial(home_opened, refresher=refresher))
    app.action(SEARCH_RESOURCES)(open_search_form)
    app.view(SEARCH_FORM)(partial(answer_search, **bound))
    app.action(REMINDERS)(partial(change_reminders, refresher=refresher, **bound))
    app.action(LANGUAGE)(partial(choose_language, refresher=refresher, db=db))
    app.action(EXPORT)(partial(send_export, db=db, settings=settings))
    return refresher


def lend_refresher(context: BoltContext, next: Callable[[], None], *, refresher: Any) -> None:
    """Every listener can ask for a Home refresh (`home_refresh.refresh(context, users)`)."""
    context[CONTEXT_KEY] = refresher
    next()


def publish_home(
    user: str,
    *,
    client: WebClient,
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
) -> None:
    """Built when published, never when asked for: the Home always shows the latest state."""
    view = home_work.home_view(db, settings, user, clock())
    client.views_publish(user_id=user, view=view)


def home_opened(event: dict[str, Any], *, refresher: HomeRefresher) -> None:
    # A retried event only asks again for the same publish, which coalesces with the first.
    if event.get("tab") in (None, "home") and event.get("user"):
        refresher.opened(str(event["user"]))


def open_search_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=home_blocks.search_form())


def answer_search(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    *,
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
) -> None:
    words = field_text(view, SEARCH_BLOCK, SEARCH_INPUT)
    if not words:
        ack(response_action="errors", errors=home_blocks.search_words_missing())
        return
    # Looked up before the ack: the answer replaces the form, inside Slack's 3 s.
    results = home_work.search(db, settings, body["user"]["id"], words, clock())
    ack(response_action="update", view=home_blocks.search_form(words, results))


def change_reminders(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    *,
    db: Database,
    settings: Settings,
    clock: Callable[[], datetime],
    refresher: HomeRefresher,
) -> None:
    ack()
    user = body["user"]["id"]
    home_work.set_reminders(db, settings, user, str(action.get("value") or ""), clock())
    refresher.refresh([user])  # the Home says which way they are now


def choose_language(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    *,
    db: Database,
    refresher: HomeRefresher,
) -> None:
    ack()
    chosen = (action.get("selected_option") or {}).get("value")
    user = body["user"]["id"]
    if home_work.set_language(db, user, str(chosen or "")):
        forget_language(context, user)  # their very next answer is in it, not in a minute
        refresher.refresh([user])


def send_export(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
) -> None:
    ack()
    user = body["user"]["id"]
    if not settings.is_coordinator(user):
        tell(respond, client, body, blocks.coordinators_only(_(EXPORTING), settings.coordinators))
        return
    what = str((action.get("selected_option") or {}).get("value") or "")
    exported = home_work.export_table(db, what)
    if exported is None:
        tell(respond, client, body, home_tool_blocks.export_refused(what))
        return
    content, rows = exported
    caption = home_tool_blocks.export_caption(what, rows)
    dm = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        content=content,
        filename=f"dei-bot-{what}.csv",
        title=home_tool_blocks.export_name(what),
        initial_comment=caption.text,
    )
