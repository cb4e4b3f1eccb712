"""Coordinators' writes to the resource repository, each recorded with who and when.

Every add, edit and retirement goes through here and leaves a `ResourceChange` row naming the
person, the moment and the fields that changed (`{field: [before, after]}`), so the repository's
history can be read back whatever was done from Slack.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Resource, ResourceChange

CREATED = "created"
EDITED = "edited"
RETIRED = "retired"
APPROVED = "approved"
REJECTED = "rejected"
ACTIONS = (CREATED, EDITED, RETIRED, APPROVED, REJECTED)
EDITABLE = ("title", "url", "kind", "summary", "topics")
KEY_MAX = 60


@dataclass(frozen=True)
class ResourceFields:
    """What a person fills in for a resource, already checked."""

    title: str
    url: str | None
    kind: str
    summary: str
    topics: tuple[str, ...]

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "kind": self.kind,
            "summary": self.summary,
            "topics": list(self.topics),
        }


def fields_of(resource: Resource) -> ResourceFields:
    return ResourceFields(
        title=resource.title,
        url=resource.url,
        kind=resource.kind,
        summary=resource.summary,
        topics=tuple(resource.topics),
    )


def slug(title: str) -> str:
    """`Racial Equity Toolkit (2024)!` → `racial-equity-toolkit-2024`; accents dropped, and a
    title with no latin letters or digits at all becomes `resource`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    cut = "-".join(words)[:KEY_MAX].strip("-")
    return cut or "resource"


def unique_key(session: Session, title: str) -> str:
    """The title's slug, with `-2`, `-3` … when taken (retired resources keep their keys)."""
    base = slug(title)
    taken = set(
        session.exec(
            select(Resource.key).where(
                (col(Resource.key) == base) | col(Resource.key).startswith(f"{base}-")
            )
        )
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def by_key(session: Session, key: str) -> Resource | None:
    return session.exec(select(Resource).where(Resource.key == key)).first()


def with_address(session: Session, url: str, *, other_than: str | None = None) -> Resource | None:
    """A resource still in the repository at this address (a second copy helps nobody)."""
    query = (
        select(Resource)
        .where(col(Resource.url) == url)
        .where(col(Resource.retired_at).is_(None))
        .order_by(col(Resource.id))
    )
    if other_than is not None:
        query = query.where(col(Resource.key) != other_than)
    return session.exec(query).first()


def record(
    session: Session,
    action: str,
    *,
    by: str,
    now: datetime,
    resource_id: int | None = None,
    suggestion_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> ResourceChange:
    change = ResourceChange(
        resource_id=resource_id,
        suggestion_id=suggestion_id,
        action=action,
        user_id=by,
        at=now,
        changes=changes or {},
    )
    session.add(change)
    return change


def create(
    session: Session,
    fields: ResourceFields,
    *,
    by: str,
    now: datetime,
    action: str = CREATED,
    suggestion_id: int | None = None,
) -> Resource:
    """A new resource under a fresh key; `action` is `approved` when it came from a suggestion."""
    resource = Resource(key=unique_key(session, fields.title), added_at=now, **fields.values())
    session.add(resource)
    session.flush()
    added = {name: [None, value] for name, value in fields.values().items()}
    record(
        session,
        action,
        by=by,
        now=now,
        resource_id=resource.id,
        suggestion_id=suggestion_id,
        changes=added,
    )
    return resource


def edit(
    session: Session, resource: Resource, fields: ResourceFields, *, by: str, now: datetime
) -> dict[str, list[Any]]:
    """Saves what changed; saving with nothing changed still confirms the resource as current."""
    before = fields_of(resource).values()
    after = fields.values()
    changes = {
        name: [before[name], after[name]] for name in EDITABLE if before[name] != after[name]
    }
    for name, (_, value) in changes.items():
        setattr(resource, name, value)
    resource.confirmed_at = now
    session.add(resource)
    record(session, EDITED, by=by, now=now, resource_id=resource.id, changes=changes)
    return changes


def retire(session: Session, resource: Resource, *, by: str, now: datetime) -> bool:
    """Takes it out of every answer; False when it was retired already (nothing recorded)."""
    if resource.retired_at is not None:
        return False
    resource.retired_at = now
    session.add(resource)
    record(
        session,
        RETIRED,
        by=by,
        now=now,
        resource_id=resource.id,
        changes={"retired_at": [None, now.isoformat()]},
    )
    return True


def history(session: Session, resource_id: int) -> list[ResourceChange]:
    return list(
        session.exec(
            select(ResourceChange)
            .where(ResourceChange.resource_id == resource_id)
            .order_by(col(ResourceChange.at), col(ResourceChange.id))
        )
    )
