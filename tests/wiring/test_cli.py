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


DATA = Path(__file__).resolve().parents[1] / "storage" / "data"


def test_import_of_a_broken_file_names_every_problem_and_writes_nothing(
    tmp_path: Path, standin: SlackStandIn
) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    result = dei_bot("import", str(DATA / "broken.yaml"), env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    broken = DATA / "broken.yaml"
    assert f"{broken}:5: topics[0].titel: unknown field; did you mean 'title'?" in lines
    assert any(line.startswith(f"{broken}:19: resources[0].url: ") for line in lines)
    assert any(line.startswith(f"{broken}:25: meetings[0].starts_at: has no UTC") for line in lines)
    assert any(line.startswith(f"{broken}:21: resources[0].community: ") for line in lines)
    assert lines[-1].endswith("nothing was imported.")
    exported = dei_bot("export", "all", env=env, cwd=tmp_path)
    assert exported.returncode == 0
    assert "Hiring" not in exported.stdout and "flossmoor" not in exported.stdout


def test_import_twice_then_export_round_trips(tmp_path: Path, standin: SlackStandIn) -> None:
    env = bot_environment(standin, f"sqlite:///{tmp_path / 'db.db'}")
    dei_bot("db", "upgrade", env=env, cwd=tmp_path)
    first = dei_bot("import", str(DATA / "working_group.yaml"), env=env, cwd=tmp_path)
    second = dei_bot("import", str(DATA / "working_group.yaml"), env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "nothing changed" in second.stdout
    exported = dei_bot("export", "all", env=env, cwd=tmp_path)
    (tmp_path / "again.yaml").write_text(exported.stdout)
    other = bot_environment(standin, f"sqlite:///{tmp_path / 'other.db'}")
    dei_bot("db", "upgrade", env=other, cwd=tmp_path)
    assert dei_bot("import", str(tmp_path / "again.yaml"), env=other, cwd=tmp_path).returncode == 0
    assert dei_bot("export", "all", env=other, cwd=tmp_path).stdout == exported.stdout
    csv = dei_bot("export", "deliveries", "--format", "csv", env=env, cwd=tmp_path)
    assert csv.stdout.splitlines()[0].startswith("key,kind,recipient,state,attempts")
    unknown = dei_bot("export", "rsvps", "--meeting", "no-such-meeting", env=env, cwd=tmp_path)
    assert unknown.returncode == 2 and "no-such-meeting" in unknown.stderr
