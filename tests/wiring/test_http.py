"""The real `dei-bot run --http` process, signed requests over HTTP, the Slack stand-in."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from slack_standin import SlackStandIn
from storage.models import Community, Meeting, Resource, Rsvp, Topic
from tests.payloads import (
    BOT_TOKEN,
    COORDINATOR,
    MEMBER,
    SIGNING_SECRET,
    event_callback,
    signature_headers,
    slash_command,
)
from tests.wiring.conftest import BotProcess


def wait_for_response(standin: SlackStandIn, key: str, timeout: float = 5) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = standin.responses(key)
        if found:
            return dict(found[-1].body)
        time.sleep(0.02)
    raise AssertionError(f"nothing was posted to response_url {key}")


def test_healthz_answers_200(bot: BotProcess) -> None:
    status, body = bot.get("/healthz")
    assert status == 200
    assert json.loads(body) == {"ok": True, "database": "ok"}


def test_signed_help_is_answered_within_3_seconds(bot: BotProcess) -> None:
    started = time.monotonic()
    status, body = bot.post_signed(slash_command("help"))
    elapsed = time.monotonic() - started
    assert status == 200
    assert elapsed < 3
    answer = json.loads(body)
    assert "/dei-topic calendar" in answer["text"]
    assert f"<@{COORDINATOR}>" in answer["text"]
    assert answer["blocks"]


def test_forged_and_stale_requests_get_401_and_change_nothing(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    body = slash_command("", response_url=standin.response_url("forged"))
    forged = signature_headers(body, secret="not-the-signing-secret")
    stale = signature_headers(body, timestamp=int(time.time()) - 6 * 60)
    tampered = signature_headers(body)
    calls_before = len(standin.calls())
    assert bot.post(body, forged)[0] == 401
    assert bot.post(body, stale)[0] == 401
    assert bot.post(body + b"&text=calendar", tampered)[0] == 401
    assert bot.post(body, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 401
    time.sleep(0.5)
    assert standin.responses("forged") == []
    assert len(standin.calls()) == calls_before


def test_this_months_topic_with_meeting_rsvp_and_resources(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    now = datetime.now(UTC)
    month = now.astimezone(bot_zone()).strftime("%Y-%m")
    with bot.db.transaction(write=True) as session:
        topic = Topic(
            key=month,
            month=month,
            title="Hiring & Recruitment",
            summary="Reviewing hiring and recruitment practices for equity.",
            keywords=["hiring", "HR"],
        )
        flossmoor = Community(key="flossmoor", name="Flossmoor", county="Cook")
        session.add_all([topic, flossmoor])
        session.flush()
        meeting = Meeting(
            key="wg-next",
            topic_id=topic.id,
            starts_at=now + timedelta(days=3),
            format="hybrid",
            location="NIU Naperville <!channel>",
            join_url="https://example.org/join",
        )
        session.add(meeting)
        session.add(
            Resource(
                key="toolkit",
                title="Equitable Hiring Toolkit",
                kind="toolkit",
                url="https://example.org/toolkit",
                topics=["hiring"],
                community_id=flossmoor.id,
            )
        )
        session.flush()
        session.add(Rsvp(meeting_id=meeting.id, user_id=MEMBER, state="going-online"))

    status, _ = bot.post_signed(slash_command("", response_url=standin.response_url("topic")))
    assert status == 200
    answer = wait_for_response(standin, "topic")
    assert "Hiring & Recruitment" in answer["text"]
    assert "Your RSVP: going, online" in answer["text"]
    assert "Equitable Hiring Toolkit" in answer["text"]
    assert answer["response_type"] == "ephemeral"
    rendered = json.dumps(answer["blocks"])
    assert "<!date^" in rendered
    assert "<!channel>" not in rendered
    assert "Flossmoor" in rendered
    assert '"action_id": "rsvp_going_online"' in rendered and '"value": "wg-next"' in rendered


def test_calendar_marks_tbd_months(bot: BotProcess, standin: SlackStandIn) -> None:
    with bot.db.transaction(write=True) as session:
        session.add(Topic(key="2027-04", month="2027-04", title="Hiring & Recruitment"))
        session.add(Topic(key="2027-09", month="2027-09", title="TBD", tbd=True))
    bot.post_signed(slash_command("calendar", response_url=standin.response_url("cal")))
    answer = wait_for_response(standin, "cal")
    assert "April 2027: Hiring & Recruitment" in answer["text"]
    assert "September 2027: TBD" in answer["text"]


def test_agenda_is_for_coordinators(bot: BotProcess, standin: SlackStandIn) -> None:
    _, body = bot.post_signed(slash_command("agenda", user=MEMBER))
    refusal = json.loads(body)["text"]
    assert "coordinators" in refusal and f"<@{COORDINATOR}>" in refusal
    url = standin.response_url("agenda")
    bot.post_signed(slash_command("agenda", user=COORDINATOR, response_url=url))
    assert "No meetings are coming up" in wait_for_response(standin, "agenda")["text"]


def test_search_words_are_echoed_escaped(bot: BotProcess, standin: SlackStandIn) -> None:
    bot.post_signed(slash_command("<!channel> hiring", response_url=standin.response_url("words")))
    answer = wait_for_response(standin, "words")
    assert "&lt;!channel&gt; hiring" in answer["text"]
    assert "<!channel>" not in answer["text"]


def test_app_home_opened_publishes_a_home_view(bot: BotProcess, standin: SlackStandIn) -> None:
    event = {"type": "app_home_opened", "user": MEMBER, "channel": "D0HOME", "tab": "home"}
    status, _ = bot.post_signed(event_callback(event), **{})
    assert status == 200
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not standin.calls("views.publish"):
        time.sleep(0.02)
    (call,) = standin.calls("views.publish")
    assert call.args["user_id"] == MEMBER
    assert call.token == BOT_TOKEN
    assert call.response["ok"] is True


def test_an_error_is_logged_and_the_person_told(bot: BotProcess, standin: SlackStandIn) -> None:
    with bot.db.engine.begin() as connection:
        connection.execute(text("DROP TABLE rsvps"))
        connection.execute(text("DROP TABLE meetings"))
    bot.post_signed(slash_command("", response_url=standin.response_url("broken")))
    answer = wait_for_response(standin, "broken")
    assert "something went wrong on our side" in answer["text"]
    logs = bot.logs()
    assert "Error while handling /dei-topic for " + MEMBER in logs
    assert BOT_TOKEN not in logs and SIGNING_SECRET not in logs


def bot_zone():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Chicago")
