"""What we cache about Slack users (time zone, locale, DM channel) and what they chose."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from storage.models import Member

PROFILE_TTL = timedelta(days=7)


def get(session: Session, user_id: str) -> Member | None:
    return session.get(Member, user_id)


def get_or_new(session: Session, user_id: str) -> Member:
    member = session.get(Member, user_id)
    if member is None:
        member = Member(user_id=user_id)
        session.add(member)
    return member


def profile_is_fresh(member: Member | None, now: datetime) -> bool:
    return bool(member and member.fetched_at and now - member.fetched_at < PROFILE_TTL)


def record_profile(
    session: Session, user_id: str, *, tz: str | None, locale: str | None, now: datetime
) -> Member:
    member = get_or_new(session, user_id)
    member.tz, member.locale, member.fetched_at = tz, locale, now
    session.add(member)
    return member


def record_dm_channel(session: Session, user_id: str, channel: str) -> None:
    member = get_or_new(session, user_id)
    if member.dm_channel != channel:
        member.dm_channel = channel
        session.add(member)


def set_reminders(session: Session, user_id: str, enabled: bool) -> Member:
    member = get_or_new(session, user_id)
    member.reminders_enabled = enabled
    session.add(member)
    return member


def reminders_enabled(session: Session, user_id: str) -> bool:
    member = session.get(Member, user_id)
    return member is None or member.reminders_enabled


def dm_channel(session: Session, user_id: str) -> str | None:
    if not user_id.startswith(("U", "W")):
        return None
    member = session.get(Member, user_id)
    return member.dm_channel if member else None
