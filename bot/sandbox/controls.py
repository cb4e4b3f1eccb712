"""What the numbers on screen stand for, and the form a person is filling in.

Each button, menu or field the sandbox draws gets the next number and is remembered with the
surface it sits on (a message, an ephemeral answer, the Home tab or a modal), so `press 4`
can send Slack's block_actions payload for exactly that element. A modal's fields keep what the
person filled in, in the shapes Slack puts in `view.state.values`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.sandbox.moments import parse_moment
from bot.sandbox.render import Number, option_words

TEXT_INPUTS = ("plain_text_input", "url_text_input", "email_text_input", "number_input")
ONE_OPTION = ("static_select", "radio_buttons", "external_select", "overflow")
SOME_OPTIONS = ("multi_static_select", "checkboxes")


@dataclass(frozen=True)
class Surface:
    kind: str  # "message" | "ephemeral" | "home" | "modal"
    channel: str | None = None
    ts: str | None = None


@dataclass(frozen=True)
class Control:
    number: int
    element: dict[str, Any]
    block_id: str
    surface: Surface
    label: str  # a button's words, a field's label, a menu's placeholder
    is_input: bool = False


def label_of(element: dict[str, Any], block: dict[str, Any]) -> str:
    for found in (block.get("label"), element.get("text"), element.get("placeholder")):
        if isinstance(found, dict) and found.get("text"):
            return str(found["text"])
    return str(element.get("action_id", ""))


class Controls:
    """Numbers handed out so far; they only grow, so an old number still means what it did."""

    def __init__(self) -> None:
        self._by_number: dict[int, Control] = {}

    def numberer(self, surface: Surface) -> Number:
        def number(element: dict[str, Any], block: dict[str, Any]) -> int:
            found = len(self._by_number) + 1
            self._by_number[found] = Control(
                found,
                element,
                str(block.get("block_id", "")),
                surface,
                label_of(element, block),
                is_input=block.get("type") == "input",
            )
            return found

        return number

    def get(self, number: int) -> Control | None:
        return self._by_number.get(number)

    def named(self, words: str) -> Control | None:
        """The control shown last whose label is `words` (or, failing that, starts with them)."""
        wanted = " ".join(words.split()).casefold()
        latest = sorted(self._by_number.values(), key=lambda control: -control.number)
        for exact in (True, False):
            for control in latest:
                label = control.label.casefold()
                if label == wanted or (not exact and wanted and label.startswith(wanted)):
                    return control
        return None


@dataclass
class Form:
    """The modal on screen and what has been filled in so far."""

    view: dict[str, Any]
    values: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def opened(cls, view: dict[str, Any]) -> Form:
        form = cls(view)
        for block in view.get("blocks") or []:
            element = block.get("element") if block.get("type") == "input" else None
            if isinstance(element, dict) and element.get("action_id"):
                form.values.setdefault(str(block.get("block_id")), {})[
                    str(element["action_id"])
                ] = initial_state(element)
        return form

    def set(self, control: Control, state: dict[str, Any]) -> None:
        action_id = str(control.element.get("action_id"))
        self.values.setdefault(control.block_id, {})[action_id] = state

    def label_of(self, block_id: str) -> str:
        for block in self.view.get("blocks") or []:
            if block.get("block_id") == block_id:
                return str((block.get("label") or {}).get("text", block_id))
        return block_id

    def missing(self) -> list[str]:
        """Labels of required fields left empty: Slack itself refuses to send such a form."""
        labels = []
        for block in self.view.get("blocks") or []:
            element = block.get("element") if block.get("type") == "input" else None
            if not isinstance(element, dict) or block.get("optional"):
                continue
            state = self.values.get(str(block.get("block_id")), {}).get(
                str(element.get("action_id")), {}
            )
            if not any(
                value not in (None, "", []) for key, value in state.items() if key != "type"
            ):
                labels.append(self.label_of(str(block.get("block_id"))))
        return labels

    def with_state(self) -> dict[str, Any]:
        """The view as Slack sends it along with a click inside the modal."""
        return {**self.view, "state": {"values": self.values}}


def initial_state(element: dict[str, Any]) -> dict[str, Any]:
    """An input's state before anyone touches it: its initial value, or empty (as Slack sends
    a field left blank)."""
    kind = str(element.get("type"))
    state: dict[str, Any] = {"type": kind}
    if kind in TEXT_INPUTS:
        state["value"] = element.get("initial_value")
    elif kind in ONE_OPTION:
        state["selected_option"] = element.get("initial_option")
    elif kind in SOME_OPTIONS:
        state["selected_options"] = element.get("initial_options", [])
    elif kind == "users_select":
        state["selected_user"] = element.get("initial_user")
    elif kind == "multi_users_select":
        state["selected_users"] = element.get("initial_users", [])
    elif kind == "conversations_select":
        state["selected_conversation"] = element.get("initial_conversation")
    elif kind == "channels_select":
        state["selected_channel"] = element.get("initial_channel")
    elif kind == "datepicker":
        state["selected_date"] = element.get("initial_date")
    elif kind == "timepicker":
        state["selected_time"] = element.get("initial_time")
    elif kind == "datetimepicker":
        state["selected_date_time"] = element.get("initial_date_time")
    return state


def typed_state(
    element: dict[str, Any], text: str, now: datetime, zone: ZoneInfo
) -> dict[str, Any]:
    """What `fill N text` puts in a typed field; ValueError says what to type instead."""
    kind = str(element.get("type"))
    if kind in TEXT_INPUTS:
        # " / " starts a new line in a multi-line field: one command, several agenda items.
        value = text.replace(" / ", "\n") if element.get("multiline") else text
        return {"type": kind, "value": value}
    if kind == "datetimepicker":
        moment = parse_moment(text, now, zone)
        return {"type": kind, "selected_date_time": int(moment.timestamp())}
    if kind == "datepicker":
        return {"type": kind, "selected_date": parse_moment(text, now, zone).date().isoformat()}
    if kind == "timepicker":
        moment = parse_moment(f"today {text}", now, zone)
        return {"type": kind, "selected_time": moment.strftime("%H:%M")}
    raise ValueError("that is a menu: use choose, e.g. choose 3 1")


def chosen_state(
    element: dict[str, Any], words: str, people: dict[str, str], channels: dict[str, str]
) -> dict[str, Any]:
    """What `choose N …` picks in a menu; ValueError names the choices."""
    kind = str(element.get("type"))
    options = list(element.get("options") or [])
    if kind in ONE_OPTION:
        return {"type": kind, "selected_option": pick(options, words)}
    if kind in SOME_OPTIONS:
        picked = [pick(options, part) for part in words.split(",") if part.strip()]
        return {"type": kind, "selected_options": picked}
    if kind == "users_select":
        return {"type": kind, "selected_user": person(people, words)}
    if kind == "multi_users_select":
        chosen = [person(people, part) for part in words.split(",") if part.strip()]
        return {"type": kind, "selected_users": chosen}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        return {"type": kind, key: person(channels, words)}
    raise ValueError("that field takes typing: use fill, e.g. fill 3 some words")


def pick(options: list[dict[str, Any]], words: str) -> dict[str, Any]:
    """An option by its number in the list, or by (the start of) its words."""
    wanted = words.strip().casefold()
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    for option in options:
        if option_words(option).casefold() == wanted:
            return option
    for option in options:
        if wanted and wanted in option_words(option).casefold():
            return option
    listed = "; ".join(f"{n}) {option_words(o)}" for n, o in enumerate(options, 1))
    raise ValueError(f"no choice matches “{words.strip()}”; the choices are {listed}")


def person(known: dict[str, str], words: str) -> str:
    """A user (or channel) by its ID or by (part of) its name."""
    wanted = words.strip().casefold()
    for key, name in known.items():
        if wanted in (key.casefold(), name.casefold()):
            return key
    for key, name in known.items():
        if wanted and wanted in name.casefold():
            return key
    raise ValueError(f"nobody called “{words.strip()}”; try one of: {', '.join(known.values())}")


def before_click(element: dict[str, Any]) -> list[str]:
    """What Slack shows a person between their click and the bot hearing of it."""
    said = []
    confirm = element.get("confirm")
    if isinstance(confirm, dict):
        words = (confirm.get("confirm") or {}).get("text", "Yes")
        said.append(
            f"(Slack asks first: {(confirm.get('title') or {}).get('text', '')} "
            f"{(confirm.get('text') or {}).get('text', '')} You answer “{words}”.)"
        )
    if element.get("url"):
        said.append(f"(your browser opens {element['url']})")
    return said


def click_fields(control: Control, chosen: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The parts of a block_actions payload that come from the element itself."""
    element = control.element
    return {
        "value": element.get("value"),
        "block_id": control.block_id,
        "element_type": str(element.get("type")),
        "label": (element.get("text") or {}).get("text"),
        "chosen": chosen,
        "action_ts": now.timestamp(),  # the bot orders one person's clicks by it
    }
