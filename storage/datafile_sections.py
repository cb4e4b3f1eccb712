"""The sections of a data file: which fields each record has and how it is read.

Each reader takes one record's `Fields` and returns its frozen record, noting any problem and
carrying on with a placeholder, so that one pass over the file finds every mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from storage.datafile_fields import PLACEHOLDER_TIME, Fields, slug
from storage.datafile_records import (
    CoachingSessionRecord,
    CohortRecord,
    CommunityRecord,
    MeetingRecord,
    ParticipantRecord,
    ResourceRecord,
    SynonymRecord,
    TopicRecord,
)
from storage.models import MeetingFormat, ResourceKind

MEETING_FORMATS = tuple(member.value for member in MeetingFormat)
RESOURCE_KINDS = tuple(member.value for member in ResourceKind)


def _key(fields: Fields, derived_from: str, derived: str) -> str:
    if fields.given("key"):
        return fields.text("key", required=True).strip()
    if derived_from and not derived:
        fields.problems.add(
            fields.line, fields.at("key"), f"cannot derive a key from '{derived_from}'; add a key"
        )
    return derived


def _topic(fields: Fields) -> TopicRecord:
    tbd = fields.flag("tbd")
    month = fields.month("month")
    return TopicRecord(
        key=_key(fields, month, month),
        month=month,
        title=fields.text("title", required=not tbd) or "TBD",
        summary=fields.text("summary"),
        keywords=fields.texts("keywords"),
        tbd=tbd,
        source=fields.source(),
    )


def _community(fields: Fields) -> CommunityRecord:
    name = fields.text("name", required=True)
    return CommunityRecord(
        key=_key(fields, name, slug(name)),
        name=name,
        county=fields.text("county"),
        practices=fields.texts("practices"),
        contacts=fields.user_ids("contacts"),
        source=fields.source(),
    )


def _resource(fields: Fields) -> ResourceRecord:
    title = fields.text("title", required=True)
    return ResourceRecord(
        key=_key(fields, title, slug(title)),
        title=title,
        kind=fields.choice("kind", RESOURCE_KINDS),
        url=fields.url("url"),
        summary=fields.text("summary"),
        topics=fields.texts("topics"),
        community=fields.reference("community"),
        source=fields.source(),
    )


def _meeting(fields: Fields) -> MeetingRecord:
    starts_at = fields.moment("starts_at")
    day = "" if starts_at is PLACEHOLDER_TIME else f"wg-{starts_at.date().isoformat()}"
    in_person, online = _capacity(fields)
    return MeetingRecord(
        key=_key(fields, "", day),
        starts_at=starts_at,
        topic=fields.reference("topic"),
        duration_minutes=_duration(fields),
        format=fields.choice("format", MEETING_FORMATS, default=MeetingFormat.HYBRID.value),
        location=fields.text("location"),
        join_url=fields.url("join_url"),
        capacity_in_person=in_person,
        capacity_online=online,
        agenda=fields.texts("agenda"),
        source=fields.source(),
    )


def _duration(fields: Fields) -> int:
    minutes = fields.whole_number("duration_minutes", default=60, minimum=1, unit=" minute")
    return 60 if minutes is None else minutes


def _capacity(fields: Fields) -> tuple[int | None, int | None]:
    node = fields.mapping("capacity", "{in_person: 30, online: null}")
    if node is None:
        return None, None
    limits = Fields(fields.problems, node, fields.at("capacity"), ("in_person", "online"))
    in_person = limits.whole_number("in_person", default=None, minimum=0)
    return in_person, limits.whole_number("online", default=None, minimum=0)


def _cohort(fields: Fields) -> CohortRecord:
    name = fields.text("name", required=True)
    participants: list[ParticipantRecord] = []
    first_lines: dict[str, int] = {}
    for path, node in fields.records("participants", "{user: U0BBBBBBB, community: flossmoor}"):
        person = Fields(fields.problems, node, path, ("user", "community"))
        user = person.user_id("user", required=True)
        source = person.source()
        if user and user in first_lines:
            message = f"{user} is listed twice in this cohort (also at line {first_lines[user]})"
            fields.problems.add(source.line_of("user"), person.at("user"), message)
        first_lines.setdefault(user, source.line)
        community = person.reference("community")
        participants.append(ParticipantRecord(user=user, community=community, source=source))
    return CohortRecord(
        key=_key(fields, name, slug(name)),
        name=name,
        participants=tuple(participants),
        source=fields.source(),
    )


def _coaching_session(fields: Fields) -> CoachingSessionRecord:
    cohort = fields.reference("cohort", required=True) or ""
    starts_at = fields.moment("starts_at")
    when = "" if starts_at is PLACEHOLDER_TIME else starts_at.strftime("%Y-%m-%d-%H%M")
    return CoachingSessionRecord(
        key=_key(fields, "", f"{cohort}-{when}" if cohort and when else ""),
        cohort=cohort,
        coach=fields.user_id("coach", required=True),
        starts_at=starts_at,
        participants=fields.user_ids("participants"),
        duration_minutes=_duration(fields),
        location=fields.text("location"),
        join_url=fields.url("join_url"),
        source=fields.source(),
    )


def _synonym(fields: Fields) -> SynonymRecord:
    term = fields.text("term", required=True).strip()
    means = fields.texts("means")
    if not fields.given("means"):
        fields.problems.add(fields.line, fields.at("means"), "missing; this field is required")
    return SynonymRecord(term=term, means=means, source=fields.source())


class _Section(NamedTuple):
    fields: tuple[str, ...]
    build: Callable[[Fields], Any]


TOPIC_FIELDS = ("key", "month", "title", "summary", "keywords", "tbd")
COMMUNITY_FIELDS = ("key", "name", "county", "practices", "contacts")
RESOURCE_FIELDS = ("key", "title", "url", "kind", "summary", "topics", "community")
MEETING_FIELDS = (
    "key",
    "topic",
    "starts_at",
    "duration_minutes",
    "format",
    "location",
    "join_url",
    "capacity",
    "agenda",
)
COHORT_FIELDS = ("key", "name", "participants")
COACHING_SESSION_FIELDS = (
    "key",
    "cohort",
    "coach",
    "participants",
    "starts_at",
    "duration_minutes",
    "location",
    "join_url",
)
SYNONYM_FIELDS = ("term", "means")

SECTIONS: dict[str, _Section] = {
    "topics": _Section(TOPIC_FIELDS, _topic),
    "communities": _Section(COMMUNITY_FIELDS, _community),
    "resources": _Section(RESOURCE_FIELDS, _resource),
    "meetings": _Section(MEETING_FIELDS, _meeting),
    "cohorts": _Section(COHORT_FIELDS, _cohort),
    "coaching_sessions": _Section(COACHING_SESSION_FIELDS, _coaching_session),
    "synonyms": _Section(SYNONYM_FIELDS, _synonym),
}
