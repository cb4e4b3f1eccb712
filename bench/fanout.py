"""How fast the real `dei-bot run` process fans reminders out, what it costs idle, how late it is.

    python bench/fanout.py [--messages 2000] [--backend sqlite|postgresql|both] [--json]

Per database back end, each part with a fresh `dei-bot --env-file <absent> run --http` process
and a fresh database:

1. fan-out: `--messages` due DMs (half as many members x 2 offsets, seeded as
   tests/wiring/test_deliveries.py seeds them) sent through the Slack stand-in; messages/s from the
   first post to the last; then `--fault-messages` more with faults injected (429 with Retry-After 1
   on every 50th call, 500 on every 97th); an exactly-once check on the metadata keys that arrived;
2. idle cost: CPU used by a `dei-bot run` with nothing due, next to a bare Bolt app served the same
   way (bench/bare_bolt_app.py), every back end's pair at once;
3. due-to-send delay: reminders falling due at staggered times while the process runs; delay is
   the post's arrival at the stand-in minus the row's due time.

The stand-in runs in a helper process of its own (this script with `--standin`), which answers
questions over a pipe, so its CPU is not this process's and shows on its own. See
bench/README.md. Exit status: 0 when every message arrived exactly once (goals only reported).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import math
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
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
    progress,
    verdict,
    with_search_path,
)
from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlalchemy import insert as sql_insert  # noqa: E402
from sqlmodel import col  # noqa: E402
from sqlmodel import select as sql_select  # noqa: E402

from bot.config import normalise_database_url, parse_offsets  # noqa: E402
from handlers.dispatcher import EVENT_TYPE  # noqa: E402
from slack_standin import SlackStandIn  # noqa: E402
from storage import models, reminder_plans  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Delivery, Meeting, Rsvp, Topic  # noqa: E402

HOST = "127.0.0.1"
BOT_TOKEN = "xoxb-bench-bot-token-0123456789"
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
HEALTH_PATH = "/healthz"
POST = "chat.postMessage"
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)
DEFAULT_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/test"
CONNECT_ARGS = {"connect_timeout": 10}  # this process's PostgreSQL connections

FANOUT_OFFSETS = "1h,45m"  # the meeting is 30 minutes away: both reminders overdue but useful
DELAY_OFFSETS = "1h"  # one reminder per meeting, due an hour before it starts
RETRY_AFTER_S = 1
FAULTS = ({"n": 50, "status": 429, "retry_after": RETRY_AFTER_S}, {"n": 97, "status": 500})
FAULTS_LABEL = "429 (Retry-After 1) every 50th call, 500 every 97th"

START_TIMEOUT_S = 30.0  # spawn to the first 200 from /healthz
HELPER_TIMEOUT_S = 30.0  # one answer from the stand-in helper
HELPER_IDLE_LIMIT_S = 900.0  # the helper ends when asked nothing for this long
HELPER_MAX_REQUESTS = 1_000_000
POLL_S = 0.2  # progress polls during a fan-out or a delay run
SETTLE_S = 3.0  # after healthy, before idle CPU is sampled
RECORD_TIMEOUT_S = 30.0  # last post seen, until the ledger says every row is `sent`
DELAY_LEAD_S = 3.0  # from the start of seeding to the first due time
DELAY_GRACE_S = 30.0  # after the last due time, for the last post

GOAL_RATE = 100.0  # messages/s without faults, at least
GOAL_DELAY_P99_MS = 2000.0  # due-to-send p99, below

BACKENDS = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# -- the stand-in helper (runs in a process of its own) --------------------------------------------


def standin_main() -> int:
    """Serve the stand-in; answer one JSON line on stdout per JSON line on stdin, until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C the parent ends this process
    standin = SlackStandIn()
    standin.start()
    reply({"api_url": standin.api_url})
    stdin, pending = sys.stdin.fileno(), b""
    try:
        for _ in range(HELPER_MAX_REQUESTS):
            while b"\n" not in pending:
                readable, _, _ = select.select([stdin], [], [], HELPER_IDLE_LIMIT_S)
                chunk = os.read(stdin, 1 << 16) if readable else b""
                if not chunk:
                    return 0  # the parent is gone, or forgot us
                pending += chunk
            line, _, pending = pending.partition(b"\n")
            request = json.loads(line)
            try:
                reply(answer(standin, request))
            except Exception as error:  # the parent reports it, with the request
                reply({"error": f"{type(error).__name__}: {error}"})
    finally:
        standin.stop()
    return 0


def reply(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document) + "\n")
    sys.stdout.flush()


def delivery_key(message_or_metadata: Any) -> str | None:
    metadata = message_or_metadata if isinstance(message_or_metadata, dict) else {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return key if isinstance(key, str) else None


def answer(standin: SlackStandIn, request: dict[str, Any]) -> dict[str, Any]:
    op = request.get("op")
    if op == "reset":
        standin.reset()
        return {"ok": True}
    if op == "faults":
        for fault in FAULTS:
            standin.fail_every(
                fault["n"], status=fault["status"], retry_after=fault.get("retry_after", 1)
            )
        return {"ok": True}
    calls = standin.calls()
    posted = [call for call in calls if call.method == POST and call.ok]
    if op == "progress":
        keys = {delivery_key(call.json_arg("metadata")) for call in posted}
        keys.discard(None)
        return {"calls": len(calls), "posts": len(posted), "keys": len(keys)}
    if op == "report":
        # Call.at is time.monotonic(), one clock for every process on the machine (Linux); the
        # wall-clock time is for comparing with due times, which the bot writes from its clock.
        wall_offset = time.time() - time.monotonic()
        posts = []
        for call in posted:
            key = delivery_key(call.json_arg("metadata"))
            if key is not None:
                posts.append([key, call.at, call.at + wall_offset])
        # What the workspace holds, as tests/wiring/test_deliveries.py reads it.
        landed = Counter(
            key for key in (delivery_key(m.get("metadata")) for m in standin.messages()) if key
        )
        statuses = Counter(f"{call.method} {call.status}" for call in calls)
        early = 0  # calls of a method inside the Retry-After of a 429 it got
        pauses = []  # from a 429 to the next call of that method
        for index, limited in enumerate(calls):
            if limited.status != 429:
                continue
            later = [call.at for call in calls[index + 1 :] if call.method == limited.method]
            early += sum(1 for at in later if at < limited.at + RETRY_AFTER_S)
            if later:
                pauses.append(later[0] - limited.at)
        return {
            "posts": posts,
            "landed": dict(landed),
            "statuses": dict(statuses),
            "calls": len(calls),
            "inside_retry_after": early,
            "pauses_after_429": pauses,
        }
    raise ValueError(f"unknown op {op!r}")


class StandInHelper:
    """The parent's end of the pipe to the stand-in helper."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self.process = process
        self.fd = process.stdout.fileno()
        self.buffer = b""
        self.api_url = str(self.read_line(time.monotonic() + START_TIMEOUT_S)["api_url"])

    def read_line(self, deadline: float) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BenchError("the stand-in helper did not answer in time")
            readable, _, _ = select.select([self.fd], [], [], remaining)
            if readable:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    raise BenchError("the stand-in helper exited")
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        document = json.loads(line)
        if "error" in document:
            raise BenchError(f"the stand-in helper failed: {document['error']}")
        return dict(document)

    def ask(self, op: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"op": op}).encode() + b"\n")
        self.process.stdin.flush()
        return self.read_line(time.monotonic() + HELPER_TIMEOUT_S)

    @property
    def pid(self) -> int:
        return self.process.pid


def spawn_helper(processes: Processes, log: Path) -> StandInHelper:
    """The stand-in in a process of its own, driven over its stdin and stdout."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, __file__, "--standin"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
    return StandInHelper(processes.adopt(process))


# -- processes -------------------------------------------------------------------------------------


def log_problems(log: Path) -> int:
    """Lines at ERROR level, and tracebacks, in a server's log."""
    try:
        content = log.read_text(errors="replace").splitlines()
    except OSError:
        return 0
    return sum(1 for line in content if " ERROR " in line or line.startswith("Traceback"))


def wait_until_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> float:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"server exited {process.returncode}:\n{log_tail(log)}")
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", HEALTH_PATH)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return time.monotonic()
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.02)
    raise BenchError(f"server not healthy within {START_TIMEOUT_S:.0f} s:\n{log_tail(log)}")


# -- databases -------------------------------------------------------------------------------------


@dataclass
class Backend:
    """One database back end: a fresh, migrated, empty database for each part of the run."""

    name: str
    workdir: Path
    postgres_url: str = ""
    schema: str = ""
    template: Path | None = None
    db: Database | None = None
    bot_url: str = ""

    def fresh(self, part: str) -> tuple[Database, str]:
        """An empty database for `part`: this process's handle, and DATABASE_URL for the bot."""
        self.close()
        if self.name == "sqlite":
            assert self.template is not None
            path = self.workdir / f"{part}.db"
            shutil.copyfile(self.template, path)
            url = f"sqlite:///{path}"
            self.db = Database(url)
            return self.db, url
        self.db = Database(normalise_database_url(self.postgres_url), schema=self.schema)
        tables = [table.name for table in models.SQLModel.metadata.sorted_tables]
        with self.db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return self.db, self.bot_url

    def close(self) -> None:
        if self.db is not None:
            self.db.dispose()
            self.db = None


def upgrade_database(url: str, workdir: Path) -> None:
    env = base_environment("http://127.0.0.1:9/api/", url)  # `db upgrade` does not call Slack
    upgraded = subprocess.run(
        [*dei_bot_command(), "--env-file", str(workdir / "absent.env"), "db", "upgrade"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if upgraded.returncode != 0:
        raise BenchError(f"dei-bot db upgrade failed:\n{upgraded.stdout}{upgraded.stderr}")


@contextlib.contextmanager
def open_backend(name: str, workdir: Path, postgres_url: str) -> Iterator[Backend]:
    """SQLite: a migrated template file, copied per part. PostgreSQL: a schema of this run's
    own, migrated once, emptied per part, and dropped at the end whatever happens."""
    backend = Backend(name=name, workdir=workdir)
    if name == "sqlite":
        backend.template = workdir / "template.db"
        upgrade_database(f"sqlite:///{backend.template}", workdir)
        if backend.template.with_name("template.db-wal").exists():
            raise BenchError("the migrated template database left a WAL file behind")
        try:
            yield backend
        finally:
            backend.close()
        return
    backend.postgres_url = postgres_url
    backend.schema = f"dei_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    backend.bot_url = with_search_path(postgres_url, backend.schema)
    admin = create_engine(normalise_database_url(postgres_url), connect_args=CONNECT_ARGS)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{backend.schema}"'))
        upgrade_database(backend.bot_url, workdir)
        yield backend
    finally:
        backend.close()
        # Every bot process of this back end has stopped by now; a second Ctrl-C must not
        # leave the schema behind.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            with admin.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{backend.schema}" CASCADE'))
        finally:
            signal.signal(signal.SIGINT, interrupt)
            admin.dispose()


def check_postgres(url: str) -> None:
    engine = create_engine(normalise_database_url(url), connect_args=CONNECT_ARGS)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        raise BenchError(
            f"cannot reach PostgreSQL at {url} ({type(error).__name__}); "
            "give --postgres-url, or run with --backend sqlite"
        ) from error
    finally:
        engine.dispose()


def state_counts(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        rows = session.exec(sql_select(Delivery.state, func.count()).group_by(Delivery.state)).all()
    return {str(state): int(count) for state, count in rows}


def due_times(db: Database) -> dict[str, float]:
    with db.transaction() as session:
        rows = session.exec(sql_select(Delivery.key, Delivery.due_at)).all()
    return {key: due.timestamp() for key, due in rows}


# -- seeding ---------------------------------------------------------------------------------------


def seed_due_reminders(db: Database, members: int) -> int:
    """As tests/wiring/test_deliveries.py seeds them: a meeting 30 minutes away that everyone
    RSVP'd to, its reminder rows planned an hour ago (as the bot would have), now due."""
    now = datetime.now(UTC)
    offsets = parse_offsets(FANOUT_OFFSETS)
    with db.transaction(write=True) as session:
        topic = Topic(key="2099-01", month="2099-01", title="Hiring & Recruitment")
        session.add(topic)
        session.flush()
        meeting = Meeting(
            key="wg-load",
            topic_id=topic.id,
            starts_at=now + timedelta(minutes=30),
            location="NIU Naperville",
            join_url="https://example.org/join",
        )
        session.add(meeting)
        session.flush()
        assert meeting.id is not None
        people = [f"U0L{index:07d}" for index in range(members)]
        session.add_all(Rsvp(meeting_id=meeting.id, user_id=p, state="maybe") for p in people)
        session.flush()
        planned = reminder_plans.plan_meeting(session, meeting, offsets, now - timedelta(hours=1))
    if planned != len(offsets) * members:
        raise BenchError(f"seeded {planned} reminders, not {len(offsets) * members}")
    return planned


def seed_staggered(db: Database, count: int, first_due: datetime, spread_s: float) -> None:
    """`count` meetings, one member each, starting an hour after evenly spread due times: with
    DEI_REMINDER_OFFSETS=1h each has the one reminder the bot's planner would give it (same key,
    kind, due time and payload, so the planner leaves it alone). Written in bulk, not through
    `plan_meeting` one meeting at a time, so that seeding takes a fraction of the lead time even
    on a busy machine; the process is running meanwhile and picks them up when they fall due."""
    offset = parse_offsets(DELAY_OFFSETS)[0]
    label = reminder_plans.offset_label(offset)
    step = spread_s / max(1, count - 1)
    now = datetime.now(UTC)
    with db.transaction(write=True) as session:
        topic = Topic(key="2099-02", month="2099-02", title="Inclusive Leadership")
        session.add(topic)
        session.flush()
        starts = [first_due + timedelta(seconds=index * step) + offset for index in range(count)]
        keys = [f"wg-delay-{index:04d}" for index in range(count)]
        # Built as the models build them (their defaults), inserted as rows.
        ids = session.scalars(
            sql_insert(Meeting).returning(col(Meeting.id), sort_by_parameter_order=True),
            [
                as_row(
                    Meeting(
                        key=key,
                        topic_id=topic.id,
                        starts_at=starts_at,
                        location="NIU Naperville",
                        join_url="https://example.org/join",
                    )
                )
                for key, starts_at in zip(keys, starts, strict=True)
            ],
        ).all()
        meeting_ids = [meeting_id for meeting_id in ids if meeting_id is not None]
        people = [f"U0D{index:07d}" for index in range(count)]
        session.execute(
            sql_insert(Rsvp),
            [
                as_row(Rsvp(meeting_id=meeting_id, user_id=person, state="maybe"))
                for meeting_id, person in zip(meeting_ids, people, strict=True)
            ],
        )
        session.execute(
            sql_insert(Delivery),
            [
                as_row(
                    Delivery(
                        key=f"{reminder_plans.meeting_prefix(key)}{person}:{label}",
                        kind=reminder_plans.MEETING_REMINDER,
                        recipient=person,
                        due_at=starts_at - offset,
                        next_attempt_at=starts_at - offset,
                        payload={"meeting": key, "offset": label},
                        created_at=now,
                        updated_at=now,
                    )
                )
                for key, person, starts_at in zip(keys, people, starts, strict=True)
            ],
        )


def as_row(instance: Any) -> dict[str, Any]:
    return {key: value for key, value in instance.model_dump().items() if key != "id"}


# -- the parts -------------------------------------------------------------------------------------


def base_environment(api_url: str, database_url: str, **extra: str) -> dict[str, str]:
    """Only what the servers need; no proxy variable (slack_sdk would obey it) gets through."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        **extra,
    }
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    return env


def bot_argv(workdir: Path, port: int) -> list[str]:
    return [
        *dei_bot_command(),
        "--env-file",
        str(workdir / "absent.env"),
        "run",
        "--http",
        "--host",
        HOST,
        "--port",
        str(port),
    ]


@dataclass
class Sample:
    at: float  # time.monotonic()
    bot_cpu_s: float
    standin_cpu_s: float


def cpu_at(samples: list[Sample], at: float, which: str) -> float:
    """CPU seconds used by `which` up to `at`, interpolated between the polls around it."""
    values = [(sample.at, getattr(sample, which)) for sample in samples]
    if at <= values[0][0]:
        return float(values[0][1])
    for (t0, v0), (t1, v1) in itertools.pairwise(values):
        if t0 <= at <= t1:
            return float(v0 + (v1 - v0) * (at - t0) / (t1 - t0)) if t1 > t0 else float(v1)
    return float(values[-1][1])


@dataclass
class Context:
    backend: Backend
    helper: StandInHelper
    processes: Processes
    workdir: Path


def fanout(context: Context, messages: int, faults: bool) -> dict[str, Any]:
    backend, helper, processes = context.backend, context.helper, context.processes
    part = "fanout-faults" if faults else "fanout"
    db, database_url = backend.fresh(f"{backend.name}-{part}")
    seed_due_reminders(db, messages // 2)
    helper.ask("reset")
    if faults:
        helper.ask("faults")
    env = base_environment(helper.api_url, database_url, DEI_REMINDER_OFFSETS=FANOUT_OFFSETS)
    log = context.workdir / f"{backend.name}-{part}.log"
    # Generous, yet bounded: without faults 10 messages/s, with them 4, would still finish.
    timeout = max(60.0, messages / (4 if faults else 10))
    spawned = time.monotonic()
    bot = processes.spawn(bot_argv(context.workdir, free_port()), env, log)
    samples: list[Sample] = []
    try:
        deadline = spawned + START_TIMEOUT_S + timeout
        seen: dict[str, Any] = {}
        for _ in range(int((START_TIMEOUT_S + timeout) / POLL_S) + 1):
            seen = helper.ask("progress")
            samples.append(Sample(time.monotonic(), proc_cpu_s(bot.pid), proc_cpu_s(helper.pid)))
            if seen["keys"] >= messages:
                break
            if bot.poll() is not None:
                raise BenchError(f"dei-bot exited {bot.returncode}:\n{log_tail(log)}")
            if time.monotonic() > deadline:
                raise BenchError(
                    f"{part}: {seen['keys']} of {messages} messages within {timeout:.0f} s:\n"
                    f"{log_tail(log)}"
                )
            time.sleep(POLL_S)
        # The last post is out; the ledger says `sent` once its record commits.
        states: dict[str, int] = {}
        for _ in range(int(RECORD_TIMEOUT_S / POLL_S) + 1):
            states = state_counts(db)
            if states.get("sent", 0) >= messages:
                break
            time.sleep(POLL_S)
    finally:
        processes.stop(bot)
    report = helper.ask("report")
    posts = sorted(report["posts"], key=lambda post: post[1])
    if not posts:
        raise BenchError(f"{part}: nothing was posted:\n{log_tail(log)}")
    first, last = posts[0][1], posts[-1][1]
    span = last - first
    landed: dict[str, int] = report["landed"]
    distinct = len(landed)
    twice = sum(1 for count in landed.values() if count > 1)
    statuses: dict[str, int] = report["statuses"]
    pauses: list[float] = report["pauses_after_429"]
    bot_cpu = cpu_at(samples, last, "bot_cpu_s") - cpu_at(samples, first, "bot_cpu_s")
    standin_cpu = cpu_at(samples, last, "standin_cpu_s") - cpu_at(samples, first, "standin_cpu_s")
    return {
        "messages": messages,
        "faults": FAULTS_LABEL if faults else None,
        "rate_per_s": (len(posts) - 1) / span if span > 0 else math.nan,
        "first_to_last_s": span,
        "spawn_to_first_post_s": first - spawned,
        "bot_cpu_percent": 100 * bot_cpu / span if span > 0 else math.nan,
        "bot_cpu_ms_per_message": 1000 * bot_cpu / max(1, len(posts)),
        "standin_cpu_percent": 100 * standin_cpu / span if span > 0 else math.nan,
        "slack_calls": report["calls"],
        "calls_by_method_and_status": statuses,
        "answered_429": sum(n for name, n in statuses.items() if name.endswith(" 429")),
        "answered_500": sum(n for name, n in statuses.items() if name.endswith(" 500")),
        "calls_inside_retry_after": report["inside_retry_after"],
        # Retry-After is 1 s; how long each 429 actually stopped that method.
        "pause_after_429_s_median": statistics.median(pauses) if pauses else math.nan,
        "pause_after_429_s_max": max(pauses, default=math.nan),
        "posts_ok": len(posts),
        "distinct_keys": distinct,
        "keys_twice": twice,
        "ledger_states": states,
        "log_errors": log_problems(log),
        "exactly_once": distinct == messages and twice == 0 and len(posts) == messages,
    }


def idle(contexts: list[Context], seconds: float) -> dict[str, dict[str, Any]]:
    """Per back end a `dei-bot run` and a bare Bolt app, all at once: idle, they take next to no
    CPU from each other, and the run is shorter than measuring them in turn."""
    helper, processes = contexts[0].helper, contexts[0].processes
    helper.ask("reset")
    bare_script = str(Path(__file__).with_name("bare_bolt_app.py"))
    running: dict[tuple[str, str], tuple[subprocess.Popen[bytes], int, Path]] = {}
    try:
        for context in contexts:
            backend = context.backend
            _, database_url = backend.fresh(f"{backend.name}-idle")
            for name in ("dei-bot", "bare"):
                port = free_port()
                if name == "dei-bot":
                    argv = bot_argv(context.workdir, port)
                    env = base_environment(
                        helper.api_url, database_url, DEI_REMINDER_OFFSETS=FANOUT_OFFSETS
                    )
                else:
                    argv = [sys.executable, bare_script, "--host", HOST, "--port", str(port)]
                    env = base_environment(helper.api_url, database_url)
                log = context.workdir / f"{backend.name}-idle-{name}.log"
                running[backend.name, name] = (processes.spawn(argv, env, log), port, log)
        for process, port, log in running.values():
            wait_until_healthy(process, port, log)
        time.sleep(SETTLE_S)  # start-up work (planning, Bolt's first look-ups) is not idling
        calls_before = helper.ask("progress")["calls"]
        before = {key: proc_cpu_s(process.pid) for key, (process, _, _) in running.items()}
        began = time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - began
        after = {key: proc_cpu_s(process.pid) for key, (process, _, _) in running.items()}
        calls_after = helper.ask("progress")["calls"]
        for (backend_name, name), (process, _, _) in running.items():
            if process.poll() is not None:
                raise BenchError(f"{name} ({backend_name}) exited during the idle measurement")
    finally:
        for process, _, _ in running.values():
            processes.stop(process)
    results: dict[str, dict[str, Any]] = {}
    for context in contexts:
        backend_name = context.backend.name
        result: dict[str, Any] = {"elapsed_s": elapsed, "processes_at_once": len(running)}
        for name in ("dei-bot", "bare"):
            used = after[backend_name, name] - before[backend_name, name]
            result[name] = {"cpu_s": used, "cpu_percent": 100 * used / elapsed}
        result["slack_calls_while_idle"] = calls_after - calls_before
        bare = result["bare"]["cpu_s"]
        # /proc counts CPU in clock ticks (10 ms): a bare app that used none has no ratio.
        result["ratio"] = result["dei-bot"]["cpu_s"] / bare if bare > 0 else math.nan
        results[backend_name] = result
    return results


def delay(context: Context, count: int, spread_s: float) -> dict[str, Any]:
    backend, helper, processes = context.backend, context.helper, context.processes
    db, database_url = backend.fresh(f"{backend.name}-delay")
    helper.ask("reset")
    env = base_environment(helper.api_url, database_url, DEI_REMINDER_OFFSETS=DELAY_OFFSETS)
    log = context.workdir / f"{backend.name}-delay.log"
    port = free_port()
    bot = processes.spawn(bot_argv(context.workdir, port), env, log)
    try:
        wait_until_healthy(bot, port, log)
        time.sleep(1.0)  # past the start-up planning run and the first dispatcher wake-ups
        seeding = time.monotonic()
        first_due = datetime.now(UTC) + timedelta(seconds=DELAY_LEAD_S)
        seed_staggered(db, count, first_due, spread_s)
        seeded_in = time.monotonic() - seeding
        if seeded_in >= DELAY_LEAD_S:
            raise BenchError(
                f"seeding took {seeded_in:.1f} s, past the first due time: the delays would "
                "include it"
            )
        timeout = DELAY_LEAD_S + spread_s + DELAY_GRACE_S
        deadline = seeding + timeout
        seen: dict[str, Any] = {}
        for _ in range(int(timeout / POLL_S) + 1):
            seen = helper.ask("progress")
            if seen["keys"] >= count:
                break
            if bot.poll() is not None:
                raise BenchError(f"dei-bot exited {bot.returncode}:\n{log_tail(log)}")
            if time.monotonic() > deadline:
                raise BenchError(
                    f"delay: {seen['keys']} of {count} reminders within {timeout:.0f} s:\n"
                    f"{log_tail(log)}"
                )
            time.sleep(POLL_S)
    finally:
        processes.stop(bot)
    report = helper.ask("report")
    due = due_times(db)
    first_arrival: dict[str, float] = {}
    for key, _, wall in report["posts"]:
        first_arrival[key] = min(wall, first_arrival.get(key, math.inf))
    delays = sorted(1000 * (wall - due[key]) for key, wall in first_arrival.items() if key in due)
    landed: dict[str, int] = report["landed"]
    return {
        "reminders": count,
        "spread_s": spread_s,
        "seeded_in_s": seeded_in,
        "arrived": len(delays),
        "keys_twice": sum(1 for n in landed.values() if n > 1),
        "min_ms": delays[0] if delays else math.nan,
        "p50_ms": percentile(delays, 0.50),
        "p99_ms": percentile(delays, 0.99),
        "max_ms": delays[-1] if delays else math.nan,
        "log_errors": log_problems(log),
    }


def run_fanouts(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    name = LABELS[context.backend.name]
    result: dict[str, Any] = {}
    for faults in (False, True):
        label = "fan-out with faults" if faults else "fan-out"
        messages = args.fault_messages if faults else args.messages
        progress(f"{name}: {label}, {messages} due DMs...")
        part = fanout(context, messages, faults)
        result["fanout_faults" if faults else "fanout"] = part
        progress(
            f"{name}: {label}: {part['rate_per_s']:.1f} messages/s over "
            f"{part['first_to_last_s']:.1f} s, {part['distinct_keys']} distinct keys, "
            f"{part['keys_twice']} twice"
        )
    return result


def run_idle(contexts: list[Context], results: dict[str, dict[str, Any]], seconds: float) -> None:
    progress(f"idle cost, {seconds:g} s, every back end at once...")
    for name, part in idle(contexts, seconds).items():
        results[name]["idle"] = part
        progress(
            f"{LABELS[name]}: idle: dei-bot {part['dei-bot']['cpu_percent']:.2f}% of a core, "
            f"bare Bolt app {part['bare']['cpu_percent']:.2f}%"
        )


def run_delay(context: Context, args: argparse.Namespace) -> dict[str, Any]:
    name = LABELS[context.backend.name]
    progress(f"{name}: due-to-send delay, {args.delay_reminders} reminders...")
    part = delay(context, args.delay_reminders, args.delay_spread)
    progress(f"{name}: delay p50 {part['p50_ms']:.0f} ms, p99 {part['p99_ms']:.0f} ms")
    return part


def assess(result: dict[str, Any]) -> None:
    clean, faulted, lateness = result["fanout"], result["fanout_faults"], result["delay"]
    result["goals"] = {
        "fanout_rate": {
            "value": clean["rate_per_s"],
            "goal": f">= {GOAL_RATE:g} messages/s",
            "pass": clean["rate_per_s"] >= GOAL_RATE,
        },
        "delay_p99_ms": {
            "value": lateness["p99_ms"],
            "goal": f"< {GOAL_DELAY_P99_MS:g} ms",
            "pass": lateness["p99_ms"] < GOAL_DELAY_P99_MS,
        },
    }
    result["checks"] = {
        "fanout_exactly_once": clean["exactly_once"],
        "fanout_faults_exactly_once": faulted["exactly_once"],
        "fanout_faults_retry_after_respected": faulted["calls_inside_retry_after"] == 0,
        "delay_all_arrived_once": lateness["arrived"] == lateness["reminders"]
        and lateness["keys_twice"] == 0,
    }


# -- the report ------------------------------------------------------------------------------------


def without_nan(value: Any) -> Any:
    """JSON has no NaN or infinity: a figure that could not be measured becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def print_report(config: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    print(
        f"fanout: the real `dei-bot run --http` process; Slack stand-in in "
        f"{config['standin']}; {config['cpus']} CPUs (load average "
        f"{config['load_average_at_start']} at start, {config['load_average_at_end']} at end), "
        f"Python {config['python']}"
    )
    code = config["code_at_start"]
    if config["code_at_end"] != code:
        code = f"{code} at the start, {config['code_at_end']} at the end"
    print(f"code measured: {code}")
    for backend, result in results.items():
        clean, faulted = result["fanout"], result["fanout_faults"]
        print()
        print(f"== {LABELS[backend]} ==")
        print()
        print(
            f"Fan-out: due DMs to members x 2 offsets, planned as the bot plans them; "
            f"faults: {FAULTS_LABEL}"
        )
        print(
            f"  {'':10} {'DMs':>5} {'msg/s':>6} {'1st-last':>8} {'to 1st':>6} {'bot CPU':>7} "
            f"{'CPU':>5} {'stand-in':>8} {'calls':>5} {'429':>3} {'500':>3} {'pause':>5} "
            f"{'distinct':>8} {'twice':>5} {'in R-A':>6} {'errors':>6}"
        )
        print(
            f"  {'':10} {'':>5} {'':>6} {'s':>8} {'s':>6} {'% core':>7} {'ms/DM':>5} "
            f"{'% core':>8} {'':>5} {'':>3} {'':>3} {'s':>5} {'keys':>8} {'keys':>5} "
            f"{'calls':>6} {'in log':>6}"
        )
        for label, row in (("no faults", clean), ("faults", faulted)):
            pause = row["pause_after_429_s_median"]
            print(
                f"  {label:10} {row['messages']:>5} {row['rate_per_s']:>6.1f} "
                f"{row['first_to_last_s']:>8.1f} {row['spawn_to_first_post_s']:>6.2f} "
                f"{row['bot_cpu_percent']:>7.0f} {row['bot_cpu_ms_per_message']:>5.1f} "
                f"{row['standin_cpu_percent']:>8.0f} {row['slack_calls']:>5} "
                f"{row['answered_429']:>3} {row['answered_500']:>3} "
                f"{'-' if math.isnan(pause) else f'{pause:.2f}':>5} {row['distinct_keys']:>8} "
                f"{row['keys_twice']:>5} {row['calls_inside_retry_after']:>6} "
                f"{row['log_errors']:>6}"
            )
        quiet = result["idle"]
        bot, bare = quiet["dei-bot"], quiet["bare"]
        ratio = (
            f"{quiet['ratio']:.0f}x the bare app's"
            if math.isfinite(quiet["ratio"])
            else "the bare app used less than one 10 ms clock tick"
        )
        print()
        print(
            f"Idle ({quiet['elapsed_s']:.0f} s, nothing due): dei-bot run "
            f"{bot['cpu_percent']:.2f}% of a core ({1000 * bot['cpu_s']:.0f} ms CPU); bare Bolt "
            f"app {bare['cpu_percent']:.2f}% ({1000 * bare['cpu_s']:.0f} ms); {ratio}; Slack "
            f"calls meanwhile {quiet['slack_calls_while_idle']}"
        )
        late = result["delay"]
        print()
        print(
            f"Due-to-send delay ({late['reminders']} reminders due over {late['spread_s']:g} s): "
            f"p50 {late['p50_ms']:.0f} ms, p99 {late['p99_ms']:.0f} ms, max "
            f"{late['max_ms']:.0f} ms (min {late['min_ms']:.0f} ms); "
            f"{late['arrived']}/{late['reminders']} arrived"
        )
        print()
        goals, checks = result["goals"], result["checks"]
        print(
            f"  {verdict(goals['fanout_rate']['pass'])}  fan-out without faults "
            f"{clean['rate_per_s']:.1f} messages/s (goal >= {GOAL_RATE:g})"
        )
        print(
            f"  {verdict(goals['delay_p99_ms']['pass'])}  due-to-send p99 "
            f"{late['p99_ms']:.0f} ms (goal < {GOAL_DELAY_P99_MS:g} ms)"
        )
        for name, passed in checks.items():
            print(f"  {'OK' if passed else 'FAILED':4}  {name.replace('_', ' ')}")


# -- main ------------------------------------------------------------------------------------------


def positive(text_value: str) -> int:
    value = int(text_value)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def even(text_value: str) -> int:
    value = positive(text_value)
    if value % 2:
        raise argparse.ArgumentTypeError("must be even (members x 2 offsets)")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Fan-out throughput, idle cost and due-to-send delay of `dei-bot run`."
    )
    parser.add_argument(
        "--messages", type=even, default=2000, help="due DMs in the fan-out without faults"
    )
    parser.add_argument(
        "--fault-messages",
        type=even,
        default=1000,
        help="due DMs in the fan-out with faults (default: 1000; each 429 pauses it a second)",
    )
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument(
        "--postgres-url", default=DEFAULT_POSTGRES_URL, help=f"(default: {DEFAULT_POSTGRES_URL})"
    )
    parser.add_argument(
        "--idle-seconds", type=float, default=30.0, help="idle CPU measured over (default: 30)"
    )
    parser.add_argument("--delay-reminders", type=positive, default=300)
    parser.add_argument(
        "--delay-spread", type=float, default=15.0, help="seconds the due times span (default 15)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--logs", type=Path, help="copy every server's log into this directory at the end"
    )
    args = parser.parse_args(argv)
    if not 0 < args.idle_seconds <= 600 or not 0 <= args.delay_spread <= 600:
        parser.error("--idle-seconds and --delay-spread must be within (0, 600]")
    return args


@contextlib.contextmanager
def keep_logs(workdir: Path, destination: Path | None) -> Iterator[None]:
    try:
        yield
    finally:
        if destination is not None:
            destination.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                with contextlib.suppress(OSError):
                    shutil.copyfile(log, destination / log.name)


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not head:
        return "unknown"
    return f"{head} with uncommitted changes" if dirty else head


def all_checks_pass(results: dict[str, dict[str, Any]]) -> bool:
    return all(all(result["checks"].values()) for result in results.values())


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv == ["--standin"]:  # the stand-in helper, started by spawn_helper
        return standin_main()
    args = parse_args(argv)
    for name in PROXY_VARIABLES:  # the helper inherits this environment; slack_sdk obeys them
        os.environ.pop(name, None)
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]
    processes = Processes()
    config: dict[str, Any] = {
        "messages": args.messages,
        "fault_messages": args.fault_messages,
        "backends": backends,
        "faults": FAULTS_LABEL,
        "idle_seconds": args.idle_seconds,
        "delay_reminders": args.delay_reminders,
        "delay_spread_s": args.delay_spread,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "code_at_start": code_version(),
    }
    results: dict[str, dict[str, Any]] = {}
    started = time.monotonic()
    try:
        # Leaving in reverse order: processes stop, then each back end goes (its schema
        # dropped), then the temporary directory; logs are copied out first if asked.
        with (
            tempfile.TemporaryDirectory(prefix="dei-bot-fanout-") as tmp,
            keep_logs(Path(tmp), args.logs),
            contextlib.ExitStack() as backends_open,
            cleanup_on_exit(processes),
        ):
            workdir = Path(tmp)
            if "postgresql" in backends:
                check_postgres(args.postgres_url)
            helper = spawn_helper(processes, workdir / "standin.log")
            config["standin"] = f"a separate process, pid {helper.pid}"
            contexts = []
            for name in backends:
                progress(f"{LABELS[name]}: preparing the database (dei-bot db upgrade)...")
                backend = backends_open.enter_context(
                    open_backend(name, workdir, args.postgres_url)
                )
                contexts.append(Context(backend, helper, processes, workdir))
            for context in contexts:
                results[context.backend.name] = run_fanouts(context, args)
            run_idle(contexts, results, args.idle_seconds)
            for context in contexts:
                results[context.backend.name]["delay"] = run_delay(context, args)
                assess(results[context.backend.name])
    except KeyboardInterrupt:
        progress("interrupted; processes stopped, temporary files and schema removed")
        return 130
    except BenchError as error:
        progress(f"fanout: {error}")
        return 1
    config["elapsed_s"] = round(time.monotonic() - started, 1)
    config["load_average_at_end"] = round(os.getloadavg()[0], 2)
    config["code_at_end"] = code_version()
    if args.json:
        document = {"config": config, "backends": results}
        print(json.dumps(without_nan(document), indent=2, allow_nan=False))
    else:
        print_report(config, results)
        print(f"\n(took {config['elapsed_s']:.0f} s)")
    return 0 if all_checks_pass(results) else 1


if __name__ == "__main__":
    sys.exit(main())
