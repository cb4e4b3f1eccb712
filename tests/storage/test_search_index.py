"""The index keeps in step with every write, and the ranking's boosts, on both back ends."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlmodel import select

from storage import imports
from storage.database import Database
from storage.models import Community, Resource, SearchStamp, Topic
from storage.search import MAX_QUERY_CHARS, backends, find, lexicon
from storage.search.backends import MAX_RANKED, Ranking
from storage.search.words import terms
from tests.storage.test_search import TODAY, keys, load_library, lookup

LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def add(db: Database, key: str, title: str, **fields: object) -> None:
    with db.transaction(write=True) as session:
        values = {"kind": "guide", "summary": "", "topics": [], "added_at": LONG_AGO, **fields}
        session.add(Resource(key=key, title=title, **values))


def edit(db: Database, key: str, **fields: object) -> None:
    with db.transaction(write=True) as session:
        resource = session.exec(select(Resource).where(Resource.key == key)).one()
        for name, value in fields.items():
            setattr(resource, name, value)


def stamp(db: Database) -> str | None:
    with db.transaction() as session:
        return session.exec(select(SearchStamp.stamp)).first()


def test_a_new_resource_is_found_at_once(db: Database) -> None:
    assert lookup(db, "ombudsperson").total == 0

    add(db, "complaints", "Complaint Handling", summary="Setting up an ombudsperson.")

    assert keys(lookup(db, "ombudsperson")) == ["complaints"]
    assert keys(lookup(db, "ombuds")) == ["complaints"]  # the new word completes unfinished ones


def test_an_edit_is_found_under_its_new_words_only(db: Database) -> None:
    add(db, "plan", "Language Access Plan", topics=["language access"])

    edit(db, "plan", title="Translation Services Plan", topics=["translation"])

    assert lookup(db, "language").total == 0
    assert keys(lookup(db, "translation services")) == ["plan"]


def test_retiring_hides_a_resource_and_bringing_it_back_shows_it(db: Database) -> None:
    add(db, "toolkit", "Racial Equity Toolkit")

    edit(db, "toolkit", retired_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert lookup(db, "toolkit").total == 0

    edit(db, "toolkit", retired_at=None)
    assert keys(lookup(db, "toolkit")) == ["toolkit"]


def test_a_deleted_resource_is_gone_from_the_index(db: Database) -> None:
    add(db, "toolkit", "Racial Equity Toolkit")

    with db.transaction(write=True) as session:
        session.delete(session.exec(select(Resource)).one())

    assert lookup(db, "toolkit").total == 0


def test_a_renamed_community_is_found_under_its_new_name(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Community(key="evanston", name="Evanston", practices=["budgeting"]))
        session.flush()
        community_id = session.exec(select(Community.id)).one()
        session.add(Resource(key="pb", title="Handbook", kind="guide", community_id=community_id))
    assert keys(lookup(db, "evanston")) == ["pb"]

    with db.transaction(write=True) as session:
        community = session.exec(select(Community)).one()
        community.name = "City of Evanston"
        community.practices = ["participatory budgeting", "language access"]

    found = lookup(db, "city evanston")
    assert keys(found) == ["pb"]
    assert [peer.practices for peer in lookup(db, "language access").peers] == [
        ("language access",)
    ]
    assert lookup(db, "budgeting").peers[0].practices == ("participatory budgeting",)


def test_an_import_is_found_and_a_reimport_of_changes_too(db: Database, tmp_path: Path) -> None:
    data = tmp_path / "resources.yaml"
    data.write_text(
        "resources:\n  - {key: lens, title: Budget Equity Lens, kind: template}\n", "utf-8"
    )
    imports.import_file(db, data)
    assert keys(lookup(db, "lens")) == ["lens"]

    data.write_text(
        "resources:\n  - {key: lens, title: Budget Worksheet, kind: template,"
        " summary: Who benefits from each budget request}\n",
        "utf-8",
    )
    imports.import_file(db, data)

    assert lookup(db, "lens").total == 0
    assert keys(lookup(db, '"budget request"')) == ["lens"]


def test_every_write_moves_the_stamp_and_an_unchanged_import_does_not(
    db: Database, tmp_path: Path
) -> None:
    data = tmp_path / "topics.yaml"
    data.write_text("topics:\n  - {month: 2027-01, title: Hiring}\n", "utf-8")
    imports.import_file(db, data)
    first = stamp(db)
    assert first is not None

    imports.import_file(db, data)
    assert stamp(db) == first

    add(db, "guide", "A Guide")
    assert stamp(db) not in (None, first)


def test_a_corrected_word_can_be_one_just_added(db: Database) -> None:
    add(db, "a", "Hiring Guide")
    assert lookup(db, "ombudsprson").did_you_mean is None  # nothing near it yet

    add(db, "b", "Ombudsperson Handbook")

    found = lookup(db, "ombudsprson")
    assert (found.did_you_mean, keys(found)) == ("ombudsperson", ["b"])


def test_this_months_topic_comes_first_among_equals(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Topic(key="2027-03", month="2027-03", title="Procurement", keywords=["RFP"]))
        session.add(Topic(key="2027-04", month="2027-04", title="Budgeting"))
    add(db, "a-budget", "Equity Guide", topics=["budgeting"])
    add(db, "b-rfp", "Equity Guide", topics=["rfp reform"])  # the keyword inside a longer tag

    assert keys(lookup(db, "equity guide", today=date(2027, 3, 10))) == ["b-rfp", "a-budget"]
    assert keys(lookup(db, "equity guide", today=date(2027, 4, 10))) == ["a-budget", "b-rfp"]
    # A month with no topic boosts nothing: equals in key order.
    assert keys(lookup(db, "equity guide", today=date(2027, 5, 10))) == ["a-budget", "b-rfp"]


def test_a_months_name_is_looked_for_within_one_tag_as_tags_change(db: Database) -> None:
    april = date(2027, 4, 10)
    with db.transaction(write=True) as session:
        session.add(Topic(key="2027-04", month="2027-04", title="Hiring Data"))
    add(db, "a-split", "Equity Guide", topics=["Hiring", "Data"])  # both words, two tags
    add(db, "b-within", "Equity Guide", topics=["Hiring data review"])

    assert keys(lookup(db, "equity guide", today=april)) == ["b-within", "a-split"]

    edit(db, "a-split", topics=["HIRING DATA"])  # the tags kept for ranking follow the edit
    assert keys(lookup(db, "equity guide", today=april)) == ["a-split", "b-within"]
    edit(db, "b-within", topics=["Hiring"])
    assert keys(lookup(db, "equity guide", today=april)) == ["a-split", "b-within"]
    edit(db, "a-split", topics=[])
    assert keys(lookup(db, "equity guide", today=april)) == ["a-split", "b-within"]  # key order


def test_words_that_find_nothing_change_neither_what_any_word_finds_nor_its_order(
    db: Database,
) -> None:
    add(db, "a-both", "Procurement Equity Review", summary="Procurement for equity.")
    add(db, "b-procurement", "Procurement Guide")
    add(db, "c-equity", "Equity Toolkit", summary="Equity in hiring.")
    add(db, "d-other", "Park Districts")
    today = date(2027, 3, 10)

    with db.transaction() as session:
        known = lexicon.current(session)
        finding = terms("equity procurement review", known.synonyms, known.longest_synonym)
        nowhere = terms("xyzzy plugh", known.synonyms, known.longest_synonym)
        backend = backends.for_session(session)
        ranking = Ranking(
            month_names=(), since=datetime(2027, 1, 1, tzinfo=UTC), limit=10, offset=0
        )
        with_nothing = backend.page(session, (*nowhere, *finding), every=False, ranking=ranking)
        without = backend.page(session, finding, every=False, ranking=ranking)

    assert with_nothing.total == without.total == 3
    assert [h.key for h in with_nothing.hits] == [h.key for h in without.hits]
    # Most words find something: any of them may match, best first, "did you mean" none.
    for text in ("equity procurement xyzzy", "equity procurement review xyzzy plugh"):
        found = lookup(db, text, today=today)
        assert (found.total, found.did_you_mean) == (3, None), text
        assert keys(found)[0] == "a-both", text
    # Two of five is not most: nothing.
    assert lookup(db, "equity procurement xyzzy plugh frobnitz", today=today).total == 0


def test_a_recently_added_or_confirmed_resource_comes_first_among_equals(db: Database) -> None:
    today = date(2027, 3, 10)
    add(db, "a-old", "Equity Guide")
    add(db, "b-new", "Equity Guide", added_at=datetime(2027, 2, 1, tzinfo=UTC))
    add(db, "c-confirmed", "Equity Guide", confirmed_at=datetime(2027, 3, 1, tzinfo=UTC))

    assert keys(lookup(db, "equity guide", today=today)) == ["b-new", "c-confirmed", "a-old"]
    # Ninety days later neither is recent any more.
    later = today + timedelta(days=120)
    assert keys(lookup(db, "equity guide", today=later)) == ["a-old", "b-new", "c-confirmed"]


def test_relevance_comes_before_the_boosts(db: Database) -> None:
    add(db, "a-summary", "Guide", summary="Notes on procurement.", added_at=datetime.now(UTC))
    add(db, "b-title", "Procurement Guide")

    assert keys(lookup(db, "procurement", today=datetime.now(UTC).date()))[0] == "b-title"


def test_pages_and_totals(db: Database) -> None:
    for n in range(7):
        add(db, f"guide-{n}", f"Equity Guide {n}")

    first, second = lookup(db, "equity", limit=5), None
    with db.transaction() as session:
        second = find(session, "equity", today=TODAY, limit=5, offset=5)

    with db.transaction() as session:
        beyond = find(session, "equity", today=TODAY, limit=5, offset=10)

    assert (first.total, second.total, beyond.total) == (7, 7, 7)
    assert len(first.hits) == 5 and len(second.hits) == 2 and beyond.hits == ()
    assert not set(keys(first)) & set(keys(second))
    assert [hit.score for hit in first.hits] == sorted((h.score for h in first.hits), reverse=True)


def test_a_very_broad_lookup_ranks_the_newest_matches(db: Database) -> None:
    rows = [
        {"key": f"r{n:04d}", "title": f"Equity Note {n}", "kind": "guide", "topics": []}
        | {"summary": "", "added_at": LONG_AGO}
        for n in range(MAX_RANKED + 20)
    ]
    with db.transaction(write=True) as session:
        session.execute(insert(Resource), rows)

    found = lookup(db, "equity", limit=50)

    assert found.total == MAX_RANKED
    assert min(keys(found)) >= "r0020"  # the twenty oldest were not ranked


def test_the_words_come_back_as_searched(db: Database) -> None:
    load_library(db)
    long_text = "hiring " * 1000

    assert lookup(db, "  LEP \n\t plan\x00 ").words == "LEP plan"
    assert len(lookup(db, long_text).words) <= MAX_QUERY_CHARS
    assert lookup(db, long_text).total == 2  # 1000 times the same word is still that word
    assert lookup(db, "").total == 0 and lookup(db, "").closest_topics == ()


def test_a_community_contributes_to_what_its_resources_are_found_by(db: Database) -> None:
    load_library(db)

    hits = lookup(db, "language access").hits

    assert hits[0].community == "Skokie"
    assert hits[0].url is None  # the library gives no address it does not know


def test_after_a_write_to_a_large_library_the_new_words_are_counted_aside(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lexicon, "SLOW_BUILD_SECONDS", -1.0)  # as if the library were huge
    add(db, "a", "Ombudsperson Handbook")
    assert keys(lookup(db, "ombuds")) == ["a"]

    add(db, "b", "Zebrafish Studies")
    # Meanwhile the words from before the write serve: the new one does not complete yet.
    assert lookup(db, "zebraf").total == 0
    deadline = time.monotonic() + 10
    while lookup(db, "zebraf").total == 0 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert keys(lookup(db, "zebraf")) == ["b"]
    assert keys(lookup(db, "ombuds")) == ["a"]
