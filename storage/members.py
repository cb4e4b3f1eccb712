"""What we cache about Slack users (time zone, locale, DM channel) and what they chose."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from storage.database import upsert
from storage.models import Member

PROFILE_TTL = timedelta(days=7)


def get(session: Session, user_id: str) -> Member | None:
    return session.get(Member, user_id)


def profile_is_fresh(member: Member | None, now: datetime) -> bool:
    return bool(member and member.fetched_at and now - member.fetched_at < PROFILE_TTL)


def _upsert(session: Session, user_id: str, **values: Any) -> None:
    """One statement: two deliveries to the same new member may record them at once."""
    statement = upsert(session, Member).values(user_id=user_id, **values)
    session.execute(statement.on_conflict_do_update(index_elements=[Member.user_id], set_=values))
    session.expire_all()  # the identity map may hold the row as it was


def record_profile(
    session: Session, user_id: str, *, tz: str | None, locale: str | None, now: datetime
) -> None:
    _upsert(session, user_id, tz=tz, locale=locale, fetched_at=now)


def record_dm_channel(session: Session, user_id: str, channel: str) -> None:
    _upsert(session, user_id, dm_channel=channel)


def set_reminders(session: Session, user_id: str, enabled: bool) -> None:
    _upsert(session, user_id, reminders_enabled=enabled)


def set_preferred_language(session: Session, user_id: str, language: str) -> None:
    _upsert(session, user_id, preferred_language=language)


def reminders_enabled(session: Session, user_id: str) -> bool:
    member = session.get(Member, user_id)
    return member is None or member.reminders_enabled


def dm_channel(session: Session, user_id: str) -> str | None:
    if not user_id.startswith(("U", "W")):
        return None
    member = session.get(Member, user_id)
    return member.dm_channel if member else None
