"""Who attended a working-group meeting: `Rsvp.checked_in_at`, set by the member's "Check in"
click or by a coordinator marking attendance, and counted per person and per municipality.

A check-in is one statement (an upsert on the (meeting, member) constraint), so a double click,
a Slack retry or two replicas racing still leave one row and the first check-in time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.database import upsert
from storage.models import CohortParticipant, Community, Meeting, Rsvp

CHECK_IN_OPENS = timedelta(minutes=15)  # before the start
CHECK_IN_CLOSES = timedelta(hours=24)  # after the end
# Someone who checks in without having RSVP'd is recorded as going. A hybrid meeting's check-in
# button is clicked in Slack, where the online half of the room is: online is the better guess.
STATE_WITHOUT_RSVP = {
    "in-person": "going-in-person",
    "online": "going-online",
    "hybrid": "going-online",
}
NO_COMMUNITY = "no community on file"


@dataclass(frozen=True)
class Summary:
    """How many attended, and how many of them came from each municipality (most first)."""

    attended: int = 0
    by_community: tuple[tuple[str, int], ...] = ()


def check_in_opens(meeting: Meeting) -> datetime:
    return meeting.starts_at - CHECK_IN_OPENS


def check_in_closes(meeting: Meeting) -> datetime:
    return meeting.ends_at + CHECK_IN_CLOSES


def state_without_rsvp(meeting: Meeting) -> str:
    return STATE_WITHOUT_RSVP.get(meeting.format, "going-online")


def check_in(session: Session, meeting: Meeting, user_id: str, now: datetime) -> bool:
    """The member attended; False if they were already checked in (the first time stands).

    A member without an RSVP gets one (going, per the format) in the same statement; an RSVP
    that exists keeps its state, so a check-in never takes or frees a seat.
    """
    assert meeting.id is not None
    insert = upsert(session, Rsvp).values(
        meeting_id=meeting.id,
        user_id=user_id,
        state=state_without_rsvp(meeting),
        updated_at=now,
        checked_in_at=now,
    )
    statement = insert.on_conflict_do_update(
        index_elements=["meeting_id", "user_id"],
        set_={"checked_in_at": insert.excluded.checked_in_at},
        where=col(Rsvp.checked_in_at).is_(None),
    )
    # RETURNING yields a row only when one was written (as in rsvps.record).
    return session.execute(statement.returning(col(Rsvp.id))).first() is not None


def checked_in(session: Session, meeting_id: int) -> list[str]:
    return list(
        session.exec(
            select(Rsvp.user_id)
            .where(Rsvp.meeting_id == meeting_id)
            .where(col(Rsvp.checked_in_at).is_not(None))
            .order_by(col(Rsvp.checked_in_at), col(Rsvp.user_id))
        )
    )


def mark(session: Session, meeting: Meeting, attended: Iterable[str], now: datetime) -> int:
    """A coordinator's list: exactly `attended` are checked in afterwards. Those already checked
    in keep their time; the others are cleared. Returns how many rows changed."""
    assert meeting.id is not None
    wanted = sorted(set(attended))
    changed = sum(check_in(session, meeting, user_id, now) for user_id in wanted)
    cleared = session.execute(
        update(Rsvp)
        .where(col(Rsvp.meeting_id) == meeting.id)
        .where(col(Rsvp.checked_in_at).is_not(None))
        .where(col(Rsvp.user_id).not_in(wanted))
        .values(checked_in_at=None)
    )
    session.expire_all()  # the identity map may hold rows as they were before the statements
    return changed + int(cleared.rowcount or 0)  # type: ignore[attr-defined]


def community_of_each_member(session: Session) -> dict[str, str]:
    """Each member's community name: from the latest cohort they joined, else as a contact."""
    names = dict(session.exec(select(Community.id, Community.name)).all())
    found: dict[str, str] = {}
    participants = select(CohortParticipant).where(col(CohortParticipant.community_id).is_not(None))
    for row in session.exec(participants.order_by(col(CohortParticipant.cohort_id).desc())):
        if row.community_id is not None:
            found.setdefault(row.user_id, names[row.community_id])
    for community in session.exec(select(Community).order_by(col(Community.key))):
        for user_id in community.contacts:
            found.setdefault(user_id, community.name)
    return found


def summaries(session: Session, meeting_ids: Iterable[int]) -> dict[int, Summary]:
    """Each meeting's attendance, per person and per municipality, for many meetings at once."""
    wanted = set(meeting_ids)
    if not wanted:
        return {}
    rows = session.exec(
        select(Rsvp.meeting_id, Rsvp.user_id)
        .where(col(Rsvp.meeting_id).in_(wanted))
        .where(col(Rsvp.checked_in_at).is_not(None))
    ).all()
    communities = community_of_each_member(session) if rows else {}
    tallies: dict[int, Counter[str]] = {meeting_id: Counter() for meeting_id in wanted}
    for meeting_id, user_id in rows:
        tallies[meeting_id][communities.get(user_id, NO_COMMUNITY)] += 1
    return {meeting_id: summary_of(tally) for meeting_id, tally in tallies.items()}


def summary_of(tally: Counter[str]) -> Summary:
    # Most first, then by name; the members without a community come last.
    ordered = sorted(tally.items(), key=lambda item: (item[0] == NO_COMMUNITY, -item[1], item[0]))
    return Summary(attended=sum(tally.values()), by_community=tuple(ordered))
