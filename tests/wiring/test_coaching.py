"""Coaching and reminder surfaces through the real `dei-bot run --http` process: signed slash
commands, button clicks and modal submissions over HTTP, the Slack stand-in, the database."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from handlers import coaching_blocks as cb
from handlers import coaching_modals as cm
from handlers import reminder_blocks
from slack_standin import SlackStandIn
from storage import deliveries, reminder_plans
from storage.database import Database
from storage.models import (
    CoachingAttendee,
    CoachingQuestion,
    CoachingSession,
    Cohort,
    CohortParticipant,
    Community,
    Delivery,
    DeliveryState,
    Meeting,
    Member,
    Rsvp,
    Topic,
)
from tests.payloads import (
    COORDINATOR,
    MEMBER,
    block_action,
    slash_command,
    view_submission,
)
from tests.wiring.conftest import BotProcess
from tests.wiring.test_http import wait_for_response

COACH = "U0COACH001"
PEER = "U0PEER0001"
OFFSETS = (timedelta(hours=24), timedelta(hours=1))
CHICAGO = ZoneInfo("America/Chicago")
SESSION = "lore-2027-c1-g1"


@pytest.fixture(autouse=True)
def people(standin: SlackStandIn) -> None:
    standin.add_user(COACH, name="coach", tz="America/New_York")
    standin.add_user(PEER, name="peer", tz="America/Chicago")


def eventually(check: Callable[[], Any], timeout: float = 5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def add_cohort(db: Database) -> None:
    with db.transaction(write=True) as session:
        flossmoor = Community(key="flossmoor", name="Flossmoor")
        cohort = Cohort(key="lore-2027", name="LORE 2027")
        session.add_all([flossmoor, cohort])
        session.flush()
        for person in (MEMBER, PEER):
            session.add(
                CohortParticipant(cohort_id=cohort.id, user_id=person, community_id=flossmoor.id)
            )


def add_session(
    db: Database,
    starts_at: datetime,
    *,
    location: str = "Village Hall, Room 2",
    participants: tuple[str, ...] = (MEMBER, PEER),
) -> None:
    """A cohort (if none yet), one session and its reminder rows, as an import leaves them."""
    with db.transaction(write=True) as session:
        if session.exec(select(Cohort)).first() is None:
            cohort = Cohort(key="lore-2027", name="LORE 2027")
            session.add(cohort)
            session.flush()
        else:
            cohort = session.exec(select(Cohort)).one()
        assert cohort.id is not None
        coaching = CoachingSession(
            key=SESSION,
            cohort_id=cohort.id,
            coach=COACH,
            starts_at=starts_at,
            location=location,
            join_url="https://example.org/coach",
        )
        session.add(coaching)
        session.flush()
        for person in participants:
            session.add(CoachingAttendee(session_id=coaching.id, user_id=person))
        session.flush()
        reminder_plans.plan_coaching_session(session, coaching, OFFSETS, datetime.now(UTC))


def rows(db: Database, prefix: str) -> dict[str, str]:
    with db.transaction() as session:
        found = session.exec(select(Delivery).where(col(Delivery.key).startswith(prefix)))
        return {row.key: row.state for row in found}


def post_json(bot: BotProcess, body: bytes) -> tuple[int, dict[str, Any] | None]:
    status, raw = bot.post_signed(body)
    return status, json.loads(raw) if raw.strip() else None


def buttons(message: dict[str, Any]) -> dict[str, list[str]]:
    """action_id → the values of the buttons carrying it."""
    found: dict[str, list[str]] = {}
    for block in message.get("blocks", []):
        for element in block.get("elements", []):
            if element.get("type") == "button":
                found.setdefault(element["action_id"], []).append(element.get("value"))
    return found


# -- /dei-topic coaching ------------------------------------------------------------------------


def test_coaching_lists_the_readers_next_session(bot: BotProcess, standin: SlackStandIn) -> None:
    add_session(bot.db, datetime.now(UTC) + timedelta(days=3), location="Room <!channel> 2")
    bot.post_signed(slash_command("coaching", response_url=standin.response_url("mine")))
    answer = wait_for_response(standin, "mine")
    assert answer["response_type"] == "ephemeral"
    assert "LORE 2027 coaching session" in answer["text"]
    assert f"coach <@{COACH}>" in answer["text"]
    rendered = json.dumps(answer["blocks"])
    assert "<!date^" in rendered
    assert "Room &lt;!channel&gt; 2" in rendered and "<!channel>" not in rendered
    assert "https://example.org/coach" in rendered
    clickable = buttons(answer)
    assert clickable[reminder_blocks.ASK_COACH] == [f"coaching:{SESSION}"]
    assert clickable[reminder_blocks.CANT_MAKE_IT] == [f"coaching:{SESSION}"]
    assert cb.SCHEDULE_SESSION not in clickable and cb.EDIT_SESSION not in clickable


def test_nothing_upcoming_is_said_plainly(bot: BotProcess, standin: SlackStandIn) -> None:
    bot.post_signed(slash_command("coaching", response_url=standin.response_url("none")))
    answer = wait_for_response(standin, "none")
    assert "no coaching sessions coming up" in answer["text"]
    assert f"<@{COORDINATOR}>" in answer["text"]
    bot.post_signed(
        slash_command("coaching", user=COORDINATOR, response_url=standin.response_url("c"))
    )
    answer = wait_for_response(standin, "c")
    assert "No coaching sessions are coming up" in answer["text"]
    assert cb.SCHEDULE_SESSION in buttons(answer)


# -- the coordinators' form ---------------------------------------------------------------------


def open_form(bot: BotProcess, standin: SlackStandIn, action_id: str, value: str) -> dict[str, Any]:
    before = len(standin.calls("views.open"))
    click = block_action(action_id, value, user=COORDINATOR, trigger_id=standin.trigger_id())
    assert bot.post_signed(click)[0] == 200
    calls = standin.wait_for("views.open", count=before + 1)
    assert calls[-1].ok, calls[-1].response
    return dict(calls[-1].response["view"])


def form_values(
    *,
    cohort: str = "lore-2027",
    coach: str = COACH,
    participants: tuple[str, ...] = (MEMBER, PEER),
    starts_at: datetime,
    duration: str = "60",
    location: str = "Village Hall <!here>",
    join_url: str = "https://example.org/coach",
) -> dict[str, dict[str, dict[str, Any]]]:
    """What Slack sends for the form: {block_id: {action_id: value}}."""
    return {
        cm.COHORT_BLOCK: {
            cm.COHORT_INPUT: {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": cohort},
                    "value": cohort,
                },
            }
        },
        cm.COACH_BLOCK: {cm.COACH_INPUT: {"type": "users_select", "selected_user": coach}},
        cm.PARTICIPANTS_BLOCK: {
            cm.PARTICIPANTS_INPUT: {
                "type": "multi_users_select",
                "selected_users": list(participants),
            }
        },
        cm.START_BLOCK: {
            cm.START_INPUT: {
                "type": "datetimepicker",
                "selected_date_time": int(starts_at.timestamp()),
            }
        },
        cm.DURATION_BLOCK: {cm.DURATION_INPUT: {"type": "number_input", "value": duration}},
        cm.LOCATION_BLOCK: {cm.LOCATION_INPUT: {"type": "plain_text_input", "value": location}},
        cm.JOIN_URL_BLOCK: {cm.JOIN_URL_INPUT: {"type": "url_text_input", "value": join_url}},
    }


def sessions(db: Database) -> list[CoachingSession]:
    with db.transaction() as session:
        return list(session.exec(select(CoachingSession)))


def test_coordinator_schedules_a_session_with_its_reminders(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_cohort(bot.db)
    bot.post_signed(
        slash_command("coaching", user=COORDINATOR, response_url=standin.response_url("c"))
    )
    assert cb.SCHEDULE_SESSION in buttons(wait_for_response(standin, "c"))
    view = open_form(bot, standin, cb.SCHEDULE_SESSION, "new")
    assert view["callback_id"] == cm.SESSION_FORM
    options = view["blocks"][0]["element"]["options"]
    assert [o["value"] for o in options] == ["lore-2027"]

    starts_at = datetime(2099, 1, 28, 20, 0, tzinfo=UTC)  # 14:00 in Chicago
    status, answer = post_json(
        bot, view_submission(view, form_values(starts_at=starts_at), user=COORDINATOR)
    )
    assert status == 200 and not answer  # the form closes
    (saved,) = sessions(bot.db)
    assert saved.key == "lore-2027-2099-01-28-1400"
    assert saved.starts_at == starts_at and saved.coach == COACH
    assert saved.location == "Village Hall <!here>"  # stored as typed, escaped when shown
    with bot.db.transaction() as session:
        attending = session.exec(select(CoachingAttendee.user_id)).all()
    assert sorted(attending) == sorted([MEMBER, PEER])
    planned = rows(bot.db, f"reminder:coaching:{saved.key}:")
    assert len(planned) == 3 * len(OFFSETS)  # two participants and the coach
    assert set(planned.values()) == {DeliveryState.PENDING}
    assert rows(bot.db, f"digest:coaching:{saved.key}:") == {
        f"digest:coaching:{saved.key}:{COACH}": DeliveryState.PENDING
    }
    confirmation = eventually(lambda: standin.messages(COORDINATOR))
    assert "Scheduled" in confirmation[-1]["text"] and confirmation[-1]["has_text"]
    assert "<!here>" not in confirmation[-1]["text"]


def test_invalid_form_comes_back_as_field_errors_and_stores_nothing(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_cohort(bot.db)
    view = open_form(bot, standin, cb.SCHEDULE_SESSION, "new")
    soon = datetime.now(UTC) + timedelta(days=2)
    cases = [
        (
            form_values(
                starts_at=datetime.now(UTC) - timedelta(hours=1),
                duration="0",
                join_url="ftp://example.org/x",
                participants=(),
            ),
            {cm.START_BLOCK, cm.DURATION_BLOCK, cm.JOIN_URL_BLOCK, cm.PARTICIPANTS_BLOCK},
        ),
        (form_values(starts_at=soon, duration="601"), {cm.DURATION_BLOCK}),
        (form_values(starts_at=soon, participants=(MEMBER, COACH)), {cm.PARTICIPANTS_BLOCK}),
        (form_values(starts_at=soon, cohort="no-such-cohort"), {cm.COHORT_BLOCK}),
    ]
    for values, fields in cases:
        status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
        assert status == 200
        assert answer is not None and answer["response_action"] == "errors"
        assert set(answer["errors"]) == fields
    assert sessions(bot.db) == []
    assert rows(bot.db, "reminder:") == {}


def test_members_cannot_schedule_even_with_a_forged_form(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_cohort(bot.db)
    values = form_values(starts_at=datetime.now(UTC) + timedelta(days=2))
    status, answer = post_json(bot, view_submission({"callback_id": cm.SESSION_FORM}, values))
    assert status == 200 and answer is not None
    assert answer["response_action"] == "update"
    assert "coordinators" in json.dumps(answer["view"])
    click = block_action(cb.SCHEDULE_SESSION, "new", response_url=standin.response_url("no"))
    bot.post_signed(click)
    refusal = wait_for_response(standin, "no")
    assert "coordinators" in refusal["text"] and f"<@{COORDINATOR}>" in refusal["text"]
    cancel = block_action(cb.CANCEL_SESSION, SESSION, response_url=standin.response_url("x"))
    bot.post_signed(cancel)
    assert "coordinators" in wait_for_response(standin, "x")["text"]
    assert sessions(bot.db) == []
    assert standin.calls("views.open") == []


def test_editing_the_start_moves_the_reminders(bot: BotProcess, standin: SlackStandIn) -> None:
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    add_session(bot.db, first)
    view = open_form(bot, standin, cb.EDIT_SESSION, SESSION)
    assert view["private_metadata"] == SESSION
    start = next(b for b in view["blocks"] if b.get("block_id") == cm.START_BLOCK)
    assert start["element"]["initial_date_time"] == int(first.timestamp())
    later = first + timedelta(days=1)
    values = form_values(starts_at=later, participants=(MEMBER,))
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert status == 200 and not answer
    (saved,) = sessions(bot.db)
    assert saved.key == SESSION and saved.starts_at == later
    with bot.db.transaction() as session:
        planned = list(
            session.exec(select(Delivery).where(col(Delivery.key).startswith("reminder:")))
        )
    pending = {row.key: row.due_at for row in planned if row.state == DeliveryState.PENDING}
    assert pending[f"reminder:coaching:{SESSION}:{MEMBER}:1h"] == later - timedelta(hours=1)
    assert f"reminder:coaching:{SESSION}:{PEER}:1h" not in pending  # no longer a participant


def test_cancelling_a_session_tells_its_people(bot: BotProcess, standin: SlackStandIn) -> None:
    add_session(bot.db, datetime.now(UTC) + timedelta(days=3))
    click = block_action(
        cb.CANCEL_SESSION, SESSION, user=COORDINATOR, response_url=standin.response_url("cx")
    )
    bot.post_signed(click)
    assert "Cancelled" in wait_for_response(standin, "cx")["text"]
    (saved,) = sessions(bot.db)
    assert saved.cancelled_at is not None
    assert set(rows(bot.db, f"reminder:coaching:{SESSION}:").values()) == {DeliveryState.CANCELLED}
    notices = rows(bot.db, f"cancelled:coaching:{SESSION}:")
    assert len(notices) == 3  # two participants and the coach
    for person in (MEMBER, PEER, COACH):
        told = eventually(lambda p=person: standin.messages(p))
        assert "is cancelled" in told[-1]["text"]
    bot.post_signed(
        block_action(
            cb.CANCEL_SESSION, SESSION, user=COORDINATOR, response_url=standin.response_url("c2")
        )
    )
    assert "already cancelled" in wait_for_response(standin, "c2")["text"]
    assert len(rows(bot.db, f"cancelled:coaching:{SESSION}:")) == 3


# -- reminder buttons ---------------------------------------------------------------------------


def add_meeting(db: Database, starts_at: datetime) -> None:
    with db.transaction(write=True) as session:
        topic = Topic(key="2099-01", month="2099-01", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        meeting = Meeting(key="wg-2099-01", topic_id=topic.id, starts_at=starts_at, format="online")
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        session.add(Rsvp(meeting_id=meeting.id, user_id=MEMBER, state="going-online"))
        session.flush()
        now = datetime.now(UTC)
        reminder_plans.plan_meeting(session, meeting, OFFSETS, now)
        # One more reminder due now, so that a real DM with its buttons arrives.
        deliveries.plan(
            session,
            f"reminder:meeting:{meeting.key}:{MEMBER}:now",
            kind=reminder_plans.MEETING_REMINDER,
            recipient=MEMBER,
            due_at=now,
            now=now,
            payload={"meeting": meeting.key, "offset": "now"},
        )


def rsvp_of(db: Database, user: str) -> str | None:
    with db.transaction() as session:
        return session.exec(select(Rsvp.state).where(Rsvp.user_id == user)).first()


def test_cant_make_it_on_a_meeting_reminder(bot: BotProcess, standin: SlackStandIn) -> None:
    add_meeting(bot.db, datetime.now(UTC) + timedelta(days=3))
    (dm,) = eventually(lambda: standin.messages(MEMBER))
    assert buttons(dm)[reminder_blocks.CANT_MAKE_IT] == ["meeting:wg-2099-01"]
    for attempt in ("first", "again"):
        click = block_action(
            reminder_blocks.CANT_MAKE_IT,
            "meeting:wg-2099-01",
            message=dm,
            channel=dm["channel"],
            response_url=standin.response_url(attempt),
        )
        assert bot.post_signed(click)[0] == 200
        answer = wait_for_response(standin, attempt)
        assert answer["replace_original"] is True
        assert reminder_blocks.CANT_MAKE_IT not in buttons(answer)  # nothing left to click
        assert answer["text"].startswith("Reminder:")  # the reminder is still readable
    assert "can't make it" in wait_for_response(standin, "first")["text"]
    assert "already told us" in wait_for_response(standin, "again")["text"]
    assert rsvp_of(bot.db, MEMBER) == "not-going"
    states = rows(bot.db, "reminder:meeting:wg-2099-01:")
    assert states.pop(f"reminder:meeting:wg-2099-01:{MEMBER}:now") == DeliveryState.SENT
    assert set(states.values()) == {DeliveryState.CANCELLED}


def coaching_dm(starts_at: datetime) -> dict[str, Any]:
    """A coaching reminder as the dispatcher posts it (the buttons are what matter)."""
    text, blocks = reminder_blocks.coaching_reminder(
        cohort="LORE 2027",
        session_key=SESSION,
        coach=COACH,
        is_coach=False,
        starts_at=starts_at,
        now=datetime.now(UTC),
        zone=CHICAGO,
        location="",
        join_url=None,
    )
    return {"type": "message", "ts": f"{time.time():.6f}", "text": text, "blocks": blocks}


def test_cant_make_it_on_a_coaching_reminder_tells_the_coach(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    starts_at = datetime.now(UTC) + timedelta(days=3)
    add_session(bot.db, starts_at)
    for attempt in ("first", "again"):
        click = block_action(
            reminder_blocks.CANT_MAKE_IT,
            f"coaching:{SESSION}",
            message=coaching_dm(starts_at),
            channel="D0MEMBER01",
            response_url=standin.response_url(attempt),
        )
        bot.post_signed(click)
        wait_for_response(standin, attempt)
    assert f"I told your coach <@{COACH}>" in wait_for_response(standin, "first")["text"]
    assert "already told" in wait_for_response(standin, "again")["text"]
    with bot.db.transaction() as session:
        declined = session.exec(
            select(CoachingAttendee).where(CoachingAttendee.user_id == MEMBER)
        ).one()
    assert declined.declined_at is not None
    states = rows(bot.db, f"reminder:coaching:{SESSION}:")
    assert {k: v for k, v in states.items() if f":{MEMBER}:" in k} == {
        f"reminder:coaching:{SESSION}:{MEMBER}:24h": DeliveryState.CANCELLED,
        f"reminder:coaching:{SESSION}:{MEMBER}:1h": DeliveryState.CANCELLED,
    }
    assert states[f"reminder:coaching:{SESSION}:{PEER}:1h"] == DeliveryState.PENDING
    assert list(rows(bot.db, "absence:")) == [f"absence:coaching:{SESSION}:{MEMBER}"]
    told = eventually(lambda: standin.messages(COACH))
    assert len(told) == 1
    assert f"<@{MEMBER}> can't make it to your LORE 2027 coaching session" in told[0]["text"]


def test_a_coach_who_cant_make_it_tells_the_coordinators(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_session(bot.db, datetime.now(UTC) + timedelta(days=3))
    for attempt in ("first", "again"):
        bot.post_signed(
            block_action(
                reminder_blocks.CANT_MAKE_IT,
                f"coaching:{SESSION}",
                user=COACH,
                response_url=standin.response_url(attempt),
            )
        )
        wait_for_response(standin, attempt)
    assert f"I told <@{COORDINATOR}>" in wait_for_response(standin, "first")["text"]
    assert list(rows(bot.db, "absence:")) == [f"absence:coaching:{SESSION}:{COACH}:{COORDINATOR}"]
    told = eventually(lambda: standin.messages(COORDINATOR))
    assert f"<@{COACH}> (the coach) can't make it" in told[-1]["text"]


def test_stop_these_reminders(bot: BotProcess, standin: SlackStandIn) -> None:
    starts_at = datetime.now(UTC) + timedelta(days=3)
    add_session(bot.db, starts_at)
    click = block_action(
        reminder_blocks.STOP_REMINDERS,
        "off",
        message=coaching_dm(starts_at),
        channel="D0MEMBER01",
        response_url=standin.response_url("stop"),
    )
    bot.post_signed(click)
    answer = wait_for_response(standin, "stop")
    assert answer["replace_original"] is True
    assert "/dei-topic reminders on" in answer["text"]
    with bot.db.transaction() as session:
        member = session.get(Member, MEMBER)
    assert member is not None and member.reminders_enabled is False
    states = rows(bot.db, f"reminder:coaching:{SESSION}:")
    assert {v for k, v in states.items() if f":{MEMBER}:" in k} == {DeliveryState.CANCELLED}
    assert {v for k, v in states.items() if f":{PEER}:" in k} == {DeliveryState.PENDING}


def test_reminders_off_and_on_by_command(bot: BotProcess, standin: SlackStandIn) -> None:
    add_session(bot.db, datetime.now(UTC) + timedelta(days=3))
    mine = f"reminder:coaching:{SESSION}:{MEMBER}:"

    def say(words: str, key: str) -> str:
        bot.post_signed(slash_command(words, response_url=standin.response_url(key)))
        return str(wait_for_response(standin, key)["text"])

    assert "Your reminders are on" in say("reminders", "state-1")
    assert "Reminders are off" in say("reminders off", "off")
    assert set(rows(bot.db, mine).values()) == {DeliveryState.CANCELLED}
    assert "Your reminders are off" in say("reminders", "state-2")
    assert "Reminders are on" in say("reminders on", "on")
    assert set(rows(bot.db, mine).values()) == {DeliveryState.PENDING}
    assert "did not understand" in say("reminders maybe", "huh")


def test_a_question_for_the_coach(bot: BotProcess, standin: SlackStandIn) -> None:
    add_session(bot.db, datetime.now(UTC) + timedelta(days=3))
    click = block_action(
        reminder_blocks.ASK_COACH, f"coaching:{SESSION}", trigger_id=standin.trigger_id()
    )
    bot.post_signed(click)
    (opened,) = standin.wait_for("views.open")
    assert opened.ok, opened.response
    view = opened.response["view"]
    assert view["callback_id"] == cm.QUESTION_FORM and view["private_metadata"] == SESSION
    asked = "How do we start an equity audit? <!channel>"
    values = {cm.QUESTION_BLOCK: {cm.QUESTION_INPUT: {"type": "plain_text_input", "value": asked}}}
    status, answer = post_json(bot, view_submission(view, values))
    assert status == 200 and not answer
    with bot.db.transaction() as session:
        (question,) = session.exec(select(CoachingQuestion)).all()
    assert question.user_id == MEMBER and question.text == asked
    thanks = eventually(lambda: standin.messages(MEMBER))
    assert "your question" in thanks[-1]["text"] and "<!channel>" not in thanks[-1]["text"]

    too_long = {cm.QUESTION_BLOCK: {cm.QUESTION_INPUT: {"type": "x", "value": "?" * 1001}}}
    status, answer = post_json(bot, view_submission(view, too_long))
    assert answer is not None and set(answer["errors"]) == {cm.QUESTION_BLOCK}
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert answer is not None and "participants" in answer["errors"][cm.QUESTION_BLOCK]


def test_no_question_once_the_session_started(bot: BotProcess, standin: SlackStandIn) -> None:
    add_session(bot.db, datetime.now(UTC) - timedelta(minutes=5))
    values = {cm.QUESTION_BLOCK: {cm.QUESTION_INPUT: {"type": "x", "value": "Late?"}}}
    view = {"callback_id": cm.QUESTION_FORM, "private_metadata": SESSION}
    _, answer = post_json(bot, view_submission(view, values))
    assert answer is not None and answer["response_action"] == "errors"
    assert "already started" in answer["errors"][cm.QUESTION_BLOCK]
    with bot.db.transaction() as session:
        assert session.exec(select(CoachingQuestion)).all() == []
