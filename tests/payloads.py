"""Requests as Slack sends them: form bodies, signed with v0 HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-bot-token-0123456789"
TEAM_ID = "T0DEIBOT1"
MEMBER = "U0MEMBER01"
COORDINATOR = "U0COORD001"


def signature_headers(
    body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command(
    text: str,
    *,
    user: str = MEMBER,
    response_url: str = "https://hooks.slack.com/commands/T0/1/x",
    command: str = "/dei-topic",
) -> bytes:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "dei-working-group",
            "channel_id": "C0GENERAL1",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0DEIBOT01",
            "response_url": response_url,
            "trigger_id": f"{int(time.time())}.1.{user}",
        }
    ).encode()


def event_callback(event: dict[str, Any], *, event_id: str = "Ev0000001") -> bytes:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0DEIBOT01",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": "U0DEIBOT1", "is_bot": True}],
        }
    ).encode()
