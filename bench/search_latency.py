"""How long a resource lookup takes: `storage.search.find` in-process, by library size and back end.

    python bench/search_latency.py [--sizes 10000,100000] [--backends sqlite,postgresql]
                                   [--queries 1000] [--explain] [--json]

For each back end (a SQLite file in a temporary directory; a schema of this run's own on
PostgreSQL, dropped at the end) the database is migrated (`storage.schema.upgrade`, what `dei-bot
db upgrade` runs) and filled by bench/search_corpus.py to each size in turn, smallest first. At
each size, after a warm-up, `--queries` lookups cycle through a mixed set (exact words, stems,
prefixes, typos, synonyms, quoted phrases, words found only in summaries, community names,
several words, nonsense, long text), each in its own read transaction as the listener
(handlers/lookup_work.look_up) runs it. Reported: p50, p99 and max, overall and per kind of
query; the first typo lookup after a coordinator's edit (when the words kept for "did you mean"
are rebuilt); and the statements of the slowest lookup. See bench/README.md.

Exit status: 0 when every size and back end was measured, 1 otherwise (goals only reported).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    BenchError,
    cleanup_on_exit,
    percentile,
    proc_status_kb,
    progress,
    verdict,
)
from search_corpus import DEFAULT_SEED, describe, seed_corpus  # noqa: E402
from sqlalchemy import create_engine, event, text, update  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bot.config import normalise_database_url  # noqa: E402
from storage import schema  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import Resource  # noqa: E402
from storage.search import find  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/test"
POSTGRES_URL_VARIABLE = "DEI_TEST_DATABASE_URL"
CONNECT_ARGS = {"connect_timeout": 10}
BACKENDS = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_TODAY = date(2027, 4, 15)  # April 2027: "Hiring & Recruitment", the month's boost at work
PAGE = 5  # what /dei-topic shows (handlers.lookup_blocks.PAGE)
EDITS = 3  # coordinator edits, each followed by lookups for AFTER_EDIT_S
AFTER_EDIT_S = 3.0  # long enough for the words of 100,000 resources to be counted again
# The first lookup after a change rebuilds what the lexicon keeps (the vocabulary, for completing
# and correcting words), or starts its rebuild: a typo needs all of it.
AFTER_EDIT_QUERY = "recrutment practices"
GOALS_P99_MS = {10_000: 20.0, 100_000: 100.0}
YARDSTICK_EVERY = 4  # lookups between two runs of the fixed work
YARDSTICK_LOOPS = 100_000  # about 5 ms of Python on an idle 2-core machine

# What people type, by kind. Typos are ones the stemmers do not already forgive ("procurment"
# and "procurement" are both "procur" to them); `recrutment` is not.
LONG_TEXT = (
    "We are a village of about 12,000 residents and our HR director wants to review hiring and "
    "recruitment practices, especially job postings and interview panels, so that we reach "
    "more candidates from the community; has anyone done this with a small staff and a tight "
    "budget? We would also like to hear about retention and promotion data."
)
QUERIES: tuple[tuple[str, str], ...] = (
    ("exact", "hiring"),
    ("exact", "procurement"),
    ("exact", "community engagement"),
    ("exact", "participatory budgeting"),
    ("exact", "staff training"),
    ("exact", "data"),
    ("exact", "policy audit"),
    ("stem", "recruiting"),
    ("stem", "recruiters"),
    ("stem", "audits"),
    ("stem", "budgeting"),
    ("stem", "trainings"),
    ("stem", "engaging residents"),
    ("prefix", "procure"),
    ("prefix", "recruit"),
    ("prefix", "partic"),
    ("prefix", "facilit"),
    ("prefix", "demograph"),
    ("typo", "recrutment"),
    ("typo", "langauge access"),
    ("typo", "partcipatory budgeting"),
    ("typo", "accesibility"),
    ("typo", "enviromental justice"),
    ("typo", "procurment"),
    ("synonym", "LEP"),
    ("synonym", "HR"),
    ("synonym", "PB"),
    ("synonym", "ADA"),
    ("synonym", "RFP"),
    ("synonym", "HR hiring"),
    ("phrase", '"language access"'),
    ("phrase", '"social service gaps"'),
    ("phrase", '"hiring and recruitment" practices'),
    ("phrase", "“human relations commission”"),
    ("summary", "townships park districts"),
    ("summary", "people with disabilities"),
    ("summary", "structured interviews"),
    ("community", "Flossmoor"),
    ("community", "Maplebrook"),
    ("community", "Village of Oak Grove"),
    ("several", "equity training for managers"),
    ("several", "hiring data metrics dashboard"),
    ("several", "small vendors contracting RFP"),
    ("nonsense", "xyzzy"),
    ("nonsense", "qwertyuiop asdfgh zxcvb"),
    ("nonsense", "🙂🎉"),
    ("nonsense", "%%% *** :: () AND OR NOT NEAR"),
    ("nonsense", "'; DROP TABLE resources; --"),
    ("long", LONG_TEXT),
    ("long", (LONG_TEXT + " ") * 12),  # 3,000+ characters: cut to MAX_QUERY_CHARS
)
KINDS = tuple(dict.fromkeys(kind for kind, _ in QUERIES))


# -- databases -------------------------------------------------------------------------------------


def check_postgres(url: str) -> None:
    engine = create_engine(normalise_database_url(url), connect_args=CONNECT_ARGS)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        raise BenchError(
            f"cannot reach PostgreSQL at {url} ({type(error).__name__}); "
            "give --postgres-url, or run with --backends sqlite"
        ) from error
    finally:
        engine.dispose()


@contextlib.contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A schema of this run's own, dropped at the end whatever happens."""
    name = f"dei_search_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, connect_args=CONNECT_ARGS)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        yield name
    finally:
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C waits
        try:
            with admin.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '10s'"))
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        finally:
            signal.signal(signal.SIGINT, interrupt)
            admin.dispose()


@contextlib.contextmanager
def open_database(backend: str, workdir: Path, postgres_url: str) -> Iterator[Database]:
    """A migrated, empty database: a file in `workdir`, or a PostgreSQL schema of its own."""
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            db = Database(f"sqlite:///{workdir / 'search.db'}")
        else:
            url = normalise_database_url(postgres_url)
            db = Database(url, schema=stack.enter_context(postgres_schema(url)))
        stack.callback(db.dispose)  # before the schema goes
        schema.upgrade(db)
        yield db


def settle(db: Database) -> None:
    """PostgreSQL: what autovacuum does soon after a bulk load. Until a VACUUM the new index
    entries wait in the GIN index's pending list, which every lookup scans, and the planner
    prices the index so high that it walks the table instead. SQLite: nothing (dei-bot never
    runs ANALYZE there, so its planner works without statistics, as in use)."""
    if db.is_postgresql:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


# -- measuring -------------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    parameters: Any
    ms: float


@dataclass
class Recorder:
    """Every statement the engine runs while `on`, with its time (for the slowest lookup)."""

    on: bool = False
    statements: list[Statement] = field(default_factory=list)

    def attach(self, db: Database) -> None:
        def before(_conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool):
            context._bench_started = time.perf_counter()

        def after(_conn: Any, _cursor: Any, sql: str, params: Any, context: Any, _many: bool):
            if self.on:
                elapsed = (time.perf_counter() - context._bench_started) * 1000
                self.statements.append(Statement(sql, params, elapsed))

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)


def look_up(db: Database, words: str, today: date) -> tuple[float, int]:
    """One lookup as the listener makes it: its own read transaction. (ms, resources found)"""
    started = time.perf_counter()
    with db.transaction() as session:
        found = find(session, words, today=today, limit=PAGE)
    return (time.perf_counter() - started) * 1000, found.total


def fixed_work() -> float:
    """The same few milliseconds of pure Python every time, in ms: how much the machine alone
    spreads a lookup's time (another process taking the core, the CPU's clock)."""
    started = time.perf_counter()
    sum(number * number for number in range(YARDSTICK_LOOPS))
    return (time.perf_counter() - started) * 1000


def figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50_ms": percentile(ordered, 0.50),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": ordered[-1] if ordered else math.nan,
        "mean_ms": statistics.fmean(ordered) if ordered else math.nan,
    }


def coordinator_edit(db: Database, number: int) -> None:
    """What a coordinator's edit does to lookups: the index and the lexicon's stamp move."""
    with db.transaction(write=True) as session:
        resource_id = session.exec(
            select(Resource.id).where(col(Resource.key).startswith("r-")).order_by(col(Resource.id))
        ).first()
        session.execute(
            update(Resource)
            .where(col(Resource.id) == resource_id)
            .values(summary=f"Reviewed by a coordinator ({number}).")
        )


def explain(db: Database, statement: Statement) -> str:
    """The plan of one statement as it ran: PostgreSQL runs it again under EXPLAIN ANALYZE."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if db.is_postgresql else "EXPLAIN QUERY PLAN "
    with db.transaction() as session:
        connection = session.connection()
        rows = connection.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
    if db.is_postgresql:
        return "\n".join(str(row[0]) for row in rows)
    return "\n".join(f"{'  ' * int(row[1] != 0)}{row[-1]}" for row in rows)


def measure(
    db: Database, recorder: Recorder, args: argparse.Namespace, size: int
) -> dict[str, Any]:
    today = args.today
    for _ in range(args.warmup):
        for _, words in QUERIES:
            look_up(db, words, today)
    order = [QUERIES[n % len(QUERIES)] for n in range(args.queries)]
    random.Random(f"order:{args.seed}:{size}").shuffle(order)
    timings: dict[str, list[float]] = {}
    found: dict[str, int] = {}
    yardstick = []
    for number, (_, words) in enumerate(order):
        elapsed, total = look_up(db, words, today)
        timings.setdefault(words, []).append(elapsed)
        found[words] = total
        if number % YARDSTICK_EVERY == 0:
            yardstick.append(fixed_work())
    everything = [ms for values in timings.values() for ms in values]
    by_kind = {
        kind: figures([ms for k, words in QUERIES if k == kind for ms in timings.get(words, [])])
        for kind in KINDS
    }
    by_query: dict[str, dict[str, Any]] = {
        words: {"kind": kind, "found": found.get(words), **figures(timings.get(words, []))}
        for kind, words in QUERIES
    }
    first, following = [], []
    for number in range(EDITS):
        coordinator_edit(db, number)
        first.append(look_up(db, AFTER_EDIT_QUERY, today)[0])
        ends = time.monotonic() + AFTER_EDIT_S
        for _, words in itertools.cycle(QUERIES):
            if time.monotonic() >= ends:
                break
            following.append(look_up(db, words, today)[0])
    slowest_kind, slowest_words = max(QUERIES, key=lambda q: by_query[q[1]]["p99_ms"])
    recorder.statements.clear()
    recorder.on = True
    try:
        again, _ = look_up(db, slowest_words, today)
    finally:
        recorder.on = False
    statements = sorted(recorder.statements, key=lambda s: -s.ms)
    slowest: dict[str, Any] = {
        "kind": slowest_kind,
        "words": slowest_words,
        "p99_ms": by_query[slowest_words]["p99_ms"],
        "again_ms": again,
        "statements": len(statements),
        "statements_ms": sum(s.ms for s in statements),
        "longest": [{"ms": s.ms, "sql": " ".join(s.sql.split())} for s in statements[:3]],
    }
    if args.explain and statements:
        slowest["plan"] = explain(db, statements[0])
    return {
        "overall": figures(everything),
        "yardstick": figures(yardstick),
        "unexpected": unexpected(found),
        "kinds": by_kind,
        "queries": by_query,
        "after_edit": {"first_ms": first, **figures(following)},
        "slowest": slowest,
        "rss_mb": proc_status_kb(os.getpid(), "VmRSS") / 1024,
    }


# -- the report ------------------------------------------------------------------------------------


def unexpected(found: dict[str, int]) -> list[str]:
    """Queries whose outcome says the engine is not doing its job: a fast lookup that finds
    nothing it should is not a fast lookup."""
    wrong = []
    for kind, words in QUERIES:
        total = found.get(words, 0)
        if kind == "nonsense" and total:
            wrong.append(f"{words[:40]!r} ({kind}) found {total} resources")
        elif kind != "nonsense" and not total:
            wrong.append(f"{words[:40]!r} ({kind}) found nothing")
    return wrong


def goal_of(size: int) -> float | None:
    return GOALS_P99_MS.get(size)


def assess(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    goals = []
    for run in runs:
        goal = goal_of(run["size"])
        if goal is None:
            continue
        p99 = run["overall"]["p99_ms"]
        goals.append(
            {
                "backend": run["backend"],
                "size": run["size"],
                "value": p99,
                "goal": f"< {goal:g} ms",
                "pass": p99 < goal,
            }
        )
    return goals


def print_report(config: dict[str, Any], runs: list[dict[str, Any]], goals: list[Any]) -> None:
    print(
        f"search_latency: storage.search.find in-process, {config['queries']} lookups per size "
        f"and back end after {config['warmup']} warm-up passes over {len(QUERIES)} queries; "
        f"today {config['today']}, seed {config['seed']}; code {config['code']}"
    )
    print(
        f"machine: {config['cpus']} CPUs, load average {config['load_at_start']} at start, "
        f"{config['load_at_end']} at end; Python {config['python']}"
    )
    print()
    print(
        f"{'back end':11} {'resources':>9} {'p50':>7} {'p99':>7} {'max':>7} {'mean':>7} "
        f"{'1st after':>9} {'p99 after':>9} {'seeded':>7} {'RSS':>6}"
    )
    print(
        f"{'':11} {'':>9} {'ms':>7} {'ms':>7} {'ms':>7} {'ms':>7} {'edit, ms':>9} "
        f"{'edit, ms':>9} {'s':>7} "
        f"{'MB':>6}"
    )
    for run in runs:
        overall = run["overall"]
        print(
            f"{LABELS[run['backend']]:11} {run['size']:>9,} {overall['p50_ms']:>7.1f} "
            f"{overall['p99_ms']:>7.1f} {overall['max_ms']:>7.1f} {overall['mean_ms']:>7.1f} "
            f"{statistics.median(run['after_edit']['first_ms']):>9.0f} "
            f"{run['after_edit']['p99_ms']:>9.1f} "
            f"{run['seeded']['seconds']:>7.1f} "
            f"{run['rss_mb']:>6.0f}"
        )
    print()
    print("p50 / p99 by kind of query (ms):")
    columns = [f"{LABELS[run['backend']][:2]} {run['size'] // 1000}k" for run in runs]
    print(f"  {'kind':10}" + "".join(f"{column:>16}" for column in columns))
    for kind in KINDS:
        cells = [
            f"{run['kinds'][kind]['p50_ms']:.1f} / {run['kinds'][kind]['p99_ms']:.1f}"
            for run in runs
        ]
        print(f"  {kind:10}" + "".join(f"{cell:>16}" for cell in cells))
    print()
    for run in runs:
        slowest = run["slowest"]
        print(
            f"{LABELS[run['backend']]} {run['size']:,}: slowest query {slowest['words'][:60]!r} "
            f"({slowest['kind']}, p99 {slowest['p99_ms']:.1f} ms); once more: "
            f"{slowest['again_ms']:.1f} ms, {slowest['statements']} statements, "
            f"{slowest['statements_ms']:.1f} ms in the database"
        )
        for statement in slowest["longest"]:
            print(f"    {statement['ms']:7.1f} ms  {statement['sql'][:150]}")
        if "plan" in slowest:
            print("    plan of the longest:")
            for line in slowest["plan"].splitlines():
                print(f"      {line}")
    print("The machine's own spread: the same fixed work (pure Python), between lookups:")
    for run in runs:
        stick = run["yardstick"]
        print(
            f"  {LABELS[run['backend']]} {run['size']:,}: p50 {stick['p50_ms']:.1f} ms, p99 "
            f"{stick['p99_ms']:.1f} ms, max {stick['max_ms']:.1f} ms "
            f"(p99/p50 {stick['p99_ms'] / stick['p50_ms']:.1f}; lookups "
            f"{run['overall']['p99_ms'] / run['overall']['p50_ms']:.1f})"
        )
    print()
    for run in runs:
        for line in run["unexpected"]:
            print(f"WARNING: {LABELS[run['backend']]} {run['size']:,}: {line}")
    print()
    for goal in goals:
        print(
            f"  {verdict(goal['pass'])}  {LABELS[goal['backend']]} {goal['size']:,} resources: "
            f"p99 {goal['value']:.1f} ms (goal {goal['goal']})"
        )
    if not goals:
        print("  (goals are set at 10,000 and 100,000 resources only)")


def without_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def code_version() -> str:
    """The commit measured, and whether the code outside bench/ differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "storage", "bot", "handlers"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{commit} (+ uncommitted changes)" if changed else commit or "unknown"


# -- main ------------------------------------------------------------------------------------------


def listed(kind: type, choices: tuple[Any, ...] | None = None) -> Any:
    def parse(value: str) -> tuple[Any, ...]:
        items = tuple(kind(item.strip().replace("_", "")) for item in value.split(",") if item)
        if not items or (choices and any(item not in choices for item in items)):
            raise argparse.ArgumentTypeError(
                f"a comma-separated list of {choices or kind.__name__}"
            )
        return items

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=listed(int), default=DEFAULT_SIZES, help="resources, e.g. 10000,100000"
    )
    parser.add_argument(
        "--backends", type=listed(str, BACKENDS), default=BACKENDS, help="sqlite,postgresql"
    )
    parser.add_argument("--queries", type=int, default=1000, help="measured lookups per size")
    parser.add_argument("--warmup", type=int, default=2, help="passes over the queries first")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="of the corpus")
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(POSTGRES_URL_VARIABLE) or DEFAULT_POSTGRES_URL,
        help=f"(default: ${POSTGRES_URL_VARIABLE}, else {DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--explain", action="store_true", help="show the plan of the slowest lookup's statement"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.queries < 1 or any(size < 1 for size in args.sizes):
        parser.error("--queries and --sizes must be positive")
    return args


@dataclass
class Cleanup:
    """What `cleanup_on_exit` closes on SIGTERM or SIGHUP: every open database."""

    stack: contextlib.ExitStack

    def stop_all(self) -> None:
        self.stack.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = {
        "sizes": list(args.sizes),
        "backends": list(args.backends),
        "queries": args.queries,
        "warmup": args.warmup,
        "seed": args.seed,
        "today": args.today.isoformat(),
        "code": code_version(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "load_at_start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }
    runs: list[dict[str, Any]] = []
    started = time.monotonic()
    try:
        with contextlib.ExitStack() as stack, cleanup_on_exit(Cleanup(stack)):
            if "postgresql" in args.backends:
                check_postgres(args.postgres_url)
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dei-search-")))
            for backend in args.backends:
                with open_database(backend, workdir, args.postgres_url) as db:
                    recorder = Recorder()
                    recorder.attach(db)
                    for size in sorted(args.sizes):
                        progress(f"{LABELS[backend]}: seeding {size:,} resources...")
                        seeded = seed_corpus(db, resources=size, today=args.today, seed=args.seed)
                        settle(db)
                        progress(f"  {describe(seeded)}; measuring...")
                        run = {"backend": backend, "size": size, "seeded": asdict(seeded)}
                        run.update(measure(db, recorder, args, size))
                        overall = run["overall"]
                        progress(
                            f"  p50 {overall['p50_ms']:.1f} ms, p99 {overall['p99_ms']:.1f} ms, "
                            f"max {overall['max_ms']:.1f} ms"
                        )
                        runs.append(run)
    except KeyboardInterrupt:
        progress("interrupted; databases dropped")
        return 130
    except BenchError as error:
        progress(f"search_latency: {error}")
        return 1
    config["load_at_end"] = " ".join(f"{load:.2f}" for load in os.getloadavg())
    config["elapsed_s"] = round(time.monotonic() - started, 1)
    goals = assess(runs)
    if args.json:
        document = {"config": config, "runs": runs, "goals": goals}
        print(json.dumps(without_nan(document), indent=2, allow_nan=False))
    else:
        print_report(config, runs, goals)
        print(f"\n(took {config['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
