"""Small Block Kit pieces every feature builds with: plain text, buttons with accessible labels,
input blocks, the one-section answer, and the modal that only says something."""

from __future__ import annotations

from typing import Any

from handlers.blocks import Message, section, truncate
from handlers.i18n import _

TEXT_MAX = 4000  # Slack asks for a message text under 4,000 characters


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


def notice_view(message: Message, title: str = "dei-bot") -> dict[str, Any]:
    """A modal that only says something (a refusal, or why a form could not open)."""
    return {
        "type": "modal",
        "title": plain(truncate(title, 24)),
        "close": plain(_("Close")),
        "blocks": message.blocks or [section(message.text)],
    }


def said(text: str) -> Message:
    """A one-section answer whose blocks say exactly what the text says."""
    return Message(text=text, blocks=[section(text)])
