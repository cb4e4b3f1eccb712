from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from icalendar import Calendar

from handlers.calendar_links import (
    CalendarEvent,
    google_calendar_url,
    ics,
    outlook_calendar_url,
)

START = datetime(2027, 3, 16, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
EVENT = CalendarEvent(
    uid="wg-2027-03@dei-bot",
    title="DEI working group: Human Relations Commissions",
    starts_at=START,
    ends_at=START + timedelta(hours=1),
    description="Welcome; Peer updates; Discussion",
    location="NIU Naperville",
    url="https://example.org/join",
)


def test_ics_is_a_valid_rfc5545_event_in_utc() -> None:
    parsed = Calendar.from_ical(ics(EVENT, now=datetime(2027, 1, 1, tzinfo=UTC)))
    (event,) = parsed.walk("VEVENT")
    assert str(event["uid"]) == "wg-2027-03@dei-bot"
    assert event.decoded("dtstart") == datetime(2027, 3, 16, 15, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2027, 3, 16, 16, 0, tzinfo=UTC)
    assert str(event["location"]) == "NIU Naperville"
    assert str(event["status"]) == "CONFIRMED"
    assert str(parsed["method"]) == "PUBLISH"


def test_a_cancelled_meeting_cancels_the_same_event() -> None:
    cancelled = CalendarEvent(**{**EVENT.__dict__, "cancelled": True, "sequence": 2})
    parsed = Calendar.from_ical(ics(cancelled, now=datetime(2027, 1, 1, tzinfo=UTC)))
    (event,) = parsed.walk("VEVENT")
    assert str(parsed["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 2 and str(event["uid"]) == EVENT.uid


def test_web_links_carry_utc_times_and_escape_text() -> None:
    google = parse_qs(urlparse(google_calendar_url(EVENT)).query)
    assert google["dates"] == ["20270316T150000Z/20270316T160000Z"]
    assert google["text"] == [EVENT.title]
    outlook = parse_qs(urlparse(outlook_calendar_url(EVENT)).query)
    assert outlook["startdt"] == ["2027-03-16T15:00:00Z"]
    assert outlook["location"] == ["NIU Naperville"]
