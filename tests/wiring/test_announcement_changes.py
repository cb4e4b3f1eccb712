"""A posted announcement follows its meeting: an edit (even one saved while the post is still
on its way to Slack), a cancellation and raised capacity, through the real process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from handlers import agenda_blocks as ab
from slack_standin import SlackStandIn
from tests.payloads import COORDINATOR, MEMBER, block_action, view_submission
from tests.wiring.conftest import BotProcess, dei_bot
from tests.wiring.test_agenda import (
    CHANNEL,
    KEY,
    PEER,
    add_meeting,
    announcing_bot,
    form_values,
    ledger,
    open_view,
    rsvps,
    soon,
)
from tests.wiring.test_coaching import eventually, post_json
from tests.wiring.test_http import wait_for_response

__all__ = ["announcing_bot"]  # the fixture, imported for the tests below


def announcement(standin: SlackStandIn) -> dict[str, Any]:
    (posted,) = [m for m in standin.messages(CHANNEL) if "Hiring & Recruitment" in m["text"]]
    return posted


def calendar_files(standin: SlackStandIn) -> list[dict[str, Any]]:
    return [f for f in standin.files() if f["name"] == f"{KEY}.ics"]


def save_form(bot: BotProcess, standin: SlackStandIn, **fields: Any) -> None:
    view = open_view(bot, standin, ab.EDIT_MEETING, KEY)
    status, answer = post_json(bot, view_submission(view, form_values(**fields), user=COORDINATOR))
    assert status == 200 and not answer, answer


def test_an_edit_and_a_cancellation_each_share_a_new_calendar_file(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    start = soon(days=5)
    add_meeting(bot.db, start, capacity_in_person=2, agenda=["Welcome"])
    assert dei_bot("announce", KEY, env=bot.env, cwd=tmp_path).returncode == 0
    (first,) = eventually(lambda: calendar_files(standin), 10)
    thread = announcement(standin)["ts"]
    assert first["thread_ts"] == thread and b"SEQUENCE:0" in first["content"]

    moved = start.replace(hour=(start.hour + 2) % 24)
    save_form(bot, standin, starts_at=moved)
    files = eventually(lambda: calendar_files(standin)[1:], 10)
    (second,) = files
    assert second["thread_ts"] == thread
    assert b"SEQUENCE:1" in second["content"] and b"METHOD:PUBLISH" in second["content"]
    assert moved.strftime("DTSTART:%Y%m%dT%H%M%SZ").encode() in second["content"]
    assert "This meeting changed" in second["initial_comment"]

    # Saving the same again changes nothing a calendar shows: no new file.
    save_form(bot, standin, starts_at=moved)
    assert len(ledger(bot.db, f"calendar-file:{KEY}:")) == 2  # planned with the save, or not

    url = standin.response_url("cancel")
    bot.post_signed(block_action(ab.CANCEL_MEETING, KEY, user=COORDINATOR, response_url=url))
    assert "Cancelled" in wait_for_response(standin, "cancel")["text"]
    files = eventually(lambda: calendar_files(standin)[2:], 10)
    (third,) = files
    assert b"METHOD:CANCEL" in third["content"] and b"STATUS:CANCELLED" in third["content"]
    assert b"SEQUENCE:2" in third["content"]
    assert "cancelled" in third["initial_comment"]
    assert eventually(lambda: "Cancelled" in announcement(standin)["text"], 10)
    assert len(ledger(bot.db, f"calendar-file:{KEY}:")) == 3
    assert len(calendar_files(standin)) == 3


def test_an_edit_saved_while_the_post_is_on_its_way_shows_on_the_announcement(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    start = soon(days=5)
    add_meeting(bot.db, start, capacity_in_person=2, agenda=["Welcome"])
    # Slack takes the post at once but answers late: the row stays `sending` meanwhile.
    standin.slow("chat.postMessage", seconds=3)
    announcing = threading.Thread(
        target=dei_bot, args=("announce", KEY), kwargs={"env": bot.env, "cwd": tmp_path}
    )
    announcing.start()
    try:
        post_key = f"announcement:{KEY}"

        def under_way() -> bool:
            row = ledger(bot.db, post_key).get(post_key)
            posted = [m for m in standin.messages(CHANNEL) if "Hiring" in m["text"]]
            return row is not None and row.state == "sending" and bool(posted)

        assert eventually(under_way, 10)
        assert "Edited Hall" not in announcement(standin)["text"]
        save_form(bot, standin, starts_at=start, location="Edited Hall")
    finally:
        announcing.join(30)
    standin.clear_faults()
    assert eventually(lambda: "Edited Hall" in announcement(standin)["text"], 15)
    assert ledger(bot.db, post_key)[post_key].state == "sent"


def test_raising_the_capacity_promotes_the_waitlist_in_order(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    start = soon(days=5)
    add_meeting(
        bot.db,
        start,
        {MEMBER: "going-in-person", PEER: "waitlisted-in-person"},
        capacity_in_person=1,
    )
    assert dei_bot("announce", KEY, env=bot.env, cwd=tmp_path).returncode == 0
    assert eventually(lambda: "in person 1 of 1 seat" in announcement(standin)["text"], 10)

    save_form(bot, standin, starts_at=start, in_person="2")
    assert rsvps(bot.db)[PEER][0] == "going-in-person"
    told = eventually(lambda: [m for m in standin.messages(PEER) if "seat opened" in m["text"]])
    assert len(told) == 1
    assert eventually(lambda: "in person 2 of 2 seats" in announcement(standin)["text"], 10)
