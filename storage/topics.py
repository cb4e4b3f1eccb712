"""The topic calendar: one topic per month, some months still TBD."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Topic


def for_month(session: Session, month: str) -> Topic | None:
    return session.exec(select(Topic).where(Topic.month == month).order_by(col(Topic.id))).first()


def calendar(session: Session) -> list[Topic]:
    return list(session.exec(select(Topic).order_by(col(Topic.month), col(Topic.id))))


def by_key(session: Session, key: str) -> Topic | None:
    return session.exec(select(Topic).where(Topic.key == key)).first()


def by_id(session: Session, topic_id: int | None) -> Topic | None:
    return session.get(Topic, topic_id) if topic_id is not None else None
