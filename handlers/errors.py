"""The one place an unexpected error ends: logged with context, and the person told."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from handlers import blocks

log = logging.getLogger("dei_bot.errors")


def register(app: App) -> None:
    app.error(tell_the_person)


def request_context(body: dict[str, Any]) -> dict[str, Any]:
    """What happened and to whom, without tokens or what the person typed."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    what = (
        body.get("command")
        or (body.get("event") or {}).get("type")
        or ",".join(action.get("action_id", "?") for action in body.get("actions") or [])
        or (body.get("view") or {}).get("callback_id")
        or body.get("type")
    )
    return {"what": what, "user": user, "team": body.get("team_id")}


def tell_the_person(error: Exception, body: dict[str, Any], respond: Any = None) -> None:
    context = request_context(body or {})
    if isinstance(error, SlackApiError):
        log.error(
            "Slack refused a call while handling %(what)s for %(user)s: %(error)s",
            {**context, "error": error.response.get("error")},
        )
    else:
        log.exception("Error while handling %(what)s for %(user)s", context)
    if respond is not None and (body or {}).get("response_url"):
        try:
            respond(response_type="ephemeral", **blocks.something_went_wrong().kwargs())
        except Exception:
            log.exception("Could not tell %(user)s about the error", context)
