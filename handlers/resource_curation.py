"""Growing the resource repository from Slack: members suggest, coordinators approve, edit or
reject suggestions, and add, edit and retire resources directly.

Listeners read ack, parse, do, render, send; the doing lives in `handlers/resource_curation_work`.
A forged click or form from anyone but a coordinator (approve, edit, retire, add) changes nothing
and gets a polite refusal naming the coordinators.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import blocks, home_refresh, lookup_blocks
from handlers import resource_curation_blocks as rcb
from handlers import resource_curation_forms as forms
from handlers import resource_curation_modals as rcm
from handlers import resource_curation_work as work
from handlers.i18n import N_, _
from handlers.replies import finish_submission, refuse_submission, tell
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings
    from handlers.commands import Clock

MANAGING = N_("managing the resource repository")


def register(app: App, *, db: Database, settings: Settings, clock: Clock) -> None:
    bound: dict[str, Any] = {"db": db, "settings": settings, "clock": clock}
    app.action(rcb.SUGGEST_RESOURCE)(partial(open_resource_form, **bound))
    app.action(rcb.EDIT_RESOURCE)(partial(open_resource_form, **bound))
    app.action(rcb.EDIT_SUGGESTION)(partial(open_resource_form, **bound))
    app.view(rcm.RESOURCE_FORM)(partial(save_resource, **bound))
    app.action(rcb.RETIRE_RESOURCE)(partial(retire_resource, **bound))
    app.action(rcb.APPROVE_SUGGESTION)(partial(approve_suggestion, **bound))
    app.action(rcb.REJECT_SUGGESTION)(partial(open_reject_form, **bound))
    app.view(rcm.REJECT_FORM)(partial(save_rejection, **bound))


def purpose_of_click(action: dict[str, Any], coordinator: bool) -> forms.FormPurpose | None:
    value = str(action.get("value") or "")
    if action.get("action_id") == rcb.EDIT_RESOURCE:
        return forms.parse_purpose(f"{rcb.EDIT}:{value}")
    if action.get("action_id") == rcb.EDIT_SUGGESTION:
        return forms.parse_purpose(f"{rcb.REVIEW}:{value}")
    return forms.FormPurpose(rcb.ADD if coordinator else rcb.SUGGEST)


def open_resource_form(
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
    coordinator = settings.is_coordinator(body["user"]["id"])
    purpose = purpose_of_click(action, coordinator)
    if purpose is None:
        tell(respond, client, body, lookup_blocks.stale_button())
        return
    if purpose.needs_coordinator and not coordinator:
        tell(respond, client, body, blocks.coordinators_only(_(MANAGING), settings.coordinators))
        return
    # The trigger_id lives 3 s: at most one quick read, then straight to views.open.
    client.views_open(trigger_id=body["trigger_id"], view=work.resource_form_view(db, purpose))


def save_resource(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    user = body["user"]["id"]
    purpose = forms.parse_purpose(view.get("private_metadata"))
    if purpose is None or (purpose.needs_coordinator and not settings.is_coordinator(user)):
        refuse_submission(ack, blocks.coordinators_only(_(MANAGING), settings.coordinators))
        return
    form = forms.parse_resource_form(view)
    # Saved before the ack: a save that fails must not close the form as if it had worked.
    result = work.store_resource(db, settings, purpose, form, user, clock())
    finish_submission(ack, client, user, result)
    home_refresh.refresh(context, settings.coordinators)  # their Home lists waiting suggestions


def retire_resource(
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
    ack()  # Slack asked "Retire this resource?" before sending the click
    user = body["user"]["id"]
    if settings.is_coordinator(user):
        answer = work.retire(db, str(action.get("value") or ""), user, clock())
    else:
        answer = blocks.coordinators_only(_(MANAGING), settings.coordinators)
    tell(respond, client, body, answer)


def approve_suggestion(
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
    user = body["user"]["id"]
    if not settings.is_coordinator(user):
        tell(respond, client, body, blocks.coordinators_only(_(MANAGING), settings.coordinators))
        return
    suggestion_id = forms.parse_suggestion_id(action.get("value"))
    if suggestion_id is None:
        tell(respond, client, body, rcb.no_such_suggestion())
        return
    answer = work.approve(db, settings, suggestion_id, user, clock())
    if body.get("response_url"):
        # The review DM becomes the decision at once (the ledger edits the other coordinators').
        respond(replace_original=True, **answer.kwargs())
    else:
        tell(respond, client, body, answer)
    home_refresh.refresh(context, settings.coordinators)  # no longer waiting on their Home


def open_reject_form(
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
        tell(respond, client, body, blocks.coordinators_only(_(MANAGING), settings.coordinators))
        return
    suggestion_id = forms.parse_suggestion_id(action.get("value"))
    if suggestion_id is None:
        tell(respond, client, body, rcb.no_such_suggestion())
        return
    client.views_open(trigger_id=body["trigger_id"], view=work.reject_form_view(db, suggestion_id))


def save_rejection(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    user = body["user"]["id"]
    suggestion_id = forms.parse_suggestion_id(view.get("private_metadata"))
    if suggestion_id is None or not settings.is_coordinator(user):
        refuse_submission(ack, blocks.coordinators_only(_(MANAGING), settings.coordinators))
        return
    reason = forms.parse_reason(view)
    errors = forms.reason_errors(reason)
    if errors:
        finish_submission(ack, client, user, errors)
        return
    answer = work.reject(db, settings, suggestion_id, reason, user, clock())
    finish_submission(ack, client, user, answer)
    home_refresh.refresh(context, settings.coordinators)  # no longer waiting on their Home
