"""The two full-text engines, asked the same questions in their own languages.

SQLite: an FTS5 table with the porter stemmer, ranked by bm25 with column weights. PostgreSQL:
a tsvector table with a GIN index, weighted A-D, ranked by ts_rank_cd. Each builds its query from
folded words only (see storage.search.words), every word quoted, so no text is ever syntax.

Ranking, the same on both: text relevance (title > topics > summary > contributing community),
multiplied by a boost for this month's topic (its title or a keyword among the resource's topics)
and one for resources added or confirmed lately; ties go to the resource key, so the two back
ends agree on the order of equals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, text
from sqlmodel import Session

from storage.models import UTCDateTime
from storage.search.words import Term

# Column weights, title first. bm25 multiplies each column's score; ts_rank_cd takes {D,C,B,A}.
TITLE, TOPICS, SUMMARY, COMMUNITY = 10.0, 4.0, 2.0, 1.0
MONTH_BOOST = 0.3  # this month's topic: +30 %
RECENT_BOOST = 0.2  # added or confirmed lately: +20 %


@dataclass(frozen=True)
class Ranking:
    """What the boosts look for besides the words."""

    month_names: tuple[tuple[str, ...], ...]  # this month's topic title and keywords, folded
    recent_since: datetime


@dataclass(frozen=True)
class Page:
    ids: tuple[int, ...]  # best first
    scores: tuple[float, ...]
    total: int


@dataclass(frozen=True)
class PracticeMatch:
    kind: str  # "community" or "volunteer"
    owner_id: int
    practice: str


class Backend(Protocol):
    def ranked(
        self,
        session: Session,
        terms: Sequence[Term],
        *,
        every: bool,
        ranking: Ranking,
        limit: int,
        offset: int,
    ) -> Page: ...

    def finds_anything(self, session: Session, term: Term) -> bool: ...

    def practices(self, session: Session, terms: Sequence[Term]) -> list[PracticeMatch]: ...


def for_session(session: Session) -> Backend:
    if session.get_bind().dialect.name == "postgresql":
        return PostgreSQL()
    return SQLite()


class SQLite:
    def ranked(
        self,
        session: Session,
        terms: Sequence[Term],
        *,
        every: bool,
        ranking: Ranking,
        limit: int,
        offset: int,
    ) -> Page:
        month = _fts5_any(ranking.month_names, column="topics")
        month_boost = (
            "(r.id IN (SELECT rowid FROM resource_search WHERE resource_search MATCH :month))"
            if month
            else "0"
        )
        # bm25() cannot sit beside a window function: rank first, count and boost after.
        statement = text(
            f"""
            WITH matched AS MATERIALIZED (
                SELECT rowid AS id,
                       -bm25(resource_search, {TITLE}, {TOPICS}, {SUMMARY}, {COMMUNITY})
                       AS relevance
                FROM resource_search WHERE resource_search MATCH :query
            )
            SELECT r.id AS id,
                   m.relevance
                   * (1.0 + {MONTH_BOOST} * {month_boost}
                          + {RECENT_BOOST} * (max(r.added_at, coalesce(r.confirmed_at, r.added_at))
                                              >= :since))
                   AS score,
                   count(*) OVER () AS total
            FROM matched AS m JOIN resources AS r ON r.id = m.id
            WHERE r.retired_at IS NULL
            ORDER BY score DESC, r.key
            LIMIT :limit OFFSET :offset
            """
        ).bindparams(bindparam("since", type_=UTCDateTime()))
        values = {
            "query": _fts5(terms, every=every),
            "since": ranking.recent_since,
            "limit": limit,
            "offset": offset,
        }
        if month:
            values["month"] = month
        return _page(session.execute(statement, values).all())

    def finds_anything(self, session: Session, term: Term) -> bool:
        statement = text("SELECT 1 FROM resource_search WHERE resource_search MATCH :q LIMIT 1")
        return session.execute(statement, {"q": _fts5_term(term)}).first() is not None

    def practices(self, session: Session, terms: Sequence[Term]) -> list[PracticeMatch]:
        statement = text(
            "SELECT kind, owner_id, practice FROM practice_search "
            "WHERE practice_search MATCH :q ORDER BY rank"
        )
        rows = session.execute(statement, {"q": _fts5(terms, every=False)}).all()
        return [PracticeMatch(kind, int(owner_id), practice) for kind, owner_id, practice in rows]


class PostgreSQL:
    def ranked(
        self,
        session: Session,
        terms: Sequence[Term],
        *,
        every: bool,
        ranking: Ranking,
        limit: int,
        offset: int,
    ) -> Page:
        month = _tsquery_any(ranking.month_names, weight="B")
        month_boost = "(s.document @@ to_tsquery('english', :month))::int" if month else "0"
        weights = f"'{{{COMMUNITY / TITLE}, {SUMMARY / TITLE}, {TOPICS / TITLE}, 1.0}}'"
        statement = text(
            f"""
            SELECT r.id AS id,
                   ts_rank_cd({weights}, s.document, q.query)
                   * (1.0 + {MONTH_BOOST} * {month_boost}
                          + {RECENT_BOOST}
                            * (greatest(r.added_at, r.confirmed_at) >= :since)::int)
                   AS score,
                   count(*) OVER () AS total
            FROM to_tsquery('english', :query) AS q (query),
                 resource_search AS s JOIN resources AS r ON r.id = s.resource_id
            WHERE s.document @@ q.query AND r.retired_at IS NULL
            ORDER BY score DESC, r.key
            LIMIT :limit OFFSET :offset
            """
        ).bindparams(bindparam("since", type_=UTCDateTime()))
        values = {
            "query": _tsquery(terms, every=every),
            "since": ranking.recent_since,
            "limit": limit,
            "offset": offset,
        }
        if month:
            values["month"] = month
        return _page(session.execute(statement, values).all())

    def finds_anything(self, session: Session, term: Term) -> bool:
        statement = text(
            "SELECT 1 FROM resource_search WHERE document @@ to_tsquery('english', :q) LIMIT 1"
        )
        return session.execute(statement, {"q": _tsquery_term(term)}).first() is not None

    def practices(self, session: Session, terms: Sequence[Term]) -> list[PracticeMatch]:
        statement = text(
            """
            SELECT kind, owner_id, practice
            FROM practice_search, to_tsquery('english', :q) AS q (query)
            WHERE document @@ q.query
            ORDER BY ts_rank_cd(document, q.query) DESC, id
            """
        )
        rows = session.execute(statement, {"q": _tsquery(terms, every=False)}).all()
        return [PracticeMatch(kind, int(owner_id), practice) for kind, owner_id, practice in rows]


def _page(rows: Sequence[object]) -> Page:
    return Page(
        ids=tuple(row.id for row in rows),  # type: ignore[attr-defined]
        scores=tuple(float(row.score) for row in rows),  # type: ignore[attr-defined]
        total=int(rows[0].total) if rows else 0,  # type: ignore[attr-defined]
    )


# FTS5 query text: every word in double quotes (a string, never an operator); the words hold
# only letters and digits, so there is no quote inside to escape.


def _fts5(terms: Sequence[Term], *, every: bool) -> str:
    return f" {'AND' if every else 'OR'} ".join(_fts5_term(term) for term in terms)


def _fts5_term(term: Term) -> str:
    ways = [_fts5_words(term.words)]
    if term.prefix:
        ways.append(f"{_fts5_words(term.words)}*")
    ways += [_fts5_words(alternative.words) for alternative in term.also]
    return f"({' OR '.join(ways)})"


def _fts5_words(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words).replace('"', '""') + '"'


def _fts5_any(phrases: tuple[tuple[str, ...], ...], *, column: str) -> str:
    ways = [_fts5_words(words) for words in phrases if words]
    return f"{{{column}}} : ({' OR '.join(ways)})" if ways else ""


# tsquery text: every word in single quotes (a lexeme, never an operator), phrases joined by <->
# (PostgreSQL keeps the distance of the stop words it drops from them).


def _tsquery(terms: Sequence[Term], *, every: bool) -> str:
    return f" {'&' if every else '|'} ".join(_tsquery_term(term) for term in terms)


def _tsquery_term(term: Term) -> str:
    ways = [_tsquery_words(term.words)]
    if term.prefix:
        ways.append(_tsquery_words(term.words, suffix=":*"))
    ways += [_tsquery_words(alternative.words) for alternative in term.also]
    return f"({' | '.join(ways)})"


def _tsquery_words(words: tuple[str, ...], suffix: str = "") -> str:
    # The words are letters and digits; escaping anyway costs nothing if that ever changes.
    quoted = [f"'{_tsquery_escaped(word)}'{suffix}" for word in words]
    return f"({' <-> '.join(quoted)})" if len(quoted) > 1 else quoted[0]


def _tsquery_any(phrases: tuple[tuple[str, ...], ...], *, weight: str) -> str:
    ways = [_tsquery_words(words, suffix=f":{weight}") for words in phrases if words]
    return " | ".join(ways)


def _tsquery_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")
