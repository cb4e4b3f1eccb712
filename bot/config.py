"""Settings: read once from the environment (or `.env`), validated, passed down.

Every problem is collected before anything fails, so an operator fixes them all in one go.
Secret values are held in `Secret`, whose repr never shows them, and no message quotes them.
"""

from __future__ import annotations

import calendar
import enum
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///dei-bot.db"
DEFAULT_TIMEZONE = "America/Chicago"
DEFAULT_REMINDER_OFFSETS = "24h,1h"
DEFAULT_ANNOUNCE_AT = "first monday 09:00"
DEFAULT_PORT = 3000
DEFAULT_DELIVERY_LEASE_S = 30


class Mode(enum.Enum):
    """What the process is about to do decides which settings it needs."""

    HTTP = "http"  # serves Slack over HTTP: bot token and signing secret
    SOCKET = "socket"  # Socket Mode: bot token and app token
    SLACK = "slack"  # talks to Slack's Web API only (check, announce): bot token
    OFFLINE = "offline"  # database work only (import, export, db upgrade)


class ConfigError(Exception):
    """Raised with every problem found, each naming the variable and the fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        lines = [f"dei-bot cannot start: {len(self.problems)} setting(s) need attention."]
        lines += [f"  - {problem}" for problem in self.problems]
        lines.append("Set them in the environment or in a .env file (see .env.example).")
        return "\n".join(lines)


@dataclass(frozen=True)
class Secret:
    """A value that must never reach a log line or a message."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('****')" if self.value else "Secret('')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self.value)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


@dataclass(frozen=True)
class MonthlySchedule:
    """`first monday 09:00`: the n-th (or last) weekday of each month, at a wall-clock time."""

    ordinal: int  # 1..4, or -1 for the last
    weekday: int  # 0 = Monday
    at: time

    @classmethod
    def parse(cls, text: str) -> MonthlySchedule:
        words = text.lower().split()
        if len(words) != 3 or words[0] not in ORDINALS or words[1] not in WEEKDAYS:
            raise ValueError("expected '<first|second|third|fourth|last> <weekday> <HH:MM>'")
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", words[2])
        if not match:
            raise ValueError(f"{words[2]!r} is not a 24-hour time like 09:00")
        return cls(
            ordinal=ORDINALS[words[0]],
            weekday=WEEKDAYS.index(words[1]),
            at=time(int(match[1]), int(match[2])),
        )

    def occurrence(self, year: int, month: int, zone: ZoneInfo) -> datetime:
        """This month's moment, at the wall-clock time in `zone` (daylight saving included)."""
        days = calendar.monthrange(year, month)[1]
        matching = [
            day for day in range(1, days + 1) if date(year, month, day).weekday() == self.weekday
        ]
        day = matching[-1] if self.ordinal == -1 else matching[self.ordinal - 1]
        return datetime.combine(date(year, month, day), self.at, tzinfo=zone)

    def next_after(self, moment: datetime, zone: ZoneInfo) -> datetime:
        local = moment.astimezone(zone)
        year, month = local.year, local.month
        for _ in range(2):
            candidate = self.occurrence(year, month, zone)
            if candidate > moment:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        raise AssertionError("a monthly schedule always has a next occurrence")

    def __str__(self) -> str:
        ordinal = next(name for name, number in ORDINALS.items() if number == self.ordinal)
        return f"{ordinal} {WEEKDAYS[self.weekday]} {self.at:%H:%M}"


DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", text)
    if not match:
        raise ValueError(f"{text.strip()!r} is not a duration like 30m, 1h or 2d")
    seconds = int(match[1]) * DURATION_UNITS[match[2]]
    if seconds <= 0:
        raise ValueError(f"{text.strip()!r} must be longer than zero")
    return timedelta(seconds=seconds)


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise ValueError("give at least one duration, e.g. 24h,1h")
    offsets = sorted({parse_duration(part) for part in parts}, reverse=True)
    return tuple(offsets)


def normalise_database_url(url: str) -> str:
    # psycopg 3 is the driver we ship; plain postgresql:// would make SQLAlchemy look for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    bot_token: Secret = Secret("")
    signing_secret: Secret = Secret("")
    app_token: Secret = Secret("")
    api_url: str = DEFAULT_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    coordinators: tuple[str, ...] = ()
    announce_channel: str | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    reminder_offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    announce_at: MonthlySchedule = field(
        default_factory=lambda: MonthlySchedule.parse(DEFAULT_ANNOUNCE_AT)
    )
    port: int = DEFAULT_PORT
    delivery_lease: timedelta = timedelta(seconds=DEFAULT_DELIVERY_LEASE_S)

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    def is_coordinator(self, user_id: str) -> bool:
        return user_id in self.coordinators

    def secrets(self) -> tuple[str, ...]:
        return tuple(s.value for s in (self.bot_token, self.signing_secret, self.app_token) if s)

    @classmethod
    def load(cls, mode: Mode, env_file: str | Path = ".env") -> Settings:
        """The environment wins over `.env`, as python-dotenv's `override=False` does."""
        values: dict[str, str] = {
            key: value for key, value in dotenv_values(env_file).items() if value is not None
        }
        values.update(os.environ)
        return cls.from_env(values, mode)

    @classmethod
    def from_env(cls, env: Mapping[str, str], mode: Mode) -> Settings:
        problems: list[str] = []

        def text(name: str) -> str:
            return env.get(name, "").strip()

        bot_token = text("SLACK_BOT_TOKEN")
        if mode is not Mode.OFFLINE:
            if not bot_token:
                problems.append(
                    "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from "
                    "your app's OAuth & Permissions page."
                )
            elif not bot_token.startswith("xoxb-"):
                problems.append(
                    "SLACK_BOT_TOKEN does not look like a bot token: it must start with 'xoxb-' "
                    "(the Bot User OAuth Token, not a user or app-level token)."
                )
        app_token = text("SLACK_APP_TOKEN")
        if app_token and not app_token.startswith("xapp-"):
            problems.append(
                "SLACK_APP_TOKEN must be an app-level token starting with 'xapp-' "
                "(Basic Information → App-Level Tokens, scope connections:write)."
            )
        if mode is Mode.SOCKET and not app_token:
            problems.append(
                "SLACK_APP_TOKEN is not set, and Socket Mode needs it: create an app-level token "
                "with the connections:write scope, or run with --http."
            )
        signing_secret = text("SLACK_SIGNING_SECRET")
        if mode is Mode.HTTP and not signing_secret:
            problems.append(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your app's Basic "
                "Information page (HTTP mode verifies every request with it)."
            )

        api_url = text("SLACK_API_URL") or DEFAULT_API_URL
        if not re.match(r"https?://[^/\s]+", api_url):
            problems.append(
                "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ "
                "(or https://slack-gov.com/api/ for GovSlack)."
            )
        elif not api_url.endswith("/"):
            api_url += "/"

        database_url = normalise_database_url(text("DATABASE_URL") or DEFAULT_DATABASE_URL)
        if not re.match(r"(sqlite|postgresql)(\+\w+)?://", database_url):
            problems.append(
                "DATABASE_URL must be a SQLite or PostgreSQL URL, e.g. sqlite:///dei-bot.db or "
                "postgresql://user@host:5432/dbname."
            )

        coordinators = tuple(c.strip() for c in text("DEI_COORDINATORS").split(",") if c.strip())
        bad_ids = [c for c in coordinators if not re.fullmatch(r"[UW][A-Z0-9]{2,}", c)]
        if bad_ids:
            problems.append(
                f"DEI_COORDINATORS must be comma-separated Slack user IDs like U0123ABCD; "
                f"these are not: {', '.join(bad_ids)} (find an ID in a profile's ⋮ menu)."
            )

        announce_channel = text("DEI_ANNOUNCE_CHANNEL") or None
        if announce_channel and not re.fullmatch(r"[CG][A-Z0-9]{2,}", announce_channel):
            problems.append(
                "DEI_ANNOUNCE_CHANNEL must be a channel ID like C0123ABCD, not a name "
                "(open the channel's details; the ID is at the bottom)."
            )

        timezone = ZoneInfo(DEFAULT_TIMEZONE)
        zone_name = text("DEI_TIMEZONE") or DEFAULT_TIMEZONE
        try:
            timezone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                f"DEI_TIMEZONE {zone_name!r} is not an IANA time zone; use a name like "
                "America/Chicago."
            )

        offsets: tuple[timedelta, ...] = ()
        try:
            offsets = parse_offsets(text("DEI_REMINDER_OFFSETS") or DEFAULT_REMINDER_OFFSETS)
        except ValueError as error:
            problems.append(
                f"DEI_REMINDER_OFFSETS: {error}; write durations separated by commas, "
                "units s, m, h or d, e.g. 24h,1h."
            )

        announce_at = MonthlySchedule.parse(DEFAULT_ANNOUNCE_AT)
        try:
            announce_at = MonthlySchedule.parse(text("DEI_ANNOUNCE_AT") or DEFAULT_ANNOUNCE_AT)
        except ValueError as error:
            problems.append(f"DEI_ANNOUNCE_AT: {error}, e.g. 'first monday 09:00'.")

        port = DEFAULT_PORT
        port_text = text("PORT") or str(DEFAULT_PORT)
        if port_text.isdigit() and 0 < int(port_text) < 65536:
            port = int(port_text)
        else:
            problems.append(f"PORT {port_text!r} must be a number between 1 and 65535.")

        lease = timedelta(seconds=DEFAULT_DELIVERY_LEASE_S)
        if text("DEI_DELIVERY_LEASE"):
            try:
                lease = parse_duration(text("DEI_DELIVERY_LEASE"))
            except ValueError as error:
                problems.append(f"DEI_DELIVERY_LEASE: {error} (advanced; leave unset for 30s).")
            else:
                if lease < timedelta(seconds=3):
                    problems.append("DEI_DELIVERY_LEASE must be at least 3s.")

        if problems:
            raise ConfigError(problems)
        return cls(
            bot_token=Secret(bot_token),
            signing_secret=Secret(signing_secret),
            app_token=Secret(app_token),
            api_url=api_url,
            database_url=database_url,
            coordinators=coordinators,
            announce_channel=announce_channel,
            timezone=timezone,
            reminder_offsets=offsets,
            announce_at=announce_at,
            port=port,
            delivery_lease=lease,
        )
