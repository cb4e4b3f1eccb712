"""Any text a person can type gets an answer from `find`, never an error, on both back ends."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.database import Database
from storage.search import MAX_QUERY_CHARS, Found
from tests.storage.test_search import load_library, lookup

# What people paste or slip on: query syntax of both engines, quotes straight and curly, emoji.
SYNTAX = st.sampled_from(
    ['"', "'", "“", "”", "*", ":", "(", ")", "^", "-", "+", "&", "|", "!", "<->", "<2>",
     "\\", "AND", "OR", "NOT", "NEAR", "{title}", ":*", "''", "%", "_", "🙂", "👩🏽‍💻", "\u200b",
     "e\u0301", "İ", "ß", "LEP", "hiring", "language access", " ", "\n", "\t"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=3100),
    st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=60).map("".join),
).map(lambda text: text.replace("\x00", ""))  # Slack never sends NUL; find copes anyway


@pytest.fixture
def library(db: Database) -> Database:
    load_library(db)
    return db


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT)
def test_find_answers_any_text(library: Database, text: str) -> None:
    found = lookup(library, text)

    assert isinstance(found, Found)
    assert len(found.words) <= MAX_QUERY_CHARS
    assert len(found.hits) <= 5 and found.total >= len(found.hits)
    assert len(found.peers) <= 5 and len(found.volunteers) <= 5
    assert len(found.closest_topics) <= 3 and not any(t.tbd for t in found.closest_topics)
    if found.hits:
        assert not found.closest_topics


def test_a_nul_character_is_no_error(library: Database) -> None:
    assert lookup(library, "hiring\x00 guide").words == "hiring guide"
