"""The synonym vocabulary: terms and what they also mean (LEP <-> language access).

Kept as data so coordinators extend it with `dei-bot import`; lookups read it through
storage.search. One record per term, whatever its capitals: the data file refuses a term twice.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Synonym


def key_of(term: str) -> str:
    # The data file's own test for a repeated term (storage.datafile), so the two always agree.
    return term.strip().lower()


def listed(session: Session) -> list[Synonym]:
    return list(session.exec(select(Synonym).order_by(col(Synonym.key))))
