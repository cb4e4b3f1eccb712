"""What each `dei-bot` command does, once its arguments are parsed."""

from __future__ import annotations

import argparse
import sys

from slack_sdk.errors import SlackApiError

from bot.app import create_app, utc_clock
from bot.cli import BAD_INPUT, OK, Failure, describe_slack_error, load_settings
from bot.config import Mode, Settings
from bot.runtime import serve_http, serve_socket
from bot.scheduler import build_scheduler
from bot.slack_client import build_client, build_dispatch_client
from handlers.commands import Clock
from handlers.dispatcher import Dispatcher, Tuning
from storage import deliveries, schema
from storage.database import Database


def open_database(settings: Settings) -> Database:
    try:
        db = Database(settings.database_url)
        db.ping()
    except Exception as error:
        raise Failure(
            f"cannot open the database named by DATABASE_URL ({type(error).__name__}): "
            "check that the server is running and the URL is right."
        ) from error
    return db


def run(args: argparse.Namespace) -> int:
    socket = args.socket or (not args.http and bool(_app_token_configured(args)))
    settings = load_settings(args, Mode.SOCKET if socket else Mode.HTTP)
    db = open_database(settings)
    try:
        schema.require_current(db)
    except schema.SchemaOutOfDate as error:
        raise Failure(str(error)) from error
    client = build_client(settings)
    try:
        client.auth_test()
    except SlackApiError as error:
        raise Failure(f"Slack refused SLACK_BOT_TOKEN: {describe_slack_error(error)}") from error
    except Exception as error:
        raise Failure(
            f"cannot reach Slack at {settings.api_url} ({type(error).__name__}): "
            "check the network and SLACK_API_URL."
        ) from error
    app = create_app(settings, db, client=client)
    scheduler = build_scheduler(db, settings, build_dispatcher(db, settings, utc_clock), utc_clock)
    scheduler.start()
    try:
        if socket:
            serve_socket(app, settings.app_token.value)
        else:
            serve_http(app, db, host=args.host, port=args.port or settings.port)
    finally:
        scheduler.shutdown(wait=False)
    return OK


def build_dispatcher(db: Database, settings: Settings, clock: Clock) -> Dispatcher:
    return Dispatcher(
        db,
        build_dispatch_client(settings),
        coordinators=settings.coordinators,
        group_zone=settings.timezone,
        clock=clock,
        tuning=Tuning(lease=settings.delivery_lease),
    )


def _app_token_configured(args: argparse.Namespace) -> bool:
    return Settings.load(Mode.OFFLINE, env_file=args.env_file).socket_mode


def check(args: argparse.Namespace) -> int:
    settings = load_settings(args, Mode.SLACK)
    problems: list[str] = []
    print(f"Settings: OK (Slack Web API at {settings.api_url})")
    try:
        identity = build_client(settings).auth_test()
        print(
            f"Slack: OK, team {identity.get('team')} ({identity.get('team_id')}), "
            f"bot @{identity.get('user')} ({identity.get('user_id')})"
        )
    except SlackApiError as error:
        problems.append(f"Slack refused SLACK_BOT_TOKEN: {describe_slack_error(error)}")
    except Exception as error:
        problems.append(f"cannot reach Slack at {settings.api_url}: {type(error).__name__}")
    if settings.announce_channel and not problems:
        try:
            build_client(settings).conversations_info(channel=settings.announce_channel)
            print(f"Announcement channel: OK ({settings.announce_channel})")
        except SlackApiError as error:
            problems.append(f"DEI_ANNOUNCE_CHANNEL: {describe_slack_error(error)}")
    elif not settings.announce_channel:
        print("Announcement channel: not set (DEI_ANNOUNCE_CHANNEL); monthly posts are off")
    if not settings.coordinators:
        print("Coordinators: none set (DEI_COORDINATORS); nobody can post agendas")
    try:
        db = open_database(settings)
        schema.require_current(db)
        print(f"Database: OK, schema at {schema.current_revision(db)}")
    except (Failure, schema.SchemaOutOfDate) as error:
        problems.append(str(error))
    for problem in problems:
        print(f"Problem: {problem}", file=sys.stderr)
    return OK if not problems else 1


def import_data(args: argparse.Namespace) -> int:
    from storage import imports, reminder_plans
    from storage.datafile import DataFileError

    settings = load_settings(args, Mode.OFFLINE)
    if not args.file.is_file():
        raise Failure(f"{args.file}: no such file", BAD_INPUT)
    db = open_database(settings)
    _require_schema(db)
    try:
        report = imports.import_file(
            db,
            args.file,
            then=lambda session: reminder_plans.plan_upcoming(
                session, settings.reminder_offsets, utc_clock()
            ),
        )
    except DataFileError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"{args.file}: {len(error.problems)} problem(s); nothing was imported.", file=sys.stderr
        )
        return BAD_INPUT
    print(report)
    return OK


def export_data(args: argparse.Namespace) -> int:
    from storage import exports

    settings = load_settings(args, Mode.OFFLINE)
    db = open_database(settings)
    _require_schema(db)
    try:
        with db.transaction() as session:
            output = exports.export(session, args.what, args.format or "yaml", args.meeting)
    except ValueError as error:
        raise Failure(str(error), BAD_INPUT) from error
    sys.stdout.write(output)
    return OK


def db(args: argparse.Namespace) -> int:
    settings = load_settings(args, Mode.OFFLINE)
    database = open_database(settings)
    if args.db_command == "current":
        current = schema.current_revision(database) or "nothing"
        print(f"schema at {current}, code needs {schema.head_revision(database)}")
        return OK
    before, after = schema.upgrade(database)
    print(
        "schema already up to date"
        if before == after
        else f"schema upgraded: {before or 'empty'} -> {after}"
    )
    return OK


def _require_schema(db: Database) -> None:
    try:
        schema.require_current(db)
    except schema.SchemaOutOfDate as error:
        raise Failure(str(error)) from error


def announce(args: argparse.Namespace) -> int:
    from storage import announcements, meetings

    settings = load_settings(args, Mode.SLACK)
    if not settings.announce_channel:
        raise Failure(
            "DEI_ANNOUNCE_CHANNEL is not set: set it to the channel ID where announcements go.",
            BAD_INPUT,
        )
    db = open_database(settings)
    _require_schema(db)
    now = utc_clock()
    key = announcements.post_key(args.meeting_key)
    with db.transaction(write=True) as session:
        meeting = meetings.by_key(session, args.meeting_key)
        if meeting is None:
            raise Failure(
                f"no meeting with key {args.meeting_key!r}; `dei-bot export meetings` lists them.",
                BAD_INPUT,
            )
        if meeting.cancelled_at is not None:
            raise Failure(
                f"meeting {args.meeting_key} is cancelled; nothing to announce.", BAD_INPUT
            )
        posted = announcements.posted_message(session, meeting.key)
        if posted is None:
            announcements.plan_post(session, meeting, settings.announce_channel, now, now)
    if posted is not None:
        print(f"{args.meeting_key} was already announced in {posted[0]} (message {posted[1]}).")
        return OK
    build_dispatcher(db, settings, utc_clock).deliver_now(key)
    with db.transaction() as session:
        row = deliveries.by_key(session, key)
    if row is None or row.state != "sent":
        why = row.last_error if row else "not planned"
        raise Failure(
            f"the announcement was not posted: {why}. It stays queued and will be retried."
        )
    print(f"announced {args.meeting_key} in {row.channel} (message {row.ts}).")
    return OK
