"""RSVPs: one row per (meeting, member)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import Rsvp

# Both back ends speak INSERT … ON CONFLICT; each dialect has its own construct for it.
UPSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def state_of(session: Session, meeting_id: int, user_id: str) -> str | None:
    row = session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting_id).where(Rsvp.user_id == user_id)
    ).first()
    return row.state if row else None


def record(session: Session, meeting_id: int, user_id: str, state: str, now: datetime) -> bool:
    """The member's RSVP becomes `state`, in one statement; False if it already was.

    An upsert on the (meeting, member) constraint: two clicks racing each other, or Slack
    retrying one, still leave one row, and the second finds nothing to change.
    """
    insert = UPSERTS[session.get_bind().dialect.name](Rsvp).values(
        meeting_id=meeting_id, user_id=user_id, state=state, updated_at=now
    )
    upsert = insert.on_conflict_do_update(
        index_elements=["meeting_id", "user_id"],
        set_={"state": insert.excluded.state, "updated_at": insert.excluded.updated_at},
        where=col(Rsvp.state) != insert.excluded.state,
    )
    # RETURNING yields a row only when one was written; rowcount is not reliable here on every
    # driver once RETURNING is involved.
    return session.execute(upsert.returning(col(Rsvp.id))).first() is not None
