"""Members' suggested resources: pending until a coordinator approves or rejects them.

A suggestion plans one review DM per coordinator on the delivery ledger. The first decision
wins (a conditional update, so two coordinators clicking at once decide once); the review DMs not
sent yet are cancelled, those sent are edited to say who decided (their buttons go), and the
member's outcome DM is planned, all in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from storage import deliveries, resource_changes
from storage.models import Resource, ResourceSuggestion, SuggestionState
from storage.resource_changes import ResourceFields

SUGGESTION_REVIEW = "suggestion-review"
SUGGESTION_OUTCOME = "suggestion-outcome"
SUGGESTION_DECIDED = "suggestion-decided"  # a review DM edited to say who decided
KINDS = (SUGGESTION_REVIEW, SUGGESTION_OUTCOME, SUGGESTION_DECIDED)
REASON_MAX = 500


def review_key(suggestion_id: int, coordinator: str) -> str:
    return f"{SUGGESTION_REVIEW}:{suggestion_id}:{coordinator}"


def outcome_key(suggestion_id: int) -> str:
    return f"{SUGGESTION_OUTCOME}:{suggestion_id}"


def decided_key(suggestion_id: int, coordinator: str) -> str:
    return f"{SUGGESTION_DECIDED}:{suggestion_id}:{coordinator}"


def fields_of(suggestion: ResourceSuggestion) -> ResourceFields:
    return ResourceFields(
        title=suggestion.title,
        url=suggestion.url,
        kind=suggestion.kind,
        summary=suggestion.summary,
        topics=tuple(suggestion.topics),
    )


def by_id(session: Session, suggestion_id: int) -> ResourceSuggestion | None:
    return session.get(ResourceSuggestion, suggestion_id)


def suggest(
    session: Session,
    user_id: str,
    fields: ResourceFields,
    *,
    coordinators: Sequence[str],
    now: datetime,
) -> ResourceSuggestion:
    """Stores the suggestion and plans a review DM to each coordinator, due now."""
    suggestion = ResourceSuggestion(user_id=user_id, suggested_at=now, **fields.values())
    session.add(suggestion)
    session.flush()
    assert suggestion.id is not None
    for coordinator in coordinators:
        deliveries.plan(
            session,
            review_key(suggestion.id, coordinator),
            kind=SUGGESTION_REVIEW,
            recipient=coordinator,
            due_at=now,
            now=now,
            payload={"suggestion": suggestion.id},
        )
    return suggestion


def _decide(
    session: Session, suggestion: ResourceSuggestion, state: str, by: str, now: datetime
) -> bool:
    """True for the one decision that counts; False when someone decided first."""
    result = session.execute(
        update(ResourceSuggestion)
        .where(col(ResourceSuggestion.id) == suggestion.id)
        .where(col(ResourceSuggestion.state) == SuggestionState.PENDING.value)
        .values(state=state, decided_by=by, decided_at=now)
    )
    session.refresh(suggestion)
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def _close(
    session: Session, suggestion: ResourceSuggestion, coordinators: Sequence[str], now: datetime
) -> None:
    assert suggestion.id is not None
    reviews = [review_key(suggestion.id, coordinator) for coordinator in coordinators]
    deliveries.cancel(session, reviews, now, "another coordinator decided first")
    for coordinator, review in zip(coordinators, reviews, strict=True):
        deliveries.plan(
            session,
            decided_key(suggestion.id, coordinator),
            kind=SUGGESTION_DECIDED,
            recipient=coordinator,
            due_at=now,
            now=now,
            payload={"suggestion": suggestion.id, "review": review},
        )
    deliveries.plan(
        session,
        outcome_key(suggestion.id),
        kind=SUGGESTION_OUTCOME,
        recipient=suggestion.user_id,
        due_at=now,
        now=now,
        payload={"suggestion": suggestion.id},
    )


def approve(
    session: Session,
    suggestion: ResourceSuggestion,
    *,
    by: str,
    now: datetime,
    coordinators: Sequence[str],
    fields: ResourceFields | None = None,
) -> Resource | None:
    """Creates the resource (as suggested, or as the coordinator edited it); None when the
    suggestion was decided already."""
    if not _decide(session, suggestion, SuggestionState.APPROVED.value, by, now):
        return None
    resource = resource_changes.create(
        session,
        fields or fields_of(suggestion),
        by=by,
        now=now,
        action=resource_changes.APPROVED,
        suggestion_id=suggestion.id,
    )
    suggestion.resource_id = resource.id
    session.add(suggestion)
    _close(session, suggestion, coordinators, now)
    return resource


def reject(
    session: Session,
    suggestion: ResourceSuggestion,
    *,
    by: str,
    reason: str,
    now: datetime,
    coordinators: Sequence[str],
) -> bool:
    if not _decide(session, suggestion, SuggestionState.REJECTED.value, by, now):
        return False
    suggestion.reason = reason[:REASON_MAX]
    session.add(suggestion)
    resource_changes.record(
        session,
        resource_changes.REJECTED,
        by=by,
        now=now,
        suggestion_id=suggestion.id,
        changes={"reason": [None, suggestion.reason]} if suggestion.reason else {},
    )
    _close(session, suggestion, coordinators, now)
    return True


def pending(session: Session, limit: int) -> tuple[list[ResourceSuggestion], int]:
    """The oldest `limit` suggestions still waiting for a decision, and how many wait in all."""
    waiting = col(ResourceSuggestion.state) == SuggestionState.PENDING.value
    oldest = session.exec(
        select(ResourceSuggestion)
        .where(waiting)
        .order_by(col(ResourceSuggestion.suggested_at), col(ResourceSuggestion.id))
        .limit(limit)
    )
    total = session.exec(select(func.count()).select_from(ResourceSuggestion).where(waiting)).one()
    return list(oldest), int(total)
