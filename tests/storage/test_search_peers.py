"""Peers: communities whose practices match, and members who volunteered as contacts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from storage import peers
from storage.database import Database
from storage.models import Community, PeerVolunteer
from tests.storage.test_search import load_library, lookup

NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def offer(db: Database, user: str, practice: str, community: str | None = None) -> bool:
    with db.transaction(write=True) as session:
        return peers.volunteer(session, user, practice, community_key=community, now=NOW)


def take_back(db: Database, user: str, practice: str) -> bool:
    with db.transaction(write=True) as session:
        return peers.withdraw(session, user, practice)


def test_communities_whose_practices_match_are_peers_with_their_contacts(db: Database) -> None:
    load_library(db)

    found = lookup(db, "language access")

    assert [(p.community_key, p.name, p.practices, p.contacts) for p in found.peers] == [
        ("evanston", "Evanston", ("language access",), ("U0EVANSTN",)),
        ("skokie", "Skokie", ("language access",), ("U0SKOKIE1", "U0SKOKIE2")),
    ]


def test_peers_are_found_through_synonyms_stems_and_typos(db: Database) -> None:
    load_library(db)

    assert [p.community_key for p in lookup(db, "PB").peers] == ["evanston"]
    assert [p.community_key for p in lookup(db, "recruiting").peers] == ["oak-park"]
    assert [p.community_key for p in lookup(db, "procuremnt").peers] == ["chicago"]
    assert lookup(db, "ADA").peers[0].practices == ("ADA transition plan", "accessibility")


def test_practices_with_every_word_come_before_practices_with_some(db: Database) -> None:
    load_library(db)

    # Naperville's "ADA transition plan" shares a word, Flossmoor's practice has both.
    assert [p.community_key for p in lookup(db, "strategic planning").peers] == ["flossmoor"]
    assert [p.community_key for p in lookup(db, "planning budgets").peers] == [
        "evanston",
        "flossmoor",
        "naperville",
    ]


def test_peers_come_even_when_no_resource_matches(db: Database) -> None:
    load_library(db)
    with db.transaction(write=True) as session:
        session.add(Community(key="berwyn", name="Berwyn", practices=["zoning reform"]))

    found = lookup(db, "zoning")

    assert found.total == 0
    assert [p.community_key for p in found.peers] == ["berwyn"]


def test_a_volunteer_is_found_by_their_practice(db: Database) -> None:
    load_library(db)

    assert offer(db, "U0VOLUNT01", "Language Access", community="skokie")
    assert offer(db, "U0VOLUNT02", "interpretation for council meetings")

    found = lookup(db, "LEP")
    assert [(v.user_id, v.practice, v.community_key) for v in found.volunteers] == [
        ("U0VOLUNT01", "Language Access", "skokie")
    ]
    assert [v.user_id for v in lookup(db, "interpreters").volunteers] == ["U0VOLUNT02"]


def test_volunteering_twice_lists_once_and_withdrawing_unlists(db: Database) -> None:
    assert offer(db, "U0VOLUNT01", "language access")
    assert not offer(db, "U0VOLUNT01", "  Language   ACCESS ")
    assert offer(db, "U0VOLUNT02", "language access")
    assert not offer(db, "U0VOLUNT03", "  !!! ")  # no practice in it

    assert take_back(db, "U0VOLUNT01", "LANGUAGE access")
    assert not take_back(db, "U0VOLUNT01", "language access")

    with db.transaction() as session:
        rows = session.exec(select(PeerVolunteer.user_id, PeerVolunteer.practice)).all()
    assert [tuple(row) for row in rows] == [("U0VOLUNT02", "language access")]
    assert [v.user_id for v in lookup(db, "language access").volunteers] == ["U0VOLUNT02"]


def test_an_unknown_community_key_leaves_the_offer_without_a_community(db: Database) -> None:
    assert offer(db, "U0VOLUNT01", "budgeting", community="atlantis")

    assert [v.community_key for v in lookup(db, "budgeting").volunteers] == [None]


def test_at_most_five_peers_and_five_volunteers_most_practices_first(db: Database) -> None:
    with db.transaction(write=True) as session:
        for n in range(7):
            practices = ["hiring"] if n else ["hiring", "hiring panels"]
            session.add(Community(key=f"c{n}", name=f"Town {n}", practices=practices))
    for n in range(7):
        offer(db, f"U0VOLUNT0{n}", "hiring")

    found = lookup(db, "hiring")

    assert len(found.peers) == 5 and len(found.volunteers) == 5
    assert found.peers[0].community_key == "c0"
    assert found.peers[0].practices == ("hiring", "hiring panels")


def test_a_community_leaving_takes_its_practices_with_it(db: Database) -> None:
    with db.transaction(write=True) as session:
        session.add(Community(key="gone", name="Gone", practices=["zoning"]))
    assert [p.community_key for p in lookup(db, "zoning").peers] == ["gone"]

    with db.transaction(write=True) as session:
        session.delete(session.exec(select(Community)).one())

    assert lookup(db, "zoning").peers == ()
