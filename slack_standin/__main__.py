"""Run the stand-in in the foreground: ``python -m slack_standin --port 3001``."""

from __future__ import annotations

import argparse
import threading

from slack_standin.server import SlackStandIn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m slack_standin", description="Slack Web API stand-in on 127.0.0.1"
    )
    parser.add_argument("--port", type=int, default=3001, help="0 picks a free port")
    parser.add_argument("--team-id", default="T0DEIBOT1")
    parser.add_argument("--team", default="DEI Working Group")
    parser.add_argument("--bot-user-id", default="U0DEIBOT1")
    options = parser.parse_args(argv)
    standin = SlackStandIn(
        team_id=options.team_id, team=options.team, bot_user_id=options.bot_user_id
    )
    standin.start(port=options.port)
    print(standin.api_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
