"""Events Slack sends us. Retries (`X-Slack-Retry-Num`) must not act twice."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from handlers import blocks


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)


def publish_home(event: dict[str, Any], client: WebClient) -> None:
    # Publishing the same view twice is harmless, so a retried event needs no bookkeeping here.
    if event.get("tab") not in (None, "home"):
        return
    client.views_publish(user_id=event["user"], view=blocks.home_view())
