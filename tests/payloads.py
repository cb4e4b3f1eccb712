"""Requests as Slack sends them, with the test workspace's secrets and people."""

from __future__ import annotations

from typing import Any

from slack_standin import signed

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-test-bot-token-0123456789"
TEAM_ID = signed.TEAM_ID
MEMBER = "U0MEMBER01"
COORDINATOR = "U0COORD001"


def signature_headers(
    body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    content_type = "application/json" if body.startswith(b"{") else None
    return signed.signature_headers(body, secret, timestamp=timestamp, content_type=content_type)


def slash_command(
    text: str,
    *,
    user: str = MEMBER,
    response_url: str = "https://hooks.slack.com/commands/T0/1/x",
    trigger_id: str | None = None,
) -> bytes:
    return signed.slash_command_body(
        text, user=user, response_url=response_url, trigger_id=trigger_id
    )


def event_callback(event: dict[str, Any], *, event_id: str = "Ev0000001") -> bytes:
    return signed.event_callback_body(event, event_id=event_id)


def block_action(
    action_id: str,
    value: str | None = None,
    *,
    user: str = MEMBER,
    response_url: str = "https://hooks.slack.com/actions/T0/1/x",
    **click: Any,
) -> bytes:
    return signed.block_actions_body(
        action_id, user=user, value=value, response_url=response_url, **click
    )


def view_submission(
    view: dict[str, Any], values: dict[str, dict[str, dict[str, Any]]], *, user: str = MEMBER
) -> bytes:
    return signed.view_submission_body(view, values, user=user)
