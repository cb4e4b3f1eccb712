"""Coaching queries, the RSVP upsert and the one-off notices, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from handlers import reminders
from handlers.reminders import Outgoing, Unwanted
from storage import coaching, deliveries, reminder_plans, rsvps
from storage.database import Database
from storage.models import (
    CoachingAttendee,
    CoachingQuestion,
    CoachingSession,
    Cohort,
    Delivery,
    DeliveryState,
    Meeting,
    Rsvp,
)

NOW = datetime(2027, 1, 20, 15, 0, tzinfo=UTC)
OFFSETS = (timedelta(hours=24), timedelta(hours=1))
COACH, MEMBER, PEER = "U0COACH001", "U0MEMBER01", "U0PEER0001"


def add_cohort(db: Database, key: str = "lore-2027", name: str = "LORE 2027") -> int:
    with db.transaction(write=True) as session:
        cohort = Cohort(key=key, name=name)
        session.add(cohort)
        session.flush()
        assert cohort.id is not None
        return cohort.id


def save(
    db: Database,
    key: str = "lore-2027-c1",
    *,
    starts_at: datetime = NOW + timedelta(days=3),
    coach: str = COACH,
    participants: tuple[str, ...] = (MEMBER, PEER),
    cohort_id: int | None = None,
) -> CoachingSession:
    cohort_id = cohort_id or add_cohort(db)
    with db.transaction(write=True) as session:
        return coaching.save_session(
            session,
            key,
            cohort_id=cohort_id,
            coach=coach,
            starts_at=starts_at,
            duration_minutes=60,
            location="Village Hall",
            join_url=None,
            participants=participants,
        )


def attending(db: Database, key: str) -> dict[str, datetime | None]:
    with db.transaction() as session:
        found = coaching.session_by_key(session, key)
        assert found is not None and found.id is not None
        return {a.user_id: a.declined_at for a in coaching.attendees(session, found.id)}


# -- rsvps.record -------------------------------------------------------------------------------


def add_meeting(db: Database) -> int:
    with db.transaction(write=True) as session:
        meeting = Meeting(key="wg-1", starts_at=NOW + timedelta(days=3))
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        return meeting.id


def test_an_rsvp_is_one_row_that_clicks_change(db: Database) -> None:
    meeting_id = add_meeting(db)
    steps = [("going-online", True), ("going-online", False), ("not-going", True)]
    for state, changed in steps:
        with db.transaction(write=True) as session:
            assert rsvps.record(session, meeting_id, MEMBER, state, NOW) is changed
    with db.transaction() as session:
        (row,) = session.exec(select(Rsvp)).all()
    assert (row.user_id, row.state) == (MEMBER, "not-going")


def test_the_same_click_again_does_not_touch_the_row(db: Database) -> None:
    meeting_id = add_meeting(db)
    with db.transaction(write=True) as session:
        rsvps.record(session, meeting_id, MEMBER, "maybe", NOW)
    with db.transaction(write=True) as session:
        assert not rsvps.record(session, meeting_id, MEMBER, "maybe", NOW + timedelta(hours=1))
        assert rsvps.state_of(session, meeting_id, MEMBER) == "maybe"
        (row,) = session.exec(select(Rsvp)).all()
    assert row.updated_at == NOW


def test_racing_clicks_leave_one_row(db: Database) -> None:
    """Many transactions upsert the same (meeting, member) at once: none fails, one row stays."""
    meeting_id = add_meeting(db)
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def click(state: str) -> None:
        try:
            start.wait()
            with db.transaction(write=True) as session:
                rsvps.record(session, meeting_id, MEMBER, state, NOW)
        except BaseException as error:  # collected and shown by the assertion below
            failures.append(error)

    threads = [
        threading.Thread(target=click, args=("maybe" if i % 2 else "not-going",)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with db.transaction() as session:
        states = session.exec(select(Rsvp.state).where(Rsvp.meeting_id == meeting_id)).all()
    assert len(states) == 1 and states[0] in ("maybe", "not-going")


# -- sessions -----------------------------------------------------------------------------------


def test_saving_creates_then_updates_and_keeps_what_stayers_said(db: Database) -> None:
    first = save(db)
    assert first.id is not None
    with db.transaction(write=True) as session:
        assert coaching.decline(session, first.id, MEMBER, NOW)
    assert attending(db, first.key) == {MEMBER: NOW, PEER: None}
    cohort_id = first.cohort_id
    later = NOW + timedelta(days=4)
    with db.transaction(write=True) as session:
        coaching.save_session(
            session,
            first.key,
            cohort_id=cohort_id,
            coach=COACH,
            starts_at=later,
            duration_minutes=90,
            location="",
            join_url="https://example.org/j",
            participants=["U0NEW00001", MEMBER],
        )
    with db.transaction() as session:
        (row,) = session.exec(select(CoachingSession)).all()
    assert (row.id, row.starts_at, row.duration_minutes) == (first.id, later, 90)
    assert attending(db, first.key) == {MEMBER: NOW, "U0NEW00001": None}


def test_saving_a_cancelled_key_schedules_it_again(db: Database) -> None:
    first = save(db)
    with db.transaction(write=True) as session:
        assert coaching.cancel(session, first, NOW)
        assert not coaching.cancel(session, first, NOW)
    again = save(db, cohort_id=first.cohort_id)
    assert again.id == first.id and again.cancelled_at is None


def test_free_keys_tell_a_second_group_from_a_second_click(db: Database) -> None:
    first = save(db, "lore-2027-2027-01-28-1400")
    with db.transaction() as session:
        assert coaching.free_key(session, "lore-2027-2027-01-28-1400", COACH) == first.key
        assert coaching.free_key(session, "lore-2027-2027-01-28-1400", "U0OTHER001") == (
            "lore-2027-2027-01-28-1400-2"
        )
        assert coaching.free_key(session, "lore-2027-2027-02-28-1400", "U0OTHER001") == (
            "lore-2027-2027-02-28-1400"
        )


def test_declining_happens_once_and_only_for_attendees(db: Database) -> None:
    found = save(db)
    assert found.id is not None
    with db.transaction(write=True) as session:
        assert coaching.decline(session, found.id, MEMBER, NOW)
        assert not coaching.decline(session, found.id, MEMBER, NOW + timedelta(minutes=1))
        assert not coaching.decline(session, found.id, "U0STRANGER", NOW)
    assert attending(db, found.key)[MEMBER] == NOW


def test_upcoming_sessions_for_a_person_and_for_coordinators(db: Database) -> None:
    cohort_id = add_cohort(db)
    save(db, "soon", starts_at=NOW + timedelta(days=1), cohort_id=cohort_id)
    save(db, "later", starts_at=NOW + timedelta(days=9), participants=(PEER,), cohort_id=cohort_id)
    save(db, "now", starts_at=NOW - timedelta(minutes=30), cohort_id=cohort_id)
    save(db, "over", starts_at=NOW - timedelta(hours=2), cohort_id=cohort_id)
    gone = save(db, "gone", starts_at=NOW + timedelta(days=2), cohort_id=cohort_id)
    with db.transaction(write=True) as session:
        coaching.cancel(session, gone, NOW)
    with db.transaction() as session:
        assert [s.key for s in coaching.upcoming_for(session, MEMBER, NOW)] == ["now", "soon"]
        assert [s.key for s in coaching.upcoming_for(session, COACH, NOW)] == [
            "now",
            "soon",
            "later",
        ]
        assert [s.key for s in coaching.upcoming(session, NOW)] == ["now", "soon", "later"]
        assert [s.key for s in coaching.upcoming(session, NOW, limit=1)] == ["now"]


def test_cohort_choices_are_the_newest_hundred_by_name(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add_all(Cohort(key=f"c{i:03d}", name=f"Cohort {999 - i:03d}") for i in range(120))
    with db.transaction() as session:
        choices = coaching.cohort_choices(session)
        assert len(choices) == 100
        assert {c.key for c in choices} == {f"c{i:03d}" for i in range(20, 120)}
        assert [c.name for c in choices] == sorted(c.name for c in choices)
        assert coaching.cohort_by_key(session, "c005") is not None
        assert coaching.cohort_by_key(session, "nope") is None
        assert coaching.cohort_by_key(session, "") is None


def test_attendees_and_names_of_many_sessions_at_once(db: Database) -> None:
    cohort_id = add_cohort(db)
    a = save(db, "a", cohort_id=cohort_id)
    b = save(db, "b", participants=(PEER,), cohort_id=cohort_id)
    assert a.id is not None and b.id is not None
    with db.transaction() as session:
        found = coaching.attendees_of(session, [a.id, b.id, 999])
        assert {k: [x.user_id for x in v] for k, v in found.items()} == {
            a.id: [MEMBER, PEER],
            b.id: [PEER],
            999: [],
        }
        assert coaching.cohort_names(session, [cohort_id]) == {cohort_id: "LORE 2027"}
        assert coaching.cohort_names(session, []) == {}


def test_a_question_sent_twice_is_kept_once(db: Database) -> None:
    found = save(db)
    assert found.id is not None
    with db.transaction(write=True) as session:
        first, new = coaching.add_question(session, found.id, MEMBER, "Where to start?", NOW)
        again, new_again = coaching.add_question(session, found.id, MEMBER, "Where to start?", NOW)
        other, other_new = coaching.add_question(session, found.id, PEER, "Where to start?", NOW)
    assert new and not new_again and other_new and first.id == again.id != other.id
    with db.transaction() as session:
        assert len(session.exec(select(CoachingQuestion)).all()) == 2
        assert [q.user_id for q in coaching.questions(session, found.id)] == [MEMBER, PEER]


# -- the ledger around coaching -----------------------------------------------------------------


def states(db: Database, prefix: str) -> dict[str, str]:
    with db.transaction() as session:
        rows = session.exec(select(Delivery).where(col(Delivery.key).startswith(prefix)))
        return {row.key: row.state for row in rows}


def test_a_cancelled_session_wants_no_reminders(db: Database) -> None:
    found = save(db)
    with db.transaction(write=True) as session:
        reminder_plans.plan_coaching_session(session, found, OFFSETS, NOW)
    assert len(states(db, "reminder:coaching:")) == 6
    with db.transaction(write=True) as session:
        again = coaching.session_by_key(session, found.key, lock=True)
        assert again is not None
        coaching.cancel(session, again, NOW)
        reminder_plans.plan_coaching_session(session, again, OFFSETS, NOW)
    assert set(states(db, "reminder:coaching:").values()) == {DeliveryState.CANCELLED}
    assert set(states(db, "digest:coaching:").values()) == {DeliveryState.CANCELLED}


def test_a_decline_cancels_only_that_persons_reminders(db: Database) -> None:
    found = save(db)
    assert found.id is not None
    with db.transaction(write=True) as session:
        reminder_plans.plan_coaching_session(session, found, OFFSETS, NOW)
        coaching.decline(session, found.id, MEMBER, NOW)
        reminder_plans.plan_coaching_session(session, found, OFFSETS, NOW)
    planned = states(db, "reminder:coaching:")
    assert {k.split(":")[3] for k, v in planned.items() if v == DeliveryState.CANCELLED} == {MEMBER}
    assert {k.split(":")[3] for k, v in planned.items() if v == DeliveryState.PENDING} == {
        PEER,
        COACH,
    }


def test_a_notice_is_planned_once(db: Database) -> None:
    key = reminder_plans.absence_key("s", MEMBER)
    for at, planned in ((NOW, True), (NOW + timedelta(minutes=5), False)):
        with db.transaction(write=True) as session:
            assert (
                reminder_plans.notify_once(
                    session,
                    key,
                    kind=reminder_plans.COACH_ABSENCE,
                    recipient=COACH,
                    text="x",
                    now=at,
                    about={"session": "s"},
                )
                is planned
            )
    with db.transaction() as session:
        row = deliveries.by_key(session, key)
    assert row is not None and row.due_at == NOW and row.payload == {"text": "x", "session": "s"}


def test_digest_went_out_follows_the_ledger(db: Database) -> None:
    found = save(db)
    with db.transaction(write=True) as session:
        reminder_plans.plan_coaching_session(session, found, OFFSETS, NOW)
        assert not reminder_plans.digest_went_out(session, found)
        row = deliveries.by_key(session, reminder_plans.digest_key(found.key, COACH))
        assert row is not None
        row.state = DeliveryState.SENT  # as the dispatcher leaves it
        session.add(row)
        session.flush()
        assert reminder_plans.digest_went_out(session, found)


@pytest.mark.parametrize("kind", [reminder_plans.COACH_ABSENCE, reminder_plans.LATE_QUESTION])
def test_a_notice_about_a_session_is_dropped_once_it_is_moot(db: Database, kind: str) -> None:
    found = save(db)

    def composed(now: datetime) -> Outgoing | Unwanted:
        row = Delivery(
            key="k",
            kind=kind,
            recipient=COACH,
            due_at=now,
            next_attempt_at=now,
            payload={"text": "<@U0MEMBER01> can't make it", "session": found.key},
        )
        with db.transaction() as session:
            return reminders.notice(session, row, now)

    sent = composed(NOW)
    assert isinstance(sent, Outgoing) and sent.text == "<@U0MEMBER01> can't make it"
    assert isinstance(composed(found.starts_at), Unwanted)
    with db.transaction(write=True) as session:
        coaching.cancel(session, found, NOW)
    assert isinstance(composed(NOW), Unwanted)


def test_a_cancellation_notice_is_dropped_if_the_session_is_back(db: Database) -> None:
    found = save(db)
    with db.transaction(write=True) as session:
        coaching.cancel(session, found, NOW)
    row = Delivery(
        key="k",
        kind=reminder_plans.SESSION_CANCELLED,
        recipient=MEMBER,
        due_at=NOW,
        next_attempt_at=NOW,
        payload={"text": "cancelled", "session": found.key},
    )
    with db.transaction() as session:
        assert isinstance(reminders.notice(session, row, NOW), Outgoing)
    save(db, cohort_id=found.cohort_id)
    with db.transaction() as session:
        assert isinstance(reminders.notice(session, row, NOW), Unwanted)


def test_attendee_rows_survive_only_for_the_chosen(db: Database) -> None:
    found = save(db, participants=(MEMBER,))
    assert found.id is not None
    with db.transaction(write=True) as session:
        coaching.sync_attendees(session, found.id, [PEER, PEER])
    with db.transaction() as session:
        people = session.exec(select(CoachingAttendee.user_id)).all()
    assert people == [PEER]
