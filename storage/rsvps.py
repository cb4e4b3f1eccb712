"""RSVPs: one row per (meeting, member)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, update
from sqlmodel import Session, col, func, select

from storage.database import upsert
from storage.models import Meeting, Rsvp


def state_of(session: Session, meeting_id: int, user_id: str) -> str | None:
    row = session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting_id).where(Rsvp.user_id == user_id)
    ).first()
    return row.state if row else None


def record(
    session: Session, meeting_id: int, user_id: str, state: str, clicked_at: datetime
) -> bool:
    """The member's RSVP becomes `state` unless a newer click of theirs is stored; True if that
    changed their state. One statement: an upsert on the (meeting, member) constraint, so two
    clicks racing each other, or Slack retrying one, still leave one row.

    A click that changes nothing still records its time: otherwise an older click that waited
    longer for the database could land after it and overwrite the member's last word.
    """
    before = state_of(session, meeting_id, user_id)
    insert = upsert(session, Rsvp).values(
        meeting_id=meeting_id,
        user_id=user_id,
        state=state,
        updated_at=clicked_at,
        clicked_at=clicked_at,
    )
    same = col(Rsvp.state) == insert.excluded.state
    statement = insert.on_conflict_do_update(
        index_elements=["meeting_id", "user_id"],
        set_={
            "state": insert.excluded.state,
            "updated_at": case((same, col(Rsvp.updated_at)), else_=insert.excluded.updated_at),
            "clicked_at": insert.excluded.clicked_at,
        },
        where=col(Rsvp.clicked_at).is_(None) | (col(Rsvp.clicked_at) <= insert.excluded.clicked_at),
    )
    # RETURNING yields a row only when one was written; rowcount is not reliable here on every
    # driver once RETURNING is involved.
    written = session.execute(statement.returning(col(Rsvp.id))).first() is not None
    return written and before != state


def promote_row(session: Session, row: Rsvp, state: str) -> None:
    """A waitlisted member gets the seat: not a click of theirs, so their click time stays."""
    session.execute(
        update(Rsvp)
        .where(col(Rsvp.id) == row.id)
        .where(col(Rsvp.state) == row.state)
        .values(state=state)
    )


GOING = {"in-person": "going-in-person", "online": "going-online"}
WAITLISTED = {"in-person": "waitlisted-in-person", "online": "waitlisted-online"}
FORMAT_OF = {state: fmt for fmt, state in (*GOING.items(), *WAITLISTED.items())}


@dataclass(frozen=True)
class Click:
    """What a click did: the member's state now, and who a freed seat went to."""

    state: str
    changed: bool
    promoted: list[str] = field(default_factory=list)
    waitlist_position: int | None = None
    superseded: bool = False  # a newer click of the member's was stored first: it stands


def capacity_of(meeting: Meeting, fmt: str) -> int | None:
    return meeting.capacity_in_person if fmt == "in-person" else meeting.capacity_online


def counts(session: Session, meeting_id: int) -> dict[str, int]:
    rows = session.exec(
        select(Rsvp.state, func.count()).where(Rsvp.meeting_id == meeting_id).group_by(Rsvp.state)
    )
    return {state: int(number) for state, number in rows}


def waitlist(session: Session, meeting_id: int, fmt: str) -> list[Rsvp]:
    """First come, first served: ordered by when each joined the waitlist."""
    return list(
        session.exec(
            select(Rsvp)
            .where(Rsvp.meeting_id == meeting_id)
            .where(Rsvp.state == WAITLISTED[fmt])
            .order_by(col(Rsvp.updated_at), col(Rsvp.id))
        )
    )


def lock_meeting(session: Session, meeting_id: int) -> Meeting | None:
    """Clicks on one meeting take turns (seat counts are read, then written). PostgreSQL: the
    meeting row's lock; SQLite: the caller's BEGIN IMMEDIATE already made this the only writer."""
    statement = select(Meeting).where(Meeting.id == meeting_id)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return session.exec(statement).first()


def click(
    session: Session,
    meeting: Meeting,
    user_id: str,
    wanted: str,
    now: datetime,
    clicked_at: datetime | None = None,
) -> Click:
    """A member's RSVP click, with capacity: past a format's capacity, the member joins that
    format's waitlist; a seat freed by anyone goes to the first on the waitlist.

    `clicked_at` (Slack's action_ts) orders one member's clicks: a click that waited longer for
    the database than a later one does not overwrite it."""
    assert meeting.id is not None
    locked = lock_meeting(session, meeting.id) or meeting
    current = state_of(session, meeting.id, user_id)
    state = wanted
    fmt = FORMAT_OF.get(wanted)
    if fmt is not None:
        capacity = capacity_of(locked, fmt)
        if current in (GOING[fmt], WAITLISTED[fmt]):
            state = current  # clicking "going" again keeps the seat, or the place in line
        elif capacity is not None and counts(session, meeting.id).get(GOING[fmt], 0) >= capacity:
            state = WAITLISTED[fmt]
    changed = record(session, meeting.id, user_id, state, clicked_at or now)
    superseded = False
    if not changed:
        stands = state_of(session, meeting.id, user_id) or state
        superseded, state = stands != state, stands  # a newer click of theirs came first
    promoted = promote(session, locked, now)
    position = None
    if state in WAITLISTED.values():
        line = [row.user_id for row in waitlist(session, meeting.id, FORMAT_OF[state])]
        position = line.index(user_id) + 1 if user_id in line else None
    return Click(
        state=state,
        changed=changed,
        promoted=promoted,
        waitlist_position=position,
        superseded=superseded,
    )


def promote(session: Session, meeting: Meeting, now: datetime) -> list[str]:
    """Fills free seats from the waitlists, in order; returns who got one."""
    assert meeting.id is not None
    promoted: list[str] = []
    for fmt in ("in-person", "online"):
        capacity = capacity_of(meeting, fmt)
        free = (
            len(waitlist(session, meeting.id, fmt))
            if capacity is None
            else capacity - counts(session, meeting.id).get(GOING[fmt], 0)
        )
        for row in waitlist(session, meeting.id, fmt)[: max(0, free)]:
            promote_row(session, row, GOING[fmt])
            promoted.append(row.user_id)
    return promoted
