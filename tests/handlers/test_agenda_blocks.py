"""Pure builders and parsers for the agenda: Slack's limits, escaping, the plain-text fallback,
and every field check of the meeting form."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers import agenda_answers as aa
from handlers import agenda_blocks as ab
from handlers import agenda_forms as af
from handlers import agenda_modals as am
from slack_standin import blockkit

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)  # 10:00 in Chicago
MODAL = frozenset({"modal"})


def card(**changes: Any) -> ab.MeetingCard:
    values: dict[str, Any] = {
        "key": "wg-2027-01-12",
        "title": "Hiring & Recruitment",
        "topic_key": "2027-01",
        "starts_at": START,
        "duration_minutes": 60,
        "format": "hybrid",
        "location": "NIU Naperville",
        "join_url": "https://example.org/join",
        "capacity_in_person": 30,
        "capacity_online": None,
        "agenda": ("Welcome", "Peer updates"),
    }
    values.update(changes)
    return ab.MeetingCard(**values)


def clickable(blocks: list[dict[str, Any]]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found.setdefault(element["action_id"], []).append(element.get("value"))
    return found


def topics(count: int) -> list[am.TopicChoice]:
    return [am.TopicChoice(f"t{n}", f"Topic {n}", "January 2027") for n in range(count)]


def by_block(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"] if "block_id" in block}


# -- the list -----------------------------------------------------------------------------------


def test_an_upcoming_meeting_can_be_edited_and_cancelled() -> None:
    message = ab.agenda_list([card()], zone=CHICAGO, announce_channel="C0ANNOUNCE")
    assert clickable(message.blocks) == {
        ab.EDIT_MEETING: ["wg-2027-01-12"],
        ab.CANCEL_MEETING: ["wg-2027-01-12"],
        ab.NEW_MEETING: ["new"],
    }
    assert "Hiring &amp; Recruitment, Tuesday January 12, 2027 at 10:00 AM CST" in message.text
    assert "Not announced" in message.text
    rendered = json.dumps(message.blocks)
    assert "<!date^1799769600^" in rendered
    assert blockkit.check_blocks(message.blocks, "/blocks", 50) == []


def test_during_and_after_a_meeting_attendance_replaces_cancel() -> None:
    during = card(started=True, attendance_open=True, attended=3, by_community=(("Flossmoor", 2),))
    after = replace(during, ended=True, key="wg-2026-12-08")
    message = ab.agenda_list([during, after], zone=CHICAGO, announce_channel="C0ANNOUNCE")
    assert clickable(message.blocks) == {
        ab.EDIT_MEETING: ["wg-2027-01-12"],
        ab.MARK_ATTENDANCE: ["wg-2027-01-12", "wg-2026-12-08"],
        ab.NEW_MEETING: ["new"],
    }
    assert "Attended: 3 (Flossmoor 2)" in message.text


def test_the_announcement_state_is_said() -> None:
    posted = card(announcement=ab.Announcement("posted", NOW, "C0ANNOUNCE"))
    later = card(announcement=ab.Announcement("scheduled", START - timedelta(days=3)))
    failed = card(announcement=ab.Announcement("failed", NOW))
    message = ab.agenda_list([posted, later, failed], zone=CHICAGO, announce_channel="C0ANN")
    rendered = json.dumps(message.blocks)
    assert "Announced in <#C0ANNOUNCE>" in rendered
    assert "Announcement goes out Saturday January 9, 2027 at 10:00 AM CST" in message.text
    assert "could not be posted" in message.text


def test_text_people_typed_is_escaped() -> None:
    tricky = card(
        title="<!channel> Hiring",
        location="<https://evil.example|Town Hall>",
        by_community=(("<!here>", 1),),
        attended=1,
        attendance_open=True,
    )
    message = ab.agenda_list([tricky], zone=CHICAGO, announce_channel="C0ANNOUNCE")
    for shown in (json.dumps(message.blocks), message.text):
        assert "<!channel>" not in shown and "<!here>" not in shown
        assert "<https://evil.example" not in shown
    assert "&lt;!channel&gt; Hiring" in message.text


def test_many_meetings_stay_inside_slacks_limits() -> None:
    cards = [card(key=f"wg-{n}", title="T" * 300) for n in range(40)]
    message = ab.agenda_list(cards, zone=CHICAGO, announce_channel=None)
    assert len(message.blocks) <= 50
    assert blockkit.check_blocks(message.blocks, "/blocks", 50) == []
    assert len(message.text) <= ab.TEXT_MAX
    assert "DEI_ANNOUNCE_CHANNEL" in message.text


def test_no_meetings_offers_a_new_one() -> None:
    message = ab.agenda_list([], zone=CHICAGO, announce_channel="C0ANNOUNCE")
    assert "No meetings are coming up" in message.text
    assert clickable(message.blocks) == {ab.NEW_MEETING: ["new"]}


# -- the forms ----------------------------------------------------------------------------------


def test_the_new_meeting_form_is_within_limits() -> None:
    view = am.meeting_form(topics(150), announce_channel="C0ANNOUNCE")
    assert blockkit.check_view(view, MODAL) == []
    fields = by_block(view)
    assert len(fields[am.TOPIC_BLOCK]["element"]["options"]) == 100
    assert fields[am.START_BLOCK]["element"]["type"] == "datetimepicker"
    assert fields[am.JOIN_URL_BLOCK]["element"]["type"] == "url_text_input"
    assert fields[am.IN_PERSON_BLOCK]["element"]["min_value"] == "0"
    assert fields[am.POST_BLOCK]["element"]["initial_option"]["value"] == am.POST_NOW
    assert view["private_metadata"] == ""
    assert "DEI_ANNOUNCE_CHANNEL" not in json.dumps(view)


def test_the_form_says_when_announcements_cannot_be_posted() -> None:
    view = am.meeting_form(topics(1), announce_channel=None)
    assert "DEI_ANNOUNCE_CHANNEL" in json.dumps(view)


def test_editing_fills_the_form_in() -> None:
    scheduled = ab.Announcement("scheduled", START - timedelta(days=2))
    editing = card(announcement=scheduled, capacity_online=0)
    view = am.meeting_form([am.TopicChoice("2027-01", "Hiring", "January 2027")], editing=editing)
    assert blockkit.check_view(view, MODAL) == []
    assert view["private_metadata"] == "wg-2027-01-12"
    fields = {block: value["element"] for block, value in by_block(view).items()}
    assert fields[am.TOPIC_BLOCK]["initial_option"]["value"] == "2027-01"
    assert fields[am.START_BLOCK]["initial_date_time"] == int(START.timestamp())
    assert fields[am.FORMAT_BLOCK]["initial_option"]["value"] == "hybrid"
    assert fields[am.IN_PERSON_BLOCK]["initial_value"] == "30"
    assert fields[am.ONLINE_BLOCK]["initial_value"] == "0"
    assert fields[am.ITEMS_BLOCK]["initial_value"] == "Welcome\nPeer updates"
    assert fields[am.POST_BLOCK]["initial_option"]["value"] == am.POST_LATER
    assert fields[am.POST_AT_BLOCK]["initial_date_time"] == int(
        (START - timedelta(days=2)).timestamp()
    )


def test_once_posted_the_form_no_longer_asks_when_to_post() -> None:
    editing = card(announcement=ab.Announcement("posted", NOW, "C0ANNOUNCE"))
    view = am.meeting_form([am.TopicChoice("2027-01", "Hiring", "January 2027")], editing=editing)
    assert am.POST_BLOCK not in by_block(view) and am.POST_AT_BLOCK not in by_block(view)
    assert "already posted" in json.dumps(view)


def test_the_attendance_form_starts_from_who_checked_in() -> None:
    view = am.attendance_form(card(attended=2), ["U0AAAAAAA", "U0BBBBBBB"], CHICAGO)
    assert blockkit.check_view(view, MODAL) == []
    chosen = by_block(view)[am.ATTENDED_BLOCK]
    assert chosen["element"]["initial_users"] == ["U0AAAAAAA", "U0BBBBBBB"]
    assert chosen["optional"] is True
    empty = am.attendance_form(card(), [], CHICAGO)
    assert "initial_users" not in by_block(empty)[am.ATTENDED_BLOCK]["element"]


# -- parsing and checking -----------------------------------------------------------------------


def submitted(**changes: Any) -> dict[str, Any]:
    """A view as Slack submits the meeting form; `changes` replace fields by block ID."""
    values: dict[str, dict[str, dict[str, Any]]] = {
        am.TOPIC_BLOCK: {am.TOPIC_INPUT: {"selected_option": {"value": "2027-01"}}},
        am.START_BLOCK: {am.START_INPUT: {"selected_date_time": int(START.timestamp())}},
        am.DURATION_BLOCK: {am.DURATION_INPUT: {"value": "60"}},
        am.FORMAT_BLOCK: {am.FORMAT_INPUT: {"selected_option": {"value": "hybrid"}}},
        am.LOCATION_BLOCK: {am.LOCATION_INPUT: {"value": "NIU Naperville"}},
        am.JOIN_URL_BLOCK: {am.JOIN_URL_INPUT: {"value": "https://example.org/join"}},
        am.IN_PERSON_BLOCK: {am.IN_PERSON_INPUT: {"value": "30"}},
        am.ONLINE_BLOCK: {am.ONLINE_INPUT: {"value": None}},
        am.ITEMS_BLOCK: {am.ITEMS_INPUT: {"value": "Welcome\n\n• Peer updates\n  - Discussion "}},
        am.POST_BLOCK: {am.POST_INPUT: {"selected_option": {"value": "now"}}},
    }
    for block, value in changes.items():
        values[block] = value
    return {"private_metadata": "", "state": {"values": values}}


def errors_of(view: dict[str, Any], **checks: Any) -> dict[str, str]:
    form = af.parse_meeting_form(view)
    return af.meeting_form_errors(form, NOW, topic_known=checks.pop("topic_known", True), **checks)


def test_a_complete_form_parses_and_passes() -> None:
    form = af.parse_meeting_form(submitted())
    assert form.topic_key == "2027-01" and form.starts_at == START
    assert form.duration_minutes == 60 and form.format == "hybrid"
    assert form.seats_in_person == 30 and form.seats_online is None
    assert form.agenda == ("Welcome", "Peer updates", "Discussion")
    assert form.post == "now" and form.editing is None
    assert af.meeting_form_errors(form, NOW, topic_known=True) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({am.START_BLOCK: {am.START_INPUT: {"selected_date_time": int(NOW.timestamp()) - 60}}},
         am.START_BLOCK),
        ({am.START_BLOCK: {}}, am.START_BLOCK),
        ({am.DURATION_BLOCK: {am.DURATION_INPUT: {"value": "0"}}}, am.DURATION_BLOCK),
        ({am.DURATION_BLOCK: {am.DURATION_INPUT: {"value": "-30"}}}, am.DURATION_BLOCK),
        ({am.DURATION_BLOCK: {am.DURATION_INPUT: {"value": "601"}}}, am.DURATION_BLOCK),
        ({am.JOIN_URL_BLOCK: {am.JOIN_URL_INPUT: {"value": "ftp://example.org/x"}}},
         am.JOIN_URL_BLOCK),
        ({am.JOIN_URL_BLOCK: {am.JOIN_URL_INPUT: {"value": "javascript:alert(1)"}}},
         am.JOIN_URL_BLOCK),
        ({am.JOIN_URL_BLOCK: {}}, am.JOIN_URL_BLOCK),  # hybrid without a link
        ({am.LOCATION_BLOCK: {}}, am.LOCATION_BLOCK),  # hybrid without a place
        ({am.LOCATION_BLOCK: {am.LOCATION_INPUT: {"value": "x" * 201}}}, am.LOCATION_BLOCK),
        ({am.IN_PERSON_BLOCK: {am.IN_PERSON_INPUT: {"value": "-1"}}}, am.IN_PERSON_BLOCK),
        ({am.ONLINE_BLOCK: {am.ONLINE_INPUT: {"value": "-5"}}}, am.ONLINE_BLOCK),
        ({am.ONLINE_BLOCK: {am.ONLINE_INPUT: {"value": "2.5"}}}, am.ONLINE_BLOCK),
        ({am.FORMAT_BLOCK: {am.FORMAT_INPUT: {"selected_option": {"value": "hologram"}}}},
         am.FORMAT_BLOCK),
        ({am.ITEMS_BLOCK: {am.ITEMS_INPUT: {"value": "\n".join(["item"] * 21)}}},
         am.ITEMS_BLOCK),
        ({am.ITEMS_BLOCK: {am.ITEMS_INPUT: {"value": "x" * 201}}}, am.ITEMS_BLOCK),
        ({am.POST_BLOCK: {}}, am.POST_BLOCK),
        ({am.POST_BLOCK: {am.POST_INPUT: {"selected_option": {"value": "later"}}}},
         am.POST_AT_BLOCK),
    ],
)  # fmt: skip
def test_each_invalid_field_is_named(changes: dict[str, Any], field: str) -> None:
    assert set(errors_of(submitted(**changes))) == {field}


def test_online_needs_no_place_and_in_person_no_link() -> None:
    online = submitted(
        **{
            am.FORMAT_BLOCK: {am.FORMAT_INPUT: {"selected_option": {"value": "online"}}},
            am.LOCATION_BLOCK: {},
        }
    )
    assert errors_of(online) == {}
    in_person = submitted(
        **{
            am.FORMAT_BLOCK: {am.FORMAT_INPUT: {"selected_option": {"value": "in-person"}}},
            am.JOIN_URL_BLOCK: {},
        }
    )
    assert errors_of(in_person) == {}


def test_an_unknown_topic_is_an_error_on_the_topic() -> None:
    assert set(errors_of(submitted(), topic_known=False)) == {am.TOPIC_BLOCK}


@pytest.mark.parametrize(
    ("post_at", "ok"),
    [
        (NOW - timedelta(hours=1), False),  # in the past
        (START, False),  # at the start
        (START + timedelta(minutes=5), False),  # after the start
        (NOW + timedelta(seconds=20), True),
        (START - timedelta(days=1), True),
    ],
)
def test_a_chosen_post_time_is_between_now_and_the_start(post_at: datetime, ok: bool) -> None:
    view = submitted(
        **{
            am.POST_BLOCK: {am.POST_INPUT: {"selected_option": {"value": "later"}}},
            am.POST_AT_BLOCK: {am.POST_AT_INPUT: {"selected_date_time": int(post_at.timestamp())}},
        }
    )
    assert (errors_of(view) == {}) is ok
    if not ok:
        assert set(errors_of(view)) == {am.POST_AT_BLOCK}


def test_a_posted_meeting_does_not_ask_when_to_post_and_may_keep_a_past_start() -> None:
    started = START - timedelta(days=8)  # in the past: a fix made during the meeting
    view = submitted(
        **{
            am.START_BLOCK: {am.START_INPUT: {"selected_date_time": int(started.timestamp())}},
            am.POST_BLOCK: {},
        }
    )
    assert errors_of(view, current_start=started, posted=True) == {}
    assert set(errors_of(view, posted=True)) == {am.START_BLOCK}


def test_a_forged_empty_submission_parses_to_errors_not_exceptions() -> None:
    form = af.parse_meeting_form({"state": {"values": {am.START_BLOCK: "nonsense"}}})
    errors = af.meeting_form_errors(form, NOW, topic_known=False)
    assert {am.TOPIC_BLOCK, am.START_BLOCK, am.DURATION_BLOCK, am.FORMAT_BLOCK} <= set(errors)


def test_the_meeting_key_is_the_local_start_date() -> None:
    late_evening = datetime(2027, 1, 13, 3, 30, tzinfo=UTC)  # 21:30 on the 12th in Chicago
    assert af.meeting_key(late_evening, CHICAGO) == "wg-2027-01-12"


def test_attendance_form_parsing() -> None:
    def view(users: Any) -> dict[str, Any]:
        chosen = {am.ATTENDED_INPUT: {"selected_users": users}}
        return {
            "private_metadata": "wg-2027-01-12",
            "state": {"values": {am.ATTENDED_BLOCK: chosen}},
        }

    form = af.parse_attendance_form(view(["U0AAAAAAA", "U0AAAAAAA", "U0BBBBBBB"]))
    assert form.meeting_key == "wg-2027-01-12" and form.valid
    assert form.attended == ("U0AAAAAAA", "U0BBBBBBB")
    assert af.parse_attendance_form(view([])).attended == ()
    assert not af.parse_attendance_form(view(["<!channel>"])).valid
    assert not af.parse_attendance_form(view([7])).valid
    assert af.parse_attendance_form({}).attended == ()


# -- answers ------------------------------------------------------------------------------------


def test_answers_escape_titles_and_say_what_happened() -> None:
    tricky = card(title="<!channel>")
    saved = aa.meeting_saved(tricky, CHICAGO, created=True, posting=aa.NO_CHANNEL, channel=None)
    assert "<!channel>" not in saved.text and "DEI_ANNOUNCE_CHANNEL" in saved.text
    assert "Scheduled" in saved.text
    cancelled = aa.meeting_cancelled(tricky, CHICAGO, changed=True, told=2)
    assert "the 2 people who RSVP'd get a message" in cancelled.text
    assert "already cancelled" in aa.meeting_cancelled(card(), CHICAGO, changed=False, told=0).text
    notice = aa.cancellation_notice("<!here> Hiring", START, CHICAGO)
    assert "<!here>" not in notice and "Tuesday January 12, 2027 at 10:00 AM CST" in notice
    for message in (saved, cancelled, aa.checked_in("<!channel>", changed=True)):
        assert message.text and message.blocks
        assert "<!channel>" not in json.dumps(message.blocks)
