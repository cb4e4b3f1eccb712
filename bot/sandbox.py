"""`dei-bot sandbox`: the whole bot offline, no Slack account needed.

It runs the real app, served over real HTTP on loopback, against the project's Slack stand-in,
with the sample data. What a person types at the prompt becomes a correctly signed request, as
Slack would send it; what the bot sends to Slack is read back from the stand-in and drawn as text.
"""

from __future__ import annotations

import re
import secrets
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from slack_sdk import WebClient

from bot.app import create_app
from bot.config import DEFAULT_TIMEZONE, Secret, Settings, parse_duration
from bot.runtime import EVENTS_PATH, wsgi_application
from handlers import jobs
from handlers.dispatcher import Dispatcher
from slack_standin import SlackStandIn
from slack_standin.signed import SignedPoster
from storage import imports, schema
from storage.database import Database

MEMBER = "U0MEMBER01"
COORDINATOR = "U0COORD001"
PEOPLE = {
    MEMBER: ("Maria (member)", "America/Chicago"),
    COORDINATOR: ("Katie (coordinator)", "America/Chicago"),
    "U0SAMPLE01": ("Flossmoor contact", "America/Chicago"),
    "U0SAMPLE02": ("Chicago contact", "America/Chicago"),
    "U0COACH001": ("Coach", "America/New_York"),
}
RESPONSE_WAIT_S = 5

USAGE = """\
Type what a person would type in Slack, or a sandbox command:
  /dei-topic [words]        the slash command, e.g. /dei-topic help, /dei-topic calendar
  as member | as coordinator
                            who is typing (now: {who})
  home                      open the App Home tab
  wait 1h | wait 2d         move the sandbox clock forward (units s, m, h, d)
  wait until 2027-01-12 09:00
                            move the clock to a moment in the group's time zone
  now                       show the sandbox clock
  help                      this text
  quit                      leave (so does Ctrl-D)"""


class SandboxClock:
    """The bot's `now`, which the person at the prompt can move forward."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, by: timedelta) -> None:
        with self._lock:
            self._offset += by


SAMPLE_DATA = resources.files("bot") / "sample" / "working-group.yaml"


def run_sandbox(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    from waitress.server import create_server

    interactive = stdin.isatty()
    with tempfile.TemporaryDirectory(prefix="dei-bot-sandbox-") as workdir, SlackStandIn() as slack:
        for user, (name, zone) in PEOPLE.items():
            slack.add_user(user, name=name, real_name=name, tz=zone)
        settings = Settings(
            bot_token=Secret("xoxb-sandbox-" + secrets.token_hex(8)),
            signing_secret=Secret(secrets.token_hex(16)),
            api_url=slack.api_url,
            database_url=f"sqlite:///{Path(workdir) / 'sandbox.db'}",
            coordinators=(COORDINATOR,),
            announce_channel="C0ANNOUNCE",
        )
        db = Database(settings.database_url)
        schema.upgrade(db)
        with resources.as_file(SAMPLE_DATA) as path:
            report = imports.import_file(db, path)
        clock = SandboxClock()
        app = create_app(settings, db, clock=clock.now)
        # No background clock here: the sandbox runs the jobs itself whenever time moves, so a
        # script's output is the same every time.
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
            poster=SignedPoster(
                f"http://127.0.0.1:{port}{EVENTS_PATH}", settings.signing_secret.value
            ),
            slack=slack,
            clock=clock,
            out=stdout,
        )
        stdout.write(
            "dei-bot sandbox: the real bot, a pretend Slack on this computer, sample data "
            f"({loaded(report)}).\n"
        )
        stdout.write(USAGE.format(who=session.who) + "\n")
        session.run_jobs()  # as `dei-bot run` does at start-up
        try:
            session.run(stdin, echo=not interactive)
        finally:
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
    dispatcher.run_once()


class SandboxSession:
    def __init__(
        self,
        *,
        run_jobs: Callable[[], None],
        poster: SignedPoster,
        slack: SlackStandIn,
        clock: SandboxClock,
        out: TextIO,
    ) -> None:
        self.run_jobs = run_jobs
        self.poster = poster
        self.slack = slack
        self.clock = clock
        self.out = out
        self.user = MEMBER
        self.seen_calls = 0

    @property
    def who(self) -> str:
        return PEOPLE[self.user][0]

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def run(self, lines: TextIO, *, echo: bool) -> None:
        while True:
            if not echo:
                self.out.write(f"{self.who}> ")
                self.out.flush()
            line = lines.readline()
            if not line:
                return
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if echo:
                self.say(f"{self.who}> {line}")
            if line in ("quit", "exit"):
                return
            self.handle(line)

    def handle(self, line: str) -> None:
        if line.startswith("/dei-topic"):
            self.slash_command(line[len("/dei-topic") :].strip())
        elif line in ("as member", "as coordinator"):
            self.user = MEMBER if line.endswith("member") else COORDINATOR
            self.say(f"(you are now {self.who})")
        elif line == "home":
            self.open_home()
        elif line.startswith("wait"):
            self.wait(line[len("wait") :].strip())
        elif line == "now":
            self.say(f"(sandbox time: {self.local_now():%A %B %-d, %Y %H:%M %Z})")
        elif line == "help":
            self.say(USAGE.format(who=self.who))
        else:
            self.say("(not a sandbox command; type help. Slack commands start with /dei-topic)")

    def slash_command(self, text: str) -> None:
        key = uuid.uuid4().hex
        status, answer = self.poster.slash_command(
            text, user=self.user, response_url=self.slack.response_url(key)
        )
        if status != 200:
            self.say(f"(the bot answered HTTP {status})")
            return
        if answer:
            self.show_message(answer)
        deadline = time.monotonic() + (0 if answer else RESPONSE_WAIT_S)
        while time.monotonic() < deadline and not self.slack.responses(key):
            time.sleep(0.02)
        for posted in self.slack.responses(key):
            self.show_message(posted.body)
        self.show_new_calls()

    def open_home(self) -> None:
        before = len(self.slack.calls("views.publish"))
        self.poster.event({"type": "app_home_opened", "user": self.user, "tab": "home"})
        deadline = time.monotonic() + RESPONSE_WAIT_S
        while time.monotonic() < deadline and len(self.slack.calls("views.publish")) == before:
            time.sleep(0.02)
        published = self.slack.calls("views.publish")[before:]
        if not published:
            self.say("(the Home tab did not load)")
            return
        view = published[-1].json_arg("view") or {}
        self.say("┌─ App Home ─")
        self.say(render_blocks(view.get("blocks", []), self.names()))
        self.say("└─")
        self.seen_calls = len(self.slack.calls())

    def wait(self, how: str) -> None:
        try:
            if how.startswith("until "):
                target = datetime.fromisoformat(how[len("until ") :].strip())
                if target.tzinfo is None:
                    target = target.replace(tzinfo=self.local_now().tzinfo)
                by = target - self.clock.now()
                if by <= timedelta():
                    self.say("(that moment has passed; the sandbox clock only moves forward)")
                    return
            else:
                by = parse_duration(how or "")
        except ValueError:
            self.say("(try: wait 1h, wait 30m, wait 2d, or wait until 2027-01-12 09:00)")
            return
        self.clock.advance(by)
        self.say(f"(sandbox time: {self.local_now():%A %B %-d, %Y %H:%M %Z})")
        self.run_jobs()
        self.show_new_calls()

    def local_now(self) -> datetime:
        from zoneinfo import ZoneInfo

        return self.clock.now().astimezone(ZoneInfo(DEFAULT_TIMEZONE))

    def names(self) -> dict[str, str]:
        return {user: name for user, (name, _) in PEOPLE.items()}

    def show_message(self, message: dict[str, Any]) -> None:
        visibility = (
            "only you" if message.get("response_type", "ephemeral") == "ephemeral" else "everyone"
        )
        self.say(f"┌─ dei-bot (visible to {visibility}) ─")
        blocks = message.get("blocks") or []
        self.say(
            render_blocks(blocks, self.names())
            if blocks
            else render_mrkdwn(message.get("text", ""), self.names())
        )
        self.say("└─")

    def where(self, channel: str, response: dict[str, Any]) -> str:
        """A DM reads as one, addressed by name; a channel by its ID."""
        landed = str(response.get("channel", channel))
        person = next(
            (user for user in PEOPLE if landed == "D" + user[1:] or channel == user), None
        )
        if person == self.user:
            return "dei-bot sent you a direct message"
        if person:
            return f"dei-bot sent {PEOPLE[person][0]} a direct message"
        return f"dei-bot posted in {channel}"

    def show_new_calls(self) -> None:
        """Messages the bot posted on its own (announcements, DMs) since we last looked."""
        calls = self.slack.calls()
        for call in calls[self.seen_calls :]:
            if call.method == "chat.postMessage" and call.response.get("ok"):
                self.say(f"┌─ {self.where(call.args.get('channel', '?'), call.response)} ─")
                blocks = call.json_arg("blocks") or []
                text = call.args.get("text", "")
                self.say(
                    render_blocks(blocks, self.names())
                    if blocks
                    else render_mrkdwn(text, self.names())
                )
                self.say("└─")
        self.seen_calls = len(calls)


def render_mrkdwn(text: str, names: dict[str, str]) -> str:
    """Slack's markup as a terminal would show it: dates, links and mentions resolved."""
    text = re.sub(r"<!date\^\d+\^[^|>]*\|([^>]*)>", r"\1", text)
    text = re.sub(r"<@([UW][A-Z0-9]+)>", lambda m: "@" + names.get(m[1], m[1]), text)
    text = re.sub(r"<!(channel|here|everyone)>", r"@\1", text)
    text = re.sub(
        r"<(https?://[^|>]+)\|([^>]+)>",
        lambda m: m[1] if m[2] in (m[1], m[1][:79] + "…") else f"{m[2]} ({m[1]})",
        text,
    )
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def render_blocks(blocks: list[dict[str, Any]], names: dict[str, str]) -> str:
    lines: list[str] = []
    buttons = 0
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"│ ** {block['text']['text']} **")
        elif kind == "section":
            text = (block.get("text") or {}).get("text", "")
            fields = [field.get("text", "") for field in block.get("fields") or []]
            for chunk in [text, *fields]:
                lines += [f"│ {line}" for line in render_mrkdwn(chunk, names).splitlines() if chunk]
        elif kind == "context":
            for element in block.get("elements", []):
                lines.append(f"│   ({render_mrkdwn(element.get('text', ''), names)})")
        elif kind == "divider":
            lines.append("│ " + "─" * 40)
        elif kind == "actions":
            labels = []
            for element in block.get("elements", []):
                buttons += 1
                labels.append(f"[{buttons}] {element.get('text', {}).get('text', '?')}")
            lines.append("│ " + "  ".join(labels))
    return "\n".join(lines)
