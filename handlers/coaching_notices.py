"""The words of the coaching DMs the bot plans on the ledger: a participant's or the coach's
absence, a cancellation, and a question sent after the prep notes went out.

They are written in the recipient's zone and language: composed once, when planned, inside
`i18n.speaking(<the recipient's language>)`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from handlers.blocks import COMMAND, escape, plain_date, truncate
from handlers.coaching_blocks import SessionCard
from handlers.i18n import _
from handlers.reminder_blocks import session_name


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
