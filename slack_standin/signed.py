"""What Slack sends to an app: payloads signed with the v0 scheme, posted over HTTP.

Shared by the tests and `dei-bot sandbox`, so both speak to the app exactly as Slack does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

TEAM_ID = "T0DEIBOT1"
APP_ID = "A0DEIBOT01"


def signature_headers(
    body: bytes, secret: str, *, timestamp: int | None = None, content_type: str | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type or "application/x-www-form-urlencoded",
    }


def slash_command_body(
    text: str,
    *,
    user: str,
    response_url: str,
    command: str = "/dei-topic",
    channel: str = "C0GENERAL1",
    trigger_id: str | None = None,
) -> bytes:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "dei-working-group",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": response_url,
            "trigger_id": trigger_id or f"{int(time.time())}.1.{user}",
        }
    ).encode()


def _person(user: str) -> dict[str, Any]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID}


def _team() -> dict[str, Any]:
    return {"id": TEAM_ID, "domain": "dei-working-group"}


def _interaction(payload: dict[str, Any]) -> bytes:
    """Interactions come as a form with one field, `payload`, holding the JSON."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_actions_body(
    action_id: str,
    *,
    user: str,
    value: str | None = None,
    block_id: str | None = None,
    response_url: str | None = None,
    trigger_id: str | None = None,
    message: dict[str, Any] | None = None,
    channel: str = "C0GENERAL1",
    ephemeral: bool = False,
    view: dict[str, Any] | None = None,
    element_type: str = "button",
    label: str | None = None,
    chosen: dict[str, Any] | None = None,
    action_ts: float | None = None,
) -> bytes:
    """A button click, or a choice in a select (`element_type` "static_select" …, with `chosen`
    holding what Slack sends for it, e.g. `{"selected_option": {...}}`). On a message
    (`message`: what the stand-in stored, with its `ts`, or nothing for an ephemeral one) Slack
    sends a `response_url`; in a view (a modal, or the App Home tab) it sends the view instead.

    The block_id defaults to the one the element sits in when `message` carries it;
    `action_ts` (when the person clicked) to now.
    """
    if block_id is None and message is not None:
        block_id = next(
            (
                str(block.get("block_id"))
                for block in message.get("blocks") or []
                for element in block.get("elements") or []
                if isinstance(element, dict) and element.get("action_id") == action_id
            ),
            None,
        )
    action: dict[str, Any] = {
        "type": element_type,
        "action_id": action_id,
        "block_id": block_id or "block",
        "action_ts": f"{time.time() if action_ts is None else action_ts:.6f}",
    }
    if element_type == "button":
        action["text"] = {"type": "plain_text", "text": label or action_id, "emoji": True}
    if value is not None:
        action["value"] = value
    action.update(chosen or {})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _person(user),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id or f"{time.time_ns()}.1.{user}",
        "team": _team(),
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": {}},
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0")}
        payload["view"] = view  # a modal's or the Home tab's: no channel, no response_url
    else:
        ts = str((message or {}).get("ts") or f"{time.time():.6f}")
        payload["container"] = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral or message is None,
        }
        payload["channel"] = {"id": channel, "name": "directmessage"}
        if message is not None and not ephemeral:
            payload["message"] = message
        payload["response_url"] = response_url or "https://hooks.slack.com/actions/T0/1/x"
    return _interaction(payload)


def view_submission_body(
    view: dict[str, Any],
    values: dict[str, dict[str, dict[str, Any]]],
    *,
    user: str,
    trigger_id: str | None = None,
) -> bytes:
    """A modal's Submit: `view` as it was opened (callback_id, private_metadata …) and the
    `values` Slack gathered, `{block_id: {action_id: {"type": …, <value fields>}}}`."""
    submitted = {
        "id": view.get("id", f"V{time.time_ns() % 10**10}"),
        "team_id": TEAM_ID,
        "type": "modal",
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": values},
        "hash": view.get("hash", "1.abc"),
        "title": view.get("title", {"type": "plain_text", "text": "Form"}),
        "app_id": APP_ID,
    }
    payload = {
        "type": "view_submission",
        "team": _team(),
        "user": _person(user),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id or f"{time.time_ns()}.1.{user}",
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _interaction(payload)


def event_callback_body(event: dict[str, Any], *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.time_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U0DEIBOT1", "is_bot": True}],
        }
    ).encode()


class SignedPoster:
    """Posts signed requests to an app's events URL; answers (status, parsed JSON or None)."""

    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.signing_secret = signing_secret

    def post(
        self, body: bytes, content_type: str | None = None
    ) -> tuple[int, dict[str, Any] | None]:
        headers = signature_headers(body, self.signing_secret, content_type=content_type)
        request = urllib.request.Request(self.url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, None

    def slash_command(
        self, text: str, *, user: str, response_url: str
    ) -> tuple[int, dict[str, Any] | None]:
        return self.post(slash_command_body(text, user=user, response_url=response_url))

    def event(self, event: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        return self.post(event_callback_body(event), content_type="application/json")

    def block_action(
        self, action_id: str, *, user: str, **click: Any
    ) -> tuple[int, dict[str, Any] | None]:
        return self.post(block_actions_body(action_id, user=user, **click))

    def view_submission(
        self, view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]], *, user: str
    ) -> tuple[int, dict[str, Any] | None]:
        return self.post(view_submission_body(view, values, user=user))
