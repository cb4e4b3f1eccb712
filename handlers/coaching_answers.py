"""Pure builders for what the bot says back after a coaching or reminder click, and for the
words of the DMs it plans on the ledger (absences, cancellations, late questions).

Kept apart from `coaching_blocks` (the overview and the forms) so neither passes 300 lines.
DM words are written in the recipient's zone and language: they are composed once, when planned,
inside `i18n.speaking(<the recipient's language>)`. Commands people type (`/dei-topic reminders
off`) stay as they are in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import COMMAND, Message, context, escape, plain_date, section, truncate
from handlers.coaching_blocks import SessionCard, people
from handlers.i18n import N_, _, ngettext
from handlers.reminder_blocks import session_name

# What the bot could not find or change, one whole sentence per kind of thing.
NOT_FOUND = {
    "meeting": N_(
        "I could not find that meeting any more: it may have been cancelled or moved. "
        "`{command} coaching` lists your coaching sessions, `{command}` the next meeting."
    ),
    "coaching": N_(
        "I could not find that coaching session any more: it may have been cancelled or moved. "
        "`{command} coaching` lists your coaching sessions, `{command}` the next meeting."
    ),
    "session": N_(
        "I could not find that session any more: it may have been cancelled or moved. "
        "`{command} coaching` lists your coaching sessions, `{command}` the next meeting."
    ),
}
ALREADY_STARTED = {
    "meeting": N_(
        "The meeting has already started, so I did not change anything. If something came up, "
        "tell the people there directly."
    ),
    "coaching": N_(
        "The coaching session has already started, so I did not change anything. If something "
        "came up, tell the people there directly."
    ),
}
QUESTION_PROBLEMS = {
    "gone": N_("This session was cancelled or moved; close this and check `/dei-topic coaching`."),
    "started": N_("The session has already started: ask your question there."),
    "not-attending": N_("Only the session's participants can send its coach a question."),
}


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
            return ngettext("{count} day", "{count} days", days).format(count=days)
        if rest == 0:
            return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
        minutes = int(offset.total_seconds()) // 60
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)

    words = [one(offset) for offset in offsets]
    if len(words) < 2:
        return "".join(words)
    return _("{others} and {last}").format(others=", ".join(words[:-1]), last=words[-1])


# -- "can't make it" ----------------------------------------------------------------------------


def meeting_declined(
    title: str | None, starts_at: datetime, zone: ZoneInfo, *, changed: bool
) -> Message:
    """`title`: the meeting's topic, None while it is still to be decided."""
    when = plain_date(starts_at, zone)
    if not changed:
        sentence = (
            _(
                "You had already told us you can't make it to the {title} meeting on {when}: "
                "nothing more to do."
            )
            if title
            else _(
                "You had already told us you can't make it to the working-group meeting on "
                "{when}: nothing more to do."
            )
        )
    elif title:
        sentence = _(
            "Thanks for letting us know: you are down as can't make it to the {title} meeting "
            "on {when}, and you won't get reminders for it. Changed your mind? RSVP again from "
            "the announcement or `{command}`."
        )
    else:
        sentence = _(
            "Thanks for letting us know: you are down as can't make it to the working-group "
            "meeting on {when}, and you won't get reminders for it. Changed your mind? RSVP "
            "again from the announcement or `{command}`."
        )
    return said(sentence.format(title=escape(title or ""), when=when, command=COMMAND))


def coaching_declined(card: SessionCard, zone: ZoneInfo, *, changed: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    if not changed:
        sentence = _("You had already told <@{coach}> you can't make it to the {name} on {when}.")
    else:
        sentence = _(
            "Thanks for letting us know. I told your coach <@{coach}> you can't make it to the "
            "{name} on {when}, and stopped its reminders. To join after all, ask a coordinator."
        )
    return said(sentence.format(coach=card.coach, name=name, when=when))


def coach_absence_reported(
    card: SessionCard, coordinators: Sequence[str], zone: ZoneInfo, *, changed: bool
) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    if not coordinators:
        sentence = _(
            "No coordinators are configured, so I could not tell anyone that you can't coach "
            "the {name} on {when}. Please tell the participants directly."
        )
    elif not changed:
        sentence = _("I had already told {people} that you can't coach the {name} on {when}.")
    else:
        sentence = _(
            "Thanks. I told {people} that you can't coach the {name} on {when}; they will move "
            "the session or find another coach. Its reminders continue until they change it."
        )
    return said(sentence.format(people=people(tuple(coordinators)), name=name, when=when))


def already_started(what: str) -> Message:
    """`what`: "meeting" or "coaching"."""
    return said(_(ALREADY_STARTED[what]))


def not_found(what: str) -> Message:
    """`what`: "meeting", "coaching" or "session" (when the click did not say which kind)."""
    return said(_(NOT_FOUND[what]).format(command=COMMAND))


def not_on_the_list(card: SessionCard) -> Message:
    return said(
        _(
            "You are not on the list for the {name}, so there is nothing to change. Ask a "
            "coordinator if you think you should be."
        ).format(name=escape(session_name(card.cohort)))
    )


# -- reminders on and off -----------------------------------------------------------------------


def reminders_turned_off() -> Message:
    return said(
        _(
            "Reminders are off: I won't DM you before meetings or coaching sessions. "
            "Turn them back on any time with `{command} reminders on`."
        ).format(command=COMMAND)
    )


def reminders_turned_on(offsets: Sequence[timedelta]) -> Message:
    return said(
        _(
            "Reminders are on: I'll DM you {offsets} before each meeting you RSVP'd to and each "
            "coaching session you're in. `{command} reminders off` stops them."
        ).format(offsets=offsets_words(offsets), command=COMMAND)
    )


def reminders_state(enabled: bool, offsets: Sequence[timedelta]) -> Message:
    if enabled:
        return said(
            _(
                "Your reminders are on ({offsets} before each meeting you RSVP'd to and each "
                "coaching session you're in). `{command} reminders off` stops them."
            ).format(offsets=offsets_words(offsets), command=COMMAND)
        )
    return said(
        _("Your reminders are off. `{command} reminders on` turns them back on.").format(
            command=COMMAND
        )
    )


def reminders_usage(words: str) -> Message:
    return said(
        _(
            "I did not understand “{words}”. Use `{command} reminders off`, "
            "`{command} reminders on`, or `{command} reminders` to see whether they are on."
        ).format(words=escape(truncate(words, 100)), command=COMMAND)
    )


# -- questions for the coach --------------------------------------------------------------------


def question_saved(card: SessionCard, question: str, zone: ZoneInfo, *, late: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    sentence = (
        _(
            "Thanks, your question for the {name} on {when} is saved. Its prep notes already "
            "went out, so I sent your question to <@{coach}> directly."
        )
        if late
        else _(
            "Thanks, your question for the {name} on {when} is saved. It goes into <@{coach}>'s "
            "prep notes before the session."
        )
    )
    text = sentence.format(name=name, when=when, coach=card.coach)
    asked = _("You asked: {question}").format(question=escape(truncate(question, 1000)))
    return Message(text=f"{text} {asked}", blocks=[section(text), context(asked)])


def question_problem(reason: str) -> str:
    return _(QUESTION_PROBLEMS[reason])


def question_closed(reason: str) -> Message:
    return said(question_problem(reason))


# -- coordinators -------------------------------------------------------------------------------


def session_saved(card: SessionCard, zone: ZoneInfo, *, created: bool) -> Message:
    count = len(card.participants)
    if created:
        sentence = ngettext(
            "Scheduled: {name}, {when}, coach <@{coach}>, {count} participant. Everyone gets "
            "reminder DMs before the start.",
            "Scheduled: {name}, {when}, coach <@{coach}>, {count} participants. Everyone gets "
            "reminder DMs before the start.",
            count,
        )
    else:
        sentence = ngettext(
            "Updated: {name}, {when}, coach <@{coach}>, {count} participant. Everyone gets "
            "reminder DMs before the start.",
            "Updated: {name}, {when}, coach <@{coach}>, {count} participants. Everyone gets "
            "reminder DMs before the start.",
            count,
        )
    return said(
        sentence.format(
            name=escape(session_name(card.cohort)),
            when=plain_date(card.starts_at, zone),
            coach=card.coach,
            count=count,
        )
    )


def session_cancelled(card: SessionCard, zone: ZoneInfo, *, changed: bool) -> Message:
    name, when = escape(session_name(card.cohort)), plain_date(card.starts_at, zone)
    if not changed:
        return said(_("The {name} on {when} was already cancelled.").format(name=name, when=when))
    return said(
        _(
            "Cancelled the {name} on {when}. Its reminders are stopped, and the participants and "
            "the coach get a message saying so."
        ).format(name=name, when=when)
    )


# -- words of the DMs planned on the ledger -----------------------------------------------------


def absence_notice(user: str, card: SessionCard, zone: ZoneInfo) -> str:
    return _("<@{user}> can't make it to your {name} on {when}.").format(
        user=user, name=escape(session_name(card.cohort)), when=plain_date(card.starts_at, zone)
    )


def coach_absence_notice(card: SessionCard, zone: ZoneInfo) -> str:
    return _(
        "<@{coach}> (the coach) can't make it to the {name} on {when}. Move it or find another "
        "coach with the Edit button in `{command} coaching`."
    ).format(
        coach=card.coach,
        name=escape(session_name(card.cohort)),
        when=plain_date(card.starts_at, zone),
        command=COMMAND,
    )


def cancellation_notice(card: SessionCard, zone: ZoneInfo) -> str:
    return _(
        "The {name} on {when} (coach <@{coach}>) is cancelled. A coordinator will let you know "
        "about a new date."
    ).format(
        name=escape(session_name(card.cohort)),
        when=plain_date(card.starts_at, zone),
        coach=card.coach,
    )


def late_question_notice(user: str, card: SessionCard, question: str, zone: ZoneInfo) -> str:
    return _("A question from <@{user}> for your {name} on {when}: {question}").format(
        user=user,
        name=escape(session_name(card.cohort)),
        when=plain_date(card.starts_at, zone),
        question=escape(truncate(question, 1000)),
    )
