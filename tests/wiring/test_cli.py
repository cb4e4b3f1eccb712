"""`dei-bot` as an operator runs it: real processes, real files, the Slack stand-in."""

from __future__ import annotations

import sys
from pathlib import Path

from slack_standin import SlackStandIn
from tests.payloads import BOT_TOKEN, SIGNING_SECRET
from tests.wiring.conftest import bot_environment, dei_bot


def test_run_without_a_token_names_slack_bot_token(tmp_path: Path) -> None:
    env = {"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = dei_bot("run", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_run_reads_tokens_from_a_dotenv_file(tmp_path: Path, standin: SlackStandIn) -> None:
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
        f"SLACK_API_URL={standin.api_url}\nDATABASE_URL=sqlite:///{tmp_path}/x.db\n"
    )
    env = {"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--http", "--port", "1"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # The settings were complete, so the next thing it checks is the (empty) schema.
    assert result.returncode == 1
    assert "dei-bot db upgrade" in result.stderr
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_run_refuses_an_out_of_date_schema(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'old.db'}")
    result = dei_bot("run", "--http", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Run `dei-bot db upgrade`" in result.stderr
    assert standin.calls("auth.test") == []


def test_db_upgrade_is_idempotent(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    first = dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    second = dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert "schema upgraded: empty ->" in first.stdout
    assert "already up to date" in second.stdout


def test_check_reports_team_and_bot(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    result = dei_bot("check", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "team DEI Working Group (T0DEIBOT1)" in result.stdout
    assert "(U0DEIBOT1)" in result.stdout
    assert "Database: OK" in result.stdout
    assert [call.token for call in standin.calls("auth.test")] == [BOT_TOKEN]


def test_check_says_exactly_what_is_wrong(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    standin.fail("auth.test", error="invalid_auth")
    result = dei_bot("check", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "invalid_auth (the token was not accepted" in result.stderr
    assert "dei-bot db upgrade" in result.stderr  # and the empty database, in the same run
    assert BOT_TOKEN not in result.stderr + result.stdout


def test_socket_mode_without_app_token_is_explained(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    result = dei_bot("run", "--socket", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr
