"""What each message on the ledger says, composed when it is sent.

Composing at send time means a changed place or link is always the current one, and a message
whose cause went away (a cancelled session, a changed RSVP, reminders turned off) is not sent.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from handlers import announcements, lookup_messages, reminder_blocks
from handlers.i18n import _
from handlers.outgoing import Later, Outgoing, Unwanted
from storage import announcements as announcement_kinds
from storage import coaching, meetings, members, rsvps, topics
from storage.models import CoachingSession, Delivery, Member
from storage.reminder_plans import (
    COACH_DIGEST,
    COACHING_REMINDER,
    FAILURE_NOTICE,
    MEETING_REMINDER,
    NOTICE_KINDS,
    SESSION_CANCELLED,
    WANTS_REMINDERS,
)


def zone_of(session: Session, user_id: str, fallback: ZoneInfo) -> ZoneInfo:
    return member_zone(members.get(session, user_id), fallback)


def member_zone(member: Member | None, fallback: ZoneInfo) -> ZoneInfo:
    if member and member.tz:
        try:
            return ZoneInfo(member.tz)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return fallback


def compose(
    session: Session, row: Delivery, now: datetime, group_zone: ZoneInfo, member: Member | None
) -> Outgoing | Unwanted | Later:
    """`member` is the recipient's cached profile and choices (None: nothing known yet)."""
    if row.kind in announcement_kinds.KINDS:
        # Posted in a channel: the date token shows each reader their own zone.
        return announcements.compose(session, row, now, member_zone(member, group_zone))
    if row.kind in lookup_messages.KINDS:
        return lookup_messages.compose(session, row)
    zone = member_zone(member, group_zone)
    wants_reminders = member is None or member.reminders_enabled
    if row.kind == MEETING_REMINDER:
        return meeting_reminder(session, row, now, zone, wants_reminders)
    if row.kind == COACHING_REMINDER:
        return coaching_reminder(session, row, now, zone, wants_reminders)
    if row.kind == COACH_DIGEST:
        return coach_digest(session, row, now, zone)
    if row.kind in NOTICE_KINDS:
        return notice(session, row, now)
    return Unwanted(f"unknown kind {row.kind}")


def notice(session: Session, row: Delivery, now: datetime) -> Outgoing | Unwanted:
    """A one-off DM whose words were written when it was planned (in the recipient's language),
    or, for a failure notice, are written now; a notice about a coaching session
    (`payload.session`) is dropped once it no longer makes sense."""
    if row.kind == FAILURE_NOTICE and "text" not in row.payload:  # older ones carry their words
        return failure_notice(row)
    if row.payload.get("session") is not None:
        if row.kind == SESSION_CANCELLED:
            found = coaching.session_by_key(session, str(row.payload["session"]))
            if found is not None and found.cancelled_at is None:
                return Unwanted("the coaching session was scheduled again")
        else:
            still = wanted_session(session, row, now)
            if isinstance(still, Unwanted):
                return still
    text = str(row.payload.get("text", ""))
    return Outgoing(text=text, blocks=reminder_blocks.notice(text))


def failure_notice(row: Delivery) -> Outgoing:
    """Planned by storage without words (it knows none): composed in the coordinator's language."""
    payload = row.payload
    details = payload.get("details")
    error = reminder_blocks.failure_reason(
        str(payload.get("reason", "")), details if isinstance(details, dict) else {}
    )
    text = reminder_blocks.failure_notice(
        str(payload.get("failed_kind", "")),
        str(payload.get("failed_recipient", "")),
        str(payload.get("failed_key", "")),
        error,
    )
    return Outgoing(text=text, blocks=reminder_blocks.notice(text))


def meeting_reminder(
    session: Session, row: Delivery, now: datetime, zone: ZoneInfo, wants_reminders: bool
) -> Outgoing | Unwanted:
    meeting = meetings.by_key(session, str(row.payload.get("meeting")))
    if meeting is None or meeting.id is None or meeting.cancelled_at is not None:
        return Unwanted("the meeting was cancelled")
    if now >= meeting.starts_at:
        return Unwanted("the meeting had already started", expired=True)
    if rsvps.state_of(session, meeting.id, row.recipient) not in WANTS_REMINDERS:
        return Unwanted("the member no longer plans to come")
    if not wants_reminders:
        return Unwanted("the member turned reminders off")
    topic = topics.by_id(session, meeting.topic_id)
    text, blocks = reminder_blocks.meeting_reminder(
        title=topic.title if topic and not topic.tbd else _("Working-group meeting"),
        meeting_key=meeting.key,
        starts_at=meeting.starts_at,
        now=now,
        zone=zone,
        format=meeting.format,
        location=meeting.location,
        join_url=meeting.join_url,
    )
    return Outgoing(text, blocks)


def wanted_session(session: Session, row: Delivery, now: datetime) -> CoachingSession | Unwanted:
    found = coaching.session_by_key(session, str(row.payload.get("session")))
    if found is None or found.cancelled_at is not None:
        return Unwanted("the coaching session was cancelled")
    if now >= found.starts_at:
        return Unwanted("the coaching session had already started", expired=True)
    return found


def coaching_reminder(
    session: Session, row: Delivery, now: datetime, zone: ZoneInfo, wants_reminders: bool
) -> Outgoing | Unwanted:
    found = wanted_session(session, row, now)
    if isinstance(found, Unwanted):
        return found
    assert found.id is not None
    is_coach = row.recipient == found.coach
    if not is_coach:
        attendee = coaching.attendee(session, found.id, row.recipient)
        if attendee is None or attendee.declined_at is not None:
            return Unwanted("the participant is no longer coming")
    if not wants_reminders:
        return Unwanted("the member turned reminders off")
    cohort = coaching.cohort(session, found.cohort_id)
    text, blocks = reminder_blocks.coaching_reminder(
        cohort=cohort.name if cohort else "",
        session_key=found.key,
        coach=found.coach,
        is_coach=is_coach,
        starts_at=found.starts_at,
        now=now,
        zone=zone,
        location=found.location,
        join_url=found.join_url,
    )
    return Outgoing(text, blocks)


def coach_digest(
    session: Session, row: Delivery, now: datetime, zone: ZoneInfo
) -> Outgoing | Unwanted:
    found = wanted_session(session, row, now)
    if isinstance(found, Unwanted):
        return found
    assert found.id is not None
    cohort = coaching.cohort(session, found.cohort_id)
    communities = coaching.communities_of_cohort(session, found.cohort_id)
    attendees = coaching.attendees(session, found.id)
    text, blocks = reminder_blocks.coach_digest(
        cohort=cohort.name if cohort else "",
        starts_at=found.starts_at,
        zone=zone,
        coming=[(a.user_id, communities.get(a.user_id)) for a in attendees if not a.declined_at],
        not_coming=[a.user_id for a in attendees if a.declined_at],
        questions=[(q.user_id, q.text) for q in coaching.questions(session, found.id)],
    )
    return Outgoing(text, blocks)
