"""`dei-bot` (also `python -m bot`): exit 0 on success, 2 on bad input, 1 on other failure."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bot.config import ConfigError, Mode, Settings
from bot.logs import configure_logging

OK, FAILURE, BAD_INPUT = 0, 1, 2
EXPORTABLE = (
    "all",
    "topics",
    "communities",
    "resources",
    "meetings",
    "cohorts",
    "coaching_sessions",
    "rsvps",
    "attendance",
    "misses",
    "deliveries",
)

log = logging.getLogger("dei_bot.cli")


class Failure(Exception):
    """A failure with a message a person can act on, and the exit status it deserves."""

    def __init__(self, message: str, status: int = FAILURE) -> None:
        super().__init__(message)
        self.status = status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dei-bot",
        description="The DEI working group's Slack bot. Settings come from the environment "
        "or a .env file (see .env.example).",
    )
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="serve Slack (HTTP or Socket Mode)")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="serve POST /slack/events over HTTP")
    mode.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
    run.add_argument("--port", type=int, help="HTTP port (default: PORT, or 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP address to bind (default: 0.0.0.0)")

    commands.add_parser(
        "sandbox", help="the whole bot offline, against a pretend Slack, with sample data"
    )
    announce = commands.add_parser("announce", help="post a meeting's announcement now")
    announce.add_argument("meeting_key", metavar="MEETING_KEY")

    commands.add_parser("check", help="validate settings and reach Slack (auth.test)")

    load = commands.add_parser("import", help="load a YAML data file, all or nothing")
    load.add_argument("file", type=Path)

    export = commands.add_parser("export", help="write data to stdout")
    export.add_argument("what", choices=EXPORTABLE)
    export.add_argument("--meeting", help="a meeting key (rsvps, attendance)")
    export.add_argument("--format", choices=("yaml", "csv"), default=None)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply schema migrations")
    db_commands.add_parser("current", help="show the schema revision")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except ConfigError as error:
        print(error.message(), file=sys.stderr)
        return BAD_INPUT
    except Failure as failure:
        print(f"dei-bot: {failure}", file=sys.stderr)
        return failure.status
    except KeyboardInterrupt:
        return OK


def dispatch(args: argparse.Namespace) -> int:
    from bot import operations  # the heavy imports wait until a command needs them

    if args.command == "run":
        return operations.run(args)
    if args.command == "sandbox":
        from bot.sandbox import run_sandbox

        return run_sandbox()
    if args.command == "announce":
        return operations.announce(args)
    if args.command == "check":
        return operations.check(args)
    if args.command == "import":
        return operations.import_data(args)
    if args.command == "export":
        return operations.export_data(args)
    if args.command == "db":
        return operations.db(args)
    raise Failure(f"unknown command {args.command}", BAD_INPUT)


def load_settings(args: argparse.Namespace, mode: Mode) -> Settings:
    settings = Settings.load(mode, env_file=args.env_file)
    configure_logging(settings.secrets())
    return settings


def describe_slack_error(error: SlackApiError) -> str:
    code = error.response.get("error", "unknown_error")
    hints = {
        "invalid_auth": "the token was not accepted: copy it again from your app's settings",
        "not_authed": "no token reached Slack: set SLACK_BOT_TOKEN",
        "account_inactive": "the token belongs to a deleted user or an uninstalled app",
        "token_revoked": "the token was revoked: reinstall the app and copy the new token",
        "channel_not_found": "the channel does not exist or the bot cannot see it",
        "not_in_channel": "invite the bot to the channel (/invite @dei-bot)",
    }
    return f"{code} ({hints[code]})" if code in hints else code


if __name__ == "__main__":
    sys.exit(main())
