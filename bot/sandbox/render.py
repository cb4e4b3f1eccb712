"""Slack surfaces drawn as terminal text: messages, the App Home tab and modals.

Every button, menu and form field gets a number, so a person can `press 3`, `choose 5 English`
or `fill 7 Welcome`. Numbers come from the session (`Number`), which remembers what each one is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.config import DEFAULT_TIMEZONE

SANDBOX_ZONE = ZoneInfo(DEFAULT_TIMEZONE)  # everyone in the sandbox lives in the group's zone
Number = Callable[[dict[str, Any], dict[str, Any]], int]  # (element, its block) → its number

SELECTS = {
    "static_select": "choose one",
    "multi_static_select": "choose one or more",
    "radio_buttons": "choose one",
    "checkboxes": "choose any",
    "overflow": "choose one",
    "users_select": "choose a person",
    "multi_users_select": "choose people",
    "conversations_select": "choose a conversation",
    "channels_select": "choose a channel",
}
TYPED = {
    "plain_text_input": "text",
    "url_text_input": "a web address",
    "email_text_input": "an email address",
    "number_input": "a number",
    "datepicker": "a date, e.g. 2027-01-12",
    "timepicker": "a time, e.g. 14:30",
    "datetimepicker": "a date and time, e.g. 2027-01-12 10:00",
}


def render_mrkdwn(text: str, names: dict[str, str]) -> str:
    """Slack's markup as a terminal would show it: dates, links and mentions resolved."""
    text = re.sub(r"<!date\^\d+\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<@([UW][A-Z0-9]+)>", lambda m: "@" + names.get(m[1], m[1]), text)
    text = re.sub(r"<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>", lambda m: "#" + names.get(m[1], m[1]), text)
    text = re.sub(r"<!(channel|here|everyone)>", r"@\1", text)
    text = re.sub(
        r"<(https?://[^|>]+)\|([^>]+)>",
        lambda m: m[1] if m[2] in (m[1], m[1][:79] + "…") else f"{m[2]} ({m[1]})",
        text,
    )
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def words_of(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def option_words(option: dict[str, Any]) -> str:
    return words_of(option.get("text"))


def element_words(element: dict[str, Any], names: dict[str, str], number: int) -> str:
    """One control on one line: `[3] Going, in person`, `[5] Language ▸ choose one: …`."""
    kind = element.get("type")
    if kind == "button":
        label = words_of(element.get("text")) or "?"
        link = f" (opens {urlsplit(str(element['url'])).netloc})" if element.get("url") else ""
        return f"[{number}] {label}{link}"
    if kind in SELECTS:
        chosen = element.get("initial_option")
        if isinstance(chosen, dict):
            now = f" (now: {option_words(chosen)})"
        elif element.get("initial_user"):
            now = f" (now: {names.get(element['initial_user'], element['initial_user'])})"
        else:
            now = ""
        placeholder = words_of(element.get("placeholder"))
        options = [option_words(o) for o in element.get("options") or []]
        listed = f": {'; '.join(options)}" if options else ""
        label = placeholder or SELECTS[str(kind)]
        return f"[{number}] menu, {label}{now}{listed}"
    if kind in TYPED:
        return f"[{number}] {TYPED[str(kind)]}"
    return f"[{number}] ({kind})"


def render_blocks(blocks: list[dict[str, Any]], names: dict[str, str], number: Number) -> str:
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"│ ** {words_of(block.get('text'))} **")
        elif kind == "section":
            text = words_of(block.get("text"))
            fields = [words_of(field) for field in block.get("fields") or []]
            for chunk in [text, *fields]:
                lines += [f"│ {line}" for line in render_mrkdwn(chunk, names).splitlines()]
            accessory = block.get("accessory")
            if isinstance(accessory, dict) and accessory.get("type") != "image":
                shown = element_words(accessory, names, number(accessory, block))
                lines.append(f"│   {shown}")
        elif kind == "context":
            for element in block.get("elements", []):
                lines.append(f"│   ({render_mrkdwn(words_of(element), names)})")
        elif kind == "divider":
            lines.append("│ " + "─" * 40)
        elif kind == "actions":
            controls = [
                element_words(element, names, number(element, block))
                for element in block.get("elements", [])
            ]
            lines.append("│ " + "  ".join(controls))
        elif kind == "input":
            lines += input_lines(block, names, number)
        elif kind == "image":
            lines.append(f"│ (image: {block.get('alt_text', '')})")
        else:
            lines.append(f"│ ({kind} block)")
    return "\n".join(lines)


def input_lines(block: dict[str, Any], names: dict[str, str], number: Number) -> list[str]:
    element = block.get("element") or {}
    label = words_of(block.get("label"))
    optional = ", optional" if block.get("optional") else ""
    kind = str(element.get("type"))
    how = TYPED.get(kind) or SELECTS.get(kind) or kind
    lines = [f"│ [{number(element, block)}] {label} ({how}{optional})"]
    current = initial_words(element, names)
    if current:
        lines.append(f"│       now: {current}")
    for index, option in enumerate(element.get("options") or [], 1):
        lines.append(f"│       {index}) {option_words(option)}")
    hint = words_of(block.get("hint"))
    if hint:
        lines.append(f"│       ({hint})")
    return lines


def initial_words(element: dict[str, Any], names: dict[str, str]) -> str:
    if element.get("initial_value"):
        return str(element["initial_value"]).replace("\n", " / ")
    if isinstance(element.get("initial_option"), dict):
        return option_words(element["initial_option"])
    if element.get("initial_user"):
        return names.get(element["initial_user"], element["initial_user"])
    if element.get("initial_users"):
        return ", ".join(names.get(user, user) for user in element["initial_users"])
    if element.get("initial_date_time"):
        moment = datetime.fromtimestamp(int(element["initial_date_time"]), SANDBOX_ZONE)
        return moment.strftime("%Y-%m-%d %H:%M %Z")
    for name in ("initial_date", "initial_time"):
        if element.get(name):
            return str(element[name])
    return ""


def render_modal(view: dict[str, Any], names: dict[str, str], number: Number) -> str:
    title = words_of(view.get("title"))
    buttons = [
        f"[{words}]"
        for words, command in ((words_of(view.get("submit")), "submit"), ("Close", "close"))
        if words and (command == "close" or view.get("submit"))
    ]
    footer = "  ".join(buttons)
    commands = "submit, or close" if view.get("submit") else "close"
    return "\n".join(
        [
            f"┌─ Modal: {title} ─",
            render_blocks(view.get("blocks") or [], names, number),
            f"│ {footer}   (type {commands})",
            "└─",
        ]
    )
