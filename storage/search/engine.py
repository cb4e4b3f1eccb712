"""`find`: a resource lookup that answers like a good librarian.

Every word must match (stemmed, and as a prefix: "recruit" finds recruiting and recruitment), a
synonym counting as the word (LEP finds "language access"). When nothing matches, a word that
finds nothing is corrected against the words the index holds ("procurment" -> procurement) and
the lookup says so; failing that, any word may match. Alongside the resources come the peers:
communities whose practices, and members whose offers, match the words. With no resources at
all, the topics nearest the words are suggested instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from storage.models import Community, PeerVolunteer, Resource, Topic
from storage.search import backends, lexicon
from storage.search.backends import Backend, Page, PracticeMatch, Ranking
from storage.search.lexicon import Lexicon
from storage.search.words import MAX_QUERY_CHARS, Term, cleaned, folded_words, terms, with_word

RECENT = timedelta(days=90)  # added or confirmed within this: "recent"
MAX_PEERS = 5
MAX_VOLUNTEERS = 5
MAX_PAGE = 50

__all__ = ["MAX_QUERY_CHARS", "Found", "Hit", "Peer", "Volunteer", "find"]


@dataclass(frozen=True)
class Hit:
    resource: Resource
    community: Community | None  # the contributing community, if any
    score: float  # higher is better; comparable only within one Found


@dataclass(frozen=True)
class Peer:
    """A community whose practices match the words."""

    community_key: str
    name: str
    practices: tuple[str, ...]  # the community's practices that matched
    contacts: tuple[str, ...]  # Slack user IDs


@dataclass(frozen=True)
class Volunteer:
    """A member who volunteered as a contact for a practice that matches the words."""

    user_id: str
    practice: str
    community_key: str | None


@dataclass(frozen=True)
class Found:
    words: str  # the text as searched; escape it before display
    hits: tuple[Hit, ...]  # this page, best first
    total: int  # how many resources matched in all
    did_you_mean: str | None  # the corrected words, when the hits are for them
    synonyms_used: tuple[tuple[str, str], ...]  # (term as typed, what it also searched for)
    peers: tuple[Peer, ...]
    volunteers: tuple[Volunteer, ...]
    closest_topics: tuple[Topic, ...]  # when there are no hits: the nearest chosen topics


def find(session: Session, text: str, *, today: date, limit: int = 5, offset: int = 0) -> Found:
    """Never raises on any str (any Unicode, punctuation, quotes, up to 3000+ chars)."""
    words = cleaned(text)
    known = lexicon.current(session)
    backend = backends.for_session(session)
    wanted = terms(words, known.synonyms, known.longest_synonym)
    ranking = _ranking(known, today)
    limit, offset = max(0, min(limit, MAX_PAGE)), max(0, offset)

    def search(these: Sequence[Term], *, every: bool) -> Page:
        return backend.ranked(
            session, these, every=every, ranking=ranking, limit=limit, offset=offset
        )

    page = search(wanted, every=True) if wanted else Page((), (), 0)
    did_you_mean = None
    if wanted and not page.total:
        corrected = _corrected(session, backend, known, wanted)
        if corrected != wanted:
            page = search(corrected, every=True)
            if not page.total and len(corrected) > 1:
                page = search(corrected, every=False)
            if page.total:
                wanted, did_you_mean = corrected, _respelled(words, wanted, corrected)
        if not page.total and len(wanted) > 1:
            page = search(wanted, every=False)
    practices = backend.practices(session, wanted) if wanted else []
    return Found(
        words=words,
        hits=_hits(session, page),
        total=page.total,
        did_you_mean=did_you_mean,
        synonyms_used=tuple(
            (term.shown, alternative.shown) for term in wanted for alternative in term.also
        ),
        peers=_peers(session, practices),
        volunteers=_volunteers(session, practices),
        closest_topics=() if page.total else _closest_topics(session, known, words),
    )


def _ranking(known: Lexicon, today: date) -> Ranking:
    topic = known.month_topic(today.strftime("%Y-%m"))
    names = tuple(tuple(folded_words(name)) for name in topic.names) if topic else ()
    since = datetime.combine(today - RECENT, time(), tzinfo=UTC)
    return Ranking(month_names=tuple(words for words in names if words), recent_since=since)


def _corrected(
    session: Session, backend: Backend, known: Lexicon, wanted: tuple[Term, ...]
) -> tuple[Term, ...]:
    """`wanted` with each loose word that finds nothing replaced by the known word nearest it."""
    corrected = []
    for term in wanted:
        if term.phrase or term.also or backend.finds_anything(session, term):
            corrected.append(term)
            continue
        word = known.vocabulary(session).correction(term.words[0])
        better = with_word(term, word, known.synonyms) if word else None
        # The vocabulary also holds words only topics use: a correction must find something.
        found = better is not None and backend.finds_anything(session, better)
        corrected.append(better if better is not None and found else term)
    return tuple(corrected)


def _respelled(words: str, wanted: Sequence[Term], corrected: Sequence[Term]) -> str:
    respelled = words
    for before, after in zip(wanted, corrected, strict=True):
        if before != after:
            typed = re.compile(rf"(?<!\w){re.escape(before.shown)}(?!\w)")
            respelled = typed.sub(after.shown.replace("\\", r"\\"), respelled, count=1)
    return respelled


def _hits(session: Session, page: Page) -> tuple[Hit, ...]:
    if not page.ids:
        return ()
    rows = session.exec(
        select(Resource, Community)
        .join(Community, col(Resource.community_id) == col(Community.id), isouter=True)
        .where(col(Resource.id).in_(page.ids))
    ).all()
    by_id = {resource.id: (resource, community) for resource, community in rows}
    return tuple(
        Hit(resource=by_id[i][0], community=by_id[i][1], score=score)
        for i, score in zip(page.ids, page.scores, strict=True)
        if i in by_id
    )


def _peers(session: Session, practices: Sequence[PracticeMatch]) -> tuple[Peer, ...]:
    matched: dict[int, list[str]] = {}
    for match in practices:
        if match.kind == "community" and match.practice not in matched.get(match.owner_id, []):
            matched.setdefault(match.owner_id, []).append(match.practice)
    if not matched:
        return ()
    rows = session.exec(select(Community).where(col(Community.id).in_(matched))).all()
    ranked = sorted(rows, key=lambda row: (-len(matched[row.id or 0]), row.name, row.key))
    return tuple(
        Peer(
            community_key=row.key,
            name=row.name,
            practices=tuple(matched[row.id or 0]),
            contacts=tuple(row.contacts),
        )
        for row in ranked[:MAX_PEERS]
    )


def _volunteers(session: Session, practices: Sequence[PracticeMatch]) -> tuple[Volunteer, ...]:
    ids = [match.owner_id for match in practices if match.kind == "volunteer"]
    if not ids:
        return ()
    rows = session.exec(
        select(PeerVolunteer, Community.key)
        .join(Community, col(PeerVolunteer.community_id) == col(Community.id), isouter=True)
        .where(col(PeerVolunteer.id).in_(ids))
    ).all()
    order = {owner_id: n for n, owner_id in enumerate(ids)}
    chosen: list[Volunteer] = []
    for row, community_key in sorted(rows, key=lambda pair: order[pair[0].id or 0]):
        if all(volunteer.user_id != row.user_id for volunteer in chosen):
            chosen.append(Volunteer(row.user_id, row.practice, community_key))
    return tuple(chosen[:MAX_VOLUNTEERS])


def _closest_topics(session: Session, known: Lexicon, words: str) -> tuple[Topic, ...]:
    ids = known.closest_topics(words)
    if not ids:
        return ()
    rows = {row.id: row for row in session.exec(select(Topic).where(col(Topic.id).in_(ids)))}
    return tuple(rows[i] for i in ids if i in rows)
