"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 01:53:00.526806
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohorts_key"), ["key"], unique=True)

    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("county", sa.String(), nullable=False),
        sa.Column("practices", sa.JSON(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communities_key"), ["key"], unique=True)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("ts", sa.String(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_state_due", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "members",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("tz", sa.String(), nullable=True),
        sa.Column("locale", sa.String(), nullable=True),
        sa.Column("dm_channel", sa.String(), nullable=True),
        sa.Column("reminders_enabled", sa.Boolean(), nullable=False),
        sa.Column("preferred_language", sa.String(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "search_misses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("words", sa.String(), nullable=False),
        sa.Column("normalized", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("search_misses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_misses_normalized"), ["normalized"], unique=False
        )

    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("tbd", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_topics_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_topics_month"), ["month"], unique=True)

    op.create_table(
        "coaching_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("coach", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("join_url", sa.String(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_sessions_cohort_id"), ["cohort_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coaching_sessions_key"), ["key"], unique=True)
        batch_op.create_index(
            batch_op.f("ix_coaching_sessions_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "cohort_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohorts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cohort_id", "user_id", name="uq_participants_cohort_user"),
    )
    with op.batch_alter_table("cohort_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_participants_cohort_id"), ["cohort_id"], unique=False
        )

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("join_url", sa.String(), nullable=True),
        sa.Column("capacity_in_person", sa.Integer(), nullable=True),
        sa.Column("capacity_online", sa.Integer(), nullable=True),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("announcement_channel", sa.String(), nullable=True),
        sa.Column("announcement_ts", sa.String(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_meetings_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resources_community_id"), ["community_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resources_key"), ["key"], unique=True)

    op.create_table(
        "coaching_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "user_id", name="uq_coaching_attendees_session_user"),
    )
    with op.batch_alter_table("coaching_attendees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_attendees_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "rsvps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_rsvps_meeting_user"),
    )
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rsvps_meeting_id"), ["meeting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rsvps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rsvps_meeting_id"))

    op.drop_table("rsvps")
    with op.batch_alter_table("coaching_attendees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_attendees_session_id"))

    op.drop_table("coaching_attendees")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_key"))
        batch_op.drop_index(batch_op.f("ix_resources_community_id"))

    op.drop_table("resources")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_topic_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_starts_at"))
        batch_op.drop_index(batch_op.f("ix_meetings_key"))

    op.drop_table("meetings")
    with op.batch_alter_table("cohort_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_participants_cohort_id"))

    op.drop_table("cohort_participants")
    with op.batch_alter_table("coaching_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_starts_at"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_key"))
        batch_op.drop_index(batch_op.f("ix_coaching_sessions_cohort_id"))

    op.drop_table("coaching_sessions")
    with op.batch_alter_table("topics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_topics_month"))
        batch_op.drop_index(batch_op.f("ix_topics_key"))

    op.drop_table("topics")
    with op.batch_alter_table("search_misses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_misses_normalized"))

    op.drop_table("search_misses")
    op.drop_table("members")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_state_due")

    op.drop_table("deliveries")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communities_key"))

    op.drop_table("communities")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohorts_key"))

    op.drop_table("cohorts")
