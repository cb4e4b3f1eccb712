"""The sandbox's world: a pretend Slack with a few people, the sample data, the real app served
over HTTP on loopback, and a clock the person moves."""

from __future__ import annotations

import secrets
import sys
import tempfile
import threading
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.app import create_app
from bot.config import DEFAULT_TIMEZONE, Secret, Settings
from bot.runtime import EVENTS_PATH, wsgi_application
from bot.sandbox.moments import SandboxClock
from bot.sandbox.session import COMMAND_CHANNEL, USAGE, SandboxSession
from handlers import jobs
from handlers.dispatcher import Dispatcher
from handlers.home_refresh import HomeRefresher
from slack_standin import SlackStandIn
from slack_standin.signed import SignedPoster
from storage import deliveries, imports, schema
from storage.database import Database

MEMBER = "U0MEMBER01"
COORDINATOR = "U0COORD001"
ANNOUNCE_CHANNEL = "C0ANNOUNCE"
PEOPLE = {
    MEMBER: ("Maria (member)", "America/Chicago"),
    COORDINATOR: ("Katie (coordinator)", "America/Chicago"),
    "U0SAMPLE01": ("Flossmoor contact", "America/Chicago"),
    "U0SAMPLE02": ("Chicago contact", "America/Chicago"),
    "U0COACH001": ("Coach", "America/New_York"),
}
CHANNELS = {ANNOUNCE_CHANNEL: "dei-working-group", COMMAND_CHANNEL: "general"}
TIER_4_PER_MINUTE = 100  # views.publish, as Slack limits it
# A Monday in the sample calendar: its next meeting and the pilot's coaching session are ahead.
SANDBOX_START = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
SAMPLE_DATA = resources.files("bot") / "sample" / "working-group.yaml"


def run_sandbox(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    from waitress.server import create_server

    interactive = stdin.isatty()
    with tempfile.TemporaryDirectory(prefix="dei-bot-sandbox-") as workdir, SlackStandIn() as slack:
        for user, (name, zone) in PEOPLE.items():
            slack.add_user(user, name=name, real_name=name, tz=zone)
        for channel, name in CHANNELS.items():
            slack.add_channel(channel, name=name)
        slack.rate_limit("views.publish", per_minute=TIER_4_PER_MINUTE)
        settings = Settings(
            bot_token=Secret("xoxb-sandbox-" + secrets.token_hex(8)),
            signing_secret=Secret(secrets.token_hex(16)),
            api_url=slack.api_url,
            database_url=f"sqlite:///{Path(workdir) / 'sandbox.db'}",
            coordinators=(COORDINATOR,),
            announce_channel=ANNOUNCE_CHANNEL,
        )
        db = Database(settings.database_url)
        schema.upgrade(db)
        with resources.as_file(SAMPLE_DATA) as path:
            report = imports.import_file(db, path)
        clock = SandboxClock(SANDBOX_START)
        refresher = HomeRefresher()
        app = create_app(settings, db, clock=clock.now, home_refresher=refresher)
        # No background clock here: the sandbox runs the jobs itself whenever the person acts or
        # moves time, so a script's output is the same every time.
        dispatcher = Dispatcher(
            db,
            WebClient(token=settings.bot_token.value, base_url=settings.api_url),
            coordinators=settings.coordinators,
            group_zone=settings.timezone,
            clock=clock.now,
        )
        server = create_server(wsgi_application(app, db), host="127.0.0.1", port=0, threads=4)
        port = server.effective_port  # type: ignore[union-attr]
        threading.Thread(target=server.run, name="sandbox-http", daemon=True).start()
        session = SandboxSession(
            run_jobs=lambda: run_jobs(db, settings, dispatcher, clock),
            next_due=lambda after: next_due(db, after),
            poster=SignedPoster(
                f"http://127.0.0.1:{port}{EVENTS_PATH}", settings.signing_secret.value
            ),
            slack=slack,
            clock=clock,
            refresher=refresher,
            people={user: name for user, (name, _) in PEOPLE.items()},
            channels=CHANNELS,
            roles={"member": MEMBER, "coordinator": COORDINATOR},
            zone=settings.timezone,
            out=stdout,
        )
        stdout.write(
            "dei-bot sandbox: the real bot, a pretend Slack on this computer, sample data "
            f"({loaded(report)}).\n"
        )
        stdout.write(USAGE.format(who=session.who) + "\n")
        session.start()
        try:
            session.run(stdin, echo=not interactive)
        finally:
            refresher.stop()
            # Requests still being answered finish first; closing under them makes waitress
            # write to a closed trigger.
            server.task_dispatcher.shutdown(timeout=5)
            server.close()
            db.dispose()
    return 0


def loaded(report: imports.ImportReport) -> str:
    return ", ".join(
        f"{section.replace('_', ' ')}: {counts.created + counts.updated + counts.unchanged}"
        for section, counts in report.sections.items()
    )


def run_jobs(db: Database, settings: Settings, dispatcher: Dispatcher, clock: SandboxClock) -> None:
    jobs.plan_upcoming_reminders(db, settings.reminder_offsets, clock.now())
    jobs.plan_monthly_topic(
        db, settings.announce_channel, settings.announce_at, settings.timezone, clock.now()
    )
    jobs.plan_miss_digest(db, settings.coordinators, settings.timezone, clock.now())
    dispatcher.run_once()


def next_due(db: Database, after: datetime) -> datetime | None:
    with db.transaction() as session:
        return deliveries.next_due(session, after)
