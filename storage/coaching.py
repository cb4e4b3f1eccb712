"""Cohorts, coaching sessions, who attends them, and the questions for the coach."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, or_, select

from storage.models import (
    CoachingAttendee,
    CoachingQuestion,
    CoachingSession,
    Cohort,
    CohortParticipant,
    Community,
)


def session_by_key(session: Session, key: str | None) -> CoachingSession | None:
    if not key:
        return None
    return session.exec(select(CoachingSession).where(CoachingSession.key == key)).first()


def cohort(session: Session, cohort_id: int) -> Cohort | None:
    return session.get(Cohort, cohort_id)


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
