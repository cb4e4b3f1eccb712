"""Reading the data file: records, derived keys, and every mistake named by file, line and field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from storage import datafile, exports
from storage.datafile import DataFileError, Problem

DATA = Path(__file__).with_name("data")
CHICAGO_WINTER = timezone(timedelta(hours=-6))


def problems_in(text: str) -> list[str]:
    _data, problems = datafile.parse_with_problems(text, "calendar.yaml")
    return [str(problem) for problem in problems]


def test_a_problem_reads_file_line_field_and_message() -> None:
    problem = Problem("calendar.yaml", 12, "meetings[2].starts_at", "has no UTC offset")

    assert str(problem) == "calendar.yaml:12: meetings[2].starts_at: has no UTC offset"


def test_the_working_group_file_reads_every_section() -> None:
    data = datafile.load(DATA / "working_group.yaml")

    assert [topic.title for topic in data.topics] == [
        "Hiring & Recruitment",
        "Data Analytics",
        "Equitable Purchasing / Procurement",
        "TBD",
    ]
    flossmoor = data.communities[0]
    assert (flossmoor.key, flossmoor.name, flossmoor.county) == ("flossmoor", "Flossmoor", "Cook")
    assert flossmoor.contacts == ("U0AAAAAAA",)
    assert data.resources[0].url == "https://example.org/toolkit"
    assert data.resources[1].url is None  # a resource without a known address has none
    meeting = data.meetings[0]
    assert meeting.starts_at == datetime(2027, 1, 12, 10, tzinfo=CHICAGO_WINTER)
    assert (meeting.capacity_in_person, meeting.capacity_online) == (30, None)
    assert meeting.agenda == ("Welcome", "Peer updates", "Discussion")
    cohort = data.cohorts[0]
    assert [(p.user, p.community) for p in cohort.participants] == [
        ("U0BBBBBBB", "flossmoor"),
        ("U0DDDDDDD", "park-forest"),
        ("U0EEEEEEE", None),
    ]
    assert data.coaching_sessions[0].participants == ("U0BBBBBBB", "U0DDDDDDD")
    assert [(s.term, s.means) for s in data.synonyms] == [
        ("LEP", ("language access", "limited English proficiency")),
        ("HR", ("human resources",)),
    ]


def test_each_record_knows_its_line_and_path() -> None:
    data = datafile.load(DATA / "working_group.yaml")

    assert (data.topics[0].source.line, data.topics[0].source.path) == (3, "topics[0]")
    assert data.meetings[0].source.line_of("starts_at") == 45
    assert data.cohorts[0].participants[1].source.path == "cohorts[0].participants[1]"


def test_keys_are_derived_when_a_record_has_none() -> None:
    data = datafile.load(DATA / "working_group.yaml")

    assert data.topics[1].key == "2027-02"
    assert data.communities[1].key == "park-forest"
    assert data.resources[1].key == "shared-values-worksheet"
    assert data.meetings[1].key == "wg-2027-02-09"
    assert data.coaching_sessions[1].key == "lore-2027-2027-02-25-1400"


def test_a_topic_marked_tbd_needs_no_title() -> None:
    data = datafile.parse("topics:\n  - month: 2027-09\n    tbd: true\n", "calendar.yaml")

    assert data.topics[0].tbd is True
    assert data.topics[0].title == "TBD"
    assert problems_in("topics:\n  - month: 2027-09\n") == [
        "calendar.yaml:2: topics[0].title: missing; this field is required"
    ]


def test_an_empty_file_holds_nothing() -> None:
    assert datafile.parse("# nothing yet\n", "calendar.yaml") == datafile.DataFile()


def test_parse_raises_with_every_problem() -> None:
    text = "topics:\n  - month: 2027-13\n    tbd: maybe\n"

    with pytest.raises(DataFileError) as raised:
        datafile.parse(text, "calendar.yaml")

    assert [str(problem) for problem in raised.value.problems] == [
        "calendar.yaml:2: topics[0].month: must be a month as YYYY-MM, e.g. 2027-01; got '2027-13'",
        "calendar.yaml:2: topics[0].title: missing; this field is required",
        "calendar.yaml:3: topics[0].tbd: must be true or false, not text 'maybe'",
    ]
    assert str(raised.value).splitlines() == [str(p) for p in raised.value.problems]


def test_a_yaml_syntax_error_names_its_line() -> None:
    text = "topics:\n  - key: 2027-01\n    month: 2027-01\n  title: Hiring\n"

    [problem] = problems_in(text)

    assert problem.startswith("calendar.yaml:4: yaml: not valid YAML: ")
    assert "indentation" in problem


def test_an_unclosed_list_is_a_syntax_error() -> None:
    [problem] = problems_in("topics:\n  - keywords: [hiring, HR\n")

    assert problem.startswith("calendar.yaml:3: yaml: not valid YAML")


def test_a_naive_start_asks_for_the_utc_offset() -> None:
    text = "meetings:\n  - starts_at: 2027-01-12T10:00:00\n"

    assert problems_in(text) == [
        "calendar.yaml:2: meetings[0].starts_at: has no UTC offset; "
        "add it, e.g. 2027-01-12T10:00:00-06:00"
    ]


def test_a_start_with_an_offset_keeps_it_and_z_means_utc() -> None:
    text = (
        "meetings:\n  - starts_at: 2027-01-12T10:00:00-06:00\n  - starts_at: 2027-01-13T16:00:00Z\n"
    )

    data = datafile.parse(text, "calendar.yaml")

    assert data.meetings[0].starts_at.utcoffset() == timedelta(hours=-6)
    assert data.meetings[0].starts_at == datetime(2027, 1, 12, 16, tzinfo=UTC)
    assert data.meetings[1].starts_at == datetime(2027, 1, 13, 16, tzinfo=UTC)


def test_a_start_that_is_not_a_time_is_named() -> None:
    assert problems_in("meetings:\n  - starts_at: next tuesday\n") == [
        "calendar.yaml:2: meetings[0].starts_at: must be an ISO 8601 date and time with a UTC "
        "offset, e.g. 2027-01-12T10:00:00-06:00; got 'next tuesday'"
    ]


def test_enum_problems_list_the_allowed_values() -> None:
    text = (
        "resources:\n  - title: Toolkit\n    kind: video\n"
        "meetings:\n  - starts_at: 2027-01-12T10:00:00-06:00\n    format: zoom\n"
    )

    assert problems_in(text) == [
        "calendar.yaml:3: resources[0].kind: must be one of "
        "toolkit | guide | case-study | template | training | data | policy; got 'video'",
        "calendar.yaml:6: meetings[0].format: must be one of in-person | online | hybrid; "
        "got 'zoom'",
    ]


def test_an_unknown_field_suggests_the_closest_known_one() -> None:
    text = "communities:\n  - name: Flossmoor\n    contcts: [U0AAAAAAA]\n    mayor: someone\n"

    problems = problems_in(text)

    assert (
        problems[0]
        == "calendar.yaml:3: communities[0].contcts: unknown field; did you mean 'contacts'?"
    )
    assert problems[1].startswith(
        "calendar.yaml:4: communities[0].mayor: unknown field; expected one of: key, name"
    )


def test_a_field_given_twice_is_named() -> None:
    text = "topics:\n  - month: 2027-01\n    title: Hiring\n    title: Recruitment\n"

    assert problems_in(text) == ["calendar.yaml:4: topics[0].title: given twice (also at line 3)"]


def test_derived_keys_that_collide_say_so() -> None:
    text = "communities:\n  - name: Park Forest\n  - name: Park  forest\n"

    [problem] = problems_in(text)

    assert problem.startswith("calendar.yaml:3: communities[1].key: duplicate key 'park-forest'")
    assert "give these records keys of their own" in problem


def test_participants_and_attendees_are_listed_once() -> None:
    text = (
        "cohorts:\n  - name: LORE 2027\n    participants:\n"
        "      - {user: U0BBBBBBB}\n      - {user: U0BBBBBBB, community: flossmoor}\n"
        "coaching_sessions:\n  - cohort: lore-2027\n    coach: W0CCCCCCC\n"
        "    starts_at: 2027-01-28T14:00:00-06:00\n    participants: [U0BBBBBBB, U0BBBBBBB]\n"
    )

    assert problems_in(text) == [
        "calendar.yaml:5: cohorts[0].participants[1].user: "
        "U0BBBBBBB is listed twice in this cohort (also at line 4)",
        "calendar.yaml:10: coaching_sessions[0].participants[1]: U0BBBBBBB is listed twice",
    ]


def test_references_name_their_line_and_field() -> None:
    data = datafile.load(DATA / "working_group.yaml")

    found = {(ref.section, ref.key, ref.line, ref.field) for ref in datafile.references(data)}

    assert ("topics", "2027-01", 44, "meetings[0].topic") in found
    assert ("communities", "park-forest", 61, "cohorts[0].participants[1].community") in found
    assert ("cohorts", "lore-2027", 65, "coaching_sessions[0].cohort") in found


def test_the_broken_file_names_every_problem_of_its_own() -> None:
    """References are left to the importer (a key may be in the database); all else is here."""
    _data, problems = datafile.load_with_problems(DATA / "broken.yaml")

    assert [(p.line, p.field) for p in problems] == [
        (3, "topics[0].title"),
        (5, "topics[0].titel"),
        (7, "topics[1].month"),
        (8, "topics[1].title"),
        (9, "topics[2].key"),
        (13, "communities[0].name"),
        (15, "communities[0].contacts[0]"),
        (19, "resources[0].url"),
        (20, "resources[0].kind"),
        (25, "meetings[0].starts_at"),
        (26, "meetings[0].duration_minutes"),
        (27, "meetings[0].format"),
        (28, "meetings[0].join_url"),
        (29, "meetings[0].capacity.in_person"),
        (33, "meetings[1].duration_minutes"),
        (36, "meetings[2].duration_minutes"),
        (45, "coaching_sessions[0].coach"),
        (46, "coaching_sessions[0].starts_at"),
        (47, "meetngs"),
    ]
    assert all(p.file == str(DATA / "broken.yaml") for p in problems)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_bytes("topics:\n  - month: 2027-01\n    title: Caf\xe9\n".encode("latin-1"))

    with pytest.raises(DataFileError) as raised:
        datafile.load(path)

    assert [str(p) for p in raised.value.problems] == [f"{path}:3: file: is not UTF-8 text"]


def test_the_file_written_back_reads_as_the_same_data_synonyms_included() -> None:
    data = datafile.load(DATA / "working_group.yaml")
    sections = (*exports.DATA_SECTIONS, "synonyms")

    again = datafile.parse(exports.data_file_yaml(data, sections), "again.yaml")

    assert again == data
