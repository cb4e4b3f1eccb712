"""Which reminder and digest rows the ledger should hold: planned with the change that causes them.

Planning is idempotent: each message has a key (what, who, offset), so planning again after an
import, an RSVP, a restart or a changed offset setting creates only what is missing, moves what
moved, and cancels what is no longer wanted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from storage import deliveries, members
from storage.models import (
    CoachingAttendee,
    CoachingSession,
    Delivery,
    DeliveryState,
    Meeting,
    Rsvp,
)

MEETING_REMINDER = "meeting-reminder"
COACHING_REMINDER = "coaching-reminder"
COACH_DIGEST = "coach-digest"
COACH_ABSENCE = "coach-absence"
FAILURE_NOTICE = "failure-notice"
SESSION_CANCELLED = "session-cancelled"
LATE_QUESTION = "coach-late-question"  # a question sent after the coach's digest went out
NOTICE_KINDS = (COACH_ABSENCE, FAILURE_NOTICE, SESSION_CANCELLED, LATE_QUESTION)
REMINDER_KINDS = (MEETING_REMINDER, COACHING_REMINDER)
WANTS_REMINDERS = ("going-in-person", "going-online", "maybe")
REMINDERS_TURNED_OFF = "the member turned reminders off"  # the ledger's reason, for operators


def offset_label(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def meeting_prefix(meeting_key: str) -> str:
    return f"reminder:meeting:{meeting_key}:"


def coaching_prefix(session_key: str) -> str:
    return f"reminder:coaching:{session_key}:"


def digest_key(session_key: str, coach: str) -> str:
    return f"digest:coaching:{session_key}:{coach}"


def absence_key(session_key: str, absent: str, recipient: str | None = None) -> str:
    """To the coach: one key per absent participant. From the coach: one per coordinator."""
    key = f"absence:coaching:{session_key}:{absent}"
    return f"{key}:{recipient}" if recipient else key


def cancellation_key(session_key: str, recipient: str, cancelled_at: int) -> str:
    """`cancelled_at` (a timestamp): a session scheduled again and cancelled again is news."""
    return f"cancelled:coaching:{session_key}:{recipient}:{cancelled_at}"


def late_question_key(session_key: str, question_id: int) -> str:
    return f"question:coaching:{session_key}:{question_id}"


@dataclass(frozen=True)
class Wanted:
    key: str
    kind: str
    recipient: str
    due_at: datetime
    payload: dict[str, Any]


def wanted_for_meeting(
    session: Session, meeting: Meeting, offsets: Sequence[timedelta], only: str | None = None
) -> list[Wanted]:
    if meeting.cancelled_at is not None or meeting.id is None:
        return []
    query = (
        select(Rsvp)
        .where(Rsvp.meeting_id == meeting.id)
        .where(col(Rsvp.state).in_(WANTS_REMINDERS))
    )
    if only is not None:
        query = query.where(Rsvp.user_id == only)
    rsvps = session.exec(query)
    return [
        Wanted(
            key=f"{meeting_prefix(meeting.key)}{rsvp.user_id}:{offset_label(offset)}",
            kind=MEETING_REMINDER,
            recipient=rsvp.user_id,
            due_at=meeting.starts_at - offset,
            payload={"meeting": meeting.key, "offset": offset_label(offset)},
        )
        for rsvp in rsvps
        if members.reminders_enabled(session, rsvp.user_id)
        for offset in offsets
    ]


def wanted_for_coaching(
    session: Session, coaching: CoachingSession, offsets: Sequence[timedelta]
) -> list[Wanted]:
    if coaching.cancelled_at is not None or coaching.id is None:
        return []
    attendees = session.exec(
        select(CoachingAttendee)
        .where(CoachingAttendee.session_id == coaching.id)
        .where(col(CoachingAttendee.declined_at).is_(None))
    )
    people = [attendee.user_id for attendee in attendees] + [coaching.coach]
    wanted = [
        Wanted(
            key=f"{coaching_prefix(coaching.key)}{user}:{offset_label(offset)}",
            kind=COACHING_REMINDER,
            recipient=user,
            due_at=coaching.starts_at - offset,
            payload={"session": coaching.key, "offset": offset_label(offset)},
        )
        for user in dict.fromkeys(people)
        if members.reminders_enabled(session, user)
        for offset in offsets
    ]
    if offsets:
        # The digest goes with the earliest reminder, so the coach has time to prepare.
        wanted.append(
            Wanted(
                key=digest_key(coaching.key, coaching.coach),
                kind=COACH_DIGEST,
                recipient=coaching.coach,
                due_at=coaching.starts_at - max(offsets),
                payload={"session": coaching.key},
            )
        )
    return wanted


def sync(session: Session, prefixes: Sequence[str], wanted: Sequence[Wanted], now: datetime) -> int:
    """Makes the open rows under `prefixes` match `wanted`; returns how many rows changed.

    A row is only created (or revived, if it was cancelled) while its due time is still ahead:
    someone who RSVPs an hour before the start does not get the day-before reminder late. Rows
    that already exist keep their chance: one that fell due while the bot was down is still sent
    if still useful. When a move puts several of one person's reminders in the past at once
    (a session moved to 30 minutes from now), only the last of them is sent.
    """
    existing: dict[str, Delivery] = {}
    for prefix in prefixes:
        rows = session.exec(
            select(Delivery).where(col(Delivery.key).startswith(prefix, autoescape=True))
        )
        existing.update({row.key: row for row in rows})
    latest_overdue: dict[tuple[str, str], datetime] = {}
    for item in wanted:
        if item.due_at <= now:
            group = (item.recipient, item.kind)
            latest_overdue[group] = max(item.due_at, latest_overdue.get(group, item.due_at))
    changed = 0
    wanted_keys = {item.key for item in wanted}
    superseded: list[str] = []
    for item in wanted:
        row = existing.get(item.key)
        overdue = item.due_at <= now
        if overdue and (row is None or row.state == DeliveryState.CANCELLED):
            continue
        if row is not None and row.due_at == item.due_at and row.state != DeliveryState.CANCELLED:
            continue
        if overdue and item.due_at < latest_overdue[(item.recipient, item.kind)]:
            superseded.append(item.key)
            continue
        deliveries.plan(
            session,
            item.key,
            kind=item.kind,
            recipient=item.recipient,
            due_at=item.due_at,
            now=now,
            payload=item.payload,
        )
        changed += 1
    changed += deliveries.cancel(session, superseded, now, "moved; a later reminder covers it")
    stale = [
        key
        for key, row in existing.items()
        if key not in wanted_keys and row.state == DeliveryState.PENDING
    ]
    changed += deliveries.cancel(session, stale, now, "no longer wanted")
    return changed


def plan_meeting(
    session: Session, meeting: Meeting, offsets: Sequence[timedelta], now: datetime
) -> int:
    return sync(
        session, [meeting_prefix(meeting.key)], wanted_for_meeting(session, meeting, offsets), now
    )


def plan_meeting_member(
    session: Session, meeting: Meeting, user_id: str, offsets: Sequence[timedelta], now: datetime
) -> int:
    """One member's reminders for one meeting: what an RSVP click changes, in constant time."""
    prefix = f"{meeting_prefix(meeting.key)}{user_id}:"
    return sync(session, [prefix], wanted_for_meeting(session, meeting, offsets, user_id), now)


def plan_coaching_session(
    session: Session, coaching: CoachingSession, offsets: Sequence[timedelta], now: datetime
) -> int:
    prefixes = [coaching_prefix(coaching.key), digest_key(coaching.key, "")]
    return sync(session, prefixes, wanted_for_coaching(session, coaching, offsets), now)


def plan_upcoming(session: Session, offsets: Sequence[timedelta], now: datetime) -> int:
    """Reconciles every meeting and coaching session not yet started (start-up, imports)."""
    changed = 0
    for meeting in session.exec(select(Meeting).where(col(Meeting.starts_at) > now)):
        changed += plan_meeting(session, meeting, offsets, now)
    for coaching in session.exec(
        select(CoachingSession).where(col(CoachingSession.starts_at) > now)
    ):
        changed += plan_coaching_session(session, coaching, offsets, now)
    return changed


def cancel_for_member(session: Session, user_id: str, now: datetime, reason: str) -> int:
    keys = session.exec(
        select(Delivery.key)
        .where(Delivery.recipient == user_id)
        .where(col(Delivery.kind).in_(REMINDER_KINDS))
        .where(Delivery.state == DeliveryState.PENDING.value)
    )
    return deliveries.cancel(session, list(keys), now, reason)


def failure_notices(
    session: Session,
    failed: Delivery,
    why: dict[str, Any],
    coordinators: Sequence[str],
    now: datetime,
) -> None:
    """One DM per coordinator naming what could not be delivered, through the ledger itself.
    `why` is the handlers' own record of the reason: they write the words when it is sent, in
    each coordinator's language."""
    payload = {
        "failed_kind": failed.kind,
        "failed_recipient": failed.recipient,
        "failed_key": failed.key,
        **why,
    }
    for coordinator in coordinators:
        deliveries.plan(
            session,
            f"failure:{failed.key}:{coordinator}",
            kind=FAILURE_NOTICE,
            recipient=coordinator,
            due_at=now,
            now=now,
            payload=payload,
        )


def notify_once(
    session: Session,
    key: str,
    *,
    kind: str,
    recipient: str,
    text: str,
    now: datetime,
    about: dict[str, Any] | None = None,
) -> bool:
    """One DM through the ledger, due now; False (and nothing changed) if `key` was planned
    before, so a repeated click never sends a second notice or moves the first."""
    if deliveries.by_key(session, key) is not None:
        return False
    deliveries.plan(
        session,
        key,
        kind=kind,
        recipient=recipient,
        due_at=now,
        now=now,
        payload={"text": text, **(about or {})},
    )
    return True


def digest_went_out(session: Session, coaching: CoachingSession) -> bool:
    """Whether the coach's prep digest was already sent (or is being sent right now)."""
    row = deliveries.by_key(session, digest_key(coaching.key, coaching.coach))
    return row is not None and row.state in (DeliveryState.SENT, DeliveryState.SENDING)
