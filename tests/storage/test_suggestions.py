"""Suggestions and coordinators' changes: each recorded with who and when; the first decision
on a suggestion is the only one; keys are the title's slug, made unique."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from storage import resource_changes, suggestions
from storage.database import Database
from storage.models import Delivery, DeliveryState, Resource, ResourceChange
from storage.resource_changes import ResourceFields

NOW = datetime(2026, 11, 25, 15, tzinfo=UTC)
MEMBER = "U0MEMBER01"
COORDINATORS = ("U0COORD001", "U0COORD002")
FIELDS = ResourceFields(
    title="Language Access Plan Template",
    url="https://example.org/lap",
    kind="template",
    summary="A template for a municipal language access plan.",
    topics=("language access",),
)


def ledger(db: Database) -> dict[str, Delivery]:
    with db.transaction() as session:
        return {row.key: row for row in session.exec(select(Delivery))}


def changes(db: Database) -> list[ResourceChange]:
    with db.transaction() as session:
        return list(session.exec(select(ResourceChange).order_by(col(ResourceChange.id))))


def test_slugs_are_plain_and_unique(db: Database) -> None:
    assert resource_changes.slug("Racial Equity Toolkit (2024)!") == "racial-equity-toolkit-2024"
    assert resource_changes.slug("Guía de Equidad") == "guia-de-equidad"
    assert resource_changes.slug("<!channel>") == "channel"
    assert resource_changes.slug("日本語") == "resource"
    assert len(resource_changes.slug("word " * 100)) <= resource_changes.KEY_MAX
    with db.transaction(write=True) as session:
        keys = [
            resource_changes.create(session, FIELDS, by=COORDINATORS[0], now=NOW).key
            for _ in range(3)
        ]
    assert keys == [
        "language-access-plan-template",
        "language-access-plan-template-2",
        "language-access-plan-template-3",
    ]


def test_add_edit_retire_are_each_recorded_with_who_when_and_what(db: Database) -> None:
    by = COORDINATORS[0]
    with db.transaction(write=True) as session:
        resource = resource_changes.create(session, FIELDS, by=by, now=NOW)
        key = resource.key
    later = NOW + timedelta(days=1)
    edited = ResourceFields(**{**FIELDS.__dict__, "summary": "Updated.", "url": None})
    with db.transaction(write=True) as session:
        found = resource_changes.by_key(session, key)
        assert found is not None
        changed = resource_changes.edit(session, found, edited, by=by, now=later)
    assert changed == {
        "url": ["https://example.org/lap", None],
        "summary": [FIELDS.summary, "Updated."],
    }
    with db.transaction(write=True) as session:
        found = resource_changes.by_key(session, key)
        assert found is not None
        assert resource_changes.retire(session, found, by=by, now=later) is True
        assert resource_changes.retire(session, found, by=by, now=later) is False
    with db.transaction() as session:
        stored = resource_changes.by_key(session, key)
        assert stored is not None and stored.id is not None
        assert stored.summary == "Updated." and stored.url is None
        assert stored.confirmed_at == later and stored.retired_at == later
        history = resource_changes.history(session, stored.id)
    assert [(c.action, c.user_id, c.at) for c in history] == [
        ("created", by, NOW),
        ("edited", by, later),
        ("retired", by, later),
    ]
    assert history[0].changes["title"] == [None, FIELDS.title]


def test_a_suggestion_asks_each_coordinator_and_approval_creates_the_resource(
    db: Database,
) -> None:
    with db.transaction(write=True) as session:
        suggestion = suggestions.suggest(
            session, MEMBER, FIELDS, coordinators=COORDINATORS, now=NOW
        )
        suggestion_id = suggestion.id
    assert suggestion_id is not None
    reviews = ledger(db)
    assert set(reviews) == {suggestions.review_key(suggestion_id, c) for c in COORDINATORS}
    assert {row.recipient for row in reviews.values()} == set(COORDINATORS)

    with db.transaction(write=True) as session:
        pending = suggestions.by_id(session, suggestion_id)
        assert pending is not None
        resource = suggestions.approve(
            session, pending, by=COORDINATORS[1], now=NOW, coordinators=COORDINATORS
        )
        assert resource is not None and resource.key == "language-access-plan-template"
        # a second coordinator, a moment later: decided already, nothing more created
        again = suggestions.approve(
            session, pending, by=COORDINATORS[0], now=NOW, coordinators=COORDINATORS
        )
        assert again is None
        assert (
            suggestions.reject(
                session, pending, by=COORDINATORS[0], reason="x", now=NOW, coordinators=COORDINATORS
            )
            is False
        )
    with db.transaction() as session:
        stored = suggestions.by_id(session, suggestion_id)
        assert stored is not None
        assert (stored.state, stored.decided_by) == ("approved", COORDINATORS[1])
        assert len(list(session.exec(select(Resource)))) == 1
    rows = ledger(db)
    assert rows[suggestions.outcome_key(suggestion_id)].recipient == MEMBER
    assert {rows[suggestions.review_key(suggestion_id, c)].state for c in COORDINATORS} == {
        DeliveryState.CANCELLED.value
    }
    # each review DM already sent is edited to say who decided
    decided = [rows[suggestions.decided_key(suggestion_id, c)] for c in COORDINATORS]
    assert {(row.recipient, row.payload["review"]) for row in decided} == {
        (c, suggestions.review_key(suggestion_id, c)) for c in COORDINATORS
    }
    assert [(c.action, c.user_id, c.suggestion_id) for c in changes(db)] == [
        ("approved", COORDINATORS[1], suggestion_id)
    ]


def test_a_rejection_keeps_its_reason_and_creates_nothing(db: Database) -> None:
    with db.transaction(write=True) as session:
        suggestion = suggestions.suggest(session, MEMBER, FIELDS, coordinators=(), now=NOW)
        assert suggestions.reject(
            session,
            suggestion,
            by=COORDINATORS[0],
            reason="Already covered by the GARE toolkit.",
            now=NOW,
            coordinators=COORDINATORS,
        )
        suggestion_id = suggestion.id
    assert suggestion_id is not None
    with db.transaction() as session:
        assert list(session.exec(select(Resource))) == []
        stored = suggestions.by_id(session, suggestion_id)
        assert stored is not None and stored.state == "rejected"
        assert stored.reason == "Already covered by the GARE toolkit."
    assert sorted(ledger(db)) == sorted(
        [
            suggestions.outcome_key(suggestion_id),
            *(suggestions.decided_key(suggestion_id, c) for c in COORDINATORS),
        ]
    )
    (change,) = changes(db)
    assert (change.action, change.resource_id, change.suggestion_id) == (
        "rejected",
        None,
        suggestion_id,
    )
