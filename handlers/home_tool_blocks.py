"""Pure builders for the coordinators' part of the App Home tab: their tools (post an agenda,
add a resource, export a table), the suggested resources waiting for them, and the attendance of
the last meetings per municipality.

Buttons reuse the IDs of the surfaces they open (`handlers.agenda`, `handlers.resource_curation`),
whose listeners answer them; only the export menu is the Home's own (`handlers.home`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.agenda_blocks import NEW_MEETING
from handlers.blocks import COMMAND, Message, context, date_token, escape, header, section, truncate
from handlers.coaching_blocks import button, plain
from handlers.resource_curation_blocks import (
    EDIT_SUGGESTION,
    REJECT_SUGGESTION,
    SUGGEST_RESOURCE,
    SuggestionCard,
    suggestion_lines,
)

EXPORT = "home_export"
MAX_RECENT = 3
MAX_SUGGESTIONS = 3
# What a coordinator can download from the Home tab, as CSV in a direct message.
EXPORTS = {
    "rsvps": "RSVPs",
    "attendance": "Attendance",
    "resources": "Resources",
    "misses": "Searches that found nothing",
    "topics": "Topic calendar",
}


@dataclass(frozen=True)
class RecentAttendance:
    title: str
    starts_at: datetime
    attended: int
    by_community: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class CoordinatorFacts:
    recent: tuple[RecentAttendance, ...] = ()
    announce_channel: str | None = None
    suggestions: tuple[SuggestionCard, ...] = ()  # the oldest few waiting for a decision
    suggestions_waiting: int = 0


def spoken(title: str) -> str:
    """A title inside a plain-text label: brackets would only be noise to a screen reader."""
    return title.replace("<", "").replace(">", "")


def attendance_line(recent: RecentAttendance, zone: ZoneInfo) -> str:
    parts = ", ".join(f"{escape(name)} {count}" for name, count in recent.by_community)
    counted = f"{recent.attended} attended" + (f" ({parts})" if parts else "")
    return f"• *{escape(recent.title)}*, {date_token(recent.starts_at, zone)}: {counted}"


def export_option(what: str) -> dict[str, Any]:
    return {"text": plain(EXPORTS[what]), "value": what}


def coordinator_part(tools: CoordinatorFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    exporter = {
        "type": "static_select",
        "action_id": EXPORT,
        "placeholder": plain("Export a table (CSV)"),
        "options": [export_option(what) for what in EXPORTS],
    }
    elements = [
        button(
            NEW_MEETING, "Post an agenda", "new", style="primary", hint="Schedule a new meeting"
        ),
        button(SUGGEST_RESOURCE, "Add a resource", "add", hint="Add a resource to the repository"),
        exporter,
    ]
    blocks: list[dict[str, Any]] = [
        header("Coordinator tools"),
        {"type": "actions", "block_id": "home-tools", "elements": elements},
        context(
            f"`{COMMAND} agenda` lists every meeting with Edit, Cancel and Attendance. "
            "An export arrives as a file in a direct message."
        ),
    ]
    blocks += suggestions_part(tools)
    if tools.announce_channel is None:
        blocks.append(
            context(
                "`DEI_ANNOUNCE_CHANNEL` is not set, so announcements cannot be posted yet: "
                "ask the bot's operator to set it."
            )
        )
    blocks.append(section("*Attendance at the last meetings (past 30 days), by municipality*"))
    if tools.recent:
        lines = [attendance_line(recent, zone) for recent in tools.recent[-MAX_RECENT:]]
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(section("No meeting ended in the past 30 days."))
    return blocks


def suggestions_part(tools: CoordinatorFacts) -> list[dict[str, Any]]:
    """Members' suggestions waiting for a decision; approving happens in the review form."""
    if not tools.suggestions_waiting:
        return [section("*Suggested resources:* none waiting for a decision.")]
    count = tools.suggestions_waiting
    blocks = [section(f"*Suggested resources waiting for a decision:* {count}")]
    for card in tools.suggestions[:MAX_SUGGESTIONS]:
        shown, _ = suggestion_lines(card)
        which = spoken(truncate(card.fields.title, 40))
        blocks.append(section(f"<@{card.user_id}> suggests:\n{shown}"))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"home-suggestion:{card.id}",
                "elements": [
                    button(
                        EDIT_SUGGESTION,
                        "Review, then approve",
                        str(card.id),
                        style="primary",
                        hint=f"Review and approve: {which}",
                    ),
                    button(REJECT_SUGGESTION, "Reject", str(card.id), hint=f"Reject: {which}"),
                ],
            }
        )
    if count > MAX_SUGGESTIONS:
        blocks.append(
            context(f"The oldest {MAX_SUGGESTIONS} are shown; each also came to you as a DM.")
        )
    return blocks


def export_caption(what: str, rows: int) -> Message:
    name = EXPORTS.get(what, what)
    text = f"Here is the export you asked for: {name}, {rows} rows, as CSV."
    return Message(text=text, blocks=[section(escape(text))])


def export_refused(what: str) -> Message:
    text = f"I can't export “{escape(truncate(what, 50))}”. Choose a table from the list."
    return Message(text=text, blocks=[section(text)])
