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

from handlers import i18n
from handlers.announcement_blocks import BUTTON_WORDS, rsvp_actions
from handlers.blocks import (
    COMMAND,
    FORMAT_WORDS,
    RSVP_WORDS,
    Message,
    context,
    date_token,
    escape,
    header,
    section,
    truncate,
)
from handlers.coaching_answers import offsets_words
from handlers.coaching_blocks import SessionCard, button, input_block, plain, session_card
from handlers.home_tool_blocks import CoordinatorFacts, coordinator_part, spoken
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
    return moment.astimezone(zone).strftime("%b %-d, %Y")


def home_rsvp_buttons(meeting: HomeMeeting, zone: ZoneInfo) -> dict[str, Any]:
    """The announcement's RSVP buttons (same action IDs), each label naming its meeting."""
    block = rsvp_actions(meeting.key, meeting.format)
    which = f"{spoken(meeting.title)}, {day_words(meeting.starts_at, zone)}"
    for element in block["elements"]:
        words = BUTTON_WORDS[element["action_id"]]
        element["accessibility_label"] = truncate(f"{words}: {which}", LABEL_MAX)
    return block


def meeting_section(meeting: HomeMeeting, zone: ZoneInfo) -> list[dict[str, Any]]:
    how = FORMAT_WORDS.get(meeting.format, meeting.format)
    state = RSVP_WORDS.get(meeting.rsvp_state or "", "you have not RSVP'd yet")
    lines = [
        f"*{escape(meeting.title)}*",
        f"*When:* {date_token(meeting.starts_at, zone)} ({meeting.duration_minutes} minutes)",
        f"*Format:* {how}",
    ]
    if meeting.location:
        lines.append(f"*Where:* {escape(meeting.location)}")
    if meeting.join_url:
        lines.append(f"*Join online:* <{escape(meeting.join_url)}|join link>")
    lines.append(f"*Your RSVP:* {state}")
    if meeting.started:
        lines.append("_Happening now: RSVPs are closed._")
        return [section("\n".join(lines))]
    return [section("\n".join(lines)), home_rsvp_buttons(meeting, zone)]


def topic_and_search(facts: HomeFacts) -> list[dict[str, Any]]:
    """This month's topic, and the way into the repository (coordinators add from their tools)."""
    if facts.topic_title is None:
        topic = (
            f"No topic is on the calendar for {facts.month_label} yet. "
            f"`{COMMAND} calendar` shows the months that are planned."
        )
    else:
        topic = f"*This month's topic ({facts.month_label}):* {escape(facts.topic_title)}"
    search = button(
        SEARCH_RESOURCES,
        "Search resources",
        "search",
        hint="Search the working group's resources and peers",
    )
    elements = [search]
    if facts.coordinator is None:
        elements.append(
            button(
                SUGGEST_RESOURCE,
                "Suggest a resource",
                "suggest",
                hint="Suggest a resource for the coordinators to add",
            )
        )
    return [section(topic), {"type": "actions", "block_id": "home-search", "elements": elements}]


def meetings_part(facts: HomeFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header("Upcoming meetings")]
    if not facts.meetings:
        blocks.append(section("No working-group meetings are scheduled yet."))
        return blocks
    for meeting in facts.meetings[:MAX_MEETINGS]:
        blocks += meeting_section(meeting, zone)
    if facts.more_meetings:
        blocks.append(
            context(
                f"Only the next {MAX_MEETINGS} meetings are shown here; "
                f"{facts.more_meetings} more are scheduled after them."
            )
        )
    return blocks


def sessions_part(facts: HomeFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header("Your coaching sessions")]
    if not facts.sessions:
        blocks.append(section("You have no coaching sessions coming up."))
        return blocks
    for card in facts.sessions[:MAX_SESSIONS]:
        card_blocks, _ = session_card(
            card, viewer=facts.viewer, coordinator=False, now=facts.now, zone=zone
        )
        blocks += card_blocks
    return blocks


def language_option(code: str) -> dict[str, Any]:
    return {"text": plain(i18n.LANGUAGES[code]), "value": code}


def settings_part(facts: HomeFacts) -> list[dict[str, Any]]:
    offsets = offsets_words(facts.reminder_offsets) if facts.reminder_offsets else "shortly"
    if facts.reminders_enabled:
        reminders = (
            f"*Reminders:* on. I send you a direct message {offsets} before each meeting you "
            "RSVP'd to and each coaching session you're in."
        )
        toggle = button(
            REMINDERS, "Turn reminders off", "off", hint="Stop reminder direct messages"
        )
    else:
        reminders = "*Reminders:* off. I don't send you reminders before meetings or sessions."
        toggle = button(
            REMINDERS, "Turn reminders on", "on", hint="Get reminder direct messages again"
        )
    code = facts.language if facts.language in i18n.LANGUAGES else i18n.DEFAULT
    chooser = {
        "type": "static_select",
        "action_id": LANGUAGE,
        "placeholder": plain("Choose a language"),
        "options": [language_option(option) for option in i18n.LANGUAGES],
        "initial_option": language_option(code),
    }
    return [
        header("Your settings"),
        {**section(reminders), "block_id": "home-reminders", "accessory": toggle},
        {
            **section(
                f"*Language for my messages:* {i18n.LANGUAGES[code]}. "
                "Messages use it wherever a translation exists."
            ),
            "block_id": "home-language",
            "accessory": chooser,
        },
    ]


def home_tab(facts: HomeFacts, zone: ZoneInfo) -> dict[str, Any]:
    """The whole Home tab of one person; coordinators get their tools below the rest."""
    blocks: list[dict[str, Any]] = [header("DEI working group"), *topic_and_search(facts)]
    blocks += [{"type": "divider"}, *meetings_part(facts, zone)]
    blocks += [{"type": "divider"}, *sessions_part(facts, zone)]
    blocks += [{"type": "divider"}, *settings_part(facts)]
    if facts.coordinator is not None:
        blocks += [{"type": "divider"}, *coordinator_part(facts.coordinator, zone)]
    blocks.append(context(f"`{COMMAND} help` shows everything I can do."))
    return {"type": "home", "blocks": blocks[:VIEW_MAX_BLOCKS]}


# -- the search modal ---------------------------------------------------------------------------


def search_form(words: str = "", results: Message | None = None) -> dict[str, Any]:
    """One question; after a search the answer sits above it, ready for the next search."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": SEARCH_INPUT,
        "max_length": SEARCH_WORDS_MAX,
        "placeholder": plain("e.g. hiring, language access, procurement"),
    }
    if words:
        element["initial_value"] = words[:SEARCH_WORDS_MAX]
    question = input_block(
        SEARCH_BLOCK,
        "Look up resources and peers",
        element,
        hint="A topic, a practice or a municipality: any words.",
    )
    found = list(results.blocks or [section(results.text)]) if results else []
    return {
        "type": "modal",
        "callback_id": SEARCH_FORM,
        "title": plain("Search results" if results else "Search resources"),
        "submit": plain("Search"),
        "close": plain("Close"),
        "blocks": [*found[: VIEW_MAX_BLOCKS - 1], question],
    }


def search_words_missing() -> dict[str, str]:
    return {SEARCH_BLOCK: "Type a word or two to look up, for example: hiring."}
