"""Language access through the real process: a member whose Slack locale is es-ES reads Spanish
(help, a search, an RSVP confirmation, a reminder DM, the Home); en-US reads English."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from handlers import blocks, i18n
from handlers.announcement_blocks import CONFIRMATIONS, GOING_ONLINE
from handlers.i18n import _
from slack_standin import SlackStandIn
from storage.models import Community, Delivery, Resource
from tests.payloads import COORDINATOR, MEMBER, block_action, slash_command
from tests.wiring.conftest import BotProcess
from tests.wiring.test_agenda import KEY, add_meeting, announcing_bot, soon
from tests.wiring.test_coaching import eventually, post_json
from tests.wiring.test_home import open_home, text_of
from tests.wiring.test_http import wait_for_response

__all__ = ["announcing_bot"]  # the fixture, imported for the tests below

SPANISH = "U0ESPANOL1"


def ask(bot: BotProcess, standin: SlackStandIn, user: str, words: str, key: str) -> dict[str, Any]:
    url = standin.response_url(key)
    status, _body = bot.post_signed(slash_command(words, user=user, response_url=url))
    assert status == 200
    return wait_for_response(standin, key)


def in_spanish(build: Any) -> Any:
    with i18n.speaking("es"):
        return build()


def add_resources(bot: BotProcess) -> None:
    with bot.db.transaction(write=True) as session:
        flossmoor = Community(
            key="flossmoor", name="Flossmoor", practices=["hiring"], contacts=[COORDINATOR]
        )
        session.add(flossmoor)
        session.flush()
        session.add(
            Resource(
                key="hiring-guide",
                title="Equitable hiring guide",
                kind="guide",
                summary="Structured interviews and diverse panels.",
                topics=["hiring"],
                community_id=flossmoor.id,
            )
        )


def test_a_spanish_speaking_member_reads_spanish_and_an_english_one_english(
    tmp_path: Path, standin: SlackStandIn, announcing_bot: BotProcess
) -> None:
    bot = announcing_bot
    standin.add_user(SPANISH, name="lucia", tz="America/Chicago", locale="es-ES")
    add_meeting(bot.db, soon(days=2), agenda=["Bienvenida"])
    add_resources(bot)
    coordinators = (COORDINATOR,)

    # Help: exactly what the builder says in each language, and the two differ.
    spanish_help = in_spanish(lambda: blocks.help_message(coordinators).text)
    assert spanish_help != blocks.help_message(coordinators).text
    # Help is answered inside the acknowledgement: the language is known before the ack.
    for user, expected in (
        (SPANISH, spanish_help),
        (MEMBER, blocks.help_message(coordinators).text),
    ):
        status, answer = post_json(bot, slash_command("help", user=user))
        assert status == 200 and answer["text"] == expected

    # A search: the answer's own words are Spanish (the resource's title is data, unchanged).
    found_es = ask(bot, standin, SPANISH, "hiring", "s-es")
    found_en = ask(bot, standin, MEMBER, "hiring", "s-en")
    assert (
        "Equitable hiring guide" in found_es["text"]
        and "Equitable hiring guide" in found_en["text"]
    )
    assert found_es["text"].startswith("Recursos para “hiring”")
    assert found_en["text"].startswith("Resources for “hiring”")

    # An RSVP click: the ephemeral confirmation in the clicker's language.
    for user, key in ((SPANISH, "r-es"), (MEMBER, "r-en")):
        click = block_action(
            GOING_ONLINE, value=KEY, user=user, response_url=standin.response_url(key)
        )
        assert bot.post_signed(click)[0] == 200
    assert wait_for_response(standin, "r-es")["text"].startswith(
        in_spanish(lambda: _(CONFIRMATIONS["going-online"]))
    )
    assert wait_for_response(standin, "r-en")["text"].startswith("You're going, online")

    # A reminder DM, made due now: written for its recipient.
    with bot.db.transaction(write=True) as session:
        for row in session.exec(select(Delivery).where(Delivery.kind == "meeting-reminder")):
            row.due_at = row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
            session.add(row)
    dm_es = eventually(lambda: standin.messages(SPANISH), 15)
    dm_en = eventually(lambda: standin.messages(MEMBER), 15)
    assert dm_es and dm_en
    assert (
        "Hiring & Recruitment" in dm_es[-1]["text"] and "Hiring & Recruitment" in dm_en[-1]["text"]
    )
    assert dm_es[-1]["text"] != dm_en[-1]["text"]
    assert dm_es[-1]["text"].startswith("Recordatorio: la reunión del grupo de trabajo")
    assert re.search(r"\w+, \d+ de \w+ de 20\d\d, \d\d:\d\d C[SD]T", dm_es[-1]["text"])

    # The Home tab.
    home_es, home_en = (
        text_of(open_home(bot, standin, SPANISH)),
        text_of(open_home(bot, standin, MEMBER)),
    )
    assert home_es != home_en
    assert json.loads(home_en) and "Hiring & Recruitment" in home_es
