"""The meeting announcement and the answers to an RSVP click. Pure builders.

The announcement is what the working-group channel sees: topic, time (a date token, so each
reader sees their own zone), format, place and link, agenda, top resources, RSVP buttons with
live counts, and add-to-calendar links. Counts are part of the text too, for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import (
    FORMAT_WORDS,
    Message,
    ResourceLine,
    context,
    date_token,
    escape,
    header,
    plain_date,
    resource_line,
    section,
    truncate,
)

GOING_IN_PERSON = "rsvp_going_in_person"
GOING_ONLINE = "rsvp_going_online"
MAYBE = "rsvp_maybe"
NOT_GOING = "rsvp_not_going"
CALENDAR_LINK = "calendar_link"
CHECK_IN = "attendance_check_in"  # shown from the start of the meeting; the value is its key
RSVP_STATES = {
    GOING_IN_PERSON: "going-in-person",
    GOING_ONLINE: "going-online",
    MAYBE: "maybe",
    NOT_GOING: "not-going",
}
BUTTON_WORDS = {
    GOING_IN_PERSON: "Going, in person",
    GOING_ONLINE: "Going, online",
    MAYBE: "Maybe",
    NOT_GOING: "Can't make it",
}
MAX_AGENDA_ITEMS = 20


@dataclass(frozen=True)
class Counts:
    going_in_person: int = 0
    going_online: int = 0
    maybe: int = 0
    not_going: int = 0
    waitlisted_in_person: int = 0
    waitlisted_online: int = 0


@dataclass(frozen=True)
class AnnouncementFacts:
    meeting_key: str
    title: str
    summary: str
    starts_at: datetime
    duration_minutes: int
    format: str
    location: str
    join_url: str | None
    agenda: list[str]
    resources: list[ResourceLine]
    counts: Counts
    capacity_in_person: int | None
    capacity_online: int | None
    google_url: str
    outlook_url: str
    cancelled: bool = False
    check_in: bool = False  # from shortly before the start: a "Check in" button


def buttons_for(format: str) -> list[str]:
    if format == "in-person":
        return [GOING_IN_PERSON, MAYBE, NOT_GOING]
    if format == "online":
        return [GOING_ONLINE, MAYBE, NOT_GOING]
    return [GOING_IN_PERSON, GOING_ONLINE, MAYBE, NOT_GOING]


def rsvp_actions(meeting_key: str, format: str) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": f"rsvp:{meeting_key}"[:255],
        "elements": [
            {
                "type": "button",
                "action_id": action,
                "text": {"type": "plain_text", "text": BUTTON_WORDS[action]},
                "value": meeting_key,
                **({"style": "primary"} if action != NOT_GOING else {}),
            }
            for action in buttons_for(format)
        ],
    }


def seats(going: int, capacity: int | None, waitlisted: int) -> str:
    if capacity is None:
        return f"{going}"
    extra = f", {waitlisted} on the waitlist" if waitlisted else ""
    return f"{going} of {capacity} seats{extra}"


def count_line(facts: AnnouncementFacts) -> str:
    counts = facts.counts
    parts = []
    if facts.format in ("in-person", "hybrid"):
        parts.append(
            "in person "
            + seats(counts.going_in_person, facts.capacity_in_person, counts.waitlisted_in_person)
        )
    if facts.format in ("online", "hybrid"):
        parts.append(
            "online " + seats(counts.going_online, facts.capacity_online, counts.waitlisted_online)
        )
    parts.append(f"maybe {counts.maybe}")
    parts.append(f"can't make it {counts.not_going}")
    return "Going: " + "; ".join(parts)


def meeting_announcement(facts: AnnouncementFacts, zone: ZoneInfo) -> Message:
    how = FORMAT_WORDS.get(facts.format, facts.format)
    when_plain = plain_date(facts.starts_at, zone)
    if facts.cancelled:
        text = f"Cancelled: the working-group meeting on {facts.title}, {when_plain}."
        cancelled_blocks = [
            header(f"Cancelled: {facts.title}"),
            section(
                f"~The working-group meeting on *{escape(facts.title)}*, "
                f"{date_token(facts.starts_at, zone)}~ is *cancelled*."
            ),
        ]
        return Message(text=text, blocks=cancelled_blocks)
    details = [f"*When:* {date_token(facts.starts_at, zone)} ({facts.duration_minutes} minutes)"]
    details.append(f"*Format:* {how}")
    plain = [
        f"Working-group meeting: {facts.title}, {when_plain}, {facts.duration_minutes} minutes, "
        f"{how}."
    ]
    if facts.location:
        details.append(f"*Where:* {escape(facts.location)}")
        plain.append(f"Where: {facts.location}.")
    if facts.join_url:
        details.append(f"*Join online:* <{facts.join_url}|join link>")
        plain.append(f"Join online: {facts.join_url}")
    blocks: list[dict[str, Any]] = [header(f"Working group: {facts.title}")]
    if facts.summary:
        blocks.append(section(escape(facts.summary)))
    blocks.append(section("\n".join(details)))
    agenda = facts.agenda[:MAX_AGENDA_ITEMS]
    if agenda:
        items = "\n".join(f"{n}. {escape(truncate(item, 200))}" for n, item in enumerate(agenda, 1))
        blocks.append(section("*Agenda*\n" + items))
        plain.append("Agenda: " + "; ".join(agenda) + ".")
    if facts.resources:
        rendered = [resource_line(resource) for resource in facts.resources]
        blocks.append(section("*Resources*\n" + "\n".join(m for m, _ in rendered)))
        plain.append("Resources: " + "; ".join(p for _, p in rendered))
    counts = count_line(facts)
    blocks.append(context(counts))
    plain.append(counts + ".")
    blocks.append(rsvp_actions(facts.meeting_key, facts.format))
    if facts.check_in:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"check-in:{facts.meeting_key}"[:255],
                "elements": [
                    {
                        "type": "button",
                        "action_id": CHECK_IN,
                        "text": {"type": "plain_text", "text": "Check in"},
                        "value": facts.meeting_key,
                        "accessibility_label": "Record that you are attending this meeting",
                    }
                ],
            }
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": f"calendar:{facts.meeting_key}"[:255],
            "elements": [
                {
                    "type": "button",
                    "action_id": f"{CALENDAR_LINK}_{name}",
                    "text": {"type": "plain_text", "text": f"Add to {label}"},
                    "url": url,
                    "accessibility_label": f"Add this meeting to {label} (opens the web)",
                }
                for name, label, url in (
                    ("google", "Google Calendar", facts.google_url),
                    ("outlook", "Outlook", facts.outlook_url),
                )
            ],
        }
    )
    return Message(text=" ".join(plain), blocks=blocks)


def notice(text: str) -> list[dict[str, Any]]:
    return [section(text)]


def monthly_topic(
    *,
    title: str,
    summary: str,
    month_label: str,
    meeting: AnnouncementFacts | None,
    resources: list[ResourceLine],
    zone: ZoneInfo,
) -> Message:
    """The month's topic, in the announcement channel, on the configured day."""
    blocks: list[dict[str, Any]] = [header(f"{month_label}: {title}")]
    plain = [f"This month's working-group topic ({month_label}): {title}."]
    if summary:
        blocks.append(section(escape(summary)))
        plain.append(summary)
    if meeting:
        how = FORMAT_WORDS.get(meeting.format, meeting.format)
        blocks.append(section(f"*Meeting:* {date_token(meeting.starts_at, zone)} ({how})."))
        plain.append(f"Meeting: {plain_date(meeting.starts_at, zone)} ({how}).")
    if resources:
        rendered = [resource_line(resource) for resource in resources]
        blocks.append(section("*Resources*\n" + "\n".join(m for m, _ in rendered)))
        plain.append("Resources: " + "; ".join(p for _, p in rendered))
    blocks.append(
        context("`/dei-topic` shows the meeting and your RSVP; `/dei-topic help` shows more.")
    )
    return Message(text=" ".join(plain), blocks=blocks)


CONFIRMATIONS = {
    "going-in-person": "You're going, in person",
    "going-online": "You're going, online",
    "maybe": "You're a maybe",
    "not-going": "You can't make it; thanks for letting us know",
}


SUPERSEDED = "Your later click reached us first, so it stands"


def rsvp_confirmation(
    *,
    state: str,
    title: str,
    starts_at: datetime,
    zone: ZoneInfo,
    position: int | None,
    superseded: bool = False,
) -> Message:
    when = plain_date(starts_at, zone)
    if state.startswith("waitlisted"):
        where = "in person" if state.endswith("in-person") else "online"
        line = (
            f"The {where} seats for {title} ({when}) are full: you are number {position} on "
            "the waitlist. If a seat frees up you get it, and a direct message."
        )
    else:
        line = f"{CONFIRMATIONS.get(state, state)}: {title}, {when}."
        if state != "not-going":
            line += (
                " You'll get a reminder before it starts (`/dei-topic reminders off` stops them)."
            )
    if superseded:
        line = f"{SUPERSEDED}. {line}"
    return Message(text=line, blocks=[section(escape(line))])


def rsvp_refused(title: str, reason: str) -> Message:
    text = f"Your RSVP for {title} was not changed: {reason}"
    return Message(text=text, blocks=[section(escape(text))])
