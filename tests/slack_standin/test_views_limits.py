"""The stand-in holds views to Slack's limits: 100 blocks in a Home tab or modal, labels a screen
reader can use, and a per-method pace (Tier 4 for views.publish) answered with 429s."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_a_home_tab_takes_100_blocks_and_not_101(client: WebClient) -> None:
    client.views_publish(user_id="U0MEMBER1", view={"type": "home", "blocks": [section("x")] * 100})
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(
            user_id="U0MEMBER1", view={"type": "home", "blocks": [section("x")] * 101}
        )
    assert refused.value.response["error"] == "invalid_arguments"
    assert "no more than 100 items allowed" in str(refused.value.response["response_metadata"])


def test_an_accessibility_label_over_75_characters_is_refused(client: WebClient) -> None:
    button = {
        "type": "button",
        "action_id": "a",
        "text": {"type": "plain_text", "text": "Going"},
        "accessibility_label": "x" * 76,
    }
    view = {"type": "home", "blocks": [{"type": "actions", "elements": [button]}]}
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(user_id="U0MEMBER1", view=view)
    assert "accessibility_label" in str(refused.value.response["response_metadata"])


def test_a_rate_limited_method_answers_429_with_retry_after_once_the_minute_is_full(
    standin: SlackStandIn, client: WebClient
) -> None:
    standin.rate_limit("views.publish", per_minute=3)
    home = {"type": "home", "blocks": [section("Welcome")]}
    for _ in range(3):
        client.views_publish(user_id="U0MEMBER1", view=home)
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(user_id="U0MEMBER1", view=home)
    assert refused.value.response.status_code == 429
    assert refused.value.response["error"] == "ratelimited"
    assert 1 <= int(refused.value.response.headers["Retry-After"]) <= 60
    client.chat_postMessage(channel="C0GENERAL1", text="other methods are not limited")
    statuses = [call.status for call in standin.calls("views.publish")]
    assert statuses == [200, 200, 200, 429]
    standin.clear_faults()
    client.views_publish(user_id="U0MEMBER1", view=home)


def test_a_rate_limit_must_allow_at_least_one_call(standin: SlackStandIn) -> None:
    with pytest.raises(ValueError):
        standin.rate_limit("views.publish", per_minute=0)
