"""Growing the resource repository through the real `dei-bot run --http` process: a member's
suggestion goes to the coordinators, who approve, edit or reject it; coordinators add, edit and
retire resources directly; forged clicks and forms from members change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from handlers import resource_curation_blocks as rcb
from handlers import resource_curation_modals as rcm
from slack_standin import SlackStandIn
from storage.database import Database
from storage.models import Resource, ResourceChange, ResourceSuggestion
from tests.payloads import (
    COORDINATOR,
    MEMBER,
    block_action,
    event_callback,
    slash_command,
    view_submission,
)
from tests.wiring.conftest import BotProcess, running_bot
from tests.wiring.test_coaching import buttons, eventually, post_json
from tests.wiring.test_http import wait_for_response

SECOND = "U0COORD002"
EVIL_TITLE = "<!channel> Language Access <https://evil.example|Plan>"


@pytest.fixture
def bot(tmp_path: Path, standin: SlackStandIn) -> Iterator[BotProcess]:
    """Two coordinators, so a decision by one is seen by the other."""
    standin.add_user(SECOND, name="second", tz="America/Chicago")
    with running_bot(tmp_path, standin, DEI_COORDINATORS=f"{COORDINATOR},{SECOND}") as running:
        yield running


def values(
    title: str = "Language Access Plan Template",
    link: str | None = "https://example.org/lap",
    kind: str | None = "template",
    topics: str | None = "language access, LEP",
    summary: str | None = "A template for a municipal language access plan.",
) -> dict[str, dict[str, dict[str, Any]]]:
    """What Slack sends for the resource modal: {block_id: {action_id: value}}."""
    chosen = {"text": {"type": "plain_text", "text": kind}, "value": kind} if kind else None
    return {
        rcm.TITLE_BLOCK: {rcm.TITLE_INPUT: {"type": "plain_text_input", "value": title}},
        rcm.LINK_BLOCK: {rcm.LINK_INPUT: {"type": "url_text_input", "value": link}},
        rcm.KIND_BLOCK: {rcm.KIND_INPUT: {"type": "static_select", "selected_option": chosen}},
        rcm.TOPICS_BLOCK: {rcm.TOPICS_INPUT: {"type": "plain_text_input", "value": topics}},
        rcm.SUMMARY_BLOCK: {rcm.SUMMARY_INPUT: {"type": "plain_text_input", "value": summary}},
    }


def open_by_command(bot: BotProcess, standin: SlackStandIn, user: str) -> dict[str, Any]:
    before = len(standin.calls("views.open"))
    command = slash_command("suggest", user=user, trigger_id=standin.trigger_id())
    assert bot.post_signed(command)[0] == 200
    opened = standin.wait_for("views.open", count=before + 1)[-1]
    assert opened.ok, opened.response  # the stand-in refuses views over Slack's limits
    return dict(opened.response["view"])


def click_open(
    bot: BotProcess, standin: SlackStandIn, action_id: str, value: str, user: str = COORDINATOR
) -> dict[str, Any]:
    before = len(standin.calls("views.open"))
    click = block_action(action_id, value, user=user, trigger_id=standin.trigger_id())
    assert bot.post_signed(click)[0] == 200
    opened = standin.wait_for("views.open", count=before + 1)[-1]
    assert opened.ok, opened.response
    return dict(opened.response["view"])


def suggestions(db: Database) -> list[ResourceSuggestion]:
    with db.transaction() as session:
        return list(session.exec(select(ResourceSuggestion).order_by(col(ResourceSuggestion.id))))


def resources(db: Database) -> list[Resource]:
    with db.transaction() as session:
        return list(session.exec(select(Resource).order_by(col(Resource.id))))


def changes(db: Database) -> list[tuple[str, str]]:
    with db.transaction() as session:
        rows = session.exec(select(ResourceChange).order_by(col(ResourceChange.id)))
        return [(row.action, row.user_id) for row in rows]


def dms(standin: SlackStandIn, user: str, containing: str) -> list[dict[str, Any]]:
    return [m for m in standin.messages(user) if containing in m["text"]]


def suggest(bot: BotProcess, standin: SlackStandIn, **fields: Any) -> ResourceSuggestion:
    view = open_by_command(bot, standin, MEMBER)
    before = len(suggestions(bot.db))
    status, answer = post_json(bot, view_submission(view, values(**fields), user=MEMBER))
    assert status == 200 and answer is None, answer  # the modal closes
    stored = suggestions(bot.db)
    assert len(stored) == before + 1
    return stored[-1]


def review_dm(standin: SlackStandIn, user: str, suggestion_id: int) -> dict[str, Any]:
    def found() -> list[dict[str, Any]]:
        return [
            m
            for m in standin.messages(user)
            if buttons(m).get(rcb.APPROVE_SUGGESTION) == [str(suggestion_id)]
        ]

    reviews = eventually(found, 10)
    assert reviews, standin.messages(user)
    return reviews[-1]


# -- a member suggests ---------------------------------------------------------------------------


def test_a_members_suggestion_goes_to_each_coordinator_and_approval_adds_it(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    view = open_by_command(bot, standin, MEMBER)
    assert view["title"]["text"] == "Suggest a resource" and view["private_metadata"] == "suggest"
    suggestion = suggest(bot, standin, title=EVIL_TITLE)
    assert suggestion.state == "pending" and suggestion.user_id == MEMBER
    assert suggestion.topics == ["language access", "LEP"]
    thanks = eventually(lambda: dms(standin, MEMBER, "Thanks!"))
    assert f"<@{COORDINATOR}>" in thanks[-1]["text"] and "<!channel>" not in thanks[-1]["text"]
    assert resources(bot.db) == []

    assert suggestion.id is not None
    review = review_dm(standin, COORDINATOR, suggestion.id)
    other = review_dm(standin, SECOND, suggestion.id)
    shown = json.dumps(review)
    assert f"<@{MEMBER}> suggests" in review["text"]
    assert "<!channel>" not in shown and "<https://evil.example" not in shown
    assert "<https://example.org/lap|&lt;!channel&gt; Language Access" in shown

    url = standin.response_url("approve")
    click = block_action(
        rcb.APPROVE_SUGGESTION, str(suggestion.id), user=SECOND, message=other, response_url=url
    )
    assert bot.post_signed(click)[0] == 200
    decided = wait_for_response(standin, "approve")
    assert decided["replace_original"] is True and f"Approved by <@{SECOND}>" in decided["text"]
    (added,) = resources(bot.db)
    assert added.title == EVIL_TITLE and added.url == "https://example.org/lap"
    assert added.key == "channel-language-access-https-evil-example-plan"
    assert added.kind == "template" and added.topics == ["language access", "LEP"]
    assert changes(bot.db) == [("approved", SECOND)]
    told = eventually(lambda: dms(standin, MEMBER, "Good news"), 10)
    assert told and f"<@{SECOND}>" in told[-1]["text"] and "<!channel>" not in told[-1]["text"]

    # The other coordinator's review DM is edited to say who decided; its buttons go.
    def edited() -> list[dict[str, Any]]:
        found = [m for m in standin.messages(COORDINATOR) if m["ts"] == review["ts"]]
        return [m for m in found if f"Approved by <@{SECOND}>" in m["text"]]

    (now_shown,) = eventually(edited, 10)
    assert buttons(now_shown) == {}
    # A click on it from before the edit changes nothing.
    url = standin.response_url("late")
    late = block_action(
        rcb.APPROVE_SUGGESTION,
        str(suggestion.id),
        user=COORDINATOR,
        message=review,
        response_url=url,
    )
    bot.post_signed(late)
    assert f"already approved by <@{SECOND}>" in wait_for_response(standin, "late")["text"]
    assert len(resources(bot.db)) == 1 and changes(bot.db) == [("approved", SECOND)]


def test_each_invalid_field_comes_back_as_an_error_and_nothing_is_stored(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    view = open_by_command(bot, standin, MEMBER)
    cases = [
        (values(title=""), rcm.TITLE_BLOCK),
        (values(title="   "), rcm.TITLE_BLOCK),
        (values(title="t" * 201), rcm.TITLE_BLOCK),
        (values(link="ftp://example.org/x"), rcm.LINK_BLOCK),
        (values(link="javascript:alert(1)"), rcm.LINK_BLOCK),
        (values(link="https://example.org/a b"), rcm.LINK_BLOCK),
        (values(link="https://example.org/|<!channel>"), rcm.LINK_BLOCK),
        (values(kind=None), rcm.KIND_BLOCK),
        (values(kind="poem"), rcm.KIND_BLOCK),
        (values(topics=",".join(f"t{n}" for n in range(11))), rcm.TOPICS_BLOCK),
        (values(topics="x" * 81), rcm.TOPICS_BLOCK),
        (values(summary="s" * 501), rcm.SUMMARY_BLOCK),
    ]
    for submitted, field in cases:
        status, answer = post_json(bot, view_submission(view, submitted, user=MEMBER))
        assert status == 200 and answer is not None, field
        assert answer["response_action"] == "errors"
        assert set(answer["errors"]) == {field}, (field, answer["errors"])
    assert suggestions(bot.db) == [] and resources(bot.db) == []


def test_a_rejection_asks_a_reason_and_tells_the_member(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    suggestion = suggest(bot, standin)
    assert suggestion.id is not None
    review_dm(standin, COORDINATOR, suggestion.id)
    form = click_open(bot, standin, rcb.REJECT_SUGGESTION, str(suggestion.id))
    assert form["callback_id"] == rcm.REJECT_FORM
    reason = {rcm.REASON_BLOCK: {rcm.REASON_INPUT: {"type": "plain_text_input", "value": "x"}}}
    too_long = {
        rcm.REASON_BLOCK: {rcm.REASON_INPUT: {"type": "plain_text_input", "value": "y" * 501}}
    }
    _, answer = post_json(bot, view_submission(form, too_long, user=COORDINATOR))
    assert answer is not None and set(answer["errors"]) == {rcm.REASON_BLOCK}
    reason[rcm.REASON_BLOCK][rcm.REASON_INPUT]["value"] = "<!channel> We have one already."
    status, answer = post_json(bot, view_submission(form, reason, user=COORDINATOR))
    assert status == 200 and answer is None
    (stored,) = suggestions(bot.db)
    assert stored.state == "rejected" and stored.decided_by == COORDINATOR
    assert stored.reason == "<!channel> We have one already."
    told = eventually(lambda: dms(standin, MEMBER, "decided not to add"), 10)
    assert told, standin.messages(MEMBER)
    assert "&lt;!channel&gt; We have one already." in told[-1]["text"]
    assert "<!channel>" not in json.dumps(told[-1])
    assert resources(bot.db) == [] and changes(bot.db) == [("rejected", COORDINATOR)]


def test_edit_then_approve_adds_the_coordinators_version(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    suggestion = suggest(bot, standin, link=None)
    assert suggestion.id is not None
    form = click_open(bot, standin, rcb.EDIT_SUGGESTION, str(suggestion.id))
    assert form["private_metadata"] == f"review:{suggestion.id}"
    title = next(b for b in form["blocks"] if b.get("block_id") == rcm.TITLE_BLOCK)
    assert title["element"]["initial_value"] == "Language Access Plan Template"
    edited = values(title="Language Access Plan (template)", link=None)
    status, answer = post_json(bot, view_submission(form, edited, user=COORDINATOR))
    assert status == 200 and answer is None
    (added,) = resources(bot.db)
    assert added.title == "Language Access Plan (template)" and added.url is None
    assert added.key == "language-access-plan-template"
    assert suggestions(bot.db)[0].resource_id == added.id
    assert eventually(lambda: dms(standin, MEMBER, "Good news"), 10)


# -- coordinators curate directly ----------------------------------------------------------------


def test_coordinators_add_edit_and_retire_with_every_change_recorded(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    view = open_by_command(bot, standin, COORDINATOR)
    assert view["title"]["text"] == "Add a resource" and view["private_metadata"] == "add"
    assert post_json(bot, view_submission(view, values(), user=COORDINATOR)) == (200, None)
    again = values(title="Language Access Plan Template", link="https://example.org/other")
    assert post_json(bot, view_submission(view, again, user=COORDINATOR)) == (200, None)
    first, second = resources(bot.db)
    assert (first.key, second.key) == (
        "language-access-plan-template",
        "language-access-plan-template-2",
    )
    # the same address twice helps nobody
    _, answer = post_json(bot, view_submission(view, values(), user=COORDINATOR))
    assert answer is not None and set(answer["errors"]) == {rcm.LINK_BLOCK}
    assert eventually(lambda: dms(standin, COORDINATOR, "Added “Language Access Plan"))

    form = click_open(bot, standin, rcb.EDIT_RESOURCE, first.key)
    assert form["private_metadata"] == f"edit:{first.key}"
    edited = values(summary="Updated for 2027.", link="https://example.org/lap")
    assert post_json(bot, view_submission(form, edited, user=COORDINATOR)) == (200, None)
    (saved, _) = resources(bot.db)
    assert saved.summary == "Updated for 2027." and saved.confirmed_at is not None
    assert eventually(lambda: dms(standin, COORDINATOR, "changed summary"))

    url = standin.response_url("retire")
    bot.post_signed(
        block_action(rcb.RETIRE_RESOURCE, first.key, user=COORDINATOR, response_url=url)
    )
    assert "Retired" in wait_for_response(standin, "retire")["text"]
    retired, _ = resources(bot.db)
    assert retired.retired_at is not None and retired.retired_at <= datetime.now(UTC)
    assert changes(bot.db) == [
        ("created", COORDINATOR),
        ("created", COORDINATOR),
        ("edited", COORDINATOR),
        ("retired", COORDINATOR),
    ]


def test_forged_clicks_and_forms_from_a_member_change_nothing(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    suggestion = suggest(bot, standin)
    assert suggestion.id is not None
    with bot.db.transaction(write=True) as session:
        session.add(Resource(key="kept", title="Kept", kind="guide"))
    for number, (action_id, value) in enumerate(
        [
            (rcb.APPROVE_SUGGESTION, str(suggestion.id)),
            (rcb.REJECT_SUGGESTION, str(suggestion.id)),
            (rcb.EDIT_SUGGESTION, str(suggestion.id)),
            (rcb.EDIT_RESOURCE, "kept"),
            (rcb.RETIRE_RESOURCE, "kept"),
        ]
    ):
        key = f"forged-{number}"
        click = block_action(
            action_id,
            value,
            trigger_id=standin.trigger_id(),
            response_url=standin.response_url(key),
        )
        assert bot.post_signed(click)[0] == 200
        refusal = wait_for_response(standin, key)["text"]
        assert "coordinators" in refusal and f"<@{COORDINATOR}>" in refusal, action_id
    for metadata in ("add", "edit:kept", f"review:{suggestion.id}", "nonsense"):
        forged = {"callback_id": rcm.RESOURCE_FORM, "private_metadata": metadata}
        status, answer = post_json(bot, view_submission(forged, values(), user=MEMBER))
        assert status == 200 and answer is not None and answer["response_action"] == "update"
        assert f"<@{COORDINATOR}>" in json.dumps(answer["view"])
    rejection = {"callback_id": rcm.REJECT_FORM, "private_metadata": str(suggestion.id)}
    _, answer = post_json(bot, view_submission(rejection, {}, user=MEMBER))
    assert answer is not None and answer["response_action"] == "update"
    assert [s.state for s in suggestions(bot.db)] == ["pending"]
    (kept,) = resources(bot.db)
    assert kept.retired_at is None and kept.title == "Kept"
    assert changes(bot.db) == [] and standin.calls("views.open")[1:] == []


def test_a_coordinators_home_follows_the_suggestions_waiting(
    bot: BotProcess, standin: SlackStandIn
) -> None:
    def home_text() -> str:
        view = standin.home_view(COORDINATOR)
        return json.dumps(view["blocks"]) if view else ""

    event = {"type": "app_home_opened", "user": COORDINATOR, "channel": "D0HOME", "tab": "home"}
    assert bot.post_signed(event_callback(event, event_id="EvHomeCurate"))[0] == 200
    assert eventually(lambda: "none waiting for a decision" in home_text())

    suggestion = suggest(bot, standin)
    assert eventually(lambda: "waiting for a decision:* 1" in home_text())

    click = block_action(
        rcb.APPROVE_SUGGESTION,
        str(suggestion.id),
        user=COORDINATOR,
        message=review_dm(standin, COORDINATOR, int(suggestion.id or 0)),
        response_url=standin.response_url("approved"),
    )
    assert bot.post_signed(click)[0] == 200
    assert eventually(lambda: "none waiting for a decision" in home_text())
