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

from babel.dates import format_skeleton

from handlers import i18n
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
from handlers.i18n import N_, _

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
BUTTON_WORDS = {  # translated where shown: _(BUTTON_WORDS[action])
    GOING_IN_PERSON: N_("Going, in person"),
    GOING_ONLINE: N_("Going, online"),
    MAYBE: N_("Maybe"),
    NOT_GOING: N_("Can't make it"),
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
                "text": {"type": "plain_text", "text": _(BUTTON_WORDS[action])},
                "value": meeting_key,
                **({"style": "primary"} if action != NOT_GOING else {}),
            }
            for action in buttons_for(format)
        ],
    }


def seats(going: int, capacity: int | None, waitlisted: int) -> str:
    if capacity is None:
        return f"{going}"
    if waitlisted:
        return _("{going} of {capacity} seats, {waitlisted} on the waitlist").format(
            going=going, capacity=capacity, waitlisted=waitlisted
        )
    return _("{going} of {capacity} seats").format(going=going, capacity=capacity)


def count_line(facts: AnnouncementFacts) -> str:
    counts = facts.counts
    parts = []
    if facts.format in ("in-person", "hybrid"):
        taken = seats(counts.going_in_person, facts.capacity_in_person, counts.waitlisted_in_person)
        parts.append(_("in person {seats}").format(seats=taken))
    if facts.format in ("online", "hybrid"):
        taken = seats(counts.going_online, facts.capacity_online, counts.waitlisted_online)
        parts.append(_("online {seats}").format(seats=taken))
    parts.append(_("maybe {count}").format(count=counts.maybe))
    parts.append(_("can't make it {count}").format(count=counts.not_going))
    return _("Going: {counts}").format(counts="; ".join(parts))


def meeting_announcement(facts: AnnouncementFacts, zone: ZoneInfo) -> Message:
    how = _(FORMAT_WORDS.get(facts.format, facts.format))
    when_plain = plain_date(facts.starts_at, zone)
    if facts.cancelled:
        text = _("Cancelled: the working-group meeting on {title}, {date}.").format(
            title=facts.title, date=when_plain
        )
        cancelled_blocks = [
            header(_("Cancelled: {title}").format(title=facts.title)),
            section(
                _("~The working-group meeting on *{title}*, {date}~ is *cancelled*.").format(
                    title=escape(facts.title), date=date_token(facts.starts_at, zone)
                )
            ),
        ]
        return Message(text=text, blocks=cancelled_blocks)
    minutes = facts.duration_minutes
    details = [
        _("*When:* {date} ({minutes} minutes)").format(
            date=date_token(facts.starts_at, zone), minutes=minutes
        ),
        _("*Format:* {format}").format(format=how),
    ]
    plain = [
        _("Working-group meeting: {title}, {date}, {minutes} minutes, {format}.").format(
            title=facts.title, date=when_plain, minutes=minutes, format=how
        )
    ]
    if facts.location:
        details.append(_("*Where:* {place}").format(place=escape(facts.location)))
        plain.append(_("Where: {place}.").format(place=facts.location))
    if facts.join_url:
        details.append(_("*Join online:* <{url}|join link>").format(url=facts.join_url))
        plain.append(_("Join online: {url}").format(url=facts.join_url))
    blocks: list[dict[str, Any]] = [header(_("Working group: {title}").format(title=facts.title))]
    if facts.summary:
        blocks.append(section(escape(facts.summary)))
    blocks.append(section("\n".join(details)))
    agenda = facts.agenda[:MAX_AGENDA_ITEMS]
    if agenda:
        items = "\n".join(f"{n}. {escape(truncate(item, 200))}" for n, item in enumerate(agenda, 1))
        blocks.append(section(_("*Agenda*") + "\n" + items))
        plain.append(_("Agenda: {items}.").format(items="; ".join(agenda)))
    if facts.resources:
        rendered = [resource_line(resource) for resource in facts.resources]
        blocks.append(section(_("*Resources*") + "\n" + "\n".join(m for m, _p in rendered)))
        plain.append(
            _("Resources: {resources}").format(resources="; ".join(p for _m, p in rendered))
        )
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
                        "text": {"type": "plain_text", "text": _("Check in")},
                        "value": facts.meeting_key,
                        "accessibility_label": _("Record that you are attending this meeting"),
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
                    "text": {"type": "plain_text", "text": label},
                    "url": url,
                    "accessibility_label": hint,
                }
                for name, label, hint, url in (
                    (
                        "google",
                        _("Add to Google Calendar"),
                        _("Add this meeting to Google Calendar (opens the web)"),
                        facts.google_url,
                    ),
                    (
                        "outlook",
                        _("Add to Outlook"),
                        _("Add this meeting to Outlook (opens the web)"),
                        facts.outlook_url,
                    ),
                )
            ],
        }
    )
    return Message(text=" ".join(plain), blocks=blocks)


def notice(text: str) -> list[dict[str, Any]]:
    return [section(text)]


def month_words(month: str) -> str:
    """`2027-01` as the reader says it: "January 2027", "enero de 2027"."""
    first = datetime.strptime(month, "%Y-%m")
    return format_skeleton("yMMMM", first, locale=i18n.current())


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
    plain = [
        _("This month's working-group topic ({month}): {title}.").format(
            month=month_label, title=title
        )
    ]
    if summary:
        blocks.append(section(escape(summary)))
        plain.append(summary)
    if meeting:
        how = _(FORMAT_WORDS.get(meeting.format, meeting.format))
        when = date_token(meeting.starts_at, zone)
        blocks.append(section(_("*Meeting:* {date} ({format}).").format(date=when, format=how)))
        when = plain_date(meeting.starts_at, zone)
        plain.append(_("Meeting: {date} ({format}).").format(date=when, format=how))
    if resources:
        rendered = [resource_line(resource) for resource in resources]
        blocks.append(section(_("*Resources*") + "\n" + "\n".join(m for m, _p in rendered)))
        plain.append(
            _("Resources: {resources}").format(resources="; ".join(p for _m, p in rendered))
        )
    blocks.append(
        context(_("`/dei-topic` shows the meeting and your RSVP; `/dei-topic help` shows more."))
    )
    return Message(text=" ".join(plain), blocks=blocks)


CONFIRMATIONS = {  # translated where shown: _(CONFIRMATIONS[state])
    "going-in-person": N_("You're going, in person"),
    "going-online": N_("You're going, online"),
    "maybe": N_("You're a maybe"),
    "not-going": N_("You can't make it; thanks for letting us know"),
}


SUPERSEDED = N_("Your later click reached us first, so it stands")


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
        full = (
            _(
                "The in person seats for {title} ({date}) are full: you are number {position} "
                "on the waitlist. If a seat frees up you get it, and a direct message."
            )
            if state.endswith("in-person")
            else _(
                "The online seats for {title} ({date}) are full: you are number {position} on "
                "the waitlist. If a seat frees up you get it, and a direct message."
            )
        )
        line = full.format(title=title, date=when, position=position)
    else:
        line = f"{_(CONFIRMATIONS.get(state, state))}: {title}, {when}."
        if state != "not-going":
            line += " " + _(
                "You'll get a reminder before it starts (`/dei-topic reminders off` stops them)."
            )
    if superseded:
        line = f"{_(SUPERSEDED)}. {line}"
    return Message(text=line, blocks=[section(escape(line))])


# Why a click changed nothing: each a whole sentence (`rsvp_refused(title, GONE)`).
GONE = N_("Your RSVP for this meeting was not changed: it no longer exists.")
CANCELLED = N_("Your RSVP for {title} was not changed: the meeting was cancelled.")
STARTED = N_(
    "Your RSVP for {title} was not changed: the meeting has already started. Coordinators can "
    "update attendance."
)


def rsvp_refused(title: str, why: str) -> Message:
    text = _(why).format(title=title)
    return Message(text=text, blocks=[section(escape(text))])
