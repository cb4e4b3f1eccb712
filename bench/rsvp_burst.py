"""A burst of RSVP clicks on one announcement, through the real `dei-bot run --http` process.

    python bench/rsvp_burst.py [--clicks 1000] [--members 500] [--seconds 10]
                               [--backend sqlite|postgresql] [--json]

One meeting (hybrid, 100 seats in person, starting in two days) is announced with `dei-bot
announce` in the stand-in's channel C0ANNOUNCE; then `--clicks` signed `block_actions` clicks on
its RSVP buttons, from `--members` members, spread evenly over `--seconds` and sent from
`--concurrency` keep-alive connections, each click with a `response_url` of its own. Reported:
acknowledgement latency, HTTP errors, and, once the announcement has settled, whether

* every member's stored RSVP is their last click (or the in-person waitlist, when 100 seats were
  taken), with no more than 100 going in person and nobody waitlisted while a seat is free;
* every click's confirmation arrived at its response_url, saying what the click asked for;
* the announcement was edited (`chat.update`) at most once per 3 seconds;
* the final announcement shows exactly the counts in the database.

See bench/README.md. Exit status: 0 when every click sent was acknowledged (200) and confirmed
as asked and the stored RSVPs and final counts are right; 1 otherwise, or if the run could not
finish. The timing
goals (3 s acknowledgement, one edit per 3 s) are reported, not turned into the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    BenchError,
    Processes,
    cleanup_on_exit,
    dei_bot_command,
    free_port,
    log_tail,
    percentile,
    proc_cpu_s,
    proc_status_kb,
    progress,
    verdict,
    with_search_path,
)
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import col  # noqa: E402
from sqlmodel import select as sql_select  # noqa: E402

from bot.config import normalise_database_url  # noqa: E402
from handlers.announcement_blocks import CONFIRMATIONS, RSVP_STATES, SUPERSEDED  # noqa: E402
from slack_standin import ResponsePost, SlackStandIn  # noqa: E402
from slack_standin.signed import block_actions_body, signature_headers  # noqa: E402
from storage import announcements  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Delivery, Meeting, Rsvp, Topic  # noqa: E402

HOST = "127.0.0.1"
BOT_TOKEN = "xoxb-bench-bot-token-0123456789"
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
EVENTS_PATH = "/slack/events"  # bot.runtime.EVENTS_PATH, without importing Bolt here
HEALTH_PATH = "/healthz"
CHANNEL = "C0ANNOUNCE"
MEETING_KEY = "wg-burst"
CAPACITY_IN_PERSON = 100
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)
DEFAULT_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# What the members click, and how often: enough "in person" that the 100 seats fill and a
# waitlist forms, and enough changes of mind that seats free up and the waitlist moves.
ACTIONS = {
    "rsvp_going_in_person": 0.40,
    "rsvp_going_online": 0.25,
    "rsvp_maybe": 0.20,
    "rsvp_not_going": 0.15,
}
GOING_IN_PERSON = RSVP_STATES["rsvp_going_in_person"]
WAITLISTED_IN_PERSON = "waitlisted-in-person"
MEMBER_GAP_S = 1.0  # one member's clicks are planned at least this far apart
SLACK_ACK_S = 3.0  # Slack shows the person an error if the acknowledgement takes longer
UPDATE_WINDOW_S = announcements.UPDATE_WINDOW.total_seconds()

START_TIMEOUT_S = 30.0  # spawn to healthy
COMMAND_TIMEOUT_S = 120.0  # `dei-bot db upgrade`, `dei-bot announce`
ANNOUNCE_TIMEOUT_S = 15.0  # the announcement shows in the channel
REQUEST_TIMEOUT_S = 10.0  # one click on one connection
LOAD_GRACE_S = 90.0  # after the last planned click, for a client that fell behind to finish
SETTLE_TIMEOUT_S = 30.0  # after the load: confirmations in, no announcement edit left to send
POLL_S = 0.1
MAX_SAMPLES = 5

# The count line of the announcement (handlers/announcement_blocks.count_line), hybrid meeting.
COUNT_LINE = re.compile(
    r"Going: in person (?P<going_in_person>\d+)(?: of (?P<capacity>\d+) seats"
    r"(?:, (?P<waitlisted_in_person>\d+) on the waitlist)?)?; "
    r"online (?P<going_online>\d+)(?: of \d+ seats(?:, (?P<waitlisted_online>\d+) on the "
    r"waitlist)?)?; maybe (?P<maybe>\d+); can't make it (?P<not_going>\d+)"
)
COUNTED = (
    "going_in_person",
    "waitlisted_in_person",
    "going_online",
    "waitlisted_online",
    "maybe",
    "not_going",
)


# -- the clicks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    index: int
    member: str
    action_id: str
    at: float  # seconds after "go"
    key: str  # the stand-in's response_url key

    @property
    def wanted(self) -> str:
        return RSVP_STATES[self.action_id]


def member_id(number: int) -> str:
    return f"U0RSVP{number:05d}"


def plan_clicks(clicks: int, members: int, seconds: float, seed: int) -> list[Click]:
    """`clicks` clicks at evenly spaced times; every member clicks at least once (when there are
    enough clicks), the rest are changes of mind spread at random. One member's clicks are at
    least MEMBER_GAP_S apart whenever the plan allows it, so each has a clear last click."""
    rng = random.Random(seed)
    people = [member_id(number) for number in range(members)]
    remaining = Counter(people if clicks >= members else rng.sample(people, clicks))
    for _ in range(clicks - sum(remaining.values())):
        remaining[rng.choice(people)] += 1
    step = seconds / clicks
    last_at: dict[str, float] = {}
    plan = []
    for index in range(clicks):
        at = index * step
        waiting = [person for person, left in remaining.items() if left > 0]
        rested = [p for p in waiting if at - last_at.get(p, -math.inf) >= MEMBER_GAP_S]
        pool = rested or sorted(waiting, key=lambda p: last_at.get(p, -math.inf))[:1]
        person = rng.choices(pool, weights=[remaining[p] for p in pool])[0]
        remaining[person] -= 1
        last_at[person] = at
        action = rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        plan.append(Click(index, person, action, at, f"click-{index:05d}"))
    return plan


@dataclass
class Outcome:
    """One click as its client thread saw it (time.monotonic(), the stand-in's clock too)."""

    sent_at: float = math.nan
    acked_at: float = math.nan
    status: int = 0
    error: str | None = None

    @property
    def latency_s(self) -> float:
        return self.acked_at - self.sent_at

    @property
    def acknowledged(self) -> bool:
        return self.error is None and self.status == 200


def fire(
    plan: list[Click],
    port: int,
    concurrency: int,
    announcement: dict[str, Any],
    standin: SlackStandIn,
    go: float,
) -> list[Outcome]:
    """Every click at its planned time, from `concurrency` keep-alive connections: each thread
    takes the next click in plan order, waits for its time, and sends it signed afresh."""
    outcomes = [Outcome() for _ in plan]
    counter = itertools.count()  # next() on it is atomic under the GIL
    abort = threading.Event()
    deadline = go + (plan[-1].at if plan else 0.0) + LOAD_GRACE_S
    response_base = standin.response_url("")  # + the click's key (letters, digits and "-")

    def send(connection: http.client.HTTPConnection, click: Click) -> None:
        outcome = outcomes[click.index]
        body = block_actions_body(
            click.action_id,
            user=click.member,
            value=MEETING_KEY,
            response_url=response_base + click.key,
            message=announcement,  # the message the buttons are on, as Slack sends it
            channel=CHANNEL,
        )
        headers = signature_headers(body, SIGNING_SECRET)
        outcome.sent_at = time.monotonic()
        try:
            connection.request("POST", EVENTS_PATH, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()  # the next click reconnects
            outcome.acked_at = time.monotonic()
            outcome.error = f"{type(error).__name__}: {error}"
            return
        outcome.acked_at = time.monotonic()
        outcome.status = response.status
        if response.status != 200:
            outcome.error = f"HTTP {response.status}: {data[:120]!r}"

    def connection_thread() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        try:
            while not abort.is_set():
                index = next(counter)
                if index >= len(plan):
                    return
                click = plan[index]
                wait = go + click.at - time.monotonic()
                if wait > 0 and abort.wait(wait):
                    return
                if time.monotonic() >= deadline:
                    return
                send(connection, click)
        finally:
            connection.close()

    workers = [threading.Thread(target=connection_thread, daemon=True) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    try:
        for worker in workers:
            worker.join(max(0.0, deadline + REQUEST_TIMEOUT_S - time.monotonic()))
    finally:
        abort.set()  # on Ctrl-C too: no thread starts another click
    for outcome in outcomes:
        if math.isnan(outcome.sent_at):
            outcome.error = "never sent: the load ran out of time"
    return outcomes


# -- processes -------------------------------------------------------------------------------------


def wait_until_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"dei-bot exited {process.returncode}:\n{log_tail(log)}")
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", HEALTH_PATH)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.05)
    raise BenchError(f"dei-bot not healthy within {START_TIMEOUT_S:.0f} s:\n{log_tail(log)}")


def child_environment(api_url: str, database_url: str) -> dict[str, str]:
    """Only what dei-bot needs; no proxy variable (slack_sdk would obey it) gets through."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "DEI_ANNOUNCE_CHANNEL": CHANNEL,
    }
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    return env


def dei_bot(
    args: list[str], env: dict[str, str], workdir: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*dei_bot_command(), "--env-file", str(workdir / "absent.env"), *args],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )


# -- the database ----------------------------------------------------------------------------------


@contextlib.contextmanager
def open_database(backend: str, workdir: Path, postgres_url: str) -> Iterator[tuple[Database, str]]:
    """This process's handle and dei-bot's DATABASE_URL. SQLite: a file in `workdir`.
    PostgreSQL: a schema of this run's own, dropped at the end whatever happens."""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'dei-bot.db'}"
        db = Database(url)
        try:
            yield db, url
        finally:
            db.dispose()
        return
    schema = f"dei_rsvp_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(postgres_url), connect_args={"connect_timeout": 5})
    try:
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        except Exception as error:
            raise BenchError(
                f"cannot create a schema at {postgres_url} ({type(error).__name__}: {error}); "
                "give --postgres-url, or run with --backend sqlite"
            ) from error
        db = Database(normalise_database_url(postgres_url), schema=schema)
        try:
            yield db, with_search_path(postgres_url, schema)
        finally:
            db.dispose()
            # The caller has stopped dei-bot by now; a second Ctrl-C must not leave the schema.
            interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                with admin.begin() as connection:
                    connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            finally:
                signal.signal(signal.SIGINT, interrupt)
    finally:
        admin.dispose()


def seed_meeting(db: Database) -> None:
    """As tests/wiring/test_rsvps.py seeds it: hybrid, 100 seats in person, in two days."""
    with db.transaction(write=True) as session:
        topic = Topic(key="2099-04", month="2099-04", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        session.add(
            Meeting(
                key=MEETING_KEY,
                topic_id=topic.id,
                starts_at=datetime.now(UTC) + timedelta(days=2),
                format="hybrid",
                location="NIU Naperville",
                join_url="https://example.org/join",
                capacity_in_person=CAPACITY_IN_PERSON,
                agenda=["Welcome", "Discussion"],
            )
        )


def stored_rsvps(db: Database) -> dict[str, str]:
    with db.transaction() as session:
        meeting = session.exec(sql_select(Meeting).where(Meeting.key == MEETING_KEY)).one()
        rows = session.exec(sql_select(Rsvp).where(Rsvp.meeting_id == meeting.id)).all()
        return {row.user_id: row.state for row in rows}


def update_rows(db: Database) -> Counter[str]:
    """States of the announcement's edit rows on the ledger."""
    prefix = announcements.update_prefix(MEETING_KEY)
    with db.transaction() as session:
        states = session.exec(
            sql_select(Delivery.state).where(col(Delivery.key).startswith(prefix, autoescape=True))
        ).all()
    return Counter(str(state) for state in states)


def edit_rows(db: Database, go: float) -> list[dict[str, Any]]:
    """The announcement's edit rows: window, state, attempts, and when each was due and sent,
    in seconds after the first click (the ledger's wall-clock times, on the client's clock)."""
    prefix = announcements.update_prefix(MEETING_KEY)
    wall_go = go + (time.time() - time.monotonic())
    with db.transaction() as session:
        rows = session.exec(
            sql_select(Delivery)
            .where(col(Delivery.key).startswith(prefix, autoescape=True))
            .order_by(col(Delivery.key))
        ).all()
    return [
        {
            "window": row.key.removeprefix(prefix),
            "state": str(row.state),
            "attempts": row.attempts,
            "due_s": round(row.due_at.timestamp() - wall_go, 3),
            "sent_s": round(row.sent_at.timestamp() - wall_go, 3) if row.sent_at else None,
        }
        for row in rows
    ]


def promotion_rows(db: Database) -> Counter[str]:
    with db.transaction() as session:
        states = session.exec(
            sql_select(Delivery.state).where(Delivery.kind == announcements.WAITLIST_PROMOTION)
        ).all()
    return Counter(str(state) for state in states)


# -- the checks ------------------------------------------------------------------------------------


def spread_ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000,
        "max_ms": (ordered[-1] if ordered else math.nan) * 1000,
    }


def find_announcement(standin: SlackStandIn) -> dict[str, Any] | None:
    for message in standin.messages(CHANNEL):
        if "Working-group meeting" in str(message.get("text", "")):
            return message
    return None


def tally(states: dict[str, str]) -> dict[str, int]:
    counted = Counter(states.values())
    return {name: counted.get(name.replace("_", "-"), 0) for name in COUNTED}


def check_load(plan: list[Click], outcomes: list[Outcome], go: float) -> dict[str, Any]:
    acked = [o for o in outcomes if o.acknowledged]
    sent_pairs = [(c, o) for c, o in zip(plan, outcomes, strict=True) if not math.isnan(o.sent_at)]
    errors = [(c, o) for c, o in sent_pairs if not o.acknowledged]
    statuses = Counter(str(o.status) if o.status else "no answer" for _, o in errors)
    answered = [o.latency_s for o in outcomes if not math.isnan(o.acked_at)]
    sent = [o.sent_at for o in outcomes if not math.isnan(o.sent_at)]
    lag = [o.sent_at - (go + c.at) for c, o in zip(plan, outcomes, strict=True) if o.sent_at > 0]
    return {
        "clicks": len(plan),
        "acknowledged": len(acked),
        "errors": len(errors),
        "error_statuses": dict(statuses),
        "not_sent": len(plan) - len(sent_pairs),
        "error_samples": [f"{c.key} {c.member}: {o.error}" for c, o in errors[:MAX_SAMPLES]],
        "latency": spread_ms([o.latency_s for o in acked]),
        "over_3s": sum(1 for value in answered if value > SLACK_ACK_S),
        "sent_over_s": (max(sent) - min(sent)) if sent else math.nan,
        "send_lag": spread_ms(lag),
    }


def first_text(responses: list[ResponsePost]) -> str:
    body = responses[0].body if responses else {}
    return str(body.get("text", "")) if isinstance(body, dict) else ""


def confirms(click: Click, text_: str) -> bool:
    if click.wanted == GOING_IN_PERSON and "in person seats" in text_ and "waitlist" in text_:
        return True
    return text_.startswith(CONFIRMATIONS[click.wanted] + ":")


def check_confirmations(
    plan: list[Click], outcomes: list[Outcome], by_key: dict[str, list[ResponsePost]]
) -> dict[str, Any]:
    """Every click sent (an unsent one has nothing to confirm) against its response_url."""
    missing, wrong, duplicated, not_ephemeral, superseded = [], [], 0, 0, 0
    delays = []
    sent = [(c, o) for c, o in zip(plan, outcomes, strict=True) if not math.isnan(o.sent_at)]
    sent_times: dict[str, list[float]] = {}
    for click, outcome in sent:
        sent_times.setdefault(click.member, []).append(outcome.sent_at)
    for click, outcome in sent:
        got = by_key.get(click.key, [])
        if not got:
            missing.append(click)
            continue
        duplicated += len(got) > 1
        body = got[0].body if isinstance(got[0].body, dict) else {}
        not_ephemeral += body.get("response_type") != "ephemeral"
        if first_text(got).startswith(SUPERSEDED):
            # Fair only if a newer click of theirs was on its way before this one was answered.
            if any(outcome.sent_at < at < got[0].at for at in sent_times[click.member]):
                superseded += 1
            else:
                wrong.append(f"{click.key} {click.action_id}: {first_text(got)[:100]!r}")
        elif not confirms(click, first_text(got)):
            wrong.append(f"{click.key} {click.action_id}: {first_text(got)[:100]!r}")
        delays.append(got[0].at - outcome.sent_at)
    members = {click.member for click, _ in sent}
    unconfirmed = {click.member for click in missing}
    return {
        "sent": len(sent),
        "confirmed": len(sent) - len(missing),
        "missing": len(missing),
        "missing_samples": [f"{c.key} {c.member} {c.action_id}" for c in missing[:MAX_SAMPLES]],
        "members_all_confirmed": len(members - unconfirmed),
        "members": len(members),
        "wrong": len(wrong),
        "superseded_by_a_newer_click": superseded,
        "wrong_samples": wrong[:MAX_SAMPLES],
        "duplicated": duplicated,
        "not_ephemeral": not_ephemeral,
        "delay": spread_ms(delays),
    }


def check_stored(
    plan: list[Click],
    outcomes: list[Outcome],
    by_key: dict[str, list[ResponsePost]],
    stored: dict[str, str],
    go: float,
) -> dict[str, Any]:
    """Each member's row against their last click (by the time it was sent), and the seats."""
    clicks_of: dict[str, list[tuple[Click, Outcome]]] = {}
    for click, outcome in zip(plan, outcomes, strict=True):
        if not math.isnan(outcome.sent_at):
            clicks_of.setdefault(click.member, []).append((click, outcome))
    matched = waitlisted = unacknowledged = uncertain = 0
    reasons: Counter[str] = Counter()
    mismatches: list[str] = []
    for member, theirs in clicks_of.items():
        theirs.sort(key=lambda pair: pair[1].sent_at)
        last, last_outcome = theirs[-1]
        state = stored.get(member)
        if state == last.wanted or (
            last.wanted == GOING_IN_PERSON and state == WAITLISTED_IN_PERSON
        ):
            matched += 1
            waitlisted += state == WAITLISTED_IN_PERSON
            unacknowledged += not last_outcome.acknowledged
            continue
        if not last_outcome.acknowledged:
            uncertain += 1  # Slack would have shown an error: not stored is a fair outcome
            continue
        # Why not: dei-bot answered the click with an error, or an earlier click of theirs was
        # still in progress (not yet confirmed) when the last one was sent, or neither.
        if not confirms(last, first_text(by_key.get(last.key, []))):
            reason = "dei-bot answered it with an error"
        elif any(
            not by_key.get(earlier.key) or by_key[earlier.key][0].at > last_outcome.sent_at
            for earlier, _ in theirs[:-1]
        ):
            reason = "an earlier click still in progress"
        else:
            reason = "other"
        reasons[reason] += 1
        history = ", ".join(
            f"{click.action_id.removeprefix('rsvp_')} +{outcome.sent_at - go:.2f} s"
            for click, outcome in theirs
        )
        mismatches.append(f"{member}: clicked {history}; stored {state} ({reason})")
    strangers = sorted(set(stored) - set(clicks_of))
    counts = tally(stored)
    seats_ok = counts["going_in_person"] <= CAPACITY_IN_PERSON
    # Nobody waits for a seat that is free, and online has no capacity, so no waitlist at all.
    waitlist_ok = (
        counts["waitlisted_in_person"] == 0 or counts["going_in_person"] == CAPACITY_IN_PERSON
    ) and counts["waitlisted_online"] == 0
    consistent = not mismatches and not strangers and seats_ok and waitlist_ok
    return {
        "members_clicked": len(clicks_of),
        "rows": len(stored),
        "matched": matched,
        "matched_as_waitlisted": waitlisted,
        "matched_although_unacknowledged": unacknowledged,
        "unacknowledged_not_stored": uncertain,
        "mismatched": len(mismatches),
        "mismatch_reasons": dict(reasons),
        "mismatch_samples": mismatches[:MAX_SAMPLES],
        "rows_without_a_click": len(strangers),
        "counts": counts,
        "seats_within_capacity": seats_ok,
        "waitlist_consistent": waitlist_ok,
        "consistent": consistent,
    }


def check_updates(
    standin: SlackStandIn, ts: str, go: float, db: Database, plan: list[Click]
) -> dict[str, Any]:
    calls = [
        call
        for call in standin.calls("chat.update")
        if call.args.get("channel") == CHANNEL and call.args.get("ts") == ts
    ]
    times = [call.at for call in calls]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    # A click confirmed after the last edit was composed changed the database after it: unless
    # it changed nothing, the announcement can only show it if another edit follows.
    keys = {click.key for click in plan}
    late = [r for r in standin.responses() if r.key in keys and times and r.at > times[-1]]
    return {
        "confirmed_after_last_edit": len(late),
        "count": len(calls),
        "failed": sum(1 for call in calls if not call.ok),
        "at_s": [round(at - go, 3) for at in times],
        "gaps_s": [round(gap, 3) for gap in gaps],
        "min_gap_s": min(gaps) if gaps else math.nan,
        "within_goal": all(gap >= UPDATE_WINDOW_S for gap in gaps),
        "ledger_rows": dict(update_rows(db)),
        "ledger_edits": edit_rows(db, go),
    }


def check_final(message: dict[str, Any] | None, stored: dict[str, str]) -> dict[str, Any]:
    expected = tally(stored)
    text_ = str((message or {}).get("text", ""))
    found = COUNT_LINE.search(text_)
    shown: dict[str, int] | None = None
    if found:
        shown = {name: int(found.group(name) or 0) for name in COUNTED}
        if int(found.group("capacity") or -1) != CAPACITY_IN_PERSON:
            shown = None
    return {
        "shown": shown,
        "database": expected,
        "exact": shown == expected,
        "count_line": found.group(0) if found else text_[-200:],
    }


# -- one run ---------------------------------------------------------------------------------------


def wait_for_announcement(standin: SlackStandIn) -> dict[str, Any]:
    deadline = time.monotonic() + ANNOUNCE_TIMEOUT_S
    while time.monotonic() < deadline:
        message = find_announcement(standin)
        if message is not None:
            return message
        time.sleep(POLL_S)
    raise BenchError(f"the announcement did not show in {CHANNEL}")


def settle(
    standin: SlackStandIn, db: Database, plan: list[Click], outcomes: list[Outcome]
) -> tuple[float, bool]:
    """Until every click sent is confirmed and no edit of the announcement is left on the
    ledger (pending or sending), for SETTLE_TIMEOUT_S at most: how long, and whether it did."""
    started = time.monotonic()
    deadline = started + SETTLE_TIMEOUT_S
    # An unacknowledged click is confirmed too when its listener ran late (Bolt's 3 s ack
    # timeout answers 404, and the listener still runs).
    wanted = {c.key for c, o in zip(plan, outcomes, strict=True) if not math.isnan(o.sent_at)}
    while time.monotonic() < deadline:
        answered = {response.key for response in standin.responses()}
        if wanted <= answered:
            break
        time.sleep(POLL_S)
    while time.monotonic() < deadline:
        rows = update_rows(db)
        if not rows["pending"] and not rows["sending"]:
            return time.monotonic() - started, True
        time.sleep(POLL_S)
    return time.monotonic() - started, False


def server_log_summary(log: Path) -> dict[str, Any]:
    lines = log.read_text(errors="replace").splitlines()
    troubles = [
        line for line in lines if "ERROR" in line or "Traceback" in line or "WARNING" in line
    ]
    # The last line of each traceback: what was raised, counted by its first 120 characters.
    raised: Counter[str] = Counter()
    for index, line in enumerate(lines):
        if line.startswith("Traceback"):
            tail = itertools.takewhile(
                lambda following: (
                    following.startswith((" ", "Traceback", "During", "The above"))
                    or not following.strip()
                ),
                lines[index + 1 :],
            )
            end = index + 1 + sum(1 for _ in tail)
            if end < len(lines):
                raised[lines[end][:120]] += 1
    return {
        "lines": len(lines),
        "warnings_or_errors": len(troubles),
        "samples": [line for line in troubles if not line.startswith("Traceback")][:MAX_SAMPLES],
        "exceptions": dict(raised.most_common(MAX_SAMPLES)),
    }


def run(args: argparse.Namespace, processes: Processes, workdir: Path) -> dict[str, Any]:
    plan = plan_clicks(args.clicks, args.members, args.seconds, args.seed)
    with (
        SlackStandIn() as standin,
        open_database(args.backend, workdir, args.postgres_url) as (db, database_url),
    ):
        standin.add_channel(CHANNEL, name="dei-working-group")
        env = child_environment(standin.api_url, database_url)
        progress(f"{LABELS[args.backend]}: dei-bot db upgrade...")
        upgraded = dei_bot(["db", "upgrade"], env, workdir)
        if upgraded.returncode != 0:
            raise BenchError(f"dei-bot db upgrade failed:\n{upgraded.stdout}{upgraded.stderr}")
        port = free_port()
        log = workdir / "dei-bot.log"
        argv = [*dei_bot_command(), "--env-file", str(workdir / "absent.env")]
        argv += ["run", "--http", "--host", HOST, "--port", str(port)]
        server = processes.spawn(argv, env, log)
        try:
            wait_until_healthy(server, port, log)
            seed_meeting(db)
            progress(f"dei-bot announce {MEETING_KEY}...")
            announced = dei_bot(["announce", MEETING_KEY], env, workdir)
            if announced.returncode != 0 and find_announcement(standin) is None:
                raise BenchError(f"dei-bot announce failed:\n{announced.stdout}{announced.stderr}")
            announcement = wait_for_announcement(standin)
            progress(
                f"{args.clicks} clicks from {args.members} members over {args.seconds:g} s, "
                f"{args.concurrency} connections..."
            )
            cpu_before = proc_cpu_s(server.pid)
            go = time.monotonic() + 0.2
            outcomes = fire(plan, port, args.concurrency, announcement, standin, go)
            load_s = time.monotonic() - go
            cpu_load = proc_cpu_s(server.pid) - cpu_before
            sent = sum(not math.isnan(outcome.sent_at) for outcome in outcomes)
            progress("waiting for the confirmations and the last edit of the announcement...")
            settle_s, settled = settle(standin, db, plan, outcomes)
            if server.poll() is not None:
                raise BenchError(f"dei-bot exited during the run:\n{log_tail(log)}")
            rss_mb = proc_status_kb(server.pid, "VmRSS") / 1024
            stored = stored_rsvps(db)
            by_key: dict[str, list[ResponsePost]] = {}
            for response in standin.responses():
                by_key.setdefault(response.key, []).append(response)
            final = find_announcement(standin)
            report = {
                "load": check_load(plan, outcomes, go),
                "confirmations": check_confirmations(plan, outcomes, by_key),
                "stored": check_stored(plan, outcomes, by_key, stored, go),
                "updates": check_updates(standin, str(announcement["ts"]), go, db, plan),
                "final": check_final(final, stored),
                "promotions": dict(promotion_rows(db)),
                "server": {
                    "cpu_during_load_s": cpu_load,
                    "cpu_ms_per_click": cpu_load * 1000 / max(1, sent),
                    "rss_mb": rss_mb,
                },
                "load_s": load_s,
                "settle_s": settle_s,
                "settled": settled,
                "load_average_at_end": round(os.getloadavg()[0], 2),
            }
        finally:
            processes.stop(server)
        report["server"]["log"] = server_log_summary(log)
        if args.server_log is not None:
            shutil.copyfile(log, args.server_log)
        return report


# -- the report ------------------------------------------------------------------------------------


def goals(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    load, confirmations, stored = report["load"], report["confirmations"], report["stored"]
    updates, final = report["updates"], report["final"]
    return {
        "acked_within_3s": {
            "value": load["over_3s"] + (load["clicks"] - load["acknowledged"]),
            "goal": "every click acknowledged within 3 s",
            "pass": load["over_3s"] == 0 and load["acknowledged"] == load["clicks"],
        },
        "zero_errors": {
            "value": load["errors"],
            "goal": "no HTTP errors",
            "pass": load["errors"] == 0,
        },
        "all_confirmed": {
            "value": confirmations["missing"] + confirmations["wrong"],
            "goal": "every click confirmed at its response_url, as asked",
            "pass": confirmations["missing"] == 0 and confirmations["wrong"] == 0,
        },
        "stored_consistent": {
            "value": stored["mismatched"] + stored["rows_without_a_click"],
            "goal": "stored RSVPs = last clicks; <= 100 in person; no waitlist beside free seats",
            "pass": stored["consistent"],
        },
        "updates_spaced": {
            "value": updates["min_gap_s"],
            "goal": f"<= 1 chat.update per {UPDATE_WINDOW_S:g} s",
            "pass": updates["within_goal"],
        },
        "final_counts_exact": {
            "value": final["shown"],
            "goal": "final announcement counts = database counts",
            "pass": final["exact"],
        },
    }


def without_nan(value: Any) -> Any:
    """JSON has no NaN: a figure that could not be measured becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def counts_text(counts: dict[str, int] | None) -> str:
    if counts is None:
        return "(no count line)"
    return (
        f"in person {counts['going_in_person']} (+{counts['waitlisted_in_person']} waitlisted), "
        f"online {counts['going_online']}, maybe {counts['maybe']}, "
        f"can't make it {counts['not_going']}"
    )


def edits_text(edits: list[dict[str, Any]]) -> str:
    sent = sorted(edit["sent_s"] for edit in edits if edit["sent_s"] is not None)
    close = sum(1 for a, b in itertools.pairwise(sent) if b - a < UPDATE_WINDOW_S)
    retried = sum(1 for edit in edits if edit["attempts"] > 1)
    return (
        f"{len(edits)}; sent {len(sent)}, of them {close} less than {UPDATE_WINDOW_S:g} s after "
        f"the one before; {retried} took more than one attempt"
    )


def print_table(config: dict[str, Any], report: dict[str, Any], checks: Any) -> None:
    load, confirmations, stored = report["load"], report["confirmations"], report["stored"]
    updates, final, server = report["updates"], report["final"], report["server"]
    print(
        f"rsvp_burst ({LABELS[config['backend']]}): {config['clicks']} signed RSVP clicks from "
        f"{config['members']} members over {config['seconds']:g} s, {config['concurrency']} "
        f"keep-alive connections; meeting with {CAPACITY_IN_PERSON} seats in person; "
        f"{config['cpus']} CPUs (load average {config['load_average_at_start']} at start, "
        f"{report['load_average_at_end']} at the end), "
        f"Python {config['python']}; code {config['code']}"
    )
    print()
    rows = [
        ("clicks acknowledged (200)", f"{load['acknowledged']} of {load['clicks']}"),
        (
            "HTTP errors",
            f"{load['errors']} {load['error_statuses'] or ''}"
            + (
                f"; {load['not_sent']} clicks never sent (time ran out)" if load["not_sent"] else ""
            ),
        ),
        (
            "ack latency p50 / p99 / max",
            f"{load['latency']['p50_ms']:.1f} / {load['latency']['p99_ms']:.1f} / "
            f"{load['latency']['max_ms']:.1f} ms",
        ),
        ("acks over 3 s", f"{load['over_3s']}"),
        (
            "send lag behind plan p99 / max",
            f"{load['send_lag']['p99_ms']:.1f} / {load['send_lag']['max_ms']:.1f} ms "
            f"(sent over {load['sent_over_s']:.2f} s)",
        ),
        (
            "confirmations arrived",
            f"{confirmations['confirmed']} of {confirmations['sent']} clicks sent; "
            f"{confirmations['members_all_confirmed']} of {confirmations['members']} members "
            f"(wrong {confirmations['wrong']}, duplicated {confirmations['duplicated']}, "
            f"answered 'a later click stands' {confirmations['superseded_by_a_newer_click']})",
        ),
        (
            "click to confirmation p50 / p99 / max",
            f"{confirmations['delay']['p50_ms']:.1f} / {confirmations['delay']['p99_ms']:.1f} / "
            f"{confirmations['delay']['max_ms']:.1f} ms",
        ),
        (
            "stored RSVPs = last click",
            f"{stored['matched']} of {stored['members_clicked']} members "
            f"({stored['matched_as_waitlisted']} of them waitlisted); mismatched "
            f"{stored['mismatched']}, rows without a click {stored['rows_without_a_click']}",
        ),
        *((f"  {reason}", f"{number}") for reason, number in stored["mismatch_reasons"].items()),
        (
            "  last click unacknowledged (404)",
            f"{stored['matched_although_unacknowledged']} stored anyway, "
            f"{stored['unacknowledged_not_stored']} not",
        ),
        ("stored counts", counts_text(stored["counts"])),
        (
            "seats / waitlist",
            f"{stored['counts']['going_in_person']} of {CAPACITY_IN_PERSON} taken; waitlist "
            f"{'consistent' if stored['waitlist_consistent'] else 'INCONSISTENT'}; promotion "
            f"DMs {report['promotions'] or 'none'}",
        ),
        (
            "chat.update of the announcement",
            f"{updates['count']} ({updates['failed']} failed), min gap "
            f"{updates['min_gap_s']:.2f} s; ledger {updates['ledger_rows']}",
        ),
        ("  at (s after the first click)", ", ".join(f"{at:.2f}" for at in updates["at_s"])),
        ("  clicks confirmed after the last", f"{updates['confirmed_after_last_edit']}"),
        ("  edit rows (windows) on the ledger", edits_text(updates["ledger_edits"])),
        ("final announcement shows", counts_text(final["shown"])),
        ("database has", counts_text(final["database"])),
        (
            "dei-bot server",
            f"CPU {server['cpu_ms_per_click']:.1f} ms/click during the load, RSS "
            f"{server['rss_mb']:.1f} MB; log: {server['log']['warnings_or_errors']} lines of "
            "warnings, errors and tracebacks",
        ),
        (
            "settled after the load",
            f"{report['settle_s']:.1f} s"
            if report["settled"]
            else f"NO: edits still on the ledger after {report['settle_s']:.0f} s "
            f"({updates['ledger_rows']})",
        ),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print()
    planned = config["clicks"] / config["seconds"]
    sent = load["clicks"] - load["not_sent"]
    offered = sent / load["sent_over_s"] if load["sent_over_s"] > 0 else math.nan
    if load["send_lag"]["max_ms"] > 1000:
        print(
            f"NOTE: the client fell behind its plan: {config['concurrency']} connections, each "
            f"waiting for its acknowledgement, offered {offered:.0f} clicks/s, not "
            f"{planned:.0f}. Slack's clicks do not wait for each other: against real Slack the "
            "backlog would have been deeper."
        )
        print()
    labels = {
        "acked_within_3s": f"every click acknowledged within 3 s ({load['over_3s']} over 3 s, "
        f"{load['clicks'] - load['acknowledged']} unanswered; max "
        f"{load['latency']['max_ms']:.0f} ms)",
        "zero_errors": f"zero errors ({load['errors']} HTTP errors)",
        "all_confirmed": f"every click confirmed at its response_url ({confirmations['missing']} "
        f"missing, {confirmations['wrong']} wrong)",
        "stored_consistent": f"stored RSVPs consistent with last clicks ({stored['mismatched']} "
        f"mismatched; {stored['counts']['going_in_person']} of {CAPACITY_IN_PERSON} in person, "
        f"waitlist {'consistent' if stored['waitlist_consistent'] else 'inconsistent'})",
        "updates_spaced": f"<= 1 chat.update per {UPDATE_WINDOW_S:g} s ({updates['count']} "
        f"edits, min gap {updates['min_gap_s']:.2f} s)",
        "final_counts_exact": f"final counts exact ({final['count_line']!r}"
        + (
            ""
            if final["exact"]
            else "; database: "
            + counts_text(final["database"])
            + ("; no edit left pending" if report["settled"] else "; edits still pending")
        )
        + ")",
    }
    for name, label in labels.items():
        print(f"  {verdict(checks[name]['pass'])}  {label}")
    samples = [
        *load["error_samples"],
        *confirmations["missing_samples"],
        *confirmations["wrong_samples"],
        *stored["mismatch_samples"],
        *server["log"]["samples"],
        *(f"{n} x {what}" for what, n in server["log"]["exceptions"].items()),
    ]
    if samples:
        print()
        print("Samples:")
        for sample in samples:
            print(f"  {sample}")


# -- main ------------------------------------------------------------------------------------------


def positive(text_: str) -> int:
    value = int(text_)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def positive_float(text_: str) -> float:
    value = float(text_)
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("must be above 0 and at most 600")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="A burst of RSVP clicks on one announcement, through the real dei-bot process."
    )
    parser.add_argument("--clicks", type=positive, default=1000, help="(default: 1000)")
    parser.add_argument("--members", type=positive, default=500, help="(default: 500)")
    parser.add_argument(
        "--seconds", type=positive_float, default=10.0, help="spread of the clicks (default: 10)"
    )
    parser.add_argument(
        "--concurrency", type=positive, default=32, help="keep-alive connections (default: 32)"
    )
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite", help="(default: sqlite)")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help=f"(default: {DEFAULT_POSTGRES_URL})"
    )
    parser.add_argument("--seed", type=int, default=1, help="of the click plan (default: 1)")
    parser.add_argument(
        "--server-log", type=Path, help="keep dei-bot's log (stdout and stderr) in this file"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.clicks > 100_000 or args.members > 100_000:
        parser.error("--clicks and --members are bounded at 100000")
    return args


def code_version() -> str:
    """The commit measured, and whether dei-bot's code (outside bench/) differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", ":!bench"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not commit:
        return "unknown"
    return f"{commit} (+ uncommitted changes)" if changed else commit


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for name in PROXY_VARIABLES:  # the stand-in's own clients, and anything else started here
        os.environ.pop(name, None)
    config = {
        "backend": args.backend,
        "clicks": args.clicks,
        "members": args.members,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "seed": args.seed,
        "actions": ACTIONS,
        "capacity_in_person": CAPACITY_IN_PERSON,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "code": code_version(),
    }
    processes = Processes()
    started = time.monotonic()
    try:
        with (
            cleanup_on_exit(processes),
            tempfile.TemporaryDirectory(prefix="dei-bot-rsvp-") as tmp,
        ):
            report = run(args, processes, Path(tmp))
    except KeyboardInterrupt:
        progress("interrupted; dei-bot stopped, temporary files and schema removed")
        return 130
    except BenchError as error:
        progress(f"rsvp_burst: {error}")
        return 1
    checks = goals(report)
    config["elapsed_s"] = round(time.monotonic() - started, 1)
    if code_version() != config["code"]:
        config["code"] += f", then {code_version()} by the end of the run"
    if args.json:
        document = {"config": config, **report, "goals": checks}
        print(json.dumps(without_nan(document), indent=2, allow_nan=False))
    else:
        print_table(config, report, checks)
        print(f"\n(took {config['elapsed_s']:.0f} s)")
    correct = ("zero_errors", "all_confirmed", "stored_consistent", "final_counts_exact")
    return 0 if all(checks[name]["pass"] for name in correct) else 1


if __name__ == "__main__":
    sys.exit(main())
