"""Reading one record of a data file: typed values out of YAML nodes, every problem kept.

We read PyYAML's composed nodes rather than constructed Python values so that each value still
knows its line, and so that we see what the person typed (`title: 2027` is the text "2027", not a
number to turn back into text). A bad value never stops the reading: it is noted as a `Problem`
and a placeholder takes its place, so one pass finds every mistake in the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from storage.datafile_records import Problem, Source

NULL_TAG = "tag:yaml.org,2002:null"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"

SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
OFFSET_EXAMPLE = "-06:00"
PLACEHOLDER_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # stands in for a bad time; never stored

_scalars = SafeConstructor()  # turns int and bool nodes into values; holds no file state


class Problems:
    """Collects the problems of one file so the person can fix them all in one go."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.found: list[Problem] = []

    def add(self, line: int, path: str, message: str) -> None:
        self.found.append(Problem(self.file, line, path, message))


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(known)


def describe(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    if node.tag == BOOL_TAG:
        return f"true/false ({node.value})"
    if node.tag == INT_TAG:
        return f"a number ({node.value})"
    return f"text '{node.value}'"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Fields:
    """One record (a YAML mapping): unknown and repeated fields are reported as it is opened."""

    def __init__(
        self, problems: Problems, node: MappingNode, path: str, known: Sequence[str]
    ) -> None:
        self.problems = problems
        self.path = path
        self.line = line_of(node)
        self._nodes: dict[str, Node] = {}
        for name_node, value_node in node.value:
            name = str(name_node.value) if isinstance(name_node, ScalarNode) else ""
            if name not in known:
                hint = did_you_mean(name, known)
                problems.add(line_of(name_node), f"{path}.{name}", f"unknown field; {hint}")
            elif name in self._nodes:
                first = line_of(self._nodes[name])
                problems.add(
                    line_of(name_node), self.at(name), f"given twice (also at line {first})"
                )
            else:
                self._nodes[name] = value_node

    def at(self, name: str) -> str:
        return f"{self.path}.{name}"

    def source(self) -> Source:
        lines = {name: line_of(node) for name, node in self._nodes.items()}
        return Source(self.line, self.path, lines)

    def given(self, name: str) -> bool:
        node = self._nodes.get(name)
        return node is not None and not is_null(node)

    def _node(self, name: str, *, required: bool) -> Node | None:
        node = self._nodes.get(name)
        if node is None or is_null(node):
            if required:
                self.problems.add(self.line, self.at(name), "missing; this field is required")
            return None
        return node

    def _scalar(self, name: str, expected: str, *, required: bool) -> ScalarNode | None:
        node = self._node(name, required=required)
        if node is None or isinstance(node, ScalarNode):
            return node
        self.problems.add(line_of(node), self.at(name), f"must be {expected}, not {describe(node)}")
        return None

    def _fail(self, node: Node, name: str, message: str) -> None:
        self.problems.add(line_of(node), self.at(name), message)

    def text(self, name: str, *, required: bool = False) -> str:
        node = self._scalar(name, "text", required=required)
        if node is None:
            return ""
        if required and not str(node.value).strip():
            self._fail(node, name, "is empty; this field is required")
        return str(node.value)

    def reference(self, name: str, *, required: bool = False) -> str | None:
        """The key of another record, e.g. a meeting's topic; resolved by the importer."""
        return self.text(name, required=required).strip() or None

    def texts(self, name: str) -> tuple[str, ...]:
        return tuple(value for _node, value in self._list_items(name, "text", "[first, second]"))

    def _list_items(self, name: str, what: str, example: str) -> Iterator[tuple[ScalarNode, str]]:
        node = self._node(name, required=False)
        if node is None:
            return
        if not isinstance(node, SequenceNode):
            self._fail(
                node, name, f"must be a list of {what}, e.g. {example}; got {describe(node)}"
            )
            return
        for index, item in enumerate(node.value):
            item_path = f"{self.at(name)}[{index}]"
            if not isinstance(item, ScalarNode) or is_null(item) or not str(item.value).strip():
                shown = "nothing" if is_null(item) else describe(item)
                self.problems.add(line_of(item), item_path, f"must be {what}, not {shown}")
                continue
            yield item, str(item.value)

    def whole_number(
        self, name: str, *, default: int | None, minimum: int, unit: str = ""
    ) -> int | None:
        node = self._scalar(name, "a whole number", required=False)
        if node is None:
            return default
        if node.tag != INT_TAG:
            self._fail(node, name, f"must be a whole number, not {describe(node)}")
            return default
        value = int(_scalars.construct_yaml_int(node))
        if value < minimum:
            floor = "not be negative" if minimum == 0 else f"be at least {minimum}{unit}"
            self._fail(node, name, f"must {floor}; got {value}")
        return value

    def flag(self, name: str) -> bool:
        node = self._scalar(name, "true or false", required=False)
        if node is None:
            return False
        if node.tag != BOOL_TAG:
            self._fail(node, name, f"must be true or false, not {describe(node)}")
            return False
        return bool(_scalars.construct_yaml_bool(node))

    def choice(self, name: str, allowed: Sequence[str], *, default: str | None = None) -> str:
        """One of `allowed`; required when there is no default."""
        node = self._scalar(name, "one of " + " | ".join(allowed), required=default is None)
        if node is None:
            return default or ""
        value = str(node.value).strip().lower()
        if value not in allowed:
            self._fail(node, name, f"must be one of {' | '.join(allowed)}; got '{node.value}'")
        return value

    def month(self, name: str) -> str:
        value = self.text(name, required=True)
        if value and not MONTH.fullmatch(value):
            self._fail(
                self._nodes[name], name, f"must be a month as YYYY-MM, e.g. 2027-01; got '{value}'"
            )
        return value

    def moment(self, name: str) -> datetime:
        node = self._scalar(name, "a date and time", required=True)
        if node is None:
            return PLACEHOLDER_TIME
        raw = str(node.value).strip()
        example = f"e.g. 2027-01-12T10:00:00{OFFSET_EXAMPLE}"
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            self._fail(
                node,
                name,
                f"must be an ISO 8601 date and time with a UTC offset, {example}; got '{raw}'",
            )
            return PLACEHOLDER_TIME
        if len(raw) <= len("2027-01-12"):
            self._fail(node, name, f"needs a time of day and a UTC offset, {example}; got '{raw}'")
            return PLACEHOLDER_TIME
        if value.tzinfo is None:
            self._fail(node, name, f"has no UTC offset; add it, e.g. {raw}{OFFSET_EXAMPLE}")
            return PLACEHOLDER_TIME
        return value

    def url(self, name: str) -> str | None:
        value = self.text(name)
        if not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self._fail(
                self._nodes[name],
                name,
                f"must be a web address starting with https:// or http://; got '{value}'",
            )
        return value.strip()

    def user_id(self, name: str, *, required: bool) -> str:
        value = self.text(name, required=required).strip()
        if value and not SLACK_USER_ID.fullmatch(value):
            self._fail(self._nodes[name], name, _not_a_user_id(value))
        return value

    def user_ids(self, name: str) -> tuple[str, ...]:
        seen: set[str] = set()
        users: list[str] = []
        for index, (node, raw) in enumerate(
            self._list_items(name, "Slack user IDs", "[U0AAAAAAA]")
        ):
            value = raw.strip()
            item = f"{self.at(name)}[{index}]"
            if not SLACK_USER_ID.fullmatch(value):
                self.problems.add(line_of(node), item, _not_a_user_id(value))
            elif value in seen:
                self.problems.add(line_of(node), item, f"{value} is listed twice")
            seen.add(value)
            users.append(value)
        return tuple(users)

    def mapping(self, name: str, example: str) -> MappingNode | None:
        node = self._node(name, required=False)
        if node is None or isinstance(node, MappingNode):
            return node
        self._fail(node, name, f"must be a mapping, e.g. {example}; got {describe(node)}")
        return None

    def records(self, name: str, example: str) -> Iterator[tuple[str, MappingNode]]:
        """The mappings of a list field, each with its path, e.g. cohorts[0].participants[1]."""
        node = self._node(name, required=False)
        if node is None:
            return
        if not isinstance(node, SequenceNode):
            self._fail(node, name, f"must be a list, e.g. [{example}]; got {describe(node)}")
            return
        for index, item in enumerate(node.value):
            path = f"{self.at(name)}[{index}]"
            if isinstance(item, MappingNode):
                yield path, item
            else:
                self.problems.add(
                    line_of(item), path, f"must be a mapping, e.g. {example}; got {describe(item)}"
                )


def _not_a_user_id(value: str) -> str:
    return (
        f"'{value}' does not look like a Slack user ID "
        "(U or W, then capital letters and digits, e.g. U0AAAAAAA)"
    )
