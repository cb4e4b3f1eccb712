"""delivery ledger: attempts, rate-limit gates, coaching questions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:18:40.601447
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_gates",
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("method"),
    )
    op.create_table(
        "coaching_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coaching_sessions.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coaching_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coaching_questions_session_id"), ["session_id"], unique=False
        )

    with op.batch_alter_table("coaching_attendees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declined_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("sent_at")
        batch_op.drop_column("attempt_started_at")

    with op.batch_alter_table("coaching_attendees", schema=None) as batch_op:
        batch_op.drop_column("declined_at")

    with op.batch_alter_table("coaching_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coaching_questions_session_id"))

    op.drop_table("coaching_questions")
    op.drop_table("rate_limit_gates")
