"""Language access: who reads which language, and dates in it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from handlers import blocks, i18n


@pytest.mark.parametrize(
    ("preferred", "locale", "expected"),
    [
        (None, "es-ES", "es"),
        (None, "es-419", "es"),
        (None, "en-US", "en"),
        (None, "fr-FR", "en"),
        (None, None, "en"),
        ("en", "es-ES", "en"),  # their own choice on the App Home wins
        ("es", "en-US", "es"),
        ("de", "es-ES", "es"),
    ],
)
def test_the_language_comes_from_the_choice_then_the_slack_locale(
    preferred: str | None, locale: str | None, expected: str
) -> None:
    assert i18n.language_for(preferred, locale) == expected


def test_dates_are_written_in_the_readers_language() -> None:
    moment = datetime(2027, 4, 13, 15, 0, tzinfo=UTC)
    zone = ZoneInfo("America/Chicago")
    assert i18n.date_and_time(moment, zone) == "Tuesday April 13, 2027 at 10:00 AM CDT"
    with i18n.speaking("es"):
        assert i18n.date_and_time(moment, zone) == "martes, 13 de abril de 2027, 10:00 CDT"
    with i18n.speaking("xx") as chosen:
        assert chosen == "en"


def test_a_date_token_falls_back_to_the_readers_language() -> None:
    moment = datetime(2027, 4, 13, 15, 0, tzinfo=UTC)
    zone = ZoneInfo("America/Chicago")
    assert blocks.date_token(moment, zone) == (
        "<!date^1807628400^{date_long} at {time}|Tuesday April 13, 2027 at 10:00 AM CDT>"
    )
