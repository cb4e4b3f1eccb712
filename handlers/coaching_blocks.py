"""Pure builders for coaching: `/dei-topic coaching`, the coordinators' session form, the
question-for-the-coach form, and the IDs they emit.

Times are Slack date tokens in blocks (each reader sees their own zone) and written out in the
group's zone in the plain `text`. Places, names and questions are escaped before they are shown.
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
from handlers.i18n import _, ngettext
from handlers.reminder_blocks import ASK_COACH, CANT_MAKE_IT, session_name

SCHEDULE_SESSION = "coaching_schedule_session"
EDIT_SESSION = "coaching_edit_session"
CANCEL_SESSION = "coaching_cancel_session"

SESSION_FORM = "coaching_session_form"  # callback_id
COHORT_BLOCK, COHORT_INPUT = "coaching_cohort", "cohort"
COACH_BLOCK, COACH_INPUT = "coaching_coach", "coach"
PARTICIPANTS_BLOCK, PARTICIPANTS_INPUT = "coaching_participants", "participants"
START_BLOCK, START_INPUT = "coaching_start", "starts_at"
DURATION_BLOCK, DURATION_INPUT = "coaching_duration", "duration_minutes"
LOCATION_BLOCK, LOCATION_INPUT = "coaching_location", "location"
JOIN_URL_BLOCK, JOIN_URL_INPUT = "coaching_join_url", "join_url"

QUESTION_FORM = "coaching_question_form"  # callback_id
QUESTION_BLOCK, QUESTION_INPUT = "coaching_question", "question"

QUESTION_MAX = 1000
MAX_DURATION = 600
LOCATION_MAX = 200
MAX_CARDS = 20  # two blocks each, well inside a message's 50
TEXT_LINE_MAX = 300  # per session in the plain-text fallback
TEXT_MAX = 4000  # Slack asks for a message text under 4,000 characters
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150


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


@dataclass(frozen=True)
class CohortChoice:
    key: str
    name: str


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def button(
    action_id: str, label: str, value: str, *, style: str | None = None, hint: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": plain(truncate(label, 75)),
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    if hint:
        element["accessibility_label"] = truncate(hint, 75)
    return element


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


def cohort_option(choice: CohortChoice) -> dict[str, Any]:
    return {
        "text": plain(truncate(choice.name or choice.key, OPTION_TEXT_MAX)),
        "value": choice.key[:OPTION_VALUE_MAX],
    }


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def session_form(
    cohorts: list[CohortChoice], *, editing: SessionCard | None = None, cohort_key: str = ""
) -> dict[str, Any]:
    """The coordinators' modal to schedule a session, or to edit `editing` (`cohort_key` is its
    cohort's key). Slack checks required fields and number bounds; we check again on submit."""
    options = [cohort_option(choice) for choice in cohorts[:100]]
    cohort: dict[str, Any] = {
        "type": "static_select",
        "action_id": COHORT_INPUT,
        "options": options,
    }
    coach: dict[str, Any] = {"type": "users_select", "action_id": COACH_INPUT}
    chosen: dict[str, Any] = {"type": "multi_users_select", "action_id": PARTICIPANTS_INPUT}
    start: dict[str, Any] = {"type": "datetimepicker", "action_id": START_INPUT}
    duration: dict[str, Any] = {
        "type": "number_input",
        "action_id": DURATION_INPUT,
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": str(MAX_DURATION),
        "initial_value": "60",
    }
    location: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": LOCATION_INPUT,
        "max_length": LOCATION_MAX,
    }
    join_url: dict[str, Any] = {"type": "url_text_input", "action_id": JOIN_URL_INPUT}
    if editing is not None:
        current = next((o for o in options if o["value"] == cohort_key), None)
        if current is not None:
            cohort["initial_option"] = current
        coach["initial_user"] = editing.coach
        chosen["initial_users"] = list(editing.participants + editing.declined)
        start["initial_date_time"] = int(editing.starts_at.timestamp())
        duration["initial_value"] = str(editing.duration_minutes)
        if editing.location:
            location["initial_value"] = editing.location[:LOCATION_MAX]
        if editing.join_url:
            join_url["initial_value"] = editing.join_url
    blocks: list[dict[str, Any]] = []
    if not options:
        blocks.append(
            section(
                _("No cohorts exist yet: add them with `dei-bot import` (the `cohorts` section).")
            )
        )
    blocks += [
        input_block(COHORT_BLOCK, _("Cohort"), cohort),
        input_block(COACH_BLOCK, _("Coach"), coach),
        input_block(
            PARTICIPANTS_BLOCK,
            _("Participants"),
            chosen,
            hint=_("Everyone who attends, apart from the coach."),
        ),
        input_block(START_BLOCK, _("Starts"), start, hint=_("In your own time zone.")),
        input_block(DURATION_BLOCK, _("Length in minutes"), duration),
        input_block(LOCATION_BLOCK, _("Place"), location, optional=True),
        input_block(
            JOIN_URL_BLOCK,
            _("Join link"),
            join_url,
            optional=True,
            hint=_("For people joining online."),
        ),
        context(_("Participants and the coach get reminder DMs before the start.")),
    ]
    title = _("Edit coaching session") if editing else _("Schedule coaching")
    return {
        "type": "modal",
        "callback_id": SESSION_FORM,
        "private_metadata": editing.key if editing else "",
        "title": plain(truncate(title, 24)),
        "submit": plain(_("Save")),
        "close": plain(_("Close")),
        "blocks": blocks,
    }


def question_form(card: SessionCard, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": QUESTION_FORM,
        "private_metadata": card.key,
        "title": plain(truncate(_("Question for the coach"), 24)),
        "submit": plain(_("Send")),
        "close": plain(_("Close")),
        "blocks": [
            section(
                _(
                    "Your question goes into <@{coach}>'s notes to prepare the {name} on {date}."
                ).format(
                    coach=card.coach,
                    name=escape(session_name(card.cohort)),
                    date=date_token(card.starts_at, zone),
                )
            ),
            input_block(
                QUESTION_BLOCK,
                _("Your question"),
                {
                    "type": "plain_text_input",
                    "action_id": QUESTION_INPUT,
                    "multiline": True,
                    "max_length": QUESTION_MAX,
                },
            ),
        ],
    }


def notice_view(message: Message, title: str = "dei-bot") -> dict[str, Any]:
    """A modal that only says something (a refusal, or why a form could not open)."""
    return {
        "type": "modal",
        "title": plain(truncate(title, 24)),
        "close": plain(_("Close")),
        "blocks": message.blocks or [section(message.text)],
    }
