"""Pure builders for what the bot says about a person's reminders: `/dei-topic reminders`,
`reminders on` and `reminders off`, and how long before a start the reminders come.

Commands people type (`/dei-topic reminders off`) stay as they are in every language.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from handlers.blocks import COMMAND, Message, escape, truncate
from handlers.elements import said
from handlers.i18n import _, ngettext


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
