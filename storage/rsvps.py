"""RSVPs: one row per (meeting, member)."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Rsvp


def state_of(session: Session, meeting_id: int, user_id: str) -> str | None:
    row = session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting_id).where(Rsvp.user_id == user_id)
    ).first()
    return row.state if row else None
