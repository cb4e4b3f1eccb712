"""The tables `dei-bot export` writes for coordinators: RSVPs, attendance, misses, deliveries …

Each is a header and rows of plain values, written as CSV for a spreadsheet or as YAML rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from sqlmodel import Session, col, select

from storage import attendance as attendance_records
from storage import misses as search_misses
from storage.models import (
    Community,
    Delivery,
    Meeting,
    Resource,
    Rsvp,
    Topic,
)

# A spreadsheet runs a cell that starts with one of these as a formula; text from people (search
# words, titles) must not become one, so such cells get a leading apostrophe, as OWASP advises.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.headers)
        writer.writerows([_csv_cell(value) for value in row] for row in self.rows)
        return out.getvalue()

    def yaml(self, name: str) -> str:
        rows = [dict(zip(self.headers, row, strict=True)) for row in self.rows]
        document = {name: [{k: _yaml_value(v) for k, v in row.items()} for row in rows]}
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def rsvps(session: Session, meeting_id: int | None) -> Table:
    rows = [
        (meeting_key, rsvp.user_id, rsvp.state, rsvp.updated_at)
        for rsvp, meeting_key in _rsvps_with_meeting(session, meeting_id)
    ]
    return Table(("meeting", "user", "state", "updated_at"), rows)


def attendance(session: Session, meeting_id: int | None) -> Table:
    communities = attendance_records.community_of_each_member(session)
    rows = [
        (meeting_key, rsvp.user_id, communities.get(rsvp.user_id), rsvp.state, rsvp.checked_in_at)
        for rsvp, meeting_key in _rsvps_with_meeting(session, meeting_id)
    ]
    return Table(("meeting", "user", "community", "state", "checked_in_at"), rows)


def resources(session: Session, _meeting_id: int | None = None) -> Table:
    communities = dict(session.exec(select(Community.id, Community.key)).all())
    rows = [
        (
            *(row.key, row.title, row.url, row.kind, row.summary, row.topics),
            *(communities.get(row.community_id), row.added_at, row.retired_at),
        )
        for row in session.exec(select(Resource).order_by(col(Resource.key)))
    ]
    headers = ("key", "title", "url", "kind", "summary", "topics", "community")
    return Table((*headers, "added_at", "retired_at"), rows)


def topics(session: Session, _meeting_id: int | None = None) -> Table:
    rows = [
        (row.key, row.month, row.title, row.summary, row.keywords, row.tbd)
        for row in session.exec(select(Topic).order_by(col(Topic.month), col(Topic.key)))
    ]
    return Table(("key", "month", "title", "summary", "keywords", "tbd"), rows)


def misses(session: Session, _meeting_id: int | None = None) -> Table:
    """Lookups that found nothing, one row per normalized phrase, the most frequent first;
    `words` is the latest example as typed."""
    rows = [(m.example, m.normalized, m.count, m.last_seen) for m in search_misses.counts(session)]
    return Table(("words", "normalized", "count", "last_seen"), rows)


def deliveries(session: Session, _meeting_id: int | None = None) -> Table:
    ordered = select(Delivery).order_by(col(Delivery.due_at), col(Delivery.key))
    rows = [
        (
            *(row.key, row.kind, row.recipient, row.state, row.attempts, row.due_at),
            *(row.last_error, row.channel, row.ts),
        )
        for row in session.exec(ordered)
    ]
    headers = ("key", "kind", "recipient", "state", "attempts", "due_at")
    return Table((*headers, "last_error", "channel", "ts"), rows)


def _rsvps_with_meeting(session: Session, meeting_id: int | None) -> list[tuple[Rsvp, str]]:
    query = select(Rsvp, Meeting.key).join(Meeting, col(Rsvp.meeting_id) == col(Meeting.id))
    if meeting_id is not None:
        query = query.where(Rsvp.meeting_id == meeting_id)
    query = query.order_by(col(Meeting.starts_at), col(Meeting.key), col(Rsvp.user_id))
    return [(rsvp, key) for rsvp, key in session.exec(query)]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Sequence) and not isinstance(value, str):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def _yaml_value(value: Any) -> Any:
    # Times as ISO 8601 text with a "T", like the data file, rather than PyYAML's spaced form.
    return value.isoformat() if isinstance(value, datetime) else value
