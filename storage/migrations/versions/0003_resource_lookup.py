"""resource lookup: full-text index, synonyms, peer volunteers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00

The full-text index lives beside the models, not in them: an FTS5 table on SQLite, a tsvector
table with a GIN index on PostgreSQL, each kept in step by triggers so that every writer (import,
edit, retirement, delete) updates it without knowing it exists. The schema comparison leaves these
objects out on purpose (storage.search.index.belongs_to_models). The DDL is written out here, not
imported from the search package, so that this revision builds the same schema forever.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCENTED = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜ"
    "ĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽ"
    "žſƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮ"
    "ȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊ"
    "ṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẛ"
    "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữ"
    "ỰựỲỳỴỵỶỷỸỹ"
)
UNACCENTED = (
    "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeG"
    "gGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZ"
    "zsOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoO"
    "oOoYyAaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnN"
    "nOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwys"
    "AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUu"
    "UuYyYyYyYy"
)

# A database that already holds data gets its first stamp; an empty one waits for its first write.
STAMP_IF_DATA = "INSERT INTO search_stamps (id, stamp) SELECT 1,"
HOLDS_DATA = (
    "WHERE EXISTS (SELECT 1 FROM resources) OR EXISTS (SELECT 1 FROM communities) "
    "OR EXISTS (SELECT 1 FROM topics)"
)

# SQLite ------------------------------------------------------------------------------------------

SQLITE_TOUCH = (
    "INSERT OR REPLACE INTO search_stamps (id, stamp) VALUES (1, lower(hex(randomblob(16))));"
)

SQLITE_RESOURCE_ROWS = """
    INSERT INTO resource_search (rowid, title, topics, summary, community)
    SELECT r.id, r.title,
           coalesce((SELECT group_concat(t.value, ' ; ') FROM json_each(r.topics) AS t), ''),
           r.summary, coalesce(c.name, '')
    FROM resources AS r LEFT JOIN communities AS c ON c.id = r.community_id
    WHERE r.retired_at IS NULL AND {where};
"""

SQLITE_COMMUNITY_PRACTICES = """
    INSERT INTO practice_search (practice, kind, owner_id)
    SELECT t.value, 'community', c.id FROM communities AS c, json_each(c.practices) AS t
    WHERE {where};
"""

SQLITE_VOLUNTEER_PRACTICES = """
    INSERT INTO practice_search (practice, kind, owner_id)
    SELECT v.practice, 'volunteer', v.id FROM peer_volunteers AS v WHERE {where};
"""


def _sqlite_statements() -> list[str]:
    tokenizer = "tokenize = 'porter unicode61 remove_diacritics 2'"
    statements = [
        f"CREATE VIRTUAL TABLE resource_search USING fts5(title, topics, summary, community, "
        f"{tokenizer})",
        f"CREATE VIRTUAL TABLE practice_search USING fts5(practice, kind UNINDEXED, "
        f"owner_id UNINDEXED, {tokenizer})",
        f"""CREATE TRIGGER resources_search_insert AFTER INSERT ON resources BEGIN
            {SQLITE_RESOURCE_ROWS.format(where="r.id = NEW.id")}
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER resources_search_update
            AFTER UPDATE OF title, topics, summary, community_id, retired_at ON resources BEGIN
            DELETE FROM resource_search WHERE rowid = OLD.id;
            {SQLITE_RESOURCE_ROWS.format(where="r.id = NEW.id")}
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER resources_search_delete AFTER DELETE ON resources BEGIN
            DELETE FROM resource_search WHERE rowid = OLD.id;
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER communities_search_insert AFTER INSERT ON communities BEGIN
            {SQLITE_COMMUNITY_PRACTICES.format(where="c.id = NEW.id")}
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER communities_search_update
            AFTER UPDATE OF name, practices ON communities BEGIN
            DELETE FROM practice_search WHERE kind = 'community' AND owner_id = OLD.id;
            {SQLITE_COMMUNITY_PRACTICES.format(where="c.id = NEW.id")}
            DELETE FROM resource_search
                WHERE rowid IN (SELECT id FROM resources WHERE community_id = NEW.id);
            {SQLITE_RESOURCE_ROWS.format(where="r.community_id = NEW.id")}
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER communities_search_delete AFTER DELETE ON communities BEGIN
            DELETE FROM practice_search WHERE kind = 'community' AND owner_id = OLD.id;
            {SQLITE_TOUCH}
        END""",
        f"""CREATE TRIGGER peer_volunteers_search_insert AFTER INSERT ON peer_volunteers BEGIN
            {SQLITE_VOLUNTEER_PRACTICES.format(where="v.id = NEW.id")}
        END""",
        f"""CREATE TRIGGER peer_volunteers_search_update
            AFTER UPDATE OF practice ON peer_volunteers BEGIN
            DELETE FROM practice_search WHERE kind = 'volunteer' AND owner_id = OLD.id;
            {SQLITE_VOLUNTEER_PRACTICES.format(where="v.id = NEW.id")}
        END""",
        """CREATE TRIGGER peer_volunteers_search_delete AFTER DELETE ON peer_volunteers BEGIN
            DELETE FROM practice_search WHERE kind = 'volunteer' AND owner_id = OLD.id;
        END""",
    ]
    for table in ("topics", "synonyms"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {SQLITE_TOUCH} END"
            )
    statements += [
        SQLITE_RESOURCE_ROWS.format(where="1 = 1"),
        SQLITE_COMMUNITY_PRACTICES.format(where="1 = 1"),
        f"{STAMP_IF_DATA} lower(hex(randomblob(16))) {HOLDS_DATA}",
    ]
    return statements


SQLITE_DROPS = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_{event}"
        for table in ("resources", "communities", "peer_volunteers", "topics", "synonyms")
        for event in ("insert", "update", "delete")
    ),
    "DROP TABLE IF EXISTS practice_search",
    "DROP TABLE IF EXISTS resource_search",
]

# PostgreSQL --------------------------------------------------------------------------------------

# Statement-level triggers with transition tables: an import of many rows indexes them in one
# statement instead of one function call per row.
POSTGRESQL_STATEMENTS = [
    # Diacritics folded as SQLite's remove_diacritics does, without the unaccent extension
    # (not installed everywhere, and not IMMUTABLE).
    f"""CREATE FUNCTION search_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT translate(value, '{ACCENTED}', '{UNACCENTED}') $$""",
    """CREATE FUNCTION search_words(value text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT to_tsvector('english'::regconfig, search_fold(coalesce(value, ''))) $$""",
    """CREATE FUNCTION resource_search_document(title text, topics json, summary text,
                                                community text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT setweight(search_words(title), 'A')
                  || setweight(search_words(
                         (SELECT string_agg(t, ' ; ') FROM json_array_elements_text(topics) AS t)
                     ), 'B')
                  || setweight(search_words(summary), 'C')
                  || setweight(search_words(community), 'D') $$""",
    # Beside the document, what ranking reads, so a lookup never joins the resources table.
    """CREATE TABLE resource_search (
        resource_id integer PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
        key text NOT NULL,
        topics json NOT NULL,
        freshest timestamptz NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX ix_resource_search_document ON resource_search USING gin (document)",
    """CREATE TABLE practice_search (
        id serial PRIMARY KEY,
        kind text NOT NULL,
        owner_id integer NOT NULL,
        practice text NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX ix_practice_search_document ON practice_search USING gin (document)",
    "CREATE INDEX ix_practice_search_owner ON practice_search (kind, owner_id)",
    """CREATE FUNCTION search_touch() RETURNS void LANGUAGE sql AS $$
        INSERT INTO search_stamps (id, stamp)
        VALUES (1, md5(random()::text || clock_timestamp()::text))
        ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp $$""",
    """CREATE FUNCTION search_touched() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM search_touch(); RETURN NULL; END $$""",
    # After a TRUNCATE no stamp at all: nothing is cached until the next write stamps again,
    # and a database emptied that way holds no rows, not even a stamp.
    """CREATE FUNCTION search_forget() RETURNS void LANGUAGE sql AS $$
        DELETE FROM search_stamps $$""",
    """CREATE FUNCTION search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM search_forget(); RETURN NULL; END $$""",
    """CREATE FUNCTION resources_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM resource_search AS s USING changed AS c WHERE s.resource_id = c.id;
            INSERT INTO resource_search (resource_id, key, topics, freshest, document)
            SELECT c.id, c.key, c.topics, greatest(c.added_at, c.confirmed_at),
                   resource_search_document(c.title, c.topics, c.summary, m.name)
            FROM changed AS c LEFT JOIN communities AS m ON m.id = c.community_id
            WHERE c.retired_at IS NULL;
            PERFORM search_touch();
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION communities_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM practice_search AS p USING changed AS c
                WHERE p.kind = 'community' AND p.owner_id = c.id;
            INSERT INTO practice_search (kind, owner_id, practice, document)
            SELECT 'community', c.id, t, search_words(t)
            FROM changed AS c, json_array_elements_text(c.practices) AS t;
            UPDATE resource_search AS s
                SET document = resource_search_document(r.title, r.topics, r.summary, c.name)
                FROM resources AS r JOIN changed AS c ON c.id = r.community_id
                WHERE s.resource_id = r.id;
            PERFORM search_touch();
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION communities_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM practice_search AS p USING gone AS g
                WHERE p.kind = 'community' AND p.owner_id = g.id;
            PERFORM search_touch();
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION peer_volunteers_search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM practice_search AS p USING changed AS c
                WHERE p.kind = 'volunteer' AND p.owner_id = c.id;
            INSERT INTO practice_search (kind, owner_id, practice, document)
            SELECT 'volunteer', c.id, c.practice, search_words(c.practice) FROM changed AS c;
            RETURN NULL;
        END $$""",
    """CREATE FUNCTION peer_volunteers_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM practice_search AS p USING gone AS g
                WHERE p.kind = 'volunteer' AND p.owner_id = g.id;
            RETURN NULL;
        END $$""",
    *(
        f"""CREATE TRIGGER {table}_search_{event.lower()} AFTER {event} ON {table}
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
            EXECUTE FUNCTION {table}_search_changed()"""
        for table in ("resources", "communities", "peer_volunteers")
        for event in ("INSERT", "UPDATE")
    ),
    """CREATE TRIGGER resources_search_delete AFTER DELETE ON resources
        FOR EACH STATEMENT EXECUTE FUNCTION search_touched()""",
    """CREATE TRIGGER resources_search_truncate AFTER TRUNCATE ON resources
        FOR EACH STATEMENT EXECUTE FUNCTION search_truncated()""",
    *(
        f"""CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
            EXECUTE FUNCTION {table}_search_deleted()"""
        for table in ("communities", "peer_volunteers")
    ),
    # TRUNCATE fires no DELETE triggers, and practice rows name their owner without a foreign key.
    """CREATE FUNCTION practice_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM practice_search WHERE kind = TG_ARGV[0];
            PERFORM search_forget();
            RETURN NULL;
        END $$""",
    *(
        f"""CREATE TRIGGER {table}_search_truncate AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION practice_search_truncated('{kind}')"""
        for table, kind in (("communities", "community"), ("peer_volunteers", "volunteer"))
    ),
    *(
        f"""CREATE TRIGGER {table}_search_change AFTER INSERT OR UPDATE OR DELETE
            ON {table} FOR EACH STATEMENT EXECUTE FUNCTION search_touched()"""
        for table in ("topics", "synonyms")
    ),
    *(
        f"""CREATE TRIGGER {table}_search_truncate AFTER TRUNCATE
            ON {table} FOR EACH STATEMENT EXECUTE FUNCTION search_truncated()"""
        for table in ("topics", "synonyms")
    ),
    # What an existing database already holds.
    """INSERT INTO resource_search (resource_id, key, topics, freshest, document)
        SELECT r.id, r.key, r.topics, greatest(r.added_at, r.confirmed_at),
               resource_search_document(r.title, r.topics, r.summary, m.name)
        FROM resources AS r LEFT JOIN communities AS m ON m.id = r.community_id
        WHERE r.retired_at IS NULL""",
    """INSERT INTO practice_search (kind, owner_id, practice, document)
        SELECT 'community', c.id, t, search_words(t)
        FROM communities AS c, json_array_elements_text(c.practices) AS t""",
    f"{STAMP_IF_DATA} md5(random()::text) {HOLDS_DATA}",
]

POSTGRESQL_DROPS = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_{event} ON {table}"
        for table in ("resources", "communities", "peer_volunteers")
        for event in ("insert", "update", "delete", "truncate")
    ),
    *(
        f"DROP TRIGGER IF EXISTS {table}_search_{event} ON {table}"
        for table in ("topics", "synonyms")
        for event in ("change", "truncate")
    ),
    "DROP TABLE IF EXISTS practice_search",
    "DROP TABLE IF EXISTS resource_search",
    *(
        f"DROP FUNCTION IF EXISTS {name}"
        for name in (
            "practice_search_truncated()",
            "peer_volunteers_search_deleted()",
            "peer_volunteers_search_changed()",
            "communities_search_deleted()",
            "communities_search_changed()",
            "resources_search_changed()",
            "search_truncated()",
            "search_forget()",
            "search_touched()",
            "search_touch()",
            "resource_search_document(text, json, text, text)",
            "search_words(text)",
            "search_fold(text)",
        )
    ),
]


def upgrade() -> None:
    op.add_column("resources", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("means", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_synonyms_key"), "synonyms", ["key"], unique=True)
    op.create_table(
        "peer_volunteers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("practice", sa.String(), nullable=False),
        sa.Column("practice_key", sa.String(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["communities.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "practice_key", name="uq_peer_volunteers_user_practice"),
    )
    op.create_table(
        "search_stamps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    statements = (
        POSTGRESQL_STATEMENTS
        if op.get_bind().dialect.name == "postgresql"
        else _sqlite_statements()
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    drops = POSTGRESQL_DROPS if op.get_bind().dialect.name == "postgresql" else SQLITE_DROPS
    for statement in drops:
        op.execute(statement)
    op.drop_table("search_stamps")
    op.drop_table("peer_volunteers")
    op.drop_index(op.f("ix_synonyms_key"), table_name="synonyms")
    op.drop_table("synonyms")
    with op.batch_alter_table("resources") as batch_op:
        batch_op.drop_column("confirmed_at")
