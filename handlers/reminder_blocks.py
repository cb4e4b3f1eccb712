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

CANT_MAKE_IT = "reminder_cant_make_it"
STOP_REMINDERS = "reminders_stop"
ASK_COACH = "coaching_ask_question"


def how_soon(starts_at: datetime, now: datetime) -> str:
    left = starts_at - now
    if left < timedelta(minutes=90):
        minutes = max(1, round(left.total_seconds() / 60))
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    if left < timedelta(hours=36):
        hours = round(left.total_seconds() / 3600)
        return f"in {hours} hours"
    days = round(left.total_seconds() / 86400)
    return f"in {days} days"


def where_lines(location: str, join_url: str | None) -> tuple[list[str], list[str]]:
    """Mrkdwn lines and plain lines for the place and the link."""
    mrkdwn: list[str] = []
    plain: list[str] = []
    if location:
        mrkdwn.append(f"*Where:* {escape(location)}")
        plain.append(f"Where: {location}.")
    if join_url:
        mrkdwn.append(f"*Join online:* <{join_url}|{escape(truncate(join_url, 80))}>")
        plain.append(f"Join online: {join_url}")
    return mrkdwn, plain


def reminder_buttons(target: str, *, ask_coach: bool = False) -> dict[str, Any]:
    elements: list[dict[str, Any]] = [
        {
            "type": "button",
            "action_id": CANT_MAKE_IT,
            "text": {"type": "plain_text", "text": "Can't make it"},
            "value": target,
            "accessibility_label": "Tell the organisers you can't make it to this session",
        },
        {
            "type": "button",
            "action_id": STOP_REMINDERS,
            "text": {"type": "plain_text", "text": "Stop these reminders"},
            "value": "off",
            "accessibility_label": "Stop all dei-bot reminders; turn them back on any time",
        },
    ]
    if ask_coach:
        elements.insert(
            0,
            {
                "type": "button",
                "action_id": ASK_COACH,
                "text": {"type": "plain_text", "text": "Send the coach a question"},
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
    how = FORMAT_WORDS.get(format, format)
    mrkdwn_where, plain_where = where_lines(location, join_url)
    text = (
        f"Reminder: the working-group meeting on {title} starts {soon}, "
        f"{plain_date(starts_at, zone)} ({how}). " + " ".join(plain_where)
    ).strip()
    blocks = [
        section(
            f"*Reminder:* the working-group meeting on *{escape(title)}* starts {soon}: "
            f"{date_token(starts_at, zone)} ({how}).\n" + "\n".join(mrkdwn_where)
        ),
        reminder_buttons(f"meeting:{meeting_key}"),
        context("You get this because you RSVP'd. `/dei-topic reminders off` stops reminders."),
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
    what = f"Your {escape(cohort)} coaching session" if cohort else "Your coaching session"
    with_whom = "you are the coach" if is_coach else f"with <@{coach}>"
    mrkdwn_where, plain_where = where_lines(location, join_url)
    plain_cohort = f"Your {cohort} coaching session" if cohort else "Your coaching session"
    text = (
        f"Reminder: {plain_cohort} ({'you are the coach' if is_coach else f'with <@{coach}>'}) "
        f"starts {soon}, {plain_date(starts_at, zone)}. " + " ".join(plain_where)
    ).strip()
    blocks = [
        section(
            f"*Reminder:* {what} ({with_whom}) starts {soon}: {date_token(starts_at, zone)}.\n"
            + "\n".join(mrkdwn_where)
        ),
        reminder_buttons(f"coaching:{session_key}", ask_coach=not is_coach),
        context(
            "`/dei-topic coaching` lists your sessions; `/dei-topic reminders off` stops reminders."
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
    name = f"{cohort} coaching session" if cohort else "coaching session"
    people = [f"• <@{user}>" + (f", {escape(place)}" if place else "") for user, place in coming]
    plain_people = [f"<@{user}>" + (f" ({place})" if place else "") for user, place in coming]
    asked = [f"• <@{user}>: {escape(truncate(question, 500))}" for user, question in questions]
    plain = [
        f"Prep for your {name}, {plain_date(starts_at, zone)}.",
        f"Coming ({len(coming)}): {', '.join(plain_people) or 'nobody has confirmed yet'}.",
    ]
    if not_coming:
        plain.append(f"Can't make it: {', '.join(f'<@{user}>' for user in not_coming)}.")
    if questions:
        plain.append(f"Questions ({len(questions)}):")
        plain += [f'<@{user}> asks: "{question}"' for user, question in questions]
    else:
        plain.append("No participant has sent a question yet.")
    text = truncate(" ".join(plain), 4000)
    blocks: list[dict[str, Any]] = [
        section(f"*Prep for your {escape(name)}*, {date_token(starts_at, zone)}"),
        section(f"*Coming ({len(coming)})*\n" + ("\n".join(people) or "Nobody has confirmed yet.")),
    ]
    if not_coming:
        blocks.append(section("*Can't make it*\n" + "\n".join(f"• <@{u}>" for u in not_coming)))
    blocks.append(
        section(f"*Questions ({len(questions)})*\n" + "\n".join(asked))
        if questions
        else section("*Questions*\nNo participant has sent a question yet.")
    )
    return text, blocks[:50]


def notice(text: str) -> list[dict[str, Any]]:
    return [section(text)]
