"""rsvps: the newest click applied, apart from when the state last changed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rsvps") as batch:
        batch.add_column(sa.Column("clicked_at", sa.DateTime(timezone=True), nullable=True))
    # Until now the state's time was also the last click's.
    op.execute("UPDATE rsvps SET clicked_at = updated_at")


def downgrade() -> None:
    with op.batch_alter_table("rsvps") as batch:
        batch.drop_column("clicked_at")
