"""The HTTP side of the stand-in: routes, argument parsing, tokens, fault injection, recording."""

from __future__ import annotations

import contextlib
import copy
import email.message
import email.parser
import email.policy
import json
import math
import queue
import selectors
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from slack_standin.reference import MethodSpec, load_reference
from slack_standin.socket_mode import SocketAck, SocketEnvelope, SocketMode
from slack_standin.workspace import (
    USER_ID,
    SlackError,
    Workspace,
    invalid_arguments,
    is_blank,
    json_value,
    missing_field,
)

HOST = "127.0.0.1"
MAX_BODY = 16 * 1024 * 1024
MAX_HEADERS = 100
# Bot tokens are xoxb-, user tokens xoxp-, and Socket Mode's app-level tokens xapp-.
TOKEN_PREFIXES = ("xox", "xapp-")
APP_TOKEN_PREFIX = "xapp-"
# The methods that take an app-level token, and no other kind; every other method refuses one.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})

Answer = tuple[int, dict[str, Any], dict[str, str]]


@dataclass(frozen=True)
class Call:
    """One Web API request as the stand-in received and answered it."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok") is True

    @property
    def error(self) -> str | None:
        error = self.response.get("error")
        return error if isinstance(error, str) else None

    def json_arg(self, name: str, default: Any = None) -> Any:
        """An argument such as ``blocks``, ``view`` or ``metadata`` decoded from JSON.

        Form bodies carry these as JSON strings and JSON bodies as objects; either way this gives
        the object. Raises ``ValueError`` if a string argument is not valid JSON.
        """
        if name not in self.args:
            return default
        return json_value(self.args[name])


@dataclass(frozen=True)
class ResponsePost:
    """A JSON body POSTed to a ``response_url`` the stand-in handed out."""

    key: str
    body: Any
    at: float


@dataclass
class _Fault:
    method: str | None
    status: int
    retry_after: int
    error: str | None
    remaining: int = 0  # one-shot faults from fail()
    every: int = 0  # periodic faults from fail_every()
    seen: int = 0

    def matches(self, method: str) -> bool:
        return self.method is None or self.method == method

    def answer(self) -> Answer:
        if self.error is not None:
            return 200, {"ok": False, "error": self.error}, {}
        if self.status == 429:
            return (
                429,
                {"ok": False, "error": "ratelimited"},
                {"Retry-After": str(self.retry_after)},
            )
        return self.status, {"ok": False, "error": "internal_error"}, {}


@dataclass
class _RateLimit:
    """Slack's per-method limit: at most ``per_minute`` calls in any 60 seconds, then 429s."""

    per_minute: int
    window: float = 60.0
    answered: deque[float] = field(default_factory=deque)

    def answer(self, at: float) -> Answer | None:
        """A 429 if the window is full (nothing is counted then), else None and ``at`` counts."""
        while self.answered and self.answered[0] <= at - self.window:
            self.answered.popleft()
        if len(self.answered) >= self.per_minute:
            wait = max(1, math.ceil(self.answered[0] + self.window - at))
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
        self.answered.append(at)
        return None


def _check_fault(status: int, error: str | None, retry_after: int) -> None:
    if error is None and status != 429 and not 500 <= status <= 599:
        raise ValueError(f"status must be 429 or 5xx (or give error=...), not {status}")
    if retry_after < 0:
        raise ValueError("retry_after must not be negative")


def _form(text: str) -> dict[str, Any]:
    # Slack takes the last of repeated fields; keep_blank_values so text= is seen as empty.
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _multipart(body: bytes, content_type: str) -> dict[str, Any]:
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields[name] = data if part.get_filename() else data.decode("utf-8", "replace")
    return fields


def uploaded_bytes(body: bytes, content_type: str | None) -> bytes | None:
    """The file POSTed to an upload URL: the raw body, or a multipart form's file.

    slack_sdk POSTs the raw bytes (urllib labels them form-urlencoded, which they are not);
    Slack's own example, ``curl -F filename=@file``, sends a multipart form instead.
    """
    full_type = content_type or ""
    if full_type.split(";", 1)[0].strip().lower() != "multipart/form-data":
        return body
    fields = _multipart(body, full_type)
    for value in fields.values():
        if isinstance(value, bytes):
            return value
    for name in ("filename", "file"):
        value = fields.get(name)
        if isinstance(value, str):
            return value.encode("utf-8")
    return None


def parse_args(
    query: str, content_type: str | None, body: bytes
) -> tuple[dict[str, Any], str | None]:
    """Arguments from query string and body (body wins), and a Slack error if unparseable."""
    args = _form(query)
    if not body:
        return args, None
    full_type = content_type or "application/x-www-form-urlencoded"
    kind = full_type.split(";", 1)[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(body)
        except ValueError:
            return args, "invalid_json"
        if not isinstance(data, dict):
            return args, "invalid_json"
        args.update(data)
    elif kind in ("application/x-www-form-urlencoded", "text/plain"):
        try:
            args.update(_form(body.decode("utf-8")))
        except UnicodeDecodeError:
            return args, "invalid_form_data"
    elif kind == "multipart/form-data":
        args.update(_multipart(body, full_type))
    else:
        return args, "invalid_post_type"
    return args, None


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive for clients that pool them; every answer therefore
    # carries an exact Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "SlackStandIn/1.0"
    sys_version = ""
    disable_nagle_algorithm = True
    # An idle keep-alive connection holds a worker thread; give it back eventually.
    timeout = 120
    server: _Server
    raw_requestline: bytes
    _headers_buffer: list[bytes]

    def parse_request(self) -> bool:
        # The stdlib version runs headers through the email package's feed parser, which was
        # about 40% of the cost of a request; Slack clients send plain, well-formed HTTP/1.1.
        self.command = ""
        self.request_version = self.default_request_version
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) != 3 or not words[2].startswith("HTTP/1."):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request line")
            return False
        self.command, self.path, self.request_version = words
        headers = email.message.Message()
        for _ in range(MAX_HEADERS + 1):
            line = self.rfile.readline(65537)
            if line in (b"\r\n", b"\n", b""):
                break
            name, colon, value = line.decode("iso-8859-1").partition(":")
            if not colon or len(line) > 65536:
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad header line")
                return False
            headers[name.strip()] = value.strip()
        else:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            return False
        self.headers = headers
        connection = (headers.get("Connection") or "").lower()
        self.close_connection = connection == "close" or (
            self.request_version == "HTTP/1.0" and connection != "keep-alive"
        )
        if (headers.get("Expect") or "").lower() == "100-continue":
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
        return True

    def log_message(self, format: str, *args: Any) -> None:
        # A line on stderr per request would dominate the cost of a request, and drown test output.
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_BODY:
            raise ValueError("bad Content-Length")
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        standin = self.server.standin
        split = urlsplit(self.path)
        path = unquote(split.path)
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(400, {"ok": False, "error": "invalid_request"}, {})
            return
        try:
            if path.startswith("/api/"):
                args, parse_error = parse_args(split.query, self.headers.get("Content-Type"), body)
                token = _bearer(self.headers.get("Authorization"))
                in_header = token is not None
                if token is None and isinstance(args.get("token"), str):
                    token = args["token"]
                answer = standin._api_call(
                    path[len("/api/") :], args, token, parse_error, token_in_header=in_header
                )
            elif path.startswith("/respond/") and self.command == "POST":
                answer = standin._response_post(
                    path[len("/respond/") :], body, self.headers.get("Content-Type")
                )
            elif path.startswith("/upload/") and self.command == "POST":
                # Slack's upload URLs answer in plain text, not JSON.
                status, text = standin._upload(
                    path[len("/upload/") :], body, self.headers.get("Content-Type")
                )
                self._send_bytes(status, text.encode(), "text/plain; charset=utf-8", {})
                return
            else:
                answer = 404, {"ok": False, "error": "not_found"}, {}
        except Exception:
            # A bug in the stand-in must be loud, yet not kill the connection thread silently.
            traceback.print_exc(file=sys.stderr)
            answer = 500, {"ok": False, "error": "standin_internal_error"}, {}
        self._send(*answer)

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(payload, separators=(",", ":")).encode()
        self._send_bytes(status, data, "application/json; charset=utf-8", headers)

    def _send_bytes(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        # Headers and body leave in one write: two small writes cost a syscall each and, on a
        # keep-alive connection, meet Nagle's algorithm and delayed ACKs.
        self._headers_buffer.append(b"\r\n" + data)
        self.flush_headers()


class _Workers:
    """Daemon threads that serve one connection after another.

    slack_sdk opens a new connection per request, and starting a thread for each one (what
    ThreadingHTTPServer does) cost a third of the time of a request. A worker that waits for
    more work is reused; one idle for ``idle_timeout`` seconds ends.
    """

    def __init__(self, idle_timeout: float = 30.0) -> None:
        self._lock = threading.Lock()
        self._idle: list[queue.SimpleQueue[Callable[[], None] | None]] = []
        self._idle_timeout = idle_timeout

    def submit(self, task: Callable[[], None]) -> None:
        with self._lock:
            inbox = self._idle.pop() if self._idle else None
        if inbox is not None:
            inbox.put(task)
        else:
            threading.Thread(
                target=self._work, args=(task,), name="slack-standin-worker", daemon=True
            ).start()

    def _work(self, first: Callable[[], None]) -> None:
        inbox: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        task: Callable[[], None] | None = first
        while task is not None:
            task()
            with self._lock:
                self._idle.append(inbox)
            try:
                task = inbox.get(timeout=self._idle_timeout)
            except queue.Empty:
                with self._lock:
                    if any(q is inbox for q in self._idle):
                        self._idle = [q for q in self._idle if q is not inbox]
                        return
                # submit() took this worker just as it timed out; its task is on the way.
                task = inbox.get()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for inbox in idle:
            inbox.put(None)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # The default backlog of 5 refuses connections when many bot threads connect at once.
    request_queue_size = 1024

    def __init__(self, port: int, standin: SlackStandIn) -> None:
        self.standin = standin
        self._open: set[Any] = set()
        self._open_lock = threading.Lock()
        self._workers = _Workers()
        self._stopping = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__((HOST, port), _Handler)

    def serve(self) -> None:
        """Accept connections until stop_serving().

        serve_forever() would notice a shutdown only at its next poll, which made every stop()
        (one per test) cost up to the poll interval; a wake-up socket ends the loop at once.
        """
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self._stopping.is_set():
                        self._accept_one()

    def _accept_one(self) -> None:
        # What BaseServer._handle_request_noblock does, with public methods only.
        try:
            request, client_address = self.get_request()
        except OSError:
            return
        if not self.verify_request(request, client_address):
            self.shutdown_request(request)
            return
        try:
            self.process_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
            self.shutdown_request(request)

    def stop_serving(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        # process_request_thread handles errors and closes the connection, as in ThreadingMixIn.
        self._workers.submit(lambda: self.process_request_thread(request, client_address))

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        # Keep-alive connections would otherwise go on being served after stop().
        self._workers.close()
        with self._open_lock:
            open_now = list(self._open)
        for request in open_now:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_RDWR)


class SlackStandIn:
    """A Slack Web API stand-in served over HTTP on 127.0.0.1.

    Point ``slack_sdk.WebClient(base_url=standin.api_url)`` at it. Every request is recorded as
    a :class:`Call`; state (messages, views, users) behaves like one Slack workspace.
    """

    def __init__(
        self,
        team_id: str = "T0DEIBOT1",
        team: str = "DEI Working Group",
        bot_user_id: str = "U0DEIBOT1",
        *,
        bot_id: str | None = None,
        app_id: str | None = None,
        bot_name: str = "dei-bot",
        auto_users: bool = True,
        max_calls: int | None = None,
    ) -> None:
        self.team_id = team_id
        self.team = team
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id or "B" + bot_user_id[1:]
        self.app_id = app_id or "A" + bot_user_id[1:]
        self._reference: dict[str, MethodSpec] = load_reference()
        # One lock for everything: requests are cheap to simulate, and a single order of events
        # keeps calls(), messages() and the fault counters consistent with each other.
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._workspace = Workspace(
            team_id=team_id,
            team=team,
            bot_user_id=bot_user_id,
            bot_id=self.bot_id,
            app_id=self.app_id,
            bot_name=bot_name,
            auto_users=auto_users,
        )
        self._calls: deque[Call] = deque(maxlen=max_calls)
        self._responses: list[ResponsePost] = []
        self._faults: list[_Fault] = []
        self._latency: dict[str | None, float] = {}
        self._rate_limits: dict[str, _RateLimit] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket_mode = SocketMode(self._changed, self.app_id)
        self._workspace.handlers["apps.connections.open"] = self._socket_mode.connections_open
        self._workspace.handlers["files.getUploadURLExternal"] = self._get_upload_url

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self, port: int = 0) -> SlackStandIn:
        """Serve on 127.0.0.1 (``port=0``: any free port) from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("already started")
        server = _Server(port, self)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve,
            name=f"slack-standin-{server.server_port}",
            daemon=True,
        )
        self._thread.start()
        self._socket_mode.enable()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.stop_serving()
        if thread is not None:
            thread.join(timeout=5)
        server.server_close()
        server.close_open_connections()
        # After the Web API: an app told to go away must not get a new connection URL.
        self._socket_mode.stop()
        self._server = None
        self._thread = None

    def __enter__(self) -> SlackStandIn:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.api_url if self._server is not None else "stopped"
        return f"<SlackStandIn {self.team_id} {where}>"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("not started: call start() first")
        return self._server.server_port

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        """A ``response_url`` for a test payload; what is POSTed there shows in responses(key)."""
        return f"{self.base_url}/respond/{quote(key, safe='')}"

    def upload_url(self, file_id: str) -> str:
        """Where ``files.getUploadURLExternal`` tells the app to POST the bytes of ``file_id``."""
        return f"{self.base_url}/upload/{quote(file_id, safe='')}"

    # -- set-up ---------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "America/Chicago",
        locale: str = "en-US",
        is_bot: bool = False,
    ) -> None:
        with self._lock:
            self._workspace.add_user(
                user_id, name=name, real_name=real_name, tz=tz, locale=locale, is_bot=is_bot
            )

    def add_channel(self, channel_id: str, *, name: str, is_private: bool = False) -> None:
        """A channel that can also be addressed by ``#name``."""
        with self._lock:
            self._workspace.add_channel(channel_id, name=name, is_private=is_private)

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str,
        thread_ts: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """A message posted by someone else, for the bot to find; returns its ts."""
        with self._lock:
            return self._workspace.add_message(
                channel, text, user=user, thread_ts=thread_ts, blocks=blocks, metadata=metadata
            )

    def trigger_id(self) -> str:
        """A trigger_id that, like Slack's, expires 3 seconds after it was issued.

        Any other string is accepted as a trigger_id too, but only once.
        """
        with self._lock:
            return self._workspace.mint_trigger()

    # -- faults ---------------------------------------------------------------------------------

    def fail(
        self,
        method: str | None = None,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """The next ``times`` calls (of ``method``, or any) fail.

        429 answers ``ratelimited`` with a ``Retry-After`` header, 5xx answers ``internal_error``;
        with ``error`` the answer is instead HTTP 200 ``{"ok": false, "error": error}``.
        """
        _check_fault(status, error, retry_after)
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(_Fault(method, status, retry_after, error, remaining=times))

    def fail_every(
        self,
        n: int,
        *,
        status: int = 429,
        method: str | None = None,
        retry_after: int = 1,
        error: str | None = None,
    ) -> None:
        """Every n-th call from now on fails (counting calls of ``method``, or all calls)."""
        _check_fault(status, error, retry_after)
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._faults.append(_Fault(method, status, retry_after, error, every=n))

    def slow(self, method: str | None = None, *, seconds: float) -> None:
        """Answer calls (of ``method``, or all) ``seconds`` late, after they took effect."""
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        with self._lock:
            self._latency[method] = seconds

    def rate_limit(self, method: str, *, per_minute: int) -> None:
        """From now on ``method`` answers 429 ``ratelimited`` (with a ``Retry-After`` for when a
        call fits again) once ``per_minute`` calls were answered in the last 60 seconds, as
        Slack's tiers do (Tier 4, e.g. views.publish: ``per_minute=100``)."""
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        with self._lock:
            self._rate_limits[method] = _RateLimit(per_minute)

    def clear_faults(self) -> None:
        """Forget faults, slowness and rate limits."""
        with self._lock:
            self._faults.clear()
            self._latency.clear()
            self._rate_limits.clear()

    def reset(self) -> None:
        """Forget calls, responses, messages, views, files, faults and Socket Mode envelopes and
        acknowledgements; keep users, channels and open Socket Mode connections."""
        with self._lock:
            self._socket_mode.forget()
            self._calls.clear()
            self._responses.clear()
            self._faults.clear()
            self._latency.clear()
            self._rate_limits.clear()
            self._workspace.reset()

    def _take_fault(self, method: str) -> _Fault | None:
        chosen: _Fault | None = None
        for fault in self._faults:
            if not fault.matches(method):
                continue
            if fault.every:
                # Periodic faults count every matching call, even one a one-shot fault took.
                fault.seen += 1
                if chosen is None and fault.seen % fault.every == 0:
                    chosen = fault
            elif chosen is None and fault.remaining > 0:
                fault.remaining -= 1
                chosen = fault
        self._faults = [f for f in self._faults if f.every or f.remaining > 0]
        return chosen

    # -- inspection -----------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def responses(self, key: str | None = None) -> list[ResponsePost]:
        with self._lock:
            return [r for r in self._responses if key is None or r.key == key]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages as they stand now (deleted ones gone, updates applied), oldest first.

        Each is Slack's message object plus ``channel``, ``kind`` ("message", "ephemeral" or
        "scheduled"), ``has_text`` (a non-empty plain ``text`` fallback), and for scheduled
        messages ``post_at`` and ``scheduled_message_id``. A user id selects the DM with them.
        """
        with self._lock:
            if channel is not None and USER_ID.fullmatch(channel):
                channel = self._workspace.dm_id(channel)
            return self._workspace.snapshots(channel)

    def views(self) -> list[dict[str, Any]]:
        """Views opened, pushed or published, as they stand now."""
        with self._lock:
            return [copy.deepcopy(v) for v in self._workspace.views.values()]

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._workspace.home_views.get(user_id)
            view = self._workspace.views.get(view_id) if view_id else None
            return copy.deepcopy(view) if view is not None else None

    def files(self) -> list[dict[str, Any]]:
        """Files uploaded and completed (files.completeUploadExternal), oldest first.

        Each has ``id``, ``name`` (the filename), ``title``, ``content`` (the bytes POSTed to the
        upload URL), ``size``, ``channel`` (where it was shared; None if it was not),
        ``channels`` (all of them, when ``channels`` named several), ``thread_ts``, ``ts`` (of
        the file-share message) and ``initial_comment``.
        """
        with self._lock:
            return self._workspace.file_records()

    def wait_for(
        self, method: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> list[Call]:
        """Block until at least ``count`` calls (of ``method``) were answered; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.calls(method)) >= count, timeout):
                got = len(self.calls(method))
                raise TimeoutError(f"{got} of {count} {method or 'calls'} within {timeout} s")
            return self.calls(method)

    def wait_for_responses(
        self, key: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> list[ResponsePost]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.responses(key)) >= count, timeout):
                got = len(self.responses(key))
                raise TimeoutError(f"{got} of {count} responses within {timeout} s")
            return self.responses(key)

    # -- Socket Mode ----------------------------------------------------------------------------

    def socket_connections(self) -> int:
        """Socket Mode connections open now (each from a URL ``apps.connections.open`` gave)."""
        return self._socket_mode.connections()

    def wait_for_socket(self, timeout: float = 5.0, *, count: int = 1) -> int:
        """Block until at least ``count`` Socket Mode connections are open; return how many."""
        return self._socket_mode.wait_for_connections(count, timeout)

    def socket_request(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        timeout: float = 5.0,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> dict[str, Any] | None:
        """Send an envelope over the newest connection and wait for its acknowledgement.

        ``type`` is ``slash_commands``, ``interactive`` or ``events_api``; ``payload`` is what
        Slack would POST over HTTP, as a dict (a slash command's form fields, an interaction's
        ``payload`` JSON, an ``event_callback`` body). Slash commands and interactions accept a
        response payload: the acknowledgement's ``payload`` is returned, ``{}`` if it had none.
        Events do not (Slack ignores any answer), and give None.

        Raises TimeoutError if no connection opens, or nothing acknowledges the envelope, within
        ``timeout`` seconds; ConnectionError if its connection closes first. Every envelope and
        acknowledgement is in socket_envelopes() and socket_acks(), late ones too.
        """
        return self._socket_mode.request(
            type,
            payload,
            timeout=timeout,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )

    def socket_envelopes(self) -> list[SocketEnvelope]:
        return self._socket_mode.envelopes()

    def socket_acks(self) -> list[SocketAck]:
        return self._socket_mode.acks()

    def socket_disconnect(self, reason: str = "refresh_requested") -> int:
        """Send Slack's ``disconnect`` message to every connection; return how many got it.

        Slack's SDKs then open a new connection (a new apps.connections.open) and close the old
        one; the stand-in itself closes nothing.
        """
        return self._socket_mode.disconnect(reason)

    def socket_ping(self, *, timeout: float = 5.0) -> int:
        """Ping every connection; return how many answered with a pong within ``timeout``."""
        return self._socket_mode.ping(timeout)

    # -- request handling (called from the HTTP threads) ----------------------------------------

    def _api_call(
        self,
        method: str,
        args: dict[str, Any],
        token: str | None,
        parse_error: str | None,
        *,
        token_in_header: bool = True,
    ) -> Answer:
        with self._lock:
            at = time.monotonic()
            fault = self._take_fault(method)
            limit = self._rate_limits.get(method)
            limited = limit.answer(at) if limit is not None and fault is None else None
            if fault is not None:
                answer = fault.answer()
            elif limited is not None:
                answer = limited
            else:
                answer = self._answer(method, args, token, parse_error, token_in_header)
            status, body, _ = answer
            self._calls.append(Call(method, args, token, at, status, body))
            self._changed.notify_all()
            delay = self._latency.get(method, self._latency.get(None, 0.0))
        if delay:
            # The call has taken effect; only the answer is late, as when a network stalls.
            time.sleep(delay)
        return answer

    def _answer(
        self,
        method: str,
        args: dict[str, Any],
        token: str | None,
        parse_error: str | None,
        token_in_header: bool = True,
    ) -> Answer:
        spec = self._reference.get(method)
        try:
            if spec is None:
                raise SlackError("unknown_method")
            if parse_error is not None:
                raise SlackError(parse_error)
            if spec.auth:
                app_method = method in APP_TOKEN_METHODS
                if not token:
                    raise SlackError("missing_args" if app_method else "not_authed")
                if not token.startswith(TOKEN_PREFIXES):
                    raise SlackError("invalid_auth")
                if token.startswith(APP_TOKEN_PREFIX) != app_method:
                    # What Slack answers a bot token opening Socket Mode, or an app-level token
                    # posting a message (not in the reference's lists of errors).
                    raise SlackError("not_allowed_token_type")
                if app_method and not token_in_header:
                    # Slack takes the app-level token from the Authorization header only.
                    raise SlackError("invalid_auth")
            missing = [name for name in spec.required if is_blank(args.get(name))]
            if missing:
                raise invalid_arguments(*(missing_field(name) for name in missing))
            handler = self._workspace.handlers.get(method)
            if handler is None:
                return (
                    200,
                    {
                        "ok": True,
                        "warning": "standin_not_simulated",
                        "response_metadata": {"warnings": ["standin_not_simulated"]},
                    },
                    {},
                )
            self._workspace.promote_due()
            return 200, {"ok": True, **handler(args)}, {}
        except SlackError as error:
            return 200, error.body(), {}

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = self._workspace.files_get_upload_url_external(args)["file_id"]
        return {"upload_url": self.upload_url(file_id), "file_id": file_id}

    def _upload(self, file_id: str, body: bytes, content_type: str | None) -> tuple[int, str]:
        """A POST to an upload URL: its bytes are kept until files.completeUploadExternal."""
        data = uploaded_bytes(body, content_type)
        with self._lock:
            upload = self._workspace.pending_upload(file_id)
            # An id never issued, or one already completed: its URL is spent.
            if upload is None:
                return 404, "Not Found"
            if data is None:
                return 400, "no file in the multipart form"
            upload.content = data
            self._changed.notify_all()
        return 200, f"OK - {len(data)}"

    def _response_post(self, key: str, body: bytes, content_type: str | None) -> Answer:
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            payload = None
        # Slack's response_url takes a JSON message; anything else is refused.
        if not isinstance(payload, dict):
            return 400, {"ok": False, "error": "invalid_payload"}, {}
        with self._lock:
            self._responses.append(ResponsePost(key, payload, time.monotonic()))
            self._changed.notify_all()
        return 200, {"ok": True}, {}


__all__ = [
    "Call",
    "ResponsePost",
    "SlackStandIn",
    "SocketAck",
    "SocketEnvelope",
    "parse_args",
    "uploaded_bytes",
]
