"""Socket Mode in the stand-in: slack_sdk's built-in client, and raw WebSocket frames."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from slack_standin import SlackStandIn
from slack_standin.socket_mode import accept_key

APP_TOKEN = "xapp-1-A0DEIBOT1-1-test"

Listener = Callable[[BaseSocketModeClient, SocketModeRequest], None]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def answer_with(build: Callable[[SocketModeRequest], dict[str, Any] | None]) -> Listener:
    def listener(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        response = SocketModeResponse(envelope_id=request.envelope_id, payload=build(request))
        client.send_socket_mode_response(response)

    return listener


class Client:
    """slack_sdk's built-in Socket Mode client, as Bolt's SocketModeHandler builds it."""

    def __init__(self, standin: SlackStandIn, *, auto_reconnect: bool = False) -> None:
        self.messages: list[dict[str, Any]] = []
        self.closes: list[tuple[int, str | None]] = []
        self.sdk = SocketModeClient(
            app_token=APP_TOKEN,
            web_client=WebClient(base_url=standin.api_url),
            auto_reconnect_enabled=auto_reconnect,
            on_message_listeners=[lambda text: self.messages.append(json.loads(text))],
            on_close_listeners=[lambda code, reason: self.closes.append((code, reason))],
        )

    def listen(self, listener: Listener) -> None:
        self.sdk.socket_mode_request_listeners.append(listener)

    def shut(self, standin: SlackStandIn) -> None:
        # The client's close() waits for its reader, which polls every 3 s; a close frame from
        # the stand-in going away ends the reader at once.
        self.sdk.auto_reconnect_enabled = False
        standin.stop()
        wait_until(lambda: not self.sdk.is_connected())
        self.sdk.close()


@pytest.fixture
def sdk_client(standin: SlackStandIn) -> Iterator[Client]:
    client = Client(standin)
    yield client
    client.shut(standin)


def slash_command(text: str = "help") -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": "T0DEIBOT1",
        "channel_id": "C0GENERAL1",
        "user_id": "U0MEMBER01",
        "command": "/dei-topic",
        "text": text,
        "api_app_id": "A0DEIBOT1",
        "response_url": "https://hooks.slack.com/commands/T0/1/x",
        "trigger_id": "1.1.x",
    }


# -- apps.connections.open ----------------------------------------------------------------------


def test_connections_open_gives_a_single_use_ws_url_on_loopback(standin: SlackStandIn) -> None:
    first = WebClient(base_url=standin.api_url).apps_connections_open(app_token=APP_TOKEN)
    second = WebClient(base_url=standin.api_url).apps_connections_open(app_token=APP_TOKEN)
    url = urlsplit(first["url"])
    assert url.scheme == "ws" and url.hostname == "127.0.0.1" and url.path == "/link/"
    assert url.port != standin.port
    query = parse_qs(url.query)
    assert query["app_id"] == [standin.app_id]
    assert query["ticket"] != parse_qs(urlsplit(second["url"]).query)["ticket"]
    (call, _) = standin.calls("apps.connections.open")
    assert call.token == APP_TOKEN and call.ok


@pytest.mark.parametrize(
    ("headers", "body", "error"),
    [
        ({"Authorization": "Bearer xoxb-bot-token"}, b"", "not_allowed_token_type"),
        ({"Authorization": "Bearer xoxp-user-token"}, b"", "not_allowed_token_type"),
        ({"Authorization": "Bearer not-a-token"}, b"", "invalid_auth"),
        ({}, b"", "missing_args"),
        # Slack takes the app-level token from the Authorization header only.
        ({}, b"token=" + APP_TOKEN.encode(), "invalid_auth"),
    ],
)
def test_connections_open_wants_an_app_level_token_in_the_header(
    standin: SlackStandIn, headers: dict[str, str], body: bytes, error: str
) -> None:
    request = urllib.request.Request(
        standin.api_url + "apps.connections.open",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read()) == {"ok": False, "error": error}


def test_an_app_level_token_cannot_call_other_methods(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=APP_TOKEN, base_url=standin.api_url).chat_postMessage(
            channel="C0GENERAL1", text="hello"
        )
    assert raised.value.response["error"] == "not_allowed_token_type"
    assert standin.messages() == []


# -- slack_sdk's built-in client ----------------------------------------------------------------


def test_the_client_connects_gets_hello_and_acknowledges_with_a_payload(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    sdk_client.listen(answer_with(lambda request: {"text": f"echo {request.payload['text']}"}))
    sdk_client.sdk.connect()
    assert standin.wait_for_socket() == 1
    assert standin.socket_connections() == 1

    answer = standin.socket_request("slash_commands", slash_command("help"))

    assert answer == {"text": "echo help"}
    hello, envelope = sdk_client.messages[:2]
    assert hello["type"] == "hello"
    assert hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": standin.app_id}
    assert envelope["type"] == "slash_commands"
    assert envelope["accepts_response_payload"] is True
    assert envelope["payload"] == slash_command("help")
    (sent,) = standin.socket_envelopes()
    (ack,) = standin.socket_acks()
    assert sent.envelope_id == envelope["envelope_id"] == ack.envelope_id
    assert sent.message == envelope
    assert ack.payload == {"text": "echo help"}
    assert ack.connection == sent.connection == 1
    assert ack.elapsed is not None and 0 <= ack.elapsed < 3 and not ack.late


def test_an_ack_without_payload_answers_an_empty_dict(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    sdk_client.listen(answer_with(lambda request: None))
    sdk_client.sdk.connect()
    assert standin.socket_request("interactive", {"type": "block_actions"}) == {}
    assert standin.socket_acks()[0].payload is None


def test_events_carry_retry_fields_and_their_answers_are_ignored(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    seen: list[SocketModeRequest] = []

    def listener(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        seen.append(request)
        answer_with(lambda _: {"ignored": True})(client, request)

    sdk_client.listen(listener)
    sdk_client.sdk.connect()
    event = {"type": "event_callback", "event": {"type": "app_home_opened", "user": "U1"}}

    assert (
        standin.socket_request("events_api", event, retry_attempt=1, retry_reason="timeout") is None
    )

    (request,) = seen
    assert request.type == "events_api"
    assert request.accepts_response_payload is False
    assert (request.retry_attempt, request.retry_reason) == (1, "timeout")
    assert request.payload == event
    assert standin.socket_acks()[0].payload == {"ignored": True}


def test_a_large_envelope_travels_with_a_64_bit_length(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    sdk_client.listen(answer_with(lambda request: {"size": len(request.payload["text"])}))
    sdk_client.sdk.connect()
    assert standin.socket_request("slash_commands", slash_command("x" * 100_000)) == {
        "size": 100_000
    }
    assert standin.socket_request("slash_commands", slash_command("y" * 1_000)) == {"size": 1_000}


def test_ping_and_pong_both_ways(standin: SlackStandIn, sdk_client: Client) -> None:
    sdk_client.sdk.connect()
    standin.wait_for_socket()
    # The client pings as soon as it is connected, and counts the connection stale without pongs.
    session = sdk_client.sdk.current_session
    assert session is not None
    wait_until(lambda: session.last_ping_pong_time is not None)
    assert standin.socket_ping() == 1


def test_a_client_that_goes_away_leaves_no_connection(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    sdk_client.sdk.connect()
    standin.wait_for_socket()
    sdk_client.sdk.close()
    wait_until(lambda: standin.socket_connections() == 0)
    assert standin.socket_ping(timeout=0.2) == 0


def test_stop_closes_connections_with_going_away(standin: SlackStandIn, sdk_client: Client) -> None:
    sdk_client.sdk.connect()
    standin.wait_for_socket()
    standin.stop()
    wait_until(lambda: bool(sdk_client.closes))
    assert sdk_client.closes == [(1001, "server shutting down")]
    assert standin.socket_connections() == 0


def test_disconnect_makes_the_client_reconnect(standin: SlackStandIn) -> None:
    client = Client(standin, auto_reconnect=True)
    client.listen(answer_with(lambda request: {"text": "ok"}))
    try:
        client.sdk.connect()
        standin.wait_for_socket()
        assert standin.socket_disconnect("refresh_requested") == 1
        # The client opens a new connection (a new URL, a second hello), then closes the old one.
        wait_until(lambda: [m["type"] for m in client.messages].count("hello") == 2)
        assert len(standin.calls("apps.connections.open")) == 2
        wait_until(lambda: standin.socket_connections() == 1)
        assert standin.socket_request("slash_commands", slash_command()) == {"text": "ok"}
        assert standin.socket_envelopes()[-1].connection == 2
        assert {"type": "disconnect", "reason": "refresh_requested"}.items() <= (
            client.messages[1].items()
        )
    finally:
        client.shut(standin)


def test_an_envelope_nobody_acknowledges_times_out(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    release = threading.Event()

    def slow(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        release.wait(5)
        answer_with(lambda _: {"text": "late"})(client, request)

    sdk_client.listen(slow)
    sdk_client.sdk.connect()
    with pytest.raises(TimeoutError):
        standin.socket_request("slash_commands", slash_command(), timeout=0.3)
    release.set()
    wait_until(lambda: bool(standin.socket_acks()))
    (ack,) = standin.socket_acks()
    assert ack.payload == {"text": "late"}
    assert ack.elapsed is not None and ack.elapsed >= 0.3


def test_a_request_without_a_connection_times_out(standin: SlackStandIn) -> None:
    with pytest.raises(TimeoutError):
        standin.socket_request("slash_commands", slash_command(), timeout=0.1)
    with pytest.raises(TimeoutError):
        standin.wait_for_socket(timeout=0.1)
    with pytest.raises(ValueError):
        standin.socket_request("hello", {})


def test_reset_forgets_envelopes_and_acks_but_keeps_the_connection(
    standin: SlackStandIn, sdk_client: Client
) -> None:
    sdk_client.listen(answer_with(lambda request: {"text": "ok"}))
    sdk_client.sdk.connect()
    standin.socket_request("slash_commands", slash_command())
    standin.reset()
    assert standin.socket_envelopes() == [] and standin.socket_acks() == []
    assert standin.socket_connections() == 1
    assert standin.socket_request("slash_commands", slash_command()) == {"text": "ok"}


# -- raw frames ---------------------------------------------------------------------------------


def client_frame(opcode: int, payload: bytes, *, fin: bool = True, masked: bool = True) -> bytes:
    """Written out here rather than taken from the stand-in, to test it against RFC 6455."""
    head = bytes([(0x80 if fin else 0) | opcode])
    bit = 0x80 if masked else 0
    if len(payload) < 126:
        head += bytes([bit | len(payload)])
    elif len(payload) < 65536:
        head += bytes([bit | 126]) + struct.pack("!H", len(payload))
    else:
        head += bytes([bit | 127]) + struct.pack("!Q", len(payload))
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class Raw:
    """A hand-written WebSocket client."""

    def __init__(self, url: str, *, key: str | None = None, version: str = "13") -> None:
        target = urlsplit(url)
        assert target.port is not None
        self.sock = socket.create_connection(("127.0.0.1", target.port), timeout=5)
        self.stream = self.sock.makefile("rb")
        self.key = key if key is not None else base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {target.path}?{target.query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            f"Sec-WebSocket-Key: {self.key}\r\nSec-WebSocket-Version: {version}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.status = int(self.stream.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self.stream.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def send(self, opcode: int, payload: bytes, **options: bool) -> None:
        self.sock.sendall(client_frame(opcode, payload, **options))

    def receive(self) -> tuple[int, bytes]:
        first, second = self.stream.read(2)
        assert first & 0x80, "the stand-in sends whole messages"
        assert not second & 0x80, "server frames are not masked"
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.stream.read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.stream.read(8))
        return first & 0x0F, self.stream.read(length)

    def receive_json(self) -> dict[str, Any]:
        opcode, data = self.receive()
        assert opcode == 0x1
        return dict(json.loads(data))

    def closed_with(self) -> int:
        opcode, data = self.receive()
        assert opcode == 0x8
        (code,) = struct.unpack("!H", data[:2])
        return int(code)

    def close(self) -> None:
        self.stream.close()
        self.sock.close()


def ws_url(standin: SlackStandIn) -> str:
    return str(
        WebClient(base_url=standin.api_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    )


@pytest.fixture
def raw(standin: SlackStandIn) -> Iterator[Raw]:
    client = Raw(ws_url(standin))
    yield client
    client.close()


def test_accept_key_is_rfc_6455s_example() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_the_handshake_answers_101_and_hello(standin: SlackStandIn, raw: Raw) -> None:
    assert raw.status == 101
    assert raw.headers["upgrade"].lower() == "websocket"
    assert raw.headers["sec-websocket-accept"] == accept_key(raw.key)
    assert raw.receive_json()["type"] == "hello"
    assert standin.wait_for_socket() == 1


def test_a_ticket_works_once(standin: SlackStandIn) -> None:
    url = ws_url(standin)
    first = Raw(url)
    second = Raw(url)
    try:
        assert (first.status, second.status) == (101, 401)
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        (lambda url: url.replace("ticket=", "ticket=x"), 401),
        (lambda url: url.replace("/link/", "/other/"), 404),
    ],
)
def test_a_wrong_url_is_refused(
    standin: SlackStandIn, change: Callable[[str], str], status: int
) -> None:
    client = Raw(change(ws_url(standin)))
    try:
        assert client.status == status
        assert standin.socket_connections() == 0
    finally:
        client.close()


def test_a_bad_key_or_version_is_refused(standin: SlackStandIn) -> None:
    bad_key = Raw(ws_url(standin), key="short")
    old_version = Raw(ws_url(standin), version="8")
    try:
        assert bad_key.status == 400
        assert old_version.status == 426
        assert old_version.headers["sec-websocket-version"] == "13"
    finally:
        bad_key.close()
        old_version.close()


def test_masked_acks_of_every_length_and_fragmented(standin: SlackStandIn, raw: Raw) -> None:
    raw.receive_json()  # hello
    answers: dict[int, dict[str, Any] | None] = {}

    def ask(size: int) -> None:
        answers[size] = standin.socket_request("slash_commands", {"text": "t" * size})

    for size, fragmented in ((10, False), (1_000, False), (70_000, False), (200, True)):
        asking = threading.Thread(target=ask, args=(size,))
        asking.start()
        envelope = raw.receive_json()
        assert envelope["payload"]["text"] == "t" * size
        ack = json.dumps(
            {"envelope_id": envelope["envelope_id"], "payload": {"text": "a" * size}}
        ).encode()
        if fragmented:
            raw.send(0x1, ack[:50], fin=False)
            raw.send(0x9, b"in-between")  # control frames may come between fragments
            raw.send(0x0, ack[50:120], fin=False)
            raw.send(0x0, ack[120:])
            assert raw.receive() == (0xA, b"in-between")
        else:
            raw.send(0x1, ack)
        asking.join(5)
        assert answers[size] == {"text": "a" * size}


def test_ping_is_answered_with_the_same_data(raw: Raw) -> None:
    raw.receive_json()
    raw.send(0x9, b"are you there")
    assert raw.receive() == (0xA, b"are you there")


def test_the_close_handshake_echoes_the_code(standin: SlackStandIn, raw: Raw) -> None:
    raw.receive_json()
    raw.send(0x8, struct.pack("!H", 1000) + b"bye")
    assert raw.closed_with() == 1000
    wait_until(lambda: standin.socket_connections() == 0)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        pytest.param(client_frame(0x1, b"{}", masked=False), 1002, id="clients-must-mask"),
        pytest.param(client_frame(0x2, b"\x00\x01"), 1003, id="binary-socket-mode-is-text"),
        pytest.param(client_frame(0x1, b"\xff\xfe"), 1007, id="text-not-utf8"),
        pytest.param(client_frame(0x3, b""), 1002, id="reserved-opcode"),
        pytest.param(client_frame(0x0, b"more"), 1002, id="continuation-of-nothing"),
        pytest.param(client_frame(0x9, b"", fin=False), 1002, id="fragmented-control-frame"),
    ],
)
def test_protocol_errors_close_the_connection(
    standin: SlackStandIn, raw: Raw, frame: bytes, code: int
) -> None:
    raw.receive_json()
    raw.sock.sendall(frame)
    assert raw.closed_with() == code
    assert raw.stream.read(1) == b""
    wait_until(lambda: standin.socket_connections() == 0)


def test_anything_but_an_ack_is_ignored(standin: SlackStandIn, raw: Raw) -> None:
    raw.receive_json()
    for text in (b"not json", b"[]", b'{"type": "hello"}'):
        raw.send(0x1, text)
    raw.send(0x9, b"still here")
    assert raw.receive() == (0xA, b"still here")
    assert standin.socket_acks() == []
    assert standin.socket_connections() == 1
