"""What every benchmark here needs around the process it measures: ports, /proc readings,
percentiles, verdicts, and clean-up that survives Ctrl-C and SIGTERM."""

from __future__ import annotations

import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Protocol

HOST = "127.0.0.1"


class BenchError(Exception):
    pass


class StopsAll(Protocol):
    def stop_all(self) -> None: ...


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def proc_status_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field_name} for process {pid}")


def proc_cpu_s(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def terminate_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def cleanup_on_exit(processes: StopsAll) -> Iterator[None]:
    previous = {
        signum: signal.signal(signum, terminate_on_signal)
        for signum in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        yield
    finally:
        # A second Ctrl-C must not cut the clean-up short.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            processes.stop_all()
        finally:
            signal.signal(signal.SIGINT, interrupt)
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def dei_bot_command() -> list[str]:
    # The console script installed beside this interpreter: a version manager's shim on PATH
    # (pyenv's is a bash script that runs `pyenv exec`) would add its own start-up to the
    # cold start, and hide the real process id behind it.
    beside = Path(sys.executable).parent / "dei-bot"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "bot"]


STOP_TIMEOUT_S = 10.0


class Processes:
    """Every child process, so that all of them end, whatever ends this one."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def spawn(self, argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        """A server, its output in `log`, run in the log's folder."""
        with log.open("wb") as output:
            process = subprocess.Popen(
                argv, env=env, cwd=log.parent, stdout=output, stderr=subprocess.STDOUT
            )
        return self.adopt(process)

    def adopt(self, process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
        """One started some other way (a load client, a helper speaking over pipes)."""
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT_S)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(ValueError):
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in list(self.running):
            with contextlib.suppress(Exception):
                self.stop(process)
