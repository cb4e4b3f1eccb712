"""The dispatcher against the Slack stand-in over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from handlers.dispatcher import EVENT_TYPE, Dispatcher, Tuning
from slack_standin import SlackStandIn
from storage import deliveries, reminder_plans
from storage.database import Database
from storage.models import (
    CoachingAttendee,
    CoachingSession,
    Cohort,
    Delivery,
    Meeting,
    Member,
    RateLimitGate,
    Rsvp,
    Topic,
)
from tests.payloads import BOT_TOKEN, COORDINATOR, MEMBER

CHICAGO = ZoneInfo("America/Chicago")
OFFSETS = (timedelta(hours=24), timedelta(hours=1))


def dispatcher(db: Database, standin: SlackStandIn, **tuning: object) -> Dispatcher:
    return Dispatcher(
        db,
        WebClient(token=BOT_TOKEN, base_url=standin.api_url),
        coordinators=(COORDINATOR,),
        group_zone=CHICAGO,
        clock=lambda: datetime.now(UTC),
        tuning=Tuning(**tuning),  # type: ignore[arg-type]
    )


def add_meeting(db: Database, starts_at: datetime, people: list[str], key: str = "wg-1") -> None:
    with db.transaction(write=True) as session:
        topic = Topic(key=f"t-{key}", month=f"2099-{len(key):02d}", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        meeting = Meeting(
            key=key,
            topic_id=topic.id,
            starts_at=starts_at,
            format="hybrid",
            location="NIU Naperville",
            join_url="https://example.org/join",
        )
        session.add(meeting)
        session.flush()
        for person in people:
            session.add(Rsvp(meeting_id=meeting.id, user_id=person, state="going-online"))


def plan_due_now(
    db: Database, keys_and_people: list[tuple[str, str]], meeting: str = "wg-1"
) -> None:
    """Rows due now for a meeting, as planning would have made them earlier."""
    now = datetime.now(UTC)
    with db.transaction(write=True) as session:
        for key, person in keys_and_people:
            deliveries.plan(
                session,
                key,
                kind=reminder_plans.MEETING_REMINDER,
                recipient=person,
                due_at=now - timedelta(seconds=1),
                now=now,
                payload={"meeting": meeting, "offset": "1h"},
            )


def rows(db: Database) -> dict[str, Delivery]:
    with db.transaction() as session:
        return {row.key: row for row in session.exec(select(Delivery))}


def posted_keys(standin: SlackStandIn) -> Counter[str]:
    keys: Counter[str] = Counter()
    for message in standin.messages():
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == EVENT_TYPE:
            keys[metadata["event_payload"]["key"]] += 1
    return keys


def test_planning_creates_one_row_per_person_and_offset_and_is_idempotent(db: Database) -> None:
    now = datetime.now(UTC)
    add_meeting(db, now + timedelta(days=3), [MEMBER, "U0OTHER01"])
    with db.transaction(write=True) as session:
        assert reminder_plans.plan_upcoming(session, OFFSETS, now) == 4
        assert reminder_plans.plan_upcoming(session, OFFSETS, now) == 0
    planned = rows(db)
    assert sorted(planned) == sorted(
        f"reminder:meeting:wg-1:{person}:{offset}"
        for person in (MEMBER, "U0OTHER01")
        for offset in ("24h", "1h")
    )
    row = planned[f"reminder:meeting:wg-1:{MEMBER}:24h"]
    assert row.due_at == now + timedelta(days=2)


def test_a_changed_rsvp_cancels_and_a_moved_meeting_reschedules(db: Database) -> None:
    now = datetime.now(UTC)
    add_meeting(db, now + timedelta(days=3), [MEMBER, "U0OTHER01"])
    with db.transaction(write=True) as session:
        reminder_plans.plan_upcoming(session, OFFSETS, now)
        rsvp = session.exec(select(Rsvp).where(Rsvp.user_id == "U0OTHER01")).one()
        rsvp.state = "not-going"
        meeting = session.exec(select(Meeting)).one()
        meeting.starts_at = now + timedelta(days=5)
        session.add_all([rsvp, meeting])
        session.flush()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, now)
    planned = rows(db)
    assert planned["reminder:meeting:wg-1:U0OTHER01:1h"].state == "cancelled"
    moved = planned[f"reminder:meeting:wg-1:{MEMBER}:1h"]
    assert (moved.state, moved.due_at) == ("pending", now + timedelta(days=5, hours=-1))


def test_due_reminders_are_sent_once_with_their_key_and_time_zone(
    db: Database, standin: SlackStandIn
) -> None:
    standin.add_user("U0EAST0001", tz="America/New_York")
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER, "U0EAST0001"])
    plan_due_now(db, [("k1", MEMBER), ("k2", "U0EAST0001"), ("k3", MEMBER)])
    report = dispatcher(db, standin).run_once()
    assert report.sent == 3
    assert dispatcher(db, standin).run_once().sent == 0
    assert posted_keys(standin) == Counter({"k1": 1, "k2": 1, "k3": 1})
    stored = rows(db)
    assert all(row.state == "sent" and row.ts and row.channel for row in stored.values())
    east = next(m for m in standin.messages() if "k2" in str(m.get("metadata")))
    assert "EST" in east["text"] or "EDT" in east["text"]
    assert "Can't make it" in str(east["blocks"])
    # users.info once per person, and the DM channel cached for the next fan-out
    assert len(standin.calls("users.info")) == 2
    assert standin.calls("conversations.open") == []
    with db.transaction() as session:
        assert session.get(Member, MEMBER).dm_channel.startswith("D")  # type: ignore[union-attr]


def test_unwanted_and_too_late_rows_are_not_sent(db: Database, standin: SlackStandIn) -> None:
    add_meeting(db, datetime.now(UTC) - timedelta(minutes=5), [MEMBER], key="wg-old")
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER], key="wg-1")
    plan_due_now(db, [("late", MEMBER)], meeting="wg-old")
    plan_due_now(db, [("not-coming", "U0NOTRSVPD")])
    report = dispatcher(db, standin).run_once()
    assert (report.sent, report.expired, report.cancelled) == (0, 1, 1)
    assert rows(db)["late"].state == "expired"
    assert rows(db)["not-coming"].state == "cancelled"
    assert standin.calls("chat.postMessage") == []


def test_a_429_defers_every_send_until_retry_after(db: Database, standin: SlackStandIn) -> None:
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER])
    plan_due_now(db, [(f"k{i}", MEMBER) for i in range(5)])
    standin.fail("chat.postMessage", status=429, retry_after=1)
    first = dispatcher(db, standin).run_once()
    assert first.sent == 0 and first.deferred >= 1
    with db.transaction() as session:
        assert session.get(RateLimitGate, "chat.postMessage") is not None
    assert dispatcher(db, standin).run_once().sent == 0  # another process sees the gate too
    time.sleep(1.1)
    assert dispatcher(db, standin).run_once().sent == 5
    posts = standin.calls("chat.postMessage")
    limited_at = posts[0].at
    assert posts[0].status == 429
    assert all(call.at >= limited_at + 1.0 for call in posts[1:])
    assert posted_keys(standin) == Counter({f"k{i}": 1 for i in range(5)})
    assert all(row.attempts == 1 for row in rows(db).values())


def test_a_500_is_retried_after_a_history_check(db: Database, standin: SlackStandIn) -> None:
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER])
    plan_due_now(db, [("k1", MEMBER)])
    standin.fail("chat.postMessage", status=500)
    tuned = dict(first_backoff=timedelta(milliseconds=100))
    assert dispatcher(db, standin, **tuned).run_once().retried == 1
    assert rows(db)["k1"].state == "sending"  # its fate is unknown until history says
    time.sleep(0.3)
    assert dispatcher(db, standin, **tuned).run_once().sent == 1
    assert len(standin.calls("conversations.history")) == 1
    assert posted_keys(standin) == Counter({"k1": 1})
    assert rows(db)["k1"].attempts == 2


def test_a_message_that_landed_before_a_crash_is_not_sent_again(
    db: Database, standin: SlackStandIn
) -> None:
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER])
    plan_due_now(db, [("k1", MEMBER)])
    landed = WebClient(token=BOT_TOKEN, base_url=standin.api_url).chat_postMessage(
        channel=MEMBER,
        text="Reminder",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": "k1"}},
    )
    # What a process killed between the call and the record leaves behind.
    with db.transaction(write=True) as session:
        row = session.exec(select(Delivery)).one()
        row.state, row.attempts = "sending", 1
        row.attempt_started_at = datetime.now(UTC) - timedelta(seconds=2)
        row.lease_until, row.leased_by = datetime.now(UTC) - timedelta(seconds=1), "dead:1"
        session.add(row)
    report = dispatcher(db, standin).run_once()
    assert (report.sent, report.found_in_history) == (1, 1)
    assert posted_keys(standin) == Counter({"k1": 1})
    assert rows(db)["k1"].ts == landed["ts"]


def test_a_final_error_fails_the_row_and_tells_the_coordinators_once(
    db: Database, standin: SlackStandIn
) -> None:
    add_meeting(db, datetime.now(UTC) + timedelta(minutes=50), [MEMBER])
    plan_due_now(db, [("k1", MEMBER)])
    standin.fail("chat.postMessage", error="channel_not_found")
    first = dispatcher(db, standin).run_once()
    assert first.failed == 1
    assert first.sent == 1  # the failure notice went out in the same wake-up
    stored = rows(db)
    assert stored["k1"].state == "failed" and "channel_not_found" in (stored["k1"].last_error or "")
    notice = stored[f"failure:k1:{COORDINATOR}"]
    assert notice.state == "sent"
    (message,) = [m for m in standin.messages() if "could not deliver" in m.get("text", "")]
    assert f"<@{MEMBER}>" in message["text"] and "channel_not_found" in message["text"]
    assert dispatcher(db, standin).run_once().sent == 0


def test_coaching_reminders_reach_participants_and_coach_with_a_digest(
    db: Database, standin: SlackStandIn
) -> None:
    now = datetime.now(UTC)
    with db.transaction(write=True) as session:
        cohort = Cohort(key="lore-2027", name="LORE 2027")
        session.add(cohort)
        session.flush()
        coaching = CoachingSession(
            key="c1",
            cohort_id=cohort.id,
            coach="U0COACH001",
            starts_at=now + timedelta(hours=2),
            join_url="https://example.org/coach",
        )
        session.add(coaching)
        session.flush()
        session.add_all(
            [
                CoachingAttendee(session_id=coaching.id, user_id=user)
                for user in (MEMBER, "U0PART0002")
            ]
        )
        session.flush()
        reminder_plans.plan_coaching_session(
            session, coaching, (timedelta(hours=1), timedelta(hours=2) - timedelta(seconds=1)), now
        )
    time.sleep(1.1)
    report = dispatcher(db, standin).run_once()
    assert report.sent == 4  # three people's first reminder, and the coach's digest
    texts = [m["text"] for m in standin.messages()]
    assert sum("coaching session" in t and "Reminder" in t for t in texts) == 3
    assert any(t.startswith("Prep for your LORE 2027 coaching session") for t in texts)


def test_two_dispatchers_share_the_work_without_doubles(
    postgres_db: Database, standin: SlackStandIn
) -> None:
    add_meeting(
        postgres_db, datetime.now(UTC) + timedelta(minutes=50), [f"U0P{i:07d}" for i in range(100)]
    )
    plan_due_now(postgres_db, [(f"k{i}", f"U0P{i % 100:07d}") for i in range(600)])
    reports = []

    def work(name: str) -> None:
        reports.append(dispatcher(postgres_db, standin, batch=10).run_once())

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert posted_keys(standin) == Counter({f"k{i}": 1 for i in range(600)})
    assert all(report.sent > 0 for report in reports)
    assert sum(report.sent for report in reports) == 600


@pytest.mark.parametrize("offset_hours", [24, 1])
def test_a_session_keeps_its_wall_clock_time_across_daylight_saving(offset_hours: int) -> None:
    # 10:00 in Chicago on the Tuesday after the March change is 15:00 UTC, not 16:00.
    starts = datetime(2027, 3, 16, 10, 0, tzinfo=CHICAGO)
    assert starts.astimezone(UTC).hour == 15
    due = starts.astimezone(UTC) - timedelta(hours=offset_hours)
    from handlers import reminder_blocks

    text, _ = reminder_blocks.coaching_reminder(
        cohort="LORE 2027",
        session_key="c1",
        coach="U0COACH001",
        is_coach=False,
        starts_at=starts.astimezone(UTC),
        now=due,
        zone=CHICAGO,
        location="",
        join_url=None,
    )
    assert "Tuesday March 16, 2027 at 10:00 AM CDT" in text


def test_a_meeting_moved_close_to_its_start_sends_one_reminder_not_all(db: Database) -> None:
    now = datetime.now(UTC)
    add_meeting(db, now + timedelta(days=3), [MEMBER])
    with db.transaction(write=True) as session:
        reminder_plans.plan_upcoming(session, OFFSETS, now)
        meeting = session.exec(select(Meeting)).one()
        meeting.starts_at = now + timedelta(minutes=30)
        session.add(meeting)
        session.flush()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, now)
    planned = rows(db)
    assert planned[f"reminder:meeting:wg-1:{MEMBER}:1h"].state == "pending"
    assert planned[f"reminder:meeting:wg-1:{MEMBER}:1h"].due_at <= now
    assert planned[f"reminder:meeting:wg-1:{MEMBER}:24h"].state == "cancelled"


def test_a_re_rsvp_does_not_revive_a_reminder_whose_time_has_passed(db: Database) -> None:
    now = datetime.now(UTC)
    add_meeting(db, now + timedelta(hours=3), [MEMBER])
    with db.transaction(write=True) as session:
        reminder_plans.plan_upcoming(session, OFFSETS, now - timedelta(days=2))
        rsvp = session.exec(select(Rsvp)).one()
        rsvp.state = "not-going"
        session.add(rsvp)
        session.flush()
        meeting = session.exec(select(Meeting)).one()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, now)
        rsvp.state = "maybe"
        session.add(rsvp)
        session.flush()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, now)
    planned = rows(db)
    assert planned[f"reminder:meeting:wg-1:{MEMBER}:24h"].state == "cancelled"
    assert planned[f"reminder:meeting:wg-1:{MEMBER}:1h"].state == "pending"
