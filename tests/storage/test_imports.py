"""Importing the data file into a real database: upsert by key, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy
from sqlmodel import col, select

from storage import datafile, imports, models
from storage.database import Database
from storage.datafile import DataFileError
from storage.models import (
    CoachingAttendee,
    CoachingSession,
    CohortParticipant,
    Community,
    Meeting,
    Resource,
    Topic,
)

DATA = Path(__file__).with_name("data")
WORKING_GROUP = DATA / "working_group.yaml"


def row_counts(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        return {
            table.name: session.execute(
                select(sqlalchemy.func.count()).select_from(table)
            ).scalar_one()
            for table in models.SQLModel.metadata.sorted_tables
        }


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_working_group_file_imports(db: Database) -> None:
    report = imports.import_file(db, WORKING_GROUP)

    assert {name: counts.created for name, counts in report.sections.items()} == {
        "topics": 4,
        "communities": 3,
        "resources": 2,
        "meetings": 2,
        "cohorts": 1,
        "coaching_sessions": 2,
        "synonyms": 2,
    }
    assert report.not_stored == {}
    with db.transaction() as session:
        flossmoor = session.exec(select(Community).where(Community.key == "flossmoor")).one()
        toolkit = session.exec(select(Resource).where(Resource.key == "gare-toolkit")).one()
        assert toolkit.community_id == flossmoor.id
        assert toolkit.kind == "toolkit"
        meeting = session.exec(select(Meeting).where(Meeting.key == "wg-2027-01")).one()
        topic = session.exec(select(Topic).where(Topic.key == "2027-01")).one()
        assert meeting.topic_id == topic.id
        assert (meeting.capacity_in_person, meeting.capacity_online) == (30, None)
        assert meeting.agenda == ["Welcome", "Peer updates", "Discussion"]
        participants = session.exec(
            select(CohortParticipant.user_id, CohortParticipant.community_id).order_by(
                col(CohortParticipant.user_id)
            )
        ).all()
        park_forest = session.exec(select(Community).where(Community.key == "park-forest")).one()
        assert [tuple(row) for row in participants] == [
            ("U0BBBBBBB", flossmoor.id),
            ("U0DDDDDDD", park_forest.id),
            ("U0EEEEEEE", None),
        ]
        tbd = session.exec(select(Topic).where(Topic.month == "2027-04")).one()
        assert (tbd.tbd, tbd.title) == (True, "TBD")


def test_importing_the_same_file_twice_changes_nothing(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)
    counts_after_first = row_counts(db)

    second = imports.import_file(db, WORKING_GROUP)

    assert not second.changed
    assert all(c.created == c.updated == 0 for c in second.sections.values())
    assert sum(c.unchanged for c in second.sections.values()) == 16
    assert row_counts(db) == counts_after_first
    assert "nothing changed" in str(second)


def test_times_are_stored_in_utc(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)

    with db.transaction() as session:
        meeting = session.exec(select(Meeting).where(Meeting.key == "wg-2027-01")).one()
        coaching = session.exec(
            select(CoachingSession).where(CoachingSession.key == "lore-2027-c1-g1")
        ).one()

    # 2027-01-12T10:00:00-06:00 in the file
    assert meeting.starts_at == datetime(2027, 1, 12, 16, 0, tzinfo=UTC)
    assert (meeting.starts_at.hour, meeting.starts_at.tzinfo) == (16, UTC)  # not just equal
    assert coaching.starts_at == datetime(2027, 1, 28, 20, 0, tzinfo=UTC)
    # And in the column itself, not only once the model has converted it back.
    in_utc = "starts_at" if db.is_sqlite else "starts_at AT TIME ZONE 'UTC'"
    with db.engine.connect() as connection:
        raw = connection.execute(
            sqlalchemy.text(f"SELECT {in_utc} FROM meetings WHERE key = 'wg-2027-01'")
        ).scalar_one()
    assert str(raw).startswith("2027-01-12 16:00:00")


def test_a_changed_record_is_updated_and_the_rest_left_alone(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, WORKING_GROUP)
    text = WORKING_GROUP.read_text(encoding="utf-8")
    text = text.replace("title: Data Analytics", "title: Data Analytics for Equity")
    text = text.replace("- {user: U0EEEEEEE}\n", "- {user: U0FFFFFFF, community: naperville}\n")
    text = text.replace("participants: [U0EEEEEEE]", "participants: [U0FFFFFFF]")

    report = imports.import_file(db, write(tmp_path, text))

    assert report.sections["topics"] == imports.SectionCounts(updated=1, unchanged=3)
    assert report.sections["cohorts"] == imports.SectionCounts(updated=1)
    assert report.sections["coaching_sessions"] == imports.SectionCounts(updated=1, unchanged=1)
    assert report.sections["meetings"] == imports.SectionCounts(unchanged=2)
    with db.transaction() as session:
        users = session.exec(select(CohortParticipant.user_id)).all()
        attendees = session.exec(select(CoachingAttendee.user_id)).all()
    assert sorted(users) == ["U0BBBBBBB", "U0DDDDDDD", "U0FFFFFFF"]
    assert sorted(attendees) == ["U0BBBBBBB", "U0DDDDDDD", "U0FFFFFFF"]


def test_import_leaves_the_bots_own_fields_alone(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, WORKING_GROUP)
    with db.transaction(write=True) as session:
        meeting = session.exec(select(Meeting).where(Meeting.key == "wg-2027-01")).one()
        meeting.announcement_channel, meeting.announcement_ts = "C0WORKGRP", "1700000000.000100"
    text = WORKING_GROUP.read_text(encoding="utf-8").replace(
        "    location: NIU Naperville\n", "", 1
    )

    report = imports.import_file(db, write(tmp_path, text))

    assert report.sections["meetings"] == imports.SectionCounts(updated=1, unchanged=1)
    with db.transaction() as session:
        meeting = session.exec(select(Meeting).where(Meeting.key == "wg-2027-01")).one()
    assert (meeting.location, meeting.announcement_ts) == ("", "1700000000.000100")


def test_a_reference_may_name_a_record_already_stored(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, WORKING_GROUP)
    text = (
        "meetings:\n"
        "  - key: wg-2027-03\n"
        "    topic: 2027-03\n"
        "    starts_at: 2027-03-09T10:00:00-06:00\n"
        "    format: in-person\n"
        "    location: NIU Naperville\n"
    )

    report = imports.import_file(db, write(tmp_path, text))

    assert report.sections["meetings"] == imports.SectionCounts(created=1)


def test_a_broken_file_names_every_problem_and_writes_nothing(db: Database) -> None:
    broken = DATA / "broken.yaml"

    with pytest.raises(DataFileError) as raised:
        imports.import_file(db, broken)

    lines = [str(problem) for problem in raised.value.problems]
    assert [(p.line, p.field) for p in raised.value.problems] == [
        (3, "topics[0].title"),
        (5, "topics[0].titel"),
        (7, "topics[1].month"),
        (8, "topics[1].title"),
        (9, "topics[2].key"),
        (13, "communities[0].name"),
        (15, "communities[0].contacts[0]"),
        (19, "resources[0].url"),
        (20, "resources[0].kind"),
        (21, "resources[0].community"),
        (24, "meetings[0].topic"),
        (25, "meetings[0].starts_at"),
        (26, "meetings[0].duration_minutes"),
        (27, "meetings[0].format"),
        (28, "meetings[0].join_url"),
        (29, "meetings[0].capacity.in_person"),
        (33, "meetings[1].duration_minutes"),
        (36, "meetings[2].duration_minutes"),
        (41, "cohorts[0].participants[0].community"),
        (44, "coaching_sessions[0].cohort"),
        (45, "coaching_sessions[0].coach"),
        (46, "coaching_sessions[0].starts_at"),
        (47, "meetngs"),
    ]
    assert f"{broken}:5: topics[0].titel: unknown field; did you mean 'title'?" in lines
    assert f"{broken}:8: topics[1].title: must be text, not a list" in lines
    assert f"{broken}:9: topics[2].key: duplicate key '2027-01' (also at line 3)" in lines
    assert (
        f"{broken}:21: resources[0].community: no community 'flosmoor' in this file or the "
        "database; did you mean 'flossmoor'?"
    ) in lines
    assert (
        f"{broken}:26: meetings[0].duration_minutes: must be a whole number, not text 'sixty'"
        in lines
    )
    assert f"{broken}:29: meetings[0].capacity.in_person: must not be negative; got -5" in lines
    assert f"{broken}:47: meetngs: unknown section; did you mean 'meetings'?" in lines
    assert set(row_counts(db).values()) == {0}


def test_an_unresolved_reference_alone_writes_nothing(db: Database, tmp_path: Path) -> None:
    text = WORKING_GROUP.read_text(encoding="utf-8").replace("topic: 2027-02", "topic: 2026-12")
    path = write(tmp_path, text)

    with pytest.raises(DataFileError) as raised:
        imports.import_file(db, path)

    assert [str(problem) for problem in raised.value.problems] == [
        f"{path}:52: meetings[1].topic: no topic '2026-12' in this file or the database; "
        "did you mean '2027-02'?"
    ]
    assert set(row_counts(db).values()) == {0}


def test_apply_refuses_unresolved_references_before_writing(db: Database) -> None:
    text = (
        "cohorts:\n  - name: LORE 2027\n    participants:\n      - {user: U0B1, community: elgin}\n"
    )
    data = datafile.parse(text, "cohort.yaml")

    with pytest.raises(DataFileError) as raised, db.transaction(write=True) as session:
        imports.apply(session, data)

    assert [str(p) for p in raised.value.problems] == [
        "cohort.yaml:4: cohorts[0].participants[0].community: no community 'elgin' in this file "
        "or the database; add it to the file's communities or correct the key"
    ]
    assert set(row_counts(db).values()) == {0}


def test_apply_leaves_the_transaction_to_its_caller(db: Database) -> None:
    data = datafile.load(WORKING_GROUP)

    with pytest.raises(RuntimeError), db.transaction(write=True) as session:
        imports.apply(session, data)
        raise RuntimeError("the caller changed its mind")

    assert set(row_counts(db).values()) == {0}
