"""Pure builders for the coordinators' two modals, the meeting form and the attendance form, and
the callback, block and action IDs they emit (`handlers.agenda_forms` reads them back).

Slack checks required fields and number bounds in the modal; we check everything again on
submit, since a payload can be forged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from handlers.agenda_blocks import MeetingCard, attendance_words
from handlers.blocks import context, date_token, escape, section, truncate
from handlers.elements import input_block, plain
from handlers.i18n import N_, _

MEETING_FORM = "agenda_meeting_form"  # callback_id
TOPIC_BLOCK, TOPIC_INPUT = "agenda_topic", "topic"
START_BLOCK, START_INPUT = "agenda_start", "starts_at"
DURATION_BLOCK, DURATION_INPUT = "agenda_duration", "duration_minutes"
FORMAT_BLOCK, FORMAT_INPUT = "agenda_format", "format"
LOCATION_BLOCK, LOCATION_INPUT = "agenda_location", "location"
JOIN_URL_BLOCK, JOIN_URL_INPUT = "agenda_join_url", "join_url"
IN_PERSON_BLOCK, IN_PERSON_INPUT = "agenda_capacity_in_person", "capacity_in_person"
ONLINE_BLOCK, ONLINE_INPUT = "agenda_capacity_online", "capacity_online"
ITEMS_BLOCK, ITEMS_INPUT = "agenda_items", "items"
POST_BLOCK, POST_INPUT = "agenda_post", "post"
POST_AT_BLOCK, POST_AT_INPUT = "agenda_post_at", "post_at"
POST_NOW, POST_LATER = "now", "later"

ATTENDANCE_FORM = "agenda_attendance_form"  # callback_id
ATTENDED_BLOCK, ATTENDED_INPUT = "agenda_attended", "attended"

FORMATS = ("in-person", "online", "hybrid")
FORMAT_LABELS = {
    "in-person": N_("In person"),
    "online": N_("Online"),
    "hybrid": N_("Hybrid (both)"),
}
MAX_DURATION = 600
LOCATION_MAX = 200
ITEMS_TEXT_MAX = 3000  # a plain_text_input holds at most 3,000 characters
MAX_ITEMS = 20
ITEM_MAX = 200
MAX_TOPICS = 100  # a static_select's options
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150


@dataclass(frozen=True)
class TopicChoice:
    key: str
    title: str
    month_label: str  # January 2027


def topic_option(choice: TopicChoice) -> dict[str, Any]:
    return {
        "text": plain(truncate(f"{choice.month_label}: {choice.title}", OPTION_TEXT_MAX)),
        "value": choice.key[:OPTION_VALUE_MAX],
    }


def radio_option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label), "value": value}


# Built per form, in its reader's language; an initial option must equal one of the options.
def format_options() -> list[dict[str, Any]]:
    return [radio_option(value, _(FORMAT_LABELS[value])) for value in FORMATS]


def post_options() -> list[dict[str, Any]]:
    return [radio_option(POST_NOW, _("Now")), radio_option(POST_LATER, _("At the time below"))]


def number_element(action_id: str, minimum: int, maximum: int | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": action_id,
        "is_decimal_allowed": False,
        "min_value": str(minimum),
    }
    if maximum is not None:
        element["max_value"] = str(maximum)
    return element


def form_elements(options: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every input of the meeting form, empty, by its block ID."""
    posts = post_options()
    return {
        TOPIC_BLOCK: {"type": "static_select", "action_id": TOPIC_INPUT, "options": options},
        START_BLOCK: {"type": "datetimepicker", "action_id": START_INPUT},
        DURATION_BLOCK: {**number_element(DURATION_INPUT, 1, MAX_DURATION), "initial_value": "60"},
        FORMAT_BLOCK: {
            "type": "radio_buttons",
            "action_id": FORMAT_INPUT,
            "options": format_options(),
        },
        LOCATION_BLOCK: {
            "type": "plain_text_input",
            "action_id": LOCATION_INPUT,
            "max_length": LOCATION_MAX,
        },
        JOIN_URL_BLOCK: {"type": "url_text_input", "action_id": JOIN_URL_INPUT},
        IN_PERSON_BLOCK: number_element(IN_PERSON_INPUT, 0),
        ONLINE_BLOCK: number_element(ONLINE_INPUT, 0),
        ITEMS_BLOCK: {
            "type": "plain_text_input",
            "action_id": ITEMS_INPUT,
            "multiline": True,
            "max_length": ITEMS_TEXT_MAX,
        },
        POST_BLOCK: {
            "type": "radio_buttons",
            "action_id": POST_INPUT,
            "options": posts,
            "initial_option": posts[0],
        },
        POST_AT_BLOCK: {"type": "datetimepicker", "action_id": POST_AT_INPUT},
    }


def initial_values(card: MeetingCard, options: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the form shows when it edits `card`, by block ID."""
    found: dict[str, dict[str, Any]] = {
        START_BLOCK: {"initial_date_time": int(card.starts_at.timestamp())},
        DURATION_BLOCK: {"initial_value": str(card.duration_minutes)},
    }
    topic = next((option for option in options if option["value"] == card.topic_key), None)
    if topic is not None:
        found[TOPIC_BLOCK] = {"initial_option": topic}
    if card.format in FORMATS:
        found[FORMAT_BLOCK] = {"initial_option": format_options()[FORMATS.index(card.format)]}
    texts = {
        LOCATION_BLOCK: card.location[:LOCATION_MAX],
        JOIN_URL_BLOCK: card.join_url or "",
        IN_PERSON_BLOCK: "" if card.capacity_in_person is None else str(card.capacity_in_person),
        ONLINE_BLOCK: "" if card.capacity_online is None else str(card.capacity_online),
        ITEMS_BLOCK: "\n".join(card.agenda)[:ITEMS_TEXT_MAX],
    }
    found.update({block: {"initial_value": text} for block, text in texts.items() if text})
    planned = card.announcement
    if planned.state == "scheduled" and planned.at is not None:
        found[POST_BLOCK] = {"initial_option": post_options()[1]}
        found[POST_AT_BLOCK] = {"initial_date_time": int(planned.at.timestamp())}
    return found


def meeting_form(
    topics: list[TopicChoice],
    *,
    editing: MeetingCard | None = None,
    announce_channel: str | None = None,
) -> dict[str, Any]:
    """The coordinators' modal for a new meeting, or to edit `editing`. Once the announcement is
    out, when to post it is no longer asked: saving edits the posted one."""
    options = [topic_option(choice) for choice in topics[:MAX_TOPICS]]
    elements = form_elements(options)
    if editing is not None:
        for block, values in initial_values(editing, options).items():
            elements[block] = {**elements[block], **values}
    posted = editing is not None and editing.announcement.state in ("posted", "sending")
    field = {
        block: labelled_input(block, elements[block])
        for block in elements
        if not (posted and block in (POST_BLOCK, POST_AT_BLOCK))
    }
    blocks: list[dict[str, Any]] = []
    if posted:
        blocks.append(context(_("The announcement is already posted: saving updates it in place.")))
    blocks += list(field.values())
    if not posted and announce_channel is None:
        blocks.append(
            context(
                _(
                    "`DEI_ANNOUNCE_CHANNEL` is not set: the meeting is saved, and its "
                    "announcement can be posted once the bot's operator sets it."
                )
            )
        )
    blocks.append(context(_("Members who RSVP get reminder DMs before the start.")))
    return {
        "type": "modal",
        "callback_id": MEETING_FORM,
        "private_metadata": editing.key if editing else "",
        "title": plain(_("Edit meeting") if editing else _("New meeting")),
        "submit": plain(_("Save")),
        "close": plain(_("Close")),
        "blocks": blocks,
    }


# Label, optional, hint: the words around each input of the meeting form (translated where
# shown; `{count}` in a hint is the most agenda items).
FIELD_WORDS: dict[str, tuple[str, bool, str | None]] = {
    TOPIC_BLOCK: (N_("Topic"), False, None),
    START_BLOCK: (N_("Starts"), False, N_("In your own time zone.")),
    DURATION_BLOCK: (N_("Length in minutes"), False, None),
    FORMAT_BLOCK: (N_("Format"), False, None),
    LOCATION_BLOCK: (N_("Place"), True, N_("For in person and hybrid meetings.")),
    JOIN_URL_BLOCK: (N_("Join link"), True, N_("For online and hybrid meetings.")),
    IN_PERSON_BLOCK: (
        N_("Seats in person"),
        True,
        N_("Empty: no limit. When full, people join a waitlist."),
    ),
    ONLINE_BLOCK: (N_("Seats online"), True, N_("Empty: no limit.")),
    ITEMS_BLOCK: (N_("Agenda"), True, N_("One item per line, up to {count} items.")),
    POST_BLOCK: (N_("Post the announcement"), False, None),
    POST_AT_BLOCK: (
        N_("Post at"),
        True,
        N_("Only with “At the time below”: before the meeting starts."),
    ),
}


def labelled_input(block: str, element: dict[str, Any]) -> dict[str, Any]:
    label, optional, hint = FIELD_WORDS[block]
    shown = _(hint).format(count=MAX_ITEMS) if hint else None
    return input_block(block, _(label), element, optional=optional, hint=shown)


def attendance_form(card: MeetingCard, checked_in: list[str], zone: ZoneInfo) -> dict[str, Any]:
    """Who attended: those who checked in are already chosen; the coordinator adds and removes."""
    chosen: dict[str, Any] = {"type": "multi_users_select", "action_id": ATTENDED_INPUT}
    if checked_in:
        chosen["initial_users"] = list(checked_in)
    return {
        "type": "modal",
        "callback_id": ATTENDANCE_FORM,
        "private_metadata": card.key,
        "title": plain(_("Attendance")),
        "submit": plain(_("Save")),
        "close": plain(_("Close")),
        "blocks": [
            section(
                _("*{title}*, {date}.\nAttended so far: {attended}.").format(
                    title=escape(card.title),
                    date=date_token(card.starts_at, zone),
                    attended=attendance_words(card),
                )
            ),
            input_block(
                ATTENDED_BLOCK,
                _("Who attended"),
                chosen,
                optional=True,
                hint=_("Everyone who checked in is already chosen. Add or remove people."),
            ),
        ],
    }
