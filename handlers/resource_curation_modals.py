"""Pure builders for the curation modals: the one resource modal (suggest, add, edit, review a
suggestion) and the rejection modal, with the callback, block and action IDs they emit
(`handlers.resource_curation_forms` reads them back).

Slack checks required fields and lengths in the modal; we check everything again on submit,
since a payload can be forged.
"""

from __future__ import annotations

from typing import Any

from handlers.blocks import context, section
from handlers.coaching_blocks import input_block, plain
from handlers.resource_curation_blocks import (
    ADD,
    EDIT,
    REASON_MAX,
    REVIEW,
    SUGGEST,
    SUMMARY_MAX,
    TITLE_MAX,
    TOPICS_TEXT_MAX,
    SuggestionCard,
    suggestion_lines,
)
from storage.models import ResourceKind
from storage.resource_changes import ResourceFields

RESOURCE_FORM = "resource_form"  # callback_id
TITLE_BLOCK, TITLE_INPUT = "resource_title", "title"
LINK_BLOCK, LINK_INPUT = "resource_link", "link"
KIND_BLOCK, KIND_INPUT = "resource_kind", "kind"
TOPICS_BLOCK, TOPICS_INPUT = "resource_topics", "topics"
SUMMARY_BLOCK, SUMMARY_INPUT = "resource_summary", "summary"

REJECT_FORM = "suggestion_reject_form"  # callback_id
REASON_BLOCK, REASON_INPUT = "suggestion_reason", "reason"

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
