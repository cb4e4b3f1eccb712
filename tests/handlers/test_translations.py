"""Language access: every user-facing string has a Spanish translation, and none is left out of
the catalog by being written as a bare literal."""

from __future__ import annotations

import ast
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = ROOT / "handlers"
PO = HANDLERS / "locales" / "es" / "LC_MESSAGES" / "dei_bot.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
# Words a person reads: two words of letters in a row.
WORDS = re.compile(r"[A-Za-z]{2,}[,:.']?\s+[A-Za-z]{2,}")
# Calls whose strings nobody in Slack reads: logs, internal reasons, errors for developers.
NOT_SHOWN = {"Unwanted", "Later", "ValueError", "TypeError", "RuntimeError", "KeyError"}
LOGGERS = {"log", "logger", "logging"}
TRANSLATING = {"_", "N_", "ngettext"}


def extracted() -> dict[str | tuple[str, ...], str]:
    """msgid (a tuple for plural forms) -> where it was found."""
    found: dict[str | tuple[str, ...], str] = {}
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(HANDLERS), method_map, keywords=KEYWORDS
    ):
        found.setdefault(message, f"handlers/{filename}:{lineno}")
    return found


def spanish() -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    with PO.open("rb") as file:
        catalog = read_po(file, locale="es")
    return {
        message.id: message.string
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def test_every_string_in_the_code_has_a_spanish_translation() -> None:
    translated = spanish()
    missing = [
        f"{where}: {msgid!r}" for msgid, where in extracted().items() if msgid not in translated
    ]
    assert not missing, "no Spanish translation (run pybabel extract/update, then translate):\n" + (
        "\n".join(missing)
    )


def test_translations_keep_every_placeholder() -> None:
    for msgid, msgstr in spanish().items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strs = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strs:
            assert set(PLACEHOLDER.findall(text)) == wanted, (msgid, text)


def test_the_compiled_catalog_matches_its_source() -> None:
    with MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    stale = [
        msgid
        for msgid, msgstr in spanish().items()
        if isinstance(msgid, str) and compiled.gettext(msgid) != msgstr
    ]
    assert not stale, f"run `pybabel compile -d handlers/locales -D dei_bot`: {stale[:5]}"


def shown_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """String literals outside `_()`, docstrings, logs and internal reasons."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            skip.add(id(first.value))  # a docstring
        if isinstance(node, ast.Call):
            function = node.func
            name = function.id if isinstance(function, ast.Name) else None
            owner = function.value if isinstance(function, ast.Attribute) else None
            quiet = isinstance(owner, ast.Name) and owner.id in LOGGERS
            if name in TRANSLATING | NOT_SHOWN or quiet:
                skip.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Assert):
            skip.update(id(inner) for inner in ast.walk(node))
    for node in ast.walk(tree):
        literal = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if literal and id(node) not in skip and WORDS.search(node.value):
            yield node.lineno, node.value


def untranslated_literals() -> list[str]:
    found = []
    for path in sorted(HANDLERS.glob("*.py")):
        if path.name in {"i18n.py", "speakers.py"}:
            continue
        for line, text in shown_literals(ast.parse(path.read_text(), str(path))):
            found.append(f"handlers/{path.name}:{line}: {text[:70]!r}")
    return found


def test_no_user_facing_string_escapes_the_catalog() -> None:
    found = untranslated_literals()
    assert not found, "wrap these in _() (or N_() where defined, _() where used):\n" + "\n".join(
        found
    )
