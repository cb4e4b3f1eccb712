"""`/dei-topic`: one command, sub-commands by first word; anything else is a search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers import (
    agenda_work,
    announcement_blocks,
    blocks,
    coaching_work,
    lookup_work,
    resource_curation_work,
)
from handlers.answer_pool import AnswerPool
from handlers.blocks import Message
from handlers.i18n import N_, _
from handlers.resource_curation_blocks import ADD, SUGGEST
from handlers.resource_curation_forms import FormPurpose
from storage import meetings, resources, rsvps, topics
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings

SUBCOMMANDS = ("help", "calendar", "coaching", "agenda", "reminders", "suggest")
POSTING_AGENDAS = N_("posting an agenda")
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class DeiTopicRequest:
    subcommand: str  # "" for this month's topic, "search" for anything not a sub-command
    words: str


def parse_dei_topic(text: str | None) -> DeiTopicRequest:
    words = " ".join((text or "").split())
    if not words:
        return DeiTopicRequest(subcommand="", words="")
    first, _, rest = words.partition(" ")
    if first.casefold() in SUBCOMMANDS:
        return DeiTopicRequest(subcommand=first.casefold(), words=rest)
    return DeiTopicRequest(subcommand="search", words=words)


def register(
    app: App, *, db: Database, settings: Settings, clock: Clock, answers: AnswerPool
) -> None:
    app.command(blocks.COMMAND)(
        partial(answer_dei_topic, db=db, settings=settings, clock=clock, answers=answers)
    )


def answer_dei_topic(
    ack: Ack,
    command: dict[str, Any],
    respond: Respond,
    client: WebClient,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
    answers: AnswerPool,
) -> None:
    request = parse_dei_topic(command.get("text"))
    user = command["user_id"]
    coordinator = settings.is_coordinator(user)
    if request.subcommand == "help" or (request.subcommand == "agenda" and not coordinator):
        # Nothing to look up: answer inside the acknowledgement, one round trip.
        ack(**answer_without_lookup(request, user, settings).kwargs())
        return
    ack()  # Slack gives us 3 s; the database work happens after.
    if request.subcommand == "agenda" and request.words.casefold() == "new":
        # The trigger_id lives 3 s: one quick read, then straight to views.open.
        view = agenda_work.meeting_form_view(db, settings, None, clock())
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return
    if request.subcommand == "suggest":
        # Coordinators add at once; members suggest, for a coordinator to approve.
        purpose = FormPurpose(ADD if coordinator else SUGGEST)
        view = resource_curation_work.resource_form_view(db, purpose)
        client.views_open(trigger_id=command["trigger_id"], view=view)
        return

    def answer() -> None:
        message = answer_with_lookup(request, user, db, settings, clock())
        respond(response_type="ephemeral", **message.kwargs())

    def too_busy() -> None:
        respond(response_type="ephemeral", **blocks.too_busy().kwargs())

    # Off Bolt's listener threads: they are what the next acknowledgements wait for.
    answers.submit(answer, body=command, respond=respond, too_busy=too_busy)


def answer_without_lookup(request: DeiTopicRequest, user: str, settings: Settings) -> Message:
    if request.subcommand == "agenda":
        return blocks.coordinators_only(_(POSTING_AGENDAS), settings.coordinators)
    return blocks.help_message(settings.coordinators)


def answer_with_lookup(
    request: DeiTopicRequest, user: str, db: Database, settings: Settings, now: datetime
) -> Message:
    if request.subcommand == "calendar":
        return topic_calendar(db, settings, now)
    if request.subcommand == "agenda":
        return agenda_work.agenda_list(db, settings, now)
    if request.subcommand == "coaching":
        return coaching_work.coaching_overview(db, settings, user, now)
    if request.subcommand == "reminders":
        return coaching_work.reminder_settings(db, settings, user, request.words, now)
    if request.subcommand == "search":
        return lookup_work.look_up(db, settings, user, request.words, now)
    return this_months_topic(db, settings, user, now)


def this_months_topic(db: Database, settings: Settings, user: str, now: datetime) -> Message:
    local_now = now.astimezone(settings.timezone)
    month = local_now.strftime("%Y-%m")
    with db.transaction() as session:
        topic = topics.for_month(session, month)
        meeting = meetings.next_upcoming(session, now.astimezone(UTC))
        facts = None
        buttons = None
        if meeting and meeting.id is not None:
            if now < meeting.starts_at:
                buttons = announcement_blocks.rsvp_actions(meeting.key, meeting.format)
            facts = blocks.MeetingFacts(
                starts_at=meeting.starts_at,
                format=meeting.format,
                location=meeting.location,
                join_url=meeting.join_url,
                rsvp_state=rsvps.state_of(session, meeting.id, user),
            )
        found = resources.for_topic(session, topic) if topic and not topic.tbd else []
    lines = [
        blocks.ResourceLine(
            title=resource.title,
            url=resource.url,
            kind=resource.kind,
            summary=resource.summary,
            community=community.name if community else None,
        )
        for resource, community in found
    ]
    return blocks.this_months_topic(
        month_label=announcement_blocks.month_words(month),
        topic_title=topic.title if topic and not topic.tbd else None,
        topic_summary=topic.summary if topic else "",
        meeting=facts,
        resources=lines,
        zone=settings.timezone,
        rsvp_buttons=buttons,
    )


def topic_calendar(db: Database, settings: Settings, now: datetime) -> Message:
    with db.transaction() as session:
        rows = topics.calendar(session)
    months = [
        blocks.CalendarMonth(
            month=topic.month,
            label=announcement_blocks.month_words(topic.month),
            title=None if topic.tbd else topic.title,
        )
        for topic in rows
    ]
    return blocks.topic_calendar(months, now.astimezone(settings.timezone).strftime("%Y-%m"))
