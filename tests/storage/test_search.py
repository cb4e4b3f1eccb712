"""The judged queries: what a member types, and what a good librarian would hand back first.

Judged against a fixed library (data/search_library.yaml), on SQLite and on PostgreSQL; and the
two back ends must agree with each other on every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from storage import imports
from storage.database import Database
from storage.models import Resource
from storage.search import Found, find

LIBRARY = Path(__file__).with_name("data") / "search_library.yaml"
# June 2027's topic (Human Relations Commissions) tags no resource, and every resource was added
# long before: no boost sways the judged order. The boosts have tests of their own.
TODAY = date(2027, 6, 15)
ADDED = datetime(2026, 1, 1, tzinfo=UTC)


def load_library(db: Database) -> None:
    imports.import_file(db, LIBRARY)
    with db.transaction(write=True) as session:
        for resource in session.exec(select(Resource)):
            resource.added_at = ADDED
            if resource.key == "old-brochure":
                resource.retired_at = ADDED


def lookup(db: Database, words: str, *, today: date = TODAY, limit: int = 5) -> Found:
    with db.transaction() as session:
        return find(session, words, today=today, limit=limit)


def keys(found: Found) -> list[str]:
    return [hit.key for hit in found.hits]


@dataclass(frozen=True)
class Judged:
    words: str
    first: tuple[str, ...] = ()  # the first results, in this order
    first_any: frozenset[str] = frozenset()  # the first results, in an order left to relevance
    among: frozenset[str] = frozenset()  # also found, further down
    total: int | None = None
    did_you_mean: str | None = None
    synonym: tuple[str, str] | None = None  # one of synonyms_used
    peers: tuple[str, ...] = ()
    closest: tuple[str, ...] = ()  # topic titles suggested when nothing matched
    why: str = field(default="", compare=False)


def judged(words: str, *first: str, why: str, **expected: object) -> Judged:
    return Judged(words, first=first, why=why, **expected)  # type: ignore[arg-type]


JUDGED = [
    # Exact words and stems.
    judged("recruiting playbook", "recruiting-playbook", total=1, why="title words"),
    judged("recruit", "recruiting-playbook", peers=("oak-park",), why="a stem"),
    judged("recruitment", "recruiting-playbook", total=1, why="stem; retired brochure unseen"),
    judged("recruiting", "recruiting-playbook", why="stem of the title word"),
    judged("interpreters", "interpretation-guide", among=frozenset({"lep-plan"}), why="stem"),
    judged("sidewalks", "ada-transition", total=1, why="a plural only in a summary"),
    judged("translation", "glossary", among=frozenset({"lep-plan"}), why="tag beats summary"),
    judged("Skokie", "lep-plan", total=1, why="the contributing community's name"),
    judged(
        "evanston",
        first_any=frozenset({"pb-handbook", "interpretation-guide"}),
        total=2,
        why="both Evanston's resources",
    ),
    # Words found only in summaries.
    judged("ombudsperson", "complaints", total=1, why="a word only in a summary"),
    judged("curb ramps", "ada-transition", total=1, why="two summary words"),
    # Prefixes: an unfinished word.
    judged("ombuds", "complaints", why="prefix of a summary word"),
    judged("facilit", "facilitation", why="prefix of a title word"),
    judged("onboard", "onboarding", why="prefix / stem of onboarding"),
    judged("recruit*", "recruiting-playbook", why="the star is punctuation, not syntax"),
    # Typos.
    judged("procuremnt", "contracting-policy", did_you_mean="procurement", why="typo"),
    judged("intrepretation", "interpretation-guide", did_you_mean="interpretation", why="swap"),
    judged(
        "acessibility",
        "ada-transition",
        did_you_mean="accessibility",
        among=frozenset({"accessible-meetings"}),
        why="a dropped letter, then its synonyms",
    ),
    judged(
        "budgt",
        first_any=frozenset({"budget-lens", "pb-handbook"}),
        did_you_mean="budget",
        why="a dropped letter",
    ),
    judged("procurment", "vendor-outreach", total=2, why="the stemmer forgives this one"),
    # Synonyms, both ways, single and multi-word.
    judged(
        "LEP",
        "lep-plan",
        among=frozenset({"interpretation-guide", "welcoming-city", "glossary"}),
        synonym=("LEP", "language access"),
        peers=("evanston", "skokie"),
        why="acronym to phrase",
    ),
    judged(
        "language access",
        "lep-plan",
        synonym=("language access", "LEP"),
        total=4,
        why="phrase to acronym",
    ),
    judged(
        "HR",
        first_any=frozenset({"interview-panel", "retention-dashboard"}),
        total=2,
        synonym=("HR", "human resources"),
        why="acronym",
    ),
    judged(
        "human resources",
        first_any=frozenset({"interview-panel", "retention-dashboard"}),
        total=2,
        synonym=("human resources", "HR"),
        why="phrase to acronym",
    ),
    judged("PB", "pb-handbook", peers=("evanston",), why="participatory budgeting"),
    judged("ADA", "ada-transition", among=frozenset({"accessible-meetings"}), why="acronym"),
    judged("RFP", "contracting-policy", among=frozenset({"vendor-outreach"}), why="acronym"),
    judged(
        "procurement",
        "contracting-policy",
        "vendor-outreach",
        total=2,
        synonym=("procurement", "RFP"),
        peers=("chicago",),
        why="the policy also speaks of requests for proposals",
    ),
    judged(
        "request for proposals",
        "contracting-policy",
        synonym=("request for proposals", "RFP"),
        why="multi-word synonym, stop word inside",
    ),
    judged(
        "Americans with Disabilities Act",
        "ada-transition",
        synonym=("Americans with Disabilities Act", "ADA"),
        why="long synonym to acronym",
    ),
    # Quoted phrases.
    judged('"participatory budgeting"', "pb-handbook", total=1, why="a quoted phrase"),
    judged('"budget request"', "budget-lens", total=1, why="a phrase only in a summary"),
    judged(
        '"request budget"',
        total=0,
        closest=("Participatory Budgeting",),
        why="a phrase's words in the wrong order; the budget topic is near",
    ),
    judged('health "trusted messengers"', "covid-lessons", total=1, why="word and phrase"),
    judged("“curb ramps”", "ada-transition", why="curly quotes, as phones type them"),
    # Accents, case, punctuation, stop words.
    judged("Guia", "glossary", total=1, why="Guía without its accent"),
    judged("GLOSARIO", "glossary", total=1, why="upper case"),
    judged("covid-19", "covid-lessons", total=1, why="a hyphenated word"),
    judged("the policy audit", "policy-audit", total=1, why="stop word ignored"),
    judged(
        "🙂 hiring!!!",
        first_any=frozenset({"interview-panel", "recruiting-playbook"}),
        peers=("oak-park",),
        why="emoji and punctuation",
    ),
    judged(
        '"equity',
        first_any=frozenset({"budget-lens", "covid-lessons", "onboarding"}),
        why="an unclosed quote quotes nothing",
    ),
    judged("hiring AND OR NOT (", total=2, why="query syntax is just words (stop words here)"),
    # Partly or wholly unknown words.
    judged(
        "hiring zzzz",
        first_any=frozenset({"interview-panel", "recruiting-playbook"}),
        why="one word of two finds something: any word may match",
    ),
    judged("xqzvbn", total=0, why="nonsense: nothing, and no topic near it"),
    judged("brochure", total=0, why="only in a retired resource"),
    judged(
        "human relations commission",
        total=0,
        closest=("Human Relations Commissions",),
        why="a topic with no resources yet; 'human' alone is not the question",
    ),
    judged("commissions", total=0, closest=("Human Relations Commissions",), why="topic word"),
]


@pytest.fixture
def library(db: Database) -> Database:
    load_library(db)
    return db


@pytest.mark.parametrize("case", JUDGED, ids=[case.words for case in JUDGED])
def test_a_judged_query_finds_what_a_librarian_would(library: Database, case: Judged) -> None:
    found = lookup(library, case.words)

    got = keys(found)
    if case.first:
        assert got[: len(case.first)] == list(case.first), case.why
    if case.first_any:
        assert set(got[: len(case.first_any)]) == case.first_any, case.why
    assert case.among <= set(got), case.why
    if case.total is not None:
        assert found.total == case.total, case.why
    assert found.did_you_mean == case.did_you_mean, case.why
    if case.synonym:
        assert case.synonym in found.synonyms_used, case.why
    assert [peer.community_key for peer in found.peers][: len(case.peers)] == list(case.peers)
    assert [topic.title for topic in found.closest_topics] == list(case.closest), case.why
    assert found.words == " ".join(case.words.split())


def test_the_judged_set_is_big_enough() -> None:
    assert len(JUDGED) >= 30
    assert len({case.words for case in JUDGED}) == len(JUDGED)


def test_both_back_ends_give_the_same_top_results(
    sqlite_db: Database, postgres_db: Database
) -> None:
    load_library(sqlite_db)
    load_library(postgres_db)

    for case in JUDGED:
        on_sqlite = lookup(sqlite_db, case.words, limit=50)
        on_postgres = lookup(postgres_db, case.words, limit=50)
        # The same top results as judged (where the judgement leaves an order to relevance,
        # near-equals may come in either order: bm25 and ts_rank are not one formula), and
        # the same resources found in all.
        top = max(len(case.first), len(case.first_any), 1)
        assert set(keys(on_sqlite)[:top]) == set(keys(on_postgres)[:top]), case.words
        assert sorted(keys(on_sqlite)) == sorted(keys(on_postgres)), case.words
        assert on_sqlite.total == on_postgres.total, case.words
        assert on_sqlite.did_you_mean == on_postgres.did_you_mean, case.words
        assert on_sqlite.synonyms_used == on_postgres.synonyms_used, case.words
        assert on_sqlite.peers == on_postgres.peers, case.words
        assert [t.key for t in on_sqlite.closest_topics] == [
            t.key for t in on_postgres.closest_topics
        ], case.words


def test_retired_resources_are_never_found(library: Database) -> None:
    with library.transaction() as session:
        retired = session.exec(select(Resource).where(col(Resource.retired_at).is_not(None)))
        assert [resource.key for resource in retired] == ["old-brochure"]

    assert "old-brochure" not in keys(lookup(library, "outdated recruitment brochure"))
