"""The coordinators' agenda and attendance through the real `dei-bot run --http` process: signed
slash commands, clicks and modal submissions over HTTP, the Slack stand-in, the database."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from handlers import agenda_blocks as ab
from handlers import agenda_modals as am
from handlers.announcement_blocks import CHECK_IN
from slack_standin import SlackStandIn
from storage import reminder_plans
from storage.database import Database
from storage.models import Delivery, DeliveryState, Meeting, Rsvp, Topic
from tests.payloads import COORDINATOR, MEMBER, block_action, slash_command, view_submission
from tests.wiring.conftest import BotProcess, dei_bot, running_bot
from tests.wiring.test_coaching import buttons, eventually, post_json
from tests.wiring.test_http import wait_for_response

CHANNEL = "C0ANNOUNCE"
PEER = "U0PEER0001"
OFFSETS = (timedelta(hours=24), timedelta(hours=1))
KEY = "wg-2099-01"
ZONE = ZoneInfo("America/Chicago")  # DEI_TIMEZONE's default


@pytest.fixture(autouse=True)
def people(standin: SlackStandIn) -> None:
    standin.add_user(PEER, name="peer", tz="America/Chicago")


@pytest.fixture
def announcing_bot(tmp_path: Path, standin: SlackStandIn) -> Iterator[BotProcess]:
    """The bot with `DEI_ANNOUNCE_CHANNEL` set (the `bot` fixture has none)."""
    standin.add_channel(CHANNEL, name="dei-working-group")
    with running_bot(tmp_path, standin, DEI_ANNOUNCE_CHANNEL=CHANNEL) as running:
        yield running


def soon(**delta: float) -> datetime:
    """A moment from now, on a whole minute as the date picker gives it."""
    return (datetime.now(UTC) + timedelta(**delta)).replace(second=0, microsecond=0)


def add_topics(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Topic(key="2099-01", month="2099-01", title="Hiring & Recruitment"))
        session.add(Topic(key="2099-02", month="2099-02", title="TBD", tbd=True))


def add_meeting(
    db: Database, starts_at: datetime, rsvps: dict[str, str] | None = None, **fields: Any
) -> None:
    """A meeting with its RSVPs and reminder rows, as an import and clicks leave them."""
    with db.transaction(write=True) as session:
        topic = session.exec(select(Topic).where(Topic.key == "2099-01")).first()
        if topic is None:
            topic = Topic(key="2099-01", month="2099-01", title="Hiring & Recruitment")
            session.add(topic)
            session.flush()
        values: dict[str, Any] = {
            "format": "hybrid",
            "location": "NIU Naperville",
            "join_url": "https://example.org/join",
        }
        values.update(fields)
        meeting = Meeting(key=KEY, topic_id=topic.id, starts_at=starts_at, **values)
        session.add(meeting)
        session.flush()
        for user, state in (rsvps or {}).items():
            session.add(Rsvp(meeting_id=meeting.id, user_id=user, state=state))
        session.flush()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, datetime.now(UTC))


def meetings(db: Database) -> list[Meeting]:
    with db.transaction() as session:
        return list(session.exec(select(Meeting).order_by(col(Meeting.id))))


def ledger(db: Database, prefix: str = "") -> dict[str, Delivery]:
    with db.transaction() as session:
        found = session.exec(select(Delivery).where(col(Delivery.key).startswith(prefix)))
        return {row.key: row for row in found}


def rsvps(db: Database) -> dict[str, tuple[str, datetime | None]]:
    with db.transaction() as session:
        return {r.user_id: (r.state, r.checked_in_at) for r in session.exec(select(Rsvp))}


def agenda_list(bot: BotProcess, standin: SlackStandIn, key: str) -> dict[str, Any]:
    url = standin.response_url(key)
    assert bot.post_signed(slash_command("agenda", user=COORDINATOR, response_url=url))[0] == 200
    return wait_for_response(standin, key)


def open_view(bot: BotProcess, standin: SlackStandIn, action_id: str, value: str) -> dict[str, Any]:
    before = len(standin.calls("views.open"))
    click = block_action(action_id, value, user=COORDINATOR, trigger_id=standin.trigger_id())
    assert bot.post_signed(click)[0] == 200
    calls = standin.wait_for("views.open", count=before + 1)
    assert calls[-1].ok, calls[-1].response  # the stand-in refuses views over Slack's limits
    return dict(calls[-1].response["view"])


def form_values(
    *,
    starts_at: datetime,
    topic: str = "2099-01",
    duration: str = "60",
    format: str = "hybrid",
    location: str = "NIU <!here> Naperville",
    join_url: str = "https://example.org/join",
    in_person: str | None = "2",
    online: str | None = None,
    items: str = "Welcome\n<!channel> Peer updates\n<https://evil.example|Discussion>",
    post: str = am.POST_NOW,
    post_at: datetime | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """What Slack sends for the meeting form: {block_id: {action_id: value}}."""

    def option(value: str) -> dict[str, Any]:
        return {"text": {"type": "plain_text", "text": value}, "value": value}

    def field(action_id: str, kind: str, **value: Any) -> dict[str, dict[str, Any]]:
        return {action_id: {"type": kind, **value}}

    picked_post = int(post_at.timestamp()) if post_at else None
    return {
        am.TOPIC_BLOCK: field(am.TOPIC_INPUT, "static_select", selected_option=option(topic)),
        am.START_BLOCK: field(
            am.START_INPUT, "datetimepicker", selected_date_time=int(starts_at.timestamp())
        ),
        am.DURATION_BLOCK: field(am.DURATION_INPUT, "number_input", value=duration),
        am.FORMAT_BLOCK: field(am.FORMAT_INPUT, "radio_buttons", selected_option=option(format)),
        am.LOCATION_BLOCK: field(am.LOCATION_INPUT, "plain_text_input", value=location or None),
        am.JOIN_URL_BLOCK: field(am.JOIN_URL_INPUT, "url_text_input", value=join_url or None),
        am.IN_PERSON_BLOCK: field(am.IN_PERSON_INPUT, "number_input", value=in_person),
        am.ONLINE_BLOCK: field(am.ONLINE_INPUT, "number_input", value=online),
        am.ITEMS_BLOCK: field(am.ITEMS_INPUT, "plain_text_input", value=items),
        am.POST_BLOCK: field(am.POST_INPUT, "radio_buttons", selected_option=option(post)),
        am.POST_AT_BLOCK: field(am.POST_AT_INPUT, "datetimepicker", selected_date_time=picked_post),
    }


def attended_values(users: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    chosen = {"type": "multi_users_select", "selected_users": users}
    return {am.ATTENDED_BLOCK: {am.ATTENDED_INPUT: chosen}}


# -- the list and the form ----------------------------------------------------------------------


def test_a_coordinator_lists_meetings_and_opens_the_form(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_topics(bot.db)
    add_meeting(bot.db, soon(days=5))
    listed = agenda_list(bot, standin, "list")
    assert listed["response_type"] == "ephemeral" and listed["text"]
    assert "Hiring &amp; Recruitment" in listed["text"] and "Not announced" in listed["text"]
    assert "DEI_ANNOUNCE_CHANNEL" in listed["text"]
    clickable = buttons(listed)
    assert clickable[ab.EDIT_MEETING] == [KEY] and clickable[ab.CANCEL_MEETING] == [KEY]
    assert clickable[ab.NEW_MEETING] == ["new"] and ab.MARK_ATTENDANCE not in clickable

    view = open_view(bot, standin, ab.NEW_MEETING, "new")
    assert view["callback_id"] == am.MEETING_FORM and view["private_metadata"] == ""
    topic = next(b for b in view["blocks"] if b.get("block_id") == am.TOPIC_BLOCK)
    assert [o["value"] for o in topic["element"]["options"]] == ["2099-01"]  # no TBD month

    command = slash_command(
        "agenda new",
        user=COORDINATOR,
        response_url=standin.response_url("new"),
        trigger_id=standin.trigger_id(),
    )
    assert bot.post_signed(command)[0] == 200
    opened = standin.wait_for("views.open", count=2)
    assert opened[-1].ok and opened[-1].response["view"]["callback_id"] == am.MEETING_FORM


def test_members_get_a_polite_refusal_and_no_form(bot: BotProcess, standin: SlackStandIn) -> None:
    add_meeting(bot.db, soon(days=5))
    _, body = bot.post_signed(slash_command("agenda", user=MEMBER))
    refusal = json.loads(body)["text"]
    assert "coordinators" in refusal and f"<@{COORDINATOR}>" in refusal
    for action_id in (ab.NEW_MEETING, ab.EDIT_MEETING, ab.MARK_ATTENDANCE):
        url = standin.response_url(action_id)
        click = block_action(action_id, KEY, trigger_id=standin.trigger_id(), response_url=url)
        bot.post_signed(click)
        assert f"<@{COORDINATOR}>" in wait_for_response(standin, action_id)["text"]
    assert standin.calls("views.open") == []


def test_a_valid_form_stores_the_meeting_and_plans_its_announcement(
    announcing_bot: BotProcess, standin: SlackStandIn
) -> None:
    bot = announcing_bot
    add_topics(bot.db)
    view = open_view(bot, standin, ab.NEW_MEETING, "new")
    starts_at = soon(days=10)
    post_at = soon(days=3)
    values = form_values(starts_at=starts_at, post=am.POST_LATER, post_at=post_at)
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert status == 200 and not answer  # the form closes
    (saved,) = meetings(bot.db)
    assert saved.key == f"wg-{starts_at.astimezone(ZONE):%Y-%m-%d}"
    assert saved.starts_at == starts_at and saved.format == "hybrid"
    assert saved.location == "NIU <!here> Naperville"  # stored as typed, escaped when shown
    assert saved.capacity_in_person == 2 and saved.capacity_online is None
    assert saved.agenda == [
        "Welcome",
        "<!channel> Peer updates",
        "<https://evil.example|Discussion>",
    ]
    post = ledger(bot.db, "announcement:")[f"announcement:{saved.key}"]
    assert post.state == DeliveryState.PENDING and post.recipient == CHANNEL
    assert post.due_at == post_at
    confirmation = eventually(lambda: standin.messages(COORDINATOR))
    assert "Scheduled" in confirmation[-1]["text"] and confirmation[-1]["has_text"]
    assert "<!here>" not in json.dumps(confirmation[-1])


def test_post_now_announces_it_in_the_channel(
    announcing_bot: BotProcess, standin: SlackStandIn
) -> None:
    bot = announcing_bot
    add_topics(bot.db)
    view = open_view(bot, standin, ab.NEW_MEETING, "new")
    status, answer = post_json(
        bot, view_submission(view, form_values(starts_at=soon(days=10)), user=COORDINATOR)
    )
    assert status == 200 and not answer
    (saved,) = meetings(bot.db)
    assert f"announcement:{saved.key}" in ledger(bot.db, "announcement:")

    def announcements() -> list[dict[str, Any]]:
        found = standin.messages(CHANNEL)
        return [m for m in found if m["has_text"] and "Hiring & Recruitment" in m["text"]]

    posted = eventually(announcements, 10)
    assert posted, standin.messages(CHANNEL)
    rendered = json.dumps(posted[-1]["blocks"])
    assert "<!channel>" not in rendered and "<!here>" not in rendered
    assert "<https://evil.example" not in rendered


def test_each_invalid_field_comes_back_as_an_error_and_nothing_is_stored(
    announcing_bot: BotProcess, standin: SlackStandIn
) -> None:
    bot = announcing_bot
    add_topics(bot.db)
    view = open_view(bot, standin, ab.NEW_MEETING, "new")
    start = soon(days=10)
    cases = [
        (form_values(starts_at=soon(hours=-1)), am.START_BLOCK),
        (form_values(starts_at=start, duration="0"), am.DURATION_BLOCK),
        (form_values(starts_at=start, duration="601"), am.DURATION_BLOCK),
        (form_values(starts_at=start, join_url="ftp://example.org/x"), am.JOIN_URL_BLOCK),
        (form_values(starts_at=start, in_person="-1"), am.IN_PERSON_BLOCK),
        (form_values(starts_at=start, online="-3"), am.ONLINE_BLOCK),
        (form_values(starts_at=start, topic="no-such-topic"), am.TOPIC_BLOCK),
        (form_values(starts_at=start, topic="2099-02"), am.TOPIC_BLOCK),  # TBD: no title
        (form_values(starts_at=start, format="online", join_url=""), am.JOIN_URL_BLOCK),
        (form_values(starts_at=start, format="in-person", location=""), am.LOCATION_BLOCK),
        (form_values(starts_at=start, items="\n".join(["x"] * 21)), am.ITEMS_BLOCK),
        (
            form_values(starts_at=start, post=am.POST_LATER, post_at=soon(hours=-2)),
            am.POST_AT_BLOCK,
        ),
        (
            form_values(starts_at=start, post=am.POST_LATER, post_at=start + timedelta(hours=1)),
            am.POST_AT_BLOCK,
        ),
    ]
    for values, field in cases:
        status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
        assert status == 200 and answer is not None, field
        assert answer["response_action"] == "errors"
        assert set(answer["errors"]) == {field}, (field, answer["errors"])
    assert meetings(bot.db) == []
    assert ledger(bot.db, "announcement") == {} and ledger(bot.db, "reminder:") == {}


def test_forged_submissions_and_clicks_from_a_member_change_nothing(
    announcing_bot: BotProcess, standin: SlackStandIn
) -> None:
    bot = announcing_bot
    add_meeting(bot.db, soon(days=5), {PEER: "going-online"})
    values = form_values(starts_at=soon(days=10))
    for view in (
        {"callback_id": am.MEETING_FORM},
        {"callback_id": am.MEETING_FORM, "private_metadata": KEY},
    ):
        status, answer = post_json(bot, view_submission(view, values))
        assert status == 200 and answer is not None
        assert answer["response_action"] == "update"
        assert "coordinators" in json.dumps(answer["view"])
    attended = {
        am.ATTENDED_BLOCK: {
            am.ATTENDED_INPUT: {"type": "multi_users_select", "selected_users": [MEMBER]}
        }
    }
    _, answer = post_json(
        bot, view_submission({"callback_id": am.ATTENDANCE_FORM, "private_metadata": KEY}, attended)
    )
    assert answer is not None and answer["response_action"] == "update"
    bot.post_signed(block_action(ab.CANCEL_MEETING, KEY, response_url=standin.response_url("x")))
    assert "coordinators" in wait_for_response(standin, "x")["text"]
    (meeting,) = meetings(bot.db)
    assert meeting.cancelled_at is None and meeting.starts_at > datetime.now(UTC) + timedelta(
        days=4
    )
    assert rsvps(bot.db) == {PEER: ("going-online", None)}
    assert ledger(bot.db, "announcement") == {} and ledger(bot.db, "meeting-cancelled:") == {}
    assert standin.calls("views.open") == []


def test_editing_the_start_moves_the_reminders(bot: BotProcess, standin: SlackStandIn) -> None:
    first = soon(days=5)
    add_meeting(bot.db, first, {MEMBER: "going-in-person"}, agenda=["Welcome"])
    view = open_view(bot, standin, ab.EDIT_MEETING, KEY)
    assert view["private_metadata"] == KEY
    start = next(b for b in view["blocks"] if b.get("block_id") == am.START_BLOCK)
    assert start["element"]["initial_date_time"] == int(first.timestamp())
    later = first + timedelta(days=1)
    values = form_values(starts_at=later)
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert status == 200 and not answer, answer
    (saved,) = meetings(bot.db)
    assert saved.key == KEY and saved.starts_at == later
    reminder = ledger(bot.db, "reminder:meeting:")[f"reminder:meeting:{KEY}:{MEMBER}:1h"]
    assert reminder.state == DeliveryState.PENDING and reminder.due_at == later - OFFSETS[1]
    told = eventually(lambda: standin.messages(COORDINATOR))
    assert "Updated" in told[-1]["text"] and "DEI_ANNOUNCE_CHANNEL" in told[-1]["text"]


def test_cancelling_tells_everyone_who_rsvpd(
    announcing_bot: BotProcess, standin: SlackStandIn
) -> None:
    bot = announcing_bot
    add_meeting(
        bot.db,
        soon(days=5),
        {MEMBER: "going-in-person", PEER: "maybe", "U0NOTCOMING": "not-going"},
    )
    url = standin.response_url("cx")
    bot.post_signed(block_action(ab.CANCEL_MEETING, KEY, user=COORDINATOR, response_url=url))
    answer = wait_for_response(standin, "cx")
    assert answer["response_type"] == "ephemeral" and "Cancelled" in answer["text"]
    (meeting,) = meetings(bot.db)
    assert meeting.cancelled_at is not None
    notices = ledger(bot.db, "meeting-cancelled:")
    assert set(notices) == {f"meeting-cancelled:{KEY}:{MEMBER}", f"meeting-cancelled:{KEY}:{PEER}"}
    reminders = ledger(bot.db, f"reminder:meeting:{KEY}:")
    assert reminders and {row.state for row in reminders.values()} == {DeliveryState.CANCELLED}
    for person in (MEMBER, PEER):
        told = eventually(lambda p=person: standin.messages(p), 10)
        assert "is cancelled" in told[-1]["text"]

    again = standin.response_url("again")
    bot.post_signed(block_action(ab.CANCEL_MEETING, KEY, user=COORDINATOR, response_url=again))
    assert "already cancelled" in wait_for_response(standin, "again")["text"]
    assert set(ledger(bot.db, "meeting-cancelled:")) == set(notices)


# -- attendance ---------------------------------------------------------------------------------


def test_members_check_in_during_the_meeting(bot: BotProcess, standin: SlackStandIn) -> None:
    add_meeting(bot.db, soon(minutes=5), format="online", location="")
    for attempt in ("first", "again"):
        click = block_action(
            CHECK_IN,
            KEY,
            response_url=standin.response_url(attempt),
            channel=CHANNEL,
            message={"ts": "1.000100", "text": "Working-group meeting", "blocks": []},
        )
        assert bot.post_signed(click)[0] == 200
    first, again = wait_for_response(standin, "first"), wait_for_response(standin, "again")
    assert "you are checked in" in first["text"] and "already checked in" in again["text"]
    assert first["response_type"] == "ephemeral" and first["replace_original"] is False
    state, checked_in_at = rsvps(bot.db)[MEMBER]
    assert state == "going-online" and checked_in_at is not None


def test_check_in_is_not_open_hours_before(bot: BotProcess, standin: SlackStandIn) -> None:
    add_meeting(bot.db, soon(hours=3))
    bot.post_signed(block_action(CHECK_IN, KEY, response_url=standin.response_url("early")))
    assert "opens 15 minutes before" in wait_for_response(standin, "early")["text"]
    assert rsvps(bot.db) == {}


def test_a_coordinator_marks_who_attended(bot: BotProcess, standin: SlackStandIn) -> None:
    add_meeting(bot.db, soon(minutes=-20), {MEMBER: "going-in-person", PEER: "maybe"})
    bot.post_signed(block_action(CHECK_IN, KEY, response_url=standin.response_url("in")))
    wait_for_response(standin, "in")
    listed = agenda_list(bot, standin, "list")
    assert buttons(listed)[ab.MARK_ATTENDANCE] == [KEY]
    assert ab.CANCEL_MEETING not in buttons(listed)  # it has started
    assert "Attended: 1" in listed["text"]

    view = open_view(bot, standin, ab.MARK_ATTENDANCE, KEY)
    assert view["callback_id"] == am.ATTENDANCE_FORM and view["private_metadata"] == KEY
    chosen = next(b for b in view["blocks"] if b.get("block_id") == am.ATTENDED_BLOCK)
    assert chosen["element"]["initial_users"] == [MEMBER]
    values = attended_values([PEER])
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert status == 200 and not answer
    marked = rsvps(bot.db)
    assert marked[MEMBER] == ("going-in-person", None) and marked[PEER][1] is not None
    told = eventually(lambda: standin.messages(COORDINATOR))
    assert "Attendance saved" in told[-1]["text"]

    exported = dei_bot(
        "export",
        "attendance",
        "--meeting",
        KEY,
        "--format",
        "csv",
        env=bot.env,
        cwd=bot.log_path.parent,
    )
    assert exported.returncode == 0, exported.stderr
    rows = {row["user"]: row for row in csv.DictReader(io.StringIO(exported.stdout))}
    assert rows[PEER]["checked_in_at"] and not rows[MEMBER]["checked_in_at"]
