"""Pure builders for the curation modals: the one resource modal (suggest, add, edit, review a
suggestion) and the rejection modal, with the callback, block and action IDs they emit
(`handlers.resource_curation_forms` reads them back).

Slack checks required fields and lengths in the modal; we check everything again on submit,
since a payload can be forged.
"""

from __future__ import annotations

from typing import Any

from handlers.blocks import context, section
from handlers.elements import input_block, plain
from handlers.i18n import N_, _
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
    SUGGEST: N_("Suggest a resource"),
    ADD: N_("Add a resource"),
    EDIT: N_("Edit a resource"),
    REVIEW: N_("Review a suggestion"),
}
KIND_LABELS = {
    ResourceKind.TOOLKIT: N_("Toolkit"),
    ResourceKind.GUIDE: N_("Guide"),
    ResourceKind.CASE_STUDY: N_("Case study"),
    ResourceKind.TEMPLATE: N_("Template"),
    ResourceKind.TRAINING: N_("Training"),
    ResourceKind.DATA: N_("Data"),
    ResourceKind.POLICY: N_("Policy"),
}


def kind_options() -> list[dict[str, Any]]:
    """The kinds to choose from, labelled in the reader's language."""
    return [{"text": plain(_(label)), "value": kind.value} for kind, label in KIND_LABELS.items()]


def form_elements(initial: ResourceFields | None) -> dict[str, dict[str, Any]]:
    options = kind_options()
    elements: dict[str, dict[str, Any]] = {
        TITLE_BLOCK: {
            "type": "plain_text_input",
            "action_id": TITLE_INPUT,
            "max_length": TITLE_MAX,
        },
        LINK_BLOCK: {"type": "url_text_input", "action_id": LINK_INPUT},
        KIND_BLOCK: {"type": "static_select", "action_id": KIND_INPUT, "options": options},
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
    chosen = next((o for o in options if o["value"] == initial.kind), None)
    if chosen is not None:
        elements[KIND_BLOCK]["initial_option"] = chosen
    return elements


FIELD_WORDS: dict[str, tuple[str, bool, str | None]] = {
    TITLE_BLOCK: (N_("Title"), False, None),
    LINK_BLOCK: (
        N_("Link"),
        True,
        N_("Only an address you know; leave it empty if there is none."),
    ),
    KIND_BLOCK: (N_("Kind"), False, None),
    TOPICS_BLOCK: (
        N_("Topics"),
        True,
        N_("Separate them with commas, e.g. hiring, human resources."),
    ),
    SUMMARY_BLOCK: (N_("One-line summary"), True, N_("What it helps a municipality do.")),
}
NOTES = {
    SUGGEST: N_(
        "A coordinator reviews each suggestion before it is added. "
        "You get a direct message when they decide."
    ),
    ADD: N_("The resource is added at once and appears in `/dei-topic` answers."),
    EDIT: N_("Saving, even with nothing changed, marks the resource as checked and current."),
    REVIEW: N_("Saving adds the resource as you leave it, and tells the member it was approved."),
}


def resource_form(
    mode: str, *, initial: ResourceFields | None = None, target: str = ""
) -> dict[str, Any]:
    """The one resource modal. `target` is the resource key (edit) or suggestion id (review)."""
    elements = form_elements(initial)
    blocks = [
        input_block(
            block, _(label), elements[block], optional=optional, hint=_(hint) if hint else None
        )
        for block, (label, optional, hint) in FIELD_WORDS.items()
    ]
    blocks.append(context(_(NOTES[mode])))
    return {
        "type": "modal",
        "callback_id": RESOURCE_FORM,
        "private_metadata": f"{mode}:{target}" if target else mode,
        "title": plain(_(TITLES[mode])),
        "submit": plain(_("Send") if mode == SUGGEST else _("Save")),
        "close": plain(_("Cancel")),
        "blocks": blocks,
    }


def reject_form(card: SuggestionCard) -> dict[str, Any]:
    shown, _text = suggestion_lines(card)
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
        "title": plain(_("Reject a suggestion")),
        "submit": plain(_("Reject")),
        "close": plain(_("Cancel")),
        "blocks": [
            section(
                _("{member} suggested:\n{resource}").format(
                    member=f"<@{card.user_id}>", resource=shown
                )
            ),
            input_block(
                REASON_BLOCK,
                _("Why not? (optional)"),
                reason,
                optional=True,
                hint=_("The member sees this in the message telling them."),
            ),
        ],
    }
