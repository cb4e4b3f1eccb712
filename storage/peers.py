"""Members who volunteer as contacts for a practice: the "who is doing this work?" of lookups."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.database import upsert
from storage.models import Community, PeerVolunteer
from storage.search.words import cleaned, folded_words

MAX_PRACTICE_CHARS = 200


def practice_key(practice: str) -> str:
    """One offer per practice however it is written: "Language  Access" is "language access"."""
    return " ".join(folded_words(practice))


def volunteer(
    session: Session, user_id: str, practice: str, *, community_key: str | None, now: datetime
) -> bool:
    """Lists the member as a contact for the practice; False when already listed (or empty)."""
    shown = cleaned(practice)[:MAX_PRACTICE_CHARS]
    key = practice_key(shown)
    if not key:
        return False
    community_id = None
    if community_key is not None:
        community_id = session.exec(
            select(Community.id).where(Community.key == community_key)
        ).first()
    statement = (
        upsert(session, PeerVolunteer)
        .values(
            user_id=user_id,
            practice=shown,
            practice_key=key,
            community_id=community_id,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "practice_key"])
    )
    # RETURNING yields a row only when one was written (rowcount is not reliable with it).
    return session.execute(statement.returning(col(PeerVolunteer.id))).first() is not None


def withdraw(session: Session, user_id: str, practice: str) -> bool:
    """Takes the member off the practice's contacts; False when they were not listed."""
    row = session.exec(
        select(PeerVolunteer).where(
            col(PeerVolunteer.user_id) == user_id,
            col(PeerVolunteer.practice_key) == practice_key(cleaned(practice)),
        )
    ).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def offers(session: Session, user_id: str) -> list[PeerVolunteer]:
    """The practices a member volunteered for, in the order they offered."""
    return list(
        session.exec(
            select(PeerVolunteer)
            .where(col(PeerVolunteer.user_id) == user_id)
            .order_by(col(PeerVolunteer.created_at), col(PeerVolunteer.id))
        )
    )
