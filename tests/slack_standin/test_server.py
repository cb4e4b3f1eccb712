"""The Slack stand-in, exercised the way the bot uses it: slack_sdk over real HTTP."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

import slack_standin.workspace
from slack_standin import Call, SlackStandIn
from slack_standin.build_reference import OUTPUT, build, render

METHODS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "slack" / "methods"


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, **extra}


def modal(title: str = "Report", blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks if blocks is not None else [section("hello")],
    }


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> dict[str, Any]:
    data = excinfo.value.response.data
    assert isinstance(data, dict)
    return data


def raw_post(
    url: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any], dict[str, str]]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


# -- basics --------------------------------------------------------------------------------------


def test_auth_test_describes_the_bot(standin: SlackStandIn, client: WebClient) -> None:
    response = client.auth_test()

    assert response.data == {
        "ok": True,
        "url": "https://dei-working-group.slack.com/",
        "team": "DEI Working Group",
        "user": "dei-bot",
        "team_id": "T0DEIBOT1",
        "user_id": "U0DEIBOT1",
        "bot_id": "B0DEIBOT1",
        "is_enterprise_install": False,
    }
    [call] = standin.calls("auth.test")
    assert call.token == "xoxb-test"
    assert call.status == 200
    assert call.ok


def test_post_message_is_stored_and_history_returns_it_with_metadata(
    standin: SlackStandIn, client: WebClient
) -> None:
    metadata = {"event_type": "event_announced", "event_payload": {"event_id": 7}}
    posted = client.chat_postMessage(
        channel="C0EVENTS1",
        text="Town hall on Friday",
        blocks=[section("*Town hall*")],
        metadata=metadata,
    )

    assert posted["channel"] == "C0EVENTS1"
    assert posted["message"]["text"] == "Town hall on Friday"
    ts = posted["ts"]
    assert len(ts.split(".")[1]) == 6
    [stored] = standin.messages("C0EVENTS1")
    assert stored["ts"] == ts
    assert stored["metadata"] == metadata
    assert stored["blocks"] == [section("*Town hall*")]
    assert stored["has_text"] is True
    assert stored["kind"] == "message"

    with_metadata = client.conversations_history(channel="C0EVENTS1", include_all_metadata=True)
    assert [m["ts"] for m in with_metadata["messages"]] == [ts]
    assert with_metadata["messages"][0]["metadata"] == metadata
    without = client.conversations_history(channel="C0EVENTS1")
    assert "metadata" not in without["messages"][0]


def test_timestamps_increase_and_history_is_newest_first(
    standin: SlackStandIn, client: WebClient
) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=f"m{i}")["ts"] for i in range(5)]

    assert stamps == sorted(stamps, key=lambda ts: tuple(map(int, ts.split("."))))
    assert len(set(stamps)) == 5
    history = client.conversations_history(channel="C1", limit=2)
    assert [m["text"] for m in history["messages"]] == ["m4", "m3"]
    assert history["has_more"] is True
    cursor = history["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel="C1", cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"]
    assert rest["has_more"] is False
    between = client.conversations_history(channel="C1", oldest=stamps[1], latest=stamps[3])
    assert [m["text"] for m in between["messages"]] == ["m2"]


def test_missing_token_is_not_authed_and_still_recorded(standin: SlackStandIn) -> None:
    status, body, _ = raw_post(
        standin.api_url + "chat.postMessage",
        b"channel=C1&text=hi",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert status == 200
    assert body == {"ok": False, "error": "not_authed"}
    [call] = standin.calls()
    assert call.token is None
    assert call.args == {"channel": "C1", "text": "hi"}
    assert standin.messages() == []


def test_token_that_is_not_a_slack_token_is_refused(standin: SlackStandIn) -> None:
    client = WebClient(token="not-a-token", base_url=standin.api_url)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="hi")

    assert slack_error(excinfo)["error"] == "invalid_auth"
    assert standin.calls()[0].token == "not-a-token"


def test_token_may_travel_as_an_argument(standin: SlackStandIn) -> None:
    status, body, _ = raw_post(
        standin.api_url + "auth.test",
        b"token=xoxb-in-form",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert (status, body["ok"]) == (200, True)
    assert standin.calls()[0].token == "xoxb-in-form"


def test_unknown_method(standin: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMesage", json={"channel": "C1", "text": "typo"})

    assert slack_error(excinfo) == {"ok": False, "error": "unknown_method"}
    assert standin.calls()[0].method == "chat.postMesage"


def test_missing_required_argument(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.postMessage", json={"text": "where to?"})

    assert slack_error(excinfo) == {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": ["[ERROR] missing required field: channel"]},
    }


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.postEphemeral"])
def test_message_without_text_blocks_or_attachments_is_no_text(
    client: WebClient, method: str
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call(method, json={"channel": "C1", "user": "U1"})

    assert slack_error(excinfo)["error"] == "no_text"


def test_text_over_40000_characters_is_too_long(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="x" * 40_001)

    assert slack_error(excinfo)["error"] == "msg_too_long"


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_every_message_records_whether_it_has_a_text_fallback(
    standin: SlackStandIn, client: WebClient
) -> None:
    client.chat_postMessage(channel="C1", text="fallback", blocks=[section("a")])
    client.api_call("chat.postMessage", json={"channel": "C1", "blocks": [section("b")]})
    client.chat_postMessage(channel="C1", text="   ", blocks=[section("c")])

    assert [m["has_text"] for m in standin.messages("C1")] == [True, False, False]


def test_methods_not_simulated_answer_ok_with_a_warning(client: WebClient) -> None:
    response = client.api_call(
        "reactions.add", json={"channel": "C1", "name": "tada", "timestamp": "1.2"}
    )

    assert response["ok"] is True
    assert response["warning"] == "standin_not_simulated"


def test_invalid_json_body(standin: SlackStandIn) -> None:
    status, body, _ = raw_post(
        standin.api_url + "chat.postMessage",
        b"{not json",
        {"Content-Type": "application/json", "Authorization": "Bearer xoxb-test"},
    )

    assert (status, body["error"]) == (200, "invalid_json")


def test_form_encoded_json_arguments_are_kept_and_parsed(
    standin: SlackStandIn, client: WebClient
) -> None:
    blocks = [section("form")]
    client.api_call(
        "chat.postMessage",
        data={"channel": "C1", "text": "form", "blocks": json.dumps(blocks)},
    )

    [call] = standin.calls("chat.postMessage")
    assert call.args["blocks"] == json.dumps(blocks)
    assert call.json_arg("blocks") == blocks
    assert call.json_arg("metadata") is None
    assert standin.messages("C1")[0]["blocks"] == blocks


# -- faults --------------------------------------------------------------------------------------


def test_rate_limit_is_honoured_by_slack_sdk_retry_handler(standin: SlackStandIn) -> None:
    client = WebClient(
        token="xoxb-test",
        base_url=standin.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    standin.fail("chat.postMessage", status=429, retry_after=1)

    started = time.monotonic()
    response = client.chat_postMessage(channel="C1", text="eventually")

    assert response["ok"] is True
    assert time.monotonic() - started >= 1.0
    first, second = standin.calls("chat.postMessage")
    assert (first.status, first.response) == (429, {"ok": False, "error": "ratelimited"})
    assert second.status == 200
    assert second.at - first.at >= 1.0
    assert len(standin.messages("C1")) == 1


def test_rate_limit_answer_carries_retry_after(standin: SlackStandIn) -> None:
    standin.fail(status=429, retry_after=7)

    status, body, headers = raw_post(
        standin.api_url + "auth.test", b"", {"Authorization": "Bearer xoxb-test"}
    )

    assert (status, body) == (429, {"ok": False, "error": "ratelimited"})
    assert headers["Retry-After"] == "7"


def test_server_error_is_retried_by_slack_sdk(standin: SlackStandIn) -> None:
    client = WebClient(
        token="xoxb-test",
        base_url=standin.api_url,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)],
    )
    standin.fail("users.info", status=500)

    response = client.users_info(user="U0MEMBER1")

    assert response["ok"] is True
    assert [c.status for c in standin.calls("users.info")] == [500, 200]


def test_injected_error_is_an_ok_false_answer(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail("chat.postMessage", error="channel_not_found", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_postMessage(channel="C1", text="hi")
        assert slack_error(excinfo) == {"ok": False, "error": "channel_not_found"}
    client.auth_test()  # other methods are untouched
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.status for c in standin.calls()] == [200, 200, 200, 200]


def test_fail_every_counts_globally_or_per_method(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.api_url, retry_handlers=[])
    standin.fail_every(3, status=503)

    statuses = []
    for _ in range(6):
        try:
            client.auth_test()
            statuses.append(200)
        except SlackApiError as error:
            statuses.append(error.response.status_code)
    assert statuses == [200, 200, 503, 200, 200, 503]

    standin.clear_faults()
    standin.reset()
    standin.fail_every(2, status=429, method="chat.postMessage")
    posted = []
    for _ in range(4):
        client.auth_test()
        try:
            client.chat_postMessage(channel="C1", text="x")
            posted.append(200)
        except SlackApiError as error:
            posted.append(error.response.status_code)
    assert posted == [200, 429, 200, 429]
    assert all(c.status == 200 for c in standin.calls("auth.test"))


def test_fault_counting_is_thread_safe(standin: SlackStandIn) -> None:
    standin.fail(status=429, times=40)

    def call(_: int) -> int:
        status, _body, _headers = raw_post(
            standin.api_url + "auth.test", b"", {"Authorization": "Bearer xoxb-test"}
        )
        return status

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(call, range(200)))

    assert statuses.count(429) == 40
    assert statuses.count(200) == 160
    assert len(standin.calls()) == 200


def test_fault_arguments_are_checked(standin: SlackStandIn) -> None:
    with pytest.raises(ValueError):
        standin.fail(status=404)
    with pytest.raises(ValueError):
        standin.fail_every(0, status=429)


# -- Block Kit limits ----------------------------------------------------------------------------


def test_more_than_50_blocks_in_a_message_is_invalid_blocks(
    standin: SlackStandIn, client: WebClient
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(
            channel="C1", text="long", blocks=[section(f"s{i}") for i in range(51)]
        )

    data = slack_error(excinfo)
    assert data["error"] == "invalid_blocks"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]
    assert standin.messages() == []
    client.chat_postMessage(channel="C1", text="ok", blocks=[section(f"s{i}") for i in range(50)])


@pytest.mark.parametrize(
    ("block", "pointer"),
    [
        (section("x" * 3001), "/blocks/0/text/text"),
        (
            {"type": "header", "text": {"type": "plain_text", "text": "h" * 151}},
            "/blocks/0/text/text",
        ),
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]},
            "/blocks/0/fields/0/text",
        ),
        (
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11},
            "/blocks/0/fields",
        ),
        ({"type": "actions", "elements": [button("b" * 76)]}, "/blocks/0/elements/0/text/text"),
        (
            {"type": "actions", "elements": [button("ok", value="v" * 2001)]},
            "/blocks/0/elements/0/value",
        ),
        (
            {"type": "actions", "elements": [button("ok", action_id="a" * 256)]},
            "/blocks/0/elements/0/action_id",
        ),
        ({**section("ok"), "block_id": "b" * 256}, "/blocks/0/block_id"),
        (
            {"type": "actions", "elements": [button(str(i)) for i in range(26)]},
            "/blocks/0/elements",
        ),
        ({"type": "secton", "text": {"type": "mrkdwn", "text": "typo"}}, "/blocks/0/type"),
    ],
)
def test_block_kit_limits_in_messages(
    client: WebClient, block: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C1", text="fallback", blocks=[block])

    data = slack_error(excinfo)
    assert data["error"] == "invalid_blocks"
    [message] = data["response_metadata"]["messages"]
    assert message.startswith("[ERROR] ")
    assert message.endswith(f"[json-pointer:{pointer}]")


def test_blocks_at_the_limits_are_accepted(client: WebClient) -> None:
    blocks = [
        section("x" * 3000),
        {"type": "header", "text": {"type": "plain_text", "text": "h" * 150}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}] * 10},
        {"type": "actions", "elements": [button("b" * 75, value="v" * 2000, action_id="a" * 255)]},
        {"type": "actions", "elements": [button(str(i)) for i in range(25)]},
    ]

    assert client.chat_postMessage(channel="C1", text="fallback", blocks=blocks)["ok"] is True


# -- views ---------------------------------------------------------------------------------------


def test_views_open_returns_a_view_and_a_trigger_works_once(
    standin: SlackStandIn, client: WebClient
) -> None:
    opened = client.views_open(trigger_id="1234.5678.abcdef", view=modal())

    view = opened["view"]
    assert view["id"].startswith("V")
    assert view["type"] == "modal"
    assert view["title"] == {"type": "plain_text", "text": "Report"}
    assert view["root_view_id"] == view["id"]
    assert view["hash"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1234.5678.abcdef", view=modal())
    assert slack_error(excinfo)["error"] == "exchanged_trigger_id"
    assert [c.status for c in standin.calls("views.open")] == [200, 200]
    assert standin.calls("views.open")[0].json_arg("view") == modal()


def test_minted_trigger_expires_like_slacks(
    standin: SlackStandIn, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_standin.workspace, "TRIGGER_TTL", 0.05)
    fresh = standin.trigger_id()
    stale = standin.trigger_id()
    assert client.views_open(trigger_id=fresh, view=modal())["ok"] is True
    time.sleep(0.1)

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=stale, view=modal())
    assert slack_error(excinfo)["error"] == "expired_trigger_id"


def test_views_open_needs_a_trigger_id(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("views.open", json={"view": modal()})

    assert slack_error(excinfo)["response_metadata"]["messages"] == [
        "[ERROR] missing required field: trigger_id"
    ]


def test_modal_title_over_24_characters_is_refused(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.a", view=modal(title="Report an incident, please"))

    data = slack_error(excinfo)
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert client.views_open(trigger_id="1.2.b", view=modal(title="t" * 24))["ok"] is True


def test_button_over_75_characters_in_a_modal_is_refused(client: WebClient) -> None:
    view = modal(blocks=[{"type": "actions", "elements": [button("b" * 76)]}])

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.c", view=view)

    data = slack_error(excinfo)
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be less than 76 characters [json-pointer:/view/blocks/0/elements/0/text/text]"
    ]


def test_view_limits_on_block_count_type_and_submit(client: WebClient) -> None:
    too_many = modal(blocks=[section(str(i)) for i in range(101)])
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.d", view=too_many)
    assert slack_error(excinfo)["response_metadata"]["messages"] == [
        "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"
    ]

    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.e", view={**modal(), "type": "dialog"})
    assert slack_error(excinfo)["error"] == "invalid_arguments"

    form = modal(
        blocks=[
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name"},
            }
        ]
    )
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2.f", view=form)
    assert "submit" in slack_error(excinfo)["response_metadata"]["messages"][0]
    form["submit"] = {"type": "plain_text", "text": "Send"}
    assert client.views_open(trigger_id="1.2.g", view=form)["ok"] is True


def test_views_update_by_id_or_external_id_with_hash_check(client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.2.h", view={**modal(), "external_id": "report-42"})[
        "view"
    ]

    by_id = client.views_update(
        view_id=opened["id"], view={**modal("Step 2"), "external_id": "report-42"}
    )
    assert by_id["view"]["id"] == opened["id"]
    assert by_id["view"]["title"]["text"] == "Step 2"
    by_external = client.views_update(external_id="report-42", view=modal("Step 3"))
    assert by_external["view"]["id"] == opened["id"]

    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id=opened["id"], view=modal(), hash=opened["hash"])
    assert slack_error(excinfo)["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_update(view_id="V404", view=modal())
    assert slack_error(excinfo)["error"] == "not_found"


def test_views_publish_needs_a_home_view(standin: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Welcome")]}
    first = client.views_publish(user_id="U0MEMBER1", view=home)
    again = client.views_publish(user_id="U0MEMBER1", view={**home, "blocks": [section("Hi")]})

    assert first["view"]["type"] == "home"
    assert again["view"]["id"] == first["view"]["id"]
    published = standin.home_view("U0MEMBER1")
    assert published is not None
    assert published["blocks"] == [section("Hi")]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U0MEMBER1", view=modal())
    assert slack_error(excinfo)["error"] == "invalid_arguments"


# -- users and conversations ---------------------------------------------------------------------


def test_users_info_gives_time_zone_and_locale(standin: SlackStandIn, client: WebClient) -> None:
    standin.add_user(
        "U0BERLIN1", name="anna", real_name="Anna K", tz="Europe/Berlin", locale="de-DE"
    )

    user = client.users_info(user="U0BERLIN1", include_locale=True)["user"]

    expected_offset = datetime.now(ZoneInfo("Europe/Berlin")).utcoffset()
    assert expected_offset is not None
    assert user["id"] == "U0BERLIN1"
    assert user["name"] == "anna"
    assert user["real_name"] == "Anna K"
    assert user["tz"] == "Europe/Berlin"
    assert user["tz_offset"] == int(expected_offset.total_seconds())
    assert user["tz_label"] in ("Central European Time", "Central European Summer Time")
    assert user["locale"] == "de-DE"
    assert "locale" not in client.users_info(user="U0BERLIN1")["user"]


def test_users_info_makes_up_unknown_users_but_not_non_user_ids(client: WebClient) -> None:
    made_up = client.users_info(user="W0NEWCOMER")["user"]
    assert made_up["tz"] == "America/Chicago"
    assert made_up["tz_offset"] in (-6 * 3600, -5 * 3600)

    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="C0NOTAUSER")
    assert slack_error(excinfo)["error"] == "user_not_found"


def test_users_info_without_auto_users() -> None:
    with SlackStandIn(auto_users=False) as standin:
        client = WebClient(token="xoxb-test", base_url=standin.api_url)
        with pytest.raises(SlackApiError) as excinfo:
            client.users_info(user="U0STRANGER")
        assert slack_error(excinfo)["error"] == "user_not_found"
        assert client.users_info(user="U0DEIBOT1")["user"]["is_bot"] is True


def test_conversations_open_gives_a_stable_dm_and_posts_to_users_land_there(
    standin: SlackStandIn, client: WebClient
) -> None:
    first = client.conversations_open(users="U0MEMBER1")["channel"]["id"]
    second = client.conversations_open(users="U0MEMBER1")
    other = client.conversations_open(users="U0MEMBER2")["channel"]["id"]

    assert first.startswith("D")
    assert second["channel"]["id"] == first
    assert second["already_open"] is True
    assert other != first
    posted = client.chat_postMessage(channel="U0MEMBER1", text="Welcome!")
    assert posted["channel"] == first
    assert [m["text"] for m in standin.messages(first)] == ["Welcome!"]
    assert standin.messages("U0MEMBER1") == standin.messages(first)
    info = client.conversations_info(channel=first)["channel"]
    assert (info["is_im"], info["user"]) == (True, "U0MEMBER1")


def test_update_delete_and_permalink(standin: SlackStandIn, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="Draft", blocks=[section("draft")])["ts"]

    updated = client.chat_update(channel="C1", ts=ts, text="Final")
    assert updated["text"] == "Final"
    [message] = standin.messages("C1")
    assert (message["text"], message["blocks"]) == ("Final", [section("draft")])
    assert "edited" in message

    permalink = client.chat_getPermalink(channel="C1", message_ts=ts)["permalink"]
    assert permalink == f"https://dei-working-group.slack.com/archives/C1/p{ts.replace('.', '')}"

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C1", ts="1.000001", text="nope")
    assert slack_error(excinfo)["error"] == "message_not_found"

    client.chat_delete(channel="C1", ts=ts)
    assert standin.messages("C1") == []
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_delete(channel="C1", ts=ts)
    assert slack_error(excinfo)["error"] == "message_not_found"


def test_updating_a_dm_needs_the_dm_id_not_the_user_id(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0MEMBER1", text="hi")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="U0MEMBER1", ts=posted["ts"], text="edited")
    assert slack_error(excinfo)["error"] == "channel_not_found"
    assert client.chat_update(channel=posted["channel"], ts=posted["ts"], text="ok")["ok"]


def test_ephemeral_messages_are_recorded_but_not_in_history(
    standin: SlackStandIn, client: WebClient
) -> None:
    response = client.chat_postEphemeral(channel="C1", user="U0MEMBER1", text="Only you")

    assert response["message_ts"]
    [message] = standin.messages("C1")
    assert (message["kind"], message["ephemeral_user"]) == ("ephemeral", "U0MEMBER1")
    assert client.conversations_history(channel="C1")["messages"] == []


def test_thread_replies(standin: SlackStandIn, client: WebClient) -> None:
    parent = standin.add_message("C1", "Question?", user="U0MEMBER1")
    client.chat_postMessage(channel="C1", thread_ts=parent, text="Answer")

    history = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in history] == ["Question?"]
    assert history[0]["reply_count"] == 1
    replies = client.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["text"] for m in replies] == ["Question?", "Answer"]
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel="C1", ts=parent, text="not yours")
    assert slack_error(excinfo)["error"] == "cant_update_message"


# -- scheduled messages --------------------------------------------------------------------------


def test_schedule_message_checks_post_at(client: WebClient) -> None:
    for post_at, error in (
        (int(time.time()) - 60, "time_in_past"),
        (int(time.time()) + 121 * 24 * 3600, "time_too_far"),
    ):
        with pytest.raises(SlackApiError) as excinfo:
            client.chat_scheduleMessage(channel="C1", post_at=post_at, text="Reminder")
        assert slack_error(excinfo)["error"] == error


def test_scheduled_message_is_stored_as_scheduled_then_posted_when_due(
    standin: SlackStandIn, client: WebClient
) -> None:
    later = int(time.time()) + 3600
    response = client.chat_scheduleMessage(channel="C1", post_at=later, text="Tomorrow")
    soon = int(time.time()) + 1
    client.chat_scheduleMessage(channel="C1", post_at=soon, text="Soon")

    assert response["scheduled_message_id"].startswith("Q")
    assert response["post_at"] == later
    assert [m["kind"] for m in standin.messages("C1")] == ["scheduled", "scheduled"]
    assert client.conversations_history(channel="C1")["messages"] == []
    listed = client.chat_scheduledMessages_list(channel="C1")["scheduled_messages"]
    assert {m["text"] for m in listed} == {"Tomorrow", "Soon"}

    time.sleep(max(0.0, soon - time.time()) + 0.05)
    assert [m["text"] for m in client.conversations_history(channel="C1")["messages"]] == ["Soon"]
    client.chat_deleteScheduledMessage(
        channel="C1", scheduled_message_id=response["scheduled_message_id"]
    )
    assert [m["kind"] for m in standin.messages("C1")] == ["message"]


# -- response_url --------------------------------------------------------------------------------


def test_response_url_posts_are_captured(standin: SlackStandIn) -> None:
    url = standin.response_url("cmd-1")
    webhook = WebhookClient(url)

    sent = webhook.send(text="Done!", response_type="ephemeral")

    assert sent.status_code == 200
    [posted] = standin.responses("cmd-1")
    assert posted.key == "cmd-1"
    assert posted.body == {"text": "Done!", "response_type": "ephemeral"}
    assert standin.responses("other") == []
    assert standin.calls() == []


def test_response_url_refuses_non_json(standin: SlackStandIn) -> None:
    status, body, _ = raw_post(
        standin.response_url("k"), b"text=hi", {"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert (status, body["error"]) == (400, "invalid_payload")
    assert standin.responses() == []


# -- reference -----------------------------------------------------------------------------------


def test_reference_json_is_in_sync_with_slacks_method_reference() -> None:
    if not METHODS_DIR.is_dir():
        pytest.skip(f"Slack's method reference is not beside the repository ({METHODS_DIR})")

    assert OUTPUT.read_text(encoding="utf-8") == render(build(METHODS_DIR)), (
        "run: python -m slack_standin.build_reference " + str(METHODS_DIR)
    )


# -- robustness ----------------------------------------------------------------------------------


def test_many_concurrent_slack_sdk_calls(standin: SlackStandIn) -> None:
    client = WebClient(token="xoxb-test", base_url=standin.api_url)

    def post(i: int) -> bool:
        return bool(client.chat_postMessage(channel=f"C{i % 4}", text=f"m{i}")["ok"])

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(post, range(1000)))

    assert all(results)
    assert len(standin.calls("chat.postMessage")) == 1000
    assert len({m["ts"] for m in standin.messages()}) == 1000


def test_keep_alive_round_trips_do_not_stall(standin: SlackStandIn) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", standin.port, timeout=5)
    started = time.monotonic()
    for _ in range(300):
        connection.request(
            "POST",
            "/api/auth.test",
            body=b"",
            headers={"Authorization": "Bearer xoxb-test"},
        )
        response = connection.getresponse()
        assert response.status == 200
        json.loads(response.read())
    connection.close()

    # Nagle's algorithm meeting delayed ACKs would cost ~40 ms a round trip: 12 s here.
    assert time.monotonic() - started < 3.0
    assert len(standin.calls()) == 300


def test_wait_for_calls_made_from_another_thread(standin: SlackStandIn, client: WebClient) -> None:
    threading.Timer(0.05, lambda: client.chat_postMessage(channel="C1", text="later")).start()

    [call] = standin.wait_for("chat.postMessage", timeout=5)

    assert isinstance(call, Call)
    with pytest.raises(TimeoutError):
        standin.wait_for("views.open", timeout=0.05)


def test_reset_and_stop(standin: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x")
    standin.fail(status=500, times=5)
    standin.reset()
    assert standin.calls() == []
    assert standin.messages() == []
    assert client.auth_test()["ok"] is True

    url = standin.api_url
    standin.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", timeout=2)


def test_command_line_runs_in_the_foreground() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "slack_standin", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        api_url = process.stdout.readline().strip()
        assert api_url.startswith("http://127.0.0.1:")
        assert api_url.endswith("/api/")
        client = WebClient(token="xoxb-test", base_url=api_url)
        assert client.auth_test()["team_id"] == "T0DEIBOT1"
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_a_slow_answer_arrives_after_the_call_took_effect(standin: SlackStandIn) -> None:
    standin.slow("chat.postMessage", seconds=0.5)
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    started = time.monotonic()
    client.chat_postMessage(channel="C0SLOW", text="late answer")
    assert time.monotonic() - started >= 0.5
    assert [m["text"] for m in standin.messages("C0SLOW")] == ["late answer"]
    standin.clear_faults()
    started = time.monotonic()
    client.chat_postMessage(channel="C0SLOW", text="on time")
    assert time.monotonic() - started < 0.5
