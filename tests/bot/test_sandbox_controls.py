"""What the numbers and labels on the sandbox's screen stand for, and a form's filled values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.controls import Controls, Form, Surface, chosen_state, typed_state
from bot.sandbox.render import render_blocks, render_modal, render_mrkdwn
from handlers.agenda_modals import TopicChoice, meeting_form
from handlers.announcement_blocks import rsvp_actions

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
PEOPLE = {"U0MEMBER01": "Maria (member)", "U0COACH001": "Coach"}


def form() -> tuple[Controls, dict[str, Any], str]:
    controls = Controls()
    view = {
        **meeting_form([TopicChoice("2027-04", "Hiring & Recruitment", "April 2027")]),
        "id": "V1",
    }
    shown = render_modal(view, PEOPLE, controls.numberer(Surface("modal")))
    return controls, view, shown


def test_every_control_gets_the_next_number_and_is_found_by_number_or_words() -> None:
    controls = Controls()
    blocks = [rsvp_actions("wg-1", "hybrid"), rsvp_actions("wg-2", "online")]
    shown = render_blocks(blocks, PEOPLE, controls.numberer(Surface("message", "C1", "1.2")))
    assert "[1] Going, in person  [2] Going, online  [3] Maybe  [4] Can't make it" in shown
    assert "[5] Going, online  [6] Maybe  [7] Can't make it" in shown
    latest = controls.named("going, online")
    assert latest is not None and latest.number == 5 and latest.element["value"] == "wg-2"
    first = controls.get(1)
    assert controls.named("can't") is not None and first is not None
    assert first.element["value"] == "wg-1"
    assert controls.named("nothing like this") is None


def test_a_modal_shows_its_fields_numbered_with_their_choices() -> None:
    controls, _, shown = form()
    assert shown.startswith("┌─ Modal: New meeting ─")
    assert "[1] Topic (choose one)\n│       1) April 2027: Hiring & Recruitment" in shown
    assert "[3] Length in minutes (a number)\n│       now: 60" in shown
    assert "[Save]  [Close]   (type submit, or close)" in shown
    topic = controls.named("Topic")
    assert topic is not None and topic.is_input


def test_a_form_starts_with_its_initial_values_and_knows_what_is_missing() -> None:
    controls, view, _ = form()
    filled = Form.opened(view)
    assert filled.missing() == ["Topic", "Starts", "Format"]
    topic = controls.named("Topic")
    start = controls.named("Starts")
    assert topic is not None and start is not None
    filled.set(topic, chosen_state(topic.element, "hiring", PEOPLE, {}))
    filled.set(start, typed_state(start.element, "tomorrow 10:00", NOW, CHICAGO))
    assert filled.missing() == ["Format"]
    values = filled.values
    assert values["agenda_topic"]["topic"]["selected_option"]["value"] == "2027-04"
    expected = int(datetime(2026, 11, 24, 10, 0, tzinfo=CHICAGO).timestamp())
    assert values["agenda_start"]["starts_at"]["selected_date_time"] == expected
    assert values["agenda_duration"]["duration_minutes"]["value"] == "60"


def test_typing_and_choosing_go_to_the_right_kind_of_field() -> None:
    multiline = {"type": "plain_text_input", "action_id": "a", "multiline": True}
    assert typed_state(multiline, "Welcome / Updates", NOW, CHICAGO)["value"] == "Welcome\nUpdates"
    menu = {"type": "static_select", "action_id": "m", "options": []}
    with pytest.raises(ValueError, match="choose"):
        typed_state(menu, "x", NOW, CHICAGO)
    people = {"type": "multi_users_select", "action_id": "p"}
    chosen = chosen_state(people, "maria, U0COACH001", PEOPLE, {})
    assert chosen["selected_users"] == ["U0MEMBER01", "U0COACH001"]
    with pytest.raises(ValueError, match="nobody called"):
        chosen_state(people, "Zed", PEOPLE, {})


def test_slack_markup_reads_as_slack_shows_it() -> None:
    text = (
        "<!date^1795000000^{date_long} at {time}|Tuesday November 24, 2026 at 10:00 AM CST> "
        "<@U0MEMBER01> <#C0ANNOUNCE> &lt;!channel&gt; <!here> <https://e.org/a|join link>"
    )
    shown = render_mrkdwn(text, {**PEOPLE, "C0ANNOUNCE": "dei-working-group"})
    assert shown == (
        "Tuesday November 24, 2026 at 10:00 AM CST @Maria (member) #dei-working-group "
        "<!channel> @here join link (https://e.org/a)"
    )
