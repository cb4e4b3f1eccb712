"""The doing behind the curation listeners: one transaction each, every ledger row (review DMs,
the member's outcome) written with the change that causes it. Returns what to show.

Coordinator checks happen in the listeners before any of this runs; these functions trust them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from handlers import resource_curation_blocks as rcb
from handlers import resource_curation_modals as rcm
from handlers.blocks import Message
from handlers.elements import notice_view
from handlers.i18n import _
from handlers.resource_curation_forms import FormPurpose, ResourceForm, resource_form_errors
from storage import resource_changes, suggestions
from storage.database import Database
from storage.models import ResourceSuggestion, SuggestionState
from storage.resource_changes import ResourceFields

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.config import Settings


def card_of(suggestion: ResourceSuggestion) -> rcb.SuggestionCard:
    assert suggestion.id is not None
    return rcb.SuggestionCard(
        id=suggestion.id, user_id=suggestion.user_id, fields=suggestions.fields_of(suggestion)
    )


def resource_form_view(db: Database, purpose: FormPurpose) -> dict[str, Any]:
    """The modal for `purpose`, filled in when it edits a resource or reviews a suggestion."""
    if purpose.mode in (rcb.SUGGEST, rcb.ADD):
        return rcm.resource_form(purpose.mode)
    with db.transaction() as session:
        if purpose.mode == rcb.EDIT:
            resource = resource_changes.by_key(session, purpose.target)
            if resource is None or resource.retired_at is not None:
                return notice_view(rcb.no_such_resource())
            initial = resource_changes.fields_of(resource)
        else:
            suggestion = suggestions.by_id(session, int(purpose.target))
            if suggestion is None:
                return notice_view(rcb.no_such_suggestion())
            if suggestion.state != SuggestionState.PENDING:
                card = card_of(suggestion)
                return notice_view(
                    rcb.already_decided(card, suggestion.state, suggestion.decided_by)
                )
            initial = suggestions.fields_of(suggestion)
    return rcm.resource_form(purpose.mode, initial=initial, target=purpose.target)


def link_taken(
    session: Session, fields: ResourceFields, other_than: str | None = None
) -> dict[str, str]:
    found = (
        resource_changes.with_address(session, fields.url, other_than=other_than)
        if fields.url
        else None
    )
    if found is None:
        return {}
    said = _("This link is already in the repository as “{title}”.")
    return {rcm.LINK_BLOCK: said.format(title=found.title[:100])}


def store_resource(
    db: Database,
    settings: Settings,
    purpose: FormPurpose,
    form: ResourceForm,
    user: str,
    now: datetime,
) -> dict[str, str] | Message:
    """Field errors, or the outcome to tell the person once the modal closes."""
    errors = resource_form_errors(form)
    if errors:
        return errors
    fields = form.fields()
    with db.transaction(write=True) as session:
        other_than = purpose.target if purpose.mode == rcb.EDIT else None
        taken = link_taken(session, fields, other_than)
        if taken:
            return taken
        if purpose.mode == rcb.SUGGEST:
            suggestions.suggest(session, user, fields, coordinators=settings.coordinators, now=now)
            return rcb.thanks_for_suggesting(fields.title, settings.coordinators)
        if purpose.mode == rcb.ADD:
            resource = resource_changes.create(session, fields, by=user, now=now)
            return rcb.resource_added(resource.title, resource.key)
        if purpose.mode == rcb.EDIT:
            return edit_resource(session, purpose.target, fields, user, now)
        return approve_in_session(session, settings, int(purpose.target), user, now, fields)


def edit_resource(
    session: Session, key: str, fields: ResourceFields, user: str, now: datetime
) -> Message:
    resource = resource_changes.by_key(session, key)
    if resource is None or resource.retired_at is not None:
        return rcb.no_such_resource()
    changed = resource_changes.edit(session, resource, fields, by=user, now=now)
    return rcb.resource_saved(resource.title, list(changed))


def approve_in_session(
    session: Session,
    settings: Settings,
    suggestion_id: int,
    user: str,
    now: datetime,
    fields: ResourceFields | None = None,
) -> Message:
    suggestion = suggestions.by_id(session, suggestion_id)
    if suggestion is None:
        return rcb.no_such_suggestion()
    resource = suggestions.approve(
        session, suggestion, by=user, now=now, coordinators=settings.coordinators, fields=fields
    )
    card = card_of(suggestion)
    if resource is None:
        return rcb.already_decided(card, suggestion.state, suggestion.decided_by)
    return rcb.decided(card, SuggestionState.APPROVED, user, resource.key)


def approve(
    db: Database, settings: Settings, suggestion_id: int, user: str, now: datetime
) -> Message:
    with db.transaction(write=True) as session:
        return approve_in_session(session, settings, suggestion_id, user, now)


def reject_form_view(db: Database, suggestion_id: int) -> dict[str, Any]:
    with db.transaction() as session:
        suggestion = suggestions.by_id(session, suggestion_id)
        if suggestion is None:
            return notice_view(rcb.no_such_suggestion())
        card = card_of(suggestion)
        if suggestion.state != SuggestionState.PENDING:
            return notice_view(rcb.already_decided(card, suggestion.state, suggestion.decided_by))
    return rcm.reject_form(card)


def reject(
    db: Database, settings: Settings, suggestion_id: int, reason: str, user: str, now: datetime
) -> Message:
    with db.transaction(write=True) as session:
        suggestion = suggestions.by_id(session, suggestion_id)
        if suggestion is None:
            return rcb.no_such_suggestion()
        rejected = suggestions.reject(
            session,
            suggestion,
            by=user,
            reason=reason,
            now=now,
            coordinators=settings.coordinators,
        )
        card = card_of(suggestion)
        if not rejected:
            return rcb.already_decided(card, suggestion.state, suggestion.decided_by)
    return rcb.decided(card, SuggestionState.REJECTED, user)


def retire(db: Database, key: str, user: str, now: datetime) -> Message:
    with db.transaction(write=True) as session:
        resource = resource_changes.by_key(session, key)
        if resource is None:
            return rcb.no_such_resource()
        retired_now = resource_changes.retire(session, resource, by=user, now=now)
        return rcb.resource_retired(resource.title, retired_now)
