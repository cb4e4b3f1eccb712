"""Coaching and reminder clicks: "can't make it", "stop these reminders", a question for the
coach, and the coordinators' schedule / edit / cancel of coaching sessions.

Listeners read ack, parse, do, render, send. The doing lives in `handlers/coaching_work`
(one transaction each, every ledger row written with the change that causes it).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import (
    blocks,
    coaching_answers,
    coaching_forms,
    coaching_modals,
    coaching_work,
    home_refresh,
    reminder_answers,
)
from handlers.blocks import Message
from handlers.coaching_blocks import CANCEL_SESSION, EDIT_SESSION, SCHEDULE_SESSION
from handlers.coaching_modals import QUESTION_FORM, SESSION_FORM
from handlers.i18n import N_, _
from handlers.reminder_blocks import ASK_COACH, CANT_MAKE_IT, STOP_REMINDERS
from handlers.replies import finish_submission, refuse_submission, tell
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings
    from handlers.commands import Clock

SCHEDULING = N_("scheduling coaching sessions")  # "Sorry, {feature} is for coordinators."


def register(app: App, *, db: Database, settings: Settings, clock: Clock) -> None:
    bound: dict[str, Any] = {"db": db, "settings": settings, "clock": clock}
    app.action(CANT_MAKE_IT)(partial(answer_cant_make_it, **bound))
    app.action(STOP_REMINDERS)(partial(stop_reminders, **bound))
    app.action(ASK_COACH)(partial(open_question_form, **bound))
    app.view(QUESTION_FORM)(partial(save_question, **bound))
    app.action(SCHEDULE_SESSION)(partial(open_session_form, **bound))
    app.action(EDIT_SESSION)(partial(open_session_form, **bound))
    app.action(CANCEL_SESSION)(partial(cancel_session, **bound))
    app.view(SESSION_FORM)(partial(save_session, **bound))


def send_answer(respond: Respond, client: WebClient, body: dict[str, Any], answer: Message) -> None:
    """On a DM the bot sent, the buttons become the answer; on an ephemeral list (or anywhere
    else) the answer comes as a new message only the person sees."""
    original = body.get("message")
    if (
        body.get("response_url")
        and original
        and not (body.get("container") or {}).get("is_ephemeral")
    ):
        respond(
            replace_original=True, **coaching_answers.with_confirmation(original, answer).kwargs()
        )
    else:
        tell(respond, client, body, answer)


def answer_cant_make_it(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    ack()
    target = coaching_forms.parse_target(action.get("value"))
    user = body["user"]["id"]
    if target is None:
        answer = coaching_answers.not_found("session")
    elif target.kind == "meeting":
        answer = coaching_work.decline_meeting(db, settings, target.key, user, clock())
    else:
        answer = coaching_work.decline_coaching(db, settings, target.key, user, clock())
    send_answer(respond, client, body, answer)
    home_refresh.refresh(context, [user])  # their RSVP or session on the Home changed


def stop_reminders(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    ack()
    coaching_work.turn_reminders_off(db, body["user"]["id"], clock())
    send_answer(respond, client, body, reminder_answers.reminders_turned_off())
    home_refresh.refresh(context, [body["user"]["id"]])  # the Home shows the reminder setting


def open_question_form(
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
    target = coaching_forms.parse_target(action.get("value"))
    key = target.key if target and target.kind == "coaching" else None
    found = coaching_work.question_target(db, key, body["user"]["id"], clock())
    if isinstance(found, str):
        send_answer(respond, client, body, coaching_answers.question_closed(found))
        return
    # The trigger_id lives 3 s: one quick read above, then straight to views.open.
    view = coaching_modals.question_form(found, settings.timezone)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_question(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    user = body["user"]["id"]
    form = coaching_forms.parse_question_form(view)
    result = coaching_forms.question_errors(form) or coaching_work.store_question(
        db, settings, form, user, clock()
    )
    finish_submission(ack, client, user, result)


def open_session_form(
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
    if not settings.is_coordinator(body["user"]["id"]):
        refusal = blocks.coordinators_only(_(SCHEDULING), settings.coordinators)
        send_answer(respond, client, body, refusal)
        return
    editing = action.get("value") if action.get("action_id") == EDIT_SESSION else None
    view = coaching_work.session_form_view(db, editing)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_session(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    user = body["user"]["id"]
    if not settings.is_coordinator(user):
        refuse_submission(ack, blocks.coordinators_only(_(SCHEDULING), settings.coordinators))
        return
    form = coaching_forms.parse_session_form(view)
    # Saved before the ack: a save that fails must not close the form as if it had worked.
    result = coaching_work.store_session(db, settings, form, user, clock())
    finish_submission(ack, client, user, result)


def cancel_session(
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
    user = body["user"]["id"]
    if settings.is_coordinator(user):
        key = str(action.get("value") or "")
        answer = coaching_work.cancel_coaching_session(db, settings, key, user, clock())
    else:
        answer = blocks.coordinators_only(_(SCHEDULING), settings.coordinators)
    send_answer(respond, client, body, answer)
