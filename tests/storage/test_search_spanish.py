"""Search understands Spanish words for the topics it knows, through the sample library's
synonyms (data coordinators can extend with `dei-bot import`), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storage import imports, search
from storage.database import Database

SAMPLE = Path(__file__).resolve().parents[2] / "bot" / "sample" / "working-group.yaml"
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("contratación", "lore-human-resources"),
        ("Contratacion", "lore-human-resources"),  # typed without the accent, capitalised
        ("presupuesto participativo", "lore-financial-management"),
        ("recursos humanos", "lore-human-resources"),
        ("compras públicas", "lore-financial-management"),
        ("comunicaciones internas", "lore-internal-communications"),
    ],
)
def test_spanish_words_find_the_english_library(db: Database, words: str, expected: str) -> None:
    imports.import_file(db, SAMPLE)
    with db.transaction() as session:
        found = search.find(session, words, today=TODAY)
    keys = [hit.key for hit in found.hits]
    assert expected in keys[:3], (words, keys, found.synonyms_used)
    assert found.synonyms_used  # the answer says what the words were taken to mean
