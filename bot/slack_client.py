"""The Web API client: Slack, GovSlack or the stand-in, by `SLACK_API_URL`."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.config import Settings

# Bolt copies these onto the client it builds per request, so listeners get them too.
RETRIES = 3


def retry_handlers() -> list[RetryHandler]:
    return [
        RateLimitErrorRetryHandler(max_retry_count=RETRIES),  # sleeps Retry-After, then retries
        ServerErrorRetryHandler(max_retry_count=RETRIES),
        ConnectionErrorRetryHandler(max_retry_count=RETRIES),
    ]


def build_client(settings: Settings, *, timeout: int = 10) -> WebClient:
    return WebClient(
        token=settings.bot_token.value or None,
        base_url=settings.api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )


def build_dispatch_client(settings: Settings) -> WebClient:
    """No hidden retries: the delivery ledger handles 429s, 5xx and timeouts itself, per row."""
    return WebClient(token=settings.bot_token.value or None, base_url=settings.api_url, timeout=10)
