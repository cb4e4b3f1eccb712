"""Exports for `dei-bot export`: the data file, and tables coordinators open in a spreadsheet.

The data file (YAML) imports back to the same data: records are written in a stable order with
their keys, times in UTC with an explicit `+00:00`. It holds what a coordinator manages, so
retired resources and cancelled meetings and coaching sessions are left out: importing them
elsewhere would bring them back to life. The synonym vocabulary comes last, keyed by its terms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import yaml
from sqlmodel import Session, col, select

from storage import export_tables, synonyms
from storage.datafile import (
    CoachingSessionRecord,
    CohortRecord,
    CommunityRecord,
    DataFile,
    MeetingRecord,
    ParticipantRecord,
    ResourceRecord,
    SynonymRecord,
    TopicRecord,
)
from storage.export_tables import Table
from storage.models import (
    CoachingAttendee,
    CoachingSession,
    Cohort,
    CohortParticipant,
    Community,
    Meeting,
    Resource,
    Topic,
)

DATA_SECTIONS = ("topics", "communities", "resources", "meetings", "cohorts", "coaching_sessions")
FILE_SECTIONS = (*DATA_SECTIONS, "synonyms")  # synonyms have terms, not keys
TABLES: dict[str, Callable[[Session, int | None], Table]] = {
    "rsvps": export_tables.rsvps,
    "attendance": export_tables.attendance,
    "resources": export_tables.resources,
    "topics": export_tables.topics,
    "misses": export_tables.misses,
    "deliveries": export_tables.deliveries,
}
FORMATS: dict[str, tuple[str, ...]] = {
    "all": ("yaml",),
    **{section: ("yaml",) for section in FILE_SECTIONS},
    **{table: ("yaml", "csv") for table in TABLES},
}
FILTERED_BY_MEETING = ("rsvps", "attendance")


def export(session: Session, what: str, fmt: str = "yaml", meeting_key: str | None = None) -> str:
    """`what` as a data file (YAML) or a table (CSV, or YAML rows); ValueError says what exists."""
    formats = FORMATS.get(what)
    if formats is None:
        raise ValueError(f"cannot export '{what}'; choose one of: {', '.join(FORMATS)}")
    if fmt not in formats:
        raise ValueError(f"'{what}' exports as {' or '.join(formats)}, not '{fmt}'")
    if meeting_key is not None and what not in FILTERED_BY_MEETING:
        raise ValueError(f"a meeting key narrows only {' and '.join(FILTERED_BY_MEETING)}")
    meeting_id = _meeting_id(session, meeting_key) if meeting_key is not None else None
    if what == "all":
        return data_file_yaml(stored_data(session, FILE_SECTIONS), FILE_SECTIONS)
    if what in FILE_SECTIONS and fmt == "yaml":
        return data_file_yaml(stored_data(session, (what,)), (what,))
    table = TABLES[what](session, meeting_id)
    return table.csv() if fmt == "csv" else table.yaml(what)


def stored_data(session: Session, sections: Sequence[str] = DATA_SECTIONS) -> DataFile:
    """What the database holds, as the records a data file would carry."""
    readers: dict[str, Callable[[Session], tuple[Any, ...]]] = {
        "topics": _topics,
        "communities": _communities,
        "resources": _resources,
        "meetings": _meetings,
        "cohorts": _cohorts,
        "coaching_sessions": _coaching_sessions,
        "synonyms": _synonyms,
    }
    records: dict[str, Any] = {section: readers[section](session) for section in sections}
    return DataFile(**records)


def data_file_yaml(data: DataFile, sections: Sequence[str] = DATA_SECTIONS) -> str:
    """The data file text for `sections` of `data`: what `storage.datafile.parse` reads back."""
    document = {section: [_as_mapping(r) for r in getattr(data, section)] for section in sections}
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def _meeting_id(session: Session, key: str) -> int:
    meeting_id = session.exec(select(Meeting.id).where(Meeting.key == key)).first()
    if meeting_id is None:
        raise ValueError(f"no meeting with key '{key}'")
    return meeting_id


def _keys(session: Session, model: type[Any]) -> dict[int, str]:
    return dict(session.exec(select(model.id, model.key)).all())


def _topics(session: Session) -> tuple[TopicRecord, ...]:
    rows = session.exec(select(Topic).order_by(col(Topic.month), col(Topic.key)))
    return tuple(
        TopicRecord(
            key=row.key,
            month=row.month,
            title=row.title,
            summary=row.summary,
            keywords=tuple(row.keywords),
            tbd=row.tbd,
        )
        for row in rows
    )


def _communities(session: Session) -> tuple[CommunityRecord, ...]:
    rows = session.exec(select(Community).order_by(col(Community.key)))
    return tuple(
        CommunityRecord(
            key=row.key,
            name=row.name,
            county=row.county,
            practices=tuple(row.practices),
            contacts=tuple(row.contacts),
        )
        for row in rows
    )


def _resources(session: Session) -> tuple[ResourceRecord, ...]:
    communities = _keys(session, Community)
    rows = session.exec(
        select(Resource).where(col(Resource.retired_at).is_(None)).order_by(col(Resource.key))
    )
    return tuple(
        ResourceRecord(
            key=row.key,
            title=row.title,
            kind=row.kind,
            url=row.url,
            summary=row.summary,
            topics=tuple(row.topics),
            community=communities.get(row.community_id) if row.community_id else None,
        )
        for row in rows
    )


def _meetings(session: Session) -> tuple[MeetingRecord, ...]:
    topics = _keys(session, Topic)
    rows = session.exec(
        select(Meeting)
        .where(col(Meeting.cancelled_at).is_(None))
        .order_by(col(Meeting.starts_at), col(Meeting.key))
    )
    return tuple(
        MeetingRecord(
            key=row.key,
            starts_at=row.starts_at,
            topic=topics.get(row.topic_id) if row.topic_id else None,
            duration_minutes=row.duration_minutes,
            format=row.format,
            location=row.location,
            join_url=row.join_url,
            capacity_in_person=row.capacity_in_person,
            capacity_online=row.capacity_online,
            agenda=tuple(row.agenda),
        )
        for row in rows
    )


def _cohorts(session: Session) -> tuple[CohortRecord, ...]:
    communities = _keys(session, Community)
    participants: dict[int, list[ParticipantRecord]] = {}
    for row in session.exec(select(CohortParticipant).order_by(col(CohortParticipant.user_id))):
        community = communities.get(row.community_id) if row.community_id else None
        participant = ParticipantRecord(user=row.user_id, community=community)
        participants.setdefault(row.cohort_id, []).append(participant)
    rows = session.exec(select(Cohort).order_by(col(Cohort.key)))
    return tuple(
        CohortRecord(key=row.key, name=row.name, participants=tuple(participants.get(row.id, [])))
        for row in rows
        if row.id is not None
    )


def _coaching_sessions(session: Session) -> tuple[CoachingSessionRecord, ...]:
    cohorts = _keys(session, Cohort)
    attendees: dict[int, list[str]] = {}
    for row in session.exec(select(CoachingAttendee).order_by(col(CoachingAttendee.user_id))):
        attendees.setdefault(row.session_id, []).append(row.user_id)
    rows = session.exec(
        select(CoachingSession)
        .where(col(CoachingSession.cancelled_at).is_(None))
        .order_by(col(CoachingSession.starts_at), col(CoachingSession.key))
    )
    return tuple(
        CoachingSessionRecord(
            key=row.key,
            cohort=cohorts[row.cohort_id],
            coach=row.coach,
            starts_at=row.starts_at,
            participants=tuple(attendees.get(row.id, [])),
            duration_minutes=row.duration_minutes,
            location=row.location,
            join_url=row.join_url,
        )
        for row in rows
        if row.id is not None
    )


def _synonyms(session: Session) -> tuple[SynonymRecord, ...]:
    return tuple(
        SynonymRecord(term=row.term, means=tuple(row.means)) for row in synonyms.listed(session)
    )


class _Inline(dict[str, Any]):
    """A small mapping written on one line, e.g. {user: U0BBBBBBB, community: flossmoor}."""


class _Flow(list[Any]):
    """A list of words written on one line, e.g. [hiring, recruitment]."""


def _as_mapping(record: Any) -> dict[str, Any]:
    """A record as the file writes it: fields in order, empty ones left out (they are defaults)."""
    fields: dict[str, Any] = {}
    for name, value in vars(record).items():
        if name == "source" or _is_empty(value):
            continue
        if name == "participants" and isinstance(record, CohortRecord):
            value = [_Inline(_as_mapping(participant)) for participant in value]
        elif isinstance(value, tuple):
            value = _Flow(value)
        fields[name] = value
    if isinstance(record, MeetingRecord):
        _fold_capacity(fields)
    return fields


def _is_empty(value: Any) -> bool:
    # Not `value in (None, "", ...)`: 0 == False, and a capacity of 0 must be written.
    return value is None or value is False or value == "" or value == ()


def _fold_capacity(fields: dict[str, Any]) -> None:
    in_person = fields.pop("capacity_in_person", None)
    online = fields.pop("capacity_online", None)
    if in_person is None and online is None:
        return
    capacity = _Inline(in_person=in_person, online=online)
    # Keep the file's field order: capacity sits before the agenda.
    agenda = fields.pop("agenda", None)
    fields["capacity"] = capacity
    if agenda is not None:
        fields["agenda"] = agenda


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their section, as people write them (and as the SPEC shows).
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # anchors and aliases would puzzle a person reading the file


def _represent_time(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # ISO 8601 with a "T", which the data file asks for; PyYAML's default writes a space.
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_inline(dumper: yaml.SafeDumper, value: _Inline) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(datetime, _represent_time)
_Dumper.add_representer(_Inline, _represent_inline)
_Dumper.add_representer(_Flow, _represent_flow)
