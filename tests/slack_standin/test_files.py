"""File uploads, as slack_sdk's files_upload_v2 makes them: a URL, a POST of the bytes, a share."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import SlackStandIn
from slack_standin.reference import load_reference

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dei-bot//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:meeting-2026-12@dei-bot\r\nSUMMARY:DEI working group\r\n"
    b"DTSTART:20261210T170000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def slack_error(excinfo: pytest.ExceptionInfo[SlackApiError]) -> dict[str, Any]:
    data = excinfo.value.response.data
    assert isinstance(data, dict)
    return data


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, text and Content-Type of a POST (no proxy: the conftest removes them)."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["Content-Type"]


def upload_url(client: WebClient, filename: str = "notes.txt", length: int = 5) -> tuple[str, str]:
    response = client.files_getUploadURLExternal(filename=filename, length=length)
    return response["upload_url"], response["file_id"]


# -- the whole flow, through slack_sdk -----------------------------------------------------------


def test_files_upload_v2_shares_the_ics_in_the_thread(
    standin: SlackStandIn, client: WebClient
) -> None:
    parent = client.chat_postMessage(channel="C0EVENTS1", text="Meeting on December 10")["ts"]

    response = client.files_upload_v2(
        channel="C0EVENTS1",
        thread_ts=parent,
        content=ICS,
        filename="meeting.ics",
        title="DEI working group, December 10",
        initial_comment="Add it to your calendar",
    )

    assert response["ok"] is True
    [shown] = response["files"]
    assert shown["id"].startswith("F")
    assert shown["name"] == "meeting.ics"
    assert shown["title"] == "DEI working group, December 10"
    assert shown["size"] == len(ICS)
    assert shown["user"] == standin.bot_user_id
    assert response["file"] == shown  # slack_sdk's shortcut for a single file

    top, share = standin.messages("C0EVENTS1")
    assert standin.files() == [
        {
            "id": shown["id"],
            "name": "meeting.ics",
            "title": "DEI working group, December 10",
            "content": ICS,
            "size": len(ICS),
            "channel": "C0EVENTS1",
            "channels": ["C0EVENTS1"],
            "thread_ts": parent,
            "ts": share["ts"],
            "initial_comment": "Add it to your calendar",
        }
    ]
    assert share["subtype"] == "file_share"
    assert share["text"] == "Add it to your calendar"
    assert share["thread_ts"] == parent
    assert share["user"] == standin.bot_user_id
    assert [f["id"] for f in share["files"]] == [shown["id"]]
    assert top["reply_count"] == 1
    replies = client.conversations_replies(channel="C0EVENTS1", ts=parent)["messages"]
    assert [m["ts"] for m in replies] == [parent, share["ts"]]
    # A reply in a thread stays out of the channel's history.
    history = client.conversations_history(channel="C0EVENTS1")["messages"]
    assert [m["ts"] for m in history] == [parent]

    get_url, complete = (
        standin.calls("files.getUploadURLExternal")[0],
        standin.calls("files.completeUploadExternal")[0],
    )
    assert get_url.args["filename"] == "meeting.ics"
    assert get_url.args["length"] == str(len(ICS))
    assert get_url.response["upload_url"] == standin.upload_url(shown["id"])
    assert complete.json_arg("files") == [
        {"id": shown["id"], "title": "DEI working group, December 10"}
    ]
    assert complete.args["channel_id"] == "C0EVENTS1"
    assert complete.args["thread_ts"] == parent


def test_without_a_channel_the_file_is_uploaded_but_not_shared(
    standin: SlackStandIn, client: WebClient
) -> None:
    response = client.files_upload_v2(content="minutes", filename="minutes.txt")

    [record] = standin.files()
    assert record["id"] == response["file"]["id"]
    assert record["title"] == "minutes.txt"  # slack_sdk's default title is the filename
    assert record["content"] == b"minutes"
    assert record["channel"] is None
    assert record["thread_ts"] is None
    assert record["ts"] is None
    assert standin.messages() == []


def test_several_files_share_one_message(standin: SlackStandIn, client: WebClient) -> None:
    response = client.files_upload_v2(
        file_uploads=[
            {"content": ICS, "filename": "meeting.ics", "title": "Calendar"},
            {"content": b"\x00\x01binary\xff", "filename": "agenda.bin"},
        ],
        channel="C0EVENTS1",
    )

    ids = [f["id"] for f in response["files"]]
    assert [f["content"] for f in standin.files()] == [ICS, b"\x00\x01binary\xff"]
    [share] = standin.messages("C0EVENTS1")
    assert [f["id"] for f in share["files"]] == ids
    assert share["text"] == ""
    assert "thread_ts" not in share


def test_channels_may_name_users_whose_dm_gets_the_file(
    standin: SlackStandIn, client: WebClient
) -> None:
    client.files_upload_v2(content=ICS, filename="meeting.ics", channels=["U0MEMBER1", "C0EVENTS1"])

    assert standin.files()[0]["channels"] == ["D0MEMBER1", "C0EVENTS1"]
    assert [m["subtype"] for m in standin.messages("U0MEMBER1")] == ["file_share"]
    assert [m["subtype"] for m in standin.messages("C0EVENTS1")] == ["file_share"]


def test_reset_forgets_files(standin: SlackStandIn, client: WebClient) -> None:
    url, _ = upload_url(client)
    client.files_upload_v2(content=ICS, filename="meeting.ics", channel="C0EVENTS1")

    standin.reset()

    assert standin.files() == []
    assert post(url, b"hello")[0] == 404


# -- files.getUploadURLExternal ------------------------------------------------------------------


def test_get_upload_url_points_at_the_standin(standin: SlackStandIn, client: WebClient) -> None:
    response = client.files_getUploadURLExternal(filename="meeting.ics", length=120)

    assert response["ok"] is True
    assert response["file_id"].startswith("F")
    assert response["upload_url"] == f"{standin.base_url}/upload/{response['file_id']}"
    assert standin.files() == []  # nothing exists until the upload is completed


@pytest.mark.parametrize(
    ("args", "error", "messages"),
    [
        ({"filename": "a.ics"}, "invalid_arguments", ["[ERROR] missing required field: length"]),
        ({"length": 5}, "invalid_arguments", ["[ERROR] missing required field: filename"]),
        ({"filename": " ", "length": 5}, "invalid_arguments", None),
        ({"filename": "a.ics", "length": 0}, "missing_argument", None),
        ({"filename": "a.ics", "length": -3}, "missing_argument", None),
        ({"filename": "a.ics", "length": "many"}, "missing_argument", None),
        ({"filename": "a.png", "length": 5, "alt_txt": "x" * 1001}, "alt_txt_too_large", None),
    ],
)
def test_get_upload_url_refuses_a_bad_length_or_filename(
    client: WebClient,
    args: dict[str, Any],
    error: str,
    messages: list[str] | None,
) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("files.getUploadURLExternal", params=args)

    data = slack_error(excinfo)
    assert data["error"] == error
    if messages is not None:
        assert data["response_metadata"]["messages"] == messages
    documented = load_reference()["files.getUploadURLExternal"].errors
    assert error in documented | {"invalid_arguments"}


def test_get_upload_url_takes_a_json_body(client: WebClient) -> None:
    response = client.api_call(
        "files.getUploadURLExternal", json={"filename": "a.ics", "length": 12}
    )

    assert response["file_id"].startswith("F")


# -- the upload URL ------------------------------------------------------------------------------


def test_upload_keeps_the_raw_body_that_slack_sdk_sends(
    standin: SlackStandIn, client: WebClient
) -> None:
    # urllib (and so slack_sdk) labels a raw body form-urlencoded; it must not be parsed as one.
    raw = b"a=1&b=2\r\n\x00\xff"
    url, file_id = upload_url(client, length=len(raw))

    status, text, content_type = post(
        url, raw, {"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert (status, text) == (200, f"OK - {len(raw)}")
    assert content_type.startswith("text/plain")
    client.files_completeUploadExternal(files=[{"id": file_id}])
    assert standin.files()[0]["content"] == raw


def test_upload_takes_a_multipart_form_like_curl_F(
    standin: SlackStandIn, client: WebClient
) -> None:
    url, file_id = upload_url(client, "meeting.ics", len(ICS))
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="filename"; filename="meeting.ics"\r\n'
        b"Content-Type: text/calendar\r\n\r\n" + ICS + b"\r\n--XyZ--\r\n"
    )

    status, text, _ = post(url, body, {"Content-Type": "multipart/form-data; boundary=XyZ"})

    assert (status, text) == (200, f"OK - {len(ICS)}")
    client.files_completeUploadExternal(files=[{"id": file_id, "title": "Calendar"}])
    assert standin.files()[0]["content"] == ICS
    assert standin.files()[0]["title"] == "Calendar"


def test_upload_to_an_unknown_or_spent_url_is_404(standin: SlackStandIn, client: WebClient) -> None:
    assert post(standin.upload_url("F0NOSUCH1"), b"hello")[0] == 404

    url, file_id = upload_url(client)
    assert post(url, b"hello")[0] == 200
    client.files_completeUploadExternal(files=[{"id": file_id}])
    assert post(url, b"again")[0] == 404
    assert standin.files()[0]["content"] == b"hello"


def test_a_multipart_form_without_a_file_is_400(standin: SlackStandIn, client: WebClient) -> None:
    url, _ = upload_url(client)

    status, _, _ = post(url, b"--XyZ--\r\n", {"Content-Type": "multipart/form-data; boundary=XyZ"})

    assert status == 400


# -- files.completeUploadExternal ----------------------------------------------------------------


def test_completing_a_file_never_posted_is_file_not_found(
    standin: SlackStandIn, client: WebClient
) -> None:
    _, file_id = upload_url(client)

    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C0EVENTS1")

    assert slack_error(excinfo)["error"] == "file_not_found"
    assert standin.files() == []
    assert standin.messages() == []


@pytest.mark.parametrize("file_id", ["F0NOSUCH1", "spent"])
def test_completing_an_unknown_or_completed_file_is_file_not_found(
    standin: SlackStandIn, client: WebClient, file_id: str
) -> None:
    if file_id == "spent":
        file_id = client.files_upload_v2(content=b"x", filename="x.txt")["file"]["id"]

    with pytest.raises(SlackApiError) as excinfo:
        client.files_completeUploadExternal(files=[{"id": file_id}])

    assert slack_error(excinfo)["error"] == "file_not_found"


def test_one_missing_file_completes_none(standin: SlackStandIn, client: WebClient) -> None:
    url, posted = upload_url(client)
    post(url, b"hello")
    _, never_posted = upload_url(client)

    with pytest.raises(SlackApiError):
        client.files_completeUploadExternal(
            files=[{"id": posted}, {"id": never_posted}], channel_id="C0EVENTS1"
        )

    assert standin.files() == []
    client.files_completeUploadExternal(files=[{"id": posted}])
    assert [f["id"] for f in standin.files()] == [posted]


def test_a_user_id_is_no_channel_id(standin: SlackStandIn, client: WebClient) -> None:
    # The classic mistake: Slack wants the DM's D… id here, not the user's.
    with pytest.raises(SlackApiError) as excinfo:
        client.files_upload_v2(content=ICS, filename="meeting.ics", channel="U0MEMBER1")

    data = slack_error(excinfo)
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]"
    ]
    assert standin.files() == []


@pytest.mark.parametrize(
    ("files", "error"),
    [
        ("not json", "invalid_arguments"),
        ("[]", "invalid_arguments"),
        ('[{"title": "no id"}]', "invalid_arguments"),
        ('{"id": "F1"}', "invalid_arguments"),
    ],
)
def test_complete_refuses_malformed_files(client: WebClient, files: str, error: str) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("files.completeUploadExternal", params={"files": files})

    assert slack_error(excinfo)["error"] == error


def test_complete_needs_files(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("files.completeUploadExternal", params={"channel_id": "C0EVENTS1"})

    assert slack_error(excinfo)["response_metadata"]["messages"] == [
        "[ERROR] missing required field: files"
    ]


def test_thread_ts_wants_a_single_channel(standin: SlackStandIn, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.files_upload_v2(
            content=ICS,
            filename="meeting.ics",
            channels=["C0EVENTS1", "C0OTHER01"],
            thread_ts="1.2",
        )

    assert slack_error(excinfo)["error"] == "invalid_arguments"
    assert standin.messages() == []


def test_complete_takes_a_json_body(standin: SlackStandIn, client: WebClient) -> None:
    url, file_id = upload_url(client)
    post(url, b"hello")

    response = client.api_call(
        "files.completeUploadExternal",
        json={"files": [{"id": file_id, "title": "Hello"}], "channel_id": "C0EVENTS1"},
    )

    assert response["files"][0]["title"] == "Hello"
    [share] = standin.messages("C0EVENTS1")
    assert [f["id"] for f in share["files"]] == [file_id]
