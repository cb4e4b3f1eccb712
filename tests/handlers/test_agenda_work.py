"""What the agenda listeners do, on SQLite and PostgreSQL: each change and the ledger rows it
causes land in one transaction, and doing it twice changes nothing more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from bot.config import Settings
from handlers import agenda_forms, agenda_work, attendance_work
from handlers import agenda_modals as am
from storage import announcements, deliveries, reminder_plans
from storage.database import Database
from storage.models import Delivery, DeliveryState, Meeting, Rsvp, Topic

NOW = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)  # 10:00 in Chicago
COORDINATOR, MEMBER, PEER = "U0COORD001", "U0MEMBER01", "U0PEER0001"
OFFSETS = (timedelta(hours=24), timedelta(hours=1))


def settings(channel: str | None = "C0ANNOUNCE") -> Settings:
    return Settings(coordinators=(COORDINATOR,), announce_channel=channel)


def add_topic(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Topic(key="2027-01", month="2027-01", title="Hiring & Recruitment"))


def form(editing: str | None = None, **changes: Any) -> agenda_forms.MeetingForm:
    values: dict[str, Any] = {
        "editing": editing,
        "topic_key": "2027-01",
        "starts_at": START,
        "duration": "60",
        "format": "hybrid",
        "location": "NIU Naperville",
        "join_url": "https://example.org/join",
        "capacity_in_person": "2",
        "capacity_online": "",
        "agenda": ("Welcome", "Discussion"),
        "post": am.POST_NOW,
        "post_at": None,
    }
    values.update(changes)
    return agenda_forms.MeetingForm(**values)


def ledger(db: Database, prefix: str = "") -> dict[str, Delivery]:
    with db.transaction() as session:
        rows = session.exec(select(Delivery).where(col(Delivery.key).startswith(prefix)))
        return {row.key: row for row in rows}


def stored(db: Database) -> list[Meeting]:
    with db.transaction() as session:
        return list(session.exec(select(Meeting).order_by(col(Meeting.id))))


def schedule(db: Database, **changes: Any) -> Meeting:
    add_topic(db)
    answer = agenda_work.store_meeting(db, settings(), form(**changes), COORDINATOR, NOW)
    assert not isinstance(answer, dict), answer
    (meeting,) = stored(db)
    return meeting


def add_rsvps(db: Database, meeting: Meeting, states: dict[str, str]) -> None:
    with db.transaction(write=True) as session:
        for user, state in states.items():
            session.add(Rsvp(meeting_id=meeting.id, user_id=user, state=state, updated_at=NOW))
        session.flush()
        reminder_plans.plan_meeting(session, meeting, OFFSETS, NOW)


def mark_posted(db: Database, meeting: Meeting) -> None:
    with db.transaction(write=True) as session:
        row = deliveries.by_key(session, announcements.post_key(meeting.key))
        assert row is not None
        row.state, row.channel, row.ts, row.sent_at = "sent", "C0ANNOUNCE", "1.000100", NOW
        session.add(row)


def test_a_new_meeting_is_stored_with_its_announcement_at_the_chosen_time(db: Database) -> None:
    post_at = START - timedelta(days=3)
    meeting = schedule(db, post=am.POST_LATER, post_at=post_at)
    assert meeting.key == "wg-2027-01-12" and meeting.starts_at == START
    assert meeting.capacity_in_person == 2 and meeting.capacity_online is None
    assert meeting.agenda == ["Welcome", "Discussion"] and meeting.format == "hybrid"
    post = ledger(db)["announcement:wg-2027-01-12"]
    assert post.state == DeliveryState.PENDING and post.due_at == post_at
    assert post.recipient == "C0ANNOUNCE"


def test_saving_twice_is_one_meeting(db: Database) -> None:
    schedule(db)
    again = agenda_work.store_meeting(db, settings(), form(), COORDINATOR, NOW)
    assert not isinstance(again, dict)
    assert [m.key for m in stored(db)] == ["wg-2027-01-12"]
    other = agenda_work.store_meeting(
        db, settings(), form(starts_at=START + timedelta(hours=4)), COORDINATOR, NOW
    )
    assert not isinstance(other, dict)
    assert [m.key for m in stored(db)] == ["wg-2027-01-12", "wg-2027-01-12-2"]


def test_without_an_announce_channel_the_meeting_is_saved_and_the_coordinator_told(
    db: Database,
) -> None:
    add_topic(db)
    answer = agenda_work.store_meeting(db, settings(None), form(), COORDINATOR, NOW)
    assert not isinstance(answer, dict)
    assert "DEI_ANNOUNCE_CHANNEL" in answer.text
    assert len(stored(db)) == 1 and ledger(db) == {}


def test_invalid_forms_store_nothing(db: Database) -> None:
    add_topic(db)
    cases = [
        form(starts_at=NOW - timedelta(minutes=5)),
        form(duration="0"),
        form(join_url="ftp://example.org"),
        form(capacity_online="-1"),
        form(topic_key="no-such-topic"),
        form(format="online", join_url=None),
        form(location=""),
        form(post=am.POST_LATER, post_at=START + timedelta(minutes=1)),
    ]
    for case in cases:
        errors = agenda_work.store_meeting(db, settings(), case, COORDINATOR, NOW)
        assert isinstance(errors, dict) and len(errors) == 1, errors
    assert stored(db) == [] and ledger(db) == {}


def test_a_tbd_topic_is_no_topic(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Topic(key="2027-02", month="2027-02", title="TBD", tbd=True))
    errors = agenda_work.store_meeting(db, settings(), form(topic_key="2027-02"), COORDINATOR, NOW)
    assert errors == {am.TOPIC_BLOCK: "Choose the meeting's topic from the calendar."}


def test_moving_a_posted_meeting_updates_the_announcement_and_the_reminders(
    db: Database,
) -> None:
    meeting = schedule(db)
    add_rsvps(db, meeting, {MEMBER: "going-in-person"})
    mark_posted(db, meeting)
    later = START + timedelta(days=1)
    answer = agenda_work.store_meeting(
        db, settings(), form(meeting.key, starts_at=later, post=""), COORDINATOR, NOW
    )
    assert not isinstance(answer, dict), answer
    assert "being updated" in answer.text
    (moved,) = stored(db)
    assert moved.key == meeting.key and moved.starts_at == later
    assert list(ledger(db, "announcement-update:wg-2027-01-12:")) != []
    reminders = ledger(db, "reminder:meeting:wg-2027-01-12:")
    assert reminders[f"reminder:meeting:wg-2027-01-12:{MEMBER}:1h"].due_at == later - OFFSETS[1]


def test_cancelling_tells_everyone_who_rsvpd_once(db: Database) -> None:
    meeting = schedule(db, post=am.POST_LATER, post_at=START - timedelta(days=1))
    add_rsvps(
        db,
        meeting,
        {MEMBER: "going-in-person", PEER: "waitlisted-in-person", "U0NOPE0001": "not-going"},
    )
    answer = agenda_work.cancel_meeting(db, settings(), meeting.key, COORDINATOR, NOW)
    assert "the 2 people who RSVP'd get a message" in answer.text
    (cancelled,) = stored(db)
    assert cancelled.cancelled_at == NOW
    told = ledger(db, "meeting-cancelled:")
    assert set(told) == {
        f"meeting-cancelled:{meeting.key}:{MEMBER}",
        f"meeting-cancelled:{meeting.key}:{PEER}",
    }
    notice = told[f"meeting-cancelled:{meeting.key}:{MEMBER}"]
    assert notice.kind == announcements.MEETING_CANCELLED and notice.recipient == MEMBER
    assert "Hiring &amp; Recruitment" in notice.payload["text"]
    assert notice.payload["meeting"] == meeting.key
    assert ledger(db)["announcement:wg-2027-01-12"].state == DeliveryState.CANCELLED
    reminders = ledger(db, "reminder:meeting:")
    assert reminders and {row.state for row in reminders.values()} == {DeliveryState.CANCELLED}

    again = agenda_work.cancel_meeting(db, settings(), meeting.key, COORDINATOR, NOW)
    assert "already cancelled" in again.text
    assert set(ledger(db, "meeting-cancelled:")) == set(told)


def test_a_posted_announcement_is_refreshed_on_cancel(db: Database) -> None:
    meeting = schedule(db)
    mark_posted(db, meeting)
    agenda_work.cancel_meeting(db, settings(), meeting.key, COORDINATOR, NOW)
    assert ledger(db)["announcement:wg-2027-01-12"].state == DeliveryState.SENT
    assert list(ledger(db, "announcement-update:wg-2027-01-12:")) != []


def test_a_started_meeting_is_not_cancelled(db: Database) -> None:
    meeting = schedule(db)
    answer = agenda_work.cancel_meeting(db, settings(), meeting.key, COORDINATOR, START)
    assert "already started" in answer.text
    assert stored(db)[0].cancelled_at is None


def test_check_in_is_open_from_15_minutes_before_until_a_day_after(db: Database) -> None:
    meeting = schedule(db)
    cases = [
        (START - timedelta(minutes=16), "opens 15 minutes before"),
        (START - timedelta(minutes=15), "you are checked in"),
        (START + timedelta(minutes=30), "already checked in"),
        (meeting.ends_at + timedelta(hours=24, seconds=1), "has closed"),
    ]
    for at, said in cases:
        assert said in attendance_work.check_in(db, settings(), meeting.key, MEMBER, at).text
    with db.transaction() as session:
        (row,) = session.exec(select(Rsvp)).all()
    assert row.state == "going-online" and row.checked_in_at == START - timedelta(minutes=15)
    assert (
        "I could not find" in attendance_work.check_in(db, settings(), "nope", MEMBER, START).text
    )


def test_a_coordinator_marks_attendance(db: Database) -> None:
    meeting = schedule(db)
    add_rsvps(db, meeting, {MEMBER: "going-in-person"})
    attendance_work.check_in(db, settings(), meeting.key, MEMBER, START)
    marked = agenda_forms.AttendanceForm(meeting.key, (PEER,), valid=True)
    too_soon = attendance_work.store_attendance(db, settings(), marked, COORDINATOR, NOW)
    assert isinstance(too_soon, dict) and am.ATTENDED_BLOCK in too_soon
    answer = attendance_work.store_attendance(db, settings(), marked, COORDINATOR, START)
    assert not isinstance(answer, dict)
    assert "attended 1 (no community on file 1)" in answer.text
    with db.transaction() as session:
        present = {r.user_id: r.checked_in_at for r in session.exec(select(Rsvp))}
    assert present == {MEMBER: None, PEER: START}
    forged = agenda_forms.AttendanceForm(meeting.key, ("<!channel>",), valid=False)
    assert isinstance(
        attendance_work.store_attendance(db, settings(), forged, COORDINATOR, START), dict
    )
