"""What a person typed, as the terms a lookup searches for.

Nothing typed reaches a query language as typed: text is cut into words of letters and digits
(folded: case and accents), quoted stretches become phrases, and each back end builds its own
query from those words. So quotes, `*`, `:`, parentheses, `AND`, emoji or 3000 characters of
anything can never be a syntax error.

Both back ends must see the same words: PostgreSQL's english configuration drops stop words and
SQLite's FTS5 has none, so loose words that are stop words are dropped here, with PostgreSQL's
own list. Inside a quoted phrase they stay (each back end keeps the phrase's word distances).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

MAX_QUERY_CHARS = 300  # longer text is cut: no one describes a resource in more
MAX_TERMS = 12
MAX_WORD_CHARS = 64  # longer "words" are noise (a pasted hash, a URL's path)
PREFIX_FROM = 3  # an unknown word this long may be unfinished: "facilit" finds facilitation

# PostgreSQL's english.stop (tsearch_data), so both back ends ignore the same words.
_POSTGRESQL_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_POSTGRESQL_ENGLISH_STOP.split())

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_ASCII_SEPARATORS = {c: " " for c in range(128) if not chr(c).isalnum()}
# Slack (and the phones people type on) turn straight quotes into curly ones.
_QUOTES = '"“”„‟«»\uff02'  # the last: a fullwidth quotation mark


def fold(text: str) -> str:
    """Lower case without accents, as both indexes store words: "Guía" -> "guia"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def folded_words(text: str) -> list[str]:
    """The words of `text` as the index holds them, cut to a sane length."""
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall(fold(text))]


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each word (folded, no stop words, three letters or more) occurs in `texts`."""
    plain: list[str] = []
    other: list[str] = []
    for text in texts:
        (plain if text.isascii() else other).append(text)
    # ASCII text split in one pass of C code: a library of 100,000 resources in well under a
    # second; the rest word by word, folded.
    counts = Counter("\n".join(plain).lower().translate(_ASCII_SEPARATORS).split())
    counts.update(word for text in other for word in folded_words(text))
    for word in [w for w in counts if len(w) < 3 or len(w) > MAX_WORD_CHARS or w in STOP_WORDS]:
        del counts[word]
    return counts


def cleaned(text: str) -> str:
    """The text as searched: no control characters, whitespace collapsed, cut to the limit."""
    printable = "".join(c if c.isprintable() else " " for c in unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", printable).strip()[:MAX_QUERY_CHARS].strip()


@dataclass(frozen=True)
class Alternative:
    """Another way to say a term: a synonym. Several words must all be there, in any order:
    exact phrases are for what people quote, and costly to check on PostgreSQL."""

    shown: str  # as the vocabulary writes it: "language access"
    words: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One thing every result must match (or, failing that, any result may match)."""

    shown: str  # as the person typed it
    words: tuple[str, ...]  # folded
    phrase: bool = False  # quoted: the words in this order, side by side (else all, anywhere)
    also: tuple[Alternative, ...] = ()  # synonyms, any of which will do instead
    completions: tuple[str, ...] = ()  # known words it may be the start of: procure -> procurement

    @property
    def loose(self) -> bool:
        """A single word of no synonym: one that may be unfinished, or mistyped."""
        return len(self.words) == 1 and not self.phrase and not self.also


Synonyms = Mapping[tuple[str, ...], tuple[Alternative, ...]]


def terms(text: str, synonyms: Synonyms, longest: int) -> tuple[Term, ...]:
    """The terms of `text`: quoted phrases, synonym terms (longest first), then single words."""
    found: list[Term] = []
    for quoted, stretch in _stretches(text):
        if quoted:
            words = tuple(folded_words(stretch))
            # A phrase of stop words only is nothing to PostgreSQL: nothing to either back end.
            if any(word not in STOP_WORDS for word in words):
                found.append(Term(shown=stretch.strip(), words=words, phrase=len(words) > 1))
        else:
            found.extend(_loose_terms(stretch, synonyms, longest))
    return tuple(found[:MAX_TERMS])


def with_word(term: Term, word: str, synonyms: Synonyms) -> Term:
    """`term` with its word replaced by `word` (a correction), and that word's synonyms."""
    return replace(term, shown=word, words=(word,), also=synonyms.get((word,), ()), completions=())


def _stretches(text: str) -> Iterator[tuple[bool, str]]:
    """(quoted?, text) in order; a quote left open quotes nothing."""
    rest = text
    while rest:
        start = next((i for i, c in enumerate(rest) if c in _QUOTES), -1)
        end = next((i for i, c in enumerate(rest) if c in _QUOTES and i > start), -1)
        if start < 0 or end < 0:
            yield False, rest
            return
        yield False, rest[:start]
        yield True, rest[start + 1 : end]
        rest = rest[end + 1 :]


def _loose_terms(text: str, synonyms: Synonyms, longest: int) -> Iterator[Term]:
    # Each folded word remembers which typed word it came from, to show terms as typed.
    typed = _WORD.findall(text)
    pairs = [(n, word) for n, raw in enumerate(typed) for word in folded_words(raw)]
    i = 0
    while i < len(pairs):
        for size in range(min(longest, len(pairs) - i), 0, -1):
            words = tuple(word for _, word in pairs[i : i + size])
            also = synonyms.get(words)
            if also:
                shown = " ".join(typed[n] for n in sorted({n for n, _ in pairs[i : i + size]}))
                yield Term(shown=shown, words=words, also=also)
                i += size
                break
        else:
            n, word = pairs[i]
            if word not in STOP_WORDS:
                yield Term(shown=typed[n], words=(word,))
            i += 1
