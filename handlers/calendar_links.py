"""Add-to-calendar: an RFC 5545 event (.ics), and Google and Outlook web links. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from icalendar import Calendar, Event

# An identifier for calendar programs, not words for a person: hyphens, nothing to translate.
PRODID = "-//dei-bot//DEI-working-group//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable per meeting, so an update replaces the event instead of adding one
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    location: str = ""
    url: str | None = None
    sequence: int = 0  # bumped on each change, as RFC 5545 asks
    cancelled: bool = False


def ics(event: CalendarEvent, *, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", now.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.description:
        entry.add("description", event.description)
    if event.location:
        entry.add("location", event.location)
    if event.url:
        entry.add("url", event.url)
    calendar.add_component(entry)
    return calendar.to_ical()


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_calendar_url(event: CalendarEvent) -> str:
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_utc_stamp(event.starts_at)}/{_utc_stamp(event.ends_at)}",
        "details": event.description + (f"\n{event.url}" if event.url else ""),
        "location": event.location or (event.url or ""),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event: CalendarEvent) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": event.description + (f"\n{event.url}" if event.url else ""),
        "location": event.location or (event.url or ""),
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
