"""Pure builders for what the bot says back after an agenda or attendance action, and the words
of the cancellation DM it plans on the ledger (written in the recipient's zone when planned).

Kept apart from `agenda_blocks` (the list and the forms) so neither passes 300 lines.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.agenda_blocks import MeetingCard, attendance_words
from handlers.blocks import COMMAND, Message, escape, plain_date
from handlers.coaching_answers import said

MEETING = "meeting"
# What the save did about the announcement.
POSTING_NOW, POSTING_LATER, UPDATING, NO_CHANNEL = "now", "later", "update", "no-channel"


def meeting_name(card: MeetingCard, zone: ZoneInfo) -> str:
    return f"the {escape(card.title)} meeting on {plain_date(card.starts_at, zone)}"


def meeting_saved(
    card: MeetingCard, zone: ZoneInfo, *, created: bool, posting: str, channel: str | None
) -> Message:
    done = "Scheduled" if created else "Updated"
    where = f"<#{channel}>" if channel else "the announcement channel"
    announcement = {
        POSTING_NOW: f"The announcement goes out in {where} now.",
        POSTING_LATER: (
            f"The announcement goes out in {where} on "
            f"{plain_date(card.announcement.at or card.starts_at, zone)}."
        ),
        UPDATING: "The posted announcement is being updated to match.",
        NO_CHANNEL: (
            "The announcement cannot be posted until `DEI_ANNOUNCE_CHANNEL` is set: ask the "
            "bot's operator to set it, then save this meeting again."
        ),
    }[posting]
    return said(
        f"{done}: {meeting_name(card, zone)} (`{card.key}`). {announcement} Members who RSVP "
        f"get reminder DMs before the start; `{COMMAND} agenda` lists every meeting."
    )


def meeting_cancelled(card: MeetingCard, zone: ZoneInfo, *, changed: bool, told: int) -> Message:
    if not changed:
        return said(
            f"The {escape(card.title)} meeting on {plain_date(card.starts_at, zone)} was already "
            "cancelled: nothing more to do."
        )
    told_words = (
        f"the {told} {'person' if told == 1 else 'people'} who RSVP'd "
        f"{'gets' if told == 1 else 'get'} a message saying so."
        if told
        else "nobody had RSVP'd, so there was no one to tell."
    )
    return said(
        f"Cancelled {meeting_name(card, zone)}. Its announcement now says so, its reminders are "
        f"stopped, and {told_words}"
    )


def cancellation_notice(title: str, starts_at: datetime, zone: ZoneInfo) -> str:
    return (
        f"The working-group meeting on {escape(title)}, {plain_date(starts_at, zone)}, is "
        f"cancelled. Your RSVP needs nothing more; `{COMMAND}` shows the next meeting."
    )


def cancelled_meanwhile() -> str:
    return "This meeting was cancelled meanwhile: close this and schedule a new one."


def not_found() -> Message:
    return said(
        f"I could not find that meeting any more: it may have been cancelled. "
        f"`{COMMAND} agenda` lists the meetings."
    )


def already_started() -> Message:
    return said(
        "That meeting has already started, so I did not cancel it. Edit it instead if "
        "something changed."
    )


def no_topics() -> Message:
    return said(
        "No topics are on the calendar yet, so there is nothing to schedule a meeting about: "
        "add them with `dei-bot import` (the `topics` section)."
    )


# -- attendance ---------------------------------------------------------------------------------


def checked_in(title: str, *, changed: bool) -> Message:
    if not changed:
        return said(f"You were already checked in to the {escape(title)} meeting.")
    return said(f"Thanks, you are checked in to the {escape(title)} meeting.")


def check_in_not_yet(title: str, opens: datetime, zone: ZoneInfo) -> Message:
    return said(
        f"Check-in for the {escape(title)} meeting opens 15 minutes before it starts, "
        f"on {plain_date(opens, zone)}."
    )


def check_in_closed(title: str) -> Message:
    return said(
        f"Check-in for the {escape(title)} meeting has closed. If you attended, tell a "
        "coordinator: they can still mark it."
    )


def check_in_cancelled(title: str) -> Message:
    return said(f"The {escape(title)} meeting was cancelled, so there is nothing to check in to.")


def attendance_not_yet(card: MeetingCard, zone: ZoneInfo) -> Message:
    return said(
        f"Attendance for {meeting_name(card, zone)} can be marked from 15 minutes before it starts."
    )


def attendance_saved(card: MeetingCard, zone: ZoneInfo) -> Message:
    return said(
        f"Attendance saved for {meeting_name(card, zone)}: attended {attendance_words(card)}. "
        f"`dei-bot export attendance --meeting {card.key} --format csv` has every name."
    )
