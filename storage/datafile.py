"""The data file coordinators import and export (SPEC: "Data file (YAML)"): parsing and checks.

No database here. `parse` turns YAML text into frozen records, each knowing its source line, or
raises `DataFileError` listing every problem as `FILE:LINE: field: problem`. References between
records (a meeting's topic, a resource's community …) are listed by `references` and resolved by
`storage.imports`, since a key may name a record already in the database.

Every record may carry a `key`. When it does not, one is derived, stably, from what it says:

| section            | derived key                                              |
|--------------------|----------------------------------------------------------|
| topics             | its month, e.g. `2027-01`                                |
| communities        | a slug of its name, e.g. `park-forest`                   |
| resources          | a slug of its title                                      |
| meetings           | `wg-` and the date as written, e.g. `wg-2027-01-12`      |
| cohorts            | a slug of its name                                       |
| coaching_sessions  | cohort, date and time as written, `lore-2027-2027-01-28-1400` |

A derived key changes when what it is derived from changes: records that may be renamed or moved
should carry a key of their own, or the next import creates a new record beside the old one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from storage.datafile_fields import Fields, Problems, describe, did_you_mean, is_null, line_of
from storage.datafile_records import (
    CoachingSessionRecord,
    CohortRecord,
    CommunityRecord,
    DataFile,
    DataFileError,
    MeetingRecord,
    ParticipantRecord,
    Problem,
    Reference,
    ResourceRecord,
    Source,
    SynonymRecord,
    TopicRecord,
)
from storage.datafile_sections import SECTIONS

__all__ = [
    "CoachingSessionRecord",
    "CohortRecord",
    "CommunityRecord",
    "DataFile",
    "DataFileError",
    "MeetingRecord",
    "ParticipantRecord",
    "Problem",
    "Reference",
    "ResourceRecord",
    "Source",
    "SynonymRecord",
    "TopicRecord",
    "load",
    "load_with_problems",
    "parse",
    "parse_with_problems",
    "references",
]


def load(path: Path) -> DataFile:
    data, problems = load_with_problems(path)
    if problems:
        raise DataFileError(problems)
    return data


def load_with_problems(path: Path) -> tuple[DataFile, list[Problem]]:
    """Like `load`, but hands back the problems so a caller can add its own before failing."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return DataFile(file=str(path)), [Problem(str(path), line, "file", "is not UTF-8 text")]
    return parse_with_problems(text, str(path))


def parse(text: str, filename: str) -> DataFile:
    data, problems = parse_with_problems(text, filename)
    if problems:
        raise DataFileError(problems)
    return data


def parse_with_problems(text: str, filename: str) -> tuple[DataFile, list[Problem]]:
    problems = Problems(filename)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problems.add(line, "yaml", _syntax_message(error))
        return DataFile(file=filename), problems.found
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        problems.add(line, "yaml", f"not valid YAML: {error.reason}")
        return DataFile(file=filename), problems.found
    sections: dict[str, tuple[Any, ...]] = {}
    if root is not None and not is_null(root):
        if isinstance(root, MappingNode):
            sections = _read_sections(problems, root)
        else:
            problems.add(line_of(root), "file", "must be sections, e.g. 'topics:' then a list")
    data = DataFile(file=filename, **sections)
    _check_unique_keys(problems, data)
    return data, sorted(problems.found, key=lambda problem: problem.line)


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    message = f"not valid YAML: {error.problem or error.context}"
    # PyYAML's words for a misplaced line ("expected <block end>") rarely say what to do.
    if "<block end>" in message or "mapping values are not allowed" in message:
        message += "; check this line's indentation and that each 'field: value' has its colon"
    return message


def references(data: DataFile) -> list[Reference]:
    found: list[Reference] = []

    def refer(section: str, key: str | None, source: Source, name: str) -> None:
        if key:
            found.append(Reference(section, key, source.line_of(name), f"{source.path}.{name}"))

    for resource in data.resources:
        refer("communities", resource.community, resource.source, "community")
    for meeting in data.meetings:
        refer("topics", meeting.topic, meeting.source, "topic")
    for cohort in data.cohorts:
        for participant in cohort.participants:
            refer("communities", participant.community, participant.source, "community")
    for session in data.coaching_sessions:
        refer("cohorts", session.cohort, session.source, "cohort")
    return found


def _read_sections(problems: Problems, root: MappingNode) -> dict[str, tuple[Any, ...]]:
    sections: dict[str, tuple[Any, ...]] = {}
    for name_node, value_node in root.value:
        name = str(name_node.value) if isinstance(name_node, ScalarNode) else ""
        line = line_of(name_node)
        if name not in SECTIONS:
            problems.add(line, name, f"unknown section; {did_you_mean(name, list(SECTIONS))}")
        elif name in sections:
            problems.add(line, name, "section given twice; merge the two lists")
        elif is_null(value_node):
            sections[name] = ()
        elif not isinstance(value_node, SequenceNode):
            problems.add(line, name, f"must be a list of records, not {describe(value_node)}")
        else:
            spec = SECTIONS[name]
            records = []
            for index, item in enumerate(value_node.value):
                path = f"{name}[{index}]"
                if isinstance(item, MappingNode):
                    records.append(spec.build(Fields(problems, item, path, spec.fields)))
                else:
                    message = f"must be a record of 'field: value' lines, not {describe(item)}"
                    problems.add(line_of(item), path, message)
            sections[name] = tuple(records)
    return sections


def _check_unique_keys(problems: Problems, data: DataFile) -> None:
    for section in SECTIONS:
        first_lines: dict[str, int] = {}
        for record in getattr(data, section):
            key = record.term.lower() if section == "synonyms" else record.key
            name = "term" if section == "synonyms" else "key"
            if not key:
                continue  # its missing parts are already reported
            if key in first_lines:
                derived = name not in record.source.field_lines
                how = "; it is derived, so give these records keys of their own" if derived else ""
                message = f"duplicate {name} '{key}' (also at line {first_lines[key]}){how}"
                problems.add(record.source.line_of(name), f"{record.source.path}.{name}", message)
            else:
                first_lines[key] = record.source.line
