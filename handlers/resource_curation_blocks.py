"""Pure builders for growing the resource repository from Slack: the resource modal (suggest,
add, edit, review), the coordinators' review DM, the rejection modal, the outcome DMs, and the
buttons and IDs they emit (`handlers.resource_curation_forms` reads the modals back).

Everything a person typed (titles, summaries, topics, reasons) is escaped before it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers.blocks import COMMAND, Message, context, escape, section, truncate
from handlers.coaching_blocks import button, input_block, plain
from storage.models import ResourceKind
from storage.resource_changes import ResourceFields

SUGGEST_RESOURCE = "resource_suggest"
EDIT_RESOURCE = "resource_edit"
RETIRE_RESOURCE = "resource_retire"
APPROVE_SUGGESTION = "suggestion_approve"
EDIT_SUGGESTION = "suggestion_edit"
REJECT_SUGGESTION = "suggestion_reject"

RESOURCE_FORM = "resource_form"  # callback_id
TITLE_BLOCK, TITLE_INPUT = "resource_title", "title"
LINK_BLOCK, LINK_INPUT = "resource_link", "link"
KIND_BLOCK, KIND_INPUT = "resource_kind", "kind"
TOPICS_BLOCK, TOPICS_INPUT = "resource_topics", "topics"
SUMMARY_BLOCK, SUMMARY_INPUT = "resource_summary", "summary"

REJECT_FORM = "suggestion_reject_form"  # callback_id
REASON_BLOCK, REASON_INPUT = "suggestion_reason", "reason"

TITLE_MAX = 200
LINK_MAX = 1000
TOPICS_TEXT_MAX = 500
TOPIC_MAX = 80
MAX_TOPICS = 10
SUMMARY_MAX = 500
REASON_MAX = 500

# What the modal is for, carried in its private_metadata: `suggest`, `add`, `edit:KEY`, `review:ID`
SUGGEST, ADD, EDIT, REVIEW = "suggest", "add", "edit", "review"
TITLES = {
    SUGGEST: "Suggest a resource",
    ADD: "Add a resource",
    EDIT: "Edit a resource",
    REVIEW: "Review a suggestion",
}
KIND_LABELS = {
    ResourceKind.TOOLKIT: "Toolkit",
    ResourceKind.GUIDE: "Guide",
    ResourceKind.CASE_STUDY: "Case study",
    ResourceKind.TEMPLATE: "Template",
    ResourceKind.TRAINING: "Training",
    ResourceKind.DATA: "Data",
    ResourceKind.POLICY: "Policy",
}
KIND_OPTIONS = [{"text": plain(label), "value": kind.value} for kind, label in KIND_LABELS.items()]


def who(users: tuple[str, ...]) -> str:
    return ", ".join(f"<@{user}>" for user in users) or "the coordinators"


def titled(title: str, url: str | None) -> str:
    """A title as mrkdwn: a link only for an address that cannot break out of the link."""
    shown = escape(truncate(title, 150))
    if url and safe_link(url):
        return f"<{url}|{shown}>"
    return f"*{shown}*"


def safe_link(url: str) -> bool:
    lowered = url.casefold()
    return (
        lowered.startswith(("https://", "http://"))
        and len(url) <= LINK_MAX
        and not any(char in url for char in "<>| \n\t\r")
    )


# -- buttons other answers carry ---------------------------------------------------------------


def suggest_button(coordinator: bool) -> dict[str, Any]:
    label = "Add a resource" if coordinator else "Suggest a resource"
    return button(SUGGEST_RESOURCE, label, SUGGEST)


def resource_tools(key: str, title: str) -> dict[str, Any]:
    """Coordinators' Edit and Retire under one resource; retiring asks first."""
    retire = button(RETIRE_RESOURCE, "Retire", key, style="danger")
    retire["confirm"] = {
        "title": plain("Retire this resource?"),
        "text": plain(
            truncate(
                f"“{title}” will no longer appear in any answer. Its history is kept, and a "
                "coordinator can add it again.",
                300,
            )
        ),
        "confirm": plain("Retire"),
        "deny": plain("Keep it"),
        "style": "danger",
    }
    return {
        "type": "actions",
        "block_id": f"resource-tools:{key}"[:255],
        "elements": [button(EDIT_RESOURCE, "Edit", key), retire],
    }


# -- the resource modal --------------------------------------------------------------------------


def form_elements(initial: ResourceFields | None) -> dict[str, dict[str, Any]]:
    elements: dict[str, dict[str, Any]] = {
        TITLE_BLOCK: {
            "type": "plain_text_input",
            "action_id": TITLE_INPUT,
            "max_length": TITLE_MAX,
        },
        LINK_BLOCK: {"type": "url_text_input", "action_id": LINK_INPUT},
        KIND_BLOCK: {"type": "static_select", "action_id": KIND_INPUT, "options": KIND_OPTIONS},
        TOPICS_BLOCK: {
            "type": "plain_text_input",
            "action_id": TOPICS_INPUT,
            "max_length": TOPICS_TEXT_MAX,
        },
        SUMMARY_BLOCK: {
            "type": "plain_text_input",
            "action_id": SUMMARY_INPUT,
            "multiline": True,
            "max_length": SUMMARY_MAX,
        },
    }
    if initial is None:
        return elements
    texts = {
        TITLE_BLOCK: initial.title[:TITLE_MAX],
        LINK_BLOCK: initial.url or "",
        TOPICS_BLOCK: ", ".join(initial.topics)[:TOPICS_TEXT_MAX],
        SUMMARY_BLOCK: initial.summary[:SUMMARY_MAX],
    }
    for block, text in texts.items():
        if text:
            elements[block]["initial_value"] = text
    chosen = next((o for o in KIND_OPTIONS if o["value"] == initial.kind), None)
    if chosen is not None:
        elements[KIND_BLOCK]["initial_option"] = chosen
    return elements


FIELD_WORDS: dict[str, tuple[str, bool, str | None]] = {
    TITLE_BLOCK: ("Title", False, None),
    LINK_BLOCK: ("Link", True, "Only an address you know; leave it empty if there is none."),
    KIND_BLOCK: ("Kind", False, None),
    TOPICS_BLOCK: ("Topics", True, "Separate them with commas, e.g. hiring, human resources."),
    SUMMARY_BLOCK: ("One-line summary", True, "What it helps a municipality do."),
}


def resource_form(
    mode: str, *, initial: ResourceFields | None = None, target: str = ""
) -> dict[str, Any]:
    """The one resource modal. `target` is the resource key (edit) or suggestion id (review)."""
    elements = form_elements(initial)
    blocks = [
        input_block(block, label, elements[block], optional=optional, hint=hint)
        for block, (label, optional, hint) in FIELD_WORDS.items()
    ]
    notes = {
        SUGGEST: "A coordinator reviews each suggestion before it is added. "
        "You get a direct message when they decide.",
        ADD: "The resource is added at once and appears in `/dei-topic` answers.",
        EDIT: "Saving, even with nothing changed, marks the resource as checked and current.",
        REVIEW: "Saving adds the resource as you leave it, and tells the member it was approved.",
    }
    blocks.append(context(notes[mode]))
    return {
        "type": "modal",
        "callback_id": RESOURCE_FORM,
        "private_metadata": f"{mode}:{target}" if target else mode,
        "title": plain(TITLES[mode]),
        "submit": plain("Send" if mode == SUGGEST else "Save"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


# -- reviews and outcomes ----------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestionCard:
    id: int
    user_id: str
    fields: ResourceFields


def suggestion_lines(card: SuggestionCard) -> tuple[str, str]:
    """Mrkdwn and plain text of a suggested resource."""
    fields = card.fields
    lines = [f"{titled(fields.title, fields.url)} ({escape(fields.kind)})"]
    plain_text = [f"“{escape(truncate(fields.title, 150))}” ({escape(fields.kind)})"]
    if fields.url:
        lines.append(f"Link: {escape(truncate(fields.url, 300))}")
        plain_text.append(f"link {escape(truncate(fields.url, 300))}")
    if fields.summary:
        lines.append(escape(truncate(fields.summary, SUMMARY_MAX)))
        plain_text.append(escape(truncate(fields.summary, 200)))
    if fields.topics:
        topics = escape(truncate(", ".join(fields.topics), 300))
        lines.append(f"Topics: {topics}")
        plain_text.append(f"topics: {topics}")
    return "\n".join(lines), ", ".join(plain_text)


def review_request(card: SuggestionCard) -> Message:
    shown, text = suggestion_lines(card)
    value = str(card.id)
    return Message(
        text=f"<@{card.user_id}> suggests a resource for the repository: {text}. "
        "Approve, edit or reject it here.",
        blocks=[
            section(f"<@{card.user_id}> suggests a resource for the repository:\n{shown}"),
            {
                "type": "actions",
                "block_id": f"suggestion:{card.id}",
                "elements": [
                    button(APPROVE_SUGGESTION, "Approve", value, style="primary"),
                    button(EDIT_SUGGESTION, "Edit, then approve", value),
                    button(REJECT_SUGGESTION, "Reject", value, style="danger"),
                ],
            },
        ],
    )


def reject_form(card: SuggestionCard) -> dict[str, Any]:
    shown, _ = suggestion_lines(card)
    reason = {
        "type": "plain_text_input",
        "action_id": REASON_INPUT,
        "multiline": True,
        "max_length": REASON_MAX,
    }
    return {
        "type": "modal",
        "callback_id": REJECT_FORM,
        "private_metadata": str(card.id),
        "title": plain("Reject a suggestion"),
        "submit": plain("Reject"),
        "close": plain("Cancel"),
        "blocks": [
            section(f"<@{card.user_id}> suggested:\n{shown}"),
            input_block(
                REASON_BLOCK,
                "Why not? (optional)",
                reason,
                optional=True,
                hint="The member sees this in the message telling them.",
            ),
        ],
    }


def notice(text: str) -> Message:
    return Message(text=text, blocks=[section(text)])


def decided(card: SuggestionCard, state: str, by: str, key: str | None = None) -> Message:
    """What the coordinator's review DM becomes once the suggestion is decided."""
    title = escape(truncate(card.fields.title, 150))
    if state == "approved":
        where = f" It is in the repository as `{key}`." if key else ""
        return notice(f"Approved by <@{by}>: “{title}”, suggested by <@{card.user_id}>.{where}")
    return notice(f"Rejected by <@{by}>: “{title}”, suggested by <@{card.user_id}>.")


def already_decided(card: SuggestionCard, state: str, by: str | None) -> Message:
    title = escape(truncate(card.fields.title, 150))
    return notice(f"“{title}” was already {state} by <@{by or 'a coordinator'}>. Nothing changed.")


def approved_for_member(title: str, by: str, words: str) -> Message:
    shown = escape(truncate(title, 150))
    return notice(
        f"Good news: your suggestion “{shown}” was added to the resource repository by <@{by}>. "
        f"Everyone finds it now, e.g. with `{COMMAND} {escape(truncate(words, 60))}`. Thank you!"
    )


def rejected_for_member(title: str, by: str, reason: str) -> Message:
    shown = escape(truncate(title, 150))
    said = (
        f" <@{by}> said: “{escape(truncate(reason, REASON_MAX))}”"
        if reason
        else f" Ask <@{by}> if you would like to know more."
    )
    return notice(
        f"Thank you for suggesting “{shown}”. The coordinators decided not to add it to the "
        f"resource repository.{said}"
    )


def thanks_for_suggesting(title: str, coordinators: tuple[str, ...]) -> Message:
    shown = escape(truncate(title, 150))
    if not coordinators:
        return notice(
            f"Thanks! Your suggestion “{shown}” is saved. No coordinators are configured yet; "
            "it waits for them, and you get a message when one decides."
        )
    return notice(
        f"Thanks! Your suggestion “{shown}” went to the coordinators ({who(coordinators)}). "
        "You get a message when one of them decides."
    )


def resource_added(title: str, key: str) -> Message:
    return notice(
        f"Added “{escape(truncate(title, 150))}” to the resource repository (key `{key}`). "
        "It appears in answers right away."
    )


def resource_saved(title: str, changed: list[str]) -> Message:
    shown = escape(truncate(title, 150))
    if not changed:
        return notice(f"Nothing changed in “{shown}”; it is marked as checked and current.")
    return notice(f"Saved “{shown}”: changed {', '.join(changed)}.")


def resource_retired(title: str, retired_now: bool) -> Message:
    shown = escape(truncate(title, 150))
    if not retired_now:
        return notice(f"“{shown}” was already retired. Nothing changed.")
    return notice(f"Retired “{shown}”: it no longer appears in answers. Its history is kept.")


def no_such_resource() -> Message:
    return notice(
        "That resource is no longer in the repository (it may have been retired). Nothing changed."
    )


def no_such_suggestion() -> Message:
    return notice("That suggestion could not be found. Nothing changed.")
