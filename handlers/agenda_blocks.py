"""Pure builders for the coordinators' agenda: `/dei-topic agenda`, the list of meetings with
their buttons, and the action IDs it emits (the modals are in `handlers.agenda_modals`).

Times are Slack date tokens in blocks and written out in the group's zone in the plain `text`.
Titles, places, links and agenda items came from people: they are escaped before they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import (
    COMMAND,
    FORMAT_WORDS,
    Message,
    context,
    date_token,
    escape,
    header,
    plain_date,
    section,
    truncate,
)
from handlers.coaching_blocks import button, plain

NEW_MEETING = "agenda_new_meeting"
EDIT_MEETING = "agenda_edit_meeting"
CANCEL_MEETING = "agenda_cancel_meeting"
MARK_ATTENDANCE = "agenda_mark_attendance"

MAX_CARDS = 20  # two blocks each, well inside a message's 50
TEXT_MAX = 4000


@dataclass(frozen=True)
class Announcement:
    """Where the meeting's announcement stands on the ledger."""

    state: str  # posted | scheduled | sending | failed | none
    at: datetime | None = None  # when it is (or was) due
    channel: str | None = None


@dataclass(frozen=True)
class MeetingCard:
    """One meeting as a coordinator sees it."""

    key: str
    title: str
    topic_key: str
    starts_at: datetime
    duration_minutes: int
    format: str
    location: str
    join_url: str | None
    capacity_in_person: int | None
    capacity_online: int | None
    agenda: tuple[str, ...]
    announcement: Announcement = Announcement("none")
    attended: int = 0
    by_community: tuple[tuple[str, int], ...] = ()
    attendance_open: bool = False  # from shortly before the start
    started: bool = False
    ended: bool = False


def format_words(fmt: str) -> str:
    return FORMAT_WORDS.get(fmt, fmt)


def attendance_words(card: MeetingCard) -> str:
    parts = ", ".join(f"{escape(name)} {count}" for name, count in card.by_community)
    return f"{card.attended} ({parts})" if parts else f"{card.attended}"


def announcement_words(card: MeetingCard, zone: ZoneInfo) -> tuple[str, str]:
    """Mrkdwn and plain words for where the announcement stands."""
    found = card.announcement
    if found.state == "posted":
        where = f"<#{found.channel}>" if found.channel else "the channel"
        return f"Announced in {where}", "Announced"
    if found.state == "scheduled" and found.at is not None:
        return (
            f"Announcement goes out {date_token(found.at, zone)}",
            f"Announcement goes out {plain_date(found.at, zone)}",
        )
    if found.state in ("scheduled", "sending"):
        return "Announcement going out now", "Announcement going out now"
    if found.state == "failed":
        words = "Announcement could not be posted (`dei-bot export deliveries` says why)"
        return words, words
    return "Not announced", "Not announced"


def meeting_card(card: MeetingCard, zone: ZoneInfo) -> tuple[list[dict[str, Any]], str]:
    """The meeting's section and buttons, and its plain-text line."""
    title = escape(card.title)
    announced, announced_plain = announcement_words(card, zone)
    lines = [
        f"*{title}*, {date_token(card.starts_at, zone)} ({card.duration_minutes} min), "
        f"{format_words(card.format)}",
    ]
    if card.location:
        lines.append(f"*Where:* {escape(card.location)}")
    if card.join_url:
        lines.append(f"*Join online:* <{escape(card.join_url)}|join link>")
    seats = [
        f"{label} {number}"
        for label, number in (
            ("in person", card.capacity_in_person),
            ("online", card.capacity_online),
        )
        if number is not None
    ]
    if seats:
        lines.append(f"*Seats:* {', '.join(seats)}")
    if card.agenda:
        lines.append(f"*Agenda:* {len(card.agenda)} item{'s' if len(card.agenda) != 1 else ''}")
    lines.append(f"_{announced}_")
    text = (
        f"{title}, {plain_date(card.starts_at, zone)} ({card.duration_minutes} min), "
        f"{format_words(card.format)}. {announced_plain}."
    )
    if card.attendance_open:
        lines.append(f"*Attended:* {attendance_words(card)}")
        text += f" Attended: {attendance_words(card)}."
    # Screen readers hear each label without the section above it: say which meeting. Plain
    # text is never read as a mention, but a title's brackets would only be noise there.
    spoken = card.title.replace("<", "").replace(">", "")
    which = f"the {spoken} meeting of {card.starts_at.astimezone(zone):%b %-d}"
    elements: list[dict[str, Any]] = []
    if not card.ended:
        elements.append(button(EDIT_MEETING, "Edit", card.key, hint=f"Edit {which}"))
    if not card.started:
        elements.append(cancel_button(card.key, hint=f"Cancel {which}"))
    if card.attendance_open:
        elements.append(
            button(MARK_ATTENDANCE, "Attendance", card.key, hint=f"Mark who attended {which}")
        )
    blocks = [section("\n".join(lines))]
    if elements:
        blocks.append(
            {"type": "actions", "block_id": f"agenda:{card.key}"[:255], "elements": elements}
        )
    return blocks, text


def cancel_button(key: str, hint: str) -> dict[str, Any]:
    element = button(CANCEL_MEETING, "Cancel meeting", key, style="danger", hint=hint)
    element["confirm"] = {
        "title": plain("Cancel this meeting?"),
        "text": plain(
            "The meeting is cancelled for everyone: its announcement says so, reminders stop, "
            "and everyone who RSVP'd gets a message."
        ),
        "confirm": plain("Cancel meeting"),
        "deny": plain("Keep it"),
        "style": "danger",
    }
    return element


def new_meeting_button() -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "agenda-new",
        "elements": [button(NEW_MEETING, "New meeting", "new", style="primary")],
    }


def agenda_list(
    cards: list[MeetingCard], *, zone: ZoneInfo, announce_channel: str | None
) -> Message:
    """`/dei-topic agenda` for coordinators: the meetings, each with its buttons."""
    unset = (
        "`DEI_ANNOUNCE_CHANNEL` is not set, so announcements cannot be posted yet: "
        "ask the bot's operator to set it."
    )
    tip = f"`{COMMAND} agenda new` opens the form directly."
    if not cards:
        text = "No meetings are coming up. Schedule one with New meeting."
        extra = [context(unset)] if announce_channel is None else []
        return Message(
            text=text + (f" {unset}" if announce_channel is None else ""),
            blocks=[section(text), new_meeting_button(), *extra, context(tip)],
        )
    shown = cards[:MAX_CARDS]
    blocks: list[dict[str, Any]] = [header("Working-group meetings")]
    lines = ["Working-group meetings:"]
    if announce_channel is None:
        lines.append(unset)  # first: a long list is cut short at the end
    for card in shown:
        card_blocks, line = meeting_card(card, zone)
        blocks += card_blocks
        lines.append(f"• {truncate(line, 300)}")
    if len(cards) > len(shown):
        more = f"Only the first {len(shown)} of {len(cards)} meetings are shown."
        blocks.append(context(more))
        lines.insert(1, more)
    blocks.append(new_meeting_button())
    if announce_channel is None:
        blocks.append(context(unset))
    blocks.append(context(tip))
    return Message(text=truncate("\n".join(lines), TEXT_MAX), blocks=blocks)
