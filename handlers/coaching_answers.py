"""Pure builders for what the bot says back after a coaching or meeting-reminder click ("can't
make it", a question for the coach) and after a coordinator saves or cancels a session.

Kept apart from `coaching_blocks` (the overview) and `coaching_modals` (the forms); what it says
about reminders on and off is in `reminder_answers`, the words of the DMs it plans on the ledger in
`coaching_notices`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import COMMAND, Message, context, escape, plain_date, section, truncate
from handlers.coaching_blocks import SessionCard, people
from handlers.elements import said
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


def with_confirmation(original: dict[str, Any], answer: Message) -> Message:
    """The clicked DM, its buttons replaced by the answer: nothing left to click twice."""
    kept = [block for block in original.get("blocks") or [] if block.get("type") != "actions"]
    before = str(original.get("text") or "").strip()
    text = f"{before}\n{answer.text}" if before else answer.text
    return Message(text=truncate(text, 3000), blocks=(kept + answer.blocks)[-50:])


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
