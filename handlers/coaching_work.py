"""What the coaching listeners and `/dei-topic coaching|reminders` do: one transaction each.

Every ledger row a change causes (reminders planned, moved or cancelled; notices to a coach, the
coordinators or the participants) is written in the same transaction as the change, so either
both happen or neither does. Each function is safe to run twice: a second click finds nothing
left to change and plans nothing more. Answers are rendered by `handlers.coaching_answers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from handlers import coaching_answers as answers
from handlers import (
    coaching_blocks,
    coaching_modals,
    coaching_notices,
    i18n,
    reminder_answers,
    rsvp,
)
from handlers.blocks import Message
from handlers.coaching_blocks import SessionCard
from handlers.coaching_forms import QuestionForm, SessionForm, session_form_errors, session_key
from handlers.coaching_modals import COHORT_BLOCK, QUESTION_BLOCK, CohortChoice
from handlers.elements import notice_view
from handlers.i18n import _
from handlers.reminders import zone_of
from storage import announcements, coaching, meetings, members, reminder_plans, rsvps, topics
from storage.database import Database
from storage.models import CoachingSession, RsvpState
from storage.reminder_plans import REMINDERS_TURNED_OFF

if TYPE_CHECKING:
    from bot.config import Settings

MEETING, COACHING = "meeting", "coaching"  # the kinds coaching_answers has sentences for


def language_of(session: Session, user: str) -> str | None:
    """The language a DM to `user` is written in: it is composed now, while planned."""
    return i18n.member_language(members.get(session, user))


def cards_of(session: Session, found: Sequence[CoachingSession]) -> list[SessionCard]:
    names = coaching.cohort_names(session, {row.cohort_id for row in found})
    attending = coaching.attendees_of(session, [row.id for row in found if row.id is not None])
    cards = []
    for row in found:
        people = attending.get(row.id or 0, [])
        cards.append(
            SessionCard(
                key=row.key,
                cohort=names.get(row.cohort_id, ""),
                coach=row.coach,
                starts_at=row.starts_at,
                duration_minutes=row.duration_minutes,
                location=row.location,
                join_url=row.join_url,
                participants=tuple(p.user_id for p in people if p.declined_at is None),
                declined=tuple(p.user_id for p in people if p.declined_at is not None),
            )
        )
    return cards


def card_of(session: Session, found: CoachingSession) -> SessionCard:
    return cards_of(session, [found])[0]


# -- /dei-topic coaching and /dei-topic reminders -----------------------------------------------


def coaching_overview(db: Database, settings: Settings, user: str, now: datetime) -> Message:
    coordinator = settings.is_coordinator(user)
    with db.transaction() as session:
        # Coordinators manage every session; anyone else sees the ones they attend or coach.
        found = (
            coaching.upcoming(session, now)
            if coordinator
            else coaching.upcoming_for(session, user, now)
        )
        cards = cards_of(session, found)
    return coaching_blocks.coaching_overview(
        cards,
        viewer=user,
        coordinator=coordinator,
        coordinators=settings.coordinators,
        now=now,
        zone=settings.timezone,
    )


def reminder_settings(
    db: Database, settings: Settings, user: str, words: str, now: datetime
) -> Message:
    choice = words.strip().casefold()
    if choice == "off":
        turn_reminders_off(db, user, now)
        return reminder_answers.reminders_turned_off()
    if choice == "on":
        turn_reminders_on(db, settings, user, now)
        return reminder_answers.reminders_turned_on(settings.reminder_offsets)
    if choice:
        return reminder_answers.reminders_usage(words)
    with db.transaction() as session:
        enabled = members.reminders_enabled(session, user)
    return reminder_answers.reminders_state(enabled, settings.reminder_offsets)


def turn_reminders_off(db: Database, user: str, now: datetime) -> None:
    with db.transaction(write=True) as session:
        members.set_reminders(session, user, False)
        reminder_plans.cancel_for_member(session, user, now, REMINDERS_TURNED_OFF)


def turn_reminders_on(db: Database, settings: Settings, user: str, now: datetime) -> None:
    with db.transaction(write=True) as session:
        members.set_reminders(session, user, True)
        reminder_plans.plan_upcoming(session, settings.reminder_offsets, now)


# -- "can't make it" ----------------------------------------------------------------------------


def decline_meeting(
    db: Database, settings: Settings, key: str, user: str, now: datetime
) -> Message:
    with db.transaction(write=True) as session:
        meeting = meetings.by_key(session, key)
        if meeting is None or meeting.id is None or meeting.cancelled_at is not None:
            return answers.not_found(MEETING)
        if now >= meeting.starts_at:
            return answers.already_started(MEETING)
        # A click like the announcement's: the freed seat goes to the waitlist, counts follow.
        outcome = rsvps.click(session, meeting, user, RsvpState.NOT_GOING.value, now)
        changed = outcome.changed
        title = rsvp.own_title(topics.by_id(session, meeting.topic_id))
        rsvp.tell_promoted(session, meeting, title, outcome.promoted, now)
        reminder_plans.plan_meeting(session, meeting, settings.reminder_offsets, now)
        if changed or outcome.promoted:
            announcements.plan_refresh(session, meeting, now)
        zone = zone_of(session, user, settings.timezone)
    return answers.meeting_declined(title, meeting.starts_at, zone, changed=changed)


def decline_coaching(
    db: Database, settings: Settings, key: str, user: str, now: datetime
) -> Message:
    with db.transaction(write=True) as session:
        found = coaching.session_by_key(session, key, lock=True)
        if found is None or found.id is None or found.cancelled_at is not None:
            return answers.not_found(COACHING)
        if now >= found.starts_at:
            return answers.already_started(COACHING)
        card = card_of(session, found)
        zone = zone_of(session, user, settings.timezone)
        if user == found.coach:
            changed = tell_coordinators_coach_is_absent(session, settings, card, now)
            return answers.coach_absence_reported(
                card, settings.coordinators, zone, changed=changed
            )
        if coaching.attendee(session, found.id, user) is None:
            return answers.not_on_the_list(card)
        changed = coaching.decline(session, found.id, user, now)
        reminder_plans.plan_coaching_session(session, found, settings.reminder_offsets, now)
        if changed:
            coach_zone = zone_of(session, found.coach, settings.timezone)
            with i18n.speaking(language_of(session, found.coach)):
                text = coaching_notices.absence_notice(user, card, coach_zone)
            reminder_plans.notify_once(
                session,
                reminder_plans.absence_key(found.key, user),
                kind=reminder_plans.COACH_ABSENCE,
                recipient=found.coach,
                text=text,
                now=now,
                about={"session": found.key},
            )
    return answers.coaching_declined(card, zone, changed=changed)


def tell_coordinators_coach_is_absent(
    session: Session, settings: Settings, card: SessionCard, now: datetime
) -> bool:
    """One DM per coordinator. The coach keeps their reminders: the session is theirs until a
    coordinator moves it or names another coach (a cancelled reminder row would come back at
    the next planning run anyway, since nothing in the session changed)."""
    planned = False
    for coordinator in settings.coordinators:
        zone = zone_of(session, coordinator, settings.timezone)
        with i18n.speaking(language_of(session, coordinator)):
            text = coaching_notices.coach_absence_notice(card, zone)
        planned |= reminder_plans.notify_once(
            session,
            reminder_plans.absence_key(card.key, card.coach, coordinator),
            kind=reminder_plans.COACH_ABSENCE,
            recipient=coordinator,
            text=text,
            now=now,
            about={"session": card.key},
        )
    return planned


# -- questions for the coach --------------------------------------------------------------------


def closed_reason(found: CoachingSession | None, is_attendee: bool, now: datetime) -> str | None:
    if found is None or found.cancelled_at is not None:
        return "gone"
    if now >= found.starts_at:
        return "started"
    if not is_attendee:
        return "not-attending"
    return None


def question_target(db: Database, key: str | None, user: str, now: datetime) -> SessionCard | str:
    """The session the person may send a question about, or why not (a reason word)."""
    with db.transaction() as session:
        found = coaching.session_by_key(session, key)
        is_attendee = bool(found and found.id and coaching.attendee(session, found.id, user))
        reason = closed_reason(found, is_attendee, now)
        if reason or found is None:
            return reason or "gone"
        return card_of(session, found)


def store_question(
    db: Database, settings: Settings, form: QuestionForm, user: str, now: datetime
) -> Message | dict[str, str]:
    with db.transaction(write=True) as session:
        found = coaching.session_by_key(session, form.session_key, lock=True)
        is_attendee = bool(found and found.id and coaching.attendee(session, found.id, user))
        reason = closed_reason(found, is_attendee, now)
        if reason or found is None or found.id is None:
            return {QUESTION_BLOCK: answers.question_problem(reason or "gone")}
        question, new = coaching.add_question(session, found.id, user, form.text, now)
        card = card_of(session, found)
        # After the digest went out the coach would never see it there: send it on its own.
        late = reminder_plans.digest_went_out(session, found)
        if late and new and question.id is not None:
            coach_zone = zone_of(session, found.coach, settings.timezone)
            with i18n.speaking(language_of(session, found.coach)):
                text = coaching_notices.late_question_notice(user, card, form.text, coach_zone)
            reminder_plans.notify_once(
                session,
                reminder_plans.late_question_key(found.key, question.id),
                kind=reminder_plans.LATE_QUESTION,
                recipient=found.coach,
                text=text,
                now=now,
                about={"session": found.key},
            )
        zone = zone_of(session, user, settings.timezone)
    return answers.question_saved(card, form.text, zone, late=late)


# -- coordinators: schedule, edit, cancel -------------------------------------------------------


def session_form_view(db: Database, editing: str | None) -> dict[str, Any]:
    with db.transaction() as session:
        cohorts = coaching.cohort_choices(session)
        if editing is None:
            return coaching_modals.session_form([CohortChoice(c.key, c.name) for c in cohorts])
        found = coaching.session_by_key(session, editing)
        if found is None or found.cancelled_at is not None:
            return notice_view(answers.not_found(COACHING))
        own = coaching.cohort(session, found.cohort_id)
        if own is not None and own.key not in {c.key for c in cohorts}:
            # The session's own cohort is always a choice, however many newer ones there are.
            cohorts = [own, *cohorts][: coaching.MAX_COHORT_CHOICES]
        card = card_of(session, found)
    return coaching_modals.session_form(
        [CohortChoice(c.key, c.name) for c in cohorts],
        editing=card,
        cohort_key=own.key if own else "",
    )


def store_session(
    db: Database, settings: Settings, form: SessionForm, user: str, now: datetime
) -> Message | dict[str, str]:
    """Creates or updates the session, its attendees and its reminder rows, or says what is
    wrong with the form (and stores nothing)."""
    with db.transaction(write=True) as session:
        cohort = coaching.cohort_by_key(session, form.cohort_key)
        current = coaching.session_by_key(session, form.editing, lock=True)
        errors = session_form_errors(
            form,
            now,
            cohort_known=cohort is not None,
            current_start=current.starts_at if current else None,
        )
        if form.editing and (current is None or current.cancelled_at is not None):
            errors[COHORT_BLOCK] = _("This session was cancelled meanwhile: schedule a new one.")
        if errors or cohort is None or cohort.id is None or form.starts_at is None:
            return errors
        key = form.editing or coaching.free_key(
            session, session_key(cohort.key, form.starts_at, settings.timezone), form.coach
        )
        saved = coaching.save_session(
            session,
            key,
            cohort_id=cohort.id,
            coach=form.coach,
            starts_at=form.starts_at,
            duration_minutes=form.duration_minutes,
            location=form.location,
            join_url=form.join_url,
            participants=form.participants,
        )
        # A moved start moves every reminder; a removed participant's reminders are cancelled.
        reminder_plans.plan_coaching_session(session, saved, settings.reminder_offsets, now)
        card = card_of(session, saved)
        zone = zone_of(session, user, settings.timezone)
    return answers.session_saved(card, zone, created=current is None)


def cancel_coaching_session(
    db: Database, settings: Settings, key: str, user: str, now: datetime
) -> Message:
    with db.transaction(write=True) as session:
        found = coaching.session_by_key(session, key, lock=True)
        if found is None:
            return answers.not_found(COACHING)
        if found.cancelled_at is None and now >= found.starts_at:
            return answers.already_started(COACHING)
        card = card_of(session, found)
        changed = coaching.cancel(session, found, now)
        # Planning a cancelled session wants nothing: every open reminder row is cancelled.
        reminder_plans.plan_coaching_session(session, found, settings.reminder_offsets, now)
        if changed:
            tell_everyone_it_is_cancelled(session, settings, card, found, user, now)
        zone = zone_of(session, user, settings.timezone)
    return answers.session_cancelled(card, zone, changed=changed)


def tell_everyone_it_is_cancelled(
    session: Session,
    settings: Settings,
    card: SessionCard,
    found: CoachingSession,
    by: str,
    now: datetime,
) -> None:
    assert found.cancelled_at is not None
    stamp = int(found.cancelled_at.timestamp())  # a later cancellation of the same key is news
    for person in dict.fromkeys((*card.participants, card.coach)):
        if person == by:
            continue
        zone = zone_of(session, person, settings.timezone)
        with i18n.speaking(language_of(session, person)):
            text = coaching_notices.cancellation_notice(card, zone)
        reminder_plans.notify_once(
            session,
            reminder_plans.cancellation_key(card.key, person, stamp),
            kind=reminder_plans.SESSION_CANCELLED,
            recipient=person,
            text=text,
            now=now,
            about={"session": card.key},
        )
