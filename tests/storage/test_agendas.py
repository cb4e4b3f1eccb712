"""Agenda and attendance queries on SQLite and PostgreSQL: topic choices, meeting keys, the
coordinators' list, who hears of a cancellation, check-ins and the counts per municipality."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage import agendas, attendance, exports
from storage.database import Database
from storage.models import Cohort, CohortParticipant, Community, Meeting, Rsvp, Topic

NOW = datetime(2027, 1, 5, 15, 0, tzinfo=UTC)
START = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)
MEMBER, PEER, GUEST = "U0MEMBER01", "U0PEER0001", "U0GUEST001"


def add_topics(db: Database, months: list[str], *, tbd: tuple[str, ...] = ()) -> None:
    with db.transaction(write=True) as session:
        for month in months:
            title = "TBD" if month in tbd else f"Topic {month}"
            session.add(Topic(key=month, month=month, title=title, tbd=month in tbd))


def add_meeting(
    db: Database,
    key: str = "wg-2027-01-12",
    *,
    starts_at: datetime = START,
    format: str = "hybrid",
    cancelled: bool = False,
) -> Meeting:
    with db.transaction(write=True) as session:
        meeting = Meeting(
            key=key,
            starts_at=starts_at,
            format=format,
            cancelled_at=NOW if cancelled else None,
        )
        session.add(meeting)
        session.flush()
        return meeting


def rsvp(db: Database, meeting: Meeting, user: str, state: str) -> None:
    with db.transaction(write=True) as session:
        assert meeting.id is not None
        session.add(Rsvp(meeting_id=meeting.id, user_id=user, state=state, updated_at=NOW))


def rows_of(db: Database, meeting: Meeting) -> dict[str, tuple[str, datetime | None]]:
    with db.transaction() as session:
        found = session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting.id))
        return {row.user_id: (row.state, row.checked_in_at) for row in found}


# -- topics and keys ----------------------------------------------------------------------------


def test_topic_choices_are_chosen_topics_coming_first_within_the_limit(db: Database) -> None:
    months = [f"{year}-{month:02d}" for year in (2026, 2027) for month in range(1, 13)]
    add_topics(db, months, tbd=("2027-03",))
    with db.transaction() as session:
        every = [t.month for t in agendas.topic_choices(session, "2027-01")]
        few = [t.month for t in agendas.topic_choices(session, "2027-01", limit=13)]
    assert "2027-03" not in every and len(every) == 23
    assert every == sorted(every)
    # Eleven coming months (March is TBD), then the two most recent past ones fit.
    assert few[:3] == ["2026-11", "2026-12", "2027-01"] and len(few) == 13


def test_free_key_reuses_the_same_meeting_and_numbers_others(db: Database) -> None:
    add_topics(db, ["2027-01"])
    with db.transaction(write=True) as session:
        topic = session.exec(select(Topic)).one()
        assert topic.id is not None
        first = agendas.save_meeting(
            session,
            agendas.free_key(session, "wg-2027-01-12", topic_id=topic.id, starts_at=START),
            topic_id=topic.id,
            starts_at=START,
            duration_minutes=60,
            format="online",
            location="",
            join_url="https://example.org/j",
            capacity_in_person=None,
            capacity_online=None,
            agenda=["Welcome"],
        )
        again = agendas.free_key(session, "wg-2027-01-12", topic_id=topic.id, starts_at=START)
        later = agendas.free_key(
            session, "wg-2027-01-12", topic_id=topic.id, starts_at=START + timedelta(hours=3)
        )
    assert first.key == again == "wg-2027-01-12"
    assert later == "wg-2027-01-12-2"


def test_a_cancelled_meeting_keeps_its_key(db: Database) -> None:
    add_meeting(db, cancelled=True)
    with db.transaction() as session:
        key = agendas.free_key(session, "wg-2027-01-12", topic_id=1, starts_at=START)
    assert key == "wg-2027-01-12-2"


def test_save_meeting_updates_in_place(db: Database) -> None:
    meeting = add_meeting(db)
    rsvp(db, meeting, MEMBER, "going-online")
    with db.transaction(write=True) as session:
        saved = agendas.save_meeting(
            session,
            meeting.key,
            topic_id=None,  # type: ignore[arg-type]
            starts_at=START + timedelta(days=1),
            duration_minutes=90,
            format="in-person",
            location="Village Hall",
            join_url=None,
            capacity_in_person=12,
            capacity_online=0,
            agenda=["A", "B"],
        )
    assert saved.id == meeting.id
    with db.transaction() as session:
        (stored,) = session.exec(select(Meeting)).all()
    assert stored.starts_at == START + timedelta(days=1) and stored.duration_minutes == 90
    assert (stored.capacity_in_person, stored.capacity_online) == (12, 0)
    assert stored.agenda == ["A", "B"]
    assert rows_of(db, meeting) == {MEMBER: ("going-online", None)}  # RSVPs are kept


# -- the coordinators' list ---------------------------------------------------------------------


def test_the_list_shows_what_is_coming_and_what_just_ended(db: Database) -> None:
    add_meeting(db, "long-ago", starts_at=NOW - timedelta(days=60))
    add_meeting(db, "last-week", starts_at=NOW - timedelta(days=7))
    add_meeting(db, "now", starts_at=NOW - timedelta(minutes=30))
    add_meeting(db, "next-week", starts_at=NOW + timedelta(days=7))
    add_meeting(db, "called-off", starts_at=NOW + timedelta(days=8), cancelled=True)
    with db.transaction() as session:
        assert [m.key for m in agendas.listed(session, NOW)] == ["last-week", "now", "next-week"]
        assert [m.key for m in agendas.listed(session, NOW, limit=2)] == ["now", "next-week"]
        assert [m.key for m in agendas.listed(session, NOW, past=0)] == ["now", "next-week"]


def test_who_hears_of_a_cancellation(db: Database) -> None:
    meeting = add_meeting(db)
    for user, state in (
        ("U0A", "going-in-person"),
        ("U0B", "going-online"),
        ("U0C", "maybe"),
        ("U0D", "waitlisted-in-person"),
        ("U0E", "waitlisted-online"),
        ("U0F", "not-going"),
    ):
        rsvp(db, meeting, user, state)
    assert meeting.id is not None
    with db.transaction() as session:
        told = agendas.told_of_cancellation(session, meeting.id)
    assert told == ["U0A", "U0B", "U0C", "U0D", "U0E"]


# -- attendance ---------------------------------------------------------------------------------


def test_a_check_in_without_an_rsvp_creates_one_per_the_format(db: Database) -> None:
    online = add_meeting(db, "online", format="online")
    in_person = add_meeting(db, "in-person", format="in-person")
    with db.transaction(write=True) as session:
        assert attendance.check_in(session, online, MEMBER, NOW)
        assert attendance.check_in(session, in_person, MEMBER, NOW)
    assert rows_of(db, online) == {MEMBER: ("going-online", NOW)}
    assert rows_of(db, in_person) == {MEMBER: ("going-in-person", NOW)}


def test_a_check_in_keeps_the_rsvp_and_the_first_time(db: Database) -> None:
    meeting = add_meeting(db)
    rsvp(db, meeting, MEMBER, "maybe")
    with db.transaction(write=True) as session:
        assert attendance.check_in(session, meeting, MEMBER, NOW) is True
    with db.transaction(write=True) as session:
        assert attendance.check_in(session, meeting, MEMBER, NOW + timedelta(minutes=5)) is False
    assert rows_of(db, meeting) == {MEMBER: ("maybe", NOW)}


def test_racing_check_ins_leave_one_row(db: Database) -> None:
    meeting = add_meeting(db)
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def click() -> None:
        barrier.wait()
        with db.transaction(write=True) as session:
            results.append(attendance.check_in(session, meeting, MEMBER, NOW))

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert rows_of(db, meeting) == {MEMBER: ("going-online", NOW)}


def test_a_coordinator_marks_exactly_who_attended(db: Database) -> None:
    meeting = add_meeting(db)
    rsvp(db, meeting, MEMBER, "going-in-person")
    rsvp(db, meeting, PEER, "going-online")
    with db.transaction(write=True) as session:
        attendance.check_in(session, meeting, MEMBER, NOW)
    later = NOW + timedelta(hours=1)
    with db.transaction(write=True) as session:
        changed = attendance.mark(session, meeting, [PEER, GUEST], later)
    assert changed == 3  # PEER and GUEST checked in, MEMBER cleared
    assert rows_of(db, meeting) == {
        MEMBER: ("going-in-person", None),
        PEER: ("going-online", later),
        GUEST: ("going-online", later),
    }
    with db.transaction(write=True) as session:
        assert attendance.mark(session, meeting, [PEER, GUEST], later) == 0
        assert attendance.checked_in(session, meeting.id or 0) == [GUEST, PEER]
    with db.transaction(write=True) as session:
        assert attendance.mark(session, meeting, [], later) == 2
        assert attendance.checked_in(session, meeting.id or 0) == []


def test_counts_per_municipality(db: Database) -> None:
    meeting = add_meeting(db)
    other = add_meeting(db, "wg-2027-02-09", starts_at=START + timedelta(days=28))
    with db.transaction(write=True) as session:
        flossmoor = Community(key="flossmoor", name="Flossmoor", contacts=[GUEST])
        oak_park = Community(key="oak-park", name="Oak Park")
        cohort = Cohort(key="lore-2027", name="LORE 2027")
        session.add_all([flossmoor, oak_park, cohort])
        session.flush()
        session.add(
            CohortParticipant(cohort_id=cohort.id, user_id=MEMBER, community_id=oak_park.id)
        )
        for user in (MEMBER, GUEST, PEER, "U0NOBODY01"):
            attendance.check_in(session, meeting, user, NOW)
        session.add(CohortParticipant(cohort_id=cohort.id, user_id=PEER, community_id=oak_park.id))
    assert meeting.id is not None and other.id is not None
    with db.transaction() as session:
        found = attendance.summaries(session, [meeting.id, other.id])
        table = exports.export(session, "attendance", "csv", meeting.key)
    assert found[meeting.id] == attendance.Summary(
        attended=4,
        by_community=(("Oak Park", 2), ("Flossmoor", 1), (attendance.NO_COMMUNITY, 1)),
    )
    assert found[other.id] == attendance.Summary()
    assert f"wg-2027-01-12,{MEMBER},Oak Park,going-online,{NOW.isoformat()}" in table
