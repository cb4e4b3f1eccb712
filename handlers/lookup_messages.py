"""What the lookup's ledger messages say, composed when the dispatcher sends them (see
`handlers/reminders.py`): the coordinators' weekly digest of misses, each coordinator's review
DM of a suggestion, and the member's DM telling them what was decided.

Composed at send time, so a review DM for a suggestion another coordinator already decided is
not sent (and one already sent is edited to say who decided), and a digest counts the week's
misses as they are when it goes out.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from handlers import lookup_misses
from handlers import resource_curation_blocks as rcb
from handlers.outgoing import Outgoing, Unwanted
from storage import deliveries, misses, suggestions
from storage.models import (
    Delivery,
    DeliveryState,
    Resource,
    ResourceSuggestion,
    SuggestionState,
)

KINDS = (misses.MISS_DIGEST, *suggestions.KINDS)


def compose(session: Session, row: Delivery) -> Outgoing | Unwanted:
    if row.kind == misses.MISS_DIGEST:
        return miss_digest(session, row)
    suggestion_id = row.payload.get("suggestion")
    suggestion = (
        suggestions.by_id(session, suggestion_id) if isinstance(suggestion_id, int) else None
    )
    if suggestion is None or suggestion.id is None:
        return Unwanted("the suggestion is gone")
    card = rcb.SuggestionCard(
        id=suggestion.id, user_id=suggestion.user_id, fields=suggestions.fields_of(suggestion)
    )
    if row.kind == suggestions.SUGGESTION_REVIEW:
        if suggestion.state != SuggestionState.PENDING:
            return Unwanted("the suggestion was decided already")
        message = rcb.review_request(card)
    elif row.kind == suggestions.SUGGESTION_DECIDED:
        return review_decided(session, row, suggestion, card)
    elif suggestion.state == SuggestionState.APPROVED:
        resource = session.get(Resource, suggestion.resource_id) if suggestion.resource_id else None
        title = resource.title if resource else suggestion.title
        words = (resource.topics[0] if resource and resource.topics else None) or title
        message = rcb.approved_for_member(title, suggestion.decided_by or "", words)
    elif suggestion.state == SuggestionState.REJECTED:
        message = rcb.rejected_for_member(
            suggestion.title, suggestion.decided_by or "", suggestion.reason
        )
    else:
        return Unwanted("the suggestion is not decided yet")
    return Outgoing(text=message.text, blocks=message.blocks)


def review_decided(
    session: Session, row: Delivery, suggestion: ResourceSuggestion, card: rcb.SuggestionCard
) -> Outgoing | Unwanted:
    """The coordinator's review DM, edited in place: who decided, and no buttons left."""
    review = deliveries.by_key(session, str(row.payload.get("review")))
    if review is None or review.state != DeliveryState.SENT or not (review.channel and review.ts):
        return Unwanted("the review DM was never sent")
    resource = session.get(Resource, suggestion.resource_id) if suggestion.resource_id else None
    message = rcb.decided(
        card, suggestion.state, suggestion.decided_by or "", resource.key if resource else None
    )
    return Outgoing(message.text, message.blocks, update=(review.channel, review.ts))


def miss_digest(session: Session, row: Delivery) -> Outgoing | Unwanted:
    try:
        since = datetime.fromisoformat(str(row.payload["from"]))
        until = datetime.fromisoformat(str(row.payload["until"]))
    except (KeyError, ValueError):
        return Unwanted("the digest's week is unreadable")
    found = misses.counts(session, since=since, until=until)
    if not found:
        return Unwanted("no lookup found nothing that week")
    shown = [(miss.example, miss.count) for miss in found[: misses.DIGEST_SIZE]]
    message = lookup_misses.miss_digest(str(row.payload.get("week", "")), shown, len(found))
    return Outgoing(text=message.text, blocks=message.blocks)
