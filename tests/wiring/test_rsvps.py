"""Announcements and RSVP clicks through the real process, signed requests and the stand-in."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from slack_standin import SlackStandIn
from storage.models import Meeting, Rsvp, Topic
from tests.payloads import MEMBER, block_action
from tests.wiring.conftest import BotProcess, dei_bot, running_bot

CHANNEL = "C0ANNOUNCE"


@pytest.fixture
def announcing_bot(tmp_path: Path, standin: SlackStandIn) -> Iterator[BotProcess]:
    standin.add_channel(CHANNEL, name="dei-working-group")
    with running_bot(tmp_path, standin, DEI_ANNOUNCE_CHANNEL=CHANNEL) as running:
        yield running


def add_meeting(bot: BotProcess, *, capacity_in_person: int | None = None) -> None:
    with bot.db.transaction(write=True) as session:
        topic = Topic(key="2099-04", month="2099-04", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        session.add(
            Meeting(
                key="wg-1",
                topic_id=topic.id,
                starts_at=datetime.now(UTC) + timedelta(days=2),
                format="hybrid",
                location="NIU Naperville",
                join_url="https://example.org/join",
                capacity_in_person=capacity_in_person,
                agenda=["Welcome", "Discussion"],
            )
        )


def wait_for(condition: Callable[[], object], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def announcement(standin: SlackStandIn) -> dict:  # type: ignore[type-arg]
    (message,) = [m for m in standin.messages(CHANNEL) if "Working-group meeting" in m["text"]]
    return message


def click(bot: BotProcess, standin: SlackStandIn, user: str, action_id: str, key: str) -> dict:  # type: ignore[type-arg]
    body = block_action(
        action_id,
        value="wg-1",
        user=user,
        response_url=standin.response_url(key),
        channel=CHANNEL,
    )
    status, _ = bot.post_signed(body)
    assert status == 200
    responses = standin.wait_for_responses(key)
    return dict(responses[-1].body)


def test_announce_then_a_click_stores_confirms_and_updates_the_counts(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    add_meeting(bot)
    result = dei_bot("announce", "wg-1", env=bot.env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"announced wg-1 in {CHANNEL}" in result.stdout
    posted = announcement(standin)
    assert "Going: in person 0; online 0; maybe 0" in posted["text"]
    assert "Add to Google Calendar" in json.dumps(posted["blocks"])
    wait_for(lambda: standin.files())
    (ics,) = standin.files()
    assert (ics["name"], ics["channel"], ics["thread_ts"]) == ("wg-1.ics", CHANNEL, posted["ts"])
    assert b"BEGIN:VEVENT" in ics["content"] and b"UID:wg-1@dei-bot" in ics["content"]

    answer = click(bot, standin, MEMBER, "rsvp_going_in_person", "c1")
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("You're going, in person: Hiring & Recruitment")
    with bot.db.transaction() as session:
        assert [(r.user_id, r.state) for r in session.exec(select(Rsvp))] == [
            (MEMBER, "going-in-person")
        ]
    wait_for(lambda: "in person 1" in announcement(standin)["text"])
    (update,) = standin.calls("chat.update")
    assert update.args["channel"] == CHANNEL
    again = dei_bot("announce", "wg-1", env=bot.env, cwd=tmp_path)
    assert "already announced" in again.stdout
    assert len([m for m in standin.messages(CHANNEL) if "Working-group" in m["text"]]) == 1


def test_a_full_meeting_waitlists_and_promotes_with_a_dm(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    add_meeting(bot, capacity_in_person=2)
    assert dei_bot("announce", "wg-1", env=bot.env, cwd=tmp_path).returncode == 0
    for index, user in enumerate(("U0FIRST01", "U0SECOND1")):
        assert (
            "going, in person"
            in click(bot, standin, user, "rsvp_going_in_person", f"g{index}")["text"]
        )
    third = click(bot, standin, "U0THIRD01", "rsvp_going_in_person", "g3")
    assert "number 1 on the waitlist" in third["text"]
    dropped = click(bot, standin, "U0FIRST01", "rsvp_not_going", "drop")
    assert dropped["text"].startswith("You can't make it")
    with bot.db.transaction() as session:
        states = {r.user_id: r.state for r in session.exec(select(Rsvp))}
    assert states == {
        "U0FIRST01": "not-going",
        "U0SECOND1": "going-in-person",
        "U0THIRD01": "going-in-person",
    }
    wait_for(lambda: any("a seat opened up" in m["text"] for m in standin.messages("D0THIRD01")))
    wait_for(lambda: "in person 2 of 2 seats" in announcement(standin)["text"])


def test_changing_an_rsvp_after_the_start_is_refused(
    standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    add_meeting(bot)
    with bot.db.transaction(write=True) as session:
        meeting = session.exec(select(Meeting)).one()
        meeting.starts_at = datetime.now(UTC) - timedelta(minutes=5)
        session.add(meeting)
    answer = click(bot, standin, MEMBER, "rsvp_maybe", "late")
    assert "already started" in answer["text"]
    with bot.db.transaction() as session:
        assert session.exec(select(Rsvp)).all() == []
