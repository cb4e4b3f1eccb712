import pytest

from handlers.commands import DeiTopicRequest, parse_dei_topic


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", DeiTopicRequest("", "")),
        (None, DeiTopicRequest("", "")),
        ("   ", DeiTopicRequest("", "")),
        ("help", DeiTopicRequest("help", "")),
        ("HELP me", DeiTopicRequest("help", "me")),
        ("calendar", DeiTopicRequest("calendar", "")),
        ("agenda", DeiTopicRequest("agenda", "")),
        ("coaching", DeiTopicRequest("coaching", "")),
        ("reminders off", DeiTopicRequest("reminders", "off")),
        ("hiring", DeiTopicRequest("search", "hiring")),
        ("  language   access ", DeiTopicRequest("search", "language access")),
        ("helpful resources", DeiTopicRequest("search", "helpful resources")),
    ],
)
def test_first_word_picks_the_sub_command(text, expected) -> None:
    assert parse_dei_topic(text) == expected
