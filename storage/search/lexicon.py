"""What lookups know about words, kept in memory per database while the data stays the same.

Synonyms, the topic calendar and the vocabulary (every word a lookup could find, to finish an
unfinished word and for "did you mean") change only when coordinators change data. Triggers give
`search_stamps` a new stamp with every such write; a lookup reads the stamp (one row) and
rebuilds only when it moved. The vocabulary, the costly part, is counted the first time a lookup
needs it (see Lexicon.vocabulary for large libraries).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import json
import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, String, cast, text
from sqlmodel import Session, col, select

from storage.models import Community, Resource, Synonym, Topic
from storage.search.words import (
    PREFIX_FROM,
    STOP_WORDS,
    Alternative,
    folded_words,
    word_counts,
)

log = logging.getLogger(__name__)

# Counting the words of 100,000 resources takes a second or two: then a lookup after a write
# uses the words from before it while a thread counts the new ones. Small libraries count inline.
SLOW_BUILD_SECONDS = 0.25
COUNTING_CHUNK = 200  # resources counted between pauses
MAX_COMPLETIONS = 5  # an unfinished word stands for at most this many known words
CORRECTION_FROM = 4  # shorter words are too ambiguous to correct ("hr" is not a typo of "hi")
CORRECTION_SCORE = 80  # rapidfuzz ratio: "procurment" -> "procurement" is 95
CLOSE_TOPIC_SCORE = 70  # rapidfuzz token_set_ratio of the words and a topic's title or keyword
MAX_CLOSE_TOPICS = 3


@dataclass(frozen=True)
class TopicWords:
    id: int
    month: str
    names: tuple[str, ...]  # the title, then the keywords


class Vocabulary:
    """Every word a lookup can find, with how often it occurs: for finishing and correcting."""

    def __init__(self, counts: Counter[str], *, build_seconds: float = 0.0) -> None:
        self.build_seconds = build_seconds
        self._counts = counts
        self._sorted = sorted(counts)
        self._by_length: dict[int, list[str]] = {}
        for word in sorted(counts, key=lambda word: (-counts[word], word)):
            self._by_length.setdefault(len(word), []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._counts

    def completions(self, start: str) -> tuple[str, ...]:
        """The most frequent known words that begin with `start` (an unfinished word)."""
        if len(start) < PREFIX_FROM or start in self._counts:
            return ()
        first = bisect.bisect_left(self._sorted, start)
        found = itertools.takewhile(
            lambda word: word.startswith(start), itertools.islice(self._sorted, first, None)
        )
        return tuple(heapq.nsmallest(MAX_COMPLETIONS, found, key=self._commonest_first))

    def correction(self, word: str) -> str | None:
        """The known word `word` was most likely meant to be, or None if it is fine or hopeless."""
        if len(word) < CORRECTION_FROM or word in self._counts or not word.isalpha():
            return None
        # A typo rarely changes a word's length by more than two letters.
        candidates = [
            known
            for length in range(len(word) - 2, len(word) + 3)
            for known in self._by_length.get(length, ())
        ]
        best = process.extractOne(
            word, candidates, scorer=fuzz.ratio, score_cutoff=CORRECTION_SCORE
        )
        return best[0] if best else None

    def _commonest_first(self, word: str) -> tuple[int, str]:
        return -self._counts[word], word


@dataclass
class Lexicon:
    stamp: str | None
    synonyms: dict[tuple[str, ...], tuple[Alternative, ...]]
    longest_synonym: int
    topics: tuple[TopicWords, ...]  # the calendar's chosen topics, TBD months left out
    _vocabulary: Vocabulary | None = None
    _previous: Vocabulary | None = None  # the last lexicon's, served while a slow build runs
    _rebuilding: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def month_topic(self, month: str) -> TopicWords | None:
        return next((topic for topic in self.topics if topic.month == month), None)

    def vocabulary(self, session: Session) -> Vocabulary:
        """The words as of this lexicon's stamp; after a write to a large library, the words
        as of the write before until the new ones are counted (a stale word only fails to
        complete or correct, and a correction is checked against the index anyway)."""
        with self._lock:
            if self._vocabulary is not None:
                return self._vocabulary
            previous = self._previous
            if previous is not None and previous.build_seconds > SLOW_BUILD_SECONDS:
                if not self._rebuilding:
                    self._rebuilding = True
                    threading.Thread(
                        target=self._rebuild, args=(_engine(session),), daemon=True
                    ).start()
                return previous
            self._vocabulary = _counted(session)
            return self._vocabulary

    def _rebuild(self, engine: Engine) -> None:
        try:
            with Session(engine) as session:
                vocabulary = _counted(session)
        except Exception:
            log.exception("counting the lookup vocabulary failed; the next lookup counts anew")
            with self._lock:
                self._previous = None  # so the next lookup counts in its own time
                self._rebuilding = False
            return
        with self._lock:
            self._vocabulary = vocabulary

    def closest_topics(self, text: str) -> list[int]:
        """Ids of the topics whose title or a keyword is nearest `text`, nearest first."""
        query = _meaningful(text)
        if not query:
            return []
        names = [(topic, _meaningful(name)) for topic in self.topics for name in topic.names]
        matches = process.extract(
            query,
            [name for _, name in names],
            scorer=fuzz.token_set_ratio,
            score_cutoff=CLOSE_TOPIC_SCORE,
            limit=None,
        )
        best: dict[int, float] = {}
        months: dict[int, str] = {}
        for _, score, index in matches:
            topic = names[index][0]
            best[topic.id] = max(score, best.get(topic.id, 0.0))
            months[topic.id] = topic.month
        ranked = sorted(best, key=lambda topic_id: (-best[topic_id], months[topic_id]))
        return ranked[:MAX_CLOSE_TOPICS]


def _meaningful(text: str) -> str:
    return " ".join(word for word in folded_words(text) if word not in STOP_WORDS)


# Read at the start of every lookup: plain text, no ORM query to build.
_STAMP = text("SELECT stamp FROM search_stamps WHERE id = 1")
_cache: weakref.WeakKeyDictionary[Engine, Lexicon] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def current(session: Session) -> Lexicon:
    """The lexicon of the session's database, rebuilt only when its stamp changed."""
    engine = _engine(session)
    stamp = session.execute(_STAMP).scalar()
    cached = _cache.get(engine)
    if cached is not None and stamp is not None and cached.stamp == stamp:
        return cached
    lexicon = _build(session, stamp)
    if cached is not None:
        lexicon._previous = cached._vocabulary or cached._previous
    if stamp is not None:  # no stamp: never written to, or emptied by hand; cheap to rebuild
        with _cache_lock:
            _cache[engine] = lexicon
    return lexicon


def _engine(session: Session) -> Engine:
    bind: Any = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _build(session: Session, stamp: str | None) -> Lexicon:
    synonyms = _synonym_groups(session.exec(select(Synonym.term, Synonym.means)).all())
    topics = tuple(
        TopicWords(id=row.id, month=row.month, names=(row.title, *row.keywords))
        for row in session.exec(
            select(Topic).where(col(Topic.tbd).is_(False)).order_by(col(Topic.month))
        )
        if row.id is not None
    )
    longest = max((len(words) for words in synonyms), default=1)
    return Lexicon(stamp=stamp, synonyms=synonyms, longest_synonym=longest, topics=topics)


def _synonym_groups(
    rows: Iterable[tuple[str, Sequence[str]]],
) -> dict[tuple[str, ...], tuple[Alternative, ...]]:
    """Each term and each of its meanings stands for all the others: LEP <-> language access."""
    others: dict[tuple[str, ...], dict[tuple[str, ...], str]] = {}
    for term, means in rows:
        group = [(tuple(folded_words(name)), name.strip()) for name in (term, *means)]
        group = [(words, shown) for words, shown in group if _searchable(words)]
        for words, _ in group:
            alternatives = others.setdefault(words, {})
            for other, shown in group:
                if other != words:
                    alternatives.setdefault(other, shown)
    return {
        words: tuple(Alternative(shown=shown, words=other) for other, shown in alternatives.items())
        for words, alternatives in others.items()
        if alternatives
    }


def _searchable(words: tuple[str, ...]) -> bool:
    # Stop words are nothing to PostgreSQL: a synonym of stop words only would find different
    # things on the two back ends.
    return any(word not in STOP_WORDS for word in words)


def _counted(session: Session) -> Vocabulary:
    started = time.perf_counter()
    counts = _word_counts(session)
    return Vocabulary(counts, build_seconds=time.perf_counter() - started)


def _word_counts(session: Session) -> Counter[str]:
    texts: list[str] = []
    for name, practices in session.exec(select(Community.name, Community.practices)):
        texts += (name, *practices)
    for row in session.exec(select(Topic).where(col(Topic.tbd).is_(False))):
        texts += (row.title, row.summary, *row.keywords)
    for term, means in session.exec(select(Synonym.term, Synonym.means)):
        texts += (term, *means)
    counts = word_counts(texts)
    resources = session.execute(
        select(Resource.title, Resource.summary, cast(Resource.topics, String))
        .where(col(Resource.retired_at).is_(None))
        .execution_options(yield_per=COUNTING_CHUNK)
    )
    for chunk in resources.partitions():
        counts.update(
            word_counts(
                text
                for title, summary, tags in chunk
                for text in (title, summary, _json_text(tags))
            )
        )
        # When a thread counts, let lookups have the interpreter between chunks: one long run
        # of C code here would hold every other thread up until it ended.
        time.sleep(0)
    return counts


def _json_text(value: str) -> str:
    # The list's JSON as stored: its words read the same, unless non-ASCII was escaped.
    return " ".join(json.loads(value)) if "\\u" in value else value
