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
from handlers.elements import button, plain
from handlers.i18n import N_, _, ngettext
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
# What a coordinator can download from the Home tab, as CSV in a direct message; the names are
# translated where shown: export_name(what).
EXPORTS = {
    "rsvps": N_("RSVPs"),
    "attendance": N_("Attendance"),
    "resources": N_("Resources"),
    "misses": N_("Searches that found nothing"),
    "topics": N_("Topic calendar"),
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


def export_name(what: str) -> str:
    return _(EXPORTS[what]) if what in EXPORTS else what


def attendance_line(recent: RecentAttendance, zone: ZoneInfo) -> str:
    parts = ", ".join(f"{escape(name)} {count}" for name, count in recent.by_community)
    attended = ngettext("{count} attended", "{count} attended", recent.attended)
    counted = attended.format(count=recent.attended) + (f" ({parts})" if parts else "")
    return f"• *{escape(recent.title)}*, {date_token(recent.starts_at, zone)}: {counted}"


def export_option(what: str) -> dict[str, Any]:
    return {"text": plain(export_name(what)), "value": what}


def coordinator_part(tools: CoordinatorFacts, zone: ZoneInfo) -> list[dict[str, Any]]:
    exporter = {
        "type": "static_select",
        "action_id": EXPORT,
        "placeholder": plain(_("Export a table (CSV)")),
        "options": [export_option(what) for what in EXPORTS],
    }
    elements = [
        button(
            NEW_MEETING,
            _("Post an agenda"),
            "new",
            style="primary",
            hint=_("Schedule a new meeting"),
        ),
        button(
            SUGGEST_RESOURCE,
            _("Add a resource"),
            "add",
            hint=_("Add a resource to the repository"),
        ),
        exporter,
    ]
    blocks: list[dict[str, Any]] = [
        header(_("Coordinator tools")),
        {"type": "actions", "block_id": "home-tools", "elements": elements},
        context(
            _(
                "`{command} agenda` lists every meeting with Edit, Cancel and Attendance. "
                "An export arrives as a file in a direct message."
            ).format(command=COMMAND)
        ),
    ]
    blocks += suggestions_part(tools)
    if tools.announce_channel is None:
        blocks.append(
            context(
                _(
                    "`DEI_ANNOUNCE_CHANNEL` is not set, so announcements cannot be posted yet: "
                    "ask the bot's operator to set it."
                )
            )
        )
    blocks.append(section(_("*Attendance at the last meetings (past 30 days), by municipality*")))
    if tools.recent:
        lines = [attendance_line(recent, zone) for recent in tools.recent[-MAX_RECENT:]]
        blocks.append(section("\n".join(lines)))
    else:
        blocks.append(section(_("No meeting ended in the past 30 days.")))
    return blocks


def suggestions_part(tools: CoordinatorFacts) -> list[dict[str, Any]]:
    """Members' suggestions waiting for a decision; approving happens in the review form."""
    if not tools.suggestions_waiting:
        return [section(_("*Suggested resources:* none waiting for a decision."))]
    count = tools.suggestions_waiting
    waiting = _("*Suggested resources waiting for a decision:* {count}").format(count=count)
    blocks = [section(waiting)]
    for card in tools.suggestions[:MAX_SUGGESTIONS]:
        shown, _text = suggestion_lines(card)
        which = spoken(truncate(card.fields.title, 40))
        suggests = _("{member} suggests:\n{resource}")
        blocks.append(section(suggests.format(member=f"<@{card.user_id}>", resource=shown)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"home-suggestion:{card.id}",
                "elements": [
                    button(
                        EDIT_SUGGESTION,
                        _("Review, then approve"),
                        str(card.id),
                        style="primary",
                        hint=_("Review and approve: {title}").format(title=which),
                    ),
                    button(
                        REJECT_SUGGESTION,
                        _("Reject"),
                        str(card.id),
                        hint=_("Reject: {title}").format(title=which),
                    ),
                ],
            }
        )
    if count > MAX_SUGGESTIONS:
        blocks.append(
            context(
                _("The oldest {count} are shown; each also came to you as a DM.").format(
                    count=MAX_SUGGESTIONS
                )
            )
        )
    return blocks


def export_caption(what: str, rows: int) -> Message:
    text = ngettext(
        "Here is the export you asked for: {name}, {count} row, as CSV.",
        "Here is the export you asked for: {name}, {count} rows, as CSV.",
        rows,
    ).format(name=export_name(what), count=rows)
    return Message(text=text, blocks=[section(escape(text))])


def export_refused(what: str) -> Message:
    text = _("I can't export “{table}”. Choose a table from the list.").format(
        table=escape(truncate(what, 50))
    )
    return Message(text=text, blocks=[section(text)])
