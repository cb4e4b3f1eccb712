"""What the agenda listeners do: the coordinators' list, the meeting form, a cancellation.

Every ledger row a change causes (the announcement planned or refreshed, reminders planned, moved
or cancelled, the cancellation DMs) is written in the same transaction as the change, so either
both happen or neither does. Each function is safe to run twice: a second click finds nothing
left to change and plans nothing more. Answers are rendered by `handlers.agenda_answers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from handlers import agenda_answers as answers
from handlers import agenda_blocks, agenda_modals, i18n, rsvp
from handlers import announcements as announcement_texts
from handlers.agenda_blocks import Announcement, MeetingCard
from handlers.agenda_forms import MeetingForm, meeting_form_errors, meeting_key
from handlers.agenda_modals import POST_LATER, TOPIC_BLOCK, TopicChoice
from handlers.announcement_blocks import month_words
from handlers.blocks import Message
from handlers.elements import notice_view
from handlers.i18n import N_, _
from handlers.outgoing import Unwanted
from handlers.reminders import member_zone, zone_of
from storage import (
    agendas,
    announcements,
    attendance,
    deliveries,
    members,
    reminder_plans,
    rsvps,
    topics,
)
from storage.attendance import Summary
from storage.database import Database
from storage.models import Delivery, DeliveryState, Meeting, Topic

if TYPE_CHECKING:
    from bot.config import Settings

UNTITLED = N_("Working-group meeting")


def has_title(topic: Topic | None) -> bool:
    """A topic the calendar names (not still to be decided): a meeting can be about it."""
    return topic is not None and not topic.tbd and bool(topic.title)


def title_of(topic: Topic | None) -> str:
    return topic.title if topic is not None and has_title(topic) else _(UNTITLED)


def month_label(month: str) -> str:
    try:
        return month_words(month)
    except ValueError:
        return month


def announcement_of(row: Delivery | None, now: datetime) -> Announcement:
    if row is None:
        return Announcement("none")
    if row.state == DeliveryState.SENT:
        return Announcement("posted", row.sent_at, row.channel or row.recipient)
    if row.state == DeliveryState.PENDING:
        state = "scheduled" if row.next_attempt_at > now else "sending"
        return Announcement(state, row.next_attempt_at, row.recipient)
    if row.state == DeliveryState.SENDING:
        return Announcement("sending", row.due_at, row.recipient)
    if row.state == DeliveryState.FAILED:
        return Announcement("failed", row.due_at, row.recipient)
    return Announcement("none")


def cards_of(session: Session, found: Sequence[Meeting], now: datetime) -> list[MeetingCard]:
    posts = agendas.announcement_rows(session, [meeting.key for meeting in found])
    attended = attendance.summaries(session, [m.id for m in found if m.id is not None])
    cards = []
    for meeting in found:
        topic = topics.by_id(session, meeting.topic_id)
        summary = attended.get(meeting.id or 0, Summary())
        cards.append(
            MeetingCard(
                key=meeting.key,
                title=title_of(topic),
                topic_key=topic.key if topic is not None else "",
                starts_at=meeting.starts_at,
                duration_minutes=meeting.duration_minutes,
                format=meeting.format,
                location=meeting.location,
                join_url=meeting.join_url,
                capacity_in_person=meeting.capacity_in_person,
                capacity_online=meeting.capacity_online,
                agenda=tuple(meeting.agenda),
                announcement=announcement_of(posts.get(meeting.key), now),
                attended=summary.attended,
                by_community=summary.by_community,
                attendance_open=now >= attendance.check_in_opens(meeting),
                started=now >= meeting.starts_at,
                ended=now >= meeting.ends_at,
            )
        )
    return cards


def card_of(session: Session, meeting: Meeting, now: datetime) -> MeetingCard:
    return cards_of(session, [meeting], now)[0]


# -- /dei-topic agenda --------------------------------------------------------------------------


def agenda_list(db: Database, settings: Settings, now: datetime) -> Message:
    with db.transaction() as session:
        cards = cards_of(session, agendas.listed(session, now), now)
    return agenda_blocks.agenda_list(
        cards, zone=settings.timezone, announce_channel=settings.announce_channel
    )


def meeting_form_view(
    db: Database, settings: Settings, editing: str | None, now: datetime
) -> dict[str, Any]:
    """The form to fill in, or a notice saying why there is none."""
    month = now.astimezone(settings.timezone).strftime("%Y-%m")
    with db.transaction() as session:
        choices = agendas.topic_choices(session, month)
        card = None
        if editing is not None:
            found = agendas.meeting_by_key(session, editing)
            if found is None or found.cancelled_at is not None:
                return notice_view(answers.not_found())
            own = topics.by_id(session, found.topic_id)
            if own is not None and has_title(own) and own.key not in {t.key for t in choices}:
                # The meeting's own topic is always a choice, however long the calendar.
                choices = [own, *choices][: agendas.MAX_TOPIC_CHOICES]
            card = card_of(session, found, now)
    if not choices:
        return notice_view(answers.no_topics())
    return agenda_modals.meeting_form(
        [TopicChoice(t.key, t.title, month_label(t.month)) for t in choices],
        editing=card,
        announce_channel=settings.announce_channel,
    )


def store_meeting(
    db: Database, settings: Settings, form: MeetingForm, user: str, now: datetime
) -> Message | dict[str, str]:
    """Creates or updates the meeting, its announcement and its reminders, or says what is wrong
    with the form (and stores nothing)."""
    with db.transaction(write=True) as session:
        topic = agendas.topic_by_key(session, form.topic_key)
        current = agendas.meeting_by_key(session, form.editing, lock=True)
        if current is not None:
            # Orders this edit against the post being composed (handlers/announcements.py).
            announcements.lock_post(session, current.key)
        post = (
            agendas.announcement_rows(session, [current.key]).get(current.key) if current else None
        )
        out = post is not None and post.state in announcements.OUT
        errors = meeting_form_errors(
            form,
            now,
            topic_known=has_title(topic),
            current_start=current.starts_at if current else None,
            posted=out,
        )
        if form.editing and (current is None or current.cancelled_at is not None):
            errors[TOPIC_BLOCK] = answers.cancelled_meanwhile()
        if errors or topic is None or topic.id is None or form.starts_at is None:
            return errors
        key = form.editing or agendas.free_key(
            session,
            meeting_key(form.starts_at, settings.timezone),
            topic_id=topic.id,
            starts_at=form.starts_at,
        )
        saved = agendas.save_meeting(
            session,
            key,
            topic_id=topic.id,
            starts_at=form.starts_at,
            duration_minutes=form.duration_minutes,
            format=form.format,
            location=form.location,
            join_url=form.join_url,
            capacity_in_person=form.seats_in_person,
            capacity_online=form.seats_online,
            agenda=form.agenda,
        )
        # More seats than before go to the waitlist first, in order, each with a DM.
        promoted = rsvps.promote(session, saved, now)
        rsvp.tell_promoted(
            session, saved, rsvp.own_title(topics.by_id(session, saved.topic_id)), promoted, now
        )
        posting = plan_announcement(session, settings, saved, form, out, now)
        # A moved start moves every reminder (and one already due is sent once, not twice).
        reminder_plans.plan_meeting(session, saved, settings.reminder_offsets, now)
        card = card_of(session, saved, now)
        zone = zone_of(session, user, settings.timezone)
    return answers.meeting_saved(
        card,
        zone,
        created=current is None,
        posting=posting,
        channel=card.announcement.channel or settings.announce_channel,
    )


def plan_announcement(
    session: Session,
    settings: Settings,
    meeting: Meeting,
    form: MeetingForm,
    out: bool,
    now: datetime,
) -> str:
    """The announcement follows the change: the posted one is edited in place; one not yet out
    is planned for the time chosen (or moved to it)."""
    if out:
        announcements.plan_refresh(session, meeting, now)
        announcement_texts.share_calendar_file(session, meeting, now)
        return answers.UPDATING
    if settings.announce_channel is None:
        return answers.NO_CHANNEL
    at = form.post_at if form.post == POST_LATER and form.post_at is not None else now
    announcements.plan_post(session, meeting, settings.announce_channel, at, now)
    return answers.POSTING_LATER if at > now else answers.POSTING_NOW


def cancel_meeting(db: Database, settings: Settings, key: str, user: str, now: datetime) -> Message:
    with db.transaction(write=True) as session:
        meeting = agendas.meeting_by_key(session, key, lock=True)
        if meeting is None or meeting.id is None:
            return answers.not_found()
        if meeting.cancelled_at is None and now >= meeting.starts_at:
            return answers.already_started()
        changed = agendas.cancel(session, meeting, now)
        told = 0
        if changed:
            # The posted announcement shows "Cancelled"; one still waiting is never posted.
            announcements.plan_refresh(session, meeting, now)
            announcement_texts.share_calendar_file(session, meeting, now)
            post = [announcements.post_key(meeting.key)]
            # The ledger keeps why, for operators (`dei-bot export deliveries`).
            deliveries.cancel(session, post, now, Unwanted("the meeting was cancelled").reason)
            reminder_plans.plan_meeting(session, meeting, settings.reminder_offsets, now)
            told = tell_everyone_it_is_cancelled(session, settings, meeting, user, now)
        card = card_of(session, meeting, now)
        zone = zone_of(session, user, settings.timezone)
    return answers.meeting_cancelled(card, zone, changed=changed, told=told)


def tell_everyone_it_is_cancelled(
    session: Session, settings: Settings, meeting: Meeting, by: str, now: datetime
) -> int:
    """One DM, through the ledger, to each person who RSVP'd going, maybe or waitlisted (the
    coordinator who cancelled knows already), in that person's zone and language. The key makes
    a repeated cancel send nothing."""
    assert meeting.id is not None
    topic = topics.by_id(session, meeting.topic_id)
    told = 0
    for person in agendas.told_of_cancellation(session, meeting.id):
        if person == by:
            continue
        member = members.get(session, person)
        with i18n.speaking(i18n.member_language(member)):
            text = answers.cancellation_notice(
                title_of(topic), meeting.starts_at, member_zone(member, settings.timezone)
            )
        announcements.notify(
            session,
            key=f"meeting-cancelled:{meeting.key}:{person}",
            kind=announcements.MEETING_CANCELLED,
            recipient=person,
            text=text,
            now=now,
            meeting=meeting.key,
        )
        told += 1
    return told
