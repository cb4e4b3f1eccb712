"""What announcements say, composed when the dispatcher sends them (see handlers/reminders.py).

The post and every later edit are built from the database at that moment: the counts an edit
shows are the counts when it goes out, so the last edit always shows the final counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers import announcement_blocks, calendar_links
from handlers.blocks import ResourceLine
from handlers.i18n import N_, _
from handlers.outgoing import Later, Outgoing, Unwanted, Upload
from storage import announcements, attendance, meetings, resources, rsvps, topics
from storage.models import Delivery, Meeting

POST_UNDER_WAY_RETRY = timedelta(seconds=1)
UNTITLED = N_("Working-group meeting")
CALENDAR_TITLE = N_("DEI working group: {title}")


def resource_lines(session: Session, meeting: Meeting) -> list[ResourceLine]:
    topic = topics.by_id(session, meeting.topic_id)
    if topic is None or topic.tbd:
        return []
    return [
        ResourceLine(r.title, r.url, r.kind, r.summary, c.name if c else None)
        for r, c in resources.for_topic(session, topic)
    ]


def own_title(session: Session, meeting: Meeting) -> str | None:
    """The topic's title; None while it is still to be decided."""
    topic = topics.by_id(session, meeting.topic_id)
    return topic.title if topic and not topic.tbd else None


def meeting_title(session: Session, meeting: Meeting) -> str:
    title = own_title(session, meeting)
    return title if title is not None else _(UNTITLED)


def calendar_event(meeting: Meeting, title: str) -> calendar_links.CalendarEvent:
    return calendar_links.CalendarEvent(
        uid=f"{meeting.key}@dei-bot",
        title=_(CALENDAR_TITLE).format(title=title),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        description="; ".join(meeting.agenda)[:500],
        location=meeting.location,
        url=meeting.join_url,
    )


def facts(
    session: Session, meeting: Meeting, now: datetime
) -> announcement_blocks.AnnouncementFacts:
    assert meeting.id is not None
    topic = topics.by_id(session, meeting.topic_id)
    title = meeting_title(session, meeting)
    tally = rsvps.counts(session, meeting.id)
    event = calendar_event(meeting, title)
    return announcement_blocks.AnnouncementFacts(
        meeting_key=meeting.key,
        title=title,
        summary=topic.summary if topic else "",
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        format=meeting.format,
        location=meeting.location,
        join_url=meeting.join_url,
        agenda=list(meeting.agenda),
        resources=resource_lines(session, meeting),
        counts=announcement_blocks.Counts(
            going_in_person=tally.get("going-in-person", 0),
            going_online=tally.get("going-online", 0),
            maybe=tally.get("maybe", 0),
            not_going=tally.get("not-going", 0),
            waitlisted_in_person=tally.get("waitlisted-in-person", 0),
            waitlisted_online=tally.get("waitlisted-online", 0),
        ),
        capacity_in_person=meeting.capacity_in_person,
        capacity_online=meeting.capacity_online,
        google_url=calendar_links.google_calendar_url(event),
        outlook_url=calendar_links.outlook_calendar_url(event),
        cancelled=meeting.cancelled_at is not None,
        check_in=attendance.check_in_opens(meeting) <= now <= attendance.check_in_closes(meeting),
    )


def compose(
    session: Session, row: Delivery, now: datetime, zone: ZoneInfo
) -> Outgoing | Later | Unwanted:
    if row.kind == announcements.TOPIC_ANNOUNCEMENT:
        return monthly_topic(session, row, now, zone)
    meeting = meetings.by_key(session, str(row.payload.get("meeting")))
    if meeting is None:
        return Unwanted("the meeting no longer exists")
    if row.kind == announcements.CALENDAR_FILE:
        return calendar_file(session, row, meeting, now)
    if row.kind == announcements.MEETING_ANNOUNCEMENT:
        # Locked before reading the meeting: an edit saved meanwhile either is in this post or
        # sees it under way and asks for an edit after it (storage.announcements.plan_refresh).
        announcements.lock_post(session, meeting.key)
        if meeting.cancelled_at is not None:
            return Unwanted("the meeting was cancelled before it was announced")
        message = announcement_blocks.meeting_announcement(facts(session, meeting, now), zone)
        return Outgoing(message.text, message.blocks)
    if row.kind == announcements.ANNOUNCEMENT_UPDATE:
        announcements.lock_post(session, meeting.key)  # one edit of an announcement at a time
        posted = announcements.posted_message(session, meeting.key)
        if posted is None and announcements.post_under_way(session, meeting.key):
            return Later(now + POST_UNDER_WAY_RETRY)
        if posted is None:
            return Unwanted("the announcement was never posted")
        if announcements.later_edit_waiting(session, meeting.key, row.key, now):
            return Unwanted("a later edit will show the same and more")
        last = announcements.last_edit_at(session, meeting.key, besides=row.key)
        if last is not None and now < last + announcements.UPDATE_WINDOW:
            return Later(last + announcements.UPDATE_WINDOW)
        message = announcement_blocks.meeting_announcement(facts(session, meeting, now), zone)
        return Outgoing(message.text, message.blocks, update=posted)
    if row.kind == announcements.WAITLIST_PROMOTION:
        assert meeting.id is not None
        state = rsvps.state_of(session, meeting.id, row.recipient)
        if meeting.cancelled_at is not None or state not in rsvps.GOING.values():
            return Unwanted("the seat is no longer theirs")
        if now >= meeting.starts_at:
            return Unwanted("the meeting had already started", expired=True)
    text = str(row.payload.get("text", ""))
    return Outgoing(text, announcement_blocks.notice(text))


def calendar_edition(session: Session, meeting: Meeting) -> str:
    """Names what the meeting's .ics says: a new edition for each change a calendar shows.
    Built from the English words: a coordinator's change plans the file in their language,
    and the dispatcher checks it in the channel's."""
    title = own_title(session, meeting)
    said = "|".join(
        (
            CALENDAR_TITLE.format(title=title if title is not None else UNTITLED),
            meeting.starts_at.isoformat(),
            meeting.ends_at.isoformat(),
            meeting.location,
            meeting.join_url or "",
            "cancelled" if meeting.cancelled_at else "",
        )
    )
    return hashlib.sha256(said.encode()).hexdigest()[:12]


def share_calendar_file(session: Session, meeting: Meeting, now: datetime) -> None:
    """A first .ics once the announcement is out, and a new one after a move or a cancellation."""
    announcements.plan_calendar_file(session, meeting, calendar_edition(session, meeting), now)


def calendar_file(
    session: Session, row: Delivery, meeting: Meeting, now: datetime
) -> Outgoing | Later | Unwanted:
    posted = announcements.posted_message(session, meeting.key)
    if posted is None and announcements.post_under_way(session, meeting.key):
        return Later(now + POST_UNDER_WAY_RETRY)
    if posted is None:
        return Unwanted("the announcement was never posted")
    if row.payload.get("edition") != calendar_edition(session, meeting):
        return Unwanted("the meeting changed again: a newer calendar file follows")
    event = calendar_event(meeting, meeting_title(session, meeting))
    sequence = announcements.calendar_files_shared(session, meeting.key)
    cancelled = meeting.cancelled_at is not None
    event = replace(event, sequence=sequence, cancelled=cancelled)
    if cancelled:
        text = _("This meeting is cancelled: the attached .ics file removes it from your calendar.")
    elif sequence:
        text = _("This meeting changed: open the attached .ics file to update your calendar.")
    else:
        text = _("Add this meeting to your calendar: open the attached .ics file.")
    return Outgoing(
        text,
        [],
        upload=Upload(
            filename=f"{meeting.key}.ics",
            title=_("{title} (calendar file)").format(title=event.title),
            content=calendar_links.ics(event, now=now),
            thread_ts=posted[1],
        ),
    )


def monthly_topic(
    session: Session, row: Delivery, now: datetime, zone: ZoneInfo
) -> Outgoing | Unwanted:
    month = str(row.payload.get("month"))
    topic = topics.for_month(session, month)
    if topic is None or topic.tbd:
        return Unwanted(f"no topic is chosen for {month}")
    meeting = meetings.next_for_topic(session, topic, now)
    message = announcement_blocks.monthly_topic(
        title=topic.title,
        summary=topic.summary,
        month_label=announcement_blocks.month_words(month),
        meeting=facts(session, meeting, now) if meeting else None,
        resources=[
            ResourceLine(r.title, r.url, r.kind, r.summary, c.name if c else None)
            for r, c in resources.for_topic(session, topic)
        ],
        zone=zone,
    )
    return Outgoing(message.text, message.blocks)
