"""The shared resource repository."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Community, Resource, Topic


def for_topic(
    session: Session, topic: Topic, limit: int = 3
) -> list[tuple[Resource, Community | None]]:
    """Resources tagged with the topic's title or one of its keywords, newest first."""
    wanted = {topic.title.casefold(), *(keyword.casefold() for keyword in topic.keywords)}
    rows = session.exec(
        select(Resource, Community)
        .join(Community, col(Resource.community_id) == col(Community.id), isouter=True)
        .where(col(Resource.retired_at).is_(None))
        .order_by(col(Resource.added_at).desc(), col(Resource.id))
    )
    matches: list[tuple[Resource, Community | None]] = [
        (resource, community)
        for resource, community in rows
        if wanted & {tag.casefold() for tag in resource.topics}
    ]
    return matches[:limit]
