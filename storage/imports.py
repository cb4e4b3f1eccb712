"""Importing a data file: upsert by key, all or nothing.

A record in the file is the whole truth about the fields the file format has: a field left out
takes its default. Fields the bot keeps for itself (a meeting's announcement, a cancellation, a
resource's retirement) are never touched. A record identical to the stored one is not written,
so importing the same file twice changes nothing. Nothing is ever deleted, except that a cohort's
participants and a coaching session's attendees are made to match the file for the cohorts and
sessions it names.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from storage import datafile, synonyms
from storage.database import Database
from storage.datafile import DataFile, DataFileError, Problem
from storage.models import (
    CoachingAttendee,
    CoachingSession,
    Cohort,
    CohortParticipant,
    Community,
    Meeting,
    Resource,
    Synonym,
    Topic,
)

STORED_SECTIONS = (
    "topics",
    "communities",
    "resources",
    "meetings",
    "cohorts",
    "coaching_sessions",
    "synonyms",
)
NOT_STORED_SECTIONS: tuple[str, ...] = ()  # read and checked, but kept by no table (none today)
MODELS: dict[str, type[Any]] = {"topics": Topic, "communities": Community, "cohorts": Cohort}
NOUNS = {"topics": "topic", "communities": "community", "cohorts": "cohort"}


@dataclass(frozen=True)
class SectionCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportReport:
    file: str
    sections: Mapping[str, SectionCounts]
    not_stored: Mapping[str, int]  # records read but not kept: no table for them yet

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in self.sections.values())

    def __str__(self) -> str:
        lines = [f"{self.file}: imported" if self.changed else f"{self.file}: nothing changed"]
        for section, counts in self.sections.items():
            lines.append(
                f"  {section}: {counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged"
            )
        for section, count in self.not_stored.items():
            if count:
                lines.append(f"  {section}: {count} read, not stored (not kept by this version)")
        return "\n".join(lines)


def import_file(
    db: Database, path: Path, *, then: Callable[[Session], object] | None = None
) -> ImportReport:
    """Reads, checks and writes in one transaction: any problem, and nothing is written.

    `then` runs in the same transaction after the write: what the import causes (the reminders
    of imported coaching sessions) is committed with it or not at all.
    """
    data, problems = datafile.load_with_problems(path)
    with db.transaction(write=True) as session:
        problems += unresolved_references(session, data)
        if problems:
            raise DataFileError(sorted(problems, key=_line))
        report = _write(session, data)
        if then is not None:
            then(session)
        return report


def apply(session: Session, data: DataFile) -> ImportReport:
    """Upserts the file's records; the caller owns the transaction and rolls back on error."""
    problems = unresolved_references(session, data)
    if problems:
        raise DataFileError(sorted(problems, key=_line))
    return _write(session, data)


def _line(problem: Problem) -> int:
    return problem.line


def unresolved_references(session: Session, data: DataFile) -> list[Problem]:
    """References to keys found neither in the file nor in the database, as file problems."""
    problems: list[Problem] = []
    wanted = datafile.references(data)
    for section, model in MODELS.items():
        missing = {ref.key for ref in wanted if ref.section == section} - data.keys(section)
        if not missing:
            continue
        missing -= set(session.exec(select(model.key).where(col(model.key).in_(missing))))
        if not missing:
            continue
        known = sorted(data.keys(section) | set(session.exec(select(model.key))))
        for ref in wanted:
            if ref.section == section and ref.key in missing:
                hint = _closest_key(ref.key, known, section)
                message = f"no {NOUNS[section]} '{ref.key}' in this file or the database; {hint}"
                problems.append(Problem(data.file, ref.line, ref.field, message))
    return problems


def _closest_key(key: str, known: list[str], section: str) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"add it to the file's {section} or correct the key"


def _write(session: Session, data: DataFile) -> ImportReport:
    # Order matters: each section after the ones its references name, flushed so ids exist.
    outcomes = {
        "topics": _write_topics(session, data),
        "communities": _write_communities(session, data),
        "resources": _write_resources(session, data),
        "meetings": _write_meetings(session, data),
        "cohorts": _write_cohorts(session, data),
        "coaching_sessions": _write_coaching_sessions(session, data),
        "synonyms": _write_synonyms(session, data),
    }
    return ImportReport(
        file=data.file,
        sections={section: _counts(outcome) for section, outcome in outcomes.items()},
        not_stored={section: len(getattr(data, section)) for section in NOT_STORED_SECTIONS},
    )


def _write_topics(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for topic in data.topics:
        values = {
            "month": topic.month,
            "title": topic.title,
            "summary": topic.summary,
            "keywords": list(topic.keywords),
            "tbd": topic.tbd,
        }
        outcomes[_upsert(session, Topic, topic.key, values)[1]] += 1
    session.flush()
    return outcomes


def _write_communities(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for community in data.communities:
        values = {
            "name": community.name,
            "county": community.county,
            "practices": list(community.practices),
            "contacts": list(community.contacts),
        }
        outcomes[_upsert(session, Community, community.key, values)[1]] += 1
    session.flush()
    return outcomes


def _write_resources(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    community_ids = _ids_by_key(session, Community, {r.community for r in data.resources})
    for resource in data.resources:
        values = {
            "title": resource.title,
            "url": resource.url,
            "kind": resource.kind,
            "summary": resource.summary,
            "topics": list(resource.topics),
            "community_id": community_ids.get(resource.community or ""),
        }
        outcomes[_upsert(session, Resource, resource.key, values)[1]] += 1
    return outcomes


def _write_meetings(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    topic_ids = _ids_by_key(session, Topic, {meeting.topic for meeting in data.meetings})
    for meeting in data.meetings:
        values = {
            "topic_id": topic_ids.get(meeting.topic or ""),
            "starts_at": meeting.starts_at.astimezone(UTC),
            "duration_minutes": meeting.duration_minutes,
            "format": meeting.format,
            "location": meeting.location,
            "join_url": meeting.join_url,
            "capacity_in_person": meeting.capacity_in_person,
            "capacity_online": meeting.capacity_online,
            "agenda": list(meeting.agenda),
        }
        outcomes[_upsert(session, Meeting, meeting.key, values)[1]] += 1
    return outcomes


def _write_cohorts(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    named = {p.community for cohort in data.cohorts for p in cohort.participants}
    community_ids = _ids_by_key(session, Community, named)
    for cohort in data.cohorts:
        row, outcome = _upsert(session, Cohort, cohort.key, {"name": cohort.name})
        session.flush()  # a new cohort needs its id before its participants
        wanted = {p.user: community_ids.get(p.community or "") for p in cohort.participants}
        if _sync_participants(session, row.id, wanted) and outcome == "unchanged":
            outcome = "updated"
        outcomes[outcome] += 1
    session.flush()
    return outcomes


def _write_coaching_sessions(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    cohort_ids = _ids_by_key(session, Cohort, {c.cohort for c in data.coaching_sessions})
    for coaching in data.coaching_sessions:
        values = {
            "cohort_id": cohort_ids[coaching.cohort],
            "coach": coaching.coach,
            "starts_at": coaching.starts_at.astimezone(UTC),
            "duration_minutes": coaching.duration_minutes,
            "location": coaching.location,
            "join_url": coaching.join_url,
        }
        row, outcome = _upsert(session, CoachingSession, coaching.key, values)
        session.flush()  # a new session needs its id before its attendees
        if _sync_attendees(session, row.id, set(coaching.participants)) and outcome == "unchanged":
            outcome = "updated"
        outcomes[outcome] += 1
    session.flush()
    return outcomes


def _write_synonyms(session: Session, data: DataFile) -> Counter[str]:
    outcomes: Counter[str] = Counter()
    for synonym in data.synonyms:
        values = {"term": synonym.term, "means": list(synonym.means)}
        outcomes[_upsert(session, Synonym, synonyms.key_of(synonym.term), values)[1]] += 1
    session.flush()
    return outcomes


def _upsert(
    session: Session, model: type[Any], key: str, values: dict[str, Any]
) -> tuple[Any, str]:
    """The row for `key` made to hold `values`, and whether it was created, updated or unchanged."""
    row = session.exec(select(model).where(model.key == key)).first()
    if row is None:
        row = model(key=key, **values)
        session.add(row)
        return row, "created"
    changes = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changes.items():
        setattr(row, name, value)
    return row, "updated" if changes else "unchanged"


def _sync_participants(
    session: Session, cohort_id: int, participants: dict[str, int | None]
) -> bool:
    wanted = dict(participants)
    rows = session.exec(select(CohortParticipant).where(CohortParticipant.cohort_id == cohort_id))
    changed = False
    for row in rows:
        if row.user_id not in wanted:
            session.delete(row)
            changed = True
            continue
        community_id = wanted.pop(row.user_id)
        if row.community_id != community_id:
            row.community_id = community_id
            changed = True
    for user_id, community_id in wanted.items():
        session.add(
            CohortParticipant(cohort_id=cohort_id, user_id=user_id, community_id=community_id)
        )
        changed = True
    return changed


def _sync_attendees(session: Session, session_id: int, wanted: set[str]) -> bool:
    rows = list(
        session.exec(select(CoachingAttendee).where(CoachingAttendee.session_id == session_id))
    )
    for row in rows:
        if row.user_id not in wanted:
            session.delete(row)
    present = {row.user_id for row in rows}
    for user_id in sorted(wanted - present):
        session.add(CoachingAttendee(session_id=session_id, user_id=user_id))
    return present != wanted


def _ids_by_key(
    session: Session, model: type[SQLModel], keys: Iterable[str | None]
) -> dict[str, int]:
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    rows = session.exec(select(model.key, model.id).where(col(model.key).in_(wanted)))  # type: ignore[attr-defined]
    return dict(rows.all())


def _counts(outcomes: Counter[str]) -> SectionCounts:
    return SectionCounts(outcomes["created"], outcomes["updated"], outcomes["unchanged"])
