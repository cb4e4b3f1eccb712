"""The coordinators' agenda (new, edit and cancel a meeting; mark who attended) and the members'
"Check in" on the meeting announcement.

Listeners read ack, parse, do, render, send. The doing lives in `handlers/agenda_work` (one
transaction each, every ledger row written with the change that causes it). Coordinators only:
a forged click or form from anyone else is refused and changes nothing.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers import agenda_forms, agenda_work, attendance_work, blocks, home_refresh
from handlers.agenda_blocks import CANCEL_MEETING, EDIT_MEETING, MARK_ATTENDANCE, NEW_MEETING
from handlers.agenda_modals import ATTENDANCE_FORM, MEETING_FORM
from handlers.announcement_blocks import CHECK_IN
from handlers.i18n import N_, _
from handlers.replies import finish_submission, refuse_submission, tell
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings
    from handlers.commands import Clock

# What a non-coordinator tried, in "Sorry, … is for the working group's coordinators".
AGENDAS = N_("posting an agenda")
ATTENDANCE = N_("marking attendance")


def register(app: App, *, db: Database, settings: Settings, clock: Clock) -> None:
    bound: dict[str, Any] = {"db": db, "settings": settings, "clock": clock}
    app.action(NEW_MEETING)(partial(open_meeting_form, **bound))
    app.action(EDIT_MEETING)(partial(open_meeting_form, **bound))
    app.action(CANCEL_MEETING)(partial(cancel_meeting, **bound))
    app.view(MEETING_FORM)(partial(save_meeting, **bound))
    app.action(MARK_ATTENDANCE)(partial(open_attendance_form, **bound))
    app.view(ATTENDANCE_FORM)(partial(save_attendance, **bound))
    app.action(CHECK_IN)(partial(check_in, **bound))


def open_meeting_form(
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
        tell(respond, client, body, blocks.coordinators_only(_(AGENDAS), settings.coordinators))
        return
    editing = str(action.get("value") or "") if action.get("action_id") == EDIT_MEETING else None
    # The trigger_id lives 3 s: one quick read, then straight to views.open.
    view = agenda_work.meeting_form_view(db, settings, editing, clock())
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_meeting(
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
    if not settings.is_coordinator(user):
        refuse_submission(ack, blocks.coordinators_only(_(AGENDAS), settings.coordinators))
        return
    form = agenda_forms.parse_meeting_form(view)
    # Saved before the ack: a save that fails must not close the form as if it had worked.
    result = agenda_work.store_meeting(db, settings, form, user, clock())
    finish_submission(ack, client, user, result)
    if not isinstance(result, dict):  # saved, not sent back with field errors
        home_refresh.refresh_everyone(context)


def cancel_meeting(
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
    if settings.is_coordinator(user):
        key = str(action.get("value") or "")
        answer = agenda_work.cancel_meeting(db, settings, key, user, clock())
        home_refresh.refresh_everyone(context)
    else:
        answer = blocks.coordinators_only(_(AGENDAS), settings.coordinators)
    tell(respond, client, body, answer)


def open_attendance_form(
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
        tell(respond, client, body, blocks.coordinators_only(_(ATTENDANCE), settings.coordinators))
        return
    key = str(action.get("value") or "")
    view = attendance_work.attendance_form_view(db, settings, key, clock())
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_attendance(
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
        refuse_submission(ack, blocks.coordinators_only(_(ATTENDANCE), settings.coordinators))
        return
    form = agenda_forms.parse_attendance_form(view)
    result = attendance_work.store_attendance(db, settings, form, user, clock())
    finish_submission(ack, client, user, result)


def check_in(
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
    ack()  # Slack gives us 3 s; the check-in is stored right after
    key = str(action.get("value") or "")
    answer = attendance_work.check_in(db, settings, key, body["user"]["id"], clock())
    tell(respond, client, body, answer)
