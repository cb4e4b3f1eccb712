"""The App Home tab and the search modal as pure builders: what a member and a coordinator see,
within Slack's limits, readable without colour, emoji or relative dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers import home_blocks, home_tool_blocks
from handlers.agenda_blocks import NEW_MEETING
from handlers.announcement_blocks import GOING_IN_PERSON, GOING_ONLINE, MAYBE, NOT_GOING
from handlers.blocks import Message, section
from handlers.coaching_blocks import SessionCard
from handlers.home_blocks import HomeFacts, HomeMeeting
from handlers.home_tool_blocks import CoordinatorFacts, RecentAttendance
from handlers.resource_curation_blocks import SuggestionCard
from slack_standin import blockkit
from storage.resource_changes import ResourceFields

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MEMBER = "U0MEMBER01"


def meeting(key: str = "wg-1", **changes: Any) -> HomeMeeting:
    values: dict[str, Any] = {
        "key": key,
        "title": "Hiring & Recruitment",
        "starts_at": NOW + timedelta(days=1),
        "duration_minutes": 60,
        "format": "hybrid",
        "location": "Village Hall",
        "join_url": "https://example.org/join",
        "rsvp_state": None,
    }
    values.update(changes)
    return HomeMeeting(**values)


def facts(**changes: Any) -> HomeFacts:
    values: dict[str, Any] = {
        "viewer": MEMBER,
        "month_label": "November 2026",
        "topic_title": "Staff Training",
        "meetings": (meeting(),),
        "sessions": (),
        "reminders_enabled": True,
        "reminder_offsets": (timedelta(hours=24), timedelta(hours=1)),
        "language": None,
        "now": NOW,
    }
    values.update(changes)
    return HomeFacts(**values)


def elements(view: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        found += block.get("elements", []) if block["type"] == "actions" else []
        if isinstance(block.get("accessory"), dict):
            found.append(block["accessory"])
    return found


def words(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


def test_a_member_sees_the_meeting_their_rsvp_and_the_buttons_but_no_coordinator_tools() -> None:
    view = home_blocks.home_tab(facts(meetings=(meeting(rsvp_state="maybe"),)), CHICAGO)
    assert view["type"] == "home"
    assert not blockkit.check_view(view, frozenset({"home"}))
    text = words(view)
    assert "*Your RSVP:* maybe" in text
    assert "Hiring &amp; Recruitment" in text  # escaped, never a stray control character
    ids = [element.get("action_id") for element in elements(view)]
    assert [i for i in ids if "rsvp" in i] == [GOING_IN_PERSON, GOING_ONLINE, MAYBE, NOT_GOING]
    assert home_blocks.SEARCH_RESOURCES in ids
    assert NEW_MEETING not in ids and home_tool_blocks.EXPORT not in ids
    assert "Coordinator tools" not in text


def test_a_coordinator_also_sees_tools_suggestions_and_attendance_by_municipality() -> None:
    tools = CoordinatorFacts(
        recent=(
            RecentAttendance(
                "Staff Training", NOW - timedelta(days=3), 5, (("Flossmoor", 3), ("Chicago", 2))
            ),
        ),
        announce_channel="C0ANNOUNCE",
        suggestions=(
            SuggestionCard(7, MEMBER, ResourceFields("LEP <!channel> plan", None, "guide", "", ())),
        ),
        suggestions_waiting=4,
    )
    view = home_blocks.home_tab(facts(coordinator=tools), CHICAGO)
    assert not blockkit.check_view(view, frozenset({"home"}))
    text = words(view)
    assert "Coordinator tools" in text
    assert "5 attended (Flossmoor 3, Chicago 2)" in text
    assert "waiting for a decision:* 4" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    ids = [element.get("action_id") for element in elements(view)]
    assert NEW_MEETING in ids and home_tool_blocks.EXPORT in ids


def test_repeated_buttons_say_which_meeting_they_are_for() -> None:
    two = (meeting("wg-1"), meeting("wg-2", title="Data Analytics", starts_at=NOW + timedelta(7)))
    view = home_blocks.home_tab(facts(meetings=two), CHICAGO)
    labels = [e["accessibility_label"] for e in elements(view) if "rsvp" in e["action_id"]]
    assert len(labels) == 8 and len(set(labels)) == 8
    assert all(len(label) <= 75 for label in labels)
    assert "Going, in person: Data Analytics, Nov 30, 2026" in labels


def test_a_started_meeting_has_no_rsvp_buttons_and_says_so() -> None:
    view = home_blocks.home_tab(facts(meetings=(meeting(started=True),)), CHICAGO)
    assert "RSVPs are closed" in words(view)
    assert not [e for e in elements(view) if "rsvp" in str(e.get("action_id"))]


def test_dates_are_absolute_for_every_reader() -> None:
    soon = meeting(starts_at=NOW + timedelta(hours=20))
    text = words(home_blocks.home_tab(facts(meetings=(soon,)), CHICAGO))
    assert "date_long_pretty" not in text  # would read only "tomorrow" to some readers
    assert "{date_long} at {time}|Tuesday November 24, 2026 at 5:00 AM CST" in text


def test_reminder_and_language_settings_say_their_state_in_words() -> None:
    on = home_blocks.home_tab(facts(), CHICAGO)
    assert "*Reminders:* on." in words(on)
    toggle = next(e for e in elements(on) if e["action_id"] == home_blocks.REMINDERS)
    assert toggle["value"] == "off" and toggle["text"]["text"] == "Turn reminders off"
    off = home_blocks.home_tab(facts(reminders_enabled=False, language="es"), CHICAGO)
    assert "*Reminders:* off." in words(off)
    chooser = next(e for e in elements(off) if e["action_id"] == home_blocks.LANGUAGE)
    assert chooser["initial_option"]["value"] == "es"
    assert "Language for my messages:* Español" in words(off)


def test_the_fullest_home_stays_within_slacks_limits() -> None:
    many = tuple(meeting(f"wg-{n}", title="T" * 300, location="L" * 300) for n in range(20))
    session = SessionCard(
        "s1", "LORE 2027", "U0COACH001", NOW + timedelta(days=2), 60, "Hall", None, (MEMBER,)
    )
    tools = CoordinatorFacts(
        recent=tuple(RecentAttendance("R" * 200, NOW, 9, (("X" * 80, 9),) * 30) for _ in range(9)),
        suggestions=tuple(
            SuggestionCard(
                n,
                MEMBER,
                ResourceFields("S" * 300, "https://e.org", "guide", "y" * 900, ("hiring",) * 50),
            )
            for n in range(9)
        ),
        suggestions_waiting=9,
    )
    view = home_blocks.home_tab(
        facts(meetings=many, more_meetings=15, sessions=(session,) * 9, coordinator=tools), CHICAGO
    )
    assert len(view["blocks"]) <= blockkit.VIEW_MAX_BLOCKS
    assert not blockkit.check_view(view, frozenset({"home"}))


def test_the_search_form_asks_one_question_then_shows_the_answer_above_it() -> None:
    empty = home_blocks.search_form()
    assert [b["type"] for b in empty["blocks"]] == ["input"]
    assert empty["callback_id"] == home_blocks.SEARCH_FORM
    answer = Message(text="Resources for procurement", blocks=[section("*Resources*")] * 60)
    shown = home_blocks.search_form("procurement", answer)
    assert shown["blocks"][-1]["element"]["initial_value"] == "procurement"
    assert len(shown["blocks"]) <= blockkit.VIEW_MAX_BLOCKS
    for view in (empty, shown):
        assert not blockkit.check_view(view, frozenset({"modal"}))
