"""resource_search on PostgreSQL: the tags as text ready for the month's boost

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 12:00:00

Ranking raises the resources whose topic tags name this month's topic. Taking each candidate's
JSON tags apart for that (json_array_elements_text and a LIKE per tag) was a fifth of a
lookup's time at 10,000 resources; the index now keeps the tags as one lower-case text, each tag
framed by spaces and separated by a unit separator (a name of several words can never span two
tags), so the test is a few LIKEs on one short string. SQLite is unchanged: its index has no
side columns, and json_each there is cheap.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ' hiring & recruitment \x1f data ': what `storage.search.backends` LIKEs '% hiring %' against.
TAGS_OF = """coalesce((SELECT ' ' || string_agg(lower(t), ' ' || chr(31) || ' ') || ' '
                       FROM json_array_elements_text({topics}) AS t), '')"""


def _resources_changed(columns: str, values: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION resources_search_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM resource_search AS s USING changed AS c WHERE s.resource_id = c.id;
            INSERT INTO resource_search (resource_id, key, {columns}, freshest, document)
            SELECT c.id, c.key, {values}, greatest(c.added_at, c.confirmed_at),
                   resource_search_document(c.title, c.topics, c.summary, m.name)
            FROM changed AS c LEFT JOIN communities AS m ON m.id = c.community_id
            WHERE c.retired_at IS NULL;
            PERFORM search_touch();
            RETURN NULL;
        END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE resource_search ADD COLUMN tags text NOT NULL DEFAULT ''")
    op.execute(
        f"""UPDATE resource_search AS s SET tags = {TAGS_OF.format(topics="r.topics")}
            FROM resources AS r WHERE r.id = s.resource_id"""
    )
    op.execute("ALTER TABLE resource_search ALTER COLUMN tags DROP DEFAULT")
    op.execute(_resources_changed("tags", TAGS_OF.format(topics="c.topics")))
    op.execute("ALTER TABLE resource_search DROP COLUMN topics")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE resource_search ADD COLUMN topics json NOT NULL DEFAULT '[]'")
    op.execute(
        """UPDATE resource_search AS s SET topics = r.topics
           FROM resources AS r WHERE r.id = s.resource_id"""
    )
    op.execute("ALTER TABLE resource_search ALTER COLUMN topics DROP DEFAULT")
    op.execute(_resources_changed("topics", "c.topics"))
    op.execute("ALTER TABLE resource_search DROP COLUMN tags")
