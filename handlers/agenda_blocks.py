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

from babel.dates import format_skeleton

from handlers import i18n
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
from handlers.elements import button, plain
from handlers.i18n import _, ngettext

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
    return _(FORMAT_WORDS.get(fmt, fmt))


def short_day(moment: datetime, zone: ZoneInfo) -> str:
    """`Jan 12`, `12 ene`: the day alone, for labels that already name the meeting."""
    return format_skeleton("MMMd", moment.astimezone(zone), locale=i18n.current())


def attendance_words(card: MeetingCard) -> str:
    parts = ", ".join(f"{escape(name)} {count}" for name, count in card.by_community)
    return f"{card.attended} ({parts})" if parts else f"{card.attended}"


def announcement_words(card: MeetingCard, zone: ZoneInfo) -> tuple[str, str]:
    """Mrkdwn and plain words for where the announcement stands."""
    found = card.announcement
    if found.state == "posted":
        if found.channel:
            where = _("Announced in {channel}").format(channel=f"<#{found.channel}>")
        else:
            where = _("Announced in the channel")
        return where, _("Announced")
    if found.state == "scheduled" and found.at is not None:
        goes_out = _("Announcement goes out {date}")
        return (
            goes_out.format(date=date_token(found.at, zone)),
            goes_out.format(date=plain_date(found.at, zone)),
        )
    if found.state in ("scheduled", "sending"):
        words = _("Announcement going out now")
        return words, words
    if found.state == "failed":
        words = _("Announcement could not be posted (`dei-bot export deliveries` says why)")
        return words, words
    words = _("Not announced")
    return words, words


def meeting_card(card: MeetingCard, zone: ZoneInfo) -> tuple[list[dict[str, Any]], str]:
    """The meeting's section and buttons, and its plain-text line."""
    title = escape(card.title)
    announced, announced_plain = announcement_words(card, zone)
    lines = [
        _("*{title}*, {date} ({minutes} min), {format}").format(
            title=title,
            date=date_token(card.starts_at, zone),
            minutes=card.duration_minutes,
            format=format_words(card.format),
        ),
    ]
    if card.location:
        lines.append(_("*Where:* {place}").format(place=escape(card.location)))
    if card.join_url:
        lines.append(_("*Join online:* <{url}|join link>").format(url=escape(card.join_url)))
    seats = [
        label.format(count=number)
        for label, number in (
            (_("in person {count}"), card.capacity_in_person),
            (_("online {count}"), card.capacity_online),
        )
        if number is not None
    ]
    if seats:
        lines.append(_("*Seats:* {seats}").format(seats=", ".join(seats)))
    if card.agenda:
        items = len(card.agenda)
        lines.append(
            ngettext("*Agenda:* {count} item", "*Agenda:* {count} items", items).format(count=items)
        )
    lines.append(f"_{announced}_")
    text = _("{title}, {date} ({minutes} min), {format}. {announcement}.").format(
        title=title,
        date=plain_date(card.starts_at, zone),
        minutes=card.duration_minutes,
        format=format_words(card.format),
        announcement=announced_plain,
    )
    if card.attendance_open:
        lines.append(_("*Attended:* {attended}").format(attended=attendance_words(card)))
        text += " " + _("Attended: {attended}.").format(attended=attendance_words(card))
    # Screen readers hear each label without the section above it: say which meeting. Plain
    # text is never read as a mention, but a title's brackets would only be noise there.
    which = {
        "title": card.title.replace("<", "").replace(">", ""),
        "day": short_day(card.starts_at, zone),
    }
    elements: list[dict[str, Any]] = []
    if not card.ended:
        hint = _("Edit the {title} meeting of {day}").format(**which)
        elements.append(button(EDIT_MEETING, _("Edit"), card.key, hint=hint))
    if not card.started:
        elements.append(
            cancel_button(card.key, hint=_("Cancel the {title} meeting of {day}").format(**which))
        )
    if card.attendance_open:
        hint = _("Mark who attended the {title} meeting of {day}").format(**which)
        elements.append(button(MARK_ATTENDANCE, _("Attendance"), card.key, hint=hint))
    blocks = [section("\n".join(lines))]
    if elements:
        blocks.append(
            {"type": "actions", "block_id": f"agenda:{card.key}"[:255], "elements": elements}
        )
    return blocks, text


def cancel_button(key: str, hint: str) -> dict[str, Any]:
    element = button(CANCEL_MEETING, _("Cancel meeting"), key, style="danger", hint=hint)
    element["confirm"] = {
        "title": plain(_("Cancel this meeting?")),
        "text": plain(
            _(
                "The meeting is cancelled for everyone: its announcement says so, reminders "
                "stop, and everyone who RSVP'd gets a message."
            )
        ),
        "confirm": plain(_("Cancel meeting")),
        "deny": plain(_("Keep it")),
        "style": "danger",
    }
    return element


def new_meeting_button() -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "agenda-new",
        "elements": [button(NEW_MEETING, _("New meeting"), "new", style="primary")],
    }


def agenda_list(
    cards: list[MeetingCard], *, zone: ZoneInfo, announce_channel: str | None
) -> Message:
    """`/dei-topic agenda` for coordinators: the meetings, each with its buttons."""
    unset = _(
        "`DEI_ANNOUNCE_CHANNEL` is not set, so announcements cannot be posted yet: "
        "ask the bot's operator to set it."
    )
    tip = _("`{command} agenda new` opens the form directly.").format(command=COMMAND)
    if not cards:
        text = _("No meetings are coming up. Schedule one with New meeting.")
        extra = [context(unset)] if announce_channel is None else []
        return Message(
            text=text + (f" {unset}" if announce_channel is None else ""),
            blocks=[section(text), new_meeting_button(), *extra, context(tip)],
        )
    shown = cards[:MAX_CARDS]
    blocks: list[dict[str, Any]] = [header(_("Working-group meetings"))]
    lines = [_("Working-group meetings:")]
    if announce_channel is None:
        lines.append(unset)  # first: a long list is cut short at the end
    for card in shown:
        card_blocks, line = meeting_card(card, zone)
        blocks += card_blocks
        lines.append(f"• {truncate(line, 300)}")
    if len(cards) > len(shown):
        more = _("Only the first {shown} of {total} meetings are shown.").format(
            shown=len(shown), total=len(cards)
        )
        blocks.append(context(more))
        lines.insert(1, more)
    blocks.append(new_meeting_button())
    if announce_channel is None:
        blocks.append(context(unset))
    blocks.append(context(tip))
    return Message(text=truncate("\n".join(lines), TEXT_MAX), blocks=blocks)
