"""Screen readers: where several buttons in one message or view say the same thing ("Edit",
"Going, online"), each carries an accessibility label saying what it acts on; labels fit Slack's
75 characters; every message has a plain text fallback. In English and in Spanish."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers import agenda_blocks, home_blocks, i18n
from handlers import lookup_blocks as lb
from tests.handlers.test_agenda_blocks import card as meeting_card
from tests.handlers.test_home_blocks import facts, meeting
from tests.handlers.test_lookup_blocks import answer

CHICAGO = ZoneInfo("America/Chicago")


def buttons(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("type") == "button":
            yield value
        for inner in value.values():
            yield from buttons(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from buttons(inner)


def assert_buttons_say_what_they_act_on(blocks: list[dict[str, Any]]) -> None:
    found = list(buttons(blocks))
    assert found
    shown = Counter(button["text"]["text"] for button in found)
    labels = [button.get("accessibility_label") for button in found]
    for button in found:
        label = button.get("accessibility_label")
        assert label is None or 0 < len(label) <= 75
        if shown[button["text"]["text"]] > 1:
            assert label, f"{button['text']['text']!r} repeats with nothing to tell them apart"
            assert labels.count(label) == 1, label


def surfaces() -> Iterator[tuple[str, list[dict[str, Any]], str | None]]:
    look = lb.lookup_answer(answer(coordinator=True))
    yield "lookup answer", look.blocks, look.text
    agenda = agenda_blocks.agenda_list(
        [meeting_card(key="wg-1"), meeting_card(key="wg-2", title="Language Access")],
        zone=CHICAGO,
        announce_channel="C0ANNOUNCE",
    )
    yield "agenda list", agenda.blocks, agenda.text
    home = home_blocks.home_tab(
        facts(meetings=(meeting("wg-1"), meeting("wg-2", title="Language Access"))), CHICAGO
    )
    yield "home", home["blocks"], None


@pytest.mark.parametrize("language", ["en", "es"])
def test_repeated_buttons_carry_distinct_labels_and_messages_have_text(language: str) -> None:
    with i18n.speaking(language):
        for name, blocks, text in surfaces():
            assert_buttons_say_what_they_act_on(blocks)
            assert text is None or text.strip(), name
