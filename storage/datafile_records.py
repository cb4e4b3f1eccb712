"""The records of a data file: what `storage.datafile` reads and `storage.exports` writes.

Frozen, and compared by content only: where a record came from (`source`) is kept beside it, so
that a file read twice, or written and read back, compares equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage.models import MeetingFormat


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str  # a path into the file, e.g. meetings[2].starts_at
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Source:
    """Where a record came from: its line, its path, and the line of each field it gave."""

    line: int = 0
    path: str = ""
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)


NOWHERE = Source()  # records built in code (exports) come from nowhere in particular


class DataFileError(Exception):
    """Every problem found in a data file; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True, kw_only=True)
class TopicRecord:
    key: str
    month: str  # YYYY-MM
    title: str = "TBD"
    summary: str = ""
    keywords: tuple[str, ...] = ()
    tbd: bool = False
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class CommunityRecord:
    key: str
    name: str
    county: str = ""
    practices: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()  # Slack user IDs
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class ResourceRecord:
    key: str
    title: str
    url: str | None = None
    kind: str  # ResourceKind
    summary: str = ""
    topics: tuple[str, ...] = ()  # free words, not topic keys
    community: str | None = None  # a community key
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class MeetingRecord:
    key: str
    topic: str | None = None  # a topic key
    starts_at: datetime  # aware, in the offset the file gave
    duration_minutes: int = 60
    format: str = MeetingFormat.HYBRID.value
    location: str = ""
    join_url: str | None = None
    capacity_in_person: int | None = None  # None: no limit
    capacity_online: int | None = None
    agenda: tuple[str, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class ParticipantRecord:
    user: str
    community: str | None = None  # a community key
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class CohortRecord:
    key: str
    name: str
    participants: tuple[ParticipantRecord, ...] = ()
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class CoachingSessionRecord:
    key: str
    cohort: str  # a cohort key
    coach: str
    participants: tuple[str, ...] = ()
    starts_at: datetime  # aware, in the offset the file gave
    duration_minutes: int = 60
    location: str = ""
    join_url: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class SynonymRecord:
    term: str
    means: tuple[str, ...]
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class DataFile:
    file: str = field(default="", compare=False)
    topics: tuple[TopicRecord, ...] = ()
    communities: tuple[CommunityRecord, ...] = ()
    resources: tuple[ResourceRecord, ...] = ()
    meetings: tuple[MeetingRecord, ...] = ()
    cohorts: tuple[CohortRecord, ...] = ()
    coaching_sessions: tuple[CoachingSessionRecord, ...] = ()
    synonyms: tuple[SynonymRecord, ...] = ()

    def keys(self, section: str) -> set[str]:
        return {record.key for record in getattr(self, section)}


@dataclass(frozen=True)
class Reference:
    """A key one record uses to name another, e.g. a meeting naming its topic."""

    section: str  # where the named record lives: topics, communities or cohorts
    key: str
    line: int
    field: str  # path of the naming field, e.g. meetings[0].topic
