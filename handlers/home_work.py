"""What the Home listeners do: gather one person's Home (one read transaction), change their
settings, look up resources for the search modal, and produce a coordinator's export.

Rendering is `handlers.home_blocks` and `handlers.home_tool_blocks`; pacing the publishes is
`handlers.home_refresh`.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from handlers import agenda_work, coaching_work, commands, home_blocks, home_tool_blocks, i18n
from handlers.announcement_blocks import month_words
from handlers.blocks import Message
from handlers.home_blocks import (
    MAX_MEETINGS,
    MAX_SESSIONS,
    HomeFacts,
    HomeMeeting,
)
from handlers.home_tool_blocks import (
    MAX_RECENT,
    MAX_SUGGESTIONS,
    CoordinatorFacts,
    RecentAttendance,
)
from handlers.resource_curation_blocks import SuggestionCard
from storage import agendas, attendance, coaching, exports, members, rsvps, suggestions, topics
from storage.attendance import Summary
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings

LISTED = 20  # meetings read for the Home: the next MAX_MEETINGS, and a count of the rest


def home_view(db: Database, settings: Settings, user: str, now: datetime) -> dict[str, Any]:
    # Published from the refresher's own thread, outside any request: say whose language it is
    # (their choice on the Home, else their Slack locale), for the month's name too.
    with db.transaction() as session:
        language = i18n.member_language(members.get(session, user))
        with i18n.speaking(language):
            facts = home_facts(session, settings, user, now)
    with i18n.speaking(language):
        return home_blocks.home_tab(facts, settings.timezone)


def home_facts(session: Session, settings: Settings, user: str, now: datetime) -> HomeFacts:
    month = now.astimezone(settings.timezone).strftime("%Y-%m")
    topic = topics.for_month(session, month)
    listed = agendas.listed(session, now, limit=LISTED, past=MAX_RECENT)
    coming = [meeting for meeting in listed if meeting.ends_at > now]
    ended = [meeting for meeting in listed if meeting.ends_at <= now]
    meetings = tuple(
        HomeMeeting(
            key=meeting.key,
            title=agenda_work.title_of(topics.by_id(session, meeting.topic_id)),
            starts_at=meeting.starts_at,
            duration_minutes=meeting.duration_minutes,
            format=meeting.format,
            location=meeting.location,
            join_url=meeting.join_url,
            rsvp_state=rsvps.state_of(session, meeting.id, user) if meeting.id else None,
            started=now >= meeting.starts_at,
        )
        for meeting in coming[:MAX_MEETINGS]
    )
    sessions = coaching.upcoming_for(session, user, now, limit=MAX_SESSIONS)
    member = members.get(session, user)
    tools = None
    if settings.is_coordinator(user):
        tallies = attendance.summaries(session, [m.id for m in ended if m.id is not None])
        recent = tuple(
            RecentAttendance(
                title=agenda_work.title_of(topics.by_id(session, meeting.topic_id)),
                starts_at=meeting.starts_at,
                attended=tallies.get(meeting.id or 0, Summary()).attended,
                by_community=tallies.get(meeting.id or 0, Summary()).by_community,
            )
            for meeting in ended
        )
        waiting, total = suggestions.pending(session, MAX_SUGGESTIONS)
        tools = CoordinatorFacts(
            recent=recent,
            announce_channel=settings.announce_channel,
            suggestions=tuple(
                SuggestionCard(row.id, row.user_id, suggestions.fields_of(row))
                for row in waiting
                if row.id is not None
            ),
            suggestions_waiting=total,
        )
    return HomeFacts(
        viewer=user,
        month_label=month_words(month),  # in the reader's language
        topic_title=topic.title if topic is not None and not topic.tbd else None,
        meetings=meetings,
        more_meetings=max(0, len(coming) - MAX_MEETINGS),
        sessions=tuple(coaching_work.cards_of(session, sessions)),
        reminders_enabled=member is None or member.reminders_enabled,
        reminder_offsets=tuple(settings.reminder_offsets),
        language=i18n.member_language(member),  # their choice, else their Slack locale
        now=now,
        coordinator=tools,
    )


def set_reminders(db: Database, settings: Settings, user: str, wanted: str, now: datetime) -> None:
    """ "on" or "off"; anything else (a forged value) changes nothing."""
    if wanted == "off":
        coaching_work.turn_reminders_off(db, user, now)
    elif wanted == "on":
        coaching_work.turn_reminders_on(db, settings, user, now)


def set_language(db: Database, user: str, language: str) -> bool:
    if language not in i18n.LANGUAGES:
        return False
    with db.transaction(write=True) as session:
        members.set_preferred_language(session, user, language)
    return True


def search(db: Database, settings: Settings, user: str, words: str, now: datetime) -> Message:
    """Exactly what `/dei-topic <words>` answers, so the modal and the command never differ."""
    # Words that happen to name a sub-command ("calendar") are still words to look up here.
    request = commands.DeiTopicRequest(subcommand="search", words=" ".join(words.split()))
    return commands.answer_with_lookup(request, user, db, settings, now)


def export_table(db: Database, what: str) -> tuple[str, int] | None:
    """The table as CSV and its number of rows, or None if it is not one coordinators export."""
    if what not in home_tool_blocks.EXPORTS:
        return None
    with db.transaction() as session:
        content = exports.export(session, what, "csv")
    rows = max(0, len(list(csv.reader(io.StringIO(content)))) - 1)  # less the header row
    return content, rows
