import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from handlers import announcement_blocks as ab
from handlers.blocks import ResourceLine

FACTS = ab.AnnouncementFacts(
    meeting_key="wg-2027-04",
    title="Hiring & Recruitment",
    summary="Reviewing hiring <!here> practices",
    starts_at=datetime(2027, 4, 13, 15, 0, tzinfo=UTC),
    duration_minutes=60,
    format="hybrid",
    location="NIU Naperville",
    join_url="https://example.org/join",
    agenda=["Welcome", "<@U0EVIL> peer updates", "Discussion"],
    resources=[ResourceLine("Toolkit", None, "toolkit", "A guide", "Flossmoor")],
    counts=ab.Counts(going_in_person=2, going_online=5, maybe=1, waitlisted_in_person=1),
    capacity_in_person=2,
    capacity_online=None,
    google_url="https://calendar.google.com/calendar/render?x=1",
    outlook_url="https://outlook.office.com/calendar/0/deeplink/compose?x=1",
)


def test_announcement_has_everything_and_text_for_screen_readers() -> None:
    message = ab.meeting_announcement(FACTS, ZoneInfo("America/Chicago"))
    rendered = json.dumps(message.blocks)
    assert "Tuesday April 13, 2027 at 10:00 AM CDT" in message.text
    assert "in person 2 of 2 seats, 1 on the waitlist" in message.text
    assert "online 5" in message.text and "maybe 1" in message.text
    assert "Agenda: Welcome;" in message.text
    assert "<!here>" not in rendered and "<@U0EVIL>" not in rendered
    actions = [b for b in message.blocks if b["type"] == "actions"]
    rsvp = [e["action_id"] for e in actions[0]["elements"]]
    assert rsvp == [ab.GOING_IN_PERSON, ab.GOING_ONLINE, ab.MAYBE, ab.NOT_GOING]
    assert all(e["value"] == "wg-2027-04" for e in actions[0]["elements"])
    assert [e["text"]["text"] for e in actions[1]["elements"]] == [
        "Add to Google Calendar",
        "Add to Outlook",
    ]
    assert len(message.blocks) <= 50


def test_buttons_follow_the_format() -> None:
    assert ab.buttons_for("online") == [ab.GOING_ONLINE, ab.MAYBE, ab.NOT_GOING]
    assert ab.buttons_for("in-person") == [ab.GOING_IN_PERSON, ab.MAYBE, ab.NOT_GOING]


def test_a_cancelled_meeting_says_so_without_buttons() -> None:
    cancelled = ab.AnnouncementFacts(**{**FACTS.__dict__, "cancelled": True})
    message = ab.meeting_announcement(cancelled, ZoneInfo("America/Chicago"))
    assert message.text.startswith("Cancelled: the working-group meeting on Hiring & Recruitment")
    assert not [b for b in message.blocks if b["type"] == "actions"]


def test_a_click_overtaken_by_a_newer_one_says_the_newer_one_stands() -> None:
    when = datetime(2027, 1, 12, 16, tzinfo=UTC)
    zone = ZoneInfo("America/Chicago")
    plain = ab.rsvp_confirmation(
        state="going-online", title="Hiring", starts_at=when, zone=zone, position=None
    )
    overtaken = ab.rsvp_confirmation(
        state="going-online",
        title="Hiring",
        starts_at=when,
        zone=zone,
        position=None,
        superseded=True,
    )
    assert plain.text.startswith("You're going, online: Hiring")
    assert overtaken.text.startswith(ab.SUPERSEDED + ". You're going, online: Hiring")
