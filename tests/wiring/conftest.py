"""The real `dei-bot run --http` process, the Slack stand-in, and signed requests over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from slack_standin import SlackStandIn
from storage.database import Database
from tests.payloads import BOT_TOKEN, COORDINATOR, SIGNING_SECRET, signature_headers

START_TIMEOUT_S = 30  # cold start is about 1 s (bench/ack_throughput.py); CI may be loaded


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_environment(standin: SlackStandIn, database_url: str, **extra: str) -> dict[str, str]:
    """Only what the bot needs: nothing from the developer's shell or .env leaks in."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "DEI_COORDINATORS": COORDINATOR,
    }
    env.update(extra)
    return env


def dei_bot(
    *args: str, env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", str(cwd / "absent.env"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class BotProcess:
    url: str
    process: subprocess.Popen[str]
    db: Database
    env: dict[str, str]
    log_path: Path

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(f"{self.url}/slack/events", data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post_signed(self, body: bytes, **signing: object) -> tuple[int, bytes]:
        return self.post(body, signature_headers(body, **signing))  # type: ignore[arg-type]

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def logs(self) -> str:
        return self.log_path.read_text()


def wait_until_healthy(url: str, process: subprocess.Popen[str], log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"dei-bot exited {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise AssertionError(f"dei-bot did not become healthy:\n{log_path.read_text()}")


def start_bot(tmp_path: Path, env: dict[str, str], name: str) -> tuple[subprocess.Popen[str], str]:
    """`dei-bot run --http` on a free port, healthy; its output goes to `<name>.log`."""
    port = free_port()
    log_path = tmp_path / f"{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "--env-file",
                str(tmp_path / "absent.env"),
                "run",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log_path)
    except BaseException:
        stop(process)
        raise
    return process, url


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def running_bot(tmp_path: Path, standin: SlackStandIn, **extra: str) -> Iterator[BotProcess]:
    """`dei-bot run --http` on a fresh SQLite database, with `extra` settings."""
    database_url = f"sqlite:///{tmp_path / 'dei-bot.db'}"
    env = bot_environment(standin, database_url, **extra)
    upgraded = dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    process, url = start_bot(tmp_path, env, "dei-bot")
    db = Database(database_url)
    try:
        yield BotProcess(
            url=url, process=process, db=db, env=env, log_path=tmp_path / "dei-bot.log"
        )
    finally:
        stop(process)
        db.dispose()


@pytest.fixture
def bot(tmp_path: Path, standin: SlackStandIn) -> Iterator[BotProcess]:
    with running_bot(tmp_path, standin) as running:
        yield running
