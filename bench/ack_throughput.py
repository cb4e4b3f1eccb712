"""How fast dei-bot acknowledges a slash command, next to a bare Bolt app served the same way.

    python bench/ack_throughput.py [--requests 3000] [--concurrency 32] [--rounds 3] [--json]
    python bench/ack_throughput.py --text hiring --resources 10000   # searches, 10,000 resources

Three servers, each a fresh process per round, all behind `bot.runtime.serve_http` (waitress):

* `trivial`: a WSGI app without Bolt (bench/bare_bolt_app.py --trivial), the load generator's
  ceiling: if it is not far above the Bolt apps, the client, not the server, is being measured;
* `bare`: a bare Bolt app with one `/dei-topic` listener (bench/bare_bolt_app.py);
* `dei-bot`: the real `dei-bot run --http` process.

Each answers correctly signed `/dei-topic help` requests over keep-alive connections. Reported:
cold start (spawn to the first 200 from /healthz), throughput, p50/p99 latency, the server's CPU
per request, and VmRSS after the load. See bench/README.md for what each figure means.

With `--text hiring` the requests are `/dei-topic hiring`: dei-bot acknowledges, then searches
and answers at the request's response_url (`--resources N`: its database holds N resources of
bench/search_corpus.py), while the two yardsticks answer the same requests as before.
Exit status: 0 when every request was answered correctly (and, for a search, every answer
arrived), 1 otherwise (goals only reported).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import resource
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
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
)
from search_corpus import describe, seed_corpus  # noqa: E402

from slack_standin import SlackStandIn  # noqa: E402
from slack_standin.signed import signature_headers, slash_command_body  # noqa: E402
from storage.database import Database  # noqa: E402

HOST = "127.0.0.1"
BOT_TOKEN = "xoxb-bench-bot-token-0123456789"
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
USER = "U0MEMBER01"
EVENTS_PATH = "/slack/events"  # bot.runtime.EVENTS_PATH, without importing Bolt here
HEALTH_PATH = "/healthz"
MARKER = "How to use /dei-topic"  # in dei-bot's help answer and in the bare app's
FOUND = "Resources for"  # dei-bot's answer to a search that found something
FAILED = "Sorry, something went wrong"  # dei-bot's answer when a listener failed
BUSY = "Sorry, many people are asking dei-bot at once"  # its answer when too much is queued
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)

START_TIMEOUT_S = 30.0  # spawn to healthy
READY_TIMEOUT_S = 60.0  # client processes started and warmed up
REQUEST_TIMEOUT_S = 10.0  # one request on one connection
MAX_CONSECUTIVE_ERRORS = 20  # a connection that keeps failing gives up
MAX_ERROR_SAMPLES = 5
ANSWERS_TIMEOUT_S = 60.0  # after the load, for the last answer at the response_url

GOAL_RATIO = 0.8  # dei-bot throughput / bare Bolt throughput, at least
GOAL_COLD_START_S = 2.0  # dei-bot, below
GOAL_RSS_MB = 150.0  # dei-bot after the load, below

TARGETS = ("trivial", "bare", "dei-bot")
LABELS = {
    "trivial": "trivial WSGI (ceiling)",
    "bare": "bare Bolt app",
    "dei-bot": "dei-bot",
}


# -- the load generator (runs in client processes) -------------------------------------------------


@dataclass(frozen=True)
class ClientJob:
    """What one client process does; it travels as JSON on the command line."""

    port: int
    total: int
    threads: int
    warmup: int
    response_url: str
    timeout: float
    text: str  # what follows /dei-topic
    marker: str  # what a correct acknowledgement holds ("": anything, with a 200)


def client_main(job_json: str) -> int:
    """A client process: warm up, say `ready`, wait for `go` on stdin, report one JSON line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C the parent ends this process
    job = ClientJob(**json.loads(job_json))

    def ready() -> bool:
        print("ready", flush=True)
        readable, _, _ = select.select([sys.stdin], [], [], READY_TIMEOUT_S)
        return bool(readable) and sys.stdin.readline().strip() == "go"

    report = client_run(job, ready)
    print(json.dumps(report), flush=True)
    return 0


def client_run(job: ClientJob, ready: Callable[[], bool]) -> dict[str, Any]:
    """`threads` keep-alive connections: `warmup` requests each, then `total` among them all."""
    port, total, threads, warmup = job.port, job.total, job.threads, job.warmup
    marker = job.marker.encode()
    counter = itertools.count()  # next() on it is atomic under the GIL
    warmed = threading.Barrier(threads + 1, timeout=READY_TIMEOUT_S)
    start = threading.Event()
    abort = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    errors = {"warmup": 0, "measured": 0}
    samples: list[str] = []

    def record_error(phase: str, what: str, *, count: bool = True) -> None:
        with lock:
            errors[phase] += count
            if len(samples) < MAX_ERROR_SAMPLES:
                samples.append(f"{phase}: {what}")

    def one(connection: http.client.HTTPConnection, body: bytes) -> tuple[float, str | None]:
        headers = signature_headers(body, SIGNING_SECRET)
        started = time.perf_counter()
        try:
            connection.request("POST", EVENTS_PATH, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()  # the next request reconnects
            return 0.0, f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - started
        if response.status != 200:
            return elapsed, f"HTTP {response.status}: {data[:120]!r}"
        if marker not in data:
            return elapsed, f"no {job.marker!r} in {data[:120]!r}"
        return elapsed, None

    def connection_thread() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        # One body per connection (the trigger_id differs); each request is signed afresh.
        body = slash_command_body(job.text, user=USER, response_url=job.response_url)
        mine: list[float] = []
        try:
            for _ in range(warmup):
                _, error = one(connection, body)
                if error:
                    record_error("warmup", error)
            try:
                warmed.wait()
            except threading.BrokenBarrierError:
                return
            if not start.wait(job.timeout) or abort.is_set():
                return
            consecutive = 0
            while next(counter) < total and not abort.is_set():
                elapsed, error = one(connection, body)
                if error is None:
                    mine.append(elapsed)
                    consecutive = 0
                    continue
                record_error("measured", error)
                consecutive += 1
                if consecutive >= MAX_CONSECUTIVE_ERRORS:
                    record_error("measured", "a connection gave up", count=False)
                    return
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    workers = [threading.Thread(target=connection_thread, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    try:
        warmed.wait()
    except threading.BrokenBarrierError:
        abort.set()
        start.set()
        return {"failed": "warm-up did not finish", "samples": samples}
    if not ready():
        abort.set()
        start.set()
        return {"failed": "never told to go", "samples": samples}
    before = resource.getrusage(resource.RUSAGE_SELF)
    start.set()
    deadline = time.monotonic() + job.timeout
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    finished = time.monotonic()
    after = resource.getrusage(resource.RUSAGE_SELF)
    if any(worker.is_alive() for worker in workers):
        abort.set()
        record_error("measured", f"load did not finish within {job.timeout:.0f} s", count=False)
    with lock:
        # Requests never answered (a connection gave up, or time ran out) are errors too.
        errors["measured"] = max(errors["measured"], total - len(latencies))
        return {
            "latencies": list(latencies),
            "errors": dict(errors),
            "samples": list(samples),
            "finished": finished,
            "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        }


# -- servers ---------------------------------------------------------------------------------------


class LineReader:
    """Lines from a child's stdout, each awaited no longer than a deadline."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        self.fd = process.stdout.fileno()
        self.buffer = b""

    def line(self, deadline: float, what: str) -> bytes:
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BenchError(f"no {what} from a client process in time")
            readable, _, _ = select.select([self.fd], [], [], remaining)
            if readable:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    raise BenchError(f"a client process exited before its {what}")
                self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line


@dataclass
class Target:
    name: str
    argv: list[str]
    env: dict[str, str]
    marker: str  # what its acknowledgements hold
    answers: bool  # whether it answers at the response_url after acknowledging


@dataclass
class RunResult:
    """One round of one target."""

    cold_start_s: float
    throughput_rps: float
    p50_ms: float
    p99_ms: float
    rss_mb: float
    peak_rss_mb: float
    server_cpu_ms_per_request: float
    client_cpu_percent: float
    ok: int
    errors: int
    warmup_errors: int
    warmup_ok: int
    wall_s: float
    log_lines: int
    answers: int = 0  # answers at the response_url (searches only)
    answers_found: int = 0  # of them, with resources
    answers_failed: int = 0  # of them, dei-bot's apology for a failure
    answers_missing: int = 0  # 200s acknowledged whose answer never came
    answers_drain_s: float = math.nan  # end of the load to the last answer
    error_samples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list, repr=False)

    def public(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data.pop("latencies")
        return data


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
        time.sleep(0.005)
    raise BenchError(f"server not healthy within {START_TIMEOUT_S:.0f} s:\n{log_tail(log)}")


def split_evenly(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def run_once(
    target: Target,
    args: argparse.Namespace,
    processes: Processes,
    logs: Path,
    round_number: int,
    standin: SlackStandIn,
) -> RunResult:
    port = free_port()
    log = logs / f"{target.name}-{round_number}.log"
    key = f"{target.name}-{round_number}"
    spawned = time.monotonic()
    server = processes.spawn([*target.argv, "--port", str(port)], target.env, log)
    try:
        cold_start = wait_until_healthy(server, port, log) - spawned
        result = drive_load(server, port, target, args, processes, standin.response_url(key), log)
        result.cold_start_s = cold_start
        if target.answers:
            count_answers(result, standin, key, acknowledged=result.ok + result.warmup_ok)
        result.log_lines = len(log.read_text(errors="replace").splitlines())
        return result
    finally:
        processes.stop(server)


def count_answers(result: RunResult, standin: SlackStandIn, key: str, *, acknowledged: int) -> None:
    """Waits for an answer to every acknowledged search, then counts them and what they said."""
    load_ended = time.monotonic()
    deadline = load_ended + ANSWERS_TIMEOUT_S
    answers = standin.responses(key)
    while len(answers) < acknowledged and time.monotonic() < deadline:
        time.sleep(0.1)
        answers = standin.responses(key)
    texts = [str(answer.body.get("text", "")) for answer in answers]
    result.answers = len(answers)
    result.answers_found = sum(FOUND in text for text in texts)
    # A search answered "too busy" was not answered: it counts against dei-bot like a failure.
    result.answers_failed = sum(FAILED in text or BUSY in text for text in texts)
    result.answers_missing = max(0, acknowledged - len(answers))
    if answers:
        result.answers_drain_s = max(0.0, max(answer.at for answer in answers) - load_ended)


def spawn_client(processes: Processes, job: ClientJob) -> subprocess.Popen[bytes]:
    """A load generator in a process of its own, reporting over its stdout."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--client", json.dumps(job.__dict__)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    return processes.adopt(process)


def drive_load(
    server: subprocess.Popen[bytes],
    port: int,
    target: Target,
    args: argparse.Namespace,
    processes: Processes,
    response_url: str,
    log: Path,
) -> RunResult:
    client_count = max(1, min(args.client_procs, args.concurrency))
    threads = split_evenly(args.concurrency, client_count)
    shares = [args.requests * t // args.concurrency for t in threads]
    shares[0] += args.requests - sum(shares)
    # Generous, yet bounded: even 20 requests/s would finish in time.
    load_timeout = max(60.0, args.requests / 20)
    clients = [
        spawn_client(
            processes,
            ClientJob(
                port,
                share,
                count,
                args.warmup,
                response_url,
                load_timeout,
                text=args.text,
                marker=target.marker,
            ),
        )
        for count, share in zip(threads, shares, strict=True)
    ]
    readers = [LineReader(client) for client in clients]
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        for reader in readers:
            line = reader.line(deadline, "warm-up")
            if line != b"ready":
                raise BenchError(f"client warm-up failed: {line[:300]!r}:\n{log_tail(log)}")
        if server.poll() is not None:
            raise BenchError(f"server exited during warm-up:\n{log_tail(log)}")
        cpu_before = proc_cpu_s(server.pid)
        began = time.monotonic()
        for client in clients:
            assert client.stdin is not None
            client.stdin.write(b"go\n")
            client.stdin.flush()
        deadline = time.monotonic() + load_timeout + READY_TIMEOUT_S
        reports = [json.loads(reader.line(deadline, "report")) for reader in readers]
        cpu_after = proc_cpu_s(server.pid)
        rss_kb = proc_status_kb(server.pid, "VmRSS")
        peak_kb = proc_status_kb(server.pid, "VmHWM")
    finally:
        for client in clients:
            processes.stop(client)
    failed = [report["failed"] for report in reports if "failed" in report]
    if failed:
        raise BenchError(f"client failed: {failed[0]}:\n{log_tail(log)}")
    latencies = sorted(value for report in reports for value in report["latencies"])
    wall = max(report["finished"] for report in reports) - began
    ok = len(latencies)
    errors = sum(report["errors"]["measured"] for report in reports)
    attempted = ok + errors
    return RunResult(
        cold_start_s=math.nan,
        throughput_rps=ok / wall if wall > 0 else math.nan,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        rss_mb=rss_kb / 1024,
        peak_rss_mb=peak_kb / 1024,
        server_cpu_ms_per_request=(cpu_after - cpu_before) * 1000 / max(attempted, 1),
        client_cpu_percent=100 * sum(report["cpu_s"] for report in reports) / wall,
        ok=ok,
        errors=errors,
        warmup_errors=sum(report["errors"]["warmup"] for report in reports),
        warmup_ok=args.warmup * args.concurrency
        - sum(report["errors"]["warmup"] for report in reports),
        wall_s=wall,
        log_lines=0,
        error_samples=[sample for report in reports for sample in report["samples"]],
        latencies=latencies,
    )


# -- set-up ----------------------------------------------------------------------------------------


def child_environment(standin: SlackStandIn, database_url: str) -> dict[str, str]:
    """Only what the servers need; no proxy variable (slack_sdk would obey it) gets through."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
    }
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    return env


def upgrade_database(env: dict[str, str], workdir: Path) -> None:
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


def build_targets(standin: SlackStandIn, workdir: Path, args: argparse.Namespace) -> list[Target]:
    bare_script = str(Path(__file__).with_name("bare_bolt_app.py"))
    searches = args.text.strip().casefold() != "help"
    targets = []
    for name in TARGETS:
        database = workdir / (name + ".db")
        env = child_environment(standin, f"sqlite:///{database}") | dict(args.server_env)
        upgrade_database(env, workdir)
        if name == "dei-bot":
            if args.resources:
                seed_library(database, args.resources)
            argv = [*dei_bot_command(), "--env-file", str(workdir / "absent.env")]
            argv += ["run", "--http", "--host", HOST]
            # A search is acknowledged empty, and answered at the response_url after.
            marker, answers = ("", True) if searches else (MARKER, False)
        else:
            # The yardsticks answer every /dei-topic with their help text, searches included.
            argv = [sys.executable, bare_script, "--host", HOST]
            if name == "trivial":
                argv.append("--trivial")
            marker, answers = MARKER, False
        targets.append(Target(name=name, argv=argv, env=env, marker=marker, answers=answers))
    return targets


def seed_library(database: Path, resources: int) -> None:
    """dei-bot's database, before its first start: the corpus of bench/search_corpus.py."""
    db = Database(f"sqlite:///{database}")
    try:
        seeded = seed_corpus(db, resources=resources, today=date.today())
    finally:
        db.dispose()
    progress(f"dei-bot's library: {describe(seeded)}")


# -- the report ------------------------------------------------------------------------------------


def summarise(runs: list[RunResult]) -> dict[str, Any]:
    pooled = sorted(value for run in runs for value in run.latencies)

    def median(name: str) -> float:
        return float(statistics.median(getattr(run, name) for run in runs))

    throughputs = [run.throughput_rps for run in runs]
    return {
        "cold_start_s": median("cold_start_s"),
        "throughput_rps": median("throughput_rps"),
        "throughput_rps_min": min(throughputs),
        "throughput_rps_max": max(throughputs),
        "p50_ms": percentile(pooled, 0.50) * 1000,
        "p99_ms": percentile(pooled, 0.99) * 1000,
        "rss_mb": median("rss_mb"),
        "peak_rss_mb": median("peak_rss_mb"),
        "server_cpu_ms_per_request": median("server_cpu_ms_per_request"),
        "client_cpu_percent": median("client_cpu_percent"),
        "ok": sum(run.ok for run in runs),
        "errors": sum(run.errors for run in runs),
        "warmup_errors": sum(run.warmup_errors for run in runs),
        "answers": sum(run.answers for run in runs),
        "answers_found": sum(run.answers_found for run in runs),
        "answers_failed": sum(run.answers_failed for run in runs),
        "answers_missing": sum(run.answers_missing for run in runs),
        "answers_drain_s": max(run.answers_drain_s for run in runs),
        "rounds": [run.public() for run in runs],
    }


def wrong_answers(row: dict[str, Any]) -> int:
    """Searches acknowledged but never answered, or answered with an apology."""
    return int(row["answers_missing"] + row["answers_failed"])


def without_nan(value: Any) -> Any:
    """JSON has no NaN: a figure that could not be measured becomes null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def ratio_of(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def assess(summary: dict[str, dict[str, Any]]) -> dict[str, Any]:
    bare, bot, ceiling = summary["bare"], summary["dei-bot"], summary["trivial"]

    def versus_bare(name: str) -> float:
        return ratio_of(bot[name], bare[name])

    ratio = versus_bare("throughput_rps")
    headroom = ratio_of(
        ceiling["throughput_rps"], max(bare["throughput_rps"], bot["throughput_rps"])
    )
    return {
        "ratios": {
            "throughput": ratio,
            "server_cpu_per_request": versus_bare("server_cpu_ms_per_request"),
            "p50": versus_bare("p50_ms"),
            "p99": versus_bare("p99_ms"),
            "cold_start": versus_bare("cold_start_s"),
            "rss": versus_bare("rss_mb"),
        },
        "goals": {
            "throughput_ratio": {
                "value": ratio,
                "goal": f">= {GOAL_RATIO}",
                "pass": ratio >= GOAL_RATIO,
            },
            "cold_start_s": {
                "value": bot["cold_start_s"],
                "goal": f"< {GOAL_COLD_START_S}",
                "pass": bot["cold_start_s"] < GOAL_COLD_START_S,
            },
            "rss_mb": {
                "value": bot["rss_mb"],
                "goal": f"< {GOAL_RSS_MB}",
                "pass": bot["rss_mb"] < GOAL_RSS_MB,
            },
        },
        # The client is not what is measured when the ceiling is well above the Bolt apps.
        "client_headroom": headroom,
        "client_not_bottleneck": headroom >= 1.5,
    }


def print_table(config: dict[str, Any], summary: dict[str, dict[str, Any]], verdicts: Any) -> None:
    print(
        f"ack_throughput: {config['requests']} signed `/dei-topic {config['text']}` requests x "
        f"{config['rounds']} rounds, {config['concurrency']} keep-alive connections from "
        f"{config['client_procs']} client process(es), {config['warmup']} warm-up requests "
        f"per connection; {config['cpus']} CPUs (load average {config['load_average_at_start']} "
        f"at start), Python {config['python']}"
    )
    if config["server_env"]:
        print(
            "servers' extra environment: "
            + " ".join(f"{k}={v}" for k, v in config["server_env"].items())
        )
    if config["resources"]:
        print(
            f"dei-bot's database holds {config['resources']:,} resources (bench/search_corpus.py)"
        )
    print()
    header = (
        f"{'':24} {'cold start':>10} {'throughput':>10} {'(min-max)':>13} {'p50':>7} "
        f"{'p99':>7} {'RSS':>7} {'server CPU':>10} {'client CPU':>10} {'errors':>6}"
    )
    units = (
        f"{'':24} {'s':>10} {'req/s':>10} {'req/s':>13} {'ms':>7} {'ms':>7} {'MB':>7} "
        f"{'ms/req':>10} {'% of core':>10} {'':>6}"
    )
    print(header)
    print(units)
    for name in TARGETS:
        row = summary[name]
        spread = f"{row['throughput_rps_min']:.0f}-{row['throughput_rps_max']:.0f}"
        print(
            f"{LABELS[name]:24} {row['cold_start_s']:>10.2f} {row['throughput_rps']:>10.0f} "
            f"{spread:>13} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['rss_mb']:>7.1f} "
            f"{row['server_cpu_ms_per_request']:>10.2f} {row['client_cpu_percent']:>10.0f} "
            f"{row['errors'] + row['warmup_errors']:>6}"
        )
    ratios, goals = verdicts["ratios"], verdicts["goals"]
    print()
    print(
        f"dei-bot / bare Bolt: throughput {ratios['throughput']:.2f}, server CPU per request "
        f"{ratios['server_cpu_per_request']:.2f}, p50 {ratios['p50']:.2f}, p99 "
        f"{ratios['p99']:.2f}, cold start {ratios['cold_start']:.2f}, RSS {ratios['rss']:.2f}"
    )
    print()
    throughput, cold, rss = goals["throughput_ratio"], goals["cold_start_s"], goals["rss_mb"]
    print(
        f"  {verdict(throughput['pass'])}  throughput ratio dei-bot/bare "
        f"{throughput['value']:.2f} (goal >= {GOAL_RATIO})"
    )
    print(
        f"  {verdict(cold['pass'])}  dei-bot cold start {cold['value']:.2f} s "
        f"(goal < {GOAL_COLD_START_S:g} s)"
    )
    print(
        f"  {verdict(rss['pass'])}  dei-bot RSS {rss['value']:.1f} MB (goal < {GOAL_RSS_MB:g} MB)"
    )
    print()
    headroom = verdicts["client_headroom"]
    ceiling = summary["trivial"]
    busiest = max(summary[name]["client_cpu_percent"] for name in ("bare", "dei-bot"))
    seen = (
        f"the same client drove the trivial app at {ceiling['throughput_rps']:.0f} req/s, "
        f"{headroom:.1f}x the faster Bolt app, and used at most {busiest:.0f}% of a core "
        "against the Bolt apps"
    )
    if verdicts["client_not_bottleneck"]:
        print(f"Load generator: not the bottleneck: {seen}.")
    else:
        print(
            f"WARNING: the load generator may be what is measured: {seen} "
            "(is the machine busy? try --client-procs on more cores)."
        )
    bot = summary["dei-bot"]
    if bot["answers"] or wrong_answers(bot):
        print(
            f"dei-bot's answers at the response_url: {bot['answers']} ({bot['answers_found']} "
            f"with resources, {bot['answers_failed']} apologies), {bot['answers_missing']} "
            f"acknowledged searches never answered; the last answer came "
            f"{bot['answers_drain_s']:.2f} s after the load ended."
        )
        if wrong_answers(bot):
            print(f"ERRORS: {wrong_answers(bot)} searches were not answered with results.")
    errors = sum(summary[name]["errors"] + summary[name]["warmup_errors"] for name in TARGETS)
    if errors:
        print(f"ERRORS: {errors} requests were not acknowledged as expected:")
        for name in TARGETS:
            for run in summary[name]["rounds"]:
                for sample in run["error_samples"]:
                    print(f"  {name}: {sample}")


# -- main ------------------------------------------------------------------------------------------


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name or name in PROXY_VARIABLES:
        raise argparse.ArgumentTypeError("NAME=VALUE, and no proxy variable")
    return name, value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Acknowledgement throughput of dei-bot next to a bare Bolt app."
    )
    parser.add_argument("--requests", type=positive, default=3000, help="per round and server")
    parser.add_argument("--concurrency", type=positive, default=32, help="keep-alive connections")
    parser.add_argument("--rounds", type=positive, default=3, help="fresh processes per server")
    parser.add_argument(
        "--warmup", type=int, default=10, help="unmeasured requests per connection (default: 10)"
    )
    parser.add_argument(
        "--client-procs",
        type=positive,
        default=1,
        help="load-generator processes sharing the connections (default: 1)",
    )
    parser.add_argument(
        "--text", default="help", help="what follows /dei-topic (default: help; e.g. hiring)"
    )
    parser.add_argument(
        "--resources",
        type=int,
        default=0,
        help="resources in dei-bot's database, from bench/search_corpus.py (default: 0)",
    )
    parser.add_argument(
        "--server-env",
        metavar="NAME=VALUE",
        type=assignment,
        action="append",
        default=[],
        help="one more environment variable for all three servers (e.g. MALLOC_ARENA_MAX=2)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.resources < 0:
        parser.error("--resources cannot be negative")
    return args


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--client"] and len(argv) == 2:  # a client process, started by drive_load
        return client_main(argv[1])
    args = parse_args(argv)
    for name in PROXY_VARIABLES:  # the client processes inherit this environment
        os.environ.pop(name, None)
    processes = Processes()
    config = {
        "requests": args.requests,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "client_procs": max(1, min(args.client_procs, args.concurrency)),
        "text": args.text,
        "resources": args.resources,
        "server_env": dict(args.server_env),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        # Other work on the machine spreads the rounds; this says whether there was any.
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    started = time.monotonic()
    try:
        with (
            cleanup_on_exit(processes),
            tempfile.TemporaryDirectory(prefix="dei-bot-bench-") as tmp,
            SlackStandIn(max_calls=1000) as standin,
        ):
            workdir = Path(tmp)
            progress("preparing databases (dei-bot db upgrade)...")
            targets = build_targets(standin, workdir, args)
            runs: dict[str, list[RunResult]] = {name: [] for name in TARGETS}
            auth_tests = 0
            for round_number in range(1, args.rounds + 1):
                for target in targets:
                    run = run_once(target, args, processes, workdir, round_number, standin)
                    runs[target.name].append(run)
                    if target.answers:  # counted; thousands of answers kept would cost memory
                        auth_tests += len(standin.calls("auth.test"))
                        standin.reset()
                    progress(
                        f"round {round_number}/{args.rounds} {target.name:8} cold start "
                        f"{run.cold_start_s:5.2f} s, {run.throughput_rps:6.0f} req/s, p50 "
                        f"{run.p50_ms:6.1f} ms, p99 {run.p99_ms:6.1f} ms, RSS "
                        f"{run.rss_mb:5.1f} MB, errors {run.errors + run.warmup_errors}"
                        + (
                            f", answers {run.answers} ({run.answers_found} with resources)"
                            if target.answers
                            else ""
                        )
                    )
            auth_tests += len(standin.calls("auth.test"))
    except KeyboardInterrupt:
        progress("interrupted; servers stopped")
        return 130
    except BenchError as error:
        progress(f"ack_throughput: {error}")
        return 1
    summary = {name: summarise(runs[name]) for name in TARGETS}
    verdicts = assess(summary)
    config["elapsed_s"] = round(time.monotonic() - started, 1)
    config["auth_test_calls"] = auth_tests
    errors = sum(summary[name]["errors"] + summary[name]["warmup_errors"] for name in TARGETS)
    errors += wrong_answers(summary["dei-bot"])
    if args.json:
        document = {"config": config, "targets": summary, **verdicts}
        print(json.dumps(without_nan(document), indent=2, allow_nan=False))
    else:
        print_table(config, summary, verdicts)
        print(f"\n(took {config['elapsed_s']:.0f} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
