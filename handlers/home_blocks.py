"""Pure builders for the App Home tab and the resource search modal, and the IDs they emit.

The Home reuses the buttons of the surfaces it summarises (RSVP, coaching, "New meeting"), so
the listeners that already answer those clicks answer them here too. A Home view has no `text`
fallback, so every fact is in words (the RSVP state is written out, never shown by a button's
colour alone), and buttons that repeat per meeting carry an accessibility label naming it.
Sentences are whole, with named fields, ready to be wrapped for translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from handlers import i18n
from handlers.announcement_blocks import BUTTON_WORDS, rsvp_actions
from handlers.blocks import (
    COMMAND,
    Message,
    context,
    date_token,
    escape,
    format_words,
    header,
    no_topic_yet,
    rsvp_words,
    section,
    truncate,
)
from handlers.coaching_blocks import SessionCard, session_card
from handlers.elements import button, input_block, plain
from handlers.home_tool_blocks import CoordinatorFacts, coordinator_part, spoken
from handlers.i18n import _, ngettext
from handlers.reminder_answers import offsets_words
from handlers.resource_curation_blocks import SUGGEST_RESOURCE

SEARCH_RESOURCES = "home_search_resources"
REMINDERS = "home_reminders"  # value "on" | "off": what the click turns them to
LANGUAGE = "home_language"
SEARCH_FORM = "home_search_form"  # callback_id
SEARCH_BLOCK, SEARCH_INPUT = "home_search_words", "words"

VIEW_MAX_BLOCKS = 100
MAX_MEETINGS = 5
MAX_SESSIONS = 5
SEARCH_WORDS_MAX = 500
LABEL_MAX = 75


@dataclass(frozen=True)
class HomeMeeting:
    """One upcoming meeting as the viewer sees it."""

    key: str
    title: str
    starts_at: datetime
    duration_minutes: int
    format: str
    location: str
    join_url: str | None
    rsvp_state: str | None
    started: bool = False


@dataclass(frozen=True)
class HomeFacts:
    viewer: str
    month_label: str  # November 2026
    topic_title: str | None  # None: no topic chosen for the month yet
    meetings: tuple[HomeMeeting, ...]
    sessions: tuple[SessionCard, ...]
    reminders_enabled: bool
    reminder_offsets: tuple[timedelta, ...]
    language: str | None
    now: datetime
    more_meetings: int = 0
    coordinator: CoordinatorFacts | None = None


def day_words(moment: datetime, zone: ZoneInfo) -> str:
    """A short, absolute day for labels: never "tomorrow" without the date."""
    return format_skeleton("yMMMd", moment.astimezone(zone), locale=i18n.current())


def home_rsvp_buttons(meeting: HomeMeeting, zone: ZoneInfo) -> dict[str, Any]:
    """The announcement's RSVP buttons (same action IDs), each label naming its meeting."""
    block = rsvp_actions(meeting.key, meeting.format)
    which = f"{spoken(meeting.title)}, {day_words(meeting.starts_at, zone)}"
    for element in block["elements"]:
        action = element["action_id"]
        words = _(BUTTON_WORDS[action])
        element["accessibility_label"] = truncate(f"{words}: {which}", LABEL_MAX)
    return block


def meeting_section(meeting: HomeMeeting, zone: ZoneInfo) -> list[dict[str, Any]]:
    when = date_token(meeting.starts_at, zone)
    lines = [
        f"*{escape(meeting.title)}*",
        _("*When:* {date} ({minutes} minutes)").format(date=when, minutes=meeting.duration_minutes),
        _("*Format:* {format}").format(format=format_words(meeting.format)),
    ]
    if meeting.location:
        lines.append(_("*Where:* {place}").format(place=escape(meeting.location)))
    if meeting.join_url:
        lines.append(_("*Join online:* <{url}|join link>").format(url=escape(meeting.join_url)))
    lines.append(_("*Your RSVP:* {state}").format(state=rsvp_words(meeting.rsvp_state)))
    if meeting.started:
        lines.append(_("_Happening now: RSVPs are closed._"))
        return [section("\n".join(lines))]
    return [section("\n".join(lines)), home_rsvp_buttons(meeting, zone)]


def topic_and_search(facts: HomeFacts) -> list[dict[str, Any]]:
    """This month's topic, and the way into the repository (coordinators add from their tools)."""
    if facts.topic_title is None:
        topic = no_topic_yet(facts.month_label)
    else:
        topic = _("*This month's topic ({month}):* {title}").format(
            month=facts.month_label, title=escape(facts.topic_title)
        )
    search = button(
        SEARCH_RESOURCES,
        _("Search resources"),
        "search",
        hint=_("Search the working group's resources and peers"),
    )
    elements = [search]
    if facts.coordinator is None:
        elements.append(
            button(
                SUGGEST_RESOURCE,
                _("Suggest a resource"),
                "suggest",
                hint=_("Suggest a resource for the coordinators to add"),
            )
        )
    return [section(topic), {"type": "actions", "block_id": "home-search", "elements": elements}]


def meetings_part(facts: HomeFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header(_("Upcoming meetings"))]
    if not facts.meetings:
        blocks.append(section(_("No working-group meetings are scheduled yet.")))
        return blocks
    for meeting in facts.meetings[:MAX_MEETINGS]:
        blocks += meeting_section(meeting, zone)
    if facts.more_meetings:
        more = ngettext(
            "Only the next {shown} meetings are shown here; {count} more is scheduled after them.",
            "Only the next {shown} meetings are shown here; {count} more are scheduled after them.",
            facts.more_meetings,
        )
        blocks.append(context(more.format(shown=MAX_MEETINGS, count=facts.more_meetings)))
    return blocks


def sessions_part(facts: HomeFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header(_("Your coaching sessions"))]
    if not facts.sessions:
        blocks.append(section(_("You have no coaching sessions coming up.")))
        return blocks
    for card in facts.sessions[:MAX_SESSIONS]:
        card_blocks, _text = session_card(
            card, viewer=facts.viewer, coordinator=False, now=facts.now, zone=zone
        )
        blocks += card_blocks
    return blocks


def language_option(code: str) -> dict[str, Any]:
    return {"text": plain(i18n.LANGUAGES[code]), "value": code}


def settings_part(facts: HomeFacts) -> list[dict[str, Any]]:
    if facts.reminders_enabled and facts.reminder_offsets:
        reminders = _(
            "*Reminders:* on. I send you a direct message {offsets} before each meeting you "
            "RSVP'd to and each coaching session you're in."
        ).format(offsets=offsets_words(facts.reminder_offsets))
    elif facts.reminders_enabled:
        reminders = _(
            "*Reminders:* on. I send you a direct message shortly before each meeting you "
            "RSVP'd to and each coaching session you're in."
        )
    else:
        reminders = _("*Reminders:* off. I don't send you reminders before meetings or sessions.")
    if facts.reminders_enabled:
        toggle = button(
            REMINDERS, _("Turn reminders off"), "off", hint=_("Stop reminder direct messages")
        )
    else:
        toggle = button(
            REMINDERS, _("Turn reminders on"), "on", hint=_("Get reminder direct messages again")
        )
    code = facts.language if facts.language in i18n.LANGUAGES else i18n.DEFAULT
    chooser = {
        "type": "static_select",
        "action_id": LANGUAGE,
        "placeholder": plain(_("Choose a language")),
        "options": [language_option(option) for option in i18n.LANGUAGES],
        "initial_option": language_option(code),
    }
    return [
        header(_("Your settings")),
        {**section(reminders), "block_id": "home-reminders", "accessory": toggle},
        {
            **section(
                _(
                    "*Language for my messages:* {language}. "
                    "Messages use it wherever a translation exists."
                ).format(language=i18n.LANGUAGES[code])
            ),
            "block_id": "home-language",
            "accessory": chooser,
        },
    ]


def home_tab(facts: HomeFacts, zone: ZoneInfo) -> dict[str, Any]:
    """The whole Home tab of one person; coordinators get their tools below the rest."""
    blocks: list[dict[str, Any]] = [header(_("DEI working group")), *topic_and_search(facts)]
    blocks += [{"type": "divider"}, *meetings_part(facts, zone)]
    blocks += [{"type": "divider"}, *sessions_part(facts, zone)]
    blocks += [{"type": "divider"}, *settings_part(facts)]
    if facts.coordinator is not None:
        blocks += [{"type": "divider"}, *coordinator_part(facts.coordinator, zone)]
    blocks.append(context(_("`{command} help` shows everything I can do.").format(command=COMMAND)))
    return {"type": "home", "blocks": blocks[:VIEW_MAX_BLOCKS]}


# -- the search modal ---------------------------------------------------------------------------


def search_form(words: str = "", results: Message | None = None) -> dict[str, Any]:
    """One question; after a search the answer sits above it, ready for the next search."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": SEARCH_INPUT,
        "max_length": SEARCH_WORDS_MAX,
        "placeholder": plain(_("e.g. hiring, language access, procurement")),
    }
    if words:
        element["initial_value"] = words[:SEARCH_WORDS_MAX]
    question = input_block(
        SEARCH_BLOCK,
        _("Look up resources and peers"),
        element,
        hint=_("A topic, a practice or a municipality: any words."),
    )
    found = list(results.blocks or [section(results.text)]) if results else []
    return {
        "type": "modal",
        "callback_id": SEARCH_FORM,
        "title": plain(_("Search results") if results else _("Search resources")),
        "submit": plain(_("Search")),
        "close": plain(_("Close")),
        "blocks": [*found[: VIEW_MAX_BLOCKS - 1], question],
    }


def search_words_missing() -> dict[str, str]:
    return {SEARCH_BLOCK: _("Type a word or two to look up, for example: hiring.")}
