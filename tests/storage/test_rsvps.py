"""RSVP clicks with capacity and a waitlist, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage import rsvps
from storage.database import Database
from storage.models import Meeting, Rsvp


def meeting(db: Database, capacity_in_person: int | None = 2) -> Meeting:
    with db.transaction(write=True) as session:
        row = Meeting(
            key="wg-1",
            starts_at=datetime.now(UTC) + timedelta(days=2),
            capacity_in_person=capacity_in_person,
        )
        session.add(row)
        session.flush()
        return row


def click(db: Database, target: Meeting, user: str, state: str) -> rsvps.Click:
    with db.transaction(write=True) as session:
        return rsvps.click(session, target, user, state, datetime.now(UTC))


def states(db: Database) -> dict[str, str]:
    with db.transaction() as session:
        return {row.user_id: row.state for row in session.exec(select(Rsvp))}


def test_past_capacity_members_wait_in_line_and_a_freed_seat_goes_to_the_first(
    db: Database,
) -> None:
    target = meeting(db)
    assert click(db, target, "U0A", "going-in-person").state == "going-in-person"
    assert click(db, target, "U0B", "going-in-person").state == "going-in-person"
    third = click(db, target, "U0C", "going-in-person")
    fourth = click(db, target, "U0D", "going-in-person")
    assert (third.state, third.waitlist_position) == ("waitlisted-in-person", 1)
    assert (fourth.state, fourth.waitlist_position) == ("waitlisted-in-person", 2)
    # Clicking "going" again keeps one's place in line.
    assert click(db, target, "U0C", "going-in-person").waitlist_position == 1
    dropped = click(db, target, "U0A", "not-going")
    assert dropped.promoted == ["U0C"]
    assert states(db) == {
        "U0A": "not-going",
        "U0B": "going-in-person",
        "U0C": "going-in-person",
        "U0D": "waitlisted-in-person",
    }


def test_online_without_capacity_is_never_waitlisted(db: Database) -> None:
    target = meeting(db, capacity_in_person=0)
    assert click(db, target, "U0A", "going-online").state == "going-online"
    assert click(db, target, "U0B", "going-in-person").state == "waitlisted-in-person"


def test_a_burst_of_concurrent_clicks_keeps_one_row_each_and_the_capacity(db: Database) -> None:
    target = meeting(db, capacity_in_person=5)
    people = [f"U0P{index:03d}" for index in range(20)]

    def clicks(person: str) -> None:
        for state in ("maybe", "going-in-person", "going-online", "going-in-person"):
            click(db, target, person, state)

    threads = [threading.Thread(target=clicks, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = states(db)
    assert sorted(final) == people
    assert Counter(final.values()) == Counter({"going-in-person": 5, "waitlisted-in-person": 15})


def test_a_late_arriving_older_click_does_not_overwrite_a_newer_one(db: Database) -> None:
    target = meeting(db)
    now = datetime.now(UTC)
    with db.transaction(write=True) as session:
        newer = rsvps.click(session, target, "U0A", "maybe", now, now)
    with db.transaction(write=True) as session:
        older = rsvps.click(session, target, "U0A", "not-going", now, now - timedelta(seconds=2))
    assert newer.state == "maybe"
    assert (older.changed, older.state) == (False, "maybe")
    assert states(db) == {"U0A": "maybe"}


def test_a_click_that_changes_nothing_still_outranks_an_older_one(db: Database) -> None:
    """Online at t0, online again at t2 (no change), then "can't make it" sent at t1 arrives
    last: the member's last word was online, and it stands."""
    target = meeting(db)
    t0 = datetime.now(UTC)
    t1, t2 = t0 + timedelta(seconds=1), t0 + timedelta(seconds=2)
    with db.transaction(write=True) as session:
        rsvps.click(session, target, "U0A", "going-online", t0, t0)
    with db.transaction(write=True) as session:
        again = rsvps.click(session, target, "U0A", "going-online", t0, t2)
    with db.transaction(write=True) as session:
        late = rsvps.click(session, target, "U0A", "not-going", t0, t1)
    assert (again.changed, late.changed, late.state) == (False, False, "going-online")
    assert (again.superseded, late.superseded) == (False, True)
    assert states(db) == {"U0A": "going-online"}


def test_a_repeated_going_click_keeps_the_place_in_line_and_a_promotion_keeps_click_time(
    db: Database,
) -> None:
    target = meeting(db, capacity_in_person=1)
    t0 = datetime.now(UTC)
    moments = [t0 + timedelta(seconds=n) for n in range(6)]
    with db.transaction(write=True) as session:
        rsvps.click(session, target, "U0A", "going-in-person", t0, moments[0])
        rsvps.click(session, target, "U0B", "going-in-person", t0, moments[1])
        rsvps.click(session, target, "U0C", "going-in-person", t0, moments[2])
    with db.transaction(write=True) as session:
        # B clicks again, later than C joined: B is still first in line.
        assert rsvps.click(session, target, "U0B", "going-in-person", t0, moments[3]).state == (
            "waitlisted-in-person"
        )
    with db.transaction(write=True) as session:
        freed = rsvps.click(session, target, "U0A", "not-going", t0, moments[4])
    assert freed.promoted == ["U0B"]
    with db.transaction(write=True) as session:
        # B's own older click (sent before the promotion) still cannot undo their newer one.
        late = rsvps.click(session, target, "U0B", "maybe", t0, moments[2])
    assert (late.changed, late.state) == (False, "going-in-person")
    assert states(db) == {
        "U0A": "not-going",
        "U0B": "going-in-person",
        "U0C": "waitlisted-in-person",
    }
