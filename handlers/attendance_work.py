"""What the attendance listeners do: a member's check-in, the coordinators' attendance form.

One transaction each. A check-in that changes who is going asks the announcement to show the new
counts in the same transaction. Answers are rendered by `handlers.agenda_answers`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from handlers import agenda_answers as answers
from handlers import agenda_modals, agenda_work
from handlers.agenda_forms import AttendanceForm
from handlers.agenda_modals import ATTENDED_BLOCK
from handlers.blocks import Message
from handlers.elements import notice_view
from handlers.i18n import _
from handlers.reminders import zone_of
from storage import agendas, announcements, attendance, topics
from storage.database import Database

if TYPE_CHECKING:
    from bot.config import Settings


def check_in(db: Database, settings: Settings, key: str, user: str, now: datetime) -> Message:
    with db.transaction(write=True) as session:
        # No row lock: the check-in is one upsert, and a room of people clicking at once
        # should not queue behind each other.
        meeting = agendas.meeting_by_key(session, key)
        if meeting is None or meeting.id is None:
            return answers.not_found()
        title = agenda_work.title_of(topics.by_id(session, meeting.topic_id))
        if meeting.cancelled_at is not None:
            return answers.check_in_cancelled(title)
        opens = attendance.check_in_opens(meeting)
        if now < opens:
            return answers.check_in_not_yet(title, opens, zone_of(session, user, settings.timezone))
        if now > attendance.check_in_closes(meeting):
            return answers.check_in_closed(title)
        changed = attendance.check_in(session, meeting, user, now)
        if changed:
            # A member who had not RSVP'd now counts as going: the announcement's counts follow.
            announcements.plan_refresh(session, meeting, now)
    return answers.checked_in(title, changed=changed)


def attendance_form_view(
    db: Database, settings: Settings, key: str, now: datetime
) -> dict[str, Any]:
    with db.transaction() as session:
        meeting = agendas.meeting_by_key(session, key)
        if meeting is None or meeting.id is None or meeting.cancelled_at is not None:
            return notice_view(answers.not_found())
        card = agenda_work.card_of(session, meeting, now)
        if not card.attendance_open:
            return notice_view(answers.attendance_not_yet(card, settings.timezone))
        present = attendance.checked_in(session, meeting.id)
    return agenda_modals.attendance_form(card, present, settings.timezone)


def store_attendance(
    db: Database, settings: Settings, form: AttendanceForm, user: str, now: datetime
) -> Message | dict[str, str]:
    if not form.valid:
        return {ATTENDED_BLOCK: _("Choose people from the list.")}
    with db.transaction(write=True) as session:
        meeting = agendas.meeting_by_key(session, form.meeting_key, lock=True)
        if meeting is None or meeting.id is None or meeting.cancelled_at is not None:
            return {ATTENDED_BLOCK: _("This meeting was cancelled meanwhile: close this form.")}
        if now < attendance.check_in_opens(meeting):
            return {ATTENDED_BLOCK: _("Attendance can be marked from 15 minutes before the start.")}
        if attendance.mark(session, meeting, form.attended, now):
            announcements.plan_refresh(session, meeting, now)
        card = agenda_work.card_of(session, meeting, now)
        zone = zone_of(session, user, settings.timezone)
    return answers.attendance_saved(card, zone)
