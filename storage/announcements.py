"""Announcements on the delivery ledger: meeting posts, their coalesced updates, the monthly topic.

Every one is a ledger row with a key that says what it is, so it goes out once however many
processes run: `announcement:<meeting>` is the post, `announcement-update:<meeting>:<window>` an
edit of it (one per 3-second window, composed with the counts of the moment it is sent), and
`topic-announcement:<YYYY-MM>` the month's topic.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from storage import deliveries
from storage.models import Delivery, DeliveryState, Meeting

MEETING_ANNOUNCEMENT = "meeting-announcement"
ANNOUNCEMENT_UPDATE = "announcement-update"
TOPIC_ANNOUNCEMENT = "topic-announcement"
WAITLIST_PROMOTION = "waitlist-promotion"
MEETING_CANCELLED = "meeting-cancelled"
CALENDAR_FILE = "meeting-calendar-file"
KINDS = (
    CALENDAR_FILE,
    MEETING_ANNOUNCEMENT,
    ANNOUNCEMENT_UPDATE,
    TOPIC_ANNOUNCEMENT,
    WAITLIST_PROMOTION,
    MEETING_CANCELLED,
)
OUT = (DeliveryState.SENT.value, DeliveryState.SENDING.value)
# chat.update is Tier 3 (about 50 a minute): one edit per announcement per window at most.
UPDATE_WINDOW = timedelta(seconds=3)


def post_key(meeting_key: str) -> str:
    return f"announcement:{meeting_key}"


def update_prefix(meeting_key: str) -> str:
    return f"announcement-update:{meeting_key}:"


def plan_post(
    session: Session, meeting: Meeting, channel: str, at: datetime, now: datetime
) -> Delivery:
    """The announcement goes to `channel` at `at` (now, or a time the coordinator chose)."""
    return deliveries.plan(
        session,
        post_key(meeting.key),
        kind=MEETING_ANNOUNCEMENT,
        recipient=channel,
        due_at=max(at, now),
        now=now,
        payload={"meeting": meeting.key},
    )


def plan_refresh(session: Session, meeting: Meeting, now: datetime) -> Delivery | None:
    """Asks for the posted announcement to show what is true now (counts, a change, a
    cancellation). Many asks within one window are one edit; the edit is composed when sent, so
    the last one always shows the final counts. Nothing to refresh before it is posted."""
    # The post row's lock orders this against an edit being composed: either the edit sees
    # this change, or this sees the edit under way and asks for the next one.
    posted = deliveries.by_key(session, post_key(meeting.key), lock=True)
    if posted is None or posted.state not in OUT:
        return None
    # Mid-send, the post may have been composed before this change: an edit follows it.
    channel = posted.channel or posted.recipient
    window = math.floor(now.timestamp() / UPDATE_WINDOW.total_seconds()) + 1
    while True:
        taken = deliveries.by_key(session, f"{update_prefix(meeting.key)}{window}")
        if taken is None or taken.state == DeliveryState.PENDING:
            break
        window += 1
    due = datetime.fromtimestamp(window * UPDATE_WINDOW.total_seconds(), UTC)
    return deliveries.plan(
        session,
        f"{update_prefix(meeting.key)}{window}",
        kind=ANNOUNCEMENT_UPDATE,
        recipient=channel,
        due_at=due,
        now=now,
        payload={"meeting": meeting.key},
    )


def post_under_way(session: Session, meeting_key: str) -> bool:
    """The post's call to Slack has begun and not been recorded yet: edits wait for it."""
    posted = deliveries.by_key(session, post_key(meeting_key))
    return posted is not None and posted.state == DeliveryState.SENDING


def posted_message(session: Session, meeting_key: str) -> tuple[str, str] | None:
    """Channel and ts of the meeting's announcement, once it is out."""
    posted = deliveries.by_key(session, post_key(meeting_key))
    if posted is None or posted.state != DeliveryState.SENT or not posted.channel or not posted.ts:
        return None
    return posted.channel, posted.ts


def last_edit_at(session: Session, meeting_key: str, besides: str) -> datetime | None:
    """When the latest edit of the announcement went out, or began going out."""
    rows = session.exec(
        select(Delivery)
        .where(col(Delivery.key).startswith(update_prefix(meeting_key), autoescape=True))
        .where(col(Delivery.state).in_([DeliveryState.SENT.value, DeliveryState.SENDING.value]))
        .where(Delivery.key != besides)
    )
    moments = [row.sent_at or row.attempt_started_at for row in rows]
    return max((m for m in moments if m is not None), default=None)


def later_edit_waiting(session: Session, meeting_key: str, key: str, now: datetime) -> bool:
    """A newer window's edit is due too (a backlog): it will show everything this one would."""
    window = int(key.rsplit(":", 1)[1])
    rows = session.exec(
        select(Delivery.key)
        .where(col(Delivery.key).startswith(update_prefix(meeting_key), autoescape=True))
        .where(Delivery.state == DeliveryState.PENDING.value)
        .where(col(Delivery.next_attempt_at) <= now)
    )
    return any(int(other.rsplit(":", 1)[1]) > window for other in rows)


def lock_post(session: Session, meeting_key: str) -> None:
    deliveries.by_key(session, post_key(meeting_key), lock=True)


def plan_topic_announcement(
    session: Session, month: str, channel: str, at: datetime, now: datetime
) -> Delivery | None:
    """The month's topic, once: created only while its moment is ahead (or within the hour, so
    a restart during the minute it was due still posts it, exactly once, by its key)."""
    key = f"topic-announcement:{month}"
    existing = deliveries.by_key(session, key)
    if existing is None and at < now - timedelta(hours=1):
        return None
    if existing is not None and existing.state != DeliveryState.PENDING:
        return existing
    return deliveries.plan(
        session,
        key,
        kind=TOPIC_ANNOUNCEMENT,
        recipient=channel,
        due_at=at,
        now=now,
        payload={"month": month},
    )


def notify(
    session: Session, key: str, kind: str, recipient: str, text: str, now: datetime, **payload: str
) -> Delivery:
    """A one-off DM (a waitlist promotion, a cancellation), due now."""
    return deliveries.plan(
        session,
        key,
        kind=kind,
        recipient=recipient,
        due_at=now,
        now=now,
        payload={"text": text, **payload},
    )


def calendar_file_key(meeting_key: str, edition: str) -> str:
    return f"calendar-file:{meeting_key}:{edition}"


def plan_calendar_file(session: Session, meeting: Meeting, edition: str, now: datetime) -> None:
    """The meeting's .ics, shared in the thread of its announcement; `edition` names what the
    file says, so an edit that moves the meeting (or a cancellation) shares one new file, and
    saving the same again shares nothing. Nothing while the announcement is not out."""
    posted = deliveries.by_key(session, post_key(meeting.key))
    if posted is None or posted.state not in OUT:
        return
    deliveries.plan(
        session,
        calendar_file_key(meeting.key, edition),
        kind=CALENDAR_FILE,
        recipient=posted.channel or posted.recipient,
        due_at=now,
        now=now,
        payload={"meeting": meeting.key, "edition": edition},
    )


def calendar_files_shared(session: Session, meeting_key: str) -> int:
    """How many .ics files of the meeting went out: the next one's SEQUENCE (RFC 5545)."""
    rows = session.exec(
        select(Delivery.id)
        .where(col(Delivery.key).startswith(f"calendar-file:{meeting_key}:", autoescape=True))
        .where(Delivery.state == DeliveryState.SENT.value)
    )
    return len(rows.all())
