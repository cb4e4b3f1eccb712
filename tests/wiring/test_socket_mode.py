"""The real `dei-bot run --socket` process, connected to the stand-in over Socket Mode."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from slack_standin import SlackStandIn
from storage.database import Database
from storage.models import Topic
from tests.payloads import BOT_TOKEN, COORDINATOR, slash_command
from tests.wiring.conftest import START_TIMEOUT_S, bot_environment, dei_bot

APP_TOKEN = "xapp-1-test"


@dataclass
class SocketBot:
    process: subprocess.Popen[str]
    db: Database
    log_path: Path

    def logs(self) -> str:
        return self.log_path.read_text()


def wait_until_connected(standin: SlackStandIn, bot: SocketBot) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise AssertionError(f"dei-bot exited {bot.process.returncode}:\n{bot.logs()}")
        try:
            standin.wait_for_socket(timeout=0.1)
            return
        except TimeoutError:
            continue
    raise AssertionError(f"dei-bot did not connect in Socket Mode:\n{bot.logs()}")


@pytest.fixture
def socket_bot(tmp_path: Path, standin: SlackStandIn) -> Iterator[SocketBot]:
    database_url = f"sqlite:///{tmp_path / 'dei-bot.db'}"
    env = bot_environment(standin, database_url, SLACK_APP_TOKEN=APP_TOKEN)
    upgraded = dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    log_path = tmp_path / "dei-bot.log"
    # No --port: Socket Mode listens on nothing, it connects out.
    command = [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "absent.env")]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "run", "--socket"],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    bot = SocketBot(process=process, db=Database(database_url), log_path=log_path)
    try:
        wait_until_connected(standin, bot)
        yield bot
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        bot.db.dispose()


def command_payload(text: str, **fields: Any) -> dict[str, str]:
    """The slash command as Socket Mode carries it: the HTTP form's fields, as a dict."""
    return dict(parse_qsl(slash_command(text, **fields).decode(), keep_blank_values=True))


def test_the_bot_connects_with_the_app_token_only_to_open_the_socket(
    socket_bot: SocketBot, standin: SlackStandIn
) -> None:
    (opened,) = standin.calls("apps.connections.open")
    assert opened.token == APP_TOKEN and opened.ok
    assert standin.socket_connections() == 1
    others = [call for call in standin.calls() if call.method != "apps.connections.open"]
    assert others and all(call.token == BOT_TOKEN for call in others)


def test_help_is_the_acknowledgement_and_calendar_goes_to_the_response_url(
    socket_bot: SocketBot, standin: SlackStandIn
) -> None:
    answer = standin.socket_request("slash_commands", command_payload("help"))

    assert answer is not None
    assert "/dei-topic calendar" in answer["text"]
    assert f"<@{COORDINATOR}>" in answer["text"]
    assert answer["blocks"]
    (ack,) = standin.socket_acks()
    assert ack.elapsed is not None and ack.elapsed < 3

    with socket_bot.db.transaction(write=True) as session:
        session.add(Topic(key="2027-04", month="2027-04", title="Hiring & Recruitment"))
        session.add(Topic(key="2027-09", month="2027-09", title="TBD", tbd=True))
    url = standin.response_url("calendar")
    acknowledged = standin.socket_request(
        "slash_commands", command_payload("calendar", response_url=url)
    )

    assert acknowledged is not None
    (posted,) = standin.wait_for_responses("calendar")
    assert "April 2027: Hiring & Recruitment" in posted.body["text"]
    assert "September 2027: TBD" in posted.body["text"]
    assert "Traceback" not in socket_bot.logs()
