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
            "trigger_id": f"{int(time.time())}.1.{user}",
        }
    ).encode()


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
