"""Working-group meetings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Meeting, Topic


def next_upcoming(session: Session, now: datetime) -> Meeting | None:
    """The next meeting not yet over and not cancelled."""
    candidates = session.exec(
        select(Meeting)
        .where(col(Meeting.cancelled_at).is_(None))
        .where(col(Meeting.starts_at) >= now.replace(hour=0, minute=0, second=0, microsecond=0))
        .order_by(col(Meeting.starts_at))
    )
    return next((m for m in candidates if m.ends_at > now), None)


def by_key(session: Session, key: str) -> Meeting | None:
    return session.exec(select(Meeting).where(Meeting.key == key)).first()


def next_for_topic(session: Session, topic: Topic, now: datetime) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(Meeting.topic_id == topic.id)
        .where(col(Meeting.cancelled_at).is_(None))
        .where(col(Meeting.starts_at) > now)
        .order_by(col(Meeting.starts_at))
    ).first()


def record_announcement(session: Session, key: str, channel: str, ts: str) -> Meeting | None:
    meeting = by_key(session, key)
    if meeting is not None:
        meeting.announcement_channel, meeting.announcement_ts = channel, ts
        session.add(meeting)
    return meeting
