"""The sandbox prompt: what a person types becomes what Slack would send the bot, correctly
signed, and whatever the bot does in the pretend Slack is drawn on the terminal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.sandbox.controls import (
    Control,
    Controls,
    Form,
    before_click,
    chosen_state,
    click_fields,
    typed_state,
)
from bot.sandbox.moments import STEP_MIN, SandboxClock, next_step, parse_wait, shown_time
from bot.sandbox.screen import Screen
from bot.sandbox.watch import COMMAND_CHANNEL, Watcher
from handlers.home_refresh import HomeRefresher
from slack_standin import SlackStandIn
from slack_standin.signed import SignedPoster

MAX_STEPS = 1000  # a wait of years still ends

USAGE = """\
Type what a person would type in Slack, or a sandbox command:
  /dei-topic [words]        the slash command, e.g. /dei-topic help, /dei-topic calendar
  as member | as coordinator
                            who is typing (now: {who})
  home                      open the App Home tab
  press N                   press button N (or by its words: press Going, online)
  choose N WORDS            pick in menu N (an option's number or words; people by name);
                            also by the menu's label: choose Topic = hiring
  fill N TEXT               type into field N of a form (" / " starts a new line);
                            also by the field's label: fill Place = Village Hall
  submit | close            send or close the form on screen
  wait 1h | wait 2d         move the sandbox clock forward (units s, m, h, d)
  wait until tomorrow 9:00  move the clock to a moment in the group's time zone
                            (also: today 13:30, 2027-01-12 10:00)
  now                       show the sandbox clock
  help                      this text
  quit                      leave (so does Ctrl-D)"""


class SandboxSession:
    def __init__(
        self,
        *,
        run_jobs: Callable[[], None],
        next_due: Callable[[datetime], datetime | None],
        poster: SignedPoster,
        slack: SlackStandIn,
        clock: SandboxClock,
        refresher: HomeRefresher,
        people: dict[str, str],
        channels: dict[str, str],
        roles: dict[str, str],
        zone: ZoneInfo,
        out: TextIO,
    ) -> None:
        self.run_jobs = run_jobs
        self.next_due = next_due
        self.poster = poster
        self.slack = slack
        self.clock = clock
        self.roles = roles  # "member" / "coordinator" → user ID
        self.user = roles["member"]
        self.zone = zone
        self.controls = Controls()
        self.screen = Screen(out, self.controls, people, channels)
        self.forms: list[Form] = []
        self.watch = Watcher(
            slack=slack,
            refresher=refresher,
            screen=self.screen,
            run_jobs=run_jobs,
            forms=self.forms,
        )

    @property
    def who(self) -> str:
        return self.screen.people[self.user]

    def say(self, text: str = "") -> None:
        self.screen.say(text)

    # -- the prompt -----------------------------------------------------------------------------

    def start(self) -> None:
        """As `dei-bot run` does at start-up: the clock's jobs run once (anything due goes out)."""
        self.say(f"(sandbox time: {shown_time(self.clock.now(), self.zone)})")
        mark = self.watch.mark()
        self.run_jobs()
        self.watch.show(mark, self.user)

    def run(self, lines: TextIO, *, echo: bool) -> None:
        while True:
            if not echo:
                self.screen.out.write(f"{self.who}> ")
                self.screen.out.flush()
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
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "/dei-topic":
            self.slash_command(rest)
        elif word == "as" and rest in self.roles:
            self.user = self.roles[rest]
            self.say(f"(you are now {self.who})")
        elif line == "home":
            self.open_home()
        elif word in ("press", "choose", "fill"):
            self.use_control(word, rest)
        elif line == "submit":
            self.submit()
        elif line == "close":
            self.close()
        elif word == "wait":
            self.wait(rest)
        elif line == "now":
            self.say(f"(sandbox time: {shown_time(self.clock.now(), self.zone)})")
        elif line == "help":
            self.say(USAGE.format(who=self.who))
        else:
            self.say("(not a sandbox command; type help. Slack commands start with /dei-topic)")

    # -- what a person does ---------------------------------------------------------------------

    def slash_command(self, text: str) -> None:
        key = uuid.uuid4().hex
        mark = self.watch.mark()
        status, answer = self.poster.slash_command(
            text, user=self.user, response_url=self.slack.response_url(key)
        )
        if status != 200:
            self.say(f"(the bot answered HTTP {status})")
            return
        if answer:
            self.screen.answer(answer, COMMAND_CHANNEL)
        self.watch.settle(mark, expect=not answer)
        self.watch.show(mark, self.user, keys=(key,), channel=COMMAND_CHANNEL)

    def open_home(self) -> None:
        mark = self.watch.mark()
        self.poster.event({"type": "app_home_opened", "user": self.user, "tab": "home"})
        self.watch.settle(mark)
        self.watch.show(mark, self.user, home_opened=True)
        if self.slack.home_view(self.user) is None:
            self.say("(the Home tab did not load)")

    def use_control(self, verb: str, rest: str) -> None:
        """`press 4` or `press Going, online`; `fill 7 Welcome` or `fill Place = Village Hall`."""
        number, _, words = rest.partition(" ")
        if number.isdigit():
            control = self.controls.get(int(number))
        else:
            label, _, words = rest.partition("=") if verb != "press" else (rest, "", "")
            control = self.controls.named(label)
            number = label.strip()
        words = words.strip()
        if control is None:
            self.say(
                f"(nothing called [{number}] is on screen; {verb} a number shown in [ ], "
                "or a label, e.g. press New meeting, fill Place = Village Hall)"
            )
            return
        kind = str(control.element.get("type"))
        try:
            if verb == "press":
                if kind != "button":
                    self.say(f"([{number}] is not a button: use choose or fill)")
                    return
                self.send_action(control, {})
            elif control.is_input:
                state = (
                    typed_state(control.element, words, self.clock.now(), self.zone)
                    if verb == "fill"
                    else chosen_state(control.element, words, self.screen.people, self.channels)
                )
                self.fill_form(control, state)
            elif verb == "choose":
                state = chosen_state(control.element, words, self.screen.people, self.channels)
                self.send_action(control, {k: v for k, v in state.items() if k != "type"})
            else:
                self.say(f"([{number}] is not a form field: press or choose it)")
        except ValueError as problem:
            self.say(f"({problem})")

    @property
    def channels(self) -> dict[str, str]:
        return self.screen.channels

    def fill_form(self, control: Control, state: dict[str, Any]) -> None:
        form = self.forms[-1] if self.forms else None
        if form is None or control.surface.kind != "modal":
            self.say("(that form is no longer open)")
            return
        form.set(control, state)
        self.say(f"({form.label_of(control.block_id)}: filled in)")

    def send_action(self, control: Control, chosen: dict[str, Any]) -> None:
        element, surface = control.element, control.surface
        for said in before_click(element):
            self.say(said)
        key = uuid.uuid4().hex
        click = click_fields(control, chosen, self.clock.now())
        if surface.kind == "home":
            click["view"] = self.slack.home_view(self.user)
        elif surface.kind == "modal":
            if not self.forms:
                self.say("(that form is no longer open)")
                return
            click["view"] = self.forms[-1].with_state()
        else:
            click["response_url"] = self.slack.response_url(key)
            click["channel"] = surface.channel or COMMAND_CHANNEL
            click["ephemeral"] = surface.kind == "ephemeral"
            if surface.kind == "message":
                click["message"] = self.current_message(surface.channel, surface.ts)
        mark = self.watch.mark()
        status, _ = self.poster.block_action(str(element.get("action_id")), user=self.user, **click)
        if status != 200:
            self.say(f"(the bot answered HTTP {status})")
            return
        self.watch.settle(mark, expect=not element.get("url"))
        self.watch.show(
            mark, self.user, keys=(key,), channel=surface.channel, on_home=surface.kind == "home"
        )

    def current_message(self, channel: str | None, ts: str | None) -> dict[str, Any] | None:
        found = [m for m in self.slack.messages(channel) if m.get("ts") == ts] if channel else []
        return found[-1] if found else None

    def submit(self) -> None:
        if not self.forms:
            self.say("(no form is open)")
            return
        form = self.forms[-1]
        missing = form.missing()
        if missing:
            self.say(
                f"(Slack does not send the form yet: required, and empty: {', '.join(missing)})"
            )
            return
        mark = self.watch.mark()
        status, answer = self.poster.view_submission(form.view, form.values, user=self.user)
        if status != 200:
            self.say(f"(the bot answered HTTP {status})")
            return
        action = (answer or {}).get("response_action")
        if action == "errors":
            self.say("(the form was not saved; fix these and submit again:)")
            errors = (answer or {}).get("errors") or {}
            for block_id, problem in errors.items():
                self.say(f"  {form.label_of(block_id)}: {problem}")
            return
        if action in ("update", "push"):
            view = {**(answer or {}).get("view", {}), "id": form.view.get("id")}
            if action == "update":
                self.forms.pop()
            self.forms.append(Form.opened(view))
            self.screen.modal(view)
        elif action == "clear":
            self.forms.clear()
        else:
            self.forms.pop()
        self.watch.settle(mark, expect=False)
        self.watch.show(mark, self.user)

    def close(self) -> None:
        if not self.forms:
            self.say("(no form is open)")
            return
        self.forms.pop()
        self.say("(form closed)")

    def wait(self, how: str) -> None:
        """The clock moves as the real bot's would: its jobs run at every moment something falls
        due on the way (and at each midnight, when the planners look ahead), not only at the end."""
        now = self.clock.now()
        try:
            target = now + parse_wait(how, now, self.zone)
        except ValueError as problem:
            self.say(f"({problem}; try: wait 1h, wait 2d, or wait until tomorrow 9:00)")
            return
        for _ in range(MAX_STEPS):
            now = self.clock.now()
            step = next_step(now, target, self.next_due(now + STEP_MIN), self.zone)
            if step is None:
                break
            self.clock.advance(max(step - self.clock.now(), timedelta()))
            mark = self.watch.mark()
            self.run_jobs()
            if self.watch.mark() != mark:
                self.say(f"(sandbox time: {shown_time(self.clock.now(), self.zone)})")
                self.watch.show(mark, self.user)
        self.clock.advance(max(target - self.clock.now(), timedelta()))
        self.say(f"(sandbox time: {shown_time(self.clock.now(), self.zone)})")
        mark = self.watch.mark()
        self.watch.settle(mark, expect=False)  # the clock's jobs run at its end
        self.watch.show(mark, self.user)
