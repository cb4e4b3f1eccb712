"""The yardstick for `ack_throughput.py`: a bare Bolt app served exactly as dei-bot is served.

One `/dei-topic` listener that answers inside the acknowledgement, and nothing else: no settings,
no logging set-up, no other listeners. It is served through `bot.runtime.serve_http`, so waitress
runs with dei-bot's settings and `/healthz` pings a SQLite database as dei-bot's does.

    SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... SLACK_API_URL=http://127.0.0.1:PORT/api/ \\
    DATABASE_URL=sqlite:///bare.db python bench/bare_bolt_app.py --host 127.0.0.1 --port 3001

`--trivial` serves, through the same `serve_http`, a WSGI app that answers every POST with the
help text without Bolt (no signature check, no parsing): the ceiling of the load generator.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from slack_bolt import Ack, App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot import runtime  # noqa: E402
from storage.database import Database  # noqa: E402

COMMAND = "/dei-topic"
HELP_TEXT = f"How to use {COMMAND}: the bare Bolt app's help text."
REQUIRED = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL", "DATABASE_URL")

WSGIApplication = Callable[[dict[str, Any], runtime.StartResponse], Iterable[bytes]]


def create_bare_app(token: str, signing_secret: str, api_url: str) -> App:
    # Bolt takes the token from the client when a client is given (a token passed beside it is
    # ignored, with a warning), so the token goes on the client. Token verification stays on:
    # the App calls auth.test once, here.
    app = App(signing_secret=signing_secret, client=WebClient(token=token, base_url=api_url))

    @app.command(COMMAND)
    def answer(ack: Ack) -> None:
        ack(HELP_TEXT)

    return app


def trivial_application(app: App, db: Database) -> WSGIApplication:
    """In place of `runtime.wsgi_application`: dei-bot's /healthz, a fixed 200 for the rest."""
    payload = HELP_TEXT.encode()

    def application(environ: dict[str, Any], start_response: runtime.StartResponse) -> list[bytes]:
        if environ.get("PATH_INFO") == runtime.HEALTH_PATH:
            return list(runtime.health(db, start_response))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        start_response(
            "200 OK",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    return application


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--trivial", action="store_true", help="serve a WSGI app without Bolt (client ceiling)"
    )
    args = parser.parse_args(argv)
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        print(f"bare_bolt_app: set {', '.join(missing)}", file=sys.stderr)
        return 2
    db = Database(os.environ["DATABASE_URL"])
    db.ping()
    try:
        if args.trivial:
            # serve_http wraps the Bolt app in runtime.wsgi_application; swapping that one
            # function keeps every waitress setting and the serving path as they are.
            runtime.wsgi_application = trivial_application
            runtime.serve_http(None, db, host=args.host, port=args.port)  # type: ignore[arg-type]
        else:
            app = create_bare_app(
                os.environ["SLACK_BOT_TOKEN"],
                os.environ["SLACK_SIGNING_SECRET"],
                os.environ["SLACK_API_URL"],
            )
            runtime.serve_http(app, db, host=args.host, port=args.port)
    except KeyboardInterrupt:
        pass
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
