"""Socket Mode: the WebSocket side of Slack, served on 127.0.0.1.

``apps.connections.open`` hands out a single-use ``ws://`` URL. An app that connects gets
Slack's ``hello``, then envelopes (``slash_commands``, ``interactive``, ``events_api``, and
``disconnect`` when asked to reconnect), and acknowledges each envelope by sending
``{"envelope_id": ..., "payload": ...}`` back.

The WebSocket part is a minimal RFC 6455 server: the opening handshake, unmasked frames from
the server and masked frames from the client, text, ping/pong and close, fragmented messages,
and 7-, 16- and 64-bit lengths. No TLS, no extensions (permessage-deflate), no subprotocols.
One daemon thread per connection.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import hashlib
import json
import selectors
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

from slack_standin.workspace import SlackError

HOST = "127.0.0.1"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 16 * 1024 * 1024
MAX_HEADERS = 100
HANDSHAKE_TIMEOUT = 10.0
# Slack wants every envelope acknowledged within 3 seconds.
ACK_DEADLINE = 3.0
ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})
# The acknowledgement of these may carry the answer (a slash command's message, a modal's
# response_action); Slack ignores a payload in the acknowledgement of an event.
ANSWERABLE_TYPES = frozenset({"slash_commands", "interactive"})
DISCONNECT_REASONS = frozenset({"warning", "refresh_requested", "link_disabled"})

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

CLOSE_NORMAL = 1000
CLOSE_GOING_AWAY = 1001
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_NO_STATUS = 1005
CLOSE_INVALID_DATA = 1007
CLOSE_TOO_BIG = 1009


@dataclass(frozen=True)
class SocketEnvelope:
    """An envelope the stand-in sent over a Socket Mode connection."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    connection: int
    at: float
    message: dict[str, Any]  # the JSON text frame, as sent


@dataclass(frozen=True)
class SocketAck:
    """An acknowledgement the app sent back: ``{"envelope_id": ..., "payload": ...}``."""

    envelope_id: str
    payload: dict[str, Any] | None  # None: the acknowledgement had no payload
    connection: int
    at: float
    elapsed: float | None  # seconds after the envelope went out; None for an unknown envelope_id

    @property
    def late(self) -> bool:
        """Later than Slack's 3 seconds: Slack would have retried, or shown the user an error."""
        return self.elapsed is not None and self.elapsed > ACK_DEADLINE


# -- frames -------------------------------------------------------------------------------------


class ProtocolError(Exception):
    """The peer broke RFC 6455; the connection ends with close ``code``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Frame:
    fin: bool
    opcode: int
    payload: bytes


def accept_key(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` answering a ``Sec-WebSocket-Key``."""
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest()).decode("ascii")


def apply_mask(data: bytes, mask: bytes) -> bytes:
    """XOR with the 4-byte key; (un)masking are the same operation."""
    if not data:
        return data
    # One XOR of two big integers: a per-byte loop would cost seconds for a 16 MiB message.
    key = (mask * (len(data) // 4 + 1))[: len(data)]
    value = int.from_bytes(data, "big") ^ int.from_bytes(key, "big")
    return value.to_bytes(len(data), "big")


def encode_frame(
    opcode: int, payload: bytes, *, mask: bytes | None = None, fin: bool = True
) -> bytes:
    """One frame: a server sends them unmasked, a client masked with a 4-byte ``mask``."""
    head = bytearray([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask is not None else 0
    length = len(payload)
    if length < 126:
        head.append(mask_bit | length)
    elif length < 1 << 16:
        head.append(mask_bit | 126)
        head += struct.pack("!H", length)
    else:
        head.append(mask_bit | 127)
        head += struct.pack("!Q", length)
    if mask is not None:
        if len(mask) != 4:
            raise ValueError("a mask is 4 bytes")
        head += mask
        payload = apply_mask(payload, mask)
    return bytes(head) + payload


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size) if size else b""
    if len(data) != size:
        raise EOFError("connection closed inside a frame")
    return data


def read_frame(stream: IO[bytes], *, masked: bool, limit: int = MAX_MESSAGE) -> Frame | None:
    """The next frame, or None at a clean end of stream (between frames).

    ``masked``: whether frames must be masked (true of every frame a client sends).
    """
    head = stream.read(2)
    if not head:
        return None
    if len(head) < 2:
        raise EOFError("connection closed inside a frame")
    first, second = head[0], head[1]
    fin, opcode = bool(first & 0x80), first & 0x0F
    if first & 0x70:
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension")
    if bool(second & 0x80) != masked:
        raise ProtocolError(
            CLOSE_PROTOCOL_ERROR,
            "client frames must be masked" if masked else "server frames must not be masked",
        )
    length = second & 0x7F
    if length == 126:
        length = struct.unpack("!H", _exactly(stream, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", _exactly(stream, 8))[0]
        if length >> 63:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "64-bit length with the top bit set")
    if opcode >= OP_CLOSE and (length > 125 or not fin):
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "control frames are short and unfragmented")
    if length > limit:
        raise ProtocolError(CLOSE_TOO_BIG, f"frame of {length} bytes is over {limit}")
    key = _exactly(stream, 4) if masked else None
    payload = _exactly(stream, length)
    return Frame(fin, opcode, apply_mask(payload, key) if key is not None else payload)


# -- one connection -----------------------------------------------------------------------------


class _Link:
    """One open WebSocket connection; frames leave whole, one writer at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.number = 0
        self.pongs: set[bytes] = set()
        self.close_sent = False
        self._send_lock = threading.Lock()

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        with self._send_lock:
            yield

    def write(self, data: bytes) -> None:
        """Raw bytes; the caller holds ``sending()``."""
        self.sock.sendall(data)

    def send(self, opcode: int, payload: bytes) -> None:
        with self._send_lock:
            if self.close_sent:
                raise ConnectionError("the connection is closing")
            self.sock.sendall(encode_frame(opcode, payload))

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(OP_TEXT, json.dumps(message, separators=(",", ":")).encode())

    def close(self, code: int, reason: str = "") -> None:
        """Send a close frame (once); no data frames may follow it."""
        with self._send_lock:
            if self.close_sent:
                return
            self.close_sent = True
            body = b"" if code == CLOSE_NO_STATUS else struct.pack("!H", code)
            body += reason.encode()[: 125 - len(body)]
            with contextlib.suppress(OSError):
                self.sock.sendall(encode_frame(OP_CLOSE, body))


def _close_code(payload: bytes) -> int:
    if not payload:
        return CLOSE_NO_STATUS
    if len(payload) == 1:
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "a close frame's status code is 2 bytes")
    (code,) = struct.unpack("!H", payload[:2])
    try:
        payload[2:].decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(CLOSE_INVALID_DATA, "close reason is not UTF-8") from None
    if code < 1000 or code in (1004, 1005, 1006, 1015) or 1016 <= code < 3000 or code >= 5000:
        raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"close code {code} may not be sent")
    return int(code)


# -- the listening socket -----------------------------------------------------------------------


class _Listener:
    """Accepts connections on 127.0.0.1 and serves each from its own daemon thread."""

    def __init__(self, serve: Callable[[socket.socket, _Listener], None]) -> None:
        self._serve = serve
        self.sock = socket.create_server((HOST, 0))
        self.port = int(self.sock.getsockname()[1])
        self._stopping = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._thread = threading.Thread(
            target=self._accept, name=f"slack-standin-socket-{self.port}", daemon=True
        )
        self._thread.start()

    def _accept(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self.sock, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is not self.sock or self._stopping.is_set():
                        continue
                    try:
                        conn, _address = self.sock.accept()
                    except OSError:
                        continue
                    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    thread = threading.Thread(
                        target=self._run, args=(conn,), name="slack-standin-link", daemon=True
                    )
                    with self._lock:
                        self._open.add(conn)
                        self._threads.add(thread)
                    thread.start()

    def _run(self, conn: socket.socket) -> None:
        try:
            self._serve(conn, self)
        finally:
            with self._lock:
                self._open.discard(conn)
                self._threads.discard(threading.current_thread())
            with contextlib.suppress(OSError):
                conn.close()

    def stop(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"\0")
        self._thread.join(timeout)
        self.sock.close()
        self._wake_reader.close()
        self._wake_writer.close()
        with self._lock:
            open_now, threads = list(self._open), list(self._threads)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


# -- Slack's side -------------------------------------------------------------------------------


def _refusal(status: int, phrase: str, error: str, extra: str = "") -> bytes:
    body = json.dumps({"ok": False, "error": error}).encode()
    head = (
        f"HTTP/1.1 {status} {phrase}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n"
    )
    return head.encode("latin-1") + body


class SocketMode:
    """Tickets, connections, envelopes and acknowledgements.

    Shares the stand-in's lock (through ``changed``), so calls, envelopes and acknowledgements
    are recorded in one order and ``wait_for``-style waits see them all.
    """

    def __init__(self, changed: threading.Condition, app_id: str) -> None:
        self._changed = changed
        self._app_id = app_id
        self._enabled = False
        self._listener: _Listener | None = None
        self._tickets: set[str] = set()
        self._links: dict[int, _Link] = {}
        self._opened = 0
        self._envelopes: list[SocketEnvelope] = []
        self._acks: list[SocketAck] = []

    # -- lifecycle (SlackStandIn.start and stop) ----------------------------------------------

    def enable(self) -> None:
        with self._changed:
            self._enabled = True

    def stop(self) -> None:
        """Close every connection with 1001 (going away) and stop listening."""
        with self._changed:
            self._enabled = False
            listener, self._listener = self._listener, None
            links = list(self._links.values())
            self._tickets.clear()
        for link in links:
            link.close(CLOSE_GOING_AWAY, "server shutting down")
        if listener is not None:
            listener.stop()

    def forget(self) -> None:
        with self._changed:
            self._envelopes.clear()
            self._acks.clear()

    # -- apps.connections.open (called with the stand-in's lock held) -------------------------

    def connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not self._enabled:
            raise SlackError("internal_error")
        if self._listener is None:
            self._listener = _Listener(self._serve)
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        port = self._listener.port
        return {"url": f"ws://{HOST}:{port}/link/?ticket={ticket}&app_id={self._app_id}"}

    # -- inspection and driving ---------------------------------------------------------------

    def connections(self) -> int:
        with self._changed:
            return len(self._links)

    def wait_for_connections(self, count: int, timeout: float) -> int:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._links) >= count, timeout):
                got = len(self._links)
                raise TimeoutError(f"{got} of {count} Socket Mode connections within {timeout} s")
            return len(self._links)

    def envelopes(self) -> list[SocketEnvelope]:
        with self._changed:
            return list(self._envelopes)

    def acks(self) -> list[SocketAck]:
        with self._changed:
            return list(self._acks)

    def request(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        timeout: float,
        accepts_response_payload: bool | None,
        retry_attempt: int,
        retry_reason: str,
    ) -> dict[str, Any] | None:
        if type not in ENVELOPE_TYPES:
            raise ValueError(f"type must be one of {sorted(ENVELOPE_TYPES)}, not {type!r}")
        if not isinstance(payload, dict):
            raise TypeError("payload must be a dict")
        deadline = time.monotonic() + timeout
        accepts = type in ANSWERABLE_TYPES
        if accepts_response_payload is not None:
            accepts = accepts_response_payload
        envelope_id = str(uuid.uuid4())
        message: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": copy.deepcopy(payload),
            "type": type,
            "accepts_response_payload": accepts,
        }
        if type == "events_api":
            message["retry_attempt"] = retry_attempt
            message["retry_reason"] = retry_reason
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._links), timeout):
                raise TimeoutError(f"no Socket Mode connection within {timeout} s")
            # Slack picks one of the app's connections; the newest is the one least likely to be
            # on its way out after a refresh.
            link = self._links[max(self._links)]
            self._envelopes.append(
                SocketEnvelope(
                    envelope_id=envelope_id,
                    type=type,
                    payload=copy.deepcopy(payload),
                    accepts_response_payload=accepts,
                    connection=link.number,
                    at=time.monotonic(),
                    message=copy.deepcopy(message),
                )
            )
        try:
            link.send_json(message)
        except OSError as error:
            raise ConnectionError(f"could not send envelope {envelope_id}: {error}") from error
        with self._changed:
            self._changed.wait_for(
                lambda: self._ack(envelope_id) is not None or link.number not in self._links,
                max(0.0, deadline - time.monotonic()),
            )
            ack = self._ack(envelope_id)
            if ack is None:
                if link.number not in self._links:
                    raise ConnectionError(
                        f"the connection closed before envelope {envelope_id} was acknowledged"
                    )
                raise TimeoutError(
                    f"envelope {envelope_id} ({type}) not acknowledged in {timeout} s"
                )
        if not accepts:
            return None
        return copy.deepcopy(ack.payload) if ack.payload is not None else {}

    def disconnect(self, reason: str) -> int:
        """Ask every connection to reconnect, as Slack does before it recycles a connection."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"reason must be one of {sorted(DISCONNECT_REASONS)}")
        message = {
            "type": "disconnect",
            "reason": reason,
            "debug_info": {"host": "applink-standin"},
        }
        told = 0
        for link in self._current_links():
            with contextlib.suppress(OSError):
                link.send_json(message)
                told += 1
        return told

    def ping(self, timeout: float) -> int:
        """Ping every connection; how many answered with a pong in time."""
        data = uuid.uuid4().hex.encode()
        links = self._current_links()
        for link in links:
            with contextlib.suppress(OSError):
                link.send(OP_PING, data)
        with self._changed:
            self._changed.wait_for(
                lambda: all(data in k.pongs or k.number not in self._links for k in links),
                timeout,
            )
            return sum(1 for k in links if data in k.pongs)

    def _current_links(self) -> list[_Link]:
        with self._changed:
            return list(self._links.values())

    def _ack(self, envelope_id: str) -> SocketAck | None:
        return next((a for a in self._acks if a.envelope_id == envelope_id), None)

    # -- the connection threads ---------------------------------------------------------------

    def _serve(self, conn: socket.socket, listener: _Listener) -> None:
        stream = conn.makefile("rb")
        link: _Link | None = None
        try:
            conn.settimeout(HANDSHAKE_TIMEOUT)
            accept = self._handshake(conn, stream)
            if accept is None:
                return
            conn.settimeout(None)
            link = _Link(conn)
            with link.sending():
                with self._changed:
                    if self._listener is not listener:
                        return  # stopping
                    self._opened += 1
                    link.number = self._opened
                    self._links[link.number] = link
                    self._changed.notify_all()
                    hello = self._hello(len(self._links))
                response = (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
                )
                # The hello leaves with the handshake's answer: nothing can come before it.
                link.write(response.encode("latin-1") + encode_frame(OP_TEXT, hello))
            self._read(link, stream)
        except (OSError, EOFError):
            pass  # the peer went away, or stop() shut the socket
        finally:
            stream.close()
            if link is not None:
                with self._changed:
                    self._links.pop(link.number, None)
                    self._changed.notify_all()

    def _hello(self, connections: int) -> bytes:
        hello = {
            "type": "hello",
            "num_connections": connections,
            "debug_info": {
                "host": "applink-standin",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self._app_id},
        }
        return json.dumps(hello, separators=(",", ":")).encode()

    def _handshake(self, conn: socket.socket, stream: IO[bytes]) -> str | None:
        """The Sec-WebSocket-Accept value, or None after answering with an HTTP error."""
        request_line = stream.readline(8193).decode("latin-1").rstrip("\r\n")
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADERS + 1):
            line = stream.readline(8193)
            if line in (b"\r\n", b"\n", b""):
                break
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                conn.sendall(_refusal(400, "Bad Request", "invalid_request"))
                return None
            headers[name.strip().lower()] = value.strip()
        else:
            conn.sendall(_refusal(431, "Request Header Fields Too Large", "invalid_request"))
            return None
        words = request_line.split()
        if len(words) != 3 or words[0] != "GET" or words[2] != "HTTP/1.1":
            conn.sendall(_refusal(400, "Bad Request", "invalid_request"))
            return None
        target = urlsplit(words[1])
        if target.path not in ("/link", "/link/"):
            conn.sendall(_refusal(404, "Not Found", "not_found"))
            return None
        connection = {t.strip().lower() for t in headers.get("connection", "").split(",")}
        if headers.get("upgrade", "").lower() != "websocket" or "upgrade" not in connection:
            conn.sendall(
                _refusal(426, "Upgrade Required", "not_a_websocket", "Upgrade: websocket\r\n")
            )
            return None
        if headers.get("sec-websocket-version") != "13":
            extra = "Sec-WebSocket-Version: 13\r\n"
            conn.sendall(_refusal(426, "Upgrade Required", "unsupported_version", extra))
            return None
        key = headers.get("sec-websocket-key", "")
        try:
            key_ok = len(base64.b64decode(key, validate=True)) == 16
        except (binascii.Error, ValueError):
            key_ok = False
        if not key_ok:
            conn.sendall(_refusal(400, "Bad Request", "invalid_websocket_key"))
            return None
        ticket = parse_qs(target.query).get("ticket", [""])[-1]
        with self._changed:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # a URL from apps.connections.open works once
        if not known:
            conn.sendall(_refusal(401, "Unauthorized", "invalid_ticket"))
            return None
        return accept_key(key)

    def _read(self, link: _Link, stream: IO[bytes]) -> None:
        parts: list[bytes] = []
        size = 0
        message_opcode: int | None = None
        try:
            while True:
                frame = read_frame(stream, masked=True)
                if frame is None:
                    return
                opcode = frame.opcode
                if opcode == OP_PING:
                    with contextlib.suppress(ConnectionError):
                        link.send(OP_PONG, frame.payload)
                    continue
                if opcode == OP_PONG:
                    with self._changed:
                        link.pongs.add(frame.payload)
                        self._changed.notify_all()
                    continue
                if opcode == OP_CLOSE:
                    code = _close_code(frame.payload)
                    # Echo the code, as RFC 6455 asks; the peer then closes the TCP connection.
                    link.close(CLOSE_NORMAL if code == CLOSE_NO_STATUS else code)
                    return
                if opcode == OP_CONTINUATION:
                    if message_opcode is None:
                        raise ProtocolError(CLOSE_PROTOCOL_ERROR, "continuation of nothing")
                elif opcode in (OP_TEXT, OP_BINARY):
                    if message_opcode is not None:
                        raise ProtocolError(
                            CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one"
                        )
                    message_opcode = opcode
                else:
                    raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
                parts.append(frame.payload)
                size += len(frame.payload)
                if size > MAX_MESSAGE:
                    raise ProtocolError(CLOSE_TOO_BIG, f"message over {MAX_MESSAGE} bytes")
                if not frame.fin:
                    continue
                data, kind = b"".join(parts), message_opcode
                parts, size, message_opcode = [], 0, None
                if kind == OP_BINARY:
                    raise ProtocolError(CLOSE_UNSUPPORTED_DATA, "Socket Mode speaks text frames")
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise ProtocolError(CLOSE_INVALID_DATA, "text frame is not UTF-8") from None
                self._received(link, text)
        except ProtocolError as error:
            link.close(error.code, error.reason)

    def _received(self, link: _Link, text: str) -> None:
        """An acknowledgement; anything else the app sends, Slack ignores."""
        try:
            message = json.loads(text)
        except ValueError:
            return
        if not isinstance(message, dict) or not isinstance(message.get("envelope_id"), str):
            return
        payload = message.get("payload")
        now = time.monotonic()
        envelope_id = message["envelope_id"]
        with self._changed:
            sent = next((e for e in self._envelopes if e.envelope_id == envelope_id), None)
            self._acks.append(
                SocketAck(
                    envelope_id=envelope_id,
                    payload=payload if isinstance(payload, dict) else None,
                    connection=link.number,
                    at=now,
                    elapsed=now - sent.at if sent is not None else None,
                )
            )
            self._changed.notify_all()


__all__ = ["SocketAck", "SocketEnvelope", "SocketMode", "accept_key", "encode_frame", "read_frame"]
