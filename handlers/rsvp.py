"""RSVP buttons, on the announcement and on `/dei-topic`: one row per (meeting, member)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from handlers import announcement_blocks, home_refresh, i18n
from handlers.announcement_blocks import RSVP_STATES
from handlers.blocks import Message, escape
from handlers.i18n import _
from handlers.replies import tell
from storage import announcements, meetings, members, reminder_plans, rsvps, topics
from storage.database import Database
from storage.models import Meeting, Topic

if TYPE_CHECKING:
    from bot.config import Settings

Clock = Callable[[], datetime]


def register(app: App, *, db: Database, settings: Settings, clock: Clock) -> None:
    for action_id in RSVP_STATES:
        app.action(action_id)(partial(answer_rsvp, db=db, settings=settings, clock=clock))
    # Link buttons open the browser, and Slack still tells the app: acknowledge, nothing more.
    app.action(re.compile(f"^{announcement_blocks.CALENDAR_LINK}"))(acknowledge)


def acknowledge(ack: Ack) -> None:
    ack()


def answer_rsvp(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    *,
    db: Database,
    settings: Settings,
    clock: Clock,
) -> None:
    ack()  # Slack gives us 3 s; the click is stored right after
    user = body["user"]["id"]
    clicked = record_click(
        db,
        settings,
        str(action.get("value", "")),
        user,
        RSVP_STATES[action["action_id"]],
        clock(),
        clicked_at=action_time(action),
    )
    tell(respond, client, body, clicked.answer)  # on the App Home there is no response_url: a DM
    home_refresh.refresh(context, [user, *clicked.promoted])


def own_title(topic: Topic | None) -> str | None:
    """The topic's title; None while it is still to be decided."""
    return topic.title if topic and not topic.tbd else None


def title_of(topic: Topic | None) -> str:
    title = own_title(topic)
    return title if title is not None else _("the working-group meeting")


def tell_promoted(
    session: Session, meeting: Meeting, title: str | None, promoted: list[str], now: datetime
) -> None:
    """A DM to each member a freed (or added) seat went to, through the ledger, in their own
    language: the click or the save that freed the seat was someone else's. `title`: the
    topic's own (`own_title`); None names the meeting in the recipient's words."""
    for user in promoted:
        with i18n.speaking(i18n.member_language(members.get(session, user))):
            named = title if title is not None else _("the working-group meeting")
            text = _(
                "Good news: a seat opened up and it is yours. You're going to {title}. If you "
                "can't make it after all, click \"Can't make it\" on the announcement."
            ).format(title=escape(named))
        announcements.notify(
            session,
            f"promotion:{meeting.key}:{user}:{int(now.timestamp())}",
            announcements.WAITLIST_PROMOTION,
            user,
            text,
            now,
            meeting=meeting.key,
        )


def action_time(action: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(action["action_ts"]), UTC)
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Clicked:
    answer: Message  # for the clicker
    promoted: tuple[str, ...] = ()  # who got a seat because of it: their Home changed too


def record_click(
    db: Database,
    settings: Settings,
    meeting_key: str,
    user: str,
    wanted: str,
    now: datetime,
    *,
    clicked_at: datetime | None = None,
) -> Clicked:
    """The click, its waitlist promotions, reminders and the announcement's counts: one
    transaction, so a crash leaves all of it or none."""
    with db.transaction(write=True) as session:
        meeting = meetings.by_key(session, meeting_key)
        if meeting is None or meeting.id is None:
            return Clicked(announcement_blocks.rsvp_refused("", announcement_blocks.GONE))
        topic = topics.by_id(session, meeting.topic_id)
        title = title_of(topic)
        if meeting.cancelled_at is not None:
            return Clicked(announcement_blocks.rsvp_refused(title, announcement_blocks.CANCELLED))
        if now >= meeting.starts_at:
            return Clicked(announcement_blocks.rsvp_refused(title, announcement_blocks.STARTED))
        outcome = rsvps.click(session, meeting, user, wanted, now, clicked_at)
        tell_promoted(session, meeting, own_title(topic), outcome.promoted, now)
        if outcome.changed or outcome.promoted:
            for member in (user, *outcome.promoted):
                reminder_plans.plan_meeting_member(
                    session, meeting, member, settings.reminder_offsets, now
                )
            announcements.plan_refresh(session, meeting, now)
        answer = announcement_blocks.rsvp_confirmation(
            state=outcome.state,
            title=title,
            starts_at=meeting.starts_at,
            zone=settings.timezone,
            position=outcome.waitlist_position,
            superseded=outcome.superseded,
        )
    return Clicked(answer, promoted=tuple(outcome.promoted))
