"""Keeping each person's App Home tab current without outrunning Slack.

views.publish is Tier 4: about 100 calls a minute for the whole workspace. A burst of RSVPs, or a
new meeting that changes the Home of everyone who looks at it, must not exceed that, and the Home
a person sees must still end on the latest state. So requests are coalesced per person (one
pending publish each, whatever the number of changes), a person's Home is published at most once
per `user_gap_s`, and one worker thread keeps every publish inside a sliding window of
`per_window` calls. The view is built when it is published, never when it was requested: a
dropped intermediate request loses nothing. Only people who opened their Home in the last day
(in this process) are refreshed: anyone else gets a fresh Home when they open the tab.

The window is per process: several replicas share Slack's budget, and a 429 that outlives the
client's own retries pauses this refresher for its Retry-After.

Listeners elsewhere reach the refresher through Bolt's context (`refresh(context, users)`), which
a middleware fills in: no module-level state, one refresher per app.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger("dei_bot.home")

CONTEXT_KEY = "home_refresher"
# Tier 4 is "100+ per minute"; the rest is headroom for a retried call and for clock skew.
PUBLISHES_PER_MINUTE = 90
WINDOW_S = 60.0
USER_GAP_S = 1.0
# Only the Home of someone who opened it lately can be on their screen now; anyone else gets a
# fresh Home when they open the tab (Slack tells us each time), so publishing theirs is waste.
LOOKING_FOR_S = 24 * 3600.0
MAX_REMEMBERED = 50_000

Publish = Callable[[str], None]
Clock = Callable[[], float]


class HomeRefresher:
    """Coalesces and paces views.publish: see the module's docstring."""

    def __init__(
        self,
        *,
        per_window: int = PUBLISHES_PER_MINUTE,
        window_s: float = WINDOW_S,
        user_gap_s: float = USER_GAP_S,
        clock: Clock = time.monotonic,
    ) -> None:
        self.per_window = per_window
        self.window_s = window_s
        self.user_gap_s = user_gap_s
        self._clock = clock
        self._changed = threading.Condition()
        self._publish: Publish | None = None
        self._thread: threading.Thread | None = None
        self._urgent: OrderedDict[str, None] = OrderedDict()  # opened the tab: they are looking
        self._pending: OrderedDict[str, None] = OrderedDict()
        self._last: dict[str, float] = {}  # person → when their last publish finished
        self._finished: deque[float] = deque()  # when each publish in the window finished
        self._paused_until = 0.0  # after a 429 that outlived the client's own retries
        self._busy = False
        self._stopping = False
        self._opened: OrderedDict[str, float] = OrderedDict()  # person → when, oldest first

    def serve(self, publish: Publish) -> None:
        """How a Home is published; the worker starts with the first request, not before."""
        self._publish = publish

    # -- requests -------------------------------------------------------------------------------

    def opened(self, user: str) -> None:
        """The person opened the Home tab: publish it first, and remember them for later."""
        with self._changed:
            self._opened[user] = self._clock()
            self._opened.move_to_end(user)
            while len(self._opened) > MAX_REMEMBERED:
                self._opened.popitem(last=False)
            self._pending.pop(user, None)
            self._urgent[user] = None
            self._wake()

    def refresh(self, users: Iterable[str]) -> None:
        """Something on these people's Home changed (their RSVP, say)."""
        with self._changed:
            looking = self._looking()
            for user in users:
                if user in looking and user not in self._urgent:
                    self._pending[user] = None
            self._wake()

    def refresh_seen(self) -> None:
        """Something on everyone's Home changed (a meeting)."""
        with self._changed:
            looking = self._looking()
        self.refresh(looking)

    def seen(self) -> list[str]:
        """Who opened their Home lately, longest ago first."""
        with self._changed:
            return list(self._looking())

    def _looking(self) -> dict[str, float]:
        since = self._clock() - LOOKING_FOR_S
        while self._opened and next(iter(self._opened.values())) < since:
            self._opened.popitem(last=False)
        return dict(self._opened)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is pending or being published; False if `timeout` ran out."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not (self._busy or self._urgent or self._pending), timeout
            )

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    # -- the worker -----------------------------------------------------------------------------

    def _wake(self) -> None:
        if self._thread is None and self._publish is not None:
            self._thread = threading.Thread(target=self._work, name="home-refresh", daemon=True)
            self._thread.start()
        self._changed.notify_all()

    def _next(self, now: float) -> tuple[str | None, float]:
        """Who to publish now, or how long to wait before anyone may be published."""
        while self._finished and self._finished[0] <= now - self.window_s:
            self._finished.popleft()
        wait = self._paused_until - now
        if len(self._finished) >= self.per_window:
            wait = max(wait, self._finished[0] + self.window_s - now)
        if wait > 0:
            return None, wait
        soonest = self.window_s
        for queue in (self._urgent, self._pending):
            for user in queue:
                ready = self._last.get(user, -self.user_gap_s) + self.user_gap_s - now
                if ready <= 0:
                    del queue[user]
                    return user, 0.0
                soonest = min(soonest, ready)
        return None, soonest

    def _work(self) -> None:
        assert self._publish is not None
        while True:
            with self._changed:
                user, wait = None, 0.0
                while not self._stopping:
                    if self._urgent or self._pending:
                        user, wait = self._next(self._clock())
                        if user is not None:
                            break
                    self._changed.wait(wait if (self._urgent or self._pending) else None)
                if self._stopping:
                    return
                assert user is not None
                self._busy = True
            retry_after = self._publish_once(user)
            with self._changed:
                finished = self._clock()
                # Counted when the answer came, so Slack (which counts on arrival) never sees
                # more than `per_window` calls in any window.
                self._finished.append(finished)
                self._last[user] = finished
                if retry_after:
                    self._paused_until = finished + retry_after
                    if user not in self._urgent:
                        self._pending[user] = None
                self._busy = False
                self._changed.notify_all()

    def _publish_once(self, user: str) -> float:
        """Publishes; the seconds Slack asked us to wait if it refused for the pace, else 0."""
        assert self._publish is not None
        try:
            self._publish(user)
        except SlackApiError as error:
            if error.response.status_code == 429:
                headers = {name.lower(): value for name, value in error.response.headers.items()}
                return float(headers.get("retry-after") or 1)
            log.warning("publishing the Home tab of %s failed: %s", user, error.response["error"])
        except Exception:
            # One person's broken Home must not stop everyone else's.
            log.exception("publishing the Home tab of %s failed", user)
        return 0.0


def refresh(context: Any, users: Iterable[str]) -> None:
    """From any listener: these people's Home tabs show something that changed."""
    refresher = context.get(CONTEXT_KEY) if context is not None else None
    if isinstance(refresher, HomeRefresher):
        refresher.refresh(users)


def refresh_everyone(context: Any) -> None:
    """From any listener: a meeting was posted, edited or cancelled."""
    refresher = context.get(CONTEXT_KEY) if context is not None else None
    if isinstance(refresher, HomeRefresher):
        refresher.refresh_seen()
