"""What the resource modal and the rejection modal send us, parsed into small frozen values and
checked.

Pure: no Slack calls, no database. Problems are data, `{block_id: message}`, ready for
`ack(response_action="errors", errors=…)`. A forged or half-filled payload parses to empty
fields (never an exception), and the checks treat them like a person who left a field blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from handlers import resource_curation_blocks as rcb
from handlers import resource_curation_modals as rcm
from handlers.coaching_forms import field_state, field_text
from handlers.i18n import _
from storage.models import ResourceKind
from storage.resource_changes import ResourceFields

# Slack's url_text_input lets through any URL; ours must also be safe inside a mrkdwn link.
LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
KINDS = tuple(kind.value for kind in ResourceKind)
MODES = (rcb.SUGGEST, rcb.ADD, rcb.EDIT, rcb.REVIEW)


@dataclass(frozen=True)
class FormPurpose:
    """What the modal is for (`private_metadata`): suggest, add, edit KEY or review ID."""

    mode: str
    target: str = ""

    @property
    def needs_coordinator(self) -> bool:
        return self.mode != rcb.SUGGEST


def parse_purpose(metadata: str | None) -> FormPurpose | None:
    mode, _, target = (metadata or "").partition(":")
    if mode not in MODES or (mode in (rcb.EDIT, rcb.REVIEW)) != bool(target):
        return None
    if mode == rcb.REVIEW and not target.isdigit():
        return None
    return FormPurpose(mode=mode, target=target)


@dataclass(frozen=True)
class ResourceForm:
    title: str
    link: str
    kind: str
    topics_text: str
    summary: str

    @property
    def topics(self) -> tuple[str, ...]:
        """One topic per comma or line, each trimmed; blanks and repeats dropped."""
        found: dict[str, str] = {}
        for part in re.split(r"[,\n;]", self.topics_text):
            topic = " ".join(part.split())
            if topic:
                found.setdefault(topic.casefold(), topic)
        return tuple(found.values())

    def fields(self) -> ResourceFields:
        return ResourceFields(
            title=" ".join(self.title.split()),
            url=self.link or None,
            kind=self.kind,
            summary=" ".join(self.summary.split()),
            topics=self.topics,
        )


def parse_resource_form(view: dict[str, Any]) -> ResourceForm:
    chosen = field_state(view, rcm.KIND_BLOCK, rcm.KIND_INPUT).get("selected_option")
    kind = chosen.get("value") if isinstance(chosen, dict) else None
    return ResourceForm(
        title=field_text(view, rcm.TITLE_BLOCK, rcm.TITLE_INPUT),
        link=field_text(view, rcm.LINK_BLOCK, rcm.LINK_INPUT),
        kind=kind if isinstance(kind, str) else "",
        topics_text=field_text(view, rcm.TOPICS_BLOCK, rcm.TOPICS_INPUT),
        summary=field_text(view, rcm.SUMMARY_BLOCK, rcm.SUMMARY_INPUT),
    )


def resource_form_errors(form: ResourceForm) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not form.title.strip():
        errors[rcm.TITLE_BLOCK] = _("Please give the resource a title.")
    elif len(form.title) > rcb.TITLE_MAX:
        errors[rcm.TITLE_BLOCK] = _("Please keep the title under {count} characters.").format(
            count=rcb.TITLE_MAX
        )
    if form.link and not LINK.fullmatch(form.link):
        errors[rcm.LINK_BLOCK] = _(
            "A link starts with https:// or http:// and has no spaces; leave it empty if there is "
            "no web address."
        )
    elif len(form.link) > rcb.LINK_MAX:
        errors[rcm.LINK_BLOCK] = _("Please keep the link under {count} characters.").format(
            count=rcb.LINK_MAX
        )
    if form.kind not in KINDS:
        errors[rcm.KIND_BLOCK] = _("Please choose what kind of resource it is.")
    topics = form.topics
    if len(form.topics_text) > rcb.TOPICS_TEXT_MAX or len(topics) > rcb.MAX_TOPICS:
        errors[rcm.TOPICS_BLOCK] = _("Please give at most {count} topics.").format(
            count=rcb.MAX_TOPICS
        )
    elif any(len(topic) > rcb.TOPIC_MAX for topic in topics):
        errors[rcm.TOPICS_BLOCK] = _(
            "Each topic is a few words (under {count} characters), separated by commas."
        ).format(count=rcb.TOPIC_MAX)
    if len(form.summary) > rcb.SUMMARY_MAX:
        errors[rcm.SUMMARY_BLOCK] = _("Please keep the summary under {count} characters.").format(
            count=rcb.SUMMARY_MAX
        )
    return errors


def parse_reason(view: dict[str, Any]) -> str:
    return " ".join(field_text(view, rcm.REASON_BLOCK, rcm.REASON_INPUT).split())


def reason_errors(reason: str) -> dict[str, str]:
    if len(reason) > rcb.REASON_MAX:
        said = _("Please keep the reason under {count} characters.")
        return {rcm.REASON_BLOCK: said.format(count=rcb.REASON_MAX)}
    return {}


def parse_suggestion_id(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None
