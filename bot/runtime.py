"""Serving Slack: HTTP on waitress (a production WSGI server), or Socket Mode."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from storage.database import Database

log = logging.getLogger("dei_bot.runtime")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HTTP_THREADS = 16

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def wsgi_application(
    app: App, db: Database
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH:
            return health(db, start_response)
        return slack(environ, start_response)  # type: ignore[arg-type]

    return application


def health(db: Database, start_response: StartResponse) -> Iterable[bytes]:
    try:
        db.ping()
        status, body = "200 OK", {"ok": True, "database": "ok"}
    except Exception as error:  # a load balancer needs an answer, not a traceback
        log.warning("health check: database unreachable: %s", type(error).__name__)
        status, body = "503 Service Unavailable", {"ok": False, "database": "unreachable"}
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


def serve_http(
    app: App, db: Database, *, host: str, port: int, threads: int = HTTP_THREADS
) -> None:
    from waitress import serve  # imported here: Socket Mode never needs it

    log.info(
        "dei-bot serving Slack on http://%s:%s%s (health: %s)", host, port, EVENTS_PATH, HEALTH_PATH
    )
    serve(
        wsgi_application(app, db),
        host=host,
        port=port,
        threads=threads,
        ident="dei-bot",
        # Slack retries after 3 s, so a request queued longer than that is already lost.
        channel_timeout=30,
        connection_limit=1000,
        backlog=2048,
    )


def serve_socket(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("dei-bot connecting to Slack in Socket Mode")
    SocketModeHandler(app, app_token).start()
