"""The two full-text engines, asked the same questions in their own languages.

SQLite: an FTS5 table with the porter stemmer, relevance by bm25 with column weights.
PostgreSQL: a tsvector table with a GIN index, weighted A-D, relevance by ts_rank_cd normalised by
length (bm25 weighs a word in a short record more, too). Each builds its query from folded words
only (see storage.search.words), every word quoted, so no text is ever syntax.

Both rank a bounded set: the newest MAX_RANKED matches. Scoring every match of a word found in
most of 100,000 resources would cost far more than the answer is worth (ranking by relevance
among that many says little); a lookup that matches up to MAX_RANKED resources is ranked whole,
and beyond forty pages of five a lookup wants narrowing, not paging.
Unfinished words are not prefix queries here: the engine completes them to known words first
(both back ends then agree on what a prefix means, and FTS5 prefix scans are slow).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, text
from sqlmodel import Session

from storage.models import UTCDateTime
from storage.search.words import STOP_WORDS, Term

MAX_RANKED = 200
# Column weights, title first. bm25 multiplies each column's score; ts_rank_cd takes {D,C,B,A}.
TITLE, TOPICS, SUMMARY, COMMUNITY = 10.0, 4.0, 2.0, 1.0
# ts_rank_cd's normalization 1 divides by 1 + log(document length).
LENGTH_NORMALIZED = 1


@dataclass(frozen=True)
class Candidate:
    """A matching resource, with what the engine's boosts look at."""

    id: int
    key: str
    relevance: float  # higher is better; comparable within one back end's answer
    about_month: bool  # a topic tag names this month's topic (title or keyword)
    recent: bool  # added or confirmed since the `since` asked about


@dataclass(frozen=True)
class Ranking:
    """What the boosts look for besides the words."""

    month_names: tuple[str, ...]  # this month's topic title and keywords, lower case
    since: datetime


@dataclass(frozen=True)
class PracticeMatch:
    kind: str  # "community" or "volunteer"
    owner_id: int
    practice: str


class Backend(Protocol):
    def candidates(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> list[Candidate]: ...

    def finding(self, session: Session, terms: Sequence[Term]) -> list[bool]:
        """For each term, whether it finds any resource on its own (one statement for all)."""
        ...

    def practices(
        self, session: Session, terms: Sequence[Term], *, every: bool
    ) -> list[PracticeMatch]: ...


def for_session(session: Session) -> Backend:
    if session.get_bind().dialect.name == "postgresql":
        return PostgreSQL()
    return SQLite()


class SQLite:
    def candidates(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> list[Candidate]:
        # FTS5 hands rows over newest first cheaply (ORDER BY rowid DESC), computing bm25 only
        # for the rows kept.
        about, values = _about_month(ranking, tag="t.value")
        statement = text(
            f"""
            WITH matched AS MATERIALIZED (
                SELECT rowid AS id,
                       -bm25(resource_search, {TITLE}, {TOPICS}, {SUMMARY}, {COMMUNITY})
                       AS relevance
                FROM resource_search WHERE resource_search MATCH :query
                ORDER BY rowid DESC LIMIT {MAX_RANKED}
            )
            SELECT m.id, r.key, m.relevance,
                   EXISTS (SELECT 1 FROM json_each(r.topics) AS t WHERE {about}),
                   max(r.added_at, coalesce(r.confirmed_at, r.added_at)) >= :since
            FROM matched AS m JOIN resources AS r ON r.id = m.id
            WHERE r.retired_at IS NULL
            """
        ).bindparams(bindparam("since", type_=UTCDateTime()))
        values |= {"query": _fts5(terms, every=every), "since": ranking.since}
        return _candidates(session.execute(statement, values).all())

    def finding(self, session: Session, terms: Sequence[Term]) -> list[bool]:
        probes = ", ".join(
            f"EXISTS (SELECT 1 FROM resource_search WHERE resource_search MATCH :q{n})"
            for n in range(len(terms))
        )
        values = {f"q{n}": _fts5_term(term) for n, term in enumerate(terms)}
        return [bool(found) for found in session.execute(text(f"SELECT {probes}"), values).one()]

    def practices(
        self, session: Session, terms: Sequence[Term], *, every: bool
    ) -> list[PracticeMatch]:
        statement = text(
            "SELECT kind, owner_id, practice FROM practice_search "
            "WHERE practice_search MATCH :q ORDER BY rank"
        )
        rows = session.execute(statement, {"q": _fts5(terms, every=every)}).all()
        return [PracticeMatch(kind, int(owner_id), practice) for kind, owner_id, practice in rows]


class PostgreSQL:
    def candidates(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> list[Candidate]:
        weights = f"'{{{COMMUNITY / TITLE}, {SUMMARY / TITLE}, {TOPICS / TITLE}, 1.0}}'"
        about, values = _about_month(ranking, tag="t")
        # One table, newest first: the planner walks the key backwards when the words are
        # common, or takes the GIN index when they are rare; ts_rank_cd only for the rows kept.
        statement = text(
            f"""
            SELECT resource_id, key,
                   ts_rank_cd({weights}, document, to_tsquery('english', :query),
                              {LENGTH_NORMALIZED}),
                   EXISTS (SELECT 1 FROM json_array_elements_text(topics) AS t WHERE {about}),
                   freshest >= :since
            FROM resource_search
            WHERE document @@ to_tsquery('english', :query)
            ORDER BY resource_id DESC LIMIT {MAX_RANKED}
            """
        ).bindparams(bindparam("since", type_=UTCDateTime()))
        values |= {"query": _tsquery(terms, every=every), "since": ranking.since}
        return _candidates(session.execute(statement, values).all())

    def finding(self, session: Session, terms: Sequence[Term]) -> list[bool]:
        # Each planned as if all matches were wanted (the GIN index for a rare word, where
        # LIMIT 1 alone would pick a walk through the whole table), read lazily: one will do.
        probes = ", ".join(
            f"""EXISTS (WITH matched AS MATERIALIZED (
                    SELECT resource_id FROM resource_search
                    WHERE document @@ to_tsquery('english', :q{n}))
                SELECT 1 FROM matched)"""
            for n in range(len(terms))
        )
        values = {f"q{n}": _tsquery_term(term) for n, term in enumerate(terms)}
        return [bool(found) for found in session.execute(text(f"SELECT {probes}"), values).one()]

    def practices(
        self, session: Session, terms: Sequence[Term], *, every: bool
    ) -> list[PracticeMatch]:
        statement = text(
            """
            SELECT kind, owner_id, practice
            FROM practice_search, to_tsquery('english', :q) AS q (query)
            WHERE document @@ q.query
            ORDER BY ts_rank_cd(document, q.query) DESC, id
            """
        )
        rows = session.execute(statement, {"q": _tsquery(terms, every=every)}).all()
        return [PracticeMatch(kind, int(owner_id), practice) for kind, owner_id, practice in rows]


def _candidates(rows: Iterable[tuple[Any, ...]]) -> list[Candidate]:
    return [
        Candidate(int(id_), key, float(relevance), bool(month), bool(recent))
        for id_, key, relevance, month, recent in rows
    ]


def _about_month(ranking: Ranking, *, tag: str) -> tuple[str, dict[str, Any]]:
    """SQL true when the tag `tag` holds one of the month's names as whole words (and the
    values it binds): "RFP reform" is about a month whose topic has the keyword RFP."""
    if not ranking.month_names:
        return "FALSE", {}
    spaced = f"(' ' || lower({tag}) || ' ')"
    tests = " OR ".join(
        f"{spaced} LIKE :month{n} ESCAPE '\\'" for n in range(len(ranking.month_names))
    )
    values = {
        f"month{n}": f"% {_like_escaped(name)} %" for n, name in enumerate(ranking.month_names)
    }
    return f"({tests})", values


def _like_escaped(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ways(term: Term) -> list[tuple[tuple[str, ...], bool]]:
    """The words (and whether as a phrase) any of which satisfies `term`."""
    return [
        (term.words if term.phrase else _without_stop_words(term.words), term.phrase),
        *(((word,), False) for word in term.completions),
        *((_without_stop_words(alternative.words), False) for alternative in term.also),
    ]


def _without_stop_words(words: tuple[str, ...]) -> tuple[str, ...]:
    # PostgreSQL drops them itself; FTS5 would demand them ("request for proposals").
    return tuple(word for word in words if word not in STOP_WORDS) or words


# FTS5 query text: every word in double quotes (a string, never an operator); the words hold
# only letters and digits, so there is no quote inside to escape.


def _fts5(terms: Sequence[Term], *, every: bool) -> str:
    return f" {'AND' if every else 'OR'} ".join(_fts5_term(term) for term in terms)


def _fts5_term(term: Term) -> str:
    return f"({' OR '.join(_fts5_words(words, phrase) for words, phrase in _ways(term))})"


def _fts5_words(words: tuple[str, ...], phrase: bool) -> str:
    if phrase:
        return _fts5_quoted(" ".join(words))
    return f"({' AND '.join(_fts5_quoted(word) for word in words)})"


def _fts5_quoted(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


# tsquery text: every word in single quotes (a lexeme, never an operator), phrases joined by <->
# (PostgreSQL keeps the distance of the stop words it drops from them).


def _tsquery(terms: Sequence[Term], *, every: bool) -> str:
    return f" {'&' if every else '|'} ".join(_tsquery_term(term) for term in terms)


def _tsquery_term(term: Term) -> str:
    return f"({' | '.join(_tsquery_words(words, phrase) for words, phrase in _ways(term))})"


def _tsquery_words(words: tuple[str, ...], phrase: bool) -> str:
    # The words are letters and digits; escaping anyway costs nothing if that ever changes.
    quoted = [f"'{_tsquery_escaped(word)}'" for word in words]
    return f"({(' <-> ' if phrase else ' & ').join(quoted)})"


def _tsquery_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")
