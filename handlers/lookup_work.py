"""The doing behind `/dei-topic <words>` and its buttons: one search, the miss recorded when
nothing matched, volunteers listed and withdrawn. Returns what to show.

The search reads; only a miss or a volunteer writes, in its own short transaction, so lookups
never queue behind SQLite's one writer.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from handlers import lookup_blocks, lookup_peers
from handlers.blocks import Message
from storage import misses, peers, search
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings


def answer_of(
    found: search.Found, *, user: str, offset: int, coordinator: bool
) -> lookup_blocks.LookupAnswer:
    """What the engine found, as the person sees it."""
    practice = lookup_peers.practice_value(found.did_you_mean or found.words)
    offered = bool(found.hits or found.peers or found.volunteers)
    results = tuple(
        lookup_blocks.ResultCard(
            key=hit.key,
            title=hit.title,
            url=hit.url,
            kind=hit.kind,
            topics=hit.topics,
            summary=hit.summary,
            community=hit.community,
        )
        for hit in found.hits
    )
    return lookup_blocks.LookupAnswer(
        words=found.words,
        results=results,
        total=found.total,
        capped=found.total >= search.MAX_RANKED,
        offset=offset,
        did_you_mean=found.did_you_mean,
        synonyms=found.synonyms_used,
        peers=tuple(
            lookup_peers.PeerCard(name=p.name, practices=p.practices, contacts=p.contacts)
            for p in found.peers
        ),
        volunteers=tuple(
            lookup_peers.VolunteerCard(user_id=v.user_id, practice=v.practice)
            for v in found.volunteers
        ),
        closest_topics=tuple(topic.title for topic in found.closest_topics),
        coordinator=coordinator,
        volunteered=any(
            v.user_id == user and v.practice.casefold() == practice.casefold()
            for v in found.volunteers
        ),
        practice=practice if offered else "",
    )


def look_up(
    db: Database, settings: Settings, user: str, words: str, now: datetime, offset: int = 0
) -> Message:
    today = now.astimezone(settings.timezone).date()
    with db.transaction() as session:
        found = search.find(session, words, today=today, limit=lookup_blocks.PAGE, offset=offset)
    if not found.hits and offset == 0:
        with db.transaction(write=True) as session:
            misses.record(session, words, user_id=user, now=now)
    answer = answer_of(found, user=user, offset=offset, coordinator=settings.is_coordinator(user))
    return lookup_blocks.lookup_answer(answer)


def volunteer(db: Database, user: str, practice: str, now: datetime) -> Message:
    with db.transaction(write=True) as session:
        listed = peers.volunteer(session, user, practice, community_key=None, now=now)
    return lookup_peers.volunteered(practice, listed)


def withdraw(db: Database, user: str, practice: str) -> Message:
    with db.transaction(write=True) as session:
        was_listed = peers.withdraw(session, user, practice)
    return lookup_peers.withdrawn(practice, was_listed)
