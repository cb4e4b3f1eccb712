"""The monthly topic announcement goes out exactly once: two `dei-bot run` processes share one
PostgreSQL, and one of them restarts during the minute it is due."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_standin import SlackStandIn
from storage.database import Database
from storage.models import Topic
from tests.conftest import empty_tables
from tests.wiring.conftest import bot_environment, start_bot, stop

CHANNEL = "C0ANNOUNCE"
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def schedule_for(moment: datetime) -> str:
    """A DEI_ANNOUNCE_AT that names `moment` (in UTC): e.g. 'fourth monday 14:07'."""
    ordinal = ORDINALS.get((moment.day - 1) // 7 + 1, "last")
    return f"{ordinal} {moment.strftime('%A').lower()} {moment:%H:%M}"


def test_posted_once_by_two_replicas_when_one_restarts_in_its_minute(
    tmp_path: Path, standin: SlackStandIn, postgres_schema: tuple[str, str]
) -> None:
    url, schema_name = postgres_schema
    db = Database(url, schema=schema_name)
    empty_tables(db)
    due = (datetime.now(UTC) + timedelta(seconds=80)).replace(second=0, microsecond=0)
    with db.transaction(write=True) as session:
        session.add(
            Topic(
                key=due.strftime("%Y-%m"),
                month=due.strftime("%Y-%m"),
                title="Hiring & Recruitment",
                summary="Reviewing hiring and recruitment practices for equity.",
            )
        )
    standin.add_channel(CHANNEL, name="dei-working-group")
    env = bot_environment(
        standin,
        f"{url}?options=-csearch_path%3D{schema_name}",
        DEI_ANNOUNCE_CHANNEL=CHANNEL,
        DEI_TIMEZONE="UTC",
        DEI_ANNOUNCE_AT=schedule_for(due),
        DEI_DELIVERY_LEASE="3s",
    )
    first, _ = start_bot(tmp_path, env, "replica-1")
    second, _ = start_bot(tmp_path, env, "replica-2")
    try:
        time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds() - 2))
        stop(first)  # goes down two seconds before it is due …
        first, _ = start_bot(tmp_path, env, "replica-1-again")  # … and comes back in its minute
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not posts(standin):
            time.sleep(0.2)
        time.sleep(5)  # time for a second post, if there were going to be one
    finally:
        stop(first)
        stop(second)
        db.dispose()
    (post,) = posts(standin)
    assert post["text"].startswith("This month's working-group topic")
    assert "Hiring & Recruitment" in post["text"]


def posts(standin: SlackStandIn) -> list[dict]:  # type: ignore[type-arg]
    return [
        message
        for message in standin.messages(CHANNEL)
        if message["text"].startswith("This month's working-group topic")
    ]
