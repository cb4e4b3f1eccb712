"""Cohorts, coaching sessions, who attends them, and the questions for the coach."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from storage.models import (
    CoachingAttendee,
    CoachingQuestion,
    CoachingSession,
    Cohort,
    CohortParticipant,
    Community,
)

MAX_COHORT_CHOICES = 100  # a static_select takes at most 100 options


def session_by_key(
    session: Session, key: str | None, *, lock: bool = False
) -> CoachingSession | None:
    """`lock`: PostgreSQL holds the row until commit, so two clicks on one session take turns
    (SQLite callers already hold the one write lock)."""
    if not key:
        return None
    query = select(CoachingSession).where(CoachingSession.key == key)
    if lock:
        query = query.with_for_update()
    return session.exec(query).first()


def cohort(session: Session, cohort_id: int) -> Cohort | None:
    return session.get(Cohort, cohort_id)


def cohort_by_key(session: Session, key: str | None) -> Cohort | None:
    if not key:
        return None
    return session.exec(select(Cohort).where(Cohort.key == key)).first()


def cohort_choices(session: Session, limit: int = MAX_COHORT_CHOICES) -> list[Cohort]:
    """The newest cohorts (a form offers at most `limit`), by name."""
    newest = session.exec(select(Cohort).order_by(col(Cohort.id).desc()).limit(limit))
    return sorted(newest, key=lambda found: (found.name.casefold(), found.key))


def cohort_names(session: Session, cohort_ids: Iterable[int]) -> dict[int, str]:
    wanted = set(cohort_ids)
    if not wanted:
        return {}
    rows = session.exec(select(Cohort.id, Cohort.name).where(col(Cohort.id).in_(wanted)))
    return {cohort_id: name for cohort_id, name in rows if cohort_id is not None}


def attendee(session: Session, session_id: int, user_id: str) -> CoachingAttendee | None:
    return session.exec(
        select(CoachingAttendee)
        .where(CoachingAttendee.session_id == session_id)
        .where(CoachingAttendee.user_id == user_id)
    ).first()


def attendees(session: Session, session_id: int) -> list[CoachingAttendee]:
    return list(
        session.exec(
            select(CoachingAttendee)
            .where(CoachingAttendee.session_id == session_id)
            .order_by(col(CoachingAttendee.id))
        )
    )


def attendees_of(session: Session, session_ids: Iterable[int]) -> dict[int, list[CoachingAttendee]]:
    """Each session's attendees, for many sessions in one query."""
    found: dict[int, list[CoachingAttendee]] = {session_id: [] for session_id in session_ids}
    if not found:
        return found
    rows = session.exec(
        select(CoachingAttendee)
        .where(col(CoachingAttendee.session_id).in_(list(found)))
        .order_by(col(CoachingAttendee.id))
    )
    for row in rows:
        found[row.session_id].append(row)
    return found


def questions(session: Session, session_id: int) -> list[CoachingQuestion]:
    return list(
        session.exec(
            select(CoachingQuestion)
            .where(CoachingQuestion.session_id == session_id)
            .order_by(col(CoachingQuestion.asked_at), col(CoachingQuestion.id))
        )
    )


def communities_of_cohort(session: Session, cohort_id: int) -> dict[str, str]:
    """Participant's Slack ID → the name of the community they came with."""
    rows = session.exec(
        select(CohortParticipant.user_id, Community.name)
        .join(Community, col(CohortParticipant.community_id) == col(Community.id))
        .where(CohortParticipant.cohort_id == cohort_id)
    )
    return dict(rows.all())


def upcoming_for(
    session: Session, user_id: str, now: datetime, limit: int = 10
) -> list[CoachingSession]:
    """Sessions not yet over where the person is a participant or the coach."""
    attending = select(CoachingAttendee.session_id).where(CoachingAttendee.user_id == user_id)
    rows = session.exec(
        select(CoachingSession)
        .where(col(CoachingSession.cancelled_at).is_(None))
        .where(or_(col(CoachingSession.id).in_(attending), CoachingSession.coach == user_id))
        .where(col(CoachingSession.starts_at) > now.replace(hour=0, minute=0))
        .order_by(col(CoachingSession.starts_at))
    )
    return [s for s in rows if s.ends_at > now][:limit]


def upcoming(session: Session, now: datetime, limit: int = 20) -> list[CoachingSession]:
    """Every session not yet over and not cancelled, soonest first (what coordinators manage)."""
    rows = session.exec(
        select(CoachingSession)
        .where(col(CoachingSession.cancelled_at).is_(None))
        .where(col(CoachingSession.starts_at) > now.replace(hour=0, minute=0))
        .order_by(col(CoachingSession.starts_at), col(CoachingSession.id))
    )
    return [s for s in rows if s.ends_at > now][:limit]


def free_key(session: Session, base: str, coach: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first key that is free or is this coach's session.

    Submitting the same cohort, time and coach again lands on the same session (a double click
    on Save schedules one session); a second group of the cohort at the same time, with another
    coach, gets its own key.
    """
    taken = dict(
        session.exec(
            select(CoachingSession.key, CoachingSession.coach).where(
                col(CoachingSession.key).startswith(base, autoescape=True)
            )
        ).all()
    )
    candidate, number = base, 1
    while candidate in taken and taken[candidate] != coach:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def save_session(
    session: Session,
    key: str,
    *,
    cohort_id: int,
    coach: str,
    starts_at: datetime,
    duration_minutes: int,
    location: str,
    join_url: str | None,
    participants: Sequence[str],
) -> CoachingSession:
    """Creates or updates the session under `key` and makes its attendees `participants`.

    Saving a cancelled session's key again schedules it again. Attendees who stay keep what
    they said (a "can't make it" survives an edit of the place).
    """
    row = session_by_key(session, key, lock=True)
    if row is None:
        row = CoachingSession(key=key, cohort_id=cohort_id, coach=coach, starts_at=starts_at)
    row.cohort_id = cohort_id
    row.coach = coach
    row.starts_at = starts_at
    row.duration_minutes = duration_minutes
    row.location = location
    row.join_url = join_url
    row.cancelled_at = None
    session.add(row)
    session.flush()  # a new session needs its id before its attendees
    assert row.id is not None
    sync_attendees(session, row.id, participants)
    return row


def sync_attendees(session: Session, session_id: int, participants: Iterable[str]) -> None:
    wanted = set(participants)
    present: set[str] = set()
    for row in attendees(session, session_id):
        if row.user_id in wanted:
            present.add(row.user_id)
        else:
            session.delete(row)
    for user_id in sorted(wanted - present):
        session.add(CoachingAttendee(session_id=session_id, user_id=user_id))
    session.flush()


def cancel(session: Session, coaching: CoachingSession, now: datetime) -> bool:
    """Marks the session cancelled; False if it already was."""
    if coaching.cancelled_at is not None:
        return False
    coaching.cancelled_at = now
    session.add(coaching)
    session.flush()
    return True


def decline(session: Session, session_id: int, user_id: str, now: datetime) -> bool:
    """The attendee can't make it; False if they are not an attendee or had already said so.

    One conditional UPDATE: of two racing clicks, exactly one changes the row.
    """
    result = session.execute(
        update(CoachingAttendee)
        .where(col(CoachingAttendee.session_id) == session_id)
        .where(col(CoachingAttendee.user_id) == user_id)
        .where(col(CoachingAttendee.declined_at).is_(None))
        .values(declined_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def add_question(
    session: Session, session_id: int, user_id: str, text: str, now: datetime
) -> tuple[CoachingQuestion, bool]:
    """Stores the question; the same words sent twice (a double click on Send) are kept once.

    Returns the question and whether it is new.
    """
    same = session.exec(
        select(CoachingQuestion)
        .where(CoachingQuestion.session_id == session_id)
        .where(CoachingQuestion.user_id == user_id)
        .where(CoachingQuestion.text == text)
    ).first()
    if same is not None:
        return same, False
    question = CoachingQuestion(session_id=session_id, user_id=user_id, text=text, asked_at=now)
    session.add(question)
    session.flush()
    return question, True
