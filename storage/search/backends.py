"""The two full-text engines, asked the same questions in their own languages.

SQLite: an FTS5 table with the porter stemmer, relevance by bm25 with column weights.
PostgreSQL: a tsvector table with a GIN index, weighted A-D, relevance by ts_rank normalised by
length (bm25 weighs a word in a short record more, too). Each builds its query from folded words
only (see storage.search.words), every word quoted, so no text is ever syntax. Both rank and cut
the page in the database: one statement per lookup, however many matches.

Both rank a bounded set: the newest MAX_RANKED matches. Scoring every match of a word found in
most of 100,000 resources would cost far more than the answer is worth (ranking by relevance
among that many says little); a lookup that matches up to MAX_RANKED resources is ranked whole,
and beyond forty pages of five a lookup wants narrowing, not paging.
Unfinished words are not prefix queries here: the engine completes them to known words first
(both back ends then agree on what a prefix means, and FTS5 prefix scans are slow).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import TextClause, bindparam, text
from sqlmodel import Session

from storage.models import UTCDateTime
from storage.search.words import STOP_WORDS, Term

MAX_RANKED = 200
# Column weights, title first. bm25 multiplies each column's score; ts_rank takes {D,C,B,A}.
TITLE, TOPICS, SUMMARY, COMMUNITY = 10.0, 4.0, 2.0, 1.0
# ts_rank's normalization 1 divides by 1 + log(document length).
LENGTH_NORMALIZED = 1
# The boosts multiply relevance: about this month's topic +30 %, added or confirmed lately +20 %.
MONTH_BOOST = 0.3
RECENT_BOOST = 0.2


@dataclass(frozen=True)
class Hit:
    """A resource found, as the answer shows it."""

    key: str
    title: str
    url: str | None  # never invented: a resource whose address nobody gave has none
    kind: str
    topics: tuple[str, ...]
    summary: str
    community: str | None  # the contributing community's name, if any
    score: float  # higher is better; comparable only within one answer


@dataclass(frozen=True)
class Page:
    total: int  # resources matched, counted up to MAX_RANKED
    hits: tuple[Hit, ...]  # the page asked for, best first


@dataclass(frozen=True)
class Ranking:
    """What the boosts look for besides the words, and which page is wanted."""

    month_names: tuple[str, ...]  # this month's topic title and keywords, lower case
    since: datetime
    limit: int
    offset: int


class PracticeMatch(NamedTuple):
    """A practice that matches, with its owner: a community (name, key, contacts as JSON text)
    or a volunteer (user ID, the community they are from). A tuple: a long lookup makes
    hundreds."""

    kind: str  # "community" or "volunteer"
    owner_id: int
    practice: str
    name: str | None = None
    key: str | None = None
    contacts: str | None = None
    user_id: str | None = None


class Backend(Protocol):
    def page(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> Page:
        """The newest MAX_RANKED matches ranked (relevance, raised by the boosts; equals in key
        order), and the page of them asked for, in one statement."""
        ...

    def finding(self, session: Session, terms: Sequence[Term]) -> list[bool]:
        """For each term, whether it finds any resource on its own (one statement for all)."""
        ...

    def practices(
        self, session: Session, terms: Sequence[Term], *, else_any: bool = False
    ) -> list[PracticeMatch]:
        """Practices that match every term, best first, with their owners; with `else_any`,
        if none does, those that match any term (one statement either way)."""
        ...


def for_session(session: Session) -> Backend:
    if session.get_bind().dialect.name == "postgresql":
        return PostgreSQL()
    return SQLite()


def _ranked_page(matched: str, *, binary: str, topics: str) -> str:
    """The statement ranking `matched` (id, key, relevance, about_month, recent) and cutting
    the page, with what the answer shows of each resource: the total on every row, and one row
    of nulls when the page is empty. `binary`: the collation that orders keys by code point, as
    Python does; `topics`: the resource's tags as JSON text."""
    return f"""
        WITH matched AS MATERIALIZED ({matched}),
        scored AS (
            SELECT id, key,
                   relevance * (1.0 + CASE WHEN about_month THEN {MONTH_BOOST} ELSE 0.0 END
                                    + CASE WHEN recent THEN {RECENT_BOOST} ELSE 0.0 END) AS score
            FROM matched
        ),
        page AS (
            SELECT id, key, score FROM scored
            ORDER BY score DESC, key {binary} LIMIT :limit OFFSET :offset
        )
        SELECT (SELECT count(*) FROM matched), page.id, page.score,
               r.key, r.title, r.url, r.kind, r.summary, {topics}, c.name
        FROM (SELECT 1) AS one LEFT JOIN page ON TRUE
        LEFT JOIN resources AS r ON r.id = page.id
        LEFT JOIN communities AS c ON c.id = r.community_id
        ORDER BY page.score DESC, page.key {binary}
        """


def _page(rows: Sequence[Any]) -> Page:
    total = int(rows[0][0]) if rows else 0
    hits = tuple(
        Hit(
            key=key,
            title=title,
            url=url,
            kind=kind,
            topics=tuple(json.loads(topics)),
            summary=summary,
            community=community,
            score=float(score),
        )
        for _, _, score, key, title, url, kind, summary, topics, community in rows
        # No key: the page is empty (or its resource went in this very instant).
        if key is not None
    )
    return Page(total=total, hits=hits)


def _page_values(ranking: Ranking) -> dict[str, Any]:
    return {"since": ranking.since, "limit": ranking.limit, "offset": ranking.offset}


# The owners of the practices matched: communities' names, keys and contacts; volunteers' IDs
# and communities. `p` is the matched practices (id, kind, owner_id, practice).
_OWNERS = """
    SELECT p.kind, p.owner_id, p.practice, c.name, c.key, {contacts}, v.user_id, vc.key, {every}
    FROM {practices}
    LEFT JOIN communities AS c ON p.kind = 'community' AND c.id = p.owner_id
    LEFT JOIN peer_volunteers AS v ON p.kind = 'volunteer' AND v.id = p.owner_id
    LEFT JOIN communities AS vc ON vc.id = v.community_id
    """


@functools.lru_cache(maxsize=256)
def _statement(sql: str, *, dated: bool = False) -> TextClause:
    """The statement for `sql`, made once: parsing a long text for its parameters each time
    was a tenth of a lookup's own time. `dated`: it binds `since`, a time in UTC."""
    statement = text(sql)
    return statement.bindparams(bindparam("since", type_=UTCDateTime())) if dated else statement


def _practice_matches(rows: Iterable[Sequence[Any]]) -> list[PracticeMatch]:
    """Those that match every term if any does, else all (see Backend.practices)."""
    rows = list(rows)
    if any(row[-1] for row in rows):
        rows = [row for row in rows if row[-1]]
    matches = []
    for kind, owner_id, practice, name, key, contacts, user_id, volunteer_key, _ in rows:
        if kind == "community":
            matches.append(PracticeMatch(kind, int(owner_id), practice, name, key, contacts))
        else:
            matches.append(
                PracticeMatch(kind, int(owner_id), practice, key=volunteer_key, user_id=user_id)
            )
    return matches


class SQLite:
    def page(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> Page:
        # FTS5 hands rows over newest first cheaply (ORDER BY rowid DESC), computing bm25 only
        # for the rows kept.
        about, values = _about_month(ranking, test=_SQLITE_TAG_TEST)
        matched = f"""
            SELECT m.id, r.key, m.relevance,
                   EXISTS (SELECT 1 FROM json_each(r.topics) AS t WHERE {about}) AS about_month,
                   max(r.added_at, coalesce(r.confirmed_at, r.added_at)) >= :since AS recent
            FROM (
                SELECT rowid AS id,
                       -bm25(resource_search, {TITLE}, {TOPICS}, {SUMMARY}, {COMMUNITY})
                       AS relevance
                FROM resource_search WHERE resource_search MATCH :query
                ORDER BY rowid DESC LIMIT {MAX_RANKED}
            ) AS m JOIN resources AS r ON r.id = m.id
            WHERE r.retired_at IS NULL
            """
        statement = _statement(_ranked_page(matched, binary="", topics="r.topics"), dated=True)
        values |= {"query": _fts5(terms, every=every)} | _page_values(ranking)
        return _page(session.execute(statement, values).all())

    def finding(self, session: Session, terms: Sequence[Term]) -> list[bool]:
        probes = ", ".join(
            f"EXISTS (SELECT 1 FROM resource_search WHERE resource_search MATCH :q{n})"
            for n in range(len(terms))
        )
        values = {f"q{n}": _fts5_term(term) for n, term in enumerate(terms)}
        return [
            bool(found) for found in session.execute(_statement(f"SELECT {probes}"), values).one()
        ]

    def practices(
        self, session: Session, terms: Sequence[Term], *, else_any: bool = False
    ) -> list[PracticeMatch]:
        # bm25 adds up over the query's phrases whatever joins them: a practice that has every
        # word scores the same under AND as under OR, so one ranking serves both.
        matched = f"""(
            SELECT rowid AS id, kind, owner_id, practice, rank,
                   {
            "rowid IN (SELECT rowid FROM practice_search WHERE practice_search MATCH :every)"
            if else_any
            else "TRUE"
        } AS every
            FROM practice_search WHERE practice_search MATCH :q
        ) AS p"""
        statement = _statement(
            _OWNERS.format(contacts="c.contacts", every="p.every", practices=matched)
            + " ORDER BY p.rank, p.id"
        )
        values = {"q": _fts5(terms, every=not else_any)}
        if else_any:
            values["every"] = _fts5(terms, every=True)
        return _practice_matches(session.execute(statement, values))


class PostgreSQL:
    def page(
        self, session: Session, terms: Sequence[Term], *, every: bool, ranking: Ranking
    ) -> Page:
        weights = f"'{{{COMMUNITY / TITLE}, {SUMMARY / TITLE}, {TOPICS / TITLE}, 1.0}}'"
        about, values = _about_month(ranking, test=_POSTGRESQL_TAGS_TEST)
        # One table, newest first: the planner walks the key backwards when the words are
        # common, or takes the GIN index when they are rare; ts_rank only for the rows kept.
        # (ts_rank_cd, cover density, cost four times as much and ranked the judged set no
        # better.)
        matched = f"""
            SELECT resource_id AS id, key,
                   CAST(ts_rank({weights}, document, to_tsquery('english', :query),
                                {LENGTH_NORMALIZED}) AS DOUBLE PRECISION) AS relevance,
                   {about} AS about_month,
                   freshest >= :since AS recent
            FROM resource_search
            WHERE document @@ to_tsquery('english', :query)
            ORDER BY resource_id DESC LIMIT {MAX_RANKED}
            """
        statement = _statement(
            _ranked_page(matched, binary='COLLATE "C"', topics="CAST(r.topics AS TEXT)"), dated=True
        )
        values |= {"query": _tsquery(terms, every=every)} | _page_values(ranking)
        return _page(session.execute(statement, values).all())

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
        return [
            bool(found) for found in session.execute(_statement(f"SELECT {probes}"), values).one()
        ]

    def practices(
        self, session: Session, terms: Sequence[Term], *, else_any: bool = False
    ) -> list[PracticeMatch]:
        matched = (
            "practice_search AS p CROSS JOIN to_tsquery('english', :q) AS q (query)"
            " CROSS JOIN to_tsquery('english', :every) AS e (query)"
        )
        # Ranked by the query each practice answers: every word if it has them all.
        rank = "ts_rank(p.document, CASE WHEN p.document @@ e.query THEN e.query ELSE q.query END)"
        statement = _statement(
            _OWNERS.format(
                contacts="CAST(c.contacts AS TEXT)",
                every="p.document @@ e.query",
                practices=matched,
            )
            + f" WHERE p.document @@ q.query ORDER BY {rank} DESC, p.id"
        )
        values = {"q": _tsquery(terms, every=not else_any), "every": _tsquery(terms, every=True)}
        return _practice_matches(session.execute(statement, values))


# Where a month's name is looked for: SQLite takes each tag of the resource apart; PostgreSQL's
# index keeps the tags as one text, ' tag \x1f tag ', in lower case (migration 0006).
_SQLITE_TAG_TEST = "(' ' || lower(t.value) || ' ')"
_POSTGRESQL_TAGS_TEST = "tags"


def _about_month(ranking: Ranking, *, test: str) -> tuple[str, dict[str, Any]]:
    """SQL true when a tag holds one of the month's names as whole words (and the values it
    binds): "RFP reform" is about a month whose topic has the keyword RFP. `test`: the text
    the name is looked for in, each tag framed by spaces."""
    if not ranking.month_names:
        return "FALSE", {}
    tests = " OR ".join(
        f"{test} LIKE :month{n} ESCAPE '\\'" for n in range(len(ranking.month_names))
    )
    values = {
        f"month{n}": f"% {_like_escaped(name)} %" for n, name in enumerate(ranking.month_names)
    }
    return f"({tests})", values


def _like_escaped(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _ways(term: Term) -> list[tuple[tuple[str, ...], bool]]:
    """The words (and whether as a phrase) any of which satisfies `term`, each way once."""
    ways = [
        (term.words if term.phrase else _without_stop_words(term.words), term.phrase),
        *(((word,), False) for word in term.completions),
        *((_without_stop_words(alternative.words), False) for alternative in term.also),
    ]
    return list(dict.fromkeys(ways))


def _distinct(terms: Sequence[Term]) -> list[Term]:
    """`terms` without one that asks what an earlier one asked: "hiring and recruitment",
    where each is the other's synonym, is one question (long queries cost by their size)."""
    seen: set[frozenset[tuple[tuple[str, ...], bool]]] = set()
    distinct = []
    for term in terms:
        ways = frozenset(_ways(term))
        if ways not in seen:
            seen.add(ways)
            distinct.append(term)
    return distinct


def _without_stop_words(words: tuple[str, ...]) -> tuple[str, ...]:
    # PostgreSQL drops them itself; FTS5 would demand them ("request for proposals").
    return tuple(word for word in words if word not in STOP_WORDS) or words


# FTS5 query text: every word in double quotes (a string, never an operator); the words hold
# only letters and digits, so there is no quote inside to escape.


def _fts5(terms: Sequence[Term], *, every: bool) -> str:
    return f" {'AND' if every else 'OR'} ".join(_fts5_term(term) for term in _distinct(terms))


@functools.lru_cache(maxsize=1024)
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
    return f" {'&' if every else '|'} ".join(_tsquery_term(term) for term in _distinct(terms))


@functools.lru_cache(maxsize=1024)
def _tsquery_term(term: Term) -> str:
    return f"({' | '.join(_tsquery_words(words, phrase) for words, phrase in _ways(term))})"


def _tsquery_words(words: tuple[str, ...], phrase: bool) -> str:
    # The words are letters and digits; escaping anyway costs nothing if that ever changes.
    quoted = [f"'{_tsquery_escaped(word)}'" for word in words]
    return f"({(' <-> ' if phrase else ' & ').join(quoted)})"


def _tsquery_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("'", "''")
