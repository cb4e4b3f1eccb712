"""Pure builders for what the bot says back after a coaching or reminder click, and for the
words of the DMs it plans on the ledger (absences, cancellations, late questions).

Kept apart from `coaching_blocks` (the overview and the forms) so neither passes 300 lines.
DM words are written in the recipient's zone: they are composed once, when planned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import COMMAND, Message, context, escape, plain_date, section, truncate
from handlers.coaching_blocks import SessionCard, people, session_name

REMINDERS_ON = f"`{COMMAND} reminders on`"
REMINDERS_OFF = f"`{COMMAND} reminders off`"


def said(text: str) -> Message:
    """A one-section answer whose blocks say exactly what the text says."""
    return Message(text=text, blocks=[section(text)])


def with_confirmation(original: dict[str, Any], answer: Message) -> Message:
    """The clicked DM, its buttons replaced by the answer: nothing left to click twice."""
    kept = [block for block in original.get("blocks") or [] if block.get("type") != "actions"]
    before = str(original.get("text") or "").strip()
    text = f"{before}\n{answer.text}" if before else answer.text
    return Message(text=truncate(text, 3000), blocks=(kept + answer.blocks)[-50:])


def offsets_words(offsets: Sequence[timedelta]) -> str:
    def one(offset: timedelta) -> str:
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        if rest == 0 and hours % 24 == 0:
            days = hours // 24
            return f"{days} day{'s' if days != 1 else ''}"
        if rest == 0:
            return f"{hours} hour{'s' if hours != 1 else ''}"
        minutes = int(offset.total_seconds()) // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"

    words = [one(offset) for offset in offsets]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


# -- "can't make it" ----------------------------------------------------------------------------


def meeting_declined(title: str, starts_at: datetime, zone: ZoneInfo, *, changed: bool) -> Message:
    title, when = escape(title), plain_date(starts_at, zone)
    if not changed:
        return said(
            f"You had already told us you can't make it to the {title} meeting on {when}: "
            "nothing more to do."
        )
    return said(
        f"Thanks for letting us know: you are down as can't make it to the {title} meeting on "
        f"{when}, and you won't get reminders for it. Changed your mind? RSVP again from the "
        f"announcement or `{COMMAND}`."
    )


def coaching_declined(card: SessionCard, zone: ZoneInfo, *, changed: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    if not changed:
        return said(
            f"You had already told <@{card.coach}> you can't make it to the {name} on {when}."
        )
    return said(
        f"Thanks for letting us know. I told your coach <@{card.coach}> you can't make it to the "
        f"{name} on {when}, and stopped its reminders. To join after all, ask a coordinator."
    )


def coach_absence_reported(
    card: SessionCard, coordinators: Sequence[str], zone: ZoneInfo, *, changed: bool
) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    who = people(tuple(coordinators)) or "the coordinators"
    if not coordinators:
        return said(
            f"No coordinators are configured, so I could not tell anyone that you can't coach "
            f"the {name} on {when}. Please tell the participants directly."
        )
    if not changed:
        return said(f"I had already told {who} that you can't coach the {name} on {when}.")
    return said(
        f"Thanks. I told {who} that you can't coach the {name} on {when}; they will move the "
        "session or find another coach. Its reminders continue until they change it."
    )


def already_started(what: str) -> Message:
    return said(
        f"The {what} has already started, so I did not change anything. If something came up, "
        "tell the people there directly."
    )


def not_found(what: str) -> Message:
    return said(
        f"I could not find that {what} any more: it may have been cancelled or moved. "
        f"`{COMMAND} coaching` lists your coaching sessions, `{COMMAND}` the next meeting."
    )


def not_on_the_list(card: SessionCard) -> Message:
    return said(
        f"You are not on the list for the {escape(session_name(card.cohort))}, so there is "
        "nothing to change. Ask a coordinator if you think you should be."
    )


# -- reminders on and off -----------------------------------------------------------------------


def reminders_turned_off() -> Message:
    return said(
        "Reminders are off: I won't DM you before meetings or coaching sessions. "
        f"Turn them back on any time with {REMINDERS_ON}."
    )


def reminders_turned_on(offsets: Sequence[timedelta]) -> Message:
    return said(
        f"Reminders are on: I'll DM you {offsets_words(offsets)} before each meeting you RSVP'd "
        f"to and each coaching session you're in. {REMINDERS_OFF} stops them."
    )


def reminders_state(enabled: bool, offsets: Sequence[timedelta]) -> Message:
    if enabled:
        return said(
            f"Your reminders are on ({offsets_words(offsets)} before each meeting you RSVP'd to "
            f"and each coaching session you're in). {REMINDERS_OFF} stops them."
        )
    return said(f"Your reminders are off. {REMINDERS_ON} turns them back on.")


def reminders_usage(words: str) -> Message:
    return said(
        f"I did not understand “{escape(truncate(words, 100))}”. Use {REMINDERS_OFF}, "
        f"{REMINDERS_ON}, or `{COMMAND} reminders` to see whether they are on."
    )


# -- questions for the coach --------------------------------------------------------------------


def question_saved(card: SessionCard, question: str, zone: ZoneInfo, *, late: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    where = (
        f"Its prep notes already went out, so I sent your question to <@{card.coach}> directly."
        if late
        else f"It goes into <@{card.coach}>'s prep notes before the session."
    )
    text = f"Thanks, your question for the {name} on {when} is saved. {where}"
    shown = escape(truncate(question, 1000))
    return Message(
        text=f"{text} You asked: {shown}", blocks=[section(text), context(f"You asked: {shown}")]
    )


def question_problem(reason: str) -> str:
    return {
        "gone": "This session was cancelled or moved; close this and check `/dei-topic coaching`.",
        "started": "The session has already started: ask your question there.",
        "not-attending": "Only the session's participants can send its coach a question.",
    }[reason]


def question_closed(reason: str) -> Message:
    return said(question_problem(reason))


# -- coordinators -------------------------------------------------------------------------------


def session_saved(card: SessionCard, zone: ZoneInfo, *, created: bool) -> Message:
    done = "Scheduled" if created else "Updated"
    count = len(card.participants)
    text = (
        f"{done}: {escape(session_name(card.cohort))}, {plain_date(card.starts_at, zone)}, "
        f"coach <@{card.coach}>, {count} participant{'s' if count != 1 else ''}. "
        "Everyone gets reminder DMs before the start."
    )
    return said(text)


def session_cancelled(card: SessionCard, zone: ZoneInfo, *, changed: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    if not changed:
        return said(f"The {name} on {when} was already cancelled.")
    return said(
        f"Cancelled the {name} on {when}. Its reminders are stopped, and the participants and "
        "the coach get a message saying so."
    )


# -- words of the DMs planned on the ledger -----------------------------------------------------


def absence_notice(user: str, card: SessionCard, zone: ZoneInfo) -> str:
    return (
        f"<@{user}> can't make it to your {escape(session_name(card.cohort))} on "
        f"{plain_date(card.starts_at, zone)}."
    )


def coach_absence_notice(card: SessionCard, zone: ZoneInfo) -> str:
    return (
        f"<@{card.coach}> (the coach) can't make it to the {escape(session_name(card.cohort))} on "
        f"{plain_date(card.starts_at, zone)}. Move it or find another coach with the Edit button "
        f"in `{COMMAND} coaching`."
    )


def cancellation_notice(card: SessionCard, zone: ZoneInfo) -> str:
    return (
        f"The {escape(session_name(card.cohort))} on {plain_date(card.starts_at, zone)} "
        f"(coach <@{card.coach}>) is cancelled. A coordinator will let you know about a new date."
    )


def late_question_notice(user: str, card: SessionCard, question: str, zone: ZoneInfo) -> str:
    return (
        f"A question from <@{user}> for your {escape(session_name(card.cohort))} on "
        f"{plain_date(card.starts_at, zone)}: {escape(truncate(question, 1000))}"
    )
