"""The synonym vocabulary: imported by coordinators, exported back, used by lookups both ways."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlmodel import col, select

from storage import datafile, exports, imports
from storage.database import Database
from storage.models import Synonym
from tests.storage.test_search import keys, load_library, lookup

VOCABULARY = """\
synonyms:
  - {term: LEP, means: [language access, limited English proficiency]}
  - {term: Title VI, means: [civil rights act, nondiscrimination]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def stored(db: Database) -> list[tuple[str, str, list[str]]]:
    with db.transaction() as session:
        rows = session.exec(select(Synonym).order_by(col(Synonym.key)))
        return [(row.key, row.term, row.means) for row in rows]


def test_synonyms_are_stored_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = write(tmp_path, VOCABULARY)

    first = imports.import_file(db, path)
    second = imports.import_file(db, path)

    assert first.sections["synonyms"].created == 2
    assert (second.sections["synonyms"].unchanged, second.changed) == (2, False)
    assert stored(db) == [
        ("lep", "LEP", ["language access", "limited English proficiency"]),
        ("title vi", "Title VI", ["civil rights act", "nondiscrimination"]),
    ]


def test_a_term_is_updated_whatever_its_capitals(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, write(tmp_path, VOCABULARY))

    report = imports.import_file(
        db, write(tmp_path, "synonyms:\n  - {term: lep, means: [language access]}\n")
    )

    assert report.sections["synonyms"].updated == 1
    assert stored(db)[0] == ("lep", "lep", ["language access"])


def test_the_vocabulary_exports_and_imports_back(db: Database, tmp_path: Path) -> None:
    imports.import_file(db, write(tmp_path, VOCABULARY))

    with db.transaction() as session:
        text = exports.export(session, "synonyms")

    assert list(yaml.safe_load(text)) == ["synonyms"]
    again = datafile.parse(text, "again.yaml")
    assert [(s.term, s.means) for s in again.synonyms] == [
        ("LEP", ("language access", "limited English proficiency")),
        ("Title VI", ("civil rights act", "nondiscrimination")),
    ]
    with db.transaction() as session:
        assert "synonyms:" in exports.export(session, "all")


def test_a_synonym_a_coordinator_adds_is_used_by_the_next_lookup(
    db: Database, tmp_path: Path
) -> None:
    load_library(db)
    assert lookup(db, "CART").total == 0

    imports.import_file(db, write(tmp_path, "synonyms:\n  - {term: CART, means: [captioning]}\n"))

    found = lookup(db, "CART")
    assert keys(found) == ["accessible-meetings"]
    assert found.synonyms_used == (("CART", "captioning"),)
    assert ("captioning", "CART") in lookup(db, "captioning").synonyms_used


def test_a_group_works_every_way(db: Database) -> None:
    load_library(db)

    # ADA, accessibility and "Americans with Disabilities Act" stand for one another.
    assert lookup(db, "accessibility").synonyms_used == (
        ("accessibility", "ADA"),
        ("accessibility", "Americans with Disabilities Act"),
    )
    assert set(keys(lookup(db, "ADA"))) == set(keys(lookup(db, "accessibility")))


def test_a_one_word_synonym_that_is_a_stop_word_is_left_out(db: Database, tmp_path: Path) -> None:
    load_library(db)
    imports.import_file(
        db, write(tmp_path, "synonyms:\n  - {term: IT, means: [information technology]}\n")
    )

    # "it" is a word both back ends ignore; the long form still finds its way to nothing new.
    assert lookup(db, "information technology").synonyms_used == ()
