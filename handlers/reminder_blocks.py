"""Pure builders for the DMs the bot sends on its own: reminders, the coach's digest, notices.

Times are written in the recipient's own zone in the `text` (what notifications and screen
readers read) and as Slack date tokens in the blocks. A relative "in 1 hour" always comes with the
date itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.blocks import FORMAT_WORDS, context, date_token, escape, plain_date, section, truncate
from handlers.i18n import N_, _, ngettext

CANT_MAKE_IT = "reminder_cant_make_it"
STOP_REMINDERS = "reminders_stop"
ASK_COACH = "coaching_ask_question"

# Why a message failed, in words for the coordinators' notice: kept as msgids in the ledger, so
# each coordinator reads them in their own language when the notice is composed.
REFUSED = N_("Slack refused the message: {code}")
GAVE_UP = N_("gave up after {attempts} attempts: {error}")
UNEXPECTED = N_("unexpected error in dei-bot")
FAILURE_REASONS = (REFUSED, GAVE_UP, UNEXPECTED)


def session_name(cohort: str) -> str:
    """A noun phrase that sentences take whole ("the {name} on {when}")."""
    return _("{cohort} coaching session").format(cohort=cohort) if cohort else _("coaching session")


def how_soon(starts_at: datetime, now: datetime) -> str:
    left = starts_at - now
    if left < timedelta(minutes=90):
        minutes = max(1, round(left.total_seconds() / 60))
        return ngettext("in {count} minute", "in {count} minutes", minutes).format(count=minutes)
    if left < timedelta(hours=36):
        hours = round(left.total_seconds() / 3600)
        return ngettext("in {count} hour", "in {count} hours", hours).format(count=hours)
    days = round(left.total_seconds() / 86400)
    return ngettext("in {count} day", "in {count} days", days).format(count=days)


def where_lines(location: str, join_url: str | None) -> tuple[list[str], list[str]]:
    """Mrkdwn lines and plain lines for the place and the link."""
    mrkdwn: list[str] = []
    plain: list[str] = []
    if location:
        mrkdwn.append(_("*Where:* {place}").format(place=escape(location)))
        plain.append(_("Where: {place}.").format(place=location))
    if join_url:
        link = f"<{join_url}|{escape(truncate(join_url, 80))}>"
        mrkdwn.append(_("*Join online:* {link}").format(link=link))
        plain.append(_("Join online: {link}").format(link=join_url))
    return mrkdwn, plain


def reminder_buttons(target: str, *, ask_coach: bool = False) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": CANT_MAKE_IT,
            "text": {"type": "plain_text", "text": _("Can't make it")},
            "value": target,
            "accessibility_label": _("Tell the organisers you can't make it to this session"),
        },
        {
            "type": "button",
            "action_id": STOP_REMINDERS,
            "text": {"type": "plain_text", "text": _("Stop these reminders")},
            "value": "off",
            "accessibility_label": _("Stop all dei-bot reminders; turn them back on any time"),
        },
    ]
    if ask_coach:
        elements.insert(
            0,
            {
                "type": "button",
                "action_id": ASK_COACH,
                "text": {"type": "plain_text", "text": _("Send the coach a question")},
                "value": target,
            },
        )
    return {"type": "actions", "block_id": f"reminder:{target}"[:255], "elements": elements}


def meeting_reminder(
    *,
    title: str,
    meeting_key: str,
    starts_at: datetime,
    now: datetime,
    zone: ZoneInfo,
    format: str,
    location: str,
    join_url: str | None,
) -> tuple[str, list[dict[str, Any]]]:
    soon = how_soon(starts_at, now)
    how = _(FORMAT_WORDS[format]) if format in FORMAT_WORDS else format
    mrkdwn_where, plain_where = where_lines(location, join_url)
    sentence = _("Reminder: the working-group meeting on {title} starts {soon}, {date} ({how}).")
    text = (
        sentence.format(title=title, soon=soon, date=plain_date(starts_at, zone), how=how)
        + " "
        + " ".join(plain_where)
    ).strip()
    headline = _(
        "*Reminder:* the working-group meeting on *{title}* starts {soon}: {date} ({how})."
    )
    blocks = [
        section(
            headline.format(
                title=escape(title), soon=soon, date=date_token(starts_at, zone), how=how
            )
            + "\n"
            + "\n".join(mrkdwn_where)
        ),
        reminder_buttons(f"meeting:{meeting_key}"),
        context(_("You get this because you RSVP'd. `/dei-topic reminders off` stops reminders.")),
    ]
    return text, blocks


def coaching_reminder(
    *,
    cohort: str,
    session_key: str,
    coach: str,
    is_coach: bool,
    starts_at: datetime,
    now: datetime,
    zone: ZoneInfo,
    location: str,
    join_url: str | None,
) -> tuple[str, list[dict[str, Any]]]:
    soon = how_soon(starts_at, now)
    mrkdwn_where, plain_where = where_lines(location, join_url)
    if is_coach:
        sentence = _("Reminder: Your {name} (you are the coach) starts {soon}, {date}.")
        headline = _("*Reminder:* Your {name} (you are the coach) starts {soon}: {date}.")
    else:
        sentence = _("Reminder: Your {name} (with <@{coach}>) starts {soon}, {date}.")
        headline = _("*Reminder:* Your {name} (with <@{coach}>) starts {soon}: {date}.")
    text = (
        sentence.format(
            name=session_name(cohort), coach=coach, soon=soon, date=plain_date(starts_at, zone)
        )
        + " "
        + " ".join(plain_where)
    ).strip()
    blocks = [
        section(
            headline.format(
                name=escape(session_name(cohort)),
                coach=coach,
                soon=soon,
                date=date_token(starts_at, zone),
            )
            + "\n"
            + "\n".join(mrkdwn_where)
        ),
        reminder_buttons(f"coaching:{session_key}", ask_coach=not is_coach),
        context(
            _(
                "`/dei-topic coaching` lists your sessions; `/dei-topic reminders off` stops "
                "reminders."
            )
        ),
    ]
    return text, blocks


def coach_digest(
    *,
    cohort: str,
    starts_at: datetime,
    zone: ZoneInfo,
    coming: list[tuple[str, str | None]],
    not_coming: list[str],
    questions: list[tuple[str, str]],
) -> tuple[str, list[dict[str, Any]]]:
    name = session_name(cohort)
    people = [f"• <@{user}>" + (f", {escape(place)}" if place else "") for user, place in coming]
    plain_people = [f"<@{user}>" + (f" ({place})" if place else "") for user, place in coming]
    asked = [f"• <@{user}>: {escape(truncate(question, 500))}" for user, question in questions]
    nobody_yet = _("No participant has sent a question yet.")
    plain = [
        _("Prep for your {name}, {date}.").format(name=name, date=plain_date(starts_at, zone)),
        _("Coming ({count}): {people}.").format(
            count=len(coming), people=", ".join(plain_people) or _("nobody has confirmed yet")
        ),
    ]
    if not_coming:
        absent = ", ".join(f"<@{user}>" for user in not_coming)
        plain.append(_("Can't make it: {people}.").format(people=absent))
    if questions:
        plain.append(_("Questions ({count}):").format(count=len(questions)))
        plain += [
            _('<@{user}> asks: "{question}"').format(user=user, question=question)
            for user, question in questions
        ]
    else:
        plain.append(nobody_yet)
    text = truncate(" ".join(plain), 4000)
    blocks: list[dict[str, Any]] = [
        section(
            _("*Prep for your {name}*, {date}").format(
                name=escape(name), date=date_token(starts_at, zone)
            )
        ),
        section(
            _("*Coming ({count})*").format(count=len(coming))
            + "\n"
            + ("\n".join(people) or _("Nobody has confirmed yet."))
        ),
    ]
    if not_coming:
        absent = "\n".join(f"• <@{u}>" for u in not_coming)
        blocks.append(section(_("*Can't make it*") + "\n" + absent))
    blocks.append(
        section(_("*Questions ({count})*").format(count=len(questions)) + "\n" + "\n".join(asked))
        if questions
        else section(_("*Questions*") + "\n" + nobody_yet)
    )
    return text, blocks[:50]


def notice(text: str) -> list[dict[str, Any]]:
    return [section(text)]


def failure_reason(reason: str, details: dict[str, Any]) -> str:
    """`reason` one of FAILURE_REASONS; a detail that is itself a reason is translated too."""
    words = {key: _(value) if value in FAILURE_REASONS else value for key, value in details.items()}
    return _(reason).format(**words) if reason in FAILURE_REASONS else reason


def failure_notice(kind: str, recipient: str, key: str, error: str) -> str:
    """To the coordinators: `kind` and `key` are the ledger's own words, as the export shows."""
    return _(
        "dei-bot could not deliver a {kind} to <@{recipient}> (delivery {key}): {error}. "
        "`dei-bot export deliveries` lists every message and its state."
    ).format(kind=kind, recipient=recipient, key=key, error=error)
