"""The coordinators' agenda: meetings created, edited and cancelled from Slack, what the agenda
list shows about them, the topics a meeting can be about, and who hears of a cancellation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage import announcements
from storage.models import Delivery, Meeting, Rsvp, Topic

MAX_TOPIC_CHOICES = 100  # a static_select takes at most 100 options
MAX_LISTED = 20
MAX_PAST_LISTED = 5
RECENT = timedelta(days=30)  # a meeting stays on the list this long after it ends: attendance
LONGEST_MEETING = timedelta(minutes=600)
# Everyone who said they would (or might) come hears that the meeting is off.
TOLD_OF_CANCELLATION = (
    "going-in-person",
    "going-online",
    "maybe",
    "waitlisted-in-person",
    "waitlisted-online",
)


def meeting_by_key(session: Session, key: str | None, *, lock: bool = False) -> Meeting | None:
    """`lock`: PostgreSQL holds the row until commit, so two coordinators' saves (or a save and
    a click) take turns; SQLite callers already hold the one write lock."""
    if not key:
        return None
    query = select(Meeting).where(Meeting.key == key)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.exec(query).first()


def topic_choices(session: Session, month: str, limit: int = MAX_TOPIC_CHOICES) -> list[Topic]:
    """Topics a meeting can be about (chosen ones, not TBD), by month: from `month` (YYYY-MM) on,
    then as many of the most recent past ones as fit in `limit`."""
    chosen = select(Topic).where(col(Topic.tbd).is_(False)).where(Topic.title != "")
    coming = list(
        session.exec(
            chosen.where(Topic.month >= month)
            .order_by(col(Topic.month), col(Topic.id))
            .limit(limit)
        )
    )
    past = list(
        session.exec(
            chosen.where(Topic.month < month)
            .order_by(col(Topic.month).desc(), col(Topic.id).desc())
            .limit(max(0, limit - len(coming)))
        )
    )
    return [*reversed(past), *coming]


def topic_by_key(session: Session, key: str | None) -> Topic | None:
    if not key:
        return None
    return session.exec(select(Topic).where(Topic.key == key)).first()


def listed(
    session: Session, now: datetime, limit: int = MAX_LISTED, past: int = MAX_PAST_LISTED
) -> list[Meeting]:
    """What the coordinators' list shows, soonest first: every meeting not yet over (up to
    `limit`), after the few that ended in the last month (their attendance is still marked)."""
    rows = session.exec(
        select(Meeting)
        .where(col(Meeting.cancelled_at).is_(None))
        .where(col(Meeting.starts_at) >= now - RECENT - LONGEST_MEETING)
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    ended, coming = [], []
    for meeting in rows:
        if meeting.ends_at > now:
            coming.append(meeting)
        elif meeting.ends_at > now - RECENT:
            ended.append(meeting)
    coming = coming[:limit]
    room = max(0, min(past, limit - len(coming)))
    return [*ended[len(ended) - room :], *coming]


def announcement_rows(session: Session, meeting_keys: Iterable[str]) -> dict[str, Delivery]:
    """Each meeting's announcement on the ledger (posted, planned, failed …), if it has one."""
    keys = {announcements.post_key(key): key for key in meeting_keys}
    if not keys:
        return {}
    rows = session.exec(select(Delivery).where(col(Delivery.key).in_(list(keys))))
    return {keys[row.key]: row for row in rows}


def free_key(session: Session, base: str, *, topic_id: int, starts_at: datetime) -> str:
    """`base`, or `base-2`, `base-3` …: the first key that is free, or that is this very meeting
    (same topic and start, not cancelled), so a double click on Save creates one meeting."""
    taken = {
        row.key: row
        for row in session.exec(
            select(Meeting).where(col(Meeting.key).startswith(base, autoescape=True))
        )
    }
    candidate, number = base, 1
    while candidate in taken and not same_meeting(taken[candidate], topic_id, starts_at):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def same_meeting(meeting: Meeting, topic_id: int, starts_at: datetime) -> bool:
    return (
        meeting.cancelled_at is None
        and meeting.topic_id == topic_id
        and meeting.starts_at == starts_at
    )


def save_meeting(
    session: Session,
    key: str,
    *,
    topic_id: int,
    starts_at: datetime,
    duration_minutes: int,
    format: str,
    location: str,
    join_url: str | None,
    capacity_in_person: int | None,
    capacity_online: int | None,
    agenda: Sequence[str],
) -> Meeting:
    """Creates the meeting under `key`, or updates it (its RSVPs stay as they are)."""
    meeting = meeting_by_key(session, key, lock=True)
    if meeting is None:
        meeting = Meeting(key=key, starts_at=starts_at)
    meeting.topic_id = topic_id
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.format = format
    meeting.location = location
    meeting.join_url = join_url
    meeting.capacity_in_person = capacity_in_person
    meeting.capacity_online = capacity_online
    meeting.agenda = list(agenda)
    session.add(meeting)
    session.flush()  # a new meeting needs its id before its reminders and announcement
    return meeting


def cancel(session: Session, meeting: Meeting, now: datetime) -> bool:
    """Marks the meeting cancelled; False if it already was."""
    if meeting.cancelled_at is not None:
        return False
    meeting.cancelled_at = now
    session.add(meeting)
    session.flush()
    return True


def told_of_cancellation(session: Session, meeting_id: int) -> list[str]:
    """Who said they would come, might come or are waiting for a seat."""
    return list(
        session.exec(
            select(Rsvp.user_id)
            .where(Rsvp.meeting_id == meeting_id)
            .where(col(Rsvp.state).in_(TOLD_OF_CANCELLATION))
            .order_by(col(Rsvp.user_id))
        )
    )
