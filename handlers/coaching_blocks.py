"""Pure builders for `/dei-topic coaching`: the overview of upcoming sessions, each session's
card and buttons, and the IDs those buttons emit. The modals are in `handlers.coaching_modals`.

Times are Slack date tokens in blocks (each reader sees their own zone) and written out in the
group's zone in the plain `text`. Places and names are escaped before they are shown.
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
    Message,
    context,
    date_token,
    escape,
    header,
    plain_date,
    section,
    truncate,
)
from handlers.elements import TEXT_MAX, button, plain
from handlers.i18n import _, ngettext
from handlers.reminder_blocks import ASK_COACH, CANT_MAKE_IT, session_name

SCHEDULE_SESSION = "coaching_schedule_session"
EDIT_SESSION = "coaching_edit_session"
CANCEL_SESSION = "coaching_cancel_session"

MAX_CARDS = 20  # two blocks each, well inside a message's 50
TEXT_LINE_MAX = 300  # per session in the plain-text fallback


@dataclass(frozen=True)
class SessionCard:
    """One coaching session as a person sees it."""

    key: str
    cohort: str
    coach: str
    starts_at: datetime
    duration_minutes: int
    location: str
    join_url: str | None
    participants: tuple[str, ...]  # still coming
    declined: tuple[str, ...] = ()  # said they can't make it


def where_lines(card: SessionCard) -> tuple[list[str], list[str]]:
    mrkdwn: list[str] = []
    words: list[str] = []
    if card.location:
        mrkdwn.append(_("*Where:* {place}").format(place=escape(card.location)))
        words.append(_("Where: {place}.").format(place=escape(card.location)))
    if card.join_url:
        label = _("join link")
        link = f"<{escape(card.join_url)}|{label}>"
        mrkdwn.append(_("*Join online:* {link}").format(link=link))
        words.append(_("Join online: {link}").format(link=escape(card.join_url)))
    if not mrkdwn:
        mrkdwn.append(_("*Where:* not set yet"))
        words.append(_("Place not set yet."))
    return mrkdwn, words


def people(users: tuple[str, ...]) -> str:
    return ", ".join(f"<@{user}>" for user in users)


def session_card(
    card: SessionCard, *, viewer: str, coordinator: bool, now: datetime, zone: ZoneInfo
) -> tuple[list[dict[str, Any]], str]:
    """The session's section and buttons, and its plain-text line."""
    is_coach = viewer == card.coach
    if is_coach:
        headline = _("*{name}*, {date} ({minutes} min), you are the coach")
        sentence = _("{name}, {date} ({minutes} min), you are the coach.")
    else:
        headline = _("*{name}*, {date} ({minutes} min), coach <@{coach}>")
        sentence = _("{name}, {date} ({minutes} min), coach <@{coach}>.")
    name, minutes = escape(session_name(card.cohort)), card.duration_minutes
    mrkdwn_where, plain_where = where_lines(card)
    lines = [
        headline.format(
            name=name, date=date_token(card.starts_at, zone), minutes=minutes, coach=card.coach
        ),
        *mrkdwn_where,
        _("*Participants:* {people}").format(people=people(card.participants) or _("nobody yet")),
    ]
    if card.declined:
        lines.append(_("*Can't make it:* {people}").format(people=people(card.declined)))
    if viewer in card.declined:
        lines.append(_("_You told the coach you can't make it._"))
    started = now >= card.starts_at
    if started:
        lines.append(_("_Happening now._"))
    when = plain_date(card.starts_at, zone)
    text = (
        sentence.format(name=name, date=when, minutes=minutes, coach=card.coach)
        + " "
        + " ".join(plain_where)
    )
    blocks = [section("\n".join(lines))]
    elements: list[dict[str, Any]] = []
    target = f"coaching:{card.key}"
    # Screen readers hear each label without the section above it: say which session.
    which = session_of_day(card, zone)
    if not started and viewer in card.participants:
        elements.append(
            button(
                ASK_COACH,
                _("Send the coach a question"),
                target,
                hint=_("Ask about {session}").format(session=which),
            )
        )
        elements.append(
            button(
                CANT_MAKE_IT,
                _("Can't make it"),
                target,
                hint=_("Tell the coach: not at {session}").format(session=which),
            )
        )
    elif not started and is_coach:
        elements.append(
            button(
                CANT_MAKE_IT,
                _("Can't make it"),
                target,
                hint=_("Tell coordinators: not at {session}").format(session=which),
            )
        )
    if coordinator:
        edit_hint = _("Edit {session}").format(session=which)
        elements.append(button(EDIT_SESSION, _("Edit"), card.key, hint=edit_hint))
        if not started:
            elements.append(cancel_button(card, hint=_("Cancel {session}").format(session=which)))
    if elements:
        blocks.append(
            {"type": "actions", "block_id": f"session:{card.key}"[:255], "elements": elements}
        )
    return blocks, text


def session_of_day(card: SessionCard, zone: ZoneInfo) -> str:
    """ "the LORE 2027 session of Jan 28": which session a button is about, said briefly."""
    day = format_skeleton("MMMd", card.starts_at.astimezone(zone), locale=i18n.current())
    if card.cohort:
        return _("the {cohort} session of {day}").format(cohort=card.cohort, day=day)
    return _("the coaching session of {day}").format(day=day)


def cancel_button(card: SessionCard, hint: str) -> dict[str, Any]:
    element = button(CANCEL_SESSION, _("Cancel session"), card.key, style="danger", hint=hint)
    element["confirm"] = {
        "title": plain(_("Cancel this session?")),
        "text": plain(
            _(
                "The session is cancelled for everyone, and its participants and coach get a "
                "message saying so."
            )
        ),
        "confirm": plain(_("Cancel session")),
        "deny": plain(_("Keep it")),
        "style": "danger",
    }
    return element


def schedule_button() -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "coaching:schedule",
        "elements": [
            button(SCHEDULE_SESSION, _("Schedule a coaching session"), "new", style="primary")
        ],
    }


def coaching_overview(
    cards: list[SessionCard],
    *,
    viewer: str,
    coordinator: bool,
    coordinators: tuple[str, ...],
    now: datetime,
    zone: ZoneInfo,
) -> Message:
    """`/dei-topic coaching`: the reader's next sessions; coordinators see every upcoming one."""
    title = _("Upcoming coaching sessions") if coordinator else _("Your coaching sessions")
    if not cards:
        if coordinator:
            text = _("No coaching sessions are coming up.")
        elif coordinators:
            text = _(
                "You have no coaching sessions coming up. If you expected one, ask {people}."
            ).format(people=people(coordinators))
        else:
            text = _(
                "You have no coaching sessions coming up. If you expected one, ask the "
                "working-group coordinators."
            )
        offer = [schedule_button()] if coordinator else []
        return Message(text=text, blocks=[section(text), *offer])
    shown = cards[:MAX_CARDS]
    blocks: list[dict[str, Any]] = [header(title)]
    more = (
        ngettext(
            "Only the next {count} is shown.", "Only the next {count} are shown.", len(shown)
        ).format(count=len(shown))
        if len(cards) > len(shown)
        else ""
    )
    lines = [f"{title}: {more}".strip()]
    for card in shown:
        card_blocks, line = session_card(
            card, viewer=viewer, coordinator=coordinator, now=now, zone=zone
        )
        blocks += card_blocks
        lines.append(f"• {truncate(line, TEXT_LINE_MAX)}")
    if more:
        blocks.append(context(more))
    if coordinator:
        blocks.append(schedule_button())
    else:
        blocks.append(
            context(_("`{command} reminders off` stops reminder DMs.").format(command=COMMAND))
        )
    return Message(text=truncate("\n".join(lines), TEXT_MAX), blocks=blocks)
