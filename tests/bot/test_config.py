from datetime import time, timedelta

import pytest

from bot.config import ConfigError, Mode, MonthlySchedule, Settings, parse_offsets

GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1234-secret-value",
    "SLACK_SIGNING_SECRET": "signing-secret-value",
}


def test_defaults_follow_the_spec() -> None:
    settings = Settings.from_env(GOOD, Mode.HTTP)
    assert settings.api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///dei-bot.db"
    assert settings.timezone.key == "America/Chicago"
    assert settings.reminder_offsets == (timedelta(hours=24), timedelta(hours=1))
    assert settings.announce_at == MonthlySchedule(ordinal=1, weekday=0, at=time(9, 0))
    assert settings.port == 3000
    assert not settings.socket_mode


def test_every_problem_is_named_at_once_and_no_secret_is_quoted() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxp-user-token-not-a-bot-token",
        "SLACK_APP_TOKEN": "not-an-app-token-secret",
        "DATABASE_URL": "mysql://somewhere/db",
        "DEI_COORDINATORS": "U01ABCDEF,alice",
        "DEI_ANNOUNCE_CHANNEL": "#general",
        "DEI_TIMEZONE": "Central",
        "DEI_REMINDER_OFFSETS": "24h,soon",
        "DEI_ANNOUNCE_AT": "first funday 09:00",
        "PORT": "99999",
    }
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env, Mode.HTTP)
    message = raised.value.message()
    for name in [
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "DATABASE_URL",
        "DEI_COORDINATORS",
        "DEI_ANNOUNCE_CHANNEL",
        "DEI_TIMEZONE",
        "DEI_REMINDER_OFFSETS",
        "DEI_ANNOUNCE_AT",
        "PORT",
    ]:
        assert name in message
    assert "alice" in message  # a user ID is not a secret; naming it helps
    assert "xoxp-user-token" not in message
    assert "not-an-app-token-secret" not in message


def test_missing_bot_token_is_named() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({}, Mode.HTTP)
    assert any("SLACK_BOT_TOKEN" in problem for problem in raised.value.problems)


def test_modes_ask_only_for_what_they_need() -> None:
    assert Settings.from_env({}, Mode.OFFLINE).bot_token.value == ""
    Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, Mode.SLACK)
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, Mode.SOCKET)
    socket = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, Mode.SOCKET
    )
    assert socket.socket_mode


def test_secrets_never_show_in_repr() -> None:
    settings = Settings.from_env(GOOD, Mode.HTTP)
    assert "secret-value" not in repr(settings)
    assert "secret-value" not in str(settings.bot_token)


def test_values_are_normalised() -> None:
    settings = Settings.from_env(
        {
            **GOOD,
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "DATABASE_URL": "postgresql://u@h/db",
            "DEI_COORDINATORS": " U01AAAA , U02BBBB ,",
            "DEI_REMINDER_OFFSETS": "1h, 2d ,30m",
            "DEI_ANNOUNCE_AT": "Last Friday 16:30",
        },
        Mode.HTTP,
    )
    assert settings.api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.coordinators == ("U01AAAA", "U02BBBB")
    assert settings.is_coordinator("U02BBBB") and not settings.is_coordinator("U03")
    assert settings.reminder_offsets == (
        timedelta(days=2),
        timedelta(hours=1),
        timedelta(minutes=30),
    )
    assert str(settings.announce_at) == "last friday 16:30"


@pytest.mark.parametrize("text", ["", "0h", "1w", "h", "-1h", "1.5h"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offsets(text)


def test_dotenv_file_is_read_and_environment_wins(tmp_path, monkeypatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\nDEI_TIMEZONE=America/New_York\n"
    )
    monkeypatch.setenv("PORT", "5000")
    monkeypatch.delenv("DEI_TIMEZONE", raising=False)
    settings = Settings.load(Mode.SLACK, env_file=env_file)
    assert settings.bot_token.value == "xoxb-from-file"
    assert settings.port == 5000
    assert settings.timezone.key == "America/New_York"


def test_monthly_schedule_finds_the_nth_weekday_in_local_time() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    first_monday = MonthlySchedule.parse("first monday 09:00")
    assert first_monday.occurrence(2027, 3, chicago) == datetime(2027, 3, 1, 9, tzinfo=chicago)
    # After the change to daylight saving time, 09:00 is still 09:00 on the wall clock.
    april = first_monday.occurrence(2027, 4, chicago)
    assert april == datetime(2027, 4, 5, 9, tzinfo=chicago)
    assert april.astimezone(UTC).hour == 14
    assert first_monday.occurrence(2027, 1, chicago).astimezone(UTC).hour == 15
    last_friday = MonthlySchedule.parse("last friday 16:30")
    assert last_friday.occurrence(2027, 12, chicago).day == 31
    just_after = datetime(2027, 3, 1, 9, 0, 1, tzinfo=chicago)
    assert first_monday.next_after(just_after, chicago) == april
    assert first_monday.next_after(datetime(2026, 12, 31, tzinfo=UTC), chicago).month == 1
