"""Pure builders for what the bot says back after an agenda or attendance action, and the words
of the cancellation DM it plans on the ledger (written in the recipient's zone and language when
planned).

Kept apart from `agenda_blocks` (the list and the forms) so neither passes 300 lines.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.agenda_blocks import MeetingCard, attendance_words
from handlers.blocks import COMMAND, Message, escape, plain_date
from handlers.elements import said
from handlers.i18n import _, ngettext

MEETING = "meeting"
# What the save did about the announcement.
POSTING_NOW, POSTING_LATER, UPDATING, NO_CHANNEL = "now", "later", "update", "no-channel"


def announcement_plan(card: MeetingCard, zone: ZoneInfo, posting: str, channel: str | None) -> str:
    """One sentence: what happens to the announcement now that the meeting is saved."""
    if posting == UPDATING:
        return _("The posted announcement is being updated to match.")
    if posting == NO_CHANNEL:
        return _(
            "The announcement cannot be posted until `DEI_ANNOUNCE_CHANNEL` is set: ask the "
            "bot's operator to set it, then save this meeting again."
        )
    if posting == POSTING_NOW:
        if channel:
            return _("The announcement goes out in {channel} now.").format(channel=f"<#{channel}>")
        return _("The announcement goes out in the announcement channel now.")
    when = plain_date(card.announcement.at or card.starts_at, zone)
    if channel:
        return _("The announcement goes out in {channel} on {date}.").format(
            channel=f"<#{channel}>", date=when
        )
    return _("The announcement goes out in the announcement channel on {date}.").format(date=when)


def meeting_saved(
    card: MeetingCard, zone: ZoneInfo, *, created: bool, posting: str, channel: str | None
) -> Message:
    done = (
        _("Scheduled: the {title} meeting on {date} (`{key}`).")
        if created
        else _("Updated: the {title} meeting on {date} (`{key}`).")
    )
    said_done = done.format(
        title=escape(card.title), date=plain_date(card.starts_at, zone), key=card.key
    )
    after = _(
        "Members who RSVP get reminder DMs before the start; `{command} agenda` lists every "
        "meeting."
    ).format(command=COMMAND)
    return said(f"{said_done} {announcement_plan(card, zone, posting, channel)} {after}")


def meeting_cancelled(card: MeetingCard, zone: ZoneInfo, *, changed: bool, told: int) -> Message:
    title, date = escape(card.title), plain_date(card.starts_at, zone)
    if not changed:
        return said(
            _("The {title} meeting on {date} was already cancelled: nothing more to do.").format(
                title=title, date=date
            )
        )
    if not told:
        return said(
            _(
                "Cancelled the {title} meeting on {date}. Its announcement now says so, its "
                "reminders are stopped, and nobody had RSVP'd, so there was no one to tell."
            ).format(title=title, date=date)
        )
    return said(
        ngettext(
            "Cancelled the {title} meeting on {date}. Its announcement now says so, its "
            "reminders are stopped, and the {count} person who RSVP'd gets a message saying so.",
            "Cancelled the {title} meeting on {date}. Its announcement now says so, its "
            "reminders are stopped, and the {count} people who RSVP'd get a message saying so.",
            told,
        ).format(title=title, date=date, count=told)
    )


def cancellation_notice(title: str, starts_at: datetime, zone: ZoneInfo) -> str:
    """Built in the recipient's language (the caller speaks it), not the coordinator's."""
    return _(
        "The working-group meeting on {title}, {date}, is cancelled. Your RSVP needs nothing "
        "more; `{command}` shows the next meeting."
    ).format(title=escape(title), date=plain_date(starts_at, zone), command=COMMAND)


def cancelled_meanwhile() -> str:
    return _("This meeting was cancelled meanwhile: close this and schedule a new one.")


def not_found() -> Message:
    return said(
        _(
            "I could not find that meeting any more: it may have been cancelled. "
            "`{command} agenda` lists the meetings."
        ).format(command=COMMAND)
    )


def already_started() -> Message:
    return said(
        _(
            "That meeting has already started, so I did not cancel it. Edit it instead if "
            "something changed."
        )
    )


def no_topics() -> Message:
    return said(
        _(
            "No topics are on the calendar yet, so there is nothing to schedule a meeting about: "
            "add them with `dei-bot import` (the `topics` section)."
        )
    )


# -- attendance ---------------------------------------------------------------------------------


def checked_in(title: str, *, changed: bool) -> Message:
    if not changed:
        return said(
            _("You were already checked in to the {title} meeting.").format(title=escape(title))
        )
    return said(_("Thanks, you are checked in to the {title} meeting.").format(title=escape(title)))


def check_in_not_yet(title: str, opens: datetime, zone: ZoneInfo) -> Message:
    return said(
        _("Check-in for the {title} meeting opens 15 minutes before it starts, on {date}.").format(
            title=escape(title), date=plain_date(opens, zone)
        )
    )


def check_in_closed(title: str) -> Message:
    return said(
        _(
            "Check-in for the {title} meeting has closed. If you attended, tell a "
            "coordinator: they can still mark it."
        ).format(title=escape(title))
    )


def check_in_cancelled(title: str) -> Message:
    return said(
        _("The {title} meeting was cancelled, so there is nothing to check in to.").format(
            title=escape(title)
        )
    )


def attendance_not_yet(card: MeetingCard, zone: ZoneInfo) -> Message:
    return said(
        _(
            "Attendance for the {title} meeting on {date} can be marked from 15 minutes before "
            "it starts."
        ).format(title=escape(card.title), date=plain_date(card.starts_at, zone))
    )


def attendance_saved(card: MeetingCard, zone: ZoneInfo) -> Message:
    return said(
        _(
            "Attendance saved for the {title} meeting on {date}: attended {attended}. "
            "`dei-bot export attendance --meeting {key} --format csv` has every name."
        ).format(
            title=escape(card.title),
            date=plain_date(card.starts_at, zone),
            attended=attendance_words(card),
            key=card.key,
        )
    )
