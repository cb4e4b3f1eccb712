"""The tables. Every record a coordinator can import carries a stable `key`.

Times are stored in UTC and come back timezone-aware, on SQLite as on PostgreSQL.
Slack user IDs are kept as text: Slack is the directory, we keep only what we need.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Refuses naive datetimes going in; always aware UTC coming out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _when(*, nullable: bool = False, index: bool = False) -> Any:
    column: Column[datetime] = Column(UTCDateTime(), nullable=nullable, index=index)
    return Field(default=None, sa_column=column) if nullable else Field(sa_column=column)


def _created() -> Any:
    return Field(default_factory=utc_now, sa_column=Column(UTCDateTime(), nullable=False))


def _list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    HYBRID = "hybrid"


class ResourceKind(enum.StrEnum):
    TOOLKIT = "toolkit"
    GUIDE = "guide"
    CASE_STUDY = "case-study"
    TEMPLATE = "template"
    TRAINING = "training"
    DATA = "data"
    POLICY = "policy"


class RsvpState(enum.StrEnum):
    GOING_IN_PERSON = "going-in-person"
    GOING_ONLINE = "going-online"
    MAYBE = "maybe"
    NOT_GOING = "not-going"
    WAITLISTED_IN_PERSON = "waitlisted-in-person"
    WAITLISTED_ONLINE = "waitlisted-online"


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # waiting for its due time
    SENDING = "sending"  # a call to Slack began; if its lease ran out, history says if it landed
    SENT = "sent"
    FAILED = "failed"  # out of attempts; coordinators were told
    EXPIRED = "expired"  # found overdue once it no longer made sense to send
    CANCELLED = "cancelled"  # the cause went away (an RSVP changed, a session moved)


class Topic(SQLModel, table=True):
    __tablename__ = "topics"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    month: str = Field(unique=True, index=True)  # YYYY-MM: one topic a month
    title: str
    summary: str = ""
    keywords: list[str] = _list()
    tbd: bool = False  # a month on the calendar whose topic is not chosen yet


class Community(SQLModel, table=True):
    __tablename__ = "communities"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    county: str = ""
    practices: list[str] = _list()
    contacts: list[str] = _list()  # Slack user IDs who volunteered as contacts


class Resource(SQLModel, table=True):
    __tablename__ = "resources"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    title: str
    url: str | None = None  # never invented: without a known address the resource has none
    kind: str  # ResourceKind
    summary: str = ""
    topics: list[str] = _list()
    community_id: int | None = Field(default=None, foreign_key="communities.id", index=True)
    added_at: datetime = _created()
    retired_at: datetime | None = _when(nullable=True)
    confirmed_at: datetime | None = _when(nullable=True)  # a coordinator last said it still holds


class Meeting(SQLModel, table=True):
    __tablename__ = "meetings"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    topic_id: int | None = Field(default=None, foreign_key="topics.id", index=True)
    starts_at: datetime = _when(index=True)
    duration_minutes: int = 60
    format: str = MeetingFormat.HYBRID.value
    location: str = ""
    join_url: str | None = None
    capacity_in_person: int | None = None  # None: no limit
    capacity_online: int | None = None
    agenda: list[str] = _list()
    announcement_channel: str | None = None
    announcement_ts: str | None = None
    cancelled_at: datetime | None = _when(nullable=True)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Rsvp(SQLModel, table=True):
    """One row per (meeting, member): a click changes that row, never adds another."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_rsvps_meeting_user"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meetings.id", index=True)
    user_id: str
    state: str  # RsvpState
    updated_at: datetime = _created()  # when the state last changed: the waitlist's order
    checked_in_at: datetime | None = _when(nullable=True)
    # The newest click applied (Slack's action_ts), changed or not: an older click arriving
    # late never overwrites it.
    clicked_at: datetime | None = _when(nullable=True)


class Cohort(SQLModel, table=True):
    __tablename__ = "cohorts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str


class CohortParticipant(SQLModel, table=True):
    __tablename__ = "cohort_participants"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_participants_cohort_user"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohorts.id", index=True)
    user_id: str
    community_id: int | None = Field(default=None, foreign_key="communities.id")


class CoachingSession(SQLModel, table=True):
    __tablename__ = "coaching_sessions"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    cohort_id: int = Field(foreign_key="cohorts.id", index=True)
    coach: str  # Slack user ID
    starts_at: datetime = _when(index=True)
    duration_minutes: int = 60
    location: str = ""
    join_url: str | None = None
    cancelled_at: datetime | None = _when(nullable=True)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class CoachingAttendee(SQLModel, table=True):
    __tablename__ = "coaching_attendees"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id", name="uq_coaching_attendees_session_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coaching_sessions.id", index=True)
    user_id: str
    declined_at: datetime | None = _when(nullable=True)  # said "can't make it"


class CoachingQuestion(SQLModel, table=True):
    """A participant's question for the coach, gathered into the coach's prep digest."""

    __tablename__ = "coaching_questions"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="coaching_sessions.id", index=True)
    user_id: str
    text: str
    asked_at: datetime = _created()


class Member(SQLModel, table=True):
    """What we cache about a Slack user, and what they chose."""

    __tablename__ = "members"

    user_id: str = Field(primary_key=True)
    tz: str | None = None
    locale: str | None = None
    dm_channel: str | None = None  # cached so fan-out does not call conversations.open again
    reminders_enabled: bool = True
    preferred_language: str | None = None
    fetched_at: datetime | None = _when(nullable=True)


class Delivery(SQLModel, table=True):
    """The outbox: every message the bot sends on its own is a row before it is a message."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state_due", "state", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # idempotency key, e.g. reminder:coaching:KEY:U123:24h
    kind: str
    recipient: str  # Slack user or channel ID
    due_at: datetime = _when()
    state: str = DeliveryState.PENDING.value
    attempts: int = 0
    next_attempt_at: datetime = _when()
    lease_until: datetime | None = _when(nullable=True)
    leased_by: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempt_started_at: datetime | None = _when(nullable=True)  # set just before each call
    channel: str | None = None
    ts: str | None = None
    sent_at: datetime | None = _when(nullable=True)
    last_error: str | None = None
    created_at: datetime = _created()
    updated_at: datetime = _created()


class RateLimitGate(SQLModel, table=True):
    """A 429's Retry-After, shared by every process: no call to `method` before `not_before`."""

    __tablename__ = "rate_limit_gates"

    method: str = Field(primary_key=True)
    not_before: datetime = _when()


class SearchMiss(SQLModel, table=True):
    """A lookup that found nothing: coordinators see what people looked for."""

    __tablename__ = "search_misses"

    id: int | None = Field(default=None, primary_key=True)
    words: str
    normalized: str = Field(index=True)
    user_id: str | None = None
    at: datetime = _created()


class SuggestionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ResourceSuggestion(SQLModel, table=True):
    """A member's suggested resource, waiting for a coordinator to approve, edit or reject it."""

    __tablename__ = "resource_suggestions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str  # who suggested it
    title: str
    url: str | None = None
    kind: str  # ResourceKind
    summary: str = ""
    topics: list[str] = _list()
    state: str = Field(default=SuggestionState.PENDING.value, index=True)
    suggested_at: datetime = _created()
    decided_by: str | None = None
    decided_at: datetime | None = _when(nullable=True)
    reason: str = ""  # why it was rejected, if the coordinator said
    resource_id: int | None = Field(default=None, foreign_key="resources.id")


class ResourceChange(SQLModel, table=True):
    """Who changed the repository, when and how: one row per add, edit, retirement or decision."""

    __tablename__ = "resource_changes"

    id: int | None = Field(default=None, primary_key=True)
    resource_id: int | None = Field(default=None, foreign_key="resources.id", index=True)
    suggestion_id: int | None = Field(default=None, foreign_key="resource_suggestions.id")
    action: str  # created | edited | retired | approved | rejected
    user_id: str
    at: datetime = _created()
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Synonym(SQLModel, table=True):
    """A term and what it also means, searched both ways: LEP <-> language access.

    Coordinators extend the vocabulary through `dei-bot import` (the data file's `synonyms`).
    """

    __tablename__ = "synonyms"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)  # the term folded: one record per term
    term: str
    means: list[str] = _list()


class PeerVolunteer(SQLModel, table=True):
    """A member who offered to be a contact for a practice ("ask me about language access")."""

    __tablename__ = "peer_volunteers"
    __table_args__ = (
        UniqueConstraint("user_id", "practice_key", name="uq_peer_volunteers_user_practice"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str
    practice: str  # as the member wrote it
    practice_key: str  # folded, so "Language access" and "language  access" are one offer
    community_id: int | None = Field(default=None, foreign_key="communities.id")
    created_at: datetime = _created()


class SearchStamp(SQLModel, table=True):
    """One row whose stamp changes (by trigger) with every write to what lookups search.

    Lookups keep the words they correct typos against in memory, keyed on this stamp.
    """

    __tablename__ = "search_stamps"

    id: int = Field(default=1, primary_key=True)
    stamp: str
