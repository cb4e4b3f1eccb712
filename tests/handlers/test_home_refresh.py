"""The Home refresher against the Slack stand-in: coalesced, paced, and ending on the last state."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from handlers.blocks import section
from handlers.home_refresh import HomeRefresher
from slack_standin import SlackStandIn
from slack_standin.server import Call

TOKEN = "xoxb-test-home-refresh"


class Homes:
    """What each person's Home says now; a publish shows it as it is at that moment."""

    def __init__(self, standin: SlackStandIn) -> None:
        self.client = WebClient(token=TOKEN, base_url=standin.api_url)
        self.state: dict[str, int] = {}
        self.lock = threading.Lock()
        self.broken: set[str] = set()

    def change(self, user: str) -> None:
        with self.lock:
            self.state[user] = self.state.get(user, 0) + 1

    def publish(self, user: str) -> None:
        if user in self.broken:
            raise RuntimeError("this person's Home cannot be built")
        with self.lock:
            shown = self.state.get(user, 0)
        view = {"type": "home", "blocks": [section(f"version {shown}")]}
        self.client.views_publish(user_id=user, view=view)


@pytest.fixture
def homes(standin: SlackStandIn) -> Homes:
    return Homes(standin)


@pytest.fixture
def refresher(homes: Homes) -> Iterator[HomeRefresher]:
    found = HomeRefresher(per_window=10, window_s=1.0, user_gap_s=0.2)
    found.serve(homes.publish)
    yield found
    found.stop()


def shown(standin: SlackStandIn, user: str) -> str:
    view = standin.home_view(user)
    assert view is not None
    return str(view["blocks"][0]["text"]["text"])


def most_in_any_window(calls: list[Call], seconds: float) -> int:
    times = sorted(call.at for call in calls)
    return max(
        (sum(1 for t in times if start <= t < start + seconds) for start in times), default=0
    )


def test_a_burst_of_people_opening_home_stays_inside_the_window(
    standin: SlackStandIn, refresher: HomeRefresher
) -> None:
    users = [f"U0BURST{n:03d}" for n in range(25)]
    for user in users:
        refresher.opened(user)
    assert refresher.wait_idle(15)
    calls = standin.calls("views.publish")
    assert {call.args["user_id"] for call in calls} == set(users)
    assert all(call.ok for call in calls)
    assert most_in_any_window(calls, 1.0) <= 10


def test_many_changes_to_one_home_coalesce_and_end_on_the_last_state(
    standin: SlackStandIn, homes: Homes, refresher: HomeRefresher
) -> None:
    refresher.opened("U0MEMBER01")
    for _ in range(60):
        homes.change("U0MEMBER01")
        refresher.refresh(["U0MEMBER01"])
        time.sleep(0.01)
    assert refresher.wait_idle(10)
    calls = standin.calls("views.publish")
    assert len(calls) <= 8  # 60 changes in about 0.6 s, one publish per 0.2 s at most
    gaps = [later.at - earlier.at for earlier, later in itertools.pairwise(calls)]
    assert all(gap >= 0.15 for gap in gaps)
    assert shown(standin, "U0MEMBER01") == "version 60"


def test_only_people_who_opened_their_home_are_refreshed(
    standin: SlackStandIn, homes: Homes, refresher: HomeRefresher
) -> None:
    refresher.opened("U0SEEN0001")
    refresher.refresh(["U0NEVER001"])
    assert refresher.wait_idle(5)
    homes.change("U0SEEN0001")
    refresher.refresh_seen()
    assert refresher.wait_idle(5)
    assert {call.args["user_id"] for call in standin.calls("views.publish")} == {"U0SEEN0001"}
    assert shown(standin, "U0SEEN0001") == "version 1"


def test_a_429_pauses_publishing_for_retry_after_then_the_last_state_goes_out(
    standin: SlackStandIn, homes: Homes, refresher: HomeRefresher
) -> None:
    standin.fail("views.publish", status=429, retry_after=1)
    refresher.opened("U0MEMBER01")
    homes.change("U0MEMBER01")
    refresher.refresh(["U0MEMBER01"])
    assert refresher.wait_idle(10)
    refused, *published = standin.calls("views.publish")
    assert refused.status == 429
    assert published and published[0].at - refused.at >= 1.0
    assert shown(standin, "U0MEMBER01") == "version 1"


def test_one_broken_home_does_not_stop_the_others(
    standin: SlackStandIn, homes: Homes, refresher: HomeRefresher
) -> None:
    homes.broken.add("U0BROKEN01")
    refresher.opened("U0BROKEN01")
    refresher.opened("U0MEMBER01")
    assert refresher.wait_idle(5)
    assert [call.args["user_id"] for call in standin.calls("views.publish")] == ["U0MEMBER01"]
