"""The App Home tab through the real `dei-bot run --http` process: signed events, clicks on the
Home (no channel, no response_url) and modal submissions, the Slack stand-in, the database."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlmodel import select

from handlers import home_blocks, home_tool_blocks
from handlers.agenda_blocks import NEW_MEETING
from handlers.agenda_modals import MEETING_FORM
from handlers.announcement_blocks import GOING_IN_PERSON, GOING_ONLINE
from handlers.home_refresh import PUBLISHES_PER_MINUTE
from slack_standin import SlackStandIn
from slack_standin.server import Call
from storage.models import Member, Rsvp
from tests.payloads import (
    COORDINATOR,
    MEMBER,
    block_action,
    event_callback,
    slash_command,
    view_submission,
)
from tests.wiring.conftest import BotProcess
from tests.wiring.test_agenda import add_meeting, add_topics, form_values, soon
from tests.wiring.test_coaching import eventually, post_json
from tests.wiring.test_http import wait_for_response

TIER_4 = 100


def open_home(bot: BotProcess, standin: SlackStandIn, user: str) -> dict[str, Any]:
    """The Home published for `user` after they open the tab (a fresh publish, not an old one)."""
    before = len(publishes(standin, user))
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home"}
    assert bot.post_signed(event_callback(event, event_id=f"Ev{user}{before}"))[0] == 200
    assert eventually(lambda: len(publishes(standin, user)) > before)
    return home_of(standin, user)


def publishes(standin: SlackStandIn, user: str) -> list[Call]:
    return [c for c in standin.calls("views.publish") if c.args.get("user_id") == user]


def home_of(standin: SlackStandIn, user: str) -> dict[str, Any]:
    view = standin.home_view(user)
    assert view is not None
    return view


def text_of(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def controls(view: dict[str, Any]) -> dict[str, list[str]]:
    """action_id → the values of the controls carrying it (buttons and menus)."""
    found: dict[str, list[str]] = {}
    for block in view["blocks"]:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if isinstance(element, dict) and element.get("action_id"):
                found.setdefault(element["action_id"], []).append(element.get("value", ""))
    return found


def click_on_home(
    bot: BotProcess, standin: SlackStandIn, user: str, action_id: str, value: str, **more: Any
) -> None:
    body = block_action(
        action_id, value, user=user, view=home_of(standin, user), response_url=None, **more
    )
    assert bot.post_signed(body)[0] == 200


def test_a_member_sees_their_meeting_and_rsvp_and_no_coordinator_tools(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_meeting(bot.db, soon(days=3), rsvps={MEMBER: "maybe"})
    view = open_home(bot, standin, MEMBER)
    assert "*Your RSVP:* maybe" in text_of(view)
    found = controls(view)
    assert found[GOING_IN_PERSON] == ["wg-2099-01"] and found[GOING_ONLINE] == ["wg-2099-01"]
    assert NEW_MEETING not in found and home_tool_blocks.EXPORT not in found
    assert "Coordinator tools" not in text_of(view)

    tools = open_home(bot, standin, COORDINATOR)
    assert "Coordinator tools" in text_of(tools)
    assert "*Your RSVP:* you have not RSVP'd yet" in text_of(tools)
    assert NEW_MEETING in controls(tools) and home_tool_blocks.EXPORT in controls(tools)


def test_an_rsvp_on_the_home_is_confirmed_by_dm_and_the_home_follows(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_meeting(bot.db, soon(days=3))
    open_home(bot, standin, MEMBER)
    click_on_home(bot, standin, MEMBER, GOING_ONLINE, "wg-2099-01")
    dm = eventually(lambda: standin.messages(MEMBER))
    assert "You're going, online" in dm[-1]["text"]
    assert eventually(lambda: "going, online" in text_of(home_of(standin, MEMBER)))
    with bot.db.transaction() as session:
        (row,) = session.exec(select(Rsvp)).all()
    assert (row.user_id, row.state) == (MEMBER, "going-online")


def test_a_new_meeting_refreshes_the_homes_of_people_who_opened_them(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_topics(bot.db)
    before = open_home(bot, standin, MEMBER)
    assert "No working-group meetings are scheduled yet" in text_of(before)
    view = {"callback_id": MEETING_FORM, "private_metadata": "", "id": "V0FORM"}
    values = form_values(starts_at=soon(days=5), location="Village Hall")
    status, answer = post_json(bot, view_submission(view, values, user=COORDINATOR))
    assert status == 200 and answer is None  # saved: the form closes
    assert eventually(lambda: "Village Hall" in text_of(home_of(standin, MEMBER)))
    assert standin.home_view("U0NEVER001") is None  # never opened: nothing published


def test_a_burst_of_openings_rsvps_and_a_new_meeting_stays_within_tier_4(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    standin.rate_limit("views.publish", per_minute=TIER_4)
    add_meeting(bot.db, soon(days=3))
    people = [f"U0CROWD{n:03d}" for n in range(45)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda user: open_home(bot, standin, user), people))
        # Every one of them RSVPs at once, and a coordinator schedules a meeting meanwhile.
        clicks = [
            block_action(GOING_IN_PERSON, "wg-2099-01", user=user, view=home_of(standin, user))
            for user in people
        ]
        assert set(pool.map(lambda body: bot.post_signed(body)[0], clicks)) == {200}
    form = {"callback_id": MEETING_FORM, "private_metadata": "", "id": "V0FORM"}
    values = form_values(starts_at=soon(days=9), location="Village Hall")
    assert post_json(bot, view_submission(form, values, user=COORDINATOR))[0] == 200
    # 45 openings, 45 RSVPs and a meeting that changes all 45 Homes: far more than a minute
    # allows. The refresher holds the rest back rather than meet a 429.
    assert eventually(lambda: len(standin.calls("views.publish")) >= PUBLISHES_PER_MINUTE, 20)
    time.sleep(2)  # more are still wanted, and must wait for the window to move on
    calls = standin.calls("views.publish")
    assert calls[-1].at - calls[0].at < 60
    assert len(calls) == PUBLISHES_PER_MINUTE < TIER_4
    assert all(call.status != 429 for call in calls)
    with bot.db.transaction() as session:
        assert len(session.exec(select(Rsvp)).all()) == len(people)


def test_search_on_the_home_gives_the_answer_of_the_slash_command(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    open_home(bot, standin, MEMBER)
    click_on_home(
        bot,
        standin,
        MEMBER,
        home_blocks.SEARCH_RESOURCES,
        "search",
        trigger_id=standin.trigger_id(),
    )
    (opened,) = standin.wait_for("views.open")
    form = opened.response["view"]
    assert form["callback_id"] == home_blocks.SEARCH_FORM
    empty = {home_blocks.SEARCH_BLOCK: {home_blocks.SEARCH_INPUT: {"type": "x", "value": None}}}
    status, answer = post_json(bot, view_submission(form, empty, user=MEMBER))
    assert answer is not None and answer["response_action"] == "errors"
    words = {home_blocks.SEARCH_BLOCK: {home_blocks.SEARCH_INPUT: {"value": "<!here> hiring"}}}
    status, answer = post_json(bot, view_submission(form, words, user=MEMBER))
    assert status == 200 and answer is not None and answer["response_action"] == "update"
    url = standin.response_url("same")
    bot.post_signed(slash_command("<!here> hiring", user=MEMBER, response_url=url))
    command = wait_for_response(standin, "same")
    assert answer["view"]["blocks"][:-1] == command["blocks"]
    # Echoed escaped; only the text box gives back what was typed, as plain text.
    assert "<!here>" not in json.dumps(answer["view"]["blocks"][:-1])


def test_reminders_and_language_are_set_from_the_home(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    open_home(bot, standin, MEMBER)
    click_on_home(bot, standin, MEMBER, home_blocks.REMINDERS, "off")
    assert eventually(lambda: "*Reminders:* off." in text_of(home_of(standin, MEMBER)))
    spanish = {
        "selected_option": {"text": {"type": "plain_text", "text": "Español"}, "value": "es"}
    }
    click_on_home(
        bot,
        standin,
        MEMBER,
        home_blocks.LANGUAGE,
        None,
        element_type="static_select",
        chosen=spanish,
    )
    # The Home itself now speaks the language chosen.
    assert eventually(
        lambda: "*Idioma de mis mensajes:* Español" in text_of(home_of(standin, MEMBER))
    )
    with bot.db.transaction() as session:
        member = session.get(Member, MEMBER)
    assert member is not None
    assert (member.reminders_enabled, member.preferred_language) == (False, "es")


def test_a_coordinator_exports_from_the_home_and_a_member_cannot(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    add_meeting(bot.db, soon(days=3), rsvps={MEMBER: "maybe"})
    rsvps = {"selected_option": {"text": {"type": "plain_text", "text": "RSVPs"}, "value": "rsvps"}}
    for user in (COORDINATOR, MEMBER):
        open_home(bot, standin, user)
        click_on_home(
            bot,
            standin,
            user,
            home_tool_blocks.EXPORT,
            None,
            element_type="static_select",
            chosen=rsvps,
        )
    (exported,) = eventually(lambda: standin.files())
    assert exported["name"] == "dei-bot-rsvps.csv"
    assert exported["channel"] == "D" + COORDINATOR[1:]
    assert MEMBER in exported["content"].decode() and "maybe" in exported["content"].decode()
    refusal = eventually(lambda: standin.messages(MEMBER))
    assert "exporting data is for the working group's coordinators" in refusal[-1]["text"]
    assert len(standin.files()) == 1
