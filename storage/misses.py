"""Lookups that found nothing: what people looked for that the repository lacks.

Coordinators read them with `dei-bot export misses` and in a weekly DM digest: one ledger row
per coordinator per ISO week (`miss-digest:2026-W48:U123`), planned only for a week that had
misses, due on the Monday after at 09:00 in the group's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from storage import deliveries
from storage.models import SearchMiss

MISS_DIGEST = "miss-digest"
WORDS_MAX = 500  # what is kept of what was typed: enough to recognise it
NORMALIZED_MAX = 200
DIGEST_AT = time(9, 0)  # on Mondays, in the group's time zone
DIGEST_SIZE = 10


def printable(words: str) -> str:
    """Without control characters (PostgreSQL refuses NUL in text) and surrogates."""
    kept = (" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in words)
    return " ".join("".join(kept).split())


def normalized(words: str) -> str:
    """Case, Unicode variants, punctuation and spacing folded, so `Language  Access!` and
    `language access` count as one miss; punctuation alone is kept as typed."""
    folded = unicodedata.normalize("NFKC", printable(words)).casefold()
    return (" ".join(re.findall(r"\w+", folded)) or folded)[:NORMALIZED_MAX]


def record(session: Session, words: str, *, user_id: str | None, now: datetime) -> SearchMiss:
    miss = SearchMiss(
        words=printable(words)[:WORDS_MAX], normalized=normalized(words), user_id=user_id, at=now
    )
    session.add(miss)
    return miss


@dataclass(frozen=True)
class MissCount:
    normalized: str
    example: str  # the latest words as typed
    count: int
    last_seen: datetime


def counts(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[MissCount]:
    """One entry per normalized phrase, the most frequent first, then the most recent."""
    query = select(SearchMiss).order_by(col(SearchMiss.at), col(SearchMiss.id))
    if since is not None:
        query = query.where(col(SearchMiss.at) >= since)
    if until is not None:
        query = query.where(col(SearchMiss.at) < until)
    groups: dict[str, MissCount] = {}
    for miss in session.exec(query):
        seen = groups.get(miss.normalized)
        groups[miss.normalized] = MissCount(
            normalized=miss.normalized,
            example=miss.words,
            count=(seen.count if seen else 0) + 1,
            last_seen=miss.at,
        )
    ordered = sorted(
        groups.values(), key=lambda m: (-m.count, -m.last_seen.timestamp(), m.normalized)
    )
    return ordered[:limit] if limit is not None else ordered


@dataclass(frozen=True)
class DigestWeek:
    label: str  # ISO week, e.g. 2026-W48
    starts_at: datetime  # Monday 00:00 in the group's zone
    ends_at: datetime  # the Monday after, 00:00
    due_at: datetime  # the Monday after, at DIGEST_AT

    def payload(self) -> dict[str, str]:
        return {
            "week": self.label,
            "from": self.starts_at.isoformat(),
            "until": self.ends_at.isoformat(),
        }


def week_of(monday: date, zone: ZoneInfo) -> DigestWeek:
    year, week, _ = monday.isocalendar()
    after = monday + timedelta(days=7)
    return DigestWeek(
        label=f"{year}-W{week:02d}",
        starts_at=datetime.combine(monday, time(0), zone),
        ends_at=datetime.combine(after, time(0), zone),
        due_at=datetime.combine(after, DIGEST_AT, zone),
    )


def last_complete_week(now: datetime, zone: ZoneInfo) -> DigestWeek:
    local = now.astimezone(zone).date()
    return week_of(local - timedelta(days=local.weekday() + 7), zone)


def digest_key(week: DigestWeek, coordinator: str) -> str:
    return f"{MISS_DIGEST}:{week.label}:{coordinator}"


def plan_digests(
    session: Session, week: DigestWeek, coordinators: Sequence[str], now: datetime
) -> int:
    """A digest row per coordinator when the week had misses; 0 rows (nothing sent) when not.
    Planning again is harmless: the key holds one row, and a sent row stays sent."""
    if not counts(session, since=week.starts_at, until=week.ends_at, limit=1):
        return 0
    for coordinator in coordinators:
        deliveries.plan(
            session,
            digest_key(week, coordinator),
            kind=MISS_DIGEST,
            recipient=coordinator,
            due_at=week.due_at,
            now=now,
            payload=week.payload(),
        )
    return len(coordinators)
