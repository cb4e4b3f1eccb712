"""`find`: a resource lookup that answers like a good librarian.

Every word must match (stemmed, and as a prefix: "recruit" finds recruiting and recruitment), a
synonym counting as the word (LEP finds "language access"). When nothing matches, a word that
finds nothing is corrected against the words the index holds ("procurment" -> procurement) and
the lookup says so; failing that, any word may match. Alongside the resources come the peers:
communities whose practices, and members whose offers, match the words. With no resources at
all, the topics nearest the words are suggested instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from storage.models import Topic
from storage.search import backends, lexicon
from storage.search.backends import Backend, Hit, Page, PracticeMatch, Ranking
from storage.search.lexicon import Lexicon
from storage.search.words import (
    MAX_QUERY_CHARS,
    PREFIX_FROM,
    Term,
    cleaned,
    terms,
    with_word,
)

RECENT = timedelta(days=90)  # added or confirmed within this: "recent" (see backends' boosts)
MANY_TERMS = 4  # this many terms or more: see find
MAX_PEERS = 5
MAX_VOLUNTEERS = 5
MAX_PAGE = 50

__all__ = ["MAX_QUERY_CHARS", "Found", "Hit", "Peer", "Volunteer", "find"]


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
    total: int  # how many resources matched in all, counted up to MAX_RANKED
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
    wanted = _completed(session, known, terms(words, known.synonyms, known.longest_synonym))
    ranking = _ranking(known, today, limit=limit, offset=offset)

    def ranked(these: Sequence[Term], *, every: bool) -> Page:
        return backend.page(session, these, every=every, ranking=ranking)

    # Text of many words rarely has them all in one resource: ask first which words find
    # anything at all, as the answer will need that; a word that finds nothing settles it.
    finds = backend.finding(session, wanted) if len(wanted) >= MANY_TERMS else None
    nothing = Page(total=0, hits=())
    found = ranked(wanted, every=True) if wanted and (finds is None or all(finds)) else nothing
    did_you_mean = None
    if wanted and not found.total:
        checked = _checked(session, backend, known, wanted, finds)
        corrected = tuple(term for term, _ in checked)
        finding = [term for term, finds_some in checked if finds_some]
        if corrected != wanted and len(finding) == len(corrected):
            found = ranked(corrected, every=True)
        # Any word may match only when most words find something on their own: "human
        # relations commission" is not a question about "human" resources. The words that
        # find nothing are left out of that question: they change neither what matches nor
        # the order, only the cost.
        if not found.total and len(corrected) > 1 and 2 * len(finding) >= len(corrected):
            found = ranked(finding, every=False)
        if found.total and corrected != wanted:
            did_you_mean = _respelled(words, wanted, corrected)
            wanted = corrected
    practices = _practices(session, backend, wanted)
    return Found(
        words=words,
        hits=found.hits,
        total=found.total,
        did_you_mean=did_you_mean,
        synonyms_used=tuple(
            (term.shown, alternative.shown) for term in wanted for alternative in term.also
        ),
        peers=_peers(practices),
        volunteers=_volunteers(practices),
        closest_topics=() if found.total else _closest_topics(session, known, words),
    )


def _ranking(known: Lexicon, today: date, *, limit: int, offset: int) -> Ranking:
    topic = known.month_topic(today.strftime("%Y-%m"))
    names = (" ".join(name.lower().split()) for name in topic.names) if topic else ()
    since = datetime.combine(today - RECENT, time(), tzinfo=UTC)
    return Ranking(
        month_names=tuple(name for name in names if name),
        since=since,
        limit=max(0, min(limit, MAX_PAGE)),
        offset=max(0, offset),
    )


def _completed(session: Session, known: Lexicon, wanted: tuple[Term, ...]) -> tuple[Term, ...]:
    """Unfinished words completed to the known words they begin ("facilit" -> facilitation)."""
    if not any(term.loose and len(term.words[0]) >= PREFIX_FROM for term in wanted):
        return wanted
    vocabulary = known.vocabulary(session)
    return tuple(
        replace(term, completions=vocabulary.completions(term.words[0])) if term.loose else term
        for term in wanted
    )


def _checked(
    session: Session,
    backend: Backend,
    known: Lexicon,
    wanted: tuple[Term, ...],
    finds: Sequence[bool] | None,
) -> list[tuple[Term, bool]]:
    """Each term, corrected when it finds nothing and a known word near it does; and whether
    it finds anything now. `finds`: whether each finds anything, if already asked."""
    if finds is None:
        finds = backend.finding(session, wanted)
    better: dict[int, Term] = {}
    for n, (term, found) in enumerate(zip(wanted, finds, strict=True)):
        word = (
            None if found or not term.loose else known.vocabulary(session).correction(term.words[0])
        )
        if word:
            better[n] = with_word(term, word, known.synonyms)
    # The vocabulary also holds words only topics use: a correction must find something.
    good = backend.finding(session, list(better.values())) if better else []
    corrected = {n: term for (n, term), found in zip(better.items(), good, strict=True) if found}
    return [
        (corrected[n], True) if n in corrected else (term, found)
        for n, (term, found) in enumerate(zip(wanted, finds, strict=True))
    ]


def _respelled(words: str, wanted: Sequence[Term], corrected: Sequence[Term]) -> str:
    respelled = words
    for before, after in zip(wanted, corrected, strict=True):
        if before != after:
            typed = re.compile(rf"(?<!\w){re.escape(before.shown)}(?!\w)")
            respelled = typed.sub(after.shown.replace("\\", r"\\"), respelled, count=1)
    return respelled


def _practices(session: Session, backend: Backend, wanted: tuple[Term, ...]) -> list[PracticeMatch]:
    """Practices that have every word, or failing that, any (asked at once: a practice is a
    few words, and seldom has all of several)."""
    if not wanted:
        return []
    return backend.practices(session, wanted, else_any=len(wanted) > 1)


def _peers(practices: Sequence[PracticeMatch]) -> tuple[Peer, ...]:
    """Communities with the most practices matched first, then by name; five of them."""
    matched: dict[int, list[str]] = {}
    owners: dict[int, PracticeMatch] = {}
    for match in practices:
        if match.kind != "community" or match.name is None or match.key is None:
            continue  # a practice whose community has just gone
        owners.setdefault(match.owner_id, match)
        if match.practice not in matched.setdefault(match.owner_id, []):
            matched[match.owner_id].append(match.practice)
    chosen = sorted(
        owners.values(), key=lambda owner: (-len(matched[owner.owner_id]), owner.name, owner.key)
    )[:MAX_PEERS]
    return tuple(
        Peer(
            community_key=owner.key or "",
            name=owner.name or "",
            practices=tuple(matched[owner.owner_id]),
            contacts=tuple(json.loads(owner.contacts or "[]")),
        )
        for owner in chosen
    )


def _volunteers(practices: Sequence[PracticeMatch]) -> tuple[Volunteer, ...]:
    """Members who offered a practice that matches, best match first, each member once."""
    chosen: list[Volunteer] = []
    for match in practices:
        if match.kind != "volunteer" or match.user_id is None:
            continue
        if all(volunteer.user_id != match.user_id for volunteer in chosen):
            chosen.append(Volunteer(match.user_id, match.practice, match.key))
    return tuple(chosen[:MAX_VOLUNTEERS])


def _closest_topics(session: Session, known: Lexicon, words: str) -> tuple[Topic, ...]:
    ids = known.closest_topics(words)
    if not ids:
        return ()
    rows = {row.id: row for row in session.exec(select(Topic).where(col(Topic.id).in_(ids)))}
    return tuple(rows[i] for i in ids if i in rows)
