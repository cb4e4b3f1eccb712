"""Watching the pretend Slack after each thing a person does: wait until the bot has reacted and
gone quiet, run the clock's jobs as the real bot would, and show what happened."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.sandbox.controls import Form
from bot.sandbox.screen import Screen
from handlers.home_refresh import HomeRefresher
from slack_standin import SlackStandIn

COMMAND_CHANNEL = "C0GENERAL1"  # where the person types /dei-topic
FIRST_ANSWER_S = 5.0  # how long to wait for the bot's first reaction
QUIET_S = 0.3  # then, how long nothing must happen before the prompt comes back
MOST_S = 15.0

Mark = tuple[int, int]  # calls and response_url posts the stand-in had seen


class Watcher:
    def __init__(
        self,
        *,
        slack: SlackStandIn,
        refresher: HomeRefresher,
        screen: Screen,
        run_jobs: Callable[[], None],
        forms: list[Form],
    ) -> None:
        self.slack = slack
        self.refresher = refresher
        self.screen = screen
        self.run_jobs = run_jobs
        self.forms = forms  # the session's stack of open modals, which views.open adds to
        self.seen_calls = 0
        self.seen_files = 0

    def mark(self) -> Mark:
        return len(self.slack.calls()), len(self.slack.responses())

    def settle(self, mark: Mark, *, expect: bool = True) -> None:
        """Until the bot has reacted and then gone quiet (its Home publishes included), then the
        clock's own jobs (the dispatcher) run, as in the real bot."""
        start = time.monotonic()
        while expect and self.mark() == mark and time.monotonic() - start < FIRST_ANSWER_S:
            time.sleep(0.02)
        last, quiet_since = self.mark(), time.monotonic()
        while time.monotonic() - start < MOST_S:
            time.sleep(0.02)
            now = self.mark()
            if now != last:
                last, quiet_since = now, time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_S and self.refresher.wait_idle(0):
                break
        self.run_jobs()

    def show(
        self,
        mark: Mark,
        user: str,
        *,
        keys: tuple[str, ...] = (),
        channel: str | None = None,
        home_opened: bool = False,
        on_home: bool = False,
    ) -> None:
        """What happened since `mark`: answers to this command (`keys`: its response URLs),
        forms, messages and files, then the Home tab if the person is looking at it."""
        for response in self.slack.responses()[mark[1] :]:
            if response.key in keys:
                self.screen.answer(dict(response.body), channel or COMMAND_CHANNEL)
        calls = self.slack.calls()
        published = False
        for call in calls[max(mark[0], self.seen_calls) :]:
            if call.method in ("views.open", "views.push") and call.ok:
                self.forms.append(Form.opened(call.response["view"]))
                self.screen.modal(call.response["view"])
            elif call.method == "views.update" and call.ok and self.forms:
                self.forms[-1] = Form.opened(call.response["view"])
                self.screen.modal(call.response["view"])
            elif call.method == "views.publish":
                published = published or call.args.get("user_id") == user
                if not call.ok:
                    self.screen.call(call, user)
            elif call.method == "files.completeUploadExternal" and call.ok:
                self.show_files(user)
            else:
                self.screen.call(call, user)
        self.seen_calls = len(calls)
        view = self.slack.home_view(user)
        if view is not None and (home_opened or (on_home and published)):
            self.screen.home(view)
        elif published:
            self.screen.say("(your App Home tab was updated; type home to see it)")

    def show_files(self, user: str) -> None:
        files = self.slack.files()
        for record in files[self.seen_files :]:
            self.screen.file(record, user)
        self.seen_files = len(files)
