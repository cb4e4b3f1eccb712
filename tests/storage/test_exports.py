"""Exports: the data file imports back unchanged; the tables say what coordinators need."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from storage import datafile, exports, imports, models
from storage.database import Database
from storage.models import Delivery, Meeting, Resource, Rsvp, SearchMiss

DATA = Path(__file__).with_name("data")
WORKING_GROUP = DATA / "working_group.yaml"
CHECK_IN = datetime(2027, 1, 12, 15, 55, tzinfo=UTC)


def export(db: Database, what: str, fmt: str = "yaml", meeting_key: str | None = None) -> str:
    with db.transaction() as session:
        return exports.export(session, what, fmt, meeting_key)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def empty_every_table(db: Database) -> None:
    with db.transaction(write=True) as session:
        for table in reversed(models.SQLModel.metadata.sorted_tables):
            session.execute(table.delete())


def add_rsvps(db: Database) -> None:
    with db.transaction(write=True) as session:
        meetings = {m.key: m.id for m in session.exec(select(Meeting))}
        january, february = meetings["wg-2027-01"], meetings["wg-2027-02-09"]
        at = datetime(2027, 1, 5, 9, 30, tzinfo=UTC)
        session.add_all(
            [
                Rsvp(meeting_id=january, user_id="U0BBBBBBB", state="going-in-person",
                     updated_at=at, checked_in_at=CHECK_IN),
                Rsvp(meeting_id=january, user_id="U0AAAAAAA", state="going-online", updated_at=at),
                Rsvp(meeting_id=january, user_id="U0ZZZZZZZ", state="maybe", updated_at=at),
                Rsvp(meeting_id=february, user_id="U0DDDDDDD", state="not-going", updated_at=at),
            ]
        )  # fmt: skip


def test_the_yaml_export_imports_back_to_the_same_data(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, WORKING_GROUP)
    first = export(db, "all")
    empty_every_table(db)
    exported = tmp_path / "export.yaml"
    exported.write_text(first, encoding="utf-8")

    report = imports.import_file(db, exported)
    second = export(db, "all")

    assert second == first
    assert sum(counts.created for counts in report.sections.values()) == 16  # 2 are synonyms
    original = datafile.load(WORKING_GROUP)
    again = datafile.parse(first, "export.yaml")
    for section in exports.DATA_SECTIONS:
        by_key = sorted(getattr(original, section), key=lambda record: record.key)
        assert sorted(getattr(again, section), key=lambda record: record.key) == by_key


def test_times_are_written_in_utc_with_their_offset(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)

    text = export(db, "meetings")

    assert "starts_at: 2027-01-12T16:00:00+00:00\n" in text
    assert list(yaml.safe_load(text)) == ["meetings"]


def test_a_section_exports_alone_and_imports_against_the_database(
    db: Database, tmp_path: Path
) -> None:
    imports.import_file(db, WORKING_GROUP)
    path = tmp_path / "resources.yaml"
    path.write_text(export(db, "resources"), encoding="utf-8")

    report = imports.import_file(db, path)

    assert report.sections["resources"] == imports.SectionCounts(unchanged=2)


def test_retired_resources_and_cancelled_meetings_stay_out_of_the_data_file(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)
    with db.transaction(write=True) as session:
        toolkit = session.exec(select(Resource).where(Resource.key == "gare-toolkit")).one()
        toolkit.retired_at = datetime(2027, 1, 1, tzinfo=UTC)
        meeting = session.exec(select(Meeting).where(Meeting.key == "wg-2027-01")).one()
        meeting.cancelled_at = datetime(2027, 1, 2, tzinfo=UTC)

    data = datafile.parse(export(db, "all"), "export.yaml")

    assert [resource.key for resource in data.resources] == ["shared-values-worksheet"]
    assert [meeting.key for meeting in data.meetings] == ["wg-2027-02-09"]
    assert "gare-toolkit" in export(db, "resources", "csv")  # the table still shows it


def test_rsvps_csv(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)
    add_rsvps(db)

    rows = csv_rows(export(db, "rsvps", "csv"))

    assert rows == [
        ["meeting", "user", "state", "updated_at"],
        ["wg-2027-01", "U0AAAAAAA", "going-online", "2027-01-05T09:30:00+00:00"],
        ["wg-2027-01", "U0BBBBBBB", "going-in-person", "2027-01-05T09:30:00+00:00"],
        ["wg-2027-01", "U0ZZZZZZZ", "maybe", "2027-01-05T09:30:00+00:00"],
        ["wg-2027-02-09", "U0DDDDDDD", "not-going", "2027-01-05T09:30:00+00:00"],
    ]


def test_attendance_csv_for_one_meeting_names_communities(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)
    add_rsvps(db)

    rows = csv_rows(export(db, "attendance", "csv", meeting_key="wg-2027-01"))

    assert rows == [
        ["meeting", "user", "community", "state", "checked_in_at"],
        ["wg-2027-01", "U0AAAAAAA", "Flossmoor", "going-online", ""],  # a Flossmoor contact
        ["wg-2027-01", "U0BBBBBBB", "Flossmoor", "going-in-person", CHECK_IN.isoformat()],
        ["wg-2027-01", "U0ZZZZZZZ", "", "maybe", ""],
    ]


def test_rsvps_as_yaml_rows(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)
    add_rsvps(db)

    rows = yaml.safe_load(export(db, "rsvps", meeting_key="wg-2027-02-09"))

    assert rows == {
        "rsvps": [
            {
                "meeting": "wg-2027-02-09",
                "user": "U0DDDDDDD",
                "state": "not-going",
                "updated_at": "2027-01-05T09:30:00+00:00",
            }
        ]
    }


def test_topics_csv_marks_the_tbd_month(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)

    rows = csv_rows(export(db, "topics", "csv"))

    assert rows[0] == ["key", "month", "title", "summary", "keywords", "tbd"]
    assert rows[1] == [
        "2027-01",
        "2027-01",
        "Hiring & Recruitment",
        "Reviewing hiring and recruitment practices for equity.",
        "hiring; recruitment; human resources; HR",
        "false",
    ]
    assert rows[4] == ["2027-04", "2027-04", "TBD", "", "", "true"]


def test_resources_csv(db: Database) -> None:
    imports.import_file(db, WORKING_GROUP)

    rows = csv_rows(export(db, "resources", "csv"))

    assert rows[0] == [
        "key", "title", "url", "kind", "summary", "topics", "community", "added_at", "retired_at",
    ]  # fmt: skip
    assert rows[1][:7] == [
        "gare-toolkit",
        "Racial Equity Toolkit",
        "https://example.org/toolkit",
        "toolkit",
        "A step-by-step guide to applying an equity lens to decisions.",
        "policy audits for equity; hiring",
        "flossmoor",
    ]
    assert rows[2][2] == ""  # no known address: none invented
    assert rows[1][8] == ""


def test_misses_are_grouped_most_frequent_first(db: Database) -> None:
    with db.transaction(write=True) as session:
        for words, normalized, day in [
            ("language acess", "language acess", 3),
            ("Language  access ", "language acess", 5),
            ("=HYPERLINK(1)", "=hyperlink(1)", 4),
        ]:
            at = datetime(2027, 1, day, 12, tzinfo=UTC)
            session.add(SearchMiss(words=words, normalized=normalized, user_id="U0AAAAAAA", at=at))

    rows = csv_rows(export(db, "misses", "csv"))

    assert rows == [
        ["words", "normalized", "count", "last_seen"],
        ["Language  access ", "language acess", "2", "2027-01-05T12:00:00+00:00"],
        # a spreadsheet would run this as a formula: written as text
        ["'=HYPERLINK(1)", "'=hyperlink(1)", "1", "2027-01-04T12:00:00+00:00"],
    ]


def test_deliveries_csv(db: Database) -> None:
    due = datetime(2027, 1, 11, 16, tzinfo=UTC)
    with db.transaction(write=True) as session:
        session.add(
            Delivery(
                key="reminder:meeting:wg-2027-01:U0BBBBBBB:24h",
                kind="reminder",
                recipient="U0BBBBBBB",
                due_at=due,
                next_attempt_at=due,
                state="sent",
                attempts=1,
                channel="D0BBBBBBB",
                ts="1799683200.000100",
            )
        )

    rows = csv_rows(export(db, "deliveries", "csv"))

    assert rows == [
        ["key", "kind", "recipient", "state", "attempts", "due_at", "last_error", "channel", "ts"],
        [
            "reminder:meeting:wg-2027-01:U0BBBBBBB:24h",
            "reminder",
            "U0BBBBBBB",
            "sent",
            "1",
            "2027-01-11T16:00:00+00:00",
            "",
            "D0BBBBBBB",
            "1799683200.000100",
        ],
    ]


def test_an_empty_database_exports_an_importable_file(db: Database) -> None:
    text = export(db, "all")

    assert datafile.parse(text, "export.yaml") == datafile.DataFile()


@pytest.mark.parametrize(
    ("what", "fmt", "meeting_key", "message"),
    [
        ("people", "yaml", None, "cannot export 'people'; choose one of: all, topics, communities"),
        ("all", "csv", None, "'all' exports as yaml, not 'csv'"),
        ("meetings", "csv", None, "'meetings' exports as yaml, not 'csv'"),
        ("rsvps", "json", None, "'rsvps' exports as yaml or csv, not 'json'"),
        ("topics", "csv", "wg-2027-01", "a meeting key narrows only rsvps and attendance"),
        ("attendance", "csv", "wg-2031-01", "no meeting with key 'wg-2031-01'"),
    ],
)
def test_what_cannot_be_exported_is_named(
    db: Database, what: str, fmt: str, meeting_key: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        export(db, what, fmt, meeting_key)
