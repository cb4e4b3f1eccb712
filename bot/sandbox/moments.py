"""The sandbox's clock, which the person at the prompt moves forward, and the moments they type
("tomorrow 9:00", "2027-01-12 10:00", "1h")."""

from __future__ import annotations

import re
import threading
import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import parse_duration

MOMENT_EXAMPLES = "tomorrow 9:00, today 13:30, 2027-01-12 10:00 or 2027-01-12"
_DAY = re.compile(r"(today|tomorrow|\d{4}-\d{2}-\d{2})(?:\s+(?:at\s+)?(\d{1,2}):(\d{2}))?")


class SandboxClock:
    """The bot's `now`: it starts at `start` and runs, and the person at the prompt can move it
    forward. A fixed start keeps the sample data's calendar ahead, whatever today's date is, and
    makes a script's output the same on every run."""

    def __init__(self, start: datetime) -> None:
        self._start = start.astimezone(UTC)
        self._began = time_module.monotonic()
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            ran = timedelta(seconds=time_module.monotonic() - self._began)
            return self._start + ran + self._offset

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self._offset += by


def parse_moment(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """A moment typed in `zone`: a day (today, tomorrow, YYYY-MM-DD) and an optional time."""
    match = _DAY.fullmatch(" ".join(text.casefold().split()))
    if match is None:
        raise ValueError(f"try a moment like {MOMENT_EXAMPLES}")
    day_word, hour, minute = match.groups()
    today = now.astimezone(zone).date()
    if day_word == "today":
        day = today
    elif day_word == "tomorrow":
        day = today + timedelta(days=1)
    else:
        day = date.fromisoformat(day_word)
    at = time(int(hour), int(minute)) if hour is not None else time(0, 0)
    return datetime.combine(day, at, tzinfo=zone)


def parse_wait(text: str, now: datetime, zone: ZoneInfo) -> timedelta:
    """How far `wait 1h` or `wait until tomorrow 9:00` moves the clock; ValueError says why not."""
    words = text.strip()
    if words.startswith("until"):
        target = parse_moment(words[len("until") :].strip(), now, zone)
        if target <= now:
            raise ValueError("that moment has passed; the sandbox clock only moves forward")
        return target - now
    return parse_duration(words or "")


def shown_time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%A %B %-d, %Y %H:%M %Z")


STEP_MIN = timedelta(seconds=1)


def next_step(
    now: datetime, target: datetime, due: datetime | None, zone: ZoneInfo
) -> datetime | None:
    """Where a `wait` stops on its way to `target`: when the next ledger row falls due, or at
    midnight, when the real bot's planners would have looked ahead; None once none is left."""
    midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0, 0), zone)
    # `due` is the first row due after STEP_MIN from now: one already due that the last run did
    # not send waits for something else (a 429's Retry-After, a lease), not for the clock.
    soon = [moment for moment in (due, midnight) if moment and now < moment]
    step = min(soon, default=None)
    return step if step is not None and step < target else None
