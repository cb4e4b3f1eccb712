import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers import blocks

CHICAGO = ZoneInfo("America/Chicago")


def all_text(message: blocks.Message) -> str:
    return json.dumps(message.blocks)


def test_escape_neutralises_mentions_and_links() -> None:
    assert blocks.escape("<!channel> & <https://evil.example|bank>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;"
    )


def test_help_names_every_sub_command_and_has_text_fallback() -> None:
    message = blocks.help_message(("U0COORD001",))
    for word in ("calendar", "coaching", "agenda", "help"):
        assert f"/dei-topic {word}" in message.text
    assert "<@U0COORD001>" in message.text
    assert len(message.blocks) <= 50


def test_date_token_lets_each_reader_see_their_zone() -> None:
    start = datetime(2027, 1, 12, 16, 0, tzinfo=UTC)
    token = blocks.date_token(start, CHICAGO)
    assert token.startswith(f"<!date^{int(start.timestamp())}^")
    assert "Tuesday January 12, 2027 at 10:00 AM CST" in token


def test_this_months_topic_escapes_what_people_typed() -> None:
    message = blocks.this_months_topic(
        month_label="January 2027",
        topic_title="Hiring & Recruitment",
        topic_summary="Reviewing <!channel> hiring",
        meeting=blocks.MeetingFacts(
            starts_at=datetime(2027, 1, 12, 16, tzinfo=UTC),
            format="hybrid",
            location="NIU <@U0EVIL> Naperville",
            join_url="https://example.org/join",
            rsvp_state="maybe",
        ),
        resources=[
            blocks.ResourceLine(
                title="Toolkit <https://evil.example|click>",
                url="https://example.org/toolkit",
                kind="toolkit",
                summary="A guide",
                community="Flossmoor",
            )
        ],
        zone=CHICAGO,
    )
    rendered = all_text(message)
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered
    assert "<@U0EVIL>" not in rendered
    assert "<https://evil.example" not in rendered
    assert "<https://example.org/toolkit|" in rendered
    assert "Your RSVP: maybe" in message.text
    assert "January 12, 2027" in message.text  # never only a relative date


def test_tbd_month_says_so() -> None:
    message = blocks.this_months_topic("September 2027", None, "", None, [], CHICAGO)
    assert "No topic is on the calendar for September 2027" in message.text


def test_calendar_marks_tbd_and_stays_within_limits() -> None:
    months = [
        blocks.CalendarMonth(
            f"{2020 + i // 12}-{i % 12 + 1:02d}", f"Month {i}", None if i % 5 == 0 else "T" * 80
        )
        for i in range(240)
    ]
    message = blocks.topic_calendar(months, "2027-01")
    assert "TBD" in message.text
    assert len(message.blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in message.blocks if b["type"] == "section")
