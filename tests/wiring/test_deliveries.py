"""The delivery ledger's promises, tried through real `dei-bot run` processes and the stand-in.

Each reminder arrives exactly once: across a SIGKILL in the middle of a fan-out, with two
processes sharing one PostgreSQL, under injected 429s and 500s, and after the bot was stopped
while a reminder fell due.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.config import parse_offsets
from handlers.dispatcher import EVENT_TYPE
from slack_standin import SlackStandIn
from storage import reminder_plans
from storage.database import Database
from storage.models import Delivery, Meeting, Rsvp, Topic
from tests.conftest import empty_tables
from tests.wiring.conftest import bot_environment, dei_bot, stop
from tests.wiring.conftest import start_bot as start_dei_bot

LEASE = "3s"


def start_bot(tmp_path: Path, env: dict[str, str], name: str) -> subprocess.Popen[str]:
    return start_dei_bot(tmp_path, env, name)[0]


OFFSETS = "1h,45m"  # with the meeting 30 minutes away, both reminders are overdue but useful


def seed_due_reminders(db: Database, members: int) -> None:
    """A meeting 30 minutes away that everyone RSVP'd to, and its reminder rows, planned an
    hour ago (as the bot would have) and now due: two per member."""
    now = datetime.now(UTC)
    offsets = parse_offsets(OFFSETS)
    with db.transaction(write=True) as session:
        topic = Topic(key="2099-01", month="2099-01", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        meeting = Meeting(
            key="wg-load",
            topic_id=topic.id,
            starts_at=now + timedelta(minutes=30),
            location="NIU Naperville",
            join_url="https://example.org/join",
        )
        session.add(meeting)
        session.flush()
        people = [f"U0L{index:07d}" for index in range(members)]
        session.add_all(Rsvp(meeting_id=meeting.id, user_id=p, state="maybe") for p in people)
        session.flush()
        an_hour_ago = now - timedelta(hours=1)
        planned = reminder_plans.plan_meeting(session, meeting, offsets, an_hour_ago)
        assert planned == 2 * members


def delivered(standin: SlackStandIn) -> Counter[str]:
    keys: Counter[str] = Counter()
    for message in standin.messages():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == EVENT_TYPE:
            keys[metadata["event_payload"]["key"]] += 1
    return keys


def count_state(db: Database, state: str) -> int:
    with db.transaction() as session:
        return int(
            session.exec(
                select(func.count()).select_from(Delivery).where(Delivery.state == state)
            ).one()
        )


def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def sqlite_bot_db(
    tmp_path: Path, standin: SlackStandIn
) -> Iterator[tuple[Database, dict[str, str]]]:
    url = f"sqlite:///{tmp_path / 'dei-bot.db'}"
    env = bot_environment(standin, url, DEI_DELIVERY_LEASE=LEASE, DEI_REMINDER_OFFSETS=OFFSETS)
    assert dei_bot("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    db = Database(url)
    yield db, env
    db.dispose()


def test_sigkill_mid_fanout_then_restart_delivers_each_exactly_once(
    tmp_path: Path, standin: SlackStandIn, sqlite_bot_db: tuple[Database, dict[str, str]]
) -> None:
    db, env = sqlite_bot_db
    seed_due_reminders(db, members=500)
    # Answers arrive late, after the message is posted: a kill lands between send and record.
    standin.slow("chat.postMessage", seconds=0.004)
    first = start_bot(tmp_path, env, "first")
    try:
        wait_until(lambda: len(standin.calls("chat.postMessage")) >= 300, 60, "300 posts")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        stop(first)
    interrupted = count_state(db, "sending")
    before_restart = sum(delivered(standin).values())
    assert 300 <= before_restart < 1000
    second = start_bot(tmp_path, env, "second")
    try:
        wait_until(lambda: count_state(db, "sent") == 1000, 90, "all 1,000 sent")
    finally:
        stop(second)
    keys = delivered(standin)
    assert len(keys) == 1000
    assert set(keys.values()) == {1}, [key for key, n in keys.items() if n > 1]
    # Whatever was mid-send at the kill was looked up in history, not resent blindly.
    if interrupted:
        assert standin.calls("conversations.history")


def test_a_reminder_due_while_the_bot_was_stopped_is_sent_at_start(
    tmp_path: Path, standin: SlackStandIn, sqlite_bot_db: tuple[Database, dict[str, str]]
) -> None:
    db, env = sqlite_bot_db
    # Far enough ahead that a slow import still plans the reminder before it falls due.
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1, seconds=12)
    data = tmp_path / "coaching.yaml"
    data.write_text(
        "cohorts:\n  - {key: lore-2027, name: LORE 2027, participants: [{user: U0PART0001}]}\n"
        "coaching_sessions:\n  - key: c1\n    cohort: lore-2027\n    coach: U0COACH001\n"
        f"    participants: [U0PART0001]\n    starts_at: {starts.isoformat()}\n"
        "    join_url: https://example.org/coach\n"
    )
    imported = dei_bot("import", str(data), env={**env, "DEI_REMINDER_OFFSETS": "1h"}, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert count_state(db, "pending") == 3  # participant, coach, and the coach's digest
    due = starts - timedelta(hours=1)
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds() + 1))  # due while no bot runs
    bot = start_bot(tmp_path, {**env, "DEI_REMINDER_OFFSETS": "1h"}, "late")
    try:
        wait_until(lambda: count_state(db, "sent") == 3, 20, "the overdue reminders")
    finally:
        stop(bot)
    texts = [m["text"] for m in standin.messages()]
    assert sum(t.startswith("Reminder: Your LORE 2027 coaching session") for t in texts) == 2
    assert any(t.startswith("Prep for your LORE 2027 coaching session") for t in texts)


def test_injected_429s_and_500s_still_deliver_exactly_once_and_respect_retry_after(
    tmp_path: Path, standin: SlackStandIn, sqlite_bot_db: tuple[Database, dict[str, str]]
) -> None:
    db, env = sqlite_bot_db
    seed_due_reminders(db, members=500)
    standin.fail_every(50, status=429, retry_after=1)
    standin.fail_every(97, status=500)
    bot = start_bot(tmp_path, env, "faults")
    try:
        wait_until(lambda: count_state(db, "sent") == 1000, 120, "all 1,000 sent under faults")
    finally:
        stop(bot)
    keys = delivered(standin)
    assert len(keys) == 1000 and set(keys.values()) == {1}
    calls = standin.calls()
    limited = [call for call in calls if call.status == 429]
    assert limited, "the stand-in injected no 429"
    for call in limited:
        early = [
            later
            for later in calls
            if later.method == call.method and call.at < later.at < call.at + 1.0
        ]
        assert early == [], f"{call.method} called {len(early)} time(s) inside its Retry-After"
    assert count_state(db, "failed") == 0


def test_two_processes_on_postgresql_share_5000_reminders(
    tmp_path: Path, standin: SlackStandIn, postgres_schema: tuple[str, str]
) -> None:
    url, schema_name = postgres_schema
    db = Database(url, schema=schema_name)
    empty_tables(db)
    seed_due_reminders(db, members=2500)
    env = bot_environment(
        standin,
        f"{url}?options=-csearch_path%3D{schema_name}",
        DEI_DELIVERY_LEASE=LEASE,
        DEI_REMINDER_OFFSETS=OFFSETS,
    )
    bots = [start_bot(tmp_path, env, f"replica-{n}") for n in (1, 2)]
    try:
        wait_until(lambda: count_state(db, "sent") == 5000, 180, "5,000 sent by two replicas")
    finally:
        for bot in bots:
            stop(bot)
    keys = delivered(standin)
    assert len(keys) == 5000 and set(keys.values()) == {1}
    with db.transaction() as session:
        senders = Counter(session.exec(select(Delivery.leased_by)).all())
    assert len(senders) == 2, senders
    assert all(count > 0 for count in senders.values())
    db.dispose()
