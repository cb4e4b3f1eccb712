"""What composing a ledger row can come to: a message, a reason not to send it, or "not yet"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Upload:
    """A file shared in a thread (the meeting's .ics under its announcement)."""

    filename: str
    title: str
    content: bytes
    thread_ts: str


@dataclass(frozen=True)
class Outgoing:
    text: str
    blocks: list[dict[str, Any]]
    update: tuple[str, str] | None = None  # (channel, ts) of a message to edit instead of post
    upload: Upload | None = None


@dataclass(frozen=True)
class Unwanted:
    reason: str
    expired: bool = False  # too late to be useful, rather than no longer wanted


@dataclass(frozen=True)
class Later:
    """Not yet: Slack's pace for this message says wait until `until`."""

    until: datetime
